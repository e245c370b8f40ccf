//! Storage layout.
//!
//! - Instance (loaded by every call, so kept small): the fixed [`FeedConfig`], the reporter and
//!   the paused flag.
//! - Persistent, per asset: `Last(asset)`, the newest record alone, so that `lastprice` (the hot
//!   read) loads one small entry; and `History(asset)`, the last `history` records newest first
//!   in one `Vec`, so that `prices(asset, n)` and `price(asset, t)` load one entry whatever `n`
//!   (a consumer reading several feeds stays far from the 200-entries-per-transaction limit). An
//!   asset is quoted exactly when its `History` entry exists.
//! - Persistent: `Assets`, the list of quoted assets, read only by `assets()` and `add_assets`
//!   (it would cost every call if it lived in the instance).
//!
//! Writes extend the TTL of what they write (governance::ttl); reads extend nothing, so views
//! stay read-only.

use governance::ttl;
use sep40::{Asset, PriceData};
use soroban_sdk::{contracttype, panic_with_error, Address, Env, Vec};

use crate::Error;

#[contracttype]
#[derive(Clone)]
enum DataKey {
    Config,
    Reporter,
    Paused,
    Assets,
    Last(Asset),
    History(Asset),
}

/// The feed's configuration, fixed at construction.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct FeedConfig {
    pub base: Asset,
    pub decimals: u32,
    pub resolution: u32,
    pub history: u32,
}

pub fn config(env: &Env) -> FeedConfig {
    env.storage()
        .instance()
        .get(&DataKey::Config)
        .unwrap_or_else(|| panic_with_error!(env, Error::NotInitialized))
}

pub fn set_config(env: &Env, config: &FeedConfig) {
    env.storage().instance().set(&DataKey::Config, config);
}

pub fn reporter(env: &Env) -> Address {
    env.storage()
        .instance()
        .get(&DataKey::Reporter)
        .unwrap_or_else(|| panic_with_error!(env, Error::NotInitialized))
}

pub fn set_reporter(env: &Env, reporter: &Address) {
    env.storage().instance().set(&DataKey::Reporter, reporter);
}

pub fn paused(env: &Env) -> bool {
    env.storage()
        .instance()
        .get(&DataKey::Paused)
        .unwrap_or(false)
}

pub fn set_paused(env: &Env, paused: bool) {
    env.storage().instance().set(&DataKey::Paused, &paused);
}

pub fn assets(env: &Env) -> Vec<Asset> {
    env.storage()
        .persistent()
        .get(&DataKey::Assets)
        .unwrap_or_else(|| Vec::new(env))
}

pub fn set_assets(env: &Env, assets: &Vec<Asset>) {
    let key = DataKey::Assets;
    env.storage().persistent().set(&key, assets);
    ttl::extend_persistent(env, &key);
}

pub fn last(env: &Env, asset: &Asset) -> Option<PriceData> {
    env.storage()
        .persistent()
        .get(&DataKey::Last(asset.clone()))
}

pub fn set_last(env: &Env, asset: &Asset, record: &PriceData) {
    let key = DataKey::Last(asset.clone());
    env.storage().persistent().set(&key, record);
    ttl::extend_persistent(env, &key);
}

/// The asset's records, newest first; `None` when the asset is not quoted.
pub fn history(env: &Env, asset: &Asset) -> Option<Vec<PriceData>> {
    env.storage()
        .persistent()
        .get(&DataKey::History(asset.clone()))
}

pub fn set_history(env: &Env, asset: &Asset, records: &Vec<PriceData>) {
    let key = DataKey::History(asset.clone());
    env.storage().persistent().set(&key, records);
    ttl::extend_persistent(env, &key);
}

//! Storage layout.
//!
//! - Instance (loaded with the contract on every call, so kept small): the adapter's own
//!   [`Settings`] and the governance roles.
//! - Persistent, per asset:
//!   - the asset's address itself: its [`PriceState`] packed in 90 bytes ([`crate::codec`]), the
//!     only entry the `quotes` hot path reads;
//!   - [`DataKey::Source`]: the applied [`Source`], read only when the feeds are pulled.
//! - Persistent, one entry: [`DataKey::Assets`], the assets with a source (for SEP-40 `assets`).
//!
//! TTLs follow `governance::ttl`. Every write path extends what it touches; the cache hit path
//! extends nothing: a cached quote is valid for at most one feed resolution after the pull that
//! wrote it (and extended its entry and the instance to 30 days), so a hit never finds an entry
//! near archival, and `quotes` stays a read-only call.

use soroban_sdk::{contracttype, Address, BytesN, Env, Vec};

use governance::ttl;

use crate::codec;
use crate::types::{PriceState, Source};

#[contracttype]
#[derive(Clone)]
pub enum DataKey {
    Settings,
    Source(Address),
    Assets,
}

/// The adapter's SEP-40 identity, set by the constructor.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Settings {
    /// The asset prices are quoted in (USD).
    pub base: sep40::Asset,
    /// Decimals of every price the adapter returns.
    pub decimals: u32,
    /// Reported SEP-40 resolution, seconds.
    pub resolution: u32,
}

pub fn settings(env: &Env) -> Settings {
    // Written by the constructor, which every deployed instance ran.
    env.storage()
        .instance()
        .get(&DataKey::Settings)
        .unwrap_or_else(|| soroban_sdk::panic_with_error!(env, crate::error::Error::NotInitialized))
}

pub fn set_settings(env: &Env, settings: &Settings) {
    env.storage().instance().set(&DataKey::Settings, settings);
}

pub fn source(env: &Env, asset: &Address) -> Option<Source> {
    env.storage()
        .persistent()
        .get(&DataKey::Source(asset.clone()))
}

/// Reads a source for the pull path and keeps it funded.
pub fn source_for_pull(env: &Env, asset: &Address) -> Option<Source> {
    let key = DataKey::Source(asset.clone());
    let source = env.storage().persistent().get(&key)?;
    ttl::extend_persistent(env, &key);
    Some(source)
}

pub fn set_source(env: &Env, asset: &Address, source: &Source) {
    let key = DataKey::Source(asset.clone());
    env.storage().persistent().set(&key, source);
    ttl::extend_persistent(env, &key);
}

/// The asset's price state. Keyed by the asset address itself (no enum wrapper to build and
/// serialise on the hot path); no other key of this contract is a bare address.
pub fn price_state(env: &Env, asset: &Address) -> Option<PriceState> {
    let stored: BytesN<{ codec::LEN }> = env.storage().persistent().get(asset)?;
    let mut bytes = [0u8; codec::LEN];
    stored.copy_into_slice(&mut bytes);
    codec::decode(&bytes)
}

pub fn set_price_state(env: &Env, asset: &Address, state: &PriceState) {
    let stored = BytesN::from_array(env, &codec::encode(state));
    env.storage().persistent().set(asset, &stored);
    ttl::extend_persistent(env, asset);
}

pub fn assets(env: &Env) -> Vec<Address> {
    env.storage()
        .persistent()
        .get(&DataKey::Assets)
        .unwrap_or_else(|| Vec::new(env))
}

/// Adds `asset` to the list of assets with a source, once.
pub fn add_asset(env: &Env, asset: &Address) {
    let mut list = assets(env);
    if !list.contains(asset) {
        list.push_back(asset.clone());
        env.storage().persistent().set(&DataKey::Assets, &list);
    }
    ttl::extend_persistent(env, &DataKey::Assets);
}

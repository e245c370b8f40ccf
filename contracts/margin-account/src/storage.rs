//! Storage layout (SPEC §10) and TTL policy.
//!
//! | key | storage | value | read by |
//! |---|---|---|---|
//! | `Adapter`, `PriceDecimals` | instance | `Address`, `u32` | calls that price |
//! | `MaxPositions`, `RampDuration`, `SyncInterval` | instance | `u32`, `u64`, `u64` | see [`crate::types::Params`] |
//! | `Liquidator` | instance | `Address` | the liquidator seam |
//! | `QuoteCache` | instance | `bool`: the adapter announces quote changes | calls that price |
//! | `"quotes"` (symbol) | temporary | `Bytes`: 64 bytes per registry slot ([`crate::quote_cache`]) | calls that price |
//! | `Assets` | persistent | `Vec<Address>`: the registry, index → asset | listing, `assets` |
//! | `Venue(venue)` | persistent | `bool`: listed | `trade` |
//! | `asset` (the address itself) | persistent | `Bytes`: [`AssetRecord`], fixed layout | every call on the asset, health checks |
//! | `Vault(asset)` | persistent | `Address`: the asset's vault, fixed at listing | calls that move tokens |
//! | `Config(asset)` | persistent | [`AssetConfig`] as applied | `asset_config`, `apply_asset` |
//! | `Account(owner, id)` | persistent | `(Vec<Address>, Bytes)`: the assets, 20 bytes per position | calls on the account |
//! | `Owner(owner)` | persistent | `Vec<u32>`: the owner's account ids | `accounts` |
//!
//! An asset's record is keyed by the asset's address alone (no other entry is keyed by a bare
//! address): the health check reads one per position, and an enum key would cost a vector
//! built and serialised per read.
//!
//! Instance storage is read by every call, so it holds only small scalars; the registry and the
//! venues, which grow with listings, are persistent entries read by the calls that need them.
//!
//! One persistent entry per account, holding every position as `(asset index: u32, shares:
//! i128)` little-endian plus the assets' addresses in the same order (the health check's
//! `quotes` argument as is): a health check of `n` positions reads one account entry and `n`
//! asset records, and decodes each with one host copy. Entries written by a call have their TTL
//! extended (`governance::ttl`); asset records (and their vault entries) are rewritten, so
//! extended, by every call that moves tokens through their vault and by `sync`, which keepers
//! run for idle assets. Entries read but rarely written are extended where they are read: a
//! venue by `trade`, the pair's configs by `liquidation_view`, and the registry and the configs
//! of the synced assets by `sync`. Other views extend nothing.

use governance::ttl;
use soroban_sdk::{contracttype, Address, Bytes, Env, Vec};

use crate::record::AssetRecord;
use crate::types::AssetConfig;
use crate::Error;

#[contracttype]
#[derive(Clone)]
enum Key {
    Adapter,
    PriceDecimals,
    MaxPositions,
    RampDuration,
    SyncInterval,
    Assets,
    Liquidator,
    QuoteCache,
    Venue(Address),
    Vault(Address),
    Config(Address),
    Account(Address, u32),
    Owner(Address),
}

fn instance_get<V: soroban_sdk::TryFromVal<Env, soroban_sdk::Val>>(
    env: &Env,
    key: &Key,
) -> Result<V, Error> {
    env.storage()
        .instance()
        .get(key)
        .ok_or(Error::NotInitialized)
}

pub fn adapter(env: &Env) -> Result<Address, Error> {
    instance_get(env, &Key::Adapter)
}

pub fn price_decimals(env: &Env) -> Result<u32, Error> {
    instance_get(env, &Key::PriceDecimals)
}

pub fn set_oracle(env: &Env, adapter: &Address, decimals: u32) {
    let s = env.storage().instance();
    s.set(&Key::Adapter, adapter);
    s.set(&Key::PriceDecimals, &decimals);
}

pub fn max_positions(env: &Env) -> Result<u32, Error> {
    instance_get(env, &Key::MaxPositions)
}

pub fn ramp_duration(env: &Env) -> Result<u64, Error> {
    instance_get(env, &Key::RampDuration)
}

pub fn sync_interval(env: &Env) -> Result<u64, Error> {
    instance_get(env, &Key::SyncInterval)
}

pub fn set_params(env: &Env, params: &crate::types::Params) {
    let s = env.storage().instance();
    s.set(&Key::MaxPositions, &params.max_positions);
    s.set(&Key::RampDuration, &params.ramp_duration);
    s.set(&Key::SyncInterval, &params.sync_interval);
}

pub fn assets(env: &Env) -> Vec<Address> {
    env.storage()
        .persistent()
        .get(&Key::Assets)
        .unwrap_or_else(|| Vec::new(env))
}

pub fn set_assets(env: &Env, assets: &Vec<Address>) {
    env.storage().persistent().set(&Key::Assets, assets);
    ttl::extend_persistent(env, &Key::Assets);
}

pub fn liquidator(env: &Env) -> Option<Address> {
    env.storage().instance().get(&Key::Liquidator)
}

pub fn set_liquidator(env: &Env, liquidator: &Address) {
    env.storage().instance().set(&Key::Liquidator, liquidator);
}

/// Whether the adapter announces quote changes to this contract (see [`crate::quote_cache`]).
pub fn quote_cache_enabled(env: &Env) -> bool {
    env.storage().instance().has(&Key::QuoteCache)
}

pub fn enable_quote_cache(env: &Env) {
    env.storage().instance().set(&Key::QuoteCache, &true);
}

pub fn venue_listed(env: &Env, venue: &Address) -> bool {
    env.storage()
        .persistent()
        .get(&Key::Venue(venue.clone()))
        .unwrap_or(false)
}

/// Extends a venue listing's TTL (`trade` reads it without writing it).
pub fn touch_venue(env: &Env, venue: &Address) {
    ttl::extend_persistent(env, &Key::Venue(venue.clone()));
}

/// Extends the registry's and an asset's config TTLs (entries read, rarely written: `sync`,
/// which keepers run, and `liquidation_view` keep them live).
pub fn touch_config(env: &Env, asset: &Address) {
    ttl::extend_persistent(env, &Key::Config(asset.clone()));
}

/// Extends the registry's TTL.
pub fn touch_assets(env: &Env) {
    ttl::extend_persistent(env, &Key::Assets);
}

pub fn set_venue(env: &Env, venue: &Address, listed: bool) {
    let key = Key::Venue(venue.clone());
    env.storage().persistent().set(&key, &listed);
    ttl::extend_persistent(env, &key);
}

/// The asset's vault and record.
///
/// # Errors
/// [`Error::UnknownAsset`] - the asset is not listed.
pub fn record(env: &Env, asset: &Address) -> Result<(Address, AssetRecord), Error> {
    let rec = AssetRecord::decode(&record_bytes(env, asset)?)?;
    let vault = env
        .storage()
        .persistent()
        .get(&Key::Vault(asset.clone()))
        .ok_or(Error::UnknownAsset)?;
    Ok((vault, rec))
}

/// The asset's encoded record alone: what the health check reads per position.
///
/// # Errors
/// [`Error::UnknownAsset`] - the asset is not listed.
pub fn record_bytes(env: &Env, asset: &Address) -> Result<Bytes, Error> {
    env.storage()
        .persistent()
        .get(asset)
        .ok_or(Error::UnknownAsset)
}

/// Writes the asset's record and extends it and its vault entry.
pub fn set_record(env: &Env, asset: &Address, record: &AssetRecord) {
    env.storage().persistent().set(asset, &record.encode(env));
    ttl::extend_persistent(env, asset);
    ttl::extend_persistent(env, &Key::Vault(asset.clone()));
}

/// Records the asset's vault (at listing; it never changes).
pub fn set_vault(env: &Env, asset: &Address, vault: &Address) {
    env.storage()
        .persistent()
        .set(&Key::Vault(asset.clone()), vault);
}

pub fn config(env: &Env, asset: &Address) -> Option<AssetConfig> {
    env.storage().persistent().get(&Key::Config(asset.clone()))
}

pub fn set_config(env: &Env, asset: &Address, config: &AssetConfig) {
    let key = Key::Config(asset.clone());
    env.storage().persistent().set(&key, config);
    ttl::extend_persistent(env, &key);
}

/// The account's encoded positions (assets, shares), if the account exists.
pub fn account(env: &Env, owner: &Address, id: u32) -> Option<(Vec<Address>, Bytes)> {
    env.storage()
        .persistent()
        .get(&Key::Account(owner.clone(), id))
}

pub fn set_account(env: &Env, owner: &Address, id: u32, positions: &(Vec<Address>, Bytes)) {
    let key = Key::Account(owner.clone(), id);
    env.storage().persistent().set(&key, positions);
    ttl::extend_persistent(env, &key);
}

/// Extends the account entry's TTL (a call that read it without changing it).
pub fn touch_account(env: &Env, owner: &Address, id: u32) {
    ttl::extend_persistent(env, &Key::Account(owner.clone(), id));
}

pub fn owner_accounts(env: &Env, owner: &Address) -> Vec<u32> {
    env.storage()
        .persistent()
        .get(&Key::Owner(owner.clone()))
        .unwrap_or_else(|| Vec::new(env))
}

pub fn set_owner_accounts(env: &Env, owner: &Address, ids: &Vec<u32>) {
    let key = Key::Owner(owner.clone());
    env.storage().persistent().set(&key, ids);
    ttl::extend_persistent(env, &key);
}

//! Storage layout (SPEC §10) and TTL policy.
//!
//! | key | storage | value | read by |
//! |---|---|---|---|
//! | `Adapter`, `PriceDec` | instance | `Address`, `u32` | calls that price |
//! | `MaxPos`, `RampDur`, `SyncEvery` | instance | `u32`, `u64`, `u64` | see [`crate::types::Params`] |
//! | `Liquidatr` | instance | `Address` | the liquidator seam |
//! | `QuoteSub` | instance | `bool`: the adapter announces quote changes | calls that price |
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
use soroban_sdk::unwrap::UnwrapInfallible;
use soroban_sdk::{symbol_short, vec, Address, Bytes, Env, Symbol, TryFromVal, Val, Vec};

use crate::record::AssetRecord;
use crate::types::AssetConfig;
use crate::Error;

// The storage keys. Unit keys are bare symbols; keyed ones are `[symbol, fields..]` vectors (the
// `#[contracttype]` encoding), each built by its own function: a derived key enum converts
// through one function over every variant, which the VM charges whole on every key (~2.5k
// fuel, ~10k CPU instructions).
const ADAPTER: Symbol = symbol_short!("Adapter");
const PRICE_DECIMALS: Symbol = symbol_short!("PriceDec");
const MAX_POSITIONS: Symbol = symbol_short!("MaxPos");
const RAMP_DURATION: Symbol = symbol_short!("RampDur");
const SYNC_INTERVAL: Symbol = symbol_short!("SyncEvery");
const ASSETS: Symbol = symbol_short!("Assets");
const LIQUIDATOR: Symbol = symbol_short!("Liquidatr");
const QUOTE_CACHE: Symbol = symbol_short!("QuoteSub");

/// `[name, a]`.
#[inline(never)]
fn keyed(env: &Env, name: Symbol, a: &Address) -> Val {
    vec![env, name.to_val(), a.to_val()].to_val()
}

/// `Venue(venue)`.
fn venue_key(env: &Env, venue: &Address) -> Val {
    keyed(env, symbol_short!("Venue"), venue)
}

/// `Vault(asset)`.
fn vault_key(env: &Env, asset: &Address) -> Val {
    keyed(env, symbol_short!("Vault"), asset)
}

/// `Config(asset)`.
fn config_key(env: &Env, asset: &Address) -> Val {
    keyed(env, symbol_short!("Config"), asset)
}

/// `Owner(owner)`.
fn owner_key(env: &Env, owner: &Address) -> Val {
    keyed(env, symbol_short!("Owner"), owner)
}

/// `Account(owner, id)`.
fn account_key(env: &Env, owner: &Address, id: u32) -> Val {
    vec![
        env,
        symbol_short!("Account").to_val(),
        owner.to_val(),
        Val::from_u32(id).to_val(),
    ]
    .to_val()
}

fn instance_get<V: soroban_sdk::TryFromVal<Env, soroban_sdk::Val>>(
    env: &Env,
    key: &Symbol,
) -> Result<V, Error> {
    env.storage()
        .instance()
        .get(key)
        .ok_or(Error::NotInitialized)
}

pub fn adapter(env: &Env) -> Result<Address, Error> {
    instance_get(env, &ADAPTER)
}

pub fn price_decimals(env: &Env) -> Result<u32, Error> {
    instance_get(env, &PRICE_DECIMALS)
}

pub fn set_oracle(env: &Env, adapter: &Address, decimals: u32) {
    let s = env.storage().instance();
    s.set(&ADAPTER, adapter);
    s.set(&PRICE_DECIMALS, &decimals);
}

pub fn max_positions(env: &Env) -> Result<u32, Error> {
    instance_get(env, &MAX_POSITIONS)
}

pub fn ramp_duration(env: &Env) -> Result<u64, Error> {
    instance_get(env, &RAMP_DURATION)
}

pub fn sync_interval(env: &Env) -> Result<u64, Error> {
    instance_get(env, &SYNC_INTERVAL)
}

pub fn set_params(env: &Env, params: &crate::types::Params) {
    let s = env.storage().instance();
    s.set(&MAX_POSITIONS, &params.max_positions);
    s.set(&RAMP_DURATION, &params.ramp_duration);
    s.set(&SYNC_INTERVAL, &params.sync_interval);
}

pub fn assets(env: &Env) -> Vec<Address> {
    env.storage()
        .persistent()
        .get(&ASSETS)
        .unwrap_or_else(|| Vec::new(env))
}

pub fn set_assets(env: &Env, assets: &Vec<Address>) {
    env.storage().persistent().set(&ASSETS, assets);
    ttl::extend_persistent(env, &ASSETS);
}

pub fn liquidator(env: &Env) -> Option<Address> {
    env.storage().instance().get(&LIQUIDATOR)
}

pub fn set_liquidator(env: &Env, liquidator: &Address) {
    env.storage().instance().set(&LIQUIDATOR, liquidator);
}

/// Whether the adapter announces quote changes to this contract (see [`crate::quote_cache`]).
pub fn quote_cache_enabled(env: &Env) -> bool {
    env.storage().instance().has(&QUOTE_CACHE)
}

pub fn enable_quote_cache(env: &Env) {
    env.storage().instance().set(&QUOTE_CACHE, &true);
}

pub fn venue_listed(env: &Env, venue: &Address) -> bool {
    env.storage()
        .persistent()
        .get(&venue_key(env, venue))
        .unwrap_or(false)
}

/// Extends a venue listing's TTL (`trade` reads it without writing it).
pub fn touch_venue(env: &Env, venue: &Address) {
    ttl::extend_persistent(env, &venue_key(env, venue));
}

/// Extends the registry's and an asset's config TTLs (entries read, rarely written: `sync`,
/// which keepers run, and `liquidation_view` keep them live).
pub fn touch_config(env: &Env, asset: &Address) {
    ttl::extend_persistent(env, &config_key(env, asset));
}

/// Extends the registry's TTL.
pub fn touch_assets(env: &Env) {
    ttl::extend_persistent(env, &ASSETS);
}

pub fn set_venue(env: &Env, venue: &Address, listed: bool) {
    let key = venue_key(env, venue);
    env.storage().persistent().set(&key, &listed);
    ttl::extend_persistent(env, &key);
}

/// The asset's vault and record.
///
/// # Errors
/// [`Error::UnknownAsset`] - the asset is not listed.
pub fn record(env: &Env, asset: &Address) -> Result<(Address, AssetRecord), Error> {
    let rec = AssetRecord::decode(&record_bytes(env, asset)?)?;
    Ok((vault(env, asset)?, rec))
}

/// The asset's vault.
///
/// # Errors
/// [`Error::UnknownAsset`] - the asset is not listed.
pub fn vault(env: &Env, asset: &Address) -> Result<Address, Error> {
    env.storage()
        .persistent()
        .get(&vault_key(env, asset))
        .ok_or(Error::UnknownAsset)
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

/// The record of an asset an account holds, read without the SDK's presence check: `get` asks
/// the host `has` first, a second storage lookup (~4k CPU instructions per position of a health
/// check). An account holds positions only in listed assets, and a listed asset's record is
/// never removed, so the entry exists; an archived one fails the transaction either way.
pub fn held_record_bytes(env: &Env, asset: &Address) -> Result<Bytes, Error> {
    use soroban_env_common::{Env as _, StorageType};
    let val = env
        .get_contract_data(asset.to_val(), StorageType::Persistent)
        .unwrap_infallible();
    Bytes::try_from_val(env, &val).map_err(|_| Error::ValueMismatch)
}

/// Writes the asset's record and extends it and its vault entry.
pub fn set_record(env: &Env, asset: &Address, record: &AssetRecord) {
    env.storage().persistent().set(asset, &record.encode(env));
    ttl::extend_persistent(env, asset);
    ttl::extend_persistent(env, &vault_key(env, asset));
}

/// Records the asset's vault (at listing; it never changes).
pub fn set_vault(env: &Env, asset: &Address, vault: &Address) {
    env.storage()
        .persistent()
        .set(&vault_key(env, asset), vault);
}

pub fn config(env: &Env, asset: &Address) -> Option<AssetConfig> {
    env.storage().persistent().get(&config_key(env, asset))
}

pub fn set_config(env: &Env, asset: &Address, config: &AssetConfig) {
    let key = config_key(env, asset);
    env.storage().persistent().set(&key, config);
    ttl::extend_persistent(env, &key);
}

/// The account's encoded positions (assets, shares), if the account exists.
pub fn account(env: &Env, owner: &Address, id: u32) -> Option<(Vec<Address>, Bytes)> {
    env.storage().persistent().get(&account_key(env, owner, id))
}

pub fn set_account(env: &Env, owner: &Address, id: u32, positions: &(Vec<Address>, Bytes)) {
    let key = account_key(env, owner, id);
    env.storage().persistent().set(&key, positions);
    ttl::extend_persistent(env, &key);
}

/// Extends the account entry's TTL (a call that read it without changing it).
pub fn touch_account(env: &Env, owner: &Address, id: u32) {
    ttl::extend_persistent(env, &account_key(env, owner, id));
}

pub fn owner_accounts(env: &Env, owner: &Address) -> Vec<u32> {
    env.storage()
        .persistent()
        .get(&owner_key(env, owner))
        .unwrap_or_else(|| Vec::new(env))
}

pub fn set_owner_accounts(env: &Env, owner: &Address, ids: &Vec<u32>) {
    let key = owner_key(env, owner);
    env.storage().persistent().set(&key, ids);
    ttl::extend_persistent(env, &key);
}

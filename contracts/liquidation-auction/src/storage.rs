//! Storage layout (SPEC §10). Config and the global totals in instance storage (small scalars and
//! the params struct); every auction, account index, per-asset total and insurance balance in its
//! own persistent entry — never temporary: an expired auction would lose escrowed collateral.
//! Entries are extended to `governance::ttl::PERSISTENT_BUMP_AMOUNT` (30 days) whenever read by a
//! state-changing call or written; views extend nothing.
//!
//! | key | storage | value |
//! |---|---|---|
//! | `Margin`, `Adapter` | instance | `Address` |
//! | `Params` | instance | [`AuctionParams`] |
//! | `Stopped`, `NextId`, `TotalDebt` | instance | `u32`, `u64`, `i128` (7-decimal value) |
//! | `Auction(auction_id)` | persistent | [`Auction`] |
//! | `Account(owner, id)` | persistent | `Vec<u64>`: the account's live auctions |
//! | `AssetDebt(collateral)` | persistent | `i128`: debt value under auction (7 decimals) |
//! | `Insurance(asset)` | persistent | `i128`: the insurance fund (base units) |

use governance::ttl;
use soroban_sdk::{contracttype, Address, Env, Vec};

use crate::types::{Auction, AuctionParams};
use crate::Error;

#[contracttype]
#[derive(Clone)]
enum Key {
    Margin,
    Adapter,
    Params,
    Stopped,
    NextId,
    TotalDebt,
    Auction(u64),
    Account(Address, u32),
    AssetDebt(Address),
    Insurance(Address),
}

fn instance<V: soroban_sdk::TryFromVal<Env, soroban_sdk::Val>>(
    env: &Env,
    key: &Key,
) -> Result<V, Error> {
    env.storage()
        .instance()
        .get(key)
        .ok_or(Error::NotInitialized)
}

fn persistent<V: soroban_sdk::TryFromVal<Env, soroban_sdk::Val>>(
    env: &Env,
    key: &Key,
    extend: bool,
) -> Option<V> {
    let v = env.storage().persistent().get(key);
    if extend && v.is_some() {
        ttl::extend_persistent(env, key);
    }
    v
}

fn put<V: soroban_sdk::IntoVal<Env, soroban_sdk::Val>>(env: &Env, key: &Key, value: &V) {
    env.storage().persistent().set(key, value);
    ttl::extend_persistent(env, key);
}

pub fn init(env: &Env, margin: &Address, adapter: &Address, params: &AuctionParams) {
    let s = env.storage().instance();
    s.set(&Key::Margin, margin);
    s.set(&Key::Adapter, adapter);
    s.set(&Key::Params, params);
    s.set(&Key::Stopped, &0u32);
    s.set(&Key::NextId, &0u64);
    s.set(&Key::TotalDebt, &0i128);
}

pub fn margin(env: &Env) -> Result<Address, Error> {
    instance(env, &Key::Margin)
}

pub fn adapter(env: &Env) -> Result<Address, Error> {
    instance(env, &Key::Adapter)
}

pub fn params(env: &Env) -> Result<AuctionParams, Error> {
    instance(env, &Key::Params)
}

pub fn set_params(env: &Env, params: &AuctionParams) {
    env.storage().instance().set(&Key::Params, params);
}

pub fn stopped(env: &Env) -> u32 {
    env.storage().instance().get(&Key::Stopped).unwrap_or(0)
}

pub fn set_stopped(env: &Env, level: u32) {
    env.storage().instance().set(&Key::Stopped, &level);
}

/// A fresh auction id.
pub fn next_id(env: &Env) -> Result<u64, Error> {
    let id: u64 = instance(env, &Key::NextId)?;
    let next = id.checked_add(1).ok_or(Error::Overflow)?;
    env.storage().instance().set(&Key::NextId, &next);
    Ok(id)
}

pub fn total_debt(env: &Env) -> i128 {
    env.storage().instance().get(&Key::TotalDebt).unwrap_or(0)
}

pub fn asset_debt(env: &Env, collateral: &Address) -> i128 {
    persistent(env, &Key::AssetDebt(collateral.clone()), false).unwrap_or(0)
}

/// Adds `delta` (signed, 7-decimal value) to the global and the collateral asset's totals.
pub fn add_cap_value(env: &Env, collateral: &Address, delta: i128) -> Result<(), Error> {
    let total = total_debt(env).checked_add(delta).ok_or(Error::Overflow)?;
    env.storage().instance().set(&Key::TotalDebt, &total.max(0));
    let key = Key::AssetDebt(collateral.clone());
    let asset = asset_debt(env, collateral)
        .checked_add(delta)
        .ok_or(Error::Overflow)?;
    put(env, &key, &asset.max(0));
    Ok(())
}

/// The auction, extended when `extend`.
pub fn auction(env: &Env, auction_id: u64, extend: bool) -> Result<Auction, Error> {
    persistent(env, &Key::Auction(auction_id), extend).ok_or(Error::UnknownAuction)
}

pub fn set_auction(env: &Env, auction_id: u64, auction: &Auction) {
    put(env, &Key::Auction(auction_id), auction);
}

pub fn remove_auction(env: &Env, auction_id: u64) {
    env.storage().persistent().remove(&Key::Auction(auction_id));
}

pub fn account_auctions(env: &Env, owner: &Address, id: u32, extend: bool) -> Vec<u64> {
    persistent(env, &Key::Account(owner.clone(), id), extend).unwrap_or_else(|| Vec::new(env))
}

pub fn set_account_auctions(env: &Env, owner: &Address, id: u32, ids: &Vec<u64>) {
    let key = Key::Account(owner.clone(), id);
    if ids.is_empty() {
        env.storage().persistent().remove(&key);
    } else {
        put(env, &key, ids);
    }
}

pub fn insurance(env: &Env, asset: &Address) -> i128 {
    persistent(env, &Key::Insurance(asset.clone()), false).unwrap_or(0)
}

pub fn set_insurance(env: &Env, asset: &Address, amount: i128) {
    put(env, &Key::Insurance(asset.clone()), &amount);
}

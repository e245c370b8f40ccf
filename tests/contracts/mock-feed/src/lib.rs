//! # mock-feed — TEST ONLY, NEVER DEPLOY
//!
//! A SEP-40 price feed for oracle-adapter's tests, which need a feed that misbehaves on demand.
//! Anyone may set anything, with no auth and no checks: records with zero or negative prices,
//! timestamps in the future, any `decimals` (0–18 and beyond) and any `resolution`, and a switch
//! that makes every read fail with [`MockFeedError::Failing`]. Deployed on a network it would be
//! a price anyone can set; the project's real feed is `contracts/price-feed`.
//!
//! Records are kept newest first, as SEP-40 `prices` returns them, one persistent entry per
//! asset (so a pull through this feed costs what a pull through a real feed does).
#![no_std]

use sep40::{Asset, PriceData};
use soroban_sdk::{contract, contracterror, contractimpl, contracttype, Env, Vec};

/// Test-only code, outside the protocol's error registry ranges.
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq)]
#[repr(u32)]
pub enum MockFeedError {
    /// The feed was switched to fail (`set_failing(true)`).
    Failing = 990,
}

#[contracttype]
#[derive(Clone)]
enum Key {
    Base,
    Decimals,
    Resolution,
    Failing,
    Records(Asset),
}

#[contract]
pub struct MockFeed;

fn ok_unless_failing(env: &Env) -> Result<(), MockFeedError> {
    if env.storage().instance().get(&Key::Failing).unwrap_or(false) {
        return Err(MockFeedError::Failing);
    }
    Ok(())
}

fn stored(env: &Env, asset: &Asset) -> Option<Vec<PriceData>> {
    env.storage().persistent().get(&Key::Records(asset.clone()))
}

#[contractimpl]
impl MockFeed {
    pub fn __constructor(env: Env, base: Asset, decimals: u32, resolution: u32) {
        let instance = env.storage().instance();
        instance.set(&Key::Base, &base);
        instance.set(&Key::Decimals, &decimals);
        instance.set(&Key::Resolution, &resolution);
    }

    /// Makes every read fail (`true`) or work again (`false`).
    pub fn set_failing(env: Env, failing: bool) {
        env.storage().instance().set(&Key::Failing, &failing);
    }

    pub fn set_decimals(env: Env, decimals: u32) {
        env.storage().instance().set(&Key::Decimals, &decimals);
    }

    pub fn set_resolution(env: Env, resolution: u32) {
        env.storage().instance().set(&Key::Resolution, &resolution);
    }

    /// Publishes a record as the newest one for `asset`, unchecked.
    pub fn push(env: Env, asset: Asset, price: i128, timestamp: u64) {
        let mut list = stored(&env, &asset).unwrap_or_else(|| Vec::new(&env));
        list.push_front(PriceData { price, timestamp });
        env.storage().persistent().set(&Key::Records(asset), &list);
    }

    /// Replaces the records of `asset` (newest first), unchecked.
    pub fn set_records(env: Env, asset: Asset, records: Vec<PriceData>) {
        env.storage()
            .persistent()
            .set(&Key::Records(asset), &records);
    }

    pub fn base(env: Env) -> Result<Asset, MockFeedError> {
        ok_unless_failing(&env)?;
        Ok(env
            .storage()
            .instance()
            .get(&Key::Base)
            .unwrap_or(Asset::Other(soroban_sdk::symbol_short!("USD"))))
    }

    pub fn assets(env: Env) -> Result<Vec<Asset>, MockFeedError> {
        ok_unless_failing(&env)?;
        Ok(Vec::new(&env))
    }

    pub fn decimals(env: Env) -> Result<u32, MockFeedError> {
        ok_unless_failing(&env)?;
        Ok(env.storage().instance().get(&Key::Decimals).unwrap_or(0))
    }

    pub fn resolution(env: Env) -> Result<u32, MockFeedError> {
        ok_unless_failing(&env)?;
        Ok(env.storage().instance().get(&Key::Resolution).unwrap_or(0))
    }

    /// The newest record at or before `timestamp`.
    pub fn price(
        env: Env,
        asset: Asset,
        timestamp: u64,
    ) -> Result<Option<PriceData>, MockFeedError> {
        ok_unless_failing(&env)?;
        Ok(stored(&env, &asset).and_then(|l| l.iter().find(|r| r.timestamp <= timestamp)))
    }

    /// The newest `records` records, newest first.
    pub fn prices(
        env: Env,
        asset: Asset,
        records: u32,
    ) -> Result<Option<Vec<PriceData>>, MockFeedError> {
        ok_unless_failing(&env)?;
        Ok(stored(&env, &asset).map(|l| l.slice(0..records.min(l.len()))))
    }

    pub fn lastprice(env: Env, asset: Asset) -> Result<Option<PriceData>, MockFeedError> {
        ok_unless_failing(&env)?;
        Ok(stored(&env, &asset).and_then(|l| l.first()))
    }
}

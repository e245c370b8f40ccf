//! The SEP-40 read interface. Views extend no TTL, so a consumer's read stays read-only.

use sep40::{Asset, PriceData, Sep40};
use soroban_sdk::{contractimpl, Env, Vec};

use super::{PriceFeed, PriceFeedArgs, PriceFeedClient};
use crate::{history, storage};

#[contractimpl]
impl Sep40 for PriceFeed {
    /// The asset prices are quoted in.
    fn base(env: Env) -> Asset {
        storage::config(&env).base
    }

    /// Every quoted asset, in the order added.
    fn assets(env: Env) -> Vec<Asset> {
        storage::assets(&env)
    }

    /// Decimals of every price.
    fn decimals(env: Env) -> u32 {
        storage::config(&env).decimals
    }

    /// Seconds between records.
    fn resolution(env: Env) -> u32 {
        storage::config(&env).resolution
    }

    /// The record at `timestamp` rounded down to the resolution; `None` when the asset is not
    /// quoted or has no record at that time (never published, or fallen out of the history).
    fn price(env: Env, asset: Asset, timestamp: u64) -> Option<PriceData> {
        let timestamp = history::round_down(timestamp, storage::config(&env).resolution);
        let last = storage::last(&env, &asset)?;
        if timestamp >= last.timestamp {
            // The newest record answers from the small entry; a later time has no record.
            return (timestamp == last.timestamp).then_some(last);
        }
        history::find(&storage::history(&env, &asset)?, timestamp)
    }

    /// The newest `records` records (fewer when fewer are kept), newest first; `None` when the
    /// asset is not quoted.
    fn prices(env: Env, asset: Asset, records: u32) -> Option<Vec<PriceData>> {
        storage::history(&env, &asset).map(|kept| history::newest(&kept, records))
    }

    /// The newest record; `None` when the asset is not quoted or has none yet.
    fn lastprice(env: Env, asset: Asset) -> Option<PriceData> {
        storage::last(&env, &asset)
    }
}

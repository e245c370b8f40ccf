//! Price feed events: with the governance crate's events they rebuild the whole feed off chain.

use sep40::Asset;
use soroban_sdk::{contractevent, Address, Vec};

/// The feed's fixed configuration, published by the constructor.
#[contractevent]
#[derive(Clone, Debug)]
pub struct FeedConfigured {
    pub reporter: Address,
    pub base: Asset,
    pub decimals: u32,
    pub resolution: u32,
    pub history: u32,
}

/// An asset is now quoted.
#[contractevent]
#[derive(Clone, Debug)]
pub struct AssetAdded {
    #[topic]
    pub asset: Asset,
}

/// The reporter published prices for `timestamp` (already rounded to the resolution).
#[contractevent]
#[derive(Clone, Debug)]
pub struct PricesSet {
    #[topic]
    pub timestamp: u64,
    pub updates: Vec<(Asset, i128)>,
}

/// A queued reporter change was applied.
#[contractevent]
#[derive(Clone, Debug)]
pub struct ReporterChanged {
    #[topic]
    pub old_reporter: Address,
    #[topic]
    pub new_reporter: Address,
}

/// The guardian stopped price updates.
#[contractevent]
#[derive(Clone, Debug)]
pub struct FeedPaused {
    pub guardian: Address,
}

/// The admin resumed price updates.
#[contractevent]
#[derive(Clone, Debug)]
pub struct FeedUnpaused {
    pub admin: Address,
}

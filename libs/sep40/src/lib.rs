//! The SEP-40 price feed interface (the one Reflector serves), shared by the project's price feed
//! contract, which implements it, and oracle-adapter, which reads feeds through it and answers
//! `lastprice` for its own spot.
//!
//! SEP-40 defines prices as `i128` in units of the feed's `base()` asset per one whole unit of the
//! quoted asset, scaled by `10^decimals()`, and timestamps as ledger seconds. A feed publishes at
//! most one record per `resolution()` seconds.
#![no_std]

use soroban_sdk::{contractclient, contracttype, Address, Env, Symbol, Vec};

/// An asset quoted by a feed: a Stellar asset by its contract address, or an off-chain symbol.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq, Ord, PartialOrd)]
pub enum Asset {
    Stellar(Address),
    Other(Symbol),
}

/// One price record.
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct PriceData {
    /// Base-asset units per whole quoted unit, scaled by `10^decimals()`.
    pub price: i128,
    /// Ledger timestamp (seconds) of the record.
    pub timestamp: u64,
}

/// The SEP-40 read interface.
#[contractclient(name = "Sep40Client")]
pub trait Sep40 {
    /// The asset prices are quoted in.
    fn base(env: Env) -> Asset;
    /// Every asset the feed quotes.
    fn assets(env: Env) -> Vec<Asset>;
    /// Decimals of every price.
    fn decimals(env: Env) -> u32;
    /// Seconds between records.
    fn resolution(env: Env) -> u32;
    /// The record at `timestamp` (rounded down to the resolution), if any.
    fn price(env: Env, asset: Asset, timestamp: u64) -> Option<PriceData>;
    /// The last `records` records, newest first, if the asset is quoted.
    fn prices(env: Env, asset: Asset, records: u32) -> Option<Vec<PriceData>>;
    /// The newest record, if any.
    fn lastprice(env: Env, asset: Asset) -> Option<PriceData>;
}

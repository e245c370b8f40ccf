//! # price-feed
//!
//! A SEP-40 price feed (Reflector's read interface) whose prices are pushed by one `reporter`.
//! The protocol ships it for local runs, the simulator and testnet, where no Reflector feed
//! quotes the assets; oracle-adapter reads it like any other feed.
//!
//! Who calls it:
//! - the **reporter**: `set_prices(updates, timestamp)`;
//! - **governance** (admin): `add_assets`, `queue_reporter` / `cancel_reporter`, `unpause`, and
//!   the `Governed` entry points (admin transfer, guardian, delay, wasm upgrade);
//! - the **guardian**: `pause` (stops updates at once: consumers see the feed go stale);
//! - **anyone**: the SEP-40 reads `base`, `assets`, `decimals`, `resolution`, `lastprice`,
//!   `price`, `prices`, and every `apply_*` once its timelock has run.
//!
//! Risk choices: changing the reporter is timelocked (the reporter decides every price); adding
//! an asset is not (it affects no one until an oracle-adapter source, itself timelocked, reads
//! it). Assets are never removed. The configuration (base, decimals, resolution, history) is
//! fixed at construction: consumers normalise decimals once.
//!
//! Invariants:
//! - every record has a positive price and a timestamp that is a multiple of the resolution and
//!   not after the ledger time it was published at;
//! - an asset's records have strictly increasing timestamps; at most `history` are kept;
//! - `lastprice(asset)` is the newest of `prices(asset, n)`;
//! - a failed call changes nothing.
#![no_std]

mod contract;
mod error;
mod events;
mod history;
mod storage;

pub use contract::{PriceFeed, PriceFeedArgs, PriceFeedClient, KIND_REPORTER};
pub use error::Error;
pub use events::*;
pub use storage::FeedConfig;

/// Largest `history`: a full history (64 records of ~80 bytes) stays a ~5 KB entry, read in one
/// go by `prices` and rewritten by each update of the asset.
pub const MAX_HISTORY: u32 = 64;
/// Most assets one feed quotes (bounds the `assets()` entry and `add_assets` loop).
pub const MAX_ASSETS: u32 = 64;
/// Largest `decimals`: 18 keeps any realistic price far from `i128` overflow in consumers.
pub const MAX_DECIMALS: u32 = 18;

//! # oracle-adapter
//!
//! Turns SEP-40 price feeds (Reflector's interface) into prices the protocol can trust
//! (SPEC §4). Called by margin-account and liquidation-auction (`quotes`), by keepers
//! (`refresh`), by governance (`queue_source` / `apply_source` / `cancel_source`, the `Governed`
//! entry points), by the guardian (`trip` / `clear`), and by anyone as a SEP-40 feed of its own
//! spot (`lastprice`, `decimals`, `base`, `resolution`, ...).
//!
//! ## Prices
//! Per asset (keyed by its token contract), one to three feeds. A feed's last record is used when
//! its price is positive, its timestamp not in the future and not older than `max_age`; a feed
//! call that fails is no price, never zero. Of the fresh feeds:
//! - `spot` = median (the mean of two, rounded down);
//! - no price when `(max - min) / min > max_deviation`;
//! - each feed's TWAP weights its last `twap_records` records by the time each stood (the newest
//!   one resolution), and the asset's TWAP is the median of the feeds' TWAPs;
//! - `low = floor(min(spot, twap) / r)`, `high = ceil(max(spot, twap) * r)` with the spread ratio
//!   `r = max / min >= 1` of the fresh feeds (7 decimals, rounded up): the band widens
//!   multiplicatively by the feeds' disagreement, stays positive, and is exactly
//!   `[min(spot, twap), max(spot, twap)]` with one feed. So `low <= spot <= high`.
//! - Feed prices are re-expressed at the adapter's `decimals()` (14 by default) rounding to
//!   nearest; a price that rounds to zero is no price.
//!
//! ## Cache
//! The last accepted quote of each asset is kept together with
//! `valid_until = min over feeds of (record timestamp + min(resolution, max_age + 1))`, in one
//! persistent entry for all assets (the book, see `storage`), so `quotes` reads storage once
//! whatever the number of assets. Feeds
//! publish at most one record per resolution, so until then every feed answers exactly what it
//! answered, no record turns stale, and the cached quote is exactly what a pull would compute.
//! When a configured feed was left out (stale, failing, ...) it may come back at any time, so
//! such a quote is not cached (`valid_until = 0`).
//!
//! ## `quotes_packed`
//! The quotes of `quotes` as one `Bytes`, for callers that would rather not decode a
//! `Vec<Quote>` (each `Quote` crosses as a host map): 64 bytes per asset, in the order asked,
//!
//! | bytes | field |
//! |---|---|
//! | 0..16 | `spot`, `i128` big-endian |
//! | 16..32 | `low`, `i128` big-endian |
//! | 32..48 | `high`, `i128` big-endian |
//! | 48..56 | `timestamp`, `u64` big-endian |
//! | 56..64 | `valid_until`, `u64` big-endian: before then the adapter would serve exactly this quote again (0: not reusable) |
//!
//! A caller may keep a copy until `valid_until` only as the registered subscriber
//! (`set_subscriber`, see `subscriber`): trips and source changes are announced to it.
//!
//! Same prices, same errors for the same first failing asset, same events and writes as
//! `quotes`. `risk_core::packed_quote::PackedQuote` decodes it without the host.
//!
//! ## Circuit breaker
//! See [`breaker`](crate::breaker) for the state machine and `pricing` for how `quotes` and
//! `refresh` share the work: `quotes` serves and caches accepted prices, `refresh` also persists
//! trips and confirmations and reports a status per asset.
//!
//! ## Invariants
//! - A quote is served only from fresh, agreeing feeds and a closed breaker.
//! - `low <= spot <= high`, all positive.
//! - Bad input and failed calls change nothing (Soroban rolls back a failed call).
#![no_std]

mod breaker;
mod codec;
mod contract;
mod error;
mod events;
mod feeds;
mod pricing;
mod source;
mod storage;
mod subscriber;
mod types;

#[cfg(test)]
mod test;

pub use contract::{OracleAdapter, OracleAdapterClient, KIND_SOURCE};
pub use error::Error;
pub use events::*;
pub use feeds::MAX_TWAP_RECORDS;
pub use source::{MAX_AGE_LIMIT, MAX_JUMP_CONFIRM};
pub use storage::Settings;
pub use subscriber::{SubscriberNotified, SubscriberSet};
pub use types::*;

//! The adapter's ABI types: source configuration, quotes, per-asset price state, refresh statuses.

use soroban_sdk::{contracttype, Address, Vec};

use crate::error::Error;

/// One SEP-40 feed of an asset: the feed contract and the feed's name for the asset.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Feed {
    pub contract: Address,
    pub asset: sep40::Asset,
}

/// A price source as governance queues it (`queue_source`).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct SourceConfig {
    /// One to three feeds; the spot is their median.
    pub feeds: Vec<Feed>,
    /// Seconds: a record older than this is stale.
    pub max_age: u64,
    /// Largest `(max - min) / min` between fresh feeds, 7 decimals (`10_000_000` = 1.0).
    pub max_deviation: i128,
    /// Records forming each feed's time-weighted average (0 = no TWAP).
    pub twap_records: u32,
    /// Largest relative move from the last accepted price per resolution interval, 7 decimals.
    pub max_jump: i128,
    /// Seconds a jumped price must hold across fresh records before the breaker accepts it.
    pub jump_confirm: u64,
}

/// A feed as applied: its `decimals()` and `resolution()` read once at `apply_source`.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct FeedInfo {
    pub contract: Address,
    pub asset: sep40::Asset,
    pub decimals: u32,
    pub resolution: u32,
}

/// A live source (what `apply_source` stored).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Source {
    pub feeds: Vec<FeedInfo>,
    pub max_age: u64,
    pub max_deviation: i128,
    pub twap_records: u32,
    pub max_jump: i128,
    pub jump_confirm: u64,
}

impl Source {
    /// The interval the jump allowance is counted in: the coarsest feed resolution, which gives
    /// the fewest intervals and so the strictest allowance.
    pub fn jump_resolution(&self) -> u64 {
        self.feeds
            .iter()
            .map(|f| u64::from(f.resolution))
            .max()
            .unwrap_or(1)
    }
}

/// A trusted price of one asset, in the adapter's `decimals()`, base currency per whole token.
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Quote {
    /// Median of the fresh feeds.
    pub spot: i128,
    /// Conservative low: `min(spot, twap)` divided by the feeds' spread ratio, rounded down.
    pub low: i128,
    /// Conservative high: `max(spot, twap)` times the feeds' spread ratio, rounded up.
    pub high: i128,
    /// The oldest record timestamp among the feeds used.
    pub timestamp: u64,
}

/// The pending level of a tripped breaker: the first jumped price and its record timestamp.
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct JumpPending {
    pub price: i128,
    pub since: u64,
}

/// An asset's circuit breaker.
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Breaker {
    /// Prices are accepted when within the jump allowance of the last accepted one.
    Closed,
    /// Cleared by the guardian or admin: the next fresh price is accepted without a jump check.
    Cleared,
    /// Tripped by the guardian or admin: no price until cleared.
    Manual,
    /// Tripped by a jump: no price until cleared, or until a level holds for `jump_confirm`.
    Jump(JumpPending),
}

/// What the adapter keeps per asset: the last accepted quote, the cache bound and the breaker.
/// Stored as one record of the book, the entry the `quotes` hot path reads (see `storage`).
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct PriceState {
    /// Last accepted spot; 0 until a price is accepted.
    pub spot: i128,
    pub low: i128,
    pub high: i128,
    /// Record timestamp of the last accepted quote.
    pub timestamp: u64,
    /// The cached quote is exactly what the feeds answer while `now < valid_until` (0: never).
    pub valid_until: u64,
    pub breaker: Breaker,
}

impl PriceState {
    /// A state with no accepted price yet.
    pub fn empty() -> Self {
        PriceState {
            spot: 0,
            low: 0,
            high: 0,
            timestamp: 0,
            valid_until: 0,
            breaker: Breaker::Closed,
        }
    }

    /// Whether a price was ever accepted.
    pub fn has_price(&self) -> bool {
        self.spot > 0
    }

    /// The cached quote.
    pub fn quote(&self) -> Quote {
        Quote {
            spot: self.spot,
            low: self.low,
            high: self.high,
            timestamp: self.timestamp,
        }
    }
}

/// The per-asset outcome of `refresh`. Failure statuses carry the same code as the [`Error`]
/// that `quotes` would return for the asset.
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[repr(u32)]
pub enum RefreshStatus {
    /// A new price was accepted and cached.
    Accepted = 0,
    /// The cached quote is still exact; nothing was read from the feeds.
    Unchanged = 1,
    /// A jump tripped the breaker.
    Tripped = 2,
    /// The breaker is open by a jump; the pending level is being confirmed (or restarted).
    Pending = 3,
    /// A jumped level held for `jump_confirm`: accepted, breaker closed.
    Confirmed = 4,
    NoSource = 100,
    Stale = 101,
    Deviation = 102,
    /// The guardian's breaker is open.
    CircuitOpen = 103,
    NoPrice = 104,
    InvalidPrice = 105,
    FutureTimestamp = 106,
    FeedFailed = 107,
    MathOverflow = 108,
}

impl From<Error> for RefreshStatus {
    fn from(e: Error) -> Self {
        match e {
            Error::NoSource => RefreshStatus::NoSource,
            Error::Stale => RefreshStatus::Stale,
            Error::Deviation => RefreshStatus::Deviation,
            Error::CircuitOpen => RefreshStatus::CircuitOpen,
            Error::NoPrice => RefreshStatus::NoPrice,
            Error::InvalidPrice => RefreshStatus::InvalidPrice,
            Error::FutureTimestamp => RefreshStatus::FutureTimestamp,
            Error::FeedFailed => RefreshStatus::FeedFailed,
            // The pull path raises only the reasons above and overflow.
            _ => RefreshStatus::MathOverflow,
        }
    }
}

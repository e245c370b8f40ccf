//! The adapter's errors: codes 100–199, plus mirrors of the governance errors its entry points
//! surface (same names and codes, see docs/ERRORS.md).

use risk_core::oracle::OracleMathError;
use soroban_sdk::contracterror;

/// Why the adapter refused a call or has no trusted price for an asset.
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Error {
    // --- no trusted price (quotes, refresh statuses) ---
    /// The asset has no applied source.
    NoSource = 100,
    /// No feed has a fresh record: the newest usable one is older than `max_age`.
    Stale = 101,
    /// The fresh feeds disagree by more than `max_deviation`.
    Deviation = 102,
    /// The asset's circuit breaker is open (a jump, or the guardian tripped it).
    CircuitOpen = 103,
    /// No feed has a record for the asset.
    NoPrice = 104,
    /// No feed has a usable price: each record is `<= 0` (or rounds to zero at the adapter's
    /// decimals).
    InvalidPrice = 105,
    /// No feed has a usable record: each is timestamped in the future.
    FutureTimestamp = 106,
    /// Every feed call failed (the feed errored, trapped or does not exist).
    FeedFailed = 107,
    /// A price computation overflowed.
    MathOverflow = 108,

    // --- source configuration ---
    /// Not one to three feeds, a feed listed twice, or the adapter itself as a feed.
    InvalidFeeds = 110,
    /// `max_age` is zero or above `MAX_AGE_LIMIT`.
    InvalidMaxAge = 111,
    /// `max_deviation` is outside `[0, 1.0]`.
    InvalidMaxDeviation = 112,
    /// `twap_records` is above `MAX_TWAP_RECORDS`.
    InvalidTwapRecords = 113,
    /// `max_jump` is outside `(0, 1.0]`.
    InvalidMaxJump = 114,
    /// `jump_confirm` is zero or above `MAX_JUMP_CONFIRM`.
    InvalidJumpConfirm = 115,
    /// A feed reports `decimals()` above 18.
    InvalidFeedDecimals = 116,
    /// A feed reports `resolution()` zero.
    InvalidFeedResolution = 117,

    // --- constructor ---
    /// The adapter's own decimals are above 18.
    InvalidDecimals = 120,
    /// The adapter's own resolution is zero.
    InvalidResolution = 121,

    // --- breaker ---
    /// The caller is neither the guardian nor the admin.
    Unauthorized = 130,
    /// `trip` on a breaker that is already open.
    BreakerAlreadyOpen = 131,
    /// `clear` on a breaker that is not open.
    BreakerNotOpen = 132,
    /// `set_subscriber` when a subscriber is already registered.
    SubscriberAlreadySet = 133,

    // --- mirrors of `GovernanceError` (same names and codes) ---
    NotInitialized = 500,
    AlreadyInitialized = 501,
    DelayTooShort = 502,
    DelayTooLong = 503,
    NotQueued = 504,
    AlreadyQueued = 505,
    TooEarly = 506,
    Expired = 507,
    ValueMismatch = 508,
    TimeOverflow = 509,
}

governance::mirror_governance_errors!(Error);

impl From<OracleMathError> for Error {
    /// The math only fails on inputs the adapter has already screened, except for overflow and
    /// prices that lose all precision; each maps to the reason a client can act on.
    fn from(e: OracleMathError) -> Self {
        match e {
            OracleMathError::Overflow => Error::MathOverflow,
            OracleMathError::NonPositive => Error::InvalidPrice,
            OracleMathError::Empty => Error::NoPrice,
            OracleMathError::OutOfRange => Error::InvalidFeedDecimals,
        }
    }
}

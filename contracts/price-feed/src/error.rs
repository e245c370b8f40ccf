use soroban_sdk::contracterror;

/// Errors of the price feed: its own in 600–649, and the governance errors it can surface
/// mirrored with the same names and codes (500–599, see docs/ERRORS.md).
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Error {
    // Mirrors of `governance::GovernanceError`.
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

    /// `resolution` is zero.
    InvalidResolution = 600,
    /// `history` is zero or above [`crate::MAX_HISTORY`].
    InvalidHistory = 601,
    /// `decimals` is above [`crate::MAX_DECIMALS`].
    InvalidDecimals = 602,
    /// The asset is not quoted by this feed.
    UnknownAsset = 603,
    /// The asset is already quoted (or listed twice in one call).
    AssetExists = 604,
    /// Adding the assets would exceed [`crate::MAX_ASSETS`].
    TooManyAssets = 605,
    /// A price is zero or negative.
    InvalidPrice = 606,
    /// The update's timestamp is after the ledger's.
    FutureTimestamp = 607,
    /// The update's (rounded) timestamp is not after the asset's last record.
    NotNewer = 608,
    /// The update or asset list is empty.
    NothingToDo = 609,
    /// The feed is paused by the guardian.
    Paused = 610,
}

governance::mirror_governance_errors!(Error);

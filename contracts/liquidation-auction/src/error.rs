//! liquidation-auction's typed errors: its own range 400–499, plus mirrors (same name, same
//! code) of the shared risk-core errors (1–99) and governance errors (500–599) it surfaces.

use soroban_sdk::contracterror;

#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Error {
    // Mirrors of `risk_core::RiskError`.
    Overflow = 1,
    DivisionByZero = 2,
    NegativeAmount = 3,
    InvalidDecimals = 4,
    InvalidPrice = 5,
    InvalidQuote = 6,
    InvalidWeight = 7,
    WeightOrder = 8,
    Underflow = 9,
    InvalidCurve = 10,
    EmptyTake = 11,
    DustRemainder = 12,
    TargetUnreachable = 13,

    // liquidation-auction's own range.
    /// A zero amount where a positive one is needed.
    ZeroAmount = 400,
    /// No live auction with this id.
    UnknownAuction = 401,
    /// The account's maint health is at least 1 (SPEC §12.3).
    Healthy = 402,
    /// The account has no debt in the debt asset.
    NoDebt = 403,
    /// The account has no collateral in the collateral asset.
    NoCollateral = 404,
    /// Collateral and debt asset are the same.
    SameAsset = 405,
    /// The account already has a live auction for this pair.
    AuctionLive = 406,
    /// The account is already at its liquidation target: nothing to cover.
    AtTarget = 407,
    /// The auction caps leave no room (SPEC §7.5).
    CapReached = 408,
    /// The guardian's `stopped` level forbids this call.
    Stopped = 409,
    /// The auction needs a reset before it can be taken.
    NeedsReset = 410,
    /// The auction does not need a reset.
    NotResettable = 411,
    /// `price(now)` is above the keeper's `max_price`.
    PriceAboveMax = 412,
    /// Invalid auction parameters.
    InvalidParams = 413,
    /// The account still holds collateral (or lots in escrow): not bad debt.
    NotBadDebt = 414,
    /// An invalid `stopped` level, or the guardian tried to loosen it.
    InvalidStopLevel = 415,
    /// The insurance fund holds less than the amount.
    InsufficientInsurance = 416,
    /// The caller is neither the admin nor the guardian.
    NotGuardian = 417,
    /// margin-account refused the liquidation view (unknown account or asset, stale prices).
    AccountUnavailable = 418,

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
}

risk_core::mirror_risk_errors!(Error);

governance::mirror_governance_errors!(Error);

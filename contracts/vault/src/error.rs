//! The vault's typed errors: its own range 200–299, plus mirrors (same name, same code) of the
//! shared risk-core errors (1–99) and governance errors (500–599) it can surface.

use soroban_sdk::contracterror;

/// Every way a vault call can fail (docs/ERRORS.md). A failed call changes nothing.
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum VaultError {
    // Mirrors of `risk_core::RiskError`.
    /// A result does not fit its representation.
    Overflow = 1,
    /// A division by zero was requested.
    DivisionByZero = 2,
    /// A quantity that must be non-negative was negative (an amount, a rate, a cap).
    NegativeAmount = 3,
    /// The asset reports more decimals than the protocol supports (18).
    InvalidDecimals = 4,
    // The price, quote, weight and auction mirrors (5–8, 10–13) belong to math the vault does
    // not run; they are mirrored so every contract decodes the shared range alike.
    InvalidPrice = 5,
    InvalidQuote = 6,
    InvalidWeight = 7,
    WeightOrder = 8,
    /// A subtraction would make a non-negative quantity negative.
    Underflow = 9,
    InvalidCurve = 10,
    EmptyTake = 11,
    DustRemainder = 12,
    TargetUnreachable = 13,

    // The vault's own range.
    /// An amount of assets or shares is zero.
    ZeroAmount = 200,
    /// No borrower is registered: there is nobody who may borrow, repay or write off.
    NoBorrower = 201,
    /// A borrower is already registered: change it through the timelock (`queue_borrower`).
    BorrowerAlreadySet = 202,
    /// The operator's or spender's allowance is below the amount.
    InsufficientAllowance = 203,
    /// The owner holds fewer shares than the call burns or moves.
    InsufficientBalance = 204,
    /// The deposit would take total assets above `deposit_cap`.
    DepositCapExceeded = 205,
    /// The vault holds less cash than the call pays out.
    InsufficientCash = 206,
    /// Deposits are paused by the guardian.
    DepositsPaused = 207,
    /// New borrows are paused by the guardian.
    BorrowsPaused = 208,
    /// The borrow would take utilization above `max_utilization`.
    MaxUtilizationExceeded = 209,
    /// The borrow would take total debt above `borrow_cap`.
    BorrowCapExceeded = 210,
    /// The repayment or write-off exceeds the outstanding debt.
    ExceedsDebt = 211,
    /// The claim exceeds the protocol reserves.
    ExceedsReserves = 212,
    /// The deposit or mint would mint zero shares (the amount is below one share's price).
    ZeroShares = 213,
    /// The withdrawal or redemption would pay zero assets.
    ZeroAssets = 214,
    /// The rate curve is invalid: kink outside `(0, 1]` or rates above `MAX_BORROW_RATE`.
    InvalidRateCurve = 215,
    /// `reserve_factor` is outside `[0, 1]`.
    InvalidReserveFactor = 216,
    /// `max_utilization` is outside `(0, 1]`.
    InvalidMaxUtilization = 217,
    /// A cap is negative.
    InvalidCap = 218,
    /// An approval expires before the current ledger while granting a non-zero amount.
    InvalidExpiration = 219,

    // Mirrors of `governance::GovernanceError`.
    /// Roles were read before initialisation.
    NotInitialized = 500,
    /// Initialisation ran twice.
    AlreadyInitialized = 501,
    /// A timelock delay below the floor.
    DelayTooShort = 502,
    /// A timelock delay above the ceiling.
    DelayTooLong = 503,
    /// No change of this kind is queued.
    NotQueued = 504,
    /// A live change of this kind is already queued: cancel it first.
    AlreadyQueued = 505,
    /// The queued change's eta has not been reached.
    TooEarly = 506,
    /// The queued change was not applied within the grace period.
    Expired = 507,
    /// The queued value does not decode as expected.
    ValueMismatch = 508,
    /// A timestamp computation overflowed.
    TimeOverflow = 509,
}

risk_core::mirror_risk_errors!(VaultError);

governance::mirror_governance_errors!(VaultError);

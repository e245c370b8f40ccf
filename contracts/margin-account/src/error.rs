//! The typed errors of margin-account: its own range 300–399, plus mirrors (same name, same code)
//! of the shared risk-core errors (1–99) and governance errors (500–599) it can surface
//! (docs/ERRORS.md). A failed call changes nothing.

use soroban_sdk::contracterror;

#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Error {
    // Mirrors of `risk_core::RiskError`.
    /// A result does not fit its representation.
    Overflow = 1,
    /// A division by zero was requested.
    DivisionByZero = 2,
    /// An amount (or a config field) that must be non-negative is negative.
    NegativeAmount = 3,
    /// The token has more than 18 decimals, or the adapter more than 24.
    InvalidDecimals = 4,
    /// A price from the adapter is zero or negative.
    InvalidPrice = 5,
    /// A quote from the adapter is not ordered `low <= spot <= high`.
    InvalidQuote = 6,
    /// A weight is out of its range (asset weights in `[0, 1]`, liability weights `>= 1`).
    InvalidWeight = 7,
    /// `asset_weight_init > asset_weight_maint` or `liab_weight_init < liab_weight_maint`.
    WeightOrder = 8,
    /// A subtraction would make a non-negative quantity negative.
    Underflow = 9,
    InvalidCurve = 10,
    EmptyTake = 11,
    DustRemainder = 12,
    TargetUnreachable = 13,

    // margin-account's own range.
    /// An amount is zero.
    ZeroAmount = 300,
    /// The asset is not listed.
    UnknownAsset = 301,
    /// No account `(owner, id)` exists (it is opened by its owner's first deposit).
    UnknownAccount = 302,
    /// The call would give the account more than `max_positions` positions.
    TooManyPositions = 303,
    /// The owner already has `MAX_ACCOUNTS_PER_OWNER` accounts.
    TooManyAccounts = 304,
    /// The withdrawal or sale exceeds the account's collateral in the asset.
    InsufficientCollateral = 305,
    /// `repay` on a position that is not a debt.
    NoDebt = 306,
    /// A risk-raising call would leave `health_factor(init) < 1`.
    InitHealthTooLow = 307,
    /// The asset's mode (`ReduceOnly`, `Frozen`) forbids raising exposure to it.
    AssetNotActive = 308,
    /// The deposit would take the protocol's collateral in the asset above `deposit_cap`.
    DepositCapExceeded = 309,
    /// The borrow would take the protocol's debt in the asset above `borrow_cap`.
    BorrowCapExceeded = 310,
    /// The debt position would be worth less than `min_debt_value`.
    DebtBelowMinimum = 311,
    /// The swap venue is not listed.
    VenueNotListed = 312,
    /// The trade returned less than `min_amount_out`.
    MinAmountOut = 313,
    /// The trade's realised price is further than `max_trade_slippage` from the oracle's.
    PriceDeviation = 314,
    /// A trade whose sell and buy assets are the same.
    SameAsset = 315,
    /// The adapter's newest price of an asset is stale (adapter error `Stale`).
    StalePrice = 316,
    /// The adapter has no trusted price for an asset (any other adapter refusal).
    PriceUnavailable = 317,
    /// `liquidation_penalty` outside `[0, 1]`, or `asset_weight_maint * (1 + penalty) >= 1`
    /// for an asset that counts as collateral.
    InvalidPenalty = 318,
    /// `max_trade_slippage` outside `(0, 1)`.
    InvalidSlippage = 319,
    /// A negative `min_debt_value`, `deposit_cap` or `borrow_cap`.
    InvalidLimit = 320,
    /// The vault does not hold the asset it is configured for.
    VaultMismatch = 321,
    /// A listed asset's vault cannot change (positions are that vault's shares).
    VaultChange = 322,
    /// `max_positions` outside `1..=MAX_POSITIONS_LIMIT`, a ramp duration above
    /// `MAX_RAMP_DURATION`, or a sync interval above `MAX_SYNC_INTERVAL`.
    InvalidParams = 323,
    /// `MAX_ASSETS` assets are already listed.
    TooManyAssets = 324,
    /// The guardian may only tighten a mode (`Active` → `ReduceOnly` → `Frozen`).
    ModeNotTighter = 325,
    /// The caller is not the registered liquidator, or none is registered.
    NotLiquidator = 326,
    /// A liquidator is already registered: change it through the timelock.
    LiquidatorAlreadySet = 327,
    /// A `submit` without requests, or with more than `MAX_REQUESTS`.
    InvalidRequests = 328,
    /// The vault cache of an asset is too old to extrapolate (call `sync`).
    SyncRequired = 329,
    /// A trade that would swap nothing out.
    ZeroOut = 330,
    /// The venue reported more than it delivered to margin-account.
    VenueShortfall = 331,

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

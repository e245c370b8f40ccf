//! The typed error of the risk core (shared error range 1–99, docs/ERRORS.md).

/// Why a fixed-point or risk computation refused its input.
///
/// Codes are stable: contracts that can surface one of these mirror the variant in their own
/// `#[contracterror]` enum with the same name and code, so one code means one thing whichever
/// contract returned it.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RiskError {
    /// A result does not fit its representation (`i128` at the ABI, `I80F48` inside).
    Overflow = 1,
    /// A division by zero was requested.
    DivisionByZero = 2,
    /// A quantity that must be non-negative (value, ratio, weight) was negative.
    NegativeAmount = 3,
    /// A decimals count is out of the supported range (tokens 0–18, prices 0–24).
    InvalidDecimals = 4,
    /// A price is zero or negative.
    InvalidPrice = 5,
    /// A quote is not ordered `low <= spot <= high`.
    InvalidQuote = 6,
    /// A weight is out of its range (asset weights in `[0, 1]`, liability weights `>= 1`).
    InvalidWeight = 7,
    /// Weights are out of order (`asset_weight_init > asset_weight_maint` or
    /// `liab_weight_init < liab_weight_maint`).
    WeightOrder = 8,
    /// A subtraction would make a non-negative quantity negative.
    Underflow = 9,
    /// Auction curve parameters out of range: `tau` or `step` is zero, or `cut` is not in
    /// `(0, 1 - 2^-16]`.
    InvalidCurve = 10,
    /// A take that would buy nothing: zero `max_collateral`, an empty lot or tab, or a dust trim
    /// that leaves no whole base unit of collateral to sell.
    EmptyTake = 11,
    /// A partial take would leave a tab below `dust`, and the tab is itself no more than `dust`,
    /// so it cannot be trimmed: the take must buy the whole tab (or the whole lot).
    DustRemainder = 12,
    /// Liquidating this pair cannot raise the health factor toward the target:
    /// `(1 + target_buffer) * liab_weight_init <= (1 + liquidation_penalty) * asset_weight_init`.
    TargetUnreachable = 13,
}

impl RiskError {
    /// The stable numeric code (1–99) of this error.
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The error with the given code, if there is one.
    ///
    /// # Arguments
    /// * `code` - a code as returned by [`RiskError::code`].
    pub const fn from_code(code: u32) -> Option<RiskError> {
        Some(match code {
            1 => RiskError::Overflow,
            2 => RiskError::DivisionByZero,
            3 => RiskError::NegativeAmount,
            4 => RiskError::InvalidDecimals,
            5 => RiskError::InvalidPrice,
            6 => RiskError::InvalidQuote,
            7 => RiskError::InvalidWeight,
            8 => RiskError::WeightOrder,
            9 => RiskError::Underflow,
            10 => RiskError::InvalidCurve,
            11 => RiskError::EmptyTake,
            12 => RiskError::DustRemainder,
            13 => RiskError::TargetUnreachable,
            _ => return None,
        })
    }

    /// Every variant, in code order (for registry checks and mirrors).
    pub const ALL: [RiskError; 13] = [
        RiskError::Overflow,
        RiskError::DivisionByZero,
        RiskError::NegativeAmount,
        RiskError::InvalidDecimals,
        RiskError::InvalidPrice,
        RiskError::InvalidQuote,
        RiskError::InvalidWeight,
        RiskError::WeightOrder,
        RiskError::Underflow,
        RiskError::InvalidCurve,
        RiskError::EmptyTake,
        RiskError::DustRemainder,
        RiskError::TargetUnreachable,
    ];
}

impl core::fmt::Display for RiskError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "risk error {} ({:?})", self.code(), self)
    }
}

/// Implements `From<RiskError>` for a contract's own error enum, which must mirror every
/// `RiskError` variant with the same name (and, by the registry's rule, the same code: 1–99).
/// A missing mirror is a compile error, so one code keeps one meaning whichever contract returns
/// it (docs/ERRORS.md).
///
/// ```ignore
/// risk_core::mirror_risk_errors!(Error);
/// ```
#[macro_export]
macro_rules! mirror_risk_errors {
    ($error:ty) => {
        impl From<$crate::RiskError> for $error {
            fn from(e: $crate::RiskError) -> Self {
                use $crate::RiskError as R;
                match e {
                    R::Overflow => Self::Overflow,
                    R::DivisionByZero => Self::DivisionByZero,
                    R::NegativeAmount => Self::NegativeAmount,
                    R::InvalidDecimals => Self::InvalidDecimals,
                    R::InvalidPrice => Self::InvalidPrice,
                    R::InvalidQuote => Self::InvalidQuote,
                    R::InvalidWeight => Self::InvalidWeight,
                    R::WeightOrder => Self::WeightOrder,
                    R::Underflow => Self::Underflow,
                    R::InvalidCurve => Self::InvalidCurve,
                    R::EmptyTake => Self::EmptyTake,
                    R::DustRemainder => Self::DustRemainder,
                    R::TargetUnreachable => Self::TargetUnreachable,
                }
            }
        }
    };
}

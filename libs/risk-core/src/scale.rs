//! The fixed-point representation, the scales at the boundary and the rounding direction.

use core::num::NonZeroU64;

use crate::RiskError;

/// The one fixed-point representation of the risk core: 80 integer bits (sign included) and 48
/// fraction bits. Range ±6.04e23, resolution 2^-48 ≈ 3.55e-15. See the crate docs for why.
pub type Fx = fixed::types::I80F48;

/// Fraction bits of [`Fx`].
pub const FRAC_BITS: u32 = 48;

/// Decimals of ratios, weights, haircuts, rates, health factors and health sums at the ABI.
pub const ABI_DECIMALS: u32 = 7;

/// `1.0` at the ABI scale: `10_000_000` (Stellar's 7-decimal convention).
pub const ABI_SCALE: i128 = 10_000_000;

/// Health factor reported at the ABI when there are no liabilities.
pub const ABI_HEALTH_UNBOUNDED: i128 = i128::MAX;

/// Decimals of oracle-adapter prices unless the adapter says otherwise (as Reflector uses).
pub const DEFAULT_PRICE_DECIMALS: u32 = 14;

/// Largest token `decimals()` the protocol lists (SPEC §2).
pub const MAX_TOKEN_DECIMALS: u32 = 18;

/// Largest decimals of any decimal <-> fixed conversion (prices, values): `10^24 < 2^80`, which
/// keeps every intermediate product of a conversion inside `u128`.
pub const MAX_DECIMALS: u32 = 24;

/// Direction of every rounding step. Every conversion and product names one, so that each call
/// site states which way is the protocol's favour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Toward negative infinity (collateral values, health factors, shares minted).
    Floor,
    /// Toward positive infinity (debt values, debt shares, shares burned).
    Ceil,
}

impl Rounding {
    /// The other direction: `floor(-x) = -ceil(x)`, used to round signed quantities through
    /// their magnitude.
    pub const fn opposite(self) -> Rounding {
        match self {
            Rounding::Floor => Rounding::Ceil,
            Rounding::Ceil => Rounding::Floor,
        }
    }
}

const POW10: [u128; MAX_DECIMALS as usize + 1] = {
    let mut table = [1u128; MAX_DECIMALS as usize + 1];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `10^decimals` for `decimals <= MAX_DECIMALS`, from a table (no `pow` at run time).
///
/// # Arguments
/// * `decimals` - the exponent.
///
/// # Errors
/// * [`RiskError::InvalidDecimals`] - `decimals > MAX_DECIMALS`.
pub fn pow10(decimals: u32) -> Result<u128, RiskError> {
    POW10
        .get(decimals as usize)
        .copied()
        .ok_or(RiskError::InvalidDecimals)
}

/// `10^decimals` in the forms the conversions use: `5^decimals` as two factors below `2^32` for
/// native-digit divisions (`10^d = 2^d * 5^d`, `5^24 = 5^13 * 5^11`), and `10^decimals` for
/// products. Built once per asset or per quote, never per step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct DecimalScale {
    pub(crate) decimals: u32,
    pub(crate) fives_low: NonZeroU64,
    pub(crate) fives_high: NonZeroU64,
    pub(crate) unit: u128,
}

/// Largest power of five below `2^32`: `5^13`.
const FIVES_SPLIT: u32 = 13;

impl DecimalScale {
    /// The scale of `decimals <= MAX_DECIMALS` decimals.
    ///
    /// # Errors
    /// * [`RiskError::InvalidDecimals`] - `decimals > MAX_DECIMALS`.
    #[inline(always)]
    pub(crate) fn new(decimals: u32) -> Result<DecimalScale, RiskError> {
        let unit = pow10(decimals)?;
        let low = decimals.min(FIVES_SPLIT);
        Ok(DecimalScale {
            decimals,
            fives_low: pow5(low),
            fives_high: pow5(decimals - low),
            unit,
        })
    }

    /// 7 decimals: the ABI scale of ratios and health values.
    pub(crate) const ABI: DecimalScale = DecimalScale {
        decimals: ABI_DECIMALS,
        fives_low: pow5(ABI_DECIMALS),
        fives_high: pow5(0),
        unit: ABI_SCALE as u128,
    };
}

/// `5^k` for `k <= 13`, built at compile time.
const POW5: [u64; FIVES_SPLIT as usize + 1] = {
    let mut table = [1u64; FIVES_SPLIT as usize + 1];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 5;
        i += 1;
    }
    table
};

/// `5^k` for `k <= 13` (below `2^32`), never zero: a table lookup (a loop here costs the VM
/// fuel per iteration on every conversion).
const fn pow5(k: u32) -> NonZeroU64 {
    let p = if (k as usize) < POW5.len() {
        POW5[k as usize]
    } else {
        1
    };
    match NonZeroU64::new(p) {
        Some(p) => p,
        None => NonZeroU64::MIN,
    }
}

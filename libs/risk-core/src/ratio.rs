//! [`Ratio`]: weights, haircuts, rates and health factors.

use crate::math::{bits_to_decimal, decimal_to_bits, div_bits, mul_bits};
use crate::newtype::non_negative_fixed;
use crate::scale::DecimalScale;
use crate::{Fx, RiskError, Rounding, FRAC_BITS};

/// A non-negative dimensionless ratio (`1.0` = 100 %): weights, haircuts, rates, health factors.
/// Crosses the ABI as `i128` with 7 decimals ([`ABI_SCALE`] = 1.0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ratio(Fx);

non_negative_fixed!(Ratio, "ratio");

impl Ratio {
    /// `1.0`.
    pub const ONE: Ratio = Ratio(Fx::from_bits(1 << FRAC_BITS));

    /// A ratio from its 7-decimal ABI form (`10_000_000` = 1.0).
    ///
    /// # Arguments
    /// * `raw` - the ratio times `10^7`.
    /// * `rounding` - direction when `raw / 10^7` is not a multiple of `2^-48`.
    ///
    /// # Errors
    /// * [`RiskError::NegativeAmount`] - `raw < 0`.
    /// * [`RiskError::Overflow`] - the ratio exceeds [`Ratio::MAX`].
    pub fn from_abi(raw: i128, rounding: Rounding) -> Result<Ratio, RiskError> {
        if raw < 0 {
            return Err(RiskError::NegativeAmount);
        }
        decimal_to_bits(raw as u128, &DecimalScale::ABI, rounding).map(Ratio::from_magnitude)
    }

    /// The 7-decimal ABI form of this ratio.
    ///
    /// # Arguments
    /// * `rounding` - direction of the last decimal.
    ///
    /// # Notes
    /// Infallible: `MAX * 10^7 < 2^103`. Health factors use [`crate::health_factor_to_abi`],
    /// which reports an unbounded factor as `i128::MAX`.
    pub fn to_abi(self, rounding: Rounding) -> i128 {
        // `bits_to_decimal` only fails above 2^128, far beyond MAX * 10^7.
        bits_to_decimal(self.magnitude(), &DecimalScale::ABI, rounding)
            .map_or(i128::MAX, |v| v as i128)
    }

    /// `self * rhs`, rounded.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the product exceeds [`Ratio::MAX`].
    pub fn checked_mul(self, rhs: Ratio, rounding: Rounding) -> Result<Ratio, RiskError> {
        mul_bits(self.magnitude(), rhs.magnitude(), rounding).map(Ratio::from_magnitude)
    }

    /// `self / rhs`, rounded.
    ///
    /// # Errors
    /// * [`RiskError::DivisionByZero`] - `rhs` is zero.
    /// * [`RiskError::Overflow`] - the quotient exceeds [`Ratio::MAX`].
    ///
    /// # Notes
    /// A fixed-point division (about 42,000 instructions in WASM): keep it off per-position paths.
    pub fn checked_div(self, rhs: Ratio, rounding: Rounding) -> Result<Ratio, RiskError> {
        div_bits(self.magnitude(), rhs.magnitude(), rounding).map(Ratio::from_magnitude)
    }

    /// `1 - self`: the haircut of an asset weight, or the weight of a haircut.
    ///
    /// # Errors
    /// * [`RiskError::Underflow`] - `self > 1`.
    pub fn complement(self) -> Result<Ratio, RiskError> {
        Ratio::ONE.checked_sub(self)
    }
}

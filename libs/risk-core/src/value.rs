//! [`Value`]: amounts of the base currency (USD).

use crate::math::{bits_to_decimal, decimal_to_bits, div_bits, mul_bits};
use crate::newtype::non_negative_fixed;
use crate::scale::DecimalScale;
use crate::{Fx, Ratio, RiskError, Rounding};

/// A non-negative amount of the base currency (USD): position values, weighted sums, tips,
/// minimum debt. Crosses the ABI as `i128` with 7 decimals, or with any decimals up to 24
/// through [`Value::from_decimal`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Value(Fx);

non_negative_fixed!(Value, "value");

impl Value {
    /// A value from its 7-decimal ABI form.
    ///
    /// # Arguments
    /// * `raw` - the value times `10^7`.
    /// * `rounding` - direction when `raw / 10^7` is not a multiple of `2^-48`.
    ///
    /// # Errors
    /// * [`RiskError::NegativeAmount`] - `raw < 0`.
    /// * [`RiskError::Overflow`] - the value exceeds [`Value::MAX`].
    pub fn from_abi(raw: i128, rounding: Rounding) -> Result<Value, RiskError> {
        if raw < 0 {
            return Err(RiskError::NegativeAmount);
        }
        decimal_to_bits(raw as u128, &DecimalScale::ABI, rounding).map(Value::from_magnitude)
    }

    /// The 7-decimal ABI form of this value (infallible: `MAX * 10^7 < 2^103`).
    ///
    /// # Arguments
    /// * `rounding` - `Floor` for collateral, `Ceil` for debt.
    pub fn to_abi(self, rounding: Rounding) -> i128 {
        // Cannot fail: MAX * 10^7 < 2^103.
        bits_to_decimal(self.magnitude(), &DecimalScale::ABI, rounding)
            .map_or(i128::MAX, |v| v as i128)
    }

    /// A value from a decimal `i128` with `decimals` decimals (e.g. an adapter-scaled amount).
    ///
    /// # Arguments
    /// * `raw` - the value times `10^decimals`.
    /// * `decimals` - `0..=24`.
    /// * `rounding` - direction of the conversion.
    ///
    /// # Errors
    /// * [`RiskError::NegativeAmount`] - `raw < 0`.
    /// * [`RiskError::InvalidDecimals`] - `decimals > 24`.
    /// * [`RiskError::Overflow`] - the value exceeds [`Value::MAX`].
    pub fn from_decimal(raw: i128, decimals: u32, rounding: Rounding) -> Result<Value, RiskError> {
        let unit = DecimalScale::new(decimals)?;
        if raw < 0 {
            return Err(RiskError::NegativeAmount);
        }
        decimal_to_bits(raw as u128, &unit, rounding).map(Value::from_magnitude)
    }

    /// This value as a decimal `i128` with `decimals` decimals.
    ///
    /// # Errors
    /// * [`RiskError::InvalidDecimals`] - `decimals > 24`.
    /// * [`RiskError::Overflow`] - the result exceeds `i128::MAX`.
    pub fn to_decimal(self, decimals: u32, rounding: Rounding) -> Result<i128, RiskError> {
        let decimal = bits_to_decimal(self.magnitude(), &DecimalScale::new(decimals)?, rounding)?;
        i128::try_from(decimal).map_err(|_| RiskError::Overflow)
    }

    /// `self * ratio`, rounded: a weighted value, a penalty, a fee.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the product exceeds [`Value::MAX`].
    #[inline]
    pub fn mul_ratio(self, ratio: Ratio, rounding: Rounding) -> Result<Value, RiskError> {
        mul_bits(self.magnitude(), ratio.magnitude(), rounding).map(Value::from_magnitude)
    }

    /// `self / rhs` as a ratio, rounded (e.g. a health factor).
    ///
    /// # Errors
    /// * [`RiskError::DivisionByZero`] - `rhs` is zero.
    /// * [`RiskError::Overflow`] - the quotient exceeds [`Ratio::MAX`].
    ///
    /// # Notes
    /// A fixed-point division (about 42,000 instructions in WASM).
    pub fn ratio_to(self, rhs: Value, rounding: Rounding) -> Result<Ratio, RiskError> {
        div_bits(self.magnitude(), rhs.magnitude(), rounding).map(Ratio::from_magnitude)
    }

    /// `self / ratio`, rounded (e.g. the value that a weight turns into `self`).
    ///
    /// # Errors
    /// * [`RiskError::DivisionByZero`] - `ratio` is zero.
    /// * [`RiskError::Overflow`] - the quotient exceeds [`Value::MAX`].
    ///
    /// # Notes
    /// A fixed-point division (about 42,000 instructions in WASM).
    pub fn div_ratio(self, ratio: Ratio, rounding: Rounding) -> Result<Value, RiskError> {
        div_bits(self.magnitude(), ratio.magnitude(), rounding).map(Value::from_magnitude)
    }
}

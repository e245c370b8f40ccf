//! [`TokenUnit`] and [`Tokens`]: token amounts in base units <-> whole tokens in fixed point.

use crate::math::{
    decimal_to_bits, div_bits, mul_bits, signed_bits_to_decimal, signed_decimal_to_bits,
};
use crate::scale::DecimalScale;
use crate::{Fx, Price, RiskError, Rounding, Value, MAX_TOKEN_DECIMALS};

/// A token's `decimals()` with `10^decimals` precomputed: build it once per asset (config time)
/// so the per-position path does no exponentiation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenUnit {
    decimals: u32,
    unit: DecimalScale,
}

impl TokenUnit {
    /// The unit of a token with `decimals` decimals.
    ///
    /// # Errors
    /// * [`RiskError::InvalidDecimals`] - `decimals > 18`.
    #[inline(always)]
    pub fn new(decimals: u32) -> Result<TokenUnit, RiskError> {
        if decimals > MAX_TOKEN_DECIMALS {
            return Err(RiskError::InvalidDecimals);
        }
        Ok(TokenUnit {
            decimals,
            unit: DecimalScale::new(decimals)?,
        })
    }

    /// The token's decimals.
    pub const fn decimals(self) -> u32 {
        self.decimals
    }

    /// `10^decimals`: base units per whole token.
    pub const fn base_units_per_token(self) -> u128 {
        self.unit.unit
    }

    /// `|amount| / 10^decimals` as fixed-point bits: whole tokens and remainder split once.
    #[inline(always)]
    pub(crate) fn magnitude_bits(
        self,
        amount: i128,
        rounding: Rounding,
    ) -> Result<u128, RiskError> {
        decimal_to_bits(amount.unsigned_abs(), &self.unit, rounding)
    }
}

/// A signed quantity of whole tokens in fixed point (positive: held, negative: owed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tokens(Fx);

impl Tokens {
    /// Tokens held by a fixed-point number of whole tokens.
    pub const fn from_fixed(fx: Fx) -> Tokens {
        Tokens(fx)
    }

    /// The fixed-point number of whole tokens.
    pub const fn to_fixed(self) -> Fx {
        self.0
    }

    /// Whole tokens from an amount in base units.
    ///
    /// # Arguments
    /// * `amount` - signed base units.
    /// * `unit` - the token's unit.
    /// * `rounding` - direction toward which the result rounds (on the signed number line).
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - more than about 6.04e23 whole tokens.
    pub fn from_base_units(
        amount: i128,
        unit: TokenUnit,
        rounding: Rounding,
    ) -> Result<Tokens, RiskError> {
        signed_decimal_to_bits(amount, &unit.unit, rounding).map(|b| Tokens(Fx::from_bits(b)))
    }

    /// This quantity in base units.
    ///
    /// # Arguments
    /// * `unit` - the token's unit.
    /// * `rounding` - `Floor` for what the protocol pays out, `Ceil` for what it collects.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the amount does not fit `i128`.
    pub fn to_base_units(self, unit: TokenUnit, rounding: Rounding) -> Result<i128, RiskError> {
        signed_bits_to_decimal(self.0.to_bits(), &unit.unit, rounding)
    }

    /// `|self| * price`, rounded: the value of this quantity.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the value exceeds [`Value::MAX`].
    pub fn value(self, price: Price, rounding: Rounding) -> Result<Value, RiskError> {
        let magnitude = self.0.to_bits().unsigned_abs();
        mul_bits(magnitude, price.magnitude(), rounding).map(Value::from_magnitude)
    }

    /// `value / price`, rounded: how many tokens are worth `value` (non-negative).
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the quantity exceeds the range of [`Fx`].
    ///
    /// # Notes
    /// A fixed-point division (about 42,000 instructions in WASM). A [`Price`] is never zero.
    pub fn for_value(value: Value, price: Price, rounding: Rounding) -> Result<Tokens, RiskError> {
        let bits = div_bits(value.magnitude(), price.magnitude(), rounding)?;
        Ok(Tokens(Fx::from_bits(bits as i128)))
    }
}

/// `value(n, price) = |n| * price / 10^d` (SPEC §3) in one call.
///
/// # Arguments
/// * `amount` - signed base units `n`; its magnitude is valued.
/// * `unit` - the token's unit (`10^d`).
/// * `price` - price of one whole token.
/// * `rounding` - `Floor` for collateral, `Ceil` for debt; both steps round the same way.
///
/// # Errors
/// * [`RiskError::Overflow`] - the value exceeds [`Value::MAX`].
pub fn token_value(
    amount: i128,
    unit: TokenUnit,
    price: Price,
    rounding: Rounding,
) -> Result<Value, RiskError> {
    let tokens = unit.magnitude_bits(amount, rounding)?;
    mul_bits(tokens, price.magnitude(), rounding).map(Value::from_magnitude)
}

//! [`Price`] and [`Quote`]: oracle-adapter prices in fixed point.

use crate::math::{bits_to_decimal, decimal_to_bits};
use crate::newtype::non_negative_fixed;
use crate::scale::DecimalScale;
use crate::{Fx, RiskError, Rounding};

/// The price of one whole token in the base currency (USD). Positive when built from the
/// adapter's form; crosses the ABI as `i128` with the adapter's `decimals()` (default 14).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Price(Fx);

non_negative_fixed!(Price, "price");

impl Price {
    /// A price from the adapter's form.
    ///
    /// # Arguments
    /// * `raw` - base currency per whole token, times `10^price_decimals`.
    /// * `price_decimals` - the adapter's `decimals()`, `0..=24` (default 14).
    /// * `rounding` - `Floor` to value collateral, `Ceil` to value debt.
    ///
    /// # Errors
    /// * [`RiskError::InvalidPrice`] - `raw <= 0`.
    /// * [`RiskError::InvalidDecimals`] - `price_decimals > 24`.
    /// * [`RiskError::Overflow`] - the price exceeds [`Price::MAX`].
    pub fn from_adapter(
        raw: i128,
        price_decimals: u32,
        rounding: Rounding,
    ) -> Result<Price, RiskError> {
        let unit = DecimalScale::new(price_decimals)?;
        if raw <= 0 {
            return Err(RiskError::InvalidPrice);
        }
        decimal_to_bits(raw as u128, &unit, rounding).map(Price::from_magnitude)
    }

    /// This price in the adapter's form.
    ///
    /// # Errors
    /// * [`RiskError::InvalidDecimals`] - `price_decimals > 24`.
    /// * [`RiskError::Overflow`] - the result exceeds `i128::MAX`.
    pub fn to_adapter(self, price_decimals: u32, rounding: Rounding) -> Result<i128, RiskError> {
        let decimal = bits_to_decimal(
            self.magnitude(),
            &DecimalScale::new(price_decimals)?,
            rounding,
        )?;
        i128::try_from(decimal).map_err(|_| RiskError::Overflow)
    }
}

/// One asset's prices from the oracle-adapter's `quotes` (spot `P`, conservative low `L` and high
/// `H`), validated and kept in the adapter's form. They are converted to fixed point on use, in
/// the direction the use needs (collateral: `L` and `P` floored; debt: `H` and `P` ceiled), so a
/// position converts exactly the two prices it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Quote {
    spot: u128,
    low: u128,
    high: u128,
    unit: DecimalScale,
}

impl Quote {
    /// A quote from the adapter's `Quote { spot, low, high, .. }`.
    ///
    /// # Arguments
    /// * `spot`, `low`, `high` - prices with `price_decimals` decimals.
    /// * `price_decimals` - the adapter's `decimals()`, `0..=24` (default 14).
    ///
    /// # Errors
    /// * [`RiskError::InvalidDecimals`] - `price_decimals > 24`.
    /// * [`RiskError::InvalidPrice`] - a price is `<= 0`.
    /// * [`RiskError::InvalidQuote`] - not `low <= spot <= high`.
    #[inline(always)]
    pub fn from_adapter(
        spot: i128,
        low: i128,
        high: i128,
        price_decimals: u32,
    ) -> Result<Quote, RiskError> {
        let unit = DecimalScale::new(price_decimals)?;
        if low <= 0 || spot <= 0 || high <= 0 {
            return Err(RiskError::InvalidPrice);
        }
        if low > spot || spot > high {
            return Err(RiskError::InvalidQuote);
        }
        Ok(Quote {
            spot: spot as u128,
            low: low as u128,
            high: high as u128,
            unit,
        })
    }

    /// A quote whose three prices are the same (a single fresh feed, or a test).
    ///
    /// # Errors
    /// As [`Quote::from_adapter`].
    pub fn flat(price: i128, price_decimals: u32) -> Result<Quote, RiskError> {
        Quote::from_adapter(price, price, price, price_decimals)
    }

    /// The spot price `P`, rounded.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the price exceeds [`Price::MAX`].
    #[inline]
    pub fn spot(&self, rounding: Rounding) -> Result<Price, RiskError> {
        self.convert(self.spot, rounding)
    }

    /// The conservative low price `L` (values collateral for init health), rounded.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the price exceeds [`Price::MAX`].
    #[inline]
    pub fn low(&self, rounding: Rounding) -> Result<Price, RiskError> {
        self.convert(self.low, rounding)
    }

    /// The conservative high price `H` (values debt for init health), rounded.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the price exceeds [`Price::MAX`].
    #[inline]
    pub fn high(&self, rounding: Rounding) -> Result<Price, RiskError> {
        self.convert(self.high, rounding)
    }

    #[inline]
    fn convert(&self, raw: u128, rounding: Rounding) -> Result<Price, RiskError> {
        self.raw_to_bits(raw, rounding).map(Price::from_magnitude)
    }

    /// One of this quote's raw prices as fixed-point bits, rounded.
    #[inline(always)]
    pub(crate) fn raw_to_bits(&self, raw: u128, rounding: Rounding) -> Result<u128, RiskError> {
        decimal_to_bits(raw, &self.unit, rounding)
    }

    pub(crate) const fn spot_raw(&self) -> u128 {
        self.spot
    }

    pub(crate) const fn low_raw(&self) -> u128 {
        self.low
    }

    pub(crate) const fn high_raw(&self) -> u128 {
        self.high
    }
}

//! Account health (SPEC §3) over a snapshot of positions, quotes and weights.
//!
//! ```text
//! value(n, price)   = |n| * price / 10^d
//! assets_init       = sum over n_i > 0 of value(n_i, L_i) * asset_weight_init_i
//! liabs_init        = sum over n_i < 0 of value(n_i, H_i) * liab_weight_init_i
//! assets_maint      = sum over n_i > 0 of value(n_i, P_i) * asset_weight_maint_i
//! liabs_maint       = sum over n_i < 0 of value(n_i, P_i) * liab_weight_maint_i
//! health_factor(T)  = assets_T / liabs_T      (unbounded when liabs_T = 0)
//! ```
//!
//! Collateral terms round down and debt terms round up at every step, and each step is monotone,
//! so the computed init health never exceeds the computed maint health.
//!
//! Cost: a position costs one amount split, two price conversions and four fixed-point products,
//! and no fixed-point division. The health factors cost one division each, so the checks that
//! only compare against 1 ([`HealthSums::is_liquidatable`], [`HealthSums::meets_init`]) compare the
//! sums instead.

use crate::math::mul_bits;
use crate::{Quote, Ratio, RiskError, RiskWeights, Rounding, TokenUnit, Value};

/// Which weights and prices a weighted sum uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HealthType {
    /// Init weights, conservative prices (collateral at low, debt at high): gates risk-raising calls.
    Init,
    /// Maint weights, spot prices: below 1 the account is liquidatable.
    Maint,
    /// Init weights, spot prices: the liquidation target (SPEC §3).
    LiquidationEnd,
}

/// An asset's risk parameters in the form the per-position path uses: the token unit and the
/// validated weights, both converted once at config time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AssetRisk {
    unit: TokenUnit,
    weights: RiskWeights,
}

impl AssetRisk {
    /// The risk parameters of an asset.
    ///
    /// # Arguments
    /// * `decimals` - the token's `decimals()`, `0..=18`.
    /// * `weights` - its validated weights.
    ///
    /// # Errors
    /// * [`RiskError::InvalidDecimals`] - `decimals > 18`.
    #[inline(always)]
    pub fn new(decimals: u32, weights: RiskWeights) -> Result<AssetRisk, RiskError> {
        Ok(AssetRisk {
            unit: TokenUnit::new(decimals)?,
            weights,
        })
    }

    /// The token's unit.
    pub const fn unit(&self) -> TokenUnit {
        self.unit
    }

    /// The asset's weights.
    pub const fn weights(&self) -> &RiskWeights {
        &self.weights
    }
}

/// `|amount|` valued at one of the quote's prices and weighted, rounded one way at every step.
#[inline(always)]
pub(crate) fn weighted(
    tokens: u128,
    price: u128,
    weight: Ratio,
    rounding: Rounding,
) -> Result<Value, RiskError> {
    let value = mul_bits(tokens, price, rounding)?;
    mul_bits(value, weight.to_bits() as u128, rounding).map(Value::from_magnitude)
}

/// The weighted collateral and liabilities of one [`HealthType`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct WeightedSums {
    /// Weighted collateral value (rounded down).
    pub assets: Value,
    /// Weighted liability value (rounded up).
    pub liabs: Value,
}

impl WeightedSums {
    /// No collateral, no liabilities.
    pub const ZERO: WeightedSums = WeightedSums {
        assets: Value::ZERO,
        liabs: Value::ZERO,
    };

    /// Adds one position under `health_type`'s weights and prices. On error nothing is added.
    ///
    /// # Arguments
    /// * `health_type` - which sums these are.
    /// * `amount` - signed base units (positive: collateral, negative: debt; zero adds nothing).
    /// * `asset` - the asset's risk parameters.
    /// * `quote` - the asset's prices.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - a value or the sum exceeds [`Value::MAX`].
    pub fn add_position(
        &mut self,
        health_type: HealthType,
        amount: i128,
        asset: &AssetRisk,
        quote: &Quote,
    ) -> Result<(), RiskError> {
        let w = &asset.weights;
        if amount > 0 {
            let (price, weight) = match health_type {
                HealthType::Init => (quote.low(Rounding::Floor)?, w.asset_weight_init()),
                HealthType::Maint => (quote.spot(Rounding::Floor)?, w.asset_weight_maint()),
                HealthType::LiquidationEnd => (quote.spot(Rounding::Floor)?, w.asset_weight_init()),
            };
            let tokens = asset.unit.magnitude_bits(amount, Rounding::Floor)?;
            let term = weighted(tokens, price.to_bits() as u128, weight, Rounding::Floor)?;
            self.assets = self.assets.checked_add(term)?;
        } else if amount < 0 {
            let (price, weight) = match health_type {
                HealthType::Init => (quote.high(Rounding::Ceil)?, w.liab_weight_init()),
                HealthType::Maint => (quote.spot(Rounding::Ceil)?, w.liab_weight_maint()),
                HealthType::LiquidationEnd => (quote.spot(Rounding::Ceil)?, w.liab_weight_init()),
            };
            let tokens = asset.unit.magnitude_bits(amount, Rounding::Ceil)?;
            let term = weighted(tokens, price.to_bits() as u128, weight, Rounding::Ceil)?;
            self.liabs = self.liabs.checked_add(term)?;
        }
        Ok(())
    }

    /// `assets / liabs` rounded down; [`Ratio::MAX`] when there are no liabilities.
    ///
    /// # Notes
    /// One fixed-point division. See [`health_factor`].
    pub fn health_factor(&self) -> Ratio {
        health_factor(self.assets, self.liabs)
    }

    /// Whether `assets / liabs >= target`, decided without a division:
    /// `assets >= liabs * target` with the product rounded up.
    ///
    /// # Arguments
    /// * `target` - e.g. `1` for the init check, `1 + liquidation_target_buffer` for a
    ///   liquidation's end ([`HealthType::LiquidationEnd`] sums).
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - `liabs * target` exceeds [`Value::MAX`].
    pub fn meets(&self, target: Ratio) -> Result<bool, RiskError> {
        Ok(self.assets >= self.liabs.mul_ratio(target, Rounding::Ceil)?)
    }
}

/// `assets / liabs` rounded down, the health factor of one [`HealthType`].
///
/// # Arguments
/// * `assets`, `liabs` - weighted sums.
///
/// # Notes
/// Returns [`Ratio::MAX`] (reported at the ABI as `i128::MAX`) when `liabs` is zero, and also
/// when the quotient exceeds [`Ratio::MAX`] (about 6e23): rounding such a factor down to `MAX`
/// keeps every comparison with a threshold exact and hides no loss. One fixed-point division.
pub fn health_factor(assets: Value, liabs: Value) -> Ratio {
    if liabs.is_zero() {
        return Ratio::MAX;
    }
    // The only possible error left is a quotient above Ratio::MAX.
    assets
        .ratio_to(liabs, Rounding::Floor)
        .unwrap_or(Ratio::MAX)
}

/// A health factor in its 7-decimal ABI form, rounded down; [`Ratio::MAX`] (no liabilities)
/// becomes `i128::MAX` ([`crate::ABI_HEALTH_UNBOUNDED`]).
///
/// # Arguments
/// * `factor` - a health factor from [`health_factor`].
pub fn health_factor_to_abi(factor: Ratio) -> i128 {
    if factor == Ratio::MAX {
        return crate::ABI_HEALTH_UNBOUNDED;
    }
    factor.to_abi(Rounding::Floor)
}

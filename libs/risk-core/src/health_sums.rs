//! [`HealthSums`] (the init and maint sums in one pass) and [`Health`] (the factors and their ABI
//! form).

use crate::health::{health_factor_to_abi, weighted, AssetRisk, WeightedSums};
use crate::{Quote, Ratio, RiskError, Rounding};

/// The four weighted sums of SPEC §3, accumulated one position at a time (no allocation: a
/// caller iterating storage adds each position as it reads it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HealthSums {
    /// `assets_init` and `liabs_init`.
    pub init: WeightedSums,
    /// `assets_maint` and `liabs_maint`.
    pub maint: WeightedSums,
}

impl HealthSums {
    /// An account with no positions.
    pub const ZERO: HealthSums = HealthSums {
        init: WeightedSums::ZERO,
        maint: WeightedSums::ZERO,
    };

    /// Adds one position to the init and maint sums. On error nothing is added.
    ///
    /// # Arguments
    /// * `amount` - signed base units (positive: collateral, negative: debt; zero adds nothing).
    /// * `asset` - the asset's risk parameters (converted once at config time).
    /// * `quote` - the asset's prices from the adapter.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - a value or a sum exceeds [`crate::Value::MAX`].
    ///
    /// # Notes
    /// The amount is split into whole tokens and remainder once and shared by both sums; the
    /// position converts two prices and does four products, no fixed-point division.
    #[inline]
    pub fn add_position(
        &mut self,
        amount: i128,
        asset: &AssetRisk,
        quote: &Quote,
    ) -> Result<(), RiskError> {
        if amount == 0 {
            return Ok(());
        }
        // One straight-line path for both signs (the VM charges every instruction of a frame,
        // taken or not, so two copies would cost twice): pick direction, price and weights, then
        // value the position once for init and once for maint.
        let w = asset.weights();
        let (rounding, init_price, init_weight, maint_weight, sums_init, sums_maint) = if amount > 0
        {
            let (i, m) = (&mut self.init.assets, &mut self.maint.assets);
            (
                Rounding::Floor,
                quote.low_raw(),
                w.asset_weight_init(),
                w.asset_weight_maint(),
                i,
                m,
            )
        } else {
            let (i, m) = (&mut self.init.liabs, &mut self.maint.liabs);
            (
                Rounding::Ceil,
                quote.high_raw(),
                w.liab_weight_init(),
                w.liab_weight_maint(),
                i,
                m,
            )
        };
        let tokens = asset.unit().magnitude_bits(amount, rounding)?;
        let init_price = quote.raw_to_bits(init_price, rounding)?;
        let spot = quote.raw_to_bits(quote.spot_raw(), rounding)?;
        let init = sums_init.checked_add(weighted(tokens, init_price, init_weight, rounding)?)?;
        let maint = sums_maint.checked_add(weighted(tokens, spot, maint_weight, rounding)?)?;
        (*sums_init, *sums_maint) = (init, maint);
        Ok(())
    }

    /// Whether the account is liquidatable: `health_factor(maint) < 1`, decided as
    /// `assets_maint < liabs_maint` (no division; same answer as [`Health::is_liquidatable`]).
    pub fn is_liquidatable(&self) -> bool {
        self.maint.assets < self.maint.liabs
    }

    /// Whether a risk-raising call may end here: `health_factor(init) >= 1`, decided as
    /// `assets_init >= liabs_init` (no division).
    pub fn meets_init(&self) -> bool {
        self.init.assets >= self.init.liabs
    }

    /// The health factors of these sums (two fixed-point divisions, skipped for zero liabilities).
    pub fn health(&self) -> Health {
        Health {
            init: self.init.health_factor(),
            maint: self.maint.health_factor(),
            sums: *self,
        }
    }
}

/// The health of an account: both factors (rounded down; [`Ratio::MAX`] without liabilities)
/// and the sums they come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Health {
    /// `assets_init / liabs_init`.
    pub init: Ratio,
    /// `assets_maint / liabs_maint`.
    pub maint: Ratio,
    /// The four weighted sums.
    pub sums: HealthSums,
}

/// [`Health`] as margin-account's `health` view returns it: every field `i128` with 7 decimals;
/// factors rounded down (`i128::MAX` without liabilities), collateral sums rounded down,
/// liability sums rounded up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HealthAbi {
    /// Init health factor.
    pub init: i128,
    /// Maint health factor.
    pub maint: i128,
    /// Weighted collateral for init.
    pub assets_init: i128,
    /// Weighted liabilities for init.
    pub liabs_init: i128,
    /// Weighted collateral for maint.
    pub assets_maint: i128,
    /// Weighted liabilities for maint.
    pub liabs_maint: i128,
}

impl Health {
    /// Whether the account is liquidatable (`maint < 1`).
    pub fn is_liquidatable(&self) -> bool {
        self.maint < Ratio::ONE
    }

    /// The 7-decimal ABI form (infallible: every field is below `2^103` at 7 decimals).
    pub fn to_abi(&self) -> HealthAbi {
        let s = &self.sums;
        HealthAbi {
            init: health_factor_to_abi(self.init),
            maint: health_factor_to_abi(self.maint),
            assets_init: s.init.assets.to_abi(Rounding::Floor),
            liabs_init: s.init.liabs.to_abi(Rounding::Ceil),
            assets_maint: s.maint.assets.to_abi(Rounding::Floor),
            liabs_maint: s.maint.liabs.to_abi(Rounding::Ceil),
        }
    }
}

/// The health of an account over a snapshot: `(amount, asset, quote)` per position.
///
/// # Arguments
/// * `positions` - signed base-unit amounts with their asset's risk parameters and quote.
///
/// # Errors
/// * [`RiskError::Overflow`] - a value or a sum exceeds [`crate::Value::MAX`].
pub fn compute_health<'a, I>(positions: I) -> Result<Health, RiskError>
where
    I: IntoIterator<Item = (i128, &'a AssetRisk, &'a Quote)>,
{
    let mut sums = HealthSums::ZERO;
    for (amount, asset, quote) in positions {
        sums.add_position(amount, asset, quote)?;
    }
    Ok(sums.health())
}

//! [`RiskWeights`]: an asset's four health weights, validated once at config time.

use crate::{Ratio, RiskError, Rounding};

/// The weights of one asset (SPEC §3, §6.3), validated:
/// `0 <= asset_weight_init <= asset_weight_maint <= 1` and
/// `liab_weight_init >= liab_weight_maint >= 1`. A haircut is `1 - asset_weight`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RiskWeights {
    asset_weight_init: Ratio,
    asset_weight_maint: Ratio,
    liab_weight_init: Ratio,
    liab_weight_maint: Ratio,
}

/// Checks the weight rules of SPEC §3 and §6.3.
///
/// # Arguments
/// * `asset_weight_init`, `asset_weight_maint` - collateral weights, in `[0, 1]`.
/// * `liab_weight_init`, `liab_weight_maint` - liability weights, `>= 1`.
///
/// # Errors
/// * [`RiskError::InvalidWeight`] - an asset weight above 1 or a liability weight below 1.
/// * [`RiskError::WeightOrder`] - `asset_weight_init > asset_weight_maint` or
///   `liab_weight_init < liab_weight_maint`.
///
/// # Notes
/// Range is checked before order, so a config with both faults reports `InvalidWeight`.
/// These rules make init health <= maint health for every account.
pub fn validate_weights(
    asset_weight_init: Ratio,
    asset_weight_maint: Ratio,
    liab_weight_init: Ratio,
    liab_weight_maint: Ratio,
) -> Result<(), RiskError> {
    if asset_weight_init > Ratio::ONE || asset_weight_maint > Ratio::ONE {
        return Err(RiskError::InvalidWeight);
    }
    if liab_weight_init < Ratio::ONE || liab_weight_maint < Ratio::ONE {
        return Err(RiskError::InvalidWeight);
    }
    if asset_weight_init > asset_weight_maint || liab_weight_init < liab_weight_maint {
        return Err(RiskError::WeightOrder);
    }
    Ok(())
}

impl RiskWeights {
    /// Validated weights.
    ///
    /// # Errors
    /// As [`validate_weights`].
    #[inline(always)]
    pub fn new(
        asset_weight_init: Ratio,
        asset_weight_maint: Ratio,
        liab_weight_init: Ratio,
        liab_weight_maint: Ratio,
    ) -> Result<RiskWeights, RiskError> {
        validate_weights(
            asset_weight_init,
            asset_weight_maint,
            liab_weight_init,
            liab_weight_maint,
        )?;
        Ok(RiskWeights {
            asset_weight_init,
            asset_weight_maint,
            liab_weight_init,
            liab_weight_maint,
        })
    }

    /// Validated weights from their 7-decimal ABI form (`10_000_000` = 1.0).
    ///
    /// # Arguments
    /// * the four weights, each times `10^7`.
    ///
    /// # Errors
    /// * [`RiskError::NegativeAmount`] - a weight is negative.
    /// * [`RiskError::Overflow`] - a weight exceeds [`Ratio::MAX`].
    /// * as [`validate_weights`].
    ///
    /// # Notes
    /// Asset weights round down and liability weights up (both in the protocol's favour). The
    /// rounding is monotone, so ordered ABI weights stay ordered, and the ABI values 0 and 1.0
    /// convert exactly.
    pub fn from_abi(
        asset_weight_init: i128,
        asset_weight_maint: i128,
        liab_weight_init: i128,
        liab_weight_maint: i128,
    ) -> Result<RiskWeights, RiskError> {
        RiskWeights::new(
            Ratio::from_abi(asset_weight_init, Rounding::Floor)?,
            Ratio::from_abi(asset_weight_maint, Rounding::Floor)?,
            Ratio::from_abi(liab_weight_init, Rounding::Ceil)?,
            Ratio::from_abi(liab_weight_maint, Rounding::Ceil)?,
        )
    }

    /// Collateral weight for init health.
    pub const fn asset_weight_init(&self) -> Ratio {
        self.asset_weight_init
    }

    /// Collateral weight for maint health.
    pub const fn asset_weight_maint(&self) -> Ratio {
        self.asset_weight_maint
    }

    /// Liability weight for init health.
    pub const fn liab_weight_init(&self) -> Ratio {
        self.liab_weight_init
    }

    /// Liability weight for maint health.
    pub const fn liab_weight_maint(&self) -> Ratio {
        self.liab_weight_maint
    }
}

//! The proposal's figures as the 7-decimal integers that cross the ABI (SPEC §2), rounded in the
//! protocol's favour, and the SPEC §3 / §6.3 / §7 rules they must satisfy.
//!
//! Rounding: asset weights, `cut` and `cusp` round **down** (less borrowing power; a faster
//! fall; a later reset so the curve reaches its clearing target); liability weights, the
//! penalty and `buf` round **up** (more debt weight, more penalty, a higher start).

use crate::error::CalibrationError;

/// `1.0` in the ABI's 7-decimal fixed point.
pub const ABI_ONE: i128 = 10_000_000;

/// Largest stairstep `cut` the shared risk core accepts: `1 - 2^-16` rounded down to 7 decimals
/// (closer to 1, the curve's rounding could break its monotonicity; see `risk_core::auction`).
pub const MAX_CUT_ABI: i128 = 9_999_847;

/// `x` in 7-decimal fixed point, rounded toward minus infinity.
pub fn floor_abi(x: f64) -> i128 {
    (x * ABI_ONE as f64).floor() as i128
}

/// `x` in 7-decimal fixed point, rounded toward plus infinity.
pub fn ceil_abi(x: f64) -> i128 {
    (x * ABI_ONE as f64).ceil() as i128
}

/// A 7-decimal ABI integer back as a float (for display and for rules chained on a rounded
/// figure).
pub fn from_abi(x: i128) -> f64 {
    x as f64 / ABI_ONE as f64
}

/// An asset's risk config in ABI form (SPEC §6.3 names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbiAssetConfig {
    /// `asset_weight_init`.
    pub asset_weight_init: i128,
    /// `asset_weight_maint`.
    pub asset_weight_maint: i128,
    /// `liab_weight_init`.
    pub liab_weight_init: i128,
    /// `liab_weight_maint`.
    pub liab_weight_maint: i128,
    /// `liquidation_penalty`.
    pub liquidation_penalty: i128,
}

impl AbiAssetConfig {
    /// Checks SPEC §3 and §6.3: `0 <= awi <= awm <= 1`, `lwi >= lwm >= 1`, `penalty >= 0`, and
    /// `awm * (1 + penalty) < 1` (exactly, on the integers).
    ///
    /// # Errors
    /// * [`CalibrationError::RuleViolation`] - naming the first rule broken.
    pub fn check(&self) -> Result<(), CalibrationError> {
        let (awi, awm) = (self.asset_weight_init, self.asset_weight_maint);
        let (lwi, lwm) = (self.liab_weight_init, self.liab_weight_maint);
        let p = self.liquidation_penalty;
        let broken = if !(0 <= awi && awi <= awm && awm <= ABI_ONE) {
            "0 <= asset_weight_init <= asset_weight_maint <= 1"
        } else if !(lwi >= lwm && lwm >= ABI_ONE) {
            "liab_weight_init >= liab_weight_maint >= 1"
        } else if p < 0 {
            "liquidation_penalty >= 0"
        } else if awm * (ABI_ONE + p) >= ABI_ONE * ABI_ONE {
            "asset_weight_maint * (1 + liquidation_penalty) < 1"
        } else {
            return Ok(());
        };
        Err(CalibrationError::RuleViolation(format!(
            "{broken}: {self:?}"
        )))
    }
}

/// Stairstep auction parameters in ABI form (SPEC §7.3, §7.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbiAuction {
    /// `buf`: start price over the spot ratio (>= 1).
    pub buf: i128,
    /// `cut`: price factor per step (in (0, 1)).
    pub cut: i128,
    /// `step`: seconds between cuts.
    pub step: u64,
    /// `tail`: seconds after which an auction may be reset.
    pub tail: u64,
    /// `cusp`: fraction of `top` below which an auction may be reset (in (0, 1)).
    pub cusp: i128,
}

impl AbiAuction {
    /// Checks `buf >= 1`, `0 < cut <= MAX_CUT_ABI`, `0 < cusp < 1`, `step > 0`, `tail > 0`.
    ///
    /// # Errors
    /// * [`CalibrationError::RuleViolation`] - naming the first rule broken.
    pub fn check(&self) -> Result<(), CalibrationError> {
        let broken = if self.buf < ABI_ONE {
            "buf >= 1"
        } else if !(0 < self.cut && self.cut <= MAX_CUT_ABI) {
            "0 < cut <= 1 - 2^-16"
        } else if !(0 < self.cusp && self.cusp < ABI_ONE) {
            "0 < cusp < 1"
        } else if self.step == 0 || self.tail == 0 {
            "step > 0 and tail > 0"
        } else {
            return Ok(());
        };
        Err(CalibrationError::RuleViolation(format!(
            "{broken}: {self:?}"
        )))
    }
}

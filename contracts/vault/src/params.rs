//! The governance-set parameters of a vault: the rate curve, the reserve factor and the caps.

use risk_core::interest::RateCurve;
use risk_core::{Ratio, Rounding, ABI_SCALE};
use soroban_sdk::contracttype;

use crate::error::VaultError;

/// The highest borrow rate a curve may reach at full utilization: 1000 % a year (7 decimals).
/// It bounds the index growth per call far below any overflow.
pub const MAX_BORROW_RATE: i128 = 10 * ABI_SCALE;

/// Risk parameters as they cross the ABI: ratios and annual rates with 7 decimals
/// (`10_000_000` = 1.0), caps in the asset's base units.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct VaultParams {
    /// Borrow rate at zero utilization.
    pub base_rate: i128,
    /// Rate added from zero utilization up to the kink.
    pub slope1: i128,
    /// Utilization where `slope2` takes over, in `(0, 1]`.
    pub kink: i128,
    /// Rate added from the kink up to full utilization.
    pub slope2: i128,
    /// Share of interest that goes to the protocol reserve, in `[0, 1]`.
    pub reserve_factor: i128,
    /// Highest utilization a borrow may leave, in `(0, 1]`.
    pub max_utilization: i128,
    /// Highest total assets a deposit may leave (`i128::MAX`: no cap).
    pub deposit_cap: i128,
    /// Highest total debt a borrow may leave (`i128::MAX`: no cap).
    pub borrow_cap: i128,
}

impl VaultParams {
    /// Checks every field against its range.
    ///
    /// # Errors
    /// * [`VaultError::InvalidRateCurve`] - a negative rate, a kink outside `(0, 1]`, or a rate at
    ///   full utilization above [`MAX_BORROW_RATE`].
    /// * [`VaultError::InvalidReserveFactor`] - outside `[0, 1]`.
    /// * [`VaultError::InvalidMaxUtilization`] - outside `(0, 1]`.
    /// * [`VaultError::InvalidCap`] - a negative cap.
    pub fn validate(&self) -> Result<(), VaultError> {
        let rates = [self.base_rate, self.slope1, self.slope2];
        let top = rates.iter().try_fold(0i128, |sum, r| sum.checked_add(*r));
        let curve_ok = rates.iter().all(|r| *r >= 0)
            && top.is_some_and(|t| t <= MAX_BORROW_RATE)
            && self.kink > 0
            && self.kink <= ABI_SCALE;
        if !curve_ok {
            return Err(VaultError::InvalidRateCurve);
        }
        if !(0..=ABI_SCALE).contains(&self.reserve_factor) {
            return Err(VaultError::InvalidReserveFactor);
        }
        if self.max_utilization <= 0 || self.max_utilization > ABI_SCALE {
            return Err(VaultError::InvalidMaxUtilization);
        }
        if self.deposit_cap < 0 || self.borrow_cap < 0 {
            return Err(VaultError::InvalidCap);
        }
        Ok(())
    }

    /// The curve's borrow rate at 100 % utilization, 7 decimals, as set: `base_rate + slope1 +
    /// slope2`, except with the kink at 1.0 (`ABI_SCALE`), where the steep part never applies and
    /// the top is `base_rate + slope1`. No rate of the curve is higher. The fixed-point curve
    /// converts each term rounding up, so its rate at 100 % exceeds this value by less than three
    /// units of `2^-48` (under one per term).
    ///
    /// # Errors
    /// * [`VaultError::Overflow`] - the sum overflows (parameters are validated when set).
    pub fn max_borrow_rate(&self) -> Result<i128, VaultError> {
        let steep = if self.kink >= ABI_SCALE {
            0
        } else {
            self.slope2
        };
        self.base_rate
            .checked_add(self.slope1)
            .and_then(|r| r.checked_add(steep))
            .ok_or(VaultError::Overflow)
    }

    /// The rate curve in fixed point. Rates round up (the lenders' favour).
    ///
    /// # Errors
    /// * [`VaultError::NegativeAmount`] - a negative rate (parameters are validated when set).
    pub fn curve(&self) -> Result<RateCurve, VaultError> {
        Ok(RateCurve {
            base_rate: Ratio::from_abi(self.base_rate, Rounding::Ceil)?,
            slope1: Ratio::from_abi(self.slope1, Rounding::Ceil)?,
            kink: Ratio::from_abi(self.kink, Rounding::Ceil)?,
            slope2: Ratio::from_abi(self.slope2, Rounding::Ceil)?,
        })
    }

    /// The reserve factor in fixed point, rounded down (the lenders' favour).
    ///
    /// # Errors
    /// * [`VaultError::NegativeAmount`] - a negative factor.
    pub fn reserve_factor(&self) -> Result<Ratio, VaultError> {
        Ok(Ratio::from_abi(self.reserve_factor, Rounding::Floor)?)
    }

    /// The utilization ceiling in fixed point, rounded up like the utilization it is compared
    /// with, so that a borrow to exactly the ceiling passes.
    ///
    /// # Errors
    /// * [`VaultError::NegativeAmount`] - a negative ceiling.
    pub fn max_utilization(&self) -> Result<Ratio, VaultError> {
        Ok(Ratio::from_abi(self.max_utilization, Rounding::Ceil)?)
    }
}

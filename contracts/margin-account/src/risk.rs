//! The risk view of an [`AssetRecord`]: ramped maintenance weights, the position valuation through
//! the vault cache, and the cache refresh from a vault's totals.
//!
//! Valuation (see the crate docs for why it errs on the protocol's side):
//! ```text
//! collateral tokens = floor(shares * share_price)            share price only rises
//! debt tokens       = ceil(debt_shares * index_bound(now))   index extrapolated at max_rate
//! ```

use risk_core::interest::BorrowIndex;
use risk_core::{AssetRisk, Ratio, RiskWeights, Rounding};

use crate::math::{index_bound, share_price, shares_to_tokens};
use crate::record::AssetRecord;
use crate::Error;

/// `from + (to - from) * elapsed / duration`, rounded away from `from` (toward the tighter
/// target), for `now` inside `[start, end)`; `to` outside. Inlined: the VM charges a function's
/// straight-line body on entry, so the interpolation must stay behind the call below, not beside
/// the early return.
#[inline(always)]
pub(crate) fn ramp(from: i128, to: i128, start: u64, end: u64, now: u64) -> i128 {
    if now >= end || from == to || now < start {
        return to;
    }
    ramp_between(from, to, start, end, now)
}

/// The interpolation itself, kept out of line: the VM charges a block's instructions on entry,
/// and only assets in a ramp need it.
#[inline(never)]
fn ramp_between(from: i128, to: i128, start: u64, end: u64, now: u64) -> i128 {
    let (elapsed, duration) = ((now - start) as i128, (end - start) as i128);
    let step = (to - from) * elapsed;
    // Round the step's magnitude up: the weight is never looser than the linear path.
    let moved = if step >= 0 {
        (step + duration - 1) / duration
    } else {
        -((-step + duration - 1) / duration)
    };
    from + moved
}

/// What the health check needs of an asset for one position, at one time: small and flat, so
/// that the per-position path moves no large struct (each move of a few hundred bytes is a
/// `memcpy` call the VM charges dearly for).
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub struct Hot {
    pub decimals: u32,
    pub asset_weight_init: i128,
    pub asset_weight_maint: i128,
    pub liab_weight_init: i128,
    pub liab_weight_maint: i128,
    /// Tokens per share: the cached share price for collateral, the index bound for debt.
    pub rate: i128,
}

impl Hot {
    /// The risk parameters in the form `risk_core` takes.
    ///
    /// # Errors
    /// The weight validation errors (they hold by construction), `InvalidDecimals`.
    #[inline(always)]
    pub fn asset_risk(&self) -> Result<AssetRisk, Error> {
        let weights = RiskWeights::new(
            Ratio::from_bits(self.asset_weight_init)?,
            Ratio::from_bits(self.asset_weight_maint)?,
            Ratio::from_bits(self.liab_weight_init)?,
            Ratio::from_bits(self.liab_weight_maint)?,
        )?;
        Ok(AssetRisk::new(self.decimals, weights)?)
    }

    /// The signed token amount of `shares` (collateral rounded down, debt up).
    ///
    /// # Errors
    /// `Overflow`.
    #[inline(always)]
    pub fn tokens(&self, shares: i128) -> Result<i128, Error> {
        if shares >= 0 {
            return shares_to_tokens(shares, self.rate, Rounding::Floor);
        }
        Ok(-shares_to_tokens(shares, self.rate, Rounding::Ceil)?)
    }
}

impl AssetRecord {
    /// The health view of this asset for a position of sign `debt` at `now`.
    ///
    /// # Errors
    /// `SyncRequired`, `Overflow`.
    pub fn hot(&self, debt: bool, now: u64) -> Result<Hot, Error> {
        let (awm, lwm) = self.maint_weights(now);
        Ok(Hot {
            decimals: self.decimals,
            asset_weight_init: self.asset_weight_init,
            asset_weight_maint: awm,
            liab_weight_init: self.liab_weight_init,
            liab_weight_maint: lwm,
            rate: if debt {
                self.index_at(now)?
            } else {
                self.share_price
            },
        })
    }

    /// The maintenance weights at `now` (raw bits): `(asset_weight_maint, liab_weight_maint)`.
    pub fn maint_weights(&self, now: u64) -> (i128, i128) {
        let (s, e) = (self.ramp_start, self.ramp_end);
        (
            ramp(
                self.asset_weight_maint_from,
                self.asset_weight_maint_to,
                s,
                e,
                now,
            ),
            ramp(
                self.liab_weight_maint_from,
                self.liab_weight_maint_to,
                s,
                e,
                now,
            ),
        )
    }

    /// The upper bound of the vault's borrow index at `now`.
    ///
    /// # Errors
    /// `SyncRequired`, `Overflow`.
    pub fn index_at(&self, now: u64) -> Result<i128, Error> {
        let elapsed = now.saturating_sub(self.synced_at);
        index_bound(self.debt_index, self.max_rate, elapsed)
    }

    /// The signed token amount of a position of `shares` (positive: vault shares, negative: debt
    /// shares): collateral rounded down at the cached share price, debt rounded up at `index`.
    ///
    /// # Errors
    /// `Overflow`.
    pub fn tokens(&self, shares: i128, index: i128) -> Result<i128, Error> {
        if shares >= 0 {
            return shares_to_tokens(shares, self.share_price, Rounding::Floor);
        }
        Ok(-shares_to_tokens(shares, index, Rounding::Ceil)?)
    }

    /// Refreshes the vault cache from the vault's `credit_state`
    /// `(total_assets, total_supply, borrow_index_bits, max_borrow_rate_7dec, timestamp)`.
    ///
    /// The vault computes its borrow rate in fixed point from the same 7-decimal parameters and
    /// may land up to [`MAX_RATE_SLACK_BITS`] above the ceiling of the 7-decimal top rate; the
    /// cached bound adds that slack so extrapolated debt is never under-stated.
    ///
    /// # Errors
    /// `NegativeAmount`, `Overflow` (malformed vault state).
    pub fn sync(&mut self, state: (i128, i128, i128, i128, u64), now: u64) -> Result<(), Error> {
        let (total_assets, total_supply, borrow_index, max_rate, _) = state;
        BorrowIndex::from_bits(borrow_index)?;
        self.share_price = share_price(total_assets, total_supply)?;
        self.debt_index = borrow_index;
        self.max_rate = Ratio::from_abi(max_rate, Rounding::Ceil)?
            .to_bits()
            .checked_add(MAX_RATE_SLACK_BITS)
            .ok_or(Error::Overflow)?;
        self.synced_at = now;
        Ok(())
    }
}

/// Fixed-point units (2^-48) by which the vault's internal top borrow rate may exceed the
/// ceiling of its 7-decimal `max_borrow_rate`.
pub const MAX_RATE_SLACK_BITS: i128 = 2;

#[cfg(test)]
mod test {
    use super::ramp;

    #[test]
    fn ramp_moves_linearly_and_rounds_toward_the_target() {
        assert_eq!(ramp(100, 40, 10, 70, 10), 100);
        assert_eq!(ramp(100, 40, 10, 70, 40), 70);
        assert_eq!(ramp(100, 41, 10, 70, 11), 99); // 100 - ceil(59 / 60)
        assert_eq!(ramp(100, 40, 10, 70, 70), 40);
        assert_eq!(ramp(10, 20, 0, 3, 1), 14); // 10 + ceil(10/3)
        assert_eq!(ramp(10, 20, 0, 3, 9), 20);
    }
}

//! Interest and share accounting of a vault (SPEC §5), host-free so that the keeper, the
//! simulator and margin-account compute exactly what the vault does.
//!
//! - **Rate curve.** The borrow rate is a kinked function of utilization `u = debt / assets`:
//!   `base_rate + slope1 * u / kink` up to the kink, then
//!   `base_rate + slope1 + slope2 * (u - kink) / (1 - kink)`. Rates are annual [`Ratio`]s.
//! - **Borrow index.** Debt is held as debt shares; one debt share owes [`BorrowIndex`] assets.
//!   Each interaction accrues simple interest since the last one:
//!   `index' = index * (1 + rate * elapsed / SECONDS_PER_YEAR)`, rounded up. Interactions compound,
//!   so the APR is the rate a borrower pays over a year without interactions.
//! - **Shares.** Vault shares convert through a virtual offset of [`VIRTUAL_SHARES`] share and
//!   [`VIRTUAL_ASSETS`] asset unit: `shares = assets * (supply + 1) / (total_assets + 1)`. The empty
//!   vault has a defined price of 1, and a donation is shared with the virtual share, so inflating
//!   the price costs the attacker what it takes from others.
//!
//! Every function takes the rounding direction ([`Rounding`]) from the caller, who states which
//! way is the vault's favour; every overflow is [`RiskError::Overflow`].

use crate::math::wide_mul;
use crate::{Ratio, RiskError, Rounding, ABI_SCALE, FRAC_BITS};

/// Seconds in the 365-day year that annual rates refer to.
pub const SECONDS_PER_YEAR: u64 = 365 * 86_400;

/// Virtual shares added to the supply in every conversion (decimals offset 0).
pub const VIRTUAL_SHARES: u128 = 1;

/// Virtual asset units added to total assets in every conversion.
pub const VIRTUAL_ASSETS: u128 = 1;

/// `1.0` in the bits of a [`Ratio`] or [`BorrowIndex`].
const ONE_BITS: u128 = 1 << FRAC_BITS;

/// The assets owed per debt share, a fixed-point number `>= 1` with [`FRAC_BITS`] fraction bits.
/// It crosses the ABI as its raw bits (`2^48` = 1.0), so that margin-account reproduces the
/// vault's debt exactly with [`debt_for_shares`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BorrowIndex(u128);

impl BorrowIndex {
    /// The index at creation: one asset unit per debt share.
    pub const ONE: BorrowIndex = BorrowIndex(ONE_BITS);

    /// The index held by raw bits (`2^48` = 1.0).
    ///
    /// # Errors
    /// * [`RiskError::NegativeAmount`] - `bits < 2^48`: an index never falls below 1.
    pub fn from_bits(bits: i128) -> Result<BorrowIndex, RiskError> {
        if bits < ONE_BITS as i128 {
            return Err(RiskError::NegativeAmount);
        }
        Ok(BorrowIndex(bits as u128))
    }

    /// The raw bits (`2^48` = 1.0), for storage and the ABI.
    pub const fn to_bits(self) -> i128 {
        self.0 as i128
    }
}

/// The kinked borrow-rate curve (annual rates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateCurve {
    /// Rate at zero utilization.
    pub base_rate: Ratio,
    /// Rate added between zero utilization and the kink.
    pub slope1: Ratio,
    /// Utilization where the steep slope starts, in `(0, 1]`.
    pub kink: Ratio,
    /// Rate added between the kink and full utilization.
    pub slope2: Ratio,
}

impl RateCurve {
    /// Whether the curve is usable: a kink in `(0, 1]` and a top rate that does not overflow.
    pub fn is_well_formed(&self) -> bool {
        !self.kink.is_zero() && self.kink <= Ratio::ONE && self.max_rate().is_ok()
    }

    /// The rate at full utilization: `base_rate + slope1 + slope2`.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the sum exceeds [`Ratio::MAX`].
    pub fn max_rate(&self) -> Result<Ratio, RiskError> {
        self.base_rate
            .checked_add(self.slope1)?
            .checked_add(self.slope2)
    }

    /// The annual borrow rate at `utilization`, rounded up (in the lenders' favour).
    ///
    /// ```text
    /// u <= kink:  base_rate + slope1 * u / kink
    /// u >  kink:  base_rate + slope1 + slope2 * (u - kink) / (1 - kink)
    /// ```
    ///
    /// # Errors
    /// * [`RiskError::DivisionByZero`] - the kink is zero (a curve that is not well formed).
    /// * [`RiskError::Overflow`] - the rate exceeds [`Ratio::MAX`].
    pub fn borrow_rate(&self, utilization: Ratio) -> Result<Ratio, RiskError> {
        let u = utilization.min(Ratio::ONE);
        if u <= self.kink {
            let steep = ratio_mul_div(self.slope1, u, self.kink)?;
            return self.base_rate.checked_add(steep);
        }
        let above = u.checked_sub(self.kink)?;
        let span = Ratio::ONE.checked_sub(self.kink)?;
        let steep = ratio_mul_div(self.slope2, above, span)?;
        self.base_rate.checked_add(self.slope1)?.checked_add(steep)
    }
}

/// `a * b / c` over ratios, rounded up.
fn ratio_mul_div(a: Ratio, b: Ratio, c: Ratio) -> Result<Ratio, RiskError> {
    let bits = mul_div(
        a.to_bits() as u128,
        b.to_bits() as u128,
        c.to_bits() as u128,
        Rounding::Ceil,
    )?;
    Ratio::from_bits(to_i128(bits)?)
}

/// Utilization `debt / assets`, rounded up and capped at 1; zero without debt.
///
/// # Arguments
/// * `debt` - outstanding debt with accrued interest (asset units).
/// * `assets` - what lenders own: cash + debt - reserves (asset units).
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - a negative input.
pub fn utilization(debt: i128, assets: i128) -> Result<Ratio, RiskError> {
    let (debt, assets) = (non_negative(debt)?, non_negative(assets)?);
    if debt == 0 {
        return Ok(Ratio::ZERO);
    }
    if debt >= assets {
        return Ok(Ratio::ONE);
    }
    let bits = mul_div(debt, ONE_BITS, assets, Rounding::Ceil)?;
    Ratio::from_bits(to_i128(bits)?)
}

/// The index after `elapsed` seconds at the annual `rate`, rounded up (in the lenders' favour):
/// `index * (1 + rate * elapsed / SECONDS_PER_YEAR)`.
///
/// # Errors
/// * [`RiskError::Overflow`] - the index does not fit `i128` bits.
pub fn accrue_index(
    index: BorrowIndex,
    rate: Ratio,
    elapsed: u64,
) -> Result<BorrowIndex, RiskError> {
    if elapsed == 0 || rate.is_zero() {
        return Ok(index);
    }
    let growth = mul_div(
        rate.to_bits() as u128,
        elapsed as u128,
        SECONDS_PER_YEAR as u128,
        Rounding::Ceil,
    )?;
    let interest = mul_div(index.0, growth, ONE_BITS, Rounding::Ceil)?;
    let bits = index.0.checked_add(interest).ok_or(RiskError::Overflow)?;
    to_i128(bits)?;
    Ok(BorrowIndex(bits))
}

/// The debt owed by `shares` debt shares at `index`: `shares * index`.
///
/// # Arguments
/// * `rounding` - `Ceil` for what is owed to the vault.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - `shares < 0`.
/// * [`RiskError::Overflow`] - the debt does not fit `i128`.
pub fn debt_for_shares(
    shares: i128,
    index: BorrowIndex,
    rounding: Rounding,
) -> Result<i128, RiskError> {
    to_i128(mul_div(non_negative(shares)?, index.0, ONE_BITS, rounding)?)
}

/// The debt shares worth `amount` assets at `index`: `amount / index`.
///
/// # Arguments
/// * `rounding` - `Ceil` for shares minted on a borrow, `Floor` for shares burned on a repay.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - `amount < 0`.
/// * [`RiskError::Overflow`] - the result does not fit `i128`.
pub fn shares_for_debt(
    amount: i128,
    index: BorrowIndex,
    rounding: Rounding,
) -> Result<i128, RiskError> {
    to_i128(mul_div(non_negative(amount)?, ONE_BITS, index.0, rounding)?)
}

/// Vault shares worth `assets`: `assets * (supply + 1) / (total_assets + 1)`.
///
/// # Arguments
/// * `rounding` - `Floor` for shares minted on a deposit, `Ceil` for shares burned on a
///   withdrawal.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - a negative input.
/// * [`RiskError::Overflow`] - the result does not fit `i128`.
pub fn assets_to_shares(
    assets: i128,
    total_assets: i128,
    total_supply: i128,
    rounding: Rounding,
) -> Result<i128, RiskError> {
    let supply = virtual_total(total_supply, VIRTUAL_SHARES)?;
    let total = virtual_total(total_assets, VIRTUAL_ASSETS)?;
    to_i128(mul_div(non_negative(assets)?, supply, total, rounding)?)
}

/// Assets worth `shares`: `shares * (total_assets + 1) / (supply + 1)`.
///
/// # Arguments
/// * `rounding` - `Floor` for assets paid on a redemption, `Ceil` for assets taken on a mint.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - a negative input.
/// * [`RiskError::Overflow`] - the result does not fit `i128`.
pub fn shares_to_assets(
    shares: i128,
    total_assets: i128,
    total_supply: i128,
    rounding: Rounding,
) -> Result<i128, RiskError> {
    let supply = virtual_total(total_supply, VIRTUAL_SHARES)?;
    let total = virtual_total(total_assets, VIRTUAL_ASSETS)?;
    to_i128(mul_div(non_negative(shares)?, total, supply, rounding)?)
}

/// The share price `(total_assets + 1) / (supply + 1)` as a 7-decimal ABI ratio, rounded down.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - a negative input.
/// * [`RiskError::Overflow`] - the price does not fit `i128`.
pub fn share_price_abi(total_assets: i128, total_supply: i128) -> Result<i128, RiskError> {
    shares_to_assets(ABI_SCALE, total_assets, total_supply, Rounding::Floor)
}

/// The part of `interest` that goes to the protocol reserve: `interest * reserve_factor`, rounded
/// down (the rounding dust stays with the lenders).
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - `interest < 0`.
/// * [`RiskError::Overflow`] - the result does not fit `i128`.
pub fn reserve_cut(interest: i128, reserve_factor: Ratio) -> Result<i128, RiskError> {
    let factor = reserve_factor.to_bits() as u128;
    to_i128(mul_div(
        non_negative(interest)?,
        factor,
        ONE_BITS,
        Rounding::Floor,
    )?)
}

/// `a * b / c` with a 256-bit intermediate, rounded as asked.
///
/// # Errors
/// * [`RiskError::DivisionByZero`] - `c == 0`.
/// * [`RiskError::Overflow`] - the quotient does not fit `u128`.
///
/// # Notes
/// Dividing by the fixed-point one (a power of two) is a shift.
pub fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> Result<u128, RiskError> {
    if c == 0 {
        return Err(RiskError::DivisionByZero);
    }
    let (high, low) = wide_mul(a, b);
    let (quotient, remainder) = if high == 0 {
        div_rem(low, c)
    } else if high >= c {
        return Err(RiskError::Overflow);
    } else {
        div_wide(high, low, c)
    };
    if rounding == Rounding::Ceil && remainder != 0 {
        return quotient.checked_add(1).ok_or(RiskError::Overflow);
    }
    Ok(quotient)
}

/// `(n / d, n % d)` for `d > 0`, with a shift for powers of two.
fn div_rem(n: u128, d: u128) -> (u128, u128) {
    if d.is_power_of_two() {
        return (n >> d.trailing_zeros(), n & (d - 1));
    }
    (n / d, n % d)
}

/// `(high * 2^128 + low) / divisor` by restoring long division, for `high < divisor` (so the
/// quotient fits `u128`). Returns `(quotient, remainder)`. Only products beyond `u128` take this
/// path.
fn div_wide(high: u128, low: u128, divisor: u128) -> (u128, u128) {
    let mut remainder = high;
    let mut quotient = 0u128;
    for bit in (0..128).rev() {
        let carry = remainder >> 127;
        remainder = (remainder << 1) | ((low >> bit) & 1);
        quotient <<= 1;
        if carry == 1 || remainder >= divisor {
            remainder = remainder.wrapping_sub(divisor);
            quotient |= 1;
        }
    }
    (quotient, remainder)
}

fn non_negative(amount: i128) -> Result<u128, RiskError> {
    u128::try_from(amount).map_err(|_| RiskError::NegativeAmount)
}

fn virtual_total(total: i128, offset: u128) -> Result<u128, RiskError> {
    non_negative(total)?
        .checked_add(offset)
        .ok_or(RiskError::Overflow)
}

fn to_i128(value: u128) -> Result<i128, RiskError> {
    i128::try_from(value).map_err(|_| RiskError::Overflow)
}

#[cfg(test)]
mod test {
    extern crate std;

    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn ratio(abi: i128) -> Ratio {
        Ratio::from_abi(abi, Rounding::Ceil).unwrap()
    }

    /// 4% base, +10% to the 80% kink, +100% above it.
    fn curve() -> RateCurve {
        RateCurve {
            base_rate: ratio(400_000),
            slope1: ratio(1_000_000),
            kink: ratio(8_000_000),
            slope2: ratio(10_000_000),
        }
    }

    #[test]
    fn rate_curve_hits_its_corners() {
        let c = curve();
        // base_rate at zero utilization; base_rate + slope1 at the kink.
        assert_eq!(
            c.borrow_rate(Ratio::ZERO).unwrap().to_abi(Rounding::Floor),
            400_000
        );
        assert_eq!(
            c.borrow_rate(ratio(8_000_000))
                .unwrap()
                .to_abi(Rounding::Floor),
            1_400_000
        );
        // Half way to the kink: 0.04 + 0.10 * 0.4 / 0.8 = 0.09.
        assert_eq!(
            c.borrow_rate(ratio(4_000_000))
                .unwrap()
                .to_abi(Rounding::Floor),
            900_000
        );
        // 0.04 + 0.10 + 1.00 * (0.9 - 0.8) / 0.2 = 0.64; full utilization: 1.14.
        let above = c
            .borrow_rate(ratio(9_000_000))
            .unwrap()
            .to_abi(Rounding::Floor);
        assert!((6_399_999..=6_400_000).contains(&above));
        assert_eq!(
            c.borrow_rate(Ratio::ONE).unwrap().to_abi(Rounding::Floor),
            11_400_000
        );
        assert_eq!(c.max_rate().unwrap().to_abi(Rounding::Floor), 11_400_000);
    }

    #[test]
    fn curve_without_kink_is_malformed() {
        let mut c = curve();
        assert!(c.is_well_formed());
        c.kink = Ratio::ZERO;
        assert!(!c.is_well_formed());
        c.kink = ratio(10_000_001);
        assert!(!c.is_well_formed());
    }

    #[test]
    fn a_year_at_ten_percent_grows_the_index_by_ten_percent() {
        let index = accrue_index(BorrowIndex::ONE, ratio(1_000_000), SECONDS_PER_YEAR).unwrap();
        // 1.1 in bits, up to the upward rounding of the two steps.
        let expected = (ONE_BITS * 11 / 10) as i128;
        assert!((expected..=expected + 2).contains(&index.to_bits()));
        assert_eq!(accrue_index(index, Ratio::ZERO, 1_000).unwrap(), index);
    }

    #[test]
    fn utilization_is_capped_and_zero_without_debt() {
        assert_eq!(utilization(0, 0).unwrap(), Ratio::ZERO);
        assert_eq!(utilization(10, 5).unwrap(), Ratio::ONE);
        assert_eq!(
            utilization(1, 4).unwrap().to_abi(Rounding::Floor),
            2_500_000
        );
        assert_eq!(utilization(-1, 4), Err(RiskError::NegativeAmount));
    }

    #[test]
    fn empty_vault_converts_one_to_one() {
        assert_eq!(
            assets_to_shares(1_000, 0, 0, Rounding::Floor).unwrap(),
            1_000
        );
        assert_eq!(
            shares_to_assets(1_000, 0, 0, Rounding::Floor).unwrap(),
            1_000
        );
        assert_eq!(share_price_abi(0, 0).unwrap(), ABI_SCALE);
        assert_eq!(
            assets_to_shares(-1, 0, 0, Rounding::Floor),
            Err(RiskError::NegativeAmount)
        );
    }

    #[test]
    fn mul_div_reports_overflow_and_division_by_zero() {
        assert_eq!(
            mul_div(1, 1, 0, Rounding::Floor),
            Err(RiskError::DivisionByZero)
        );
        assert_eq!(
            mul_div(u128::MAX, 2, 1, Rounding::Floor),
            Err(RiskError::Overflow)
        );
        assert_eq!(
            mul_div(u128::MAX, u128::MAX, u128::MAX, Rounding::Ceil),
            Ok(u128::MAX)
        );
        assert_eq!(mul_div(7, 1, 2, Rounding::Ceil), Ok(4));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn mul_div_matches_big_integers(a: u128, b: u128, c in 1u128.., ceil: bool) {
            let rounding = if ceil { Rounding::Ceil } else { Rounding::Floor };
            let (a_big, b_big, c_big) = (BigUint::from(a), BigUint::from(b), BigUint::from(c));
            let product = a_big * b_big;
            let mut expected = &product / &c_big;
            if ceil && &expected * &c_big != product {
                expected += 1u32;
            }
            match mul_div(a, b, c, rounding) {
                Ok(q) => prop_assert_eq!(BigUint::from(q), expected),
                Err(e) => {
                    prop_assert_eq!(e, RiskError::Overflow);
                    prop_assert!(expected > BigUint::from(u128::MAX));
                }
            }
        }

        #[test]
        fn div_rem_matches_native(n: u128, d in 1u128..u64::MAX as u128, small: u64) {
            prop_assert_eq!(div_rem(n, d), (n / d, n % d));
            let m = small as u128;
            prop_assert_eq!(div_rem(m, d), (m / d, m % d));
            let p = 1u128 << (small % 128);
            prop_assert_eq!(div_rem(n, p), (n / p, n % p));
        }

        #[test]
        fn rate_is_monotone_in_utilization(a in 0i128..=10_000_000, b in 0i128..=10_000_000) {
            let (lo, hi) = (a.min(b), a.max(b));
            let c = curve();
            prop_assert!(c.borrow_rate(ratio(lo)).unwrap() <= c.borrow_rate(ratio(hi)).unwrap());
        }

        #[test]
        fn share_round_trips_favour_the_vault(
            amount in 0i128..1i128 << 100,
            total_assets in 0i128..1i128 << 100,
            supply in 0i128..1i128 << 100,
        ) {
            // Deposit then redeem never returns more than was paid in.
            let shares = assets_to_shares(amount, total_assets, supply, Rounding::Floor).unwrap();
            let back = shares_to_assets(shares, total_assets, supply, Rounding::Floor).unwrap();
            prop_assert!(back <= amount);
            // Mint costs at least what the shares redeem for.
            let cost = shares_to_assets(amount, total_assets, supply, Rounding::Ceil).unwrap();
            let worth = shares_to_assets(amount, total_assets, supply, Rounding::Floor).unwrap();
            prop_assert!(cost >= worth && cost - worth <= 1);
            // Withdrawing what shares are worth never burns more shares than they are.
            let burned = assets_to_shares(worth, total_assets, supply, Rounding::Ceil).unwrap();
            prop_assert!(burned <= amount);
        }

        #[test]
        fn repaying_the_rounded_up_debt_burns_exactly_the_shares(
            shares in 0i128..1i128 << 90,
            bits in (1i128 << 48)..(1i128 << 60),
        ) {
            let index = BorrowIndex::from_bits(bits).unwrap();
            let debt = debt_for_shares(shares, index, Rounding::Ceil).unwrap();
            prop_assert_eq!(shares_for_debt(debt, index, Rounding::Floor).unwrap(), shares);
            let minted = shares_for_debt(debt, index, Rounding::Ceil).unwrap();
            prop_assert!(debt_for_shares(minted, index, Rounding::Ceil).unwrap() >= debt);
        }

        #[test]
        fn index_never_falls_and_reserve_cut_is_bounded(
            bits in (1i128 << 48)..(1i128 << 56),
            rate in 0i128..100_000_000,
            elapsed in 0u64..10 * SECONDS_PER_YEAR,
            interest in 0i128..1i128 << 100,
            factor in 0i128..=10_000_000,
        ) {
            let index = BorrowIndex::from_bits(bits).unwrap();
            prop_assert!(accrue_index(index, ratio(rate), elapsed).unwrap() >= index);
            prop_assert!(reserve_cut(interest, ratio(factor)).unwrap() <= interest);
        }
    }
}

//! The vault-cache arithmetic on raw `I80F48` bits (`2^48` = 1.0): share and debt-share
//! conversions on the per-position path (straight-line 64-bit limb products, no 128-bit division
//! helper), and the upper bound of a vault's borrow index extrapolated from its last sync.

use risk_core::interest::{mul_div, SECONDS_PER_YEAR};
use risk_core::Rounding;

use crate::Error;

/// `1.0` in raw bits.
pub const ONE: u128 = 1 << 48;

/// Largest number of compounding chunks an extrapolation may take: beyond it the cache is
/// too old to be useful and must be synced.
const MAX_CHUNKS: u128 = 64;

/// `a * b / 2^48`, rounded, for `a < 2^127` and `b < 2^64` (a share price or an index).
///
/// # Errors
/// [`Error::Overflow`] - the result does not fit `i128`.
#[inline]
pub fn mul_bits(a: u128, b: u128, rounding: Rounding) -> Result<u128, Error> {
    if b >> 64 != 0 {
        return Err(Error::Overflow);
    }
    let p0 = (a & u64::MAX as u128) * b;
    let p1 = (a >> 64) * b;
    if p1 >> 111 != 0 {
        return Err(Error::Overflow);
    }
    let mut r = (p1 << 16) + (p0 >> 48);
    if rounding == Rounding::Ceil && p0 & (ONE - 1) != 0 {
        r += 1;
    }
    if r >> 127 != 0 {
        return Err(Error::Overflow);
    }
    Ok(r)
}

/// Tokens worth `shares` at `price` (raw bits) as a signed amount.
///
/// # Errors
/// [`Error::Overflow`].
#[inline]
pub fn shares_to_tokens(shares: i128, price: i128, rounding: Rounding) -> Result<i128, Error> {
    Ok(mul_bits(shares.unsigned_abs(), price as u128, rounding)? as i128)
}

/// An upper bound of the vault's borrow index `elapsed` seconds after it was `index`, if it
/// accrued at no more than `max_rate` a year.
///
/// ```text
/// x = max_rate * elapsed / year,  n = floor(x) + 1 chunks of c = ceil(x / n) <= 1
/// bound = index * (1 + c + c^2)^n  +  elapsed * (index / 2^48 + 3) ulps
/// ```
///
/// The vault compounds at each interaction: `index * prod(1 + r_i * dt_i / year)`, at most
/// `index * exp(x)`, and `exp(c) <= 1 + c + c^2` for `c <= 1`. The vault accrues at most once per
/// second and rounds each accrual up by at most `index / 2^48 + 2` ulps: the last term covers it.
///
/// # Errors
/// [`Error::SyncRequired`] - more than 64 chunks (an old cache at a high rate);
/// [`Error::Overflow`].
#[inline(never)]
pub fn index_bound(index: i128, max_rate: i128, elapsed: u64) -> Result<i128, Error> {
    if elapsed == 0 || max_rate == 0 {
        return Ok(index);
    }
    let year = SECONDS_PER_YEAR as u128;
    let x = mul_div(max_rate as u128, elapsed as u128, year, Rounding::Ceil)?;
    let n = x / ONE + 1;
    if n > MAX_CHUNKS {
        return Err(Error::SyncRequired);
    }
    let c = x.div_ceil(n);
    let growth = ONE + c + mul_div(c, c, ONE, Rounding::Ceil)?;
    let mut bound = index as u128;
    for _ in 0..n {
        bound = mul_div(bound, growth, ONE, Rounding::Ceil)?;
    }
    let slack = (elapsed as u128) * ((index as u128 >> 48) + 3);
    let bound = bound.checked_add(slack).ok_or(Error::Overflow)?;
    i128::try_from(bound).map_err(|_| Error::Overflow)
}

/// The share price `(total_assets + 1) / (supply + 1)` in raw bits, rounded down (the virtual
/// share and asset of `risk_core::interest`).
///
/// # Errors
/// [`Error::NegativeAmount`], [`Error::Overflow`].
pub fn share_price(total_assets: i128, supply: i128) -> Result<i128, Error> {
    if total_assets < 0 || supply < 0 {
        return Err(Error::NegativeAmount);
    }
    let p = mul_div(
        total_assets as u128 + 1,
        ONE,
        supply as u128 + 1,
        Rounding::Floor,
    )?;
    i128::try_from(p).map_err(|_| Error::Overflow)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn mul_bits_rounds_both_ways() {
        let half = ONE / 2;
        assert_eq!(mul_bits(3, half, Rounding::Floor), Ok(1));
        assert_eq!(mul_bits(3, half, Rounding::Ceil), Ok(2));
        let big = (1u128 << 100) + 7;
        assert_eq!(mul_bits(big, ONE, Rounding::Floor), Ok(big));
        assert_eq!(
            mul_bits(1 << 126, 4 * ONE, Rounding::Floor),
            Err(Error::Overflow)
        );
    }

    #[test]
    fn index_bound_is_above_simple_and_compound_growth() {
        let index = ONE as i128;
        let rate = ONE as i128; // 100 % a year
        let year = SECONDS_PER_YEAR;
        let b = index_bound(index, rate, year).unwrap();
        // e = 2.718...: the bound is above e and below 4.
        assert!(b as f64 / ONE as f64 > core::f64::consts::E);
        assert!((b as f64 / ONE as f64) < 4.0);
        let day = index_bound(index, rate, 86_400).unwrap() as f64 / ONE as f64;
        let exact = (86_400f64 / year as f64).exp();
        assert!(day >= exact && day < exact * 1.0001);
        assert_eq!(index_bound(index, rate, 0), Ok(index));
        assert_eq!(
            index_bound(index, 10 * rate, 100 * year),
            Err(Error::SyncRequired)
        );
    }
}

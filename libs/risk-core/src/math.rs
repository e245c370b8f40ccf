//! Bit-level arithmetic behind the newtypes, on non-negative magnitudes (`u128` holding the bits
//! of a non-negative [`Fx`](crate::Fx)). Every function rounds in the direction it is given and
//! reports overflow as [`RiskError::Overflow`].
//!
//! Written for the Soroban VM's metering: wasmi charges the fuel of every instruction of a
//! `block` frame on entry, taken or not, and 67 fuel per `call` site. So the hot helpers are
//! straight-line code on `u64` halves, with no call to the software 128-bit `__multi3`,
//! `__udivti3` or variable-shift helpers, and no overflow-check panic sites: where an operation
//! cannot overflow it is `wrapping_*`, with the bound that proves it in a comment; where it can,
//! it is checked and returns an error.

use core::num::NonZeroU64;

use crate::scale::DecimalScale;
use crate::{RiskError, Rounding, FRAC_BITS};

/// Mask of the fraction bits.
pub(crate) const FRAC_MASK: u128 = (1 << FRAC_BITS) - 1;

/// Exclusive upper bound of the bits of a non-negative `Fx` (`i128::MAX + 1`).
const BITS_LIMIT: u128 = 1 << 127;

const LOW32: u64 = 0xffff_ffff;
const LOW64: u128 = 0xffff_ffff_ffff_ffff;

/// Exact 128-bit product of two `u64`, from 32-bit halves (native `i64.mul`s).
#[inline(always)]
fn mul64(a: u64, b: u64) -> u128 {
    let (a0, a1) = (a & LOW32, a >> 32);
    let (b0, b1) = (b & LOW32, b >> 32);
    // Each partial product of 32-bit halves is < 2^64.
    let (low_low, low_high) = (a0.wrapping_mul(b0), a0.wrapping_mul(b1));
    let (high_low, high_high) = (a1.wrapping_mul(b0), a1.wrapping_mul(b1));
    // mid < 3 * 2^32; high is the exact top half of a product < 2^128.
    let mid = (low_low >> 32)
        .wrapping_add(low_high & LOW32)
        .wrapping_add(high_low & LOW32);
    let high = high_high
        .wrapping_add(low_high >> 32)
        .wrapping_add(high_low >> 32)
        .wrapping_add(mid >> 32);
    ((high as u128) << 64) | ((mid << 32) | (low_low & LOW32)) as u128
}

/// Exact 256-bit product `a * b` as `(high, low)` 128-bit halves.
#[inline(always)]
pub(crate) fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    let (a0, a1) = (a as u64, (a >> 64) as u64);
    let (b0, b1) = (b as u64, (b >> 64) as u64);
    let (low_low, low_high) = (mul64(a0, b0), mul64(a0, b1));
    let (high_low, high_high) = (mul64(a1, b0), mul64(a1, b1));
    // mid < 3 * 2^64; high is the exact top half of a product < 2^256.
    let mid = (low_low >> 64)
        .wrapping_add(low_high & LOW64)
        .wrapping_add(high_low & LOW64);
    let high = high_high
        .wrapping_add(low_high >> 64)
        .wrapping_add(high_low >> 64)
        .wrapping_add(mid >> 64);
    (high, (low_low & LOW64) | (mid << 64))
}

/// `a * b / 2^48` rounded: the product of two non-negative fixed-point numbers, as bits.
///
/// # Errors
/// * [`RiskError::Overflow`] - the product does not fit a non-negative `Fx`.
#[inline(always)]
pub(crate) fn mul_bits(a: u128, b: u128, rounding: Rounding) -> Result<u128, RiskError> {
    let (high, low) = wide_mul(a, b);
    // The result is < 2^127 iff the product is < 2^175, i.e. high < 2^47.
    if high >> (FRAC_BITS - 1) != 0 {
        return Err(RiskError::Overflow);
    }
    let bits = (high << (128 - FRAC_BITS)) | (low >> FRAC_BITS);
    // bits < 2^127, so adding the rounding bit cannot wrap; the limit check below catches 2^127.
    let bits = bits.wrapping_add((rounding == Rounding::Ceil && low & FRAC_MASK != 0) as u128);
    if bits >= BITS_LIMIT {
        return Err(RiskError::Overflow);
    }
    Ok(bits)
}

/// `(n / d, n % d)` for a divisor below `2^32`: four native 64-bit divisions on 32-bit digits.
#[inline(always)]
fn div_rem_u32(n: u128, d: NonZeroU64) -> (u128, u64) {
    let (hi, lo) = ((n >> 64) as u64, n as u64);
    let dv = d.get();
    // Each step divides (remainder < d < 2^32) * 2^32 + digit < 2^64; q * d <= current.
    let q3 = (hi >> 32) / d;
    let current = ((hi >> 32).wrapping_sub(q3.wrapping_mul(dv)) << 32) | (hi & LOW32);
    let q2 = current / d;
    let current = (current.wrapping_sub(q2.wrapping_mul(dv)) << 32) | (lo >> 32);
    let q1 = current / d;
    let current = (current.wrapping_sub(q1.wrapping_mul(dv)) << 32) | (lo & LOW32);
    let q0 = current / d;
    let rem = current.wrapping_sub(q0.wrapping_mul(dv));
    (
        (((q3 << 32) | q2) as u128) << 64 | ((q1 << 32) | q0) as u128,
        rem,
    )
}

/// `(n / 5^d, whether the division was exact)`, as two divisions by factors below `2^32`
/// (`floor(floor(n / a) / b) = floor(n / (a * b))`).
#[inline(always)]
fn div_fives(n: u128, scale: &DecimalScale) -> (u128, bool) {
    let (q, r1) = div_rem_u32(n, scale.fives_low);
    let (q, r2) = div_rem_u32(q, scale.fives_high);
    (q, (r1 | r2) == 0)
}

/// `x << s` for `0 < s < 64`, on 64-bit halves (no variable 128-bit shift helper).
#[inline(always)]
fn shl_small(x: u128, s: u32) -> u128 {
    let (hi, lo) = ((x >> 64) as u64, x as u64);
    let hi = (hi << s) | (lo >> (64 - s));
    ((hi as u128) << 64) | (lo << s) as u128
}

/// `raw / 10^d` as fixed-point bits, rounded: a decimal number into fixed point.
///
/// With `10^d = 2^d * 5^d` and `d <= 24`, the result is `raw * 2^(48 - d) / 5^d`: one shift and
/// one division by `5^d` (two native-digit divisions), exact, whenever `raw < 2^(80 + d)` — every
/// price and every amount below `3e29` base units. Larger amounts go through
/// [`decimal_to_bits_large`].
///
/// # Errors
/// * [`RiskError::Overflow`] - the value does not fit a non-negative `Fx`.
#[inline(always)]
pub(crate) fn decimal_to_bits(
    raw: u128,
    scale: &DecimalScale,
    rounding: Rounding,
) -> Result<u128, RiskError> {
    // raw < 2^(80 + d) iff the high half is below 2^(16 + d); 16 + d <= 40.
    if ((raw >> 64) as u64) >> (16 + scale.decimals) != 0 {
        return decimal_to_bits_large(raw, scale, rounding);
    }
    let (quotient, exact) = div_fives(shl_small(raw, FRAC_BITS - scale.decimals), scale);
    // quotient < 2^128 / 5^d; adding the rounding bit cannot wrap unless d = 0 and quotient is
    // 2^128 - 1, which the shifted raw < 2^128 excludes.
    let bits = quotient.wrapping_add((rounding == Rounding::Ceil && !exact) as u128);
    if bits >= BITS_LIMIT {
        return Err(RiskError::Overflow);
    }
    Ok(bits)
}

/// [`decimal_to_bits`] for `raw >= 2^(80 + d)`: whole part and remainder separately.
#[cold]
#[inline(never)]
fn decimal_to_bits_large(
    raw: u128,
    scale: &DecimalScale,
    rounding: Rounding,
) -> Result<u128, RiskError> {
    let whole = raw / scale.unit;
    if whole >> (127 - FRAC_BITS) != 0 {
        return Err(RiskError::Overflow);
    }
    let rem = raw - whole * scale.unit;
    // rem < 10^d <= 10^24 < 2^80, so rem << 48 < 2^128.
    let frac_num = rem << FRAC_BITS;
    let mut frac = frac_num / scale.unit;
    if rounding == Rounding::Ceil && frac * scale.unit != frac_num {
        frac += 1;
    }
    let bits = (whole << FRAC_BITS) + frac;
    if bits >= BITS_LIMIT {
        return Err(RiskError::Overflow);
    }
    Ok(bits)
}

/// `a * 2^48 / b` rounded: the quotient of two non-negative fixed-point numbers, as bits.
///
/// # Errors
/// * [`RiskError::DivisionByZero`] - `b == 0`.
/// * [`RiskError::Overflow`] - the quotient does not fit a non-negative `Fx`.
///
/// # Notes
/// One `fixed` division (about 42,000 instructions in WASM), plus one product for `Ceil`.
pub(crate) fn div_bits(a: u128, b: u128, rounding: Rounding) -> Result<u128, RiskError> {
    if b == 0 {
        return Err(RiskError::DivisionByZero);
    }
    let (a_fx, b_fx) = (
        crate::Fx::from_bits(a as i128),
        crate::Fx::from_bits(b as i128),
    );
    let floor = a_fx.checked_div(b_fx).ok_or(RiskError::Overflow)?.to_bits() as u128;
    if rounding == Rounding::Floor {
        return Ok(floor);
    }
    // floor * b <= a * 2^48; the quotient was exact iff they are equal.
    if wide_mul(floor, b) == (a >> (128 - FRAC_BITS), a << FRAC_BITS) {
        return Ok(floor);
    }
    let ceil = floor + 1;
    if ceil >= BITS_LIMIT {
        return Err(RiskError::Overflow);
    }
    Ok(ceil)
}

/// Fixed-point `bits` as a decimal number with `d` decimals, rounded.
///
/// # Errors
/// * [`RiskError::Overflow`] - the result does not fit `u128`.
///
/// # Notes
/// `10^d <= 10^24 < 2^80`, so `fraction * 10^d < 2^128`.
pub(crate) fn bits_to_decimal(
    bits: u128,
    scale: &DecimalScale,
    rounding: Rounding,
) -> Result<u128, RiskError> {
    let unit = scale.unit;
    let whole = bits >> FRAC_BITS;
    let frac_scaled = (bits & FRAC_MASK) * unit;
    let mut frac = frac_scaled >> FRAC_BITS;
    if rounding == Rounding::Ceil && frac_scaled & FRAC_MASK != 0 {
        frac += 1;
    }
    whole
        .checked_mul(unit)
        .and_then(|w| w.checked_add(frac))
        .ok_or(RiskError::Overflow)
}

/// Signed decimal `raw / 10^d` as signed fixed-point bits, rounded (through the magnitude, with
/// the direction mirrored for negative numbers).
///
/// # Errors
/// * [`RiskError::Overflow`] - the value does not fit `Fx`.
pub(crate) fn signed_decimal_to_bits(
    raw: i128,
    scale: &DecimalScale,
    rounding: Rounding,
) -> Result<i128, RiskError> {
    if raw >= 0 {
        return Ok(decimal_to_bits(raw as u128, scale, rounding)? as i128);
    }
    let magnitude = decimal_to_bits(raw.unsigned_abs(), scale, rounding.opposite())?;
    Ok(-(magnitude as i128))
}

/// Signed fixed-point bits as a signed decimal with `d` decimals, rounded.
///
/// # Errors
/// * [`RiskError::Overflow`] - the result does not fit `i128`.
pub(crate) fn signed_bits_to_decimal(
    bits: i128,
    scale: &DecimalScale,
    rounding: Rounding,
) -> Result<i128, RiskError> {
    let (magnitude, dir) = if bits >= 0 {
        (bits as u128, rounding)
    } else {
        (bits.unsigned_abs(), rounding.opposite())
    };
    let decimal = bits_to_decimal(magnitude, scale, dir)?;
    let value = i128::try_from(decimal).map_err(|_| RiskError::Overflow)?;
    Ok(if bits >= 0 { value } else { -value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn big(x: u128) -> BigUint {
        BigUint::from(x)
    }

    #[test]
    fn wide_mul_matches_big_integers_at_the_corners() {
        let corners = [
            0,
            1,
            2,
            u64::MAX as u128,
            1 << 64,
            (1 << 64) + 1,
            u128::MAX >> 1,
            u128::MAX,
        ];
        for &a in &corners {
            for &b in &corners {
                let (high, low) = wide_mul(a, b);
                assert_eq!(
                    (big(high) << 128u32) + big(low),
                    big(a) * big(b),
                    "{a} * {b}"
                );
            }
        }
    }

    #[test]
    fn div_rem_u32_matches_native_division() {
        for &n in &[
            0u128,
            1,
            4_999,
            u64::MAX as u128 + 7,
            u128::MAX,
            10u128.pow(38) + 3,
        ] {
            for &d in &[1u64, 5, 1_220_703_125, u32::MAX as u64] {
                let (q, r) = div_rem_u32(n, NonZeroU64::new(d).unwrap());
                assert_eq!((q, r as u128), (n / d as u128, n % d as u128));
            }
        }
    }

    #[test]
    fn shl_small_matches_native_shift() {
        let x = 0x0123_4567_89ab_cdef_0011_2233_4455_6677u128 >> 50;
        for s in 1..64 {
            assert_eq!(shl_small(x, s), x << s);
        }
    }
}

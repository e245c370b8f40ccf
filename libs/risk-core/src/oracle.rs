//! Oracle math: the host-free part of oracle-adapter (SPEC §4), shared with the keeper and the
//! simulator so that off-chain code computes exactly the prices the contract accepts.
//!
//! Everything here works on plain integers:
//! - prices are positive `i128` at some number of decimals (a feed's, or the adapter's);
//! - ratios (deviation, jump) are `i128` with 7 decimals, [`RATIO_ONE`] = 1.0, the ABI convention
//!   of SPEC §2;
//! - times are ledger seconds (`u64`).
//!
//! Every operation is checked: an overflow is [`OracleMathError::Overflow`], never a wrapped or
//! saturated number. Rounding is explicit at each division ([`Rounding`]).

/// 1.0 as a 7-decimal ratio.
pub const RATIO_ONE: i128 = 10_000_000;
/// The largest decimals a feed or the adapter may use (SPEC §2: 0 to 18).
pub const MAX_DECIMALS: u32 = 18;
/// A source has at most this many feeds.
pub const MAX_FEEDS: usize = 3;

/// Why an oracle computation has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleMathError {
    /// An intermediate value does not fit `i128` / `u64`.
    Overflow,
    /// No input where at least one is required (no prices, no records).
    Empty,
    /// A price, reference or divisor that must be positive is not.
    NonPositive,
    /// More inputs than the function accepts, or decimals above [`MAX_DECIMALS`].
    OutOfRange,
}

/// Direction of rounding at a division.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Toward zero (for positive values: down).
    Down,
    /// Away from zero (for positive values: up).
    Up,
    /// To the nearest integer, halves away from zero.
    Nearest,
}

/// One price record of a feed: `price` at the feed's decimals, published at `timestamp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    pub price: i128,
    pub timestamp: u64,
}

type Result<T> = core::result::Result<T, OracleMathError>;

/// `10^exp` as `i128` (exact up to `exp = 38`).
pub fn pow10(exp: u32) -> Result<i128> {
    10i128.checked_pow(exp).ok_or(OracleMathError::Overflow)
}

/// `a * b / d` for `a, b >= 0` and `d > 0`, rounded as asked.
///
/// # Errors
/// [`OracleMathError::NonPositive`] for a negative factor or `d <= 0`;
/// [`OracleMathError::Overflow`] when `a * b` does not fit `i128`.
pub fn mul_div(a: i128, b: i128, d: i128, rounding: Rounding) -> Result<i128> {
    if a < 0 || b < 0 || d <= 0 {
        return Err(OracleMathError::NonPositive);
    }
    let product = a.checked_mul(b).ok_or(OracleMathError::Overflow)?;
    div_round(product, d, rounding)
}

/// `n / d` for `n >= 0`, `d > 0`, rounded as asked.
fn div_round(n: i128, d: i128, rounding: Rounding) -> Result<i128> {
    let (q, r) = (n / d, n % d);
    let up = match rounding {
        Rounding::Down => false,
        Rounding::Up => r != 0,
        // r >= d - r  <=>  the remainder is at least half of d (no overflow: r < d).
        Rounding::Nearest => r != 0 && r >= d - r,
    };
    if up {
        q.checked_add(1).ok_or(OracleMathError::Overflow)
    } else {
        Ok(q)
    }
}

/// Re-expresses a positive `price` at `from` decimals with `to` decimals:
/// `price * 10^(to - from)`, or `price / 10^(from - to)` rounded as asked.
///
/// The result may be zero when precision is lost (a price below one unit at `to` decimals
/// rounded down); callers treat zero as "no price", never as a price.
///
/// # Errors
/// [`OracleMathError::OutOfRange`] for decimals above [`MAX_DECIMALS`];
/// [`OracleMathError::NonPositive`] for `price <= 0`; [`OracleMathError::Overflow`].
pub fn normalise(price: i128, from: u32, to: u32, rounding: Rounding) -> Result<i128> {
    if from > MAX_DECIMALS || to > MAX_DECIMALS {
        return Err(OracleMathError::OutOfRange);
    }
    if price <= 0 {
        return Err(OracleMathError::NonPositive);
    }
    if to >= from {
        price
            .checked_mul(pow10(to - from)?)
            .ok_or(OracleMathError::Overflow)
    } else {
        div_round(price, pow10(from - to)?, rounding)
    }
}

/// Sorts up to [`MAX_FEEDS`] values into a fixed array (insertion sort: at most 3 swaps).
fn sorted(values: &[i128]) -> Result<([i128; MAX_FEEDS], usize)> {
    if values.is_empty() {
        return Err(OracleMathError::Empty);
    }
    if values.len() > MAX_FEEDS {
        return Err(OracleMathError::OutOfRange);
    }
    let mut out = [0i128; MAX_FEEDS];
    out[..values.len()].copy_from_slice(values);
    for i in 1..values.len() {
        let mut j = i;
        while j > 0 && out[j - 1] > out[j] {
            out.swap(j - 1, j);
            j -= 1;
        }
    }
    Ok((out, values.len()))
}

/// The median of one to three prices: the middle one, or for two the mean rounded down.
///
/// # Errors
/// [`OracleMathError::Empty`], [`OracleMathError::OutOfRange`] (more than three).
pub fn median(prices: &[i128]) -> Result<i128> {
    let (s, n) = sorted(prices)?;
    Ok(match n {
        1 => s[0],
        // s[0] + (s[1] - s[0]) / 2 cannot overflow for s[0] <= s[1] of the same sign; prices
        // are positive here, so the difference fits.
        2 => {
            let gap = s[1].checked_sub(s[0]).ok_or(OracleMathError::Overflow)?;
            s[0] + gap / 2
        }
        _ => s[1],
    })
}

/// The smallest and largest of one to three prices.
///
/// # Errors
/// As [`median`].
pub fn min_max(prices: &[i128]) -> Result<(i128, i128)> {
    let (s, n) = sorted(prices)?;
    Ok((s[0], s[n - 1]))
}

/// Whether `gap / base > limit` for a 7-decimal `limit`, compared exactly as
/// `gap * RATIO_ONE > limit * base` without dividing.
///
/// # Errors
/// [`OracleMathError::NonPositive`] for `base <= 0` or a negative `gap` or `limit`;
/// [`OracleMathError::Overflow`] only when both sides overflow (one side overflowing decides).
pub fn ratio_exceeds(gap: i128, base: i128, limit: i128) -> Result<bool> {
    if base <= 0 || gap < 0 || limit < 0 {
        return Err(OracleMathError::NonPositive);
    }
    match (gap.checked_mul(RATIO_ONE), limit.checked_mul(base)) {
        (Some(lhs), Some(rhs)) => Ok(lhs > rhs),
        (None, Some(_)) => Ok(true),
        (Some(_), None) => Ok(false),
        (None, None) => Err(OracleMathError::Overflow),
    }
}

/// Whether the feeds disagree by more than `max_deviation`: `(max - min) / min > max_deviation`
/// (7 decimals). The gap is taken relative to the lowest price, the strictest base.
///
/// # Errors
/// As [`min_max`]; [`OracleMathError::NonPositive`] for a price `<= 0`.
pub fn deviation_exceeds(prices: &[i128], max_deviation: i128) -> Result<bool> {
    let (lo, hi) = min_max(prices)?;
    ratio_exceeds(hi - lo, lo, max_deviation)
}

/// The time-weighted average of a feed's records, newest first (the order SEP-40 `prices`
/// returns), rounded to nearest.
///
/// Each record is weighted by the time it stood as the feed's last price: the gap to the next
/// newer kept record, and `resolution` for the newest (a record stands for at least one
/// interval). Using `resolution` rather than "now" for the newest record makes the average a
/// function of the records alone, so a cached average stays exact until the next record.
///
/// Records that cannot be used are skipped: a price `<= 0`, a timestamp after `now`, or a
/// timestamp not strictly older than the previous kept record. A skipped record's interval goes
/// to the next older kept record (its price is assumed to have stood through it).
///
/// # Errors
/// [`OracleMathError::Empty`] when no record is usable; [`OracleMathError::NonPositive`] for
/// `resolution == 0`; [`OracleMathError::Overflow`].
pub fn twap(records: &[Record], resolution: u64, now: u64) -> Result<i128> {
    if resolution == 0 {
        return Err(OracleMathError::NonPositive);
    }
    let mut weighted: i128 = 0;
    let mut total: i128 = 0;
    let mut newer: Option<u64> = None;
    for r in records {
        if r.price <= 0 || r.timestamp > now || newer.is_some_and(|t| r.timestamp >= t) {
            continue;
        }
        let weight = match newer {
            Some(t) => t - r.timestamp,
            None => resolution,
        };
        let part = r
            .price
            .checked_mul(i128::from(weight))
            .ok_or(OracleMathError::Overflow)?;
        weighted = weighted
            .checked_add(part)
            .ok_or(OracleMathError::Overflow)?;
        total = total
            .checked_add(i128::from(weight))
            .ok_or(OracleMathError::Overflow)?;
        newer = Some(r.timestamp);
    }
    if total == 0 {
        return Err(OracleMathError::Empty);
    }
    div_round(weighted, total, Rounding::Nearest)
}

/// The spread of the feeds as a 7-decimal ratio `max / min >= 1.0`, rounded up (so widening by
/// it never understates the disagreement).
///
/// # Errors
/// [`OracleMathError::NonPositive`] for `min <= 0` or `max < min`; [`OracleMathError::Overflow`].
pub fn spread_ratio(min: i128, max: i128) -> Result<i128> {
    if min <= 0 || max < min {
        return Err(OracleMathError::NonPositive);
    }
    mul_div(max, RATIO_ONE, min, Rounding::Up)
}

/// The conservative band around a spot price:
///
/// ```text
/// r    = spread_ratio(min feed price, max feed price)       (>= 1.0; 1.0 for one feed)
/// low  = floor(min(spot, twap) / r)
/// high = ceil(max(spot, twap) * r)
/// ```
///
/// The spread widens multiplicatively, so `low` stays positive whatever the spread and the band
/// scales with the price; with one feed (or agreeing feeds) `low`/`high` are exactly the min/max
/// of spot and TWAP. Hence `low <= spot <= high` always.
///
/// # Errors
/// As [`spread_ratio`]; [`OracleMathError::NonPositive`] for `spot` or `twap <= 0`;
/// [`OracleMathError::Overflow`].
pub fn widen(spot: i128, twap: Option<i128>, min: i128, max: i128) -> Result<(i128, i128)> {
    let twap = twap.unwrap_or(spot);
    if spot <= 0 || twap <= 0 {
        return Err(OracleMathError::NonPositive);
    }
    let r = spread_ratio(min, max)?;
    let low = mul_div(spot.min(twap), RATIO_ONE, r, Rounding::Down)?;
    let high = mul_div(spot.max(twap), r, RATIO_ONE, Rounding::Up)?;
    Ok((low, high))
}

/// Resolution intervals elapsed from `from` to `to`, rounded up, and at least one: a record one
/// second or one full interval after the reference may each move by one interval's `max_jump`.
///
/// # Errors
/// [`OracleMathError::NonPositive`] for `resolution == 0`.
pub fn elapsed_intervals(from: u64, to: u64, resolution: u64) -> Result<u64> {
    if resolution == 0 {
        return Err(OracleMathError::NonPositive);
    }
    let elapsed = to.saturating_sub(from);
    Ok(elapsed.div_ceil(resolution).max(1))
}

/// Whether moving from `reference` to `candidate` is a jump: a relative move larger than
/// `max_jump` (7 decimals) per elapsed resolution interval,
///
/// ```text
/// |candidate - reference| / reference  >  max_jump * elapsed_intervals(from, to, resolution)
/// ```
///
/// The allowance grows linearly with the intervals elapsed since the reference was recorded, so a
/// feed that was silent for a while may catch up with a move the market made meanwhile. An
/// allowance too large for `i128` admits every move.
///
/// # Errors
/// [`OracleMathError::NonPositive`] for a price `<= 0`, `max_jump < 0` or `resolution == 0`;
/// [`OracleMathError::Overflow`].
pub fn is_jump(
    reference: (i128, u64),
    candidate: (i128, u64),
    max_jump: i128,
    resolution: u64,
) -> Result<bool> {
    let ((p0, t0), (p1, t1)) = (reference, candidate);
    if p0 <= 0 || p1 <= 0 || max_jump < 0 {
        return Err(OracleMathError::NonPositive);
    }
    let intervals = elapsed_intervals(t0, t1, resolution)?;
    let Some(allowed) = max_jump.checked_mul(i128::from(intervals)) else {
        return Ok(false);
    };
    ratio_exceeds((p1 - p0).abs(), p0, allowed)
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use proptest::prelude::*;

    const E14: i128 = 100_000_000_000_000;

    #[test]
    fn normalise_scales_up_exactly_and_down_with_the_asked_rounding() {
        assert_eq!(
            normalise(123, 2, 14, Rounding::Down),
            Ok(123 * 1_000_000_000_000)
        );
        assert_eq!(normalise(15, 1, 0, Rounding::Down), Ok(1));
        assert_eq!(normalise(15, 1, 0, Rounding::Up), Ok(2));
        assert_eq!(normalise(15, 1, 0, Rounding::Nearest), Ok(2)); // 1.5 -> 2 (half up)
        assert_eq!(normalise(14, 1, 0, Rounding::Nearest), Ok(1));
        assert_eq!(normalise(1, 18, 14, Rounding::Down), Ok(0)); // lost precision: caller's "no price"
        assert_eq!(
            normalise(0, 7, 14, Rounding::Down),
            Err(OracleMathError::NonPositive)
        );
        assert_eq!(
            normalise(-5, 7, 14, Rounding::Down),
            Err(OracleMathError::NonPositive)
        );
        assert_eq!(
            normalise(5, 19, 14, Rounding::Down),
            Err(OracleMathError::OutOfRange)
        );
        assert_eq!(
            normalise(i128::MAX, 0, 18, Rounding::Down),
            Err(OracleMathError::Overflow)
        );
    }

    #[test]
    fn median_of_one_two_three() {
        assert_eq!(median(&[7]), Ok(7));
        assert_eq!(median(&[10, 13]), Ok(11)); // mean 11.5 rounded down
        assert_eq!(median(&[30, 10, 20]), Ok(20));
        assert_eq!(median(&[]), Err(OracleMathError::Empty));
        assert_eq!(median(&[1, 2, 3, 4]), Err(OracleMathError::OutOfRange));
    }

    #[test]
    fn deviation_is_relative_to_the_lowest_price() {
        // (105 - 100) / 100 = 5% : at the limit passes, just under the gap fails.
        assert_eq!(deviation_exceeds(&[100, 105], 500_000), Ok(false));
        assert_eq!(deviation_exceeds(&[105, 100], 499_999), Ok(true));
        assert_eq!(deviation_exceeds(&[100], 0), Ok(false));
        assert_eq!(
            deviation_exceeds(&[0, 1], 0),
            Err(OracleMathError::NonPositive)
        );
    }

    #[test]
    fn twap_weights_each_record_by_the_time_it_stood() {
        let r = |price, timestamp| Record { price, timestamp };
        // newest 120 stands one resolution (300), 100 stood 600 s:
        // (120*300 + 100*600) / 900 = 106.67 -> 107 (nearest)
        assert_eq!(twap(&[r(120, 1_600), r(100, 1_000)], 300, 2_000), Ok(107));
        // junk is skipped: <= 0, future, out of order
        let records = [r(120, 1_600), r(-1, 1_300), r(500, 1_700), r(100, 1_000)];
        assert_eq!(twap(&records, 300, 1_650), Ok(107));
        assert_eq!(twap(&[r(0, 1)], 300, 10), Err(OracleMathError::Empty));
        assert_eq!(twap(&[r(1, 1)], 0, 10), Err(OracleMathError::NonPositive));
    }

    #[test]
    fn widen_by_the_spread_ratio_rounds_outward() {
        // one feed: the band is exactly [min(spot, twap), max(spot, twap)]
        assert_eq!(
            widen(100 * E14, Some(90 * E14), 100 * E14, 100 * E14),
            Ok((90 * E14, 100 * E14))
        );
        assert_eq!(widen(100, None, 100, 100), Ok((100, 100)));
        // feeds 100 and 110: r = 1.1, low = 100 / 1.1 = 90.9.. -> 90, high = 100 * 1.1 = 110
        assert_eq!(widen(105, None, 100, 110), Ok((95, 116))); // 105/1.1 = 95.4, 105*1.1 = 115.5
        assert_eq!(widen(100, Some(100), 100, 110), Ok((90, 110)));
    }

    #[test]
    fn jump_allowance_grows_with_elapsed_intervals() {
        let two_pct = 200_000;
        // 3% in one interval trips, in two intervals does not
        assert_eq!(is_jump((100, 0), (103, 300), two_pct, 300), Ok(true));
        assert_eq!(is_jump((100, 0), (103, 301), two_pct, 300), Ok(false));
        // the same or an older record counts as one interval
        assert_eq!(is_jump((100, 600), (102, 0), two_pct, 300), Ok(false));
        assert_eq!(is_jump((100, 600), (97, 600), two_pct, 300), Ok(true));
        assert_eq!(elapsed_intervals(0, 0, 300), Ok(1));
        assert_eq!(elapsed_intervals(0, 901, 300), Ok(4));
        // an allowance beyond i128 admits any move
        assert_eq!(
            is_jump((1, 0), (i128::MAX, u64::MAX), i128::MAX, 1),
            Ok(false)
        );
    }

    #[test]
    fn ratio_exceeds_decides_on_one_sided_overflow() {
        assert_eq!(ratio_exceeds(i128::MAX, 1, 1), Ok(true));
        assert_eq!(ratio_exceeds(1, i128::MAX, i128::MAX), Ok(false));
        assert_eq!(
            ratio_exceeds(i128::MAX, i128::MAX, i128::MAX),
            Err(OracleMathError::Overflow)
        );
    }

    fn price() -> impl Strategy<Value = i128> {
        1i128..1_000_000_000_000_000_000_000i128
    }

    proptest! {
        #[test]
        fn median_lies_between_min_and_max_and_ignores_order(
            a in price(), b in price(), c in price()
        ) {
            let m = median(&[a, b, c]).unwrap();
            let (lo, hi) = min_max(&[a, b, c]).unwrap();
            prop_assert!(lo <= m && m <= hi);
            prop_assert_eq!(m, median(&[c, a, b]).unwrap());
            let m2 = median(&[a, b]).unwrap();
            prop_assert!(a.min(b) <= m2 && m2 <= a.max(b));
        }

        #[test]
        fn normalise_brackets_the_exact_value(p in 1i128..1_000_000_000_000_000_000, from in 0u32..=18, to in 0u32..=18) {
            let down = normalise(p, from, to, Rounding::Down).unwrap();
            let up = normalise(p, from, to, Rounding::Up).unwrap();
            let near = normalise(p, from, to, Rounding::Nearest).unwrap();
            prop_assert!(down <= near && near <= up && up - down <= 1);
            if to >= from {
                prop_assert_eq!(normalise(down, to, from, Rounding::Down).unwrap(), p);
            }
        }

        #[test]
        fn widened_band_contains_spot_and_twap(
            a in price(), b in price(), c in price(), t in price()
        ) {
            let feeds = [a, b, c];
            let spot = median(&feeds).unwrap();
            let (min, max) = min_max(&feeds).unwrap();
            let (low, high) = widen(spot, Some(t), min, max).unwrap();
            prop_assert!(low <= spot.min(t) && spot.max(t) <= high);
            prop_assert!(low >= 0);
        }

        #[test]
        fn twap_lies_between_the_record_prices(
            prices in proptest::collection::vec(price(), 1..8),
            gaps in proptest::collection::vec(1u64..10_000, 8),
            resolution in 1u64..3_600,
        ) {
            let mut t = 1_000_000u64;
            let mut records = std::vec::Vec::new();
            for (i, p) in prices.iter().enumerate() {
                records.push(Record { price: *p, timestamp: t });
                t -= gaps[i];
            }
            let avg = twap(&records, resolution, 1_000_000).unwrap();
            let lo = *prices.iter().min().unwrap();
            let hi = *prices.iter().max().unwrap();
            prop_assert!(lo <= avg && avg <= hi);
        }

        #[test]
        fn no_move_is_never_a_jump_and_allowance_is_monotone(
            p in price(), q in price(), jump in 0i128..RATIO_ONE, dt in 0u64..100_000,
        ) {
            prop_assert!(!is_jump((p, 0), (p, dt), jump, 300).unwrap());
            if is_jump((p, 0), (q, dt + 300), jump, 300).unwrap() {
                prop_assert!(is_jump((p, 0), (q, dt), jump, 300).unwrap());
            }
        }

        #[test]
        fn deviation_is_symmetric_in_order(a in price(), b in price(), d in 0i128..RATIO_ONE) {
            prop_assert_eq!(deviation_exceeds(&[a, b], d), deviation_exceeds(&[b, a], d));
        }
    }
}

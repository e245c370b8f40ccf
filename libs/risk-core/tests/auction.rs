//! Auction arithmetic (SPEC §7.2–7.5): table cases with the formula in a comment, and property
//! tests against exact big-integer arithmetic.

mod common;

use common::*;
use num_bigint::BigInt;
use num_traits::One;
use proptest::prelude::*;
use risk_core::auction::{DEFAULT_CUSP_ABI, DEFAULT_CUT_ABI, DEFAULT_STEP, MAX_CUT_BITS};
use risk_core::{
    keeper_bonus, needs_reset, price, reset_bonus_due, take, top_price, AuctionAsset, AuctionPrice,
    BonusBasis, Curve, PairUnits, Quote, Ratio, RiskError, Rounding, TokenUnit, Value, FRAC_BITS,
};

/// 1 USD at the adapter's 14 decimals.
const USD: i128 = 100_000_000_000_000;
const ONE_BITS: i128 = 1 << FRAC_BITS;

fn ratio(abi: i128) -> Ratio {
    Ratio::from_abi(abi, Rounding::Ceil).unwrap()
}

fn whole(n: i128) -> AuctionPrice {
    AuctionPrice::from_bits(n * ONE_BITS).unwrap()
}

fn stairstep() -> Curve {
    Curve::StairstepExp {
        cut: ratio(DEFAULT_CUT_ABI),
        step: DEFAULT_STEP,
    }
}

/// BTC (8 decimals) sold for USDC (6 decimals).
fn btc_usdc() -> PairUnits {
    PairUnits::new(TokenUnit::new(8).unwrap(), TokenUnit::new(6).unwrap()).unwrap()
}

fn asset(decimals: u32, spot: i128) -> AuctionAsset {
    AuctionAsset {
        unit: TokenUnit::new(decimals).unwrap(),
        quote: Quote::flat(spot, 14).unwrap(),
    }
}

#[test]
fn top_is_spot_ratio_times_buf_rounded_up() {
    let (eth, usdc) = (
        Quote::flat(2_000 * USD, 14).unwrap(),
        Quote::flat(USD, 14).unwrap(),
    );
    let buf = ratio(10_500_000);
    let top = top_price(&eth, &usdc, buf).unwrap();
    // top = 2000 / 1 * buf, one rounding up.
    assert_eq!(top.to_bits(), 2_000 * buf.to_bits());
    // top = ceil(0.5 * 1.05 / 3 * 2^48) for a 0.5 USD collateral against a 3 USD debt.
    let (half, three) = (
        Quote::flat(USD / 2, 14).unwrap(),
        Quote::flat(3 * USD, 14).unwrap(),
    );
    let top = top_price(&half, &three, buf).unwrap();
    let num = big(buf.to_bits()) * big(ONE_BITS / 2);
    assert_eq!(
        big(top.to_bits()),
        div_round(&num, &big(3 * ONE_BITS), Rounding::Ceil)
    );
}

#[test]
fn linear_curve_falls_to_zero_at_tau() {
    let (top, curve) = (whole(2_100), Curve::Linear { tau: 600 });
    // price(t) = top * (600 - t) / 600
    for (t, expected) in [(0, 2_100), (300, 1_050), (500, 350), (600, 0), (10_000, 0)] {
        assert_eq!(price(top, &curve, t).unwrap(), whole(expected), "t = {t}");
    }
    // price(1) = ceil(2100 * 599 / 600 * 2^48): rounded up.
    let exact = big(2_100 * ONE_BITS) * big(599);
    let p = price(top, &curve, 1).unwrap();
    assert_eq!(
        big(p.to_bits()),
        div_round(&exact, &big(600), Rounding::Ceil)
    );
}

#[test]
fn stairstep_curve_cuts_every_step() {
    let (top, curve) = (whole(1_000), stairstep());
    let cut = ratio(DEFAULT_CUT_ABI).to_bits();
    // price(t) = top * cut^floor(t / 30), within a few 2^-48 steps above.
    for (t, k) in [
        (0u64, 0u32),
        (29, 0),
        (30, 1),
        (59, 1),
        (60, 2),
        (3_600, 120),
    ] {
        let p = big(price(top, &curve, t).unwrap().to_bits());
        let exact = exact_stairstep(&big(1_000 * ONE_BITS), cut, k);
        assert!(
            p >= exact && p <= &exact + 1_000 * 300,
            "t = {t}: {p} vs {exact}"
        );
    }
}

#[test]
fn curves_are_validated() {
    let top = whole(1);
    for curve in [
        Curve::Linear { tau: 0 },
        Curve::StairstepExp {
            cut: Ratio::ONE,
            step: 30,
        },
        Curve::StairstepExp {
            cut: Ratio::ZERO,
            step: 30,
        },
        Curve::StairstepExp {
            cut: ratio(DEFAULT_CUT_ABI),
            step: 0,
        },
    ] {
        assert_eq!(
            price(top, &curve, 1),
            Err(RiskError::InvalidCurve),
            "{curve:?}"
        );
    }
    let max = Ratio::from_bits(MAX_CUT_BITS).unwrap();
    assert!(price(top, &Curve::StairstepExp { cut: max, step: 1 }, 1).is_ok());
}

#[test]
fn reset_after_tail_or_below_cusp() {
    let (top, cusp) = (whole(100), ratio(DEFAULT_CUSP_ABI));
    let at_cusp = AuctionPrice::from_bits(100 * cusp.to_bits()).unwrap();
    let below = AuctionPrice::from_bits(100 * cusp.to_bits() - 1).unwrap();
    // elapsed > tail
    assert!(!needs_reset(3_600, top, top, 3_600, cusp));
    assert!(needs_reset(3_601, top, top, 3_600, cusp));
    // price / top < cusp, i.e. price < 100 * cusp
    assert!(!needs_reset(0, at_cusp, top, 3_600, cusp));
    assert!(needs_reset(0, below, top, 3_600, cusp));
}

/// Take cases at 2,000 USDC per BTC: one satoshi costs 20 USDC base units
/// (2000 * 10^6 / 10^8).
#[test]
fn take_table() {
    let (units, p) = (btc_usdc(), whole(2_000));
    let btc = 100_000_000;
    let usdc = 1_000_000;
    // (lot, tab, max, dust) -> (slice, owe, tab_after, lot_after)
    let cases = [
        // partial: owe = 1 BTC * 2000
        (
            (10 * btc, 10_000 * usdc, btc, 0),
            (btc, 2_000 * usdc, 8_000 * usdc, 9 * btc),
        ),
        // capped at the tab: slice = 10,000 USDC / 2000 = 5 BTC
        (
            (10 * btc, 10_000 * usdc, 10 * btc, 0),
            (5 * btc, 10_000 * usdc, 0, 5 * btc),
        ),
        // dust trim: 4.975 BTC would leave 50 < 100 USDC; owe = tab - dust, slice = 9,900 / 2000
        (
            (10 * btc, 10_000 * usdc, 4_975 * btc / 1_000, 100 * usdc),
            (
                495 * btc / 100,
                9_900 * usdc,
                100 * usdc,
                10 * btc - 495 * btc / 100,
            ),
        ),
        // lot exhausted: no dust rule, the tab stays
        (
            (btc, 10_000 * usdc, 2 * btc, 100 * usdc),
            (btc, 2_000 * usdc, 8_000 * usdc, 0),
        ),
        // a tab worth less than one satoshi: paid for nothing, the auction ends
        ((btc, 10, btc, 0), (0, 10, 0, btc)),
    ];
    for ((lot, tab, max, dust), (slice, owe, tab_after, lot_after)) in cases {
        let t = take(lot, tab, p, max, dust, &units).unwrap();
        assert_eq!(
            (t.slice, t.owe, t.tab_after, t.lot_after),
            (slice, owe, tab_after, lot_after)
        );
    }
}

#[test]
fn take_refusals() {
    let (units, p) = (btc_usdc(), whole(2_000));
    // tab (50 USDC) <= dust (100 USDC): a partial take must buy it all.
    let (lot, tab, dust) = (10_000_000, 50_000_000, 100_000_000);
    assert_eq!(
        take(lot, tab, p, 1, dust, &units),
        Err(RiskError::DustRemainder)
    );
    // Buying it all (50 USDC / 20 per satoshi = 2,500,000 satoshis) is allowed.
    let all = take(lot, tab, p, 2_500_000, dust, &units).unwrap();
    assert_eq!((all.slice, all.tab_after), (2_500_000, 0));
    assert_eq!(take(100, 1_000, p, 0, 0, &units), Err(RiskError::EmptyTake));
    assert_eq!(take(0, 1_000, p, 1, 0, &units), Err(RiskError::EmptyTake));
    assert_eq!(
        take(100, 1_000, AuctionPrice::ZERO, 1, 0, &units),
        Err(RiskError::InvalidPrice)
    );
    assert_eq!(
        take(-1, 1_000, p, 1, 0, &units),
        Err(RiskError::NegativeAmount)
    );
    // trim to tab - dust = 10 base units, worth less than one satoshi (20).
    assert_eq!(take(100, 110, p, 5, 100, &units), Err(RiskError::EmptyTake));
}

#[test]
fn bonus_is_tip_plus_chip_capped_by_the_penalty() {
    let basis = |penalty_left| BonusBasis {
        tab: 10_000_000_000, // 10,000 USDC
        penalty_left,
        lot: 100_000_000, // 1 BTC
        collateral: asset(8, 50_000 * USD),
        debt: asset(6, USD),
    };
    let (tip, chip) = (
        Value::from_abi(50_000_000, Rounding::Floor).unwrap(),
        ratio(10_000),
    );
    // 5 + 0.001 * 10,000 = 15 USD = 0.0003 BTC; the tab loses 15 USDC.
    let b = keeper_bonus(tip, chip, &basis(500_000_000)).unwrap();
    assert!((29_999..=30_000).contains(&b.collateral), "{b:?}");
    assert!(
        (14_999_000..=15_000_000).contains(&b.tab_reduction),
        "{b:?}"
    );
    // Penalty left 10 USDC: bonus = 10 USD = 0.0002 BTC.
    let b = keeper_bonus(tip, chip, &basis(10_000_000)).unwrap();
    assert!((19_999..=20_000).contains(&b.collateral) && b.tab_reduction <= 10_000_000);
    // Reset bonus only when tab (10,000 USD) and lot (50,000 USD) are each >= dust.
    let dust = |usd: i128| Value::from_abi(usd * 10_000_000, Rounding::Floor).unwrap();
    assert!(reset_bonus_due(&basis(0), dust(10_000)).unwrap());
    assert!(!reset_bonus_due(&basis(0), dust(10_001)).unwrap());
}

/// `top * cut^k` in bits, rounded up, exactly.
fn exact_stairstep(top_bits: &BigInt, cut_bits: i128, k: u32) -> BigInt {
    let num = top_bits * num_traits::pow(big(cut_bits), k as usize);
    div_round(&num, &(BigInt::one() << (FRAC_BITS * k)), Rounding::Ceil)
}

fn top_strategy() -> impl Strategy<Value = AuctionPrice> {
    (0u32..=60, 1i128..1_000)
        .prop_map(|(shift, m)| AuctionPrice::from_bits((m << shift).max(1) << 20).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Linear prices are the formula rounded up and never rise.
    #[test]
    fn linear_price_is_formula_and_monotone(top in top_strategy(), tau in 1u64..100_000, t in 0u64..120_000, dt in 0u64..1_000) {
        let curve = Curve::Linear { tau };
        let p = price(top, &curve, t).unwrap();
        let left = big(tau.saturating_sub(t));
        prop_assert_eq!(big(p.to_bits()), div_round(&(big(top.to_bits()) * left), &big(tau), Rounding::Ceil));
        prop_assert!(price(top, &curve, t + dt).unwrap() <= p);
    }

    /// Stairstep prices are at or above `top * cut^k`, within 2^-17 relative above it (until the
    /// 2^-24 floor), and never rise from one step to the next.
    #[test]
    fn stairstep_price_bounds_and_monotone(
        top in top_strategy(),
        cut in (ONE_BITS / 2)..=MAX_CUT_BITS,
        k in 0u32..400,
        far in 0u64..1_000_000_000,
    ) {
        let curve = Curve::StairstepExp { cut: Ratio::from_bits(cut).unwrap(), step: 1 };
        let p = big(price(top, &curve, k as u64).unwrap().to_bits());
        let exact = exact_stairstep(&big(top.to_bits()), cut, k);
        prop_assert!(p >= exact);
        let floor = div_round(&(big(top.to_bits()) << (FRAC_BITS - 24)), &big(ONE_BITS), Rounding::Ceil);
        let slack: BigInt = &exact >> 17u32;
        let bound: BigInt = &exact + slack + BigInt::from(2);
        prop_assert!(p <= bound.max(floor));
        for start in [k as u64, far] {
            let mut last = price(top, &curve, start).unwrap();
            for t in start + 1..start + 40 {
                let next = price(top, &curve, t).unwrap();
                prop_assert!(next <= last, "rose at t = {t}");
                last = next;
            }
        }
    }

    /// Take invariants: `slice * price <= owe <= tab` exactly, the limits hold, the dust rule.
    #[test]
    fn take_invariants(
        dc in 0u32..=18, dd in 0u32..=18,
        lot in 1i128..1_000_000_000_000_000_000, tab in 1i128..1_000_000_000_000_000_000,
        max in 1i128..1_000_000_000_000_000_000, dust in 0i128..1_000_000_000_000,
        price_bits in 1i128..(1 << 100),
    ) {
        let units = PairUnits::new(TokenUnit::new(dc).unwrap(), TokenUnit::new(dd).unwrap()).unwrap();
        let p = AuctionPrice::from_bits(price_bits).unwrap();
        match take(lot, tab, p, max, dust, &units) {
            Ok(t) => {
                // owe * 2^48 * 10^dc >= slice * price_bits * 10^dd: owe >= slice * price exactly.
                let paid = big(t.owe) * big(ONE_BITS) * pow10(dc);
                prop_assert!(paid >= big(t.slice) * big(price_bits) * pow10(dd));
                prop_assert!(t.owe <= tab && t.slice <= max.min(lot));
                prop_assert_eq!((t.tab_after, t.lot_after), (tab - t.owe, lot - t.slice));
                if t.tab_after > 0 && t.lot_after > 0 {
                    prop_assert!(t.tab_after >= dust, "left dust {t:?}");
                }
                if t.tab_after > 0 && t.tab_after != dust {
                    // Untrimmed partial take: owe is exactly ceil(slice * price).
                    let cost = big(t.slice) * big(price_bits) * pow10(dd);
                    let owe = div_round(&cost, &(big(ONE_BITS) * pow10(dc)), Rounding::Ceil);
                    prop_assert_eq!(big(t.owe), owe);
                }
            }
            Err(RiskError::DustRemainder) => prop_assert!(tab <= dust && max < lot),
            Err(RiskError::EmptyTake) => prop_assert!(tab > dust),
            Err(e) => prop_assert_eq!(e, RiskError::Overflow),
        }
    }

    /// A bonus never exceeds what the unspent penalty is worth at spot, nor the lot, and the tab
    /// never loses more than the bonus is worth.
    #[test]
    fn bonus_never_exceeds_the_penalty(
        dc in 0u32..=18, dd in 0u32..=18,
        pc in price_strategy(), pd in price_strategy(),
        tab in 0i128..1_000_000_000_000_000_000_000, penalty_left in 0i128..1_000_000_000_000_000_000,
        lot in 0i128..1_000_000_000_000_000_000_000,
        tip in 0i128..1_000_000_000, chip in 0i128..1_000_000,
    ) {
        let basis = BonusBasis { tab, penalty_left, lot, collateral: asset(dc, pc), debt: asset(dd, pd) };
        let tip = Value::from_abi(tip, Rounding::Floor).unwrap();
        let b = match keeper_bonus(tip, ratio(chip), &basis) {
            Ok(b) => b,
            Err(e) => { prop_assert_eq!(e, RiskError::Overflow); return Ok(()); }
        };
        prop_assert!(b.collateral >= 0 && b.collateral <= lot);
        prop_assert!(b.tab_reduction >= 0 && b.tab_reduction <= penalty_left);
        // collateral * pc / 10^dc <= penalty_left * pd / 10^dd, cross-multiplied.
        let paid = big(b.collateral) * big(pc) * pow10(dd);
        prop_assert!(paid <= big(penalty_left) * big(pd) * pow10(dc));
        prop_assert!(big(b.tab_reduction) * big(pd) * pow10(dc) <= paid);
    }
}

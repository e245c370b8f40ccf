//! Liquidation sizing (SPEC §3, §7.1) and distances to liquidation: table cases with the formula
//! in a comment, and property tests against exact big-integer arithmetic.

mod common;

use common::*;
use num_bigint::BigInt;
use proptest::prelude::*;
use risk_core::{
    collateral_move_to_liquidation, debt_to_cover, lot_size, price_move_to_liquidation, AssetRisk,
    AuctionAsset, CoverLimit, HealthType, Quote, Ratio, RiskError, Rounding, SizingLeg,
    SizingParams, TokenUnit, Value, WeightedSums, DEFAULT_PRICE_DECIMALS, FRAC_BITS,
};

const USD: i128 = 100_000_000_000_000;
const ETH: i128 = 1_000_000_000_000_000_000;
const USDC: i128 = 1_000_000;

fn ratio(abi: i128) -> Ratio {
    Ratio::from_abi(abi, Rounding::Ceil).unwrap()
}

fn value(usd: i128) -> Value {
    Value::from_abi(usd * 10_000_000, Rounding::Floor).unwrap()
}

/// ETH: init 0.8 / 1.25, maint 0.9 / 1.1. USDC: init 0.9 / 1.1, maint 0.95 / 1.05.
fn eth() -> AssetRisk {
    AssetRisk::new(18, weights(8_000_000, 9_000_000, 12_500_000, 11_000_000)).unwrap()
}

fn usdc() -> AssetRisk {
    AssetRisk::new(6, weights(9_000_000, 9_500_000, 11_000_000, 10_500_000)).unwrap()
}

fn flat(usd: i128) -> Quote {
    Quote::flat(usd * USD, 14).unwrap()
}

/// Penalty 5 %, buffer 2 %, no cap, no minimum debt.
fn params() -> SizingParams {
    SizingParams {
        liquidation_penalty: ratio(500_000),
        target_buffer: ratio(200_000),
        cap: Value::MAX,
        min_debt_value: Value::ZERO,
    }
}

fn sums(kind: HealthType, positions: &[(i128, &AssetRisk, &Quote)]) -> WeightedSums {
    let mut s = WeightedSums::ZERO;
    for (n, a, q) in positions {
        s.add_position(kind, *n, a, q).unwrap();
    }
    s
}

/// Sizes `eth_held` ETH at 2,000 against `usdc_owed` USDC; returns (debt_to_cover, tab, limit).
fn size(eth_held: i128, usdc_owed: i128, p: &SizingParams) -> (i128, i128, CoverLimit) {
    let (e, u, qe, qu) = (eth(), usdc(), flat(2_000), flat(1));
    let end = sums(
        HealthType::LiquidationEnd,
        &[(eth_held, &e, &qe), (-usdc_owed, &u, &qu)],
    );
    let debt = SizingLeg {
        position: usdc_owed,
        asset: &u,
        quote: &qu,
    };
    let coll = SizingLeg {
        position: eth_held,
        asset: &e,
        quote: &qe,
    };
    let c = debt_to_cover(&end, &debt, &coll, p).unwrap();
    (c.debt_to_cover, c.tab, c.limit)
}

#[test]
fn target_sizing_reaches_the_buffer_and_no_less() {
    // A = 10 * 2000 * 0.8 = 16,000; L = 17,500 * 1.1 = 19,250;
    // x = (1.02 * 19,250 - 16,000) / (1.02 * 1.1 - 1.05 * 0.8) = 3,635 / 0.282 = 12,890.0709219...
    let (x, tab, limit) = size(10 * ETH, 17_500 * USDC, &params());
    assert_eq!(limit, CoverLimit::Target);
    assert!((12_890_070_922..=12_890_070_923).contains(&x), "{x}");
    // tab = ceil(x * 1.05)
    assert!((x * 105 / 100..=x * 105 / 100 + 1).contains(&tab));
    // The end state (tab's worth of ETH gone at spot) meets 1.02, one base unit less does not.
    let end = |x: i128| {
        let (e, u, qe, qu) = (eth(), usdc(), flat(2_000), flat(1));
        let den = 100 * 2_000 * USDC;
        let released = (x * 105 * ETH + den - 1) / den;
        sums(
            HealthType::LiquidationEnd,
            &[(10 * ETH - released, &e, &qe), (x - 17_500 * USDC, &u, &qu)],
        )
    };
    assert!(end(x).meets(ratio(10_200_000)).unwrap());
    assert!(!end(x - 2).meets(ratio(10_200_000)).unwrap());
}

#[test]
fn sizing_limits() {
    let mut p = params();
    // Remainder 17,500 - 12,890.07 = 4,609.93 USD < 5,000 minimum debt: cover it all.
    p.min_debt_value = value(5_000);
    // tab = ceil(17,500 * 1.05): one unit above, as 1.05 is rounded up to a 2^-48 step.
    assert_eq!(
        size(10 * ETH, 17_500 * USDC, &p),
        (17_500 * USDC, 18_375 * USDC + 1, CoverLimit::Dust)
    );
    // 5 ETH (10,000 USD) pays for at most 10,000 / 1.05 = 9,523.809523 USDC of debt.
    let (x, _, limit) = size(5 * ETH, 12_000 * USDC, &params());
    assert_eq!((x, limit), (9_523_809_523, CoverLimit::CollateralPosition));
    // Auction cap room 10,000 USD: x = 10,000 / 1 USDC; no room: nothing fits.
    p = params();
    p.cap = value(10_000);
    assert_eq!(
        size(10 * ETH, 17_500 * USDC, &p),
        (10_000 * USDC, 10_500 * USDC + 1, CoverLimit::Cap)
    );
    p.cap = Value::ZERO;
    assert_eq!(size(10 * ETH, 17_500 * USDC, &p), (0, 0, CoverLimit::Cap));
    // Healthy: A = 16,000 >= 1.02 * 10,000 * 1.1.
    assert_eq!(
        size(10 * ETH, 10_000 * USDC, &params()),
        (0, 0, CoverLimit::Target)
    );
}

#[test]
fn sizing_stops_at_the_debt_position() {
    // 20 ETH against 5,000 USDC and 0.5 BTC owed (60,000, weight 1.25):
    // A = 32,000, L = 5,500 + 37,500 = 43,000; x = (43,860 - 32,000) / 0.282 = 42,056 > 5,000.
    let (e, u, qe, qu, qb) = (eth(), usdc(), flat(2_000), flat(1), flat(60_000));
    let btc = AssetRisk::new(8, *eth().weights()).unwrap();
    let end = sums(
        HealthType::LiquidationEnd,
        &[
            (20 * ETH, &e, &qe),
            (-5_000 * USDC, &u, &qu),
            (-50_000_000, &btc, &qb),
        ],
    );
    let debt = SizingLeg {
        position: 5_000 * USDC,
        asset: &u,
        quote: &qu,
    };
    let coll = SizingLeg {
        position: 20 * ETH,
        asset: &e,
        quote: &qe,
    };
    let c = debt_to_cover(&end, &debt, &coll, &params()).unwrap();
    assert_eq!(
        (c.debt_to_cover, c.limit),
        (5_000 * USDC, CoverLimit::DebtPosition)
    );
}

#[test]
fn unreachable_target_is_refused() {
    // A stable collateral at weight 1 and a 10 % penalty: 1.02 * 1.0 <= 1.1 * 1.0.
    let stable =
        AssetRisk::new(6, weights(10_000_000, 10_000_000, 10_000_000, 10_000_000)).unwrap();
    let q = flat(1);
    let end = sums(
        HealthType::LiquidationEnd,
        &[(100 * USDC, &stable, &q), (-101 * USDC, &stable, &q)],
    );
    let leg = |n| SizingLeg {
        position: n,
        asset: &stable,
        quote: &q,
    };
    let mut p = params();
    p.liquidation_penalty = ratio(1_000_000);
    let r = debt_to_cover(&end, &leg(101 * USDC), &leg(100 * USDC), &p);
    assert_eq!(r, Err(RiskError::TargetUnreachable));
}

#[test]
fn lot_covers_the_tab_with_a_margin() {
    let coll = AuctionAsset {
        unit: TokenUnit::new(18).unwrap(),
        quote: flat(2_000),
    };
    let debt = AuctionAsset {
        unit: TokenUnit::new(6).unwrap(),
        quote: flat(1),
    };
    // lot = 1,050 USDC * 1.05 / 2,000 = 0.55125 ETH (up to the 2^-48 rounding of 1.05, up).
    let lot = lot_size(1_050 * USDC, ratio(10_500_000), 10 * ETH, &coll, &debt).unwrap();
    let exact = 55_125 * ETH / 100_000;
    assert!(
        lot >= exact && lot - exact < exact / 10_000_000_000_000,
        "{lot}"
    );
    // Capped by a 0.5 ETH position.
    assert_eq!(
        lot_size(1_050 * USDC, ratio(10_500_000), ETH / 2, &coll, &debt),
        Ok(ETH / 2)
    );
}

#[test]
fn price_moves_to_liquidation() {
    // Maint: A = 10 * 2000 * 0.9 = 18,000; L = 12,000 * 1.05 = 12,600.
    let (e, u, qe, qu) = (eth(), usdc(), flat(2_000), flat(1));
    let maint = sums(
        HealthType::Maint,
        &[(10 * ETH, &e, &qe), (-12_000 * USDC, &u, &qu)],
    );
    let near =
        |r: Option<Ratio>, abi: i128| r.map(|r| (r.to_abi(Rounding::Floor) - abi).abs() <= 1);
    // ETH: m = 12,600 / 18,000 = 0.7 (a 30 % fall).
    let m = price_move_to_liquidation(&maint, 10 * ETH, &e, &qe).unwrap();
    assert_eq!(near(m, 7_000_000), Some(true));
    // USDC debt: m = 18,000 / 12,600 = 1.4285714 (a 42.9 % rise).
    let m = price_move_to_liquidation(&maint, -12_000 * USDC, &u, &qu).unwrap();
    assert_eq!(near(m, 14_285_714), Some(true));
    // All collateral against all debt: r = L / A = 0.7.
    assert_eq!(
        near(collateral_move_to_liquidation(&maint), 7_000_000),
        Some(true)
    );
    // Enough USDC collateral beside the ETH: no ETH price makes it liquidatable.
    let rich = sums(
        HealthType::Maint,
        &[
            (10 * ETH, &e, &qe),
            (20_000 * USDC, &u, &qu),
            (-12_000 * USDC, &u, &qu),
        ],
    );
    assert_eq!(
        price_move_to_liquidation(&rich, 10 * ETH, &e, &qe),
        Ok(None)
    );
    let no_debt = sums(HealthType::Maint, &[(10 * ETH, &e, &qe)]);
    assert_eq!(collateral_move_to_liquidation(&no_debt), None);
}

/// A liquidated pair: (decimals, spot raw) for debt and collateral, weights, penalty, buffer.
#[derive(Debug, Clone)]
struct Case {
    dd: u32,
    dc: u32,
    pd: i128,
    pc: i128,
    debt: AssetRisk,
    coll: AssetRisk,
    penalty: i128,
    buffer: i128,
    n_d: i128,
    n_c: i128,
    other_assets: i128,
    other_liabs: i128,
    cap: i128,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    let penalty = 0i128..=2_000_000;
    (
        0u32..=18,
        0u32..=18,
        price_strategy(),
        price_strategy(),
        penalty,
        0i128..=1_000_000,
    )
        .prop_flat_map(|(dd, dc, pd, pc, penalty, buffer)| {
            // asset_weight_maint * (1 + p) < 1.
            let max_awm = 10_000_000i128 * 10_000_000 / (10_000_000 + penalty) - 1;
            (
                (
                    Just((dd, dc, pd, pc, penalty, buffer)),
                    0..=max_awm,
                    0..=max_awm,
                ),
                (10_000_000i128..=20_000_000, 10_000_000i128..=20_000_000),
                (
                    amount_strategy(dd),
                    0i128..=40_000_000,
                    sum_strategy(),
                    sum_strategy(),
                ),
                0i128..(1i128 << 100),
            )
        })
        .prop_map(
            |(((dd, dc, pd, pc, penalty, buffer), a, b), (l1, l2), (n_d, f, oa, ol), cap)| {
                let n_d = n_d.abs().max(1);
                // Collateral worth f times the debt (ABI ratio): around the band where the target
                // binds, (1 + p) <= f <= (1 + b) w_d / w_c.
                let n_c: BigInt =
                    big(n_d) * big(pd) * pow10(dc) * big(f) / (big(pc) * pow10(dd) * 10_000_000);
                let n_c = i128::try_from(n_c.min(big(10i128.pow(30)))).unwrap();
                Case {
                    dd,
                    dc,
                    pd,
                    pc,
                    penalty,
                    buffer,
                    n_d,
                    n_c,
                    other_assets: oa,
                    other_liabs: ol,
                    cap,
                    debt: AssetRisk::new(dd, weights(0, 0, l1.max(l2), l1.min(l2))).unwrap(),
                    coll: AssetRisk::new(dc, weights(a.min(b), a.max(b), 10_000_000, 10_000_000))
                        .unwrap(),
                }
            },
        )
}

/// Weighted sums of the account's other positions, in bits, log-spread up to about 4e9 USD.
fn sum_strategy() -> impl Strategy<Value = i128> {
    (0u32..=80, 0i128..1_000).prop_map(|(shift, m)| m << shift)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Sizing never exceeds the positions or the cap; where the target binds it is reached
    /// exactly (rational arithmetic) and is minimal within the fixed-point step.
    #[test]
    fn sizing_reaches_target_minimally_within_positions(c in case_strategy()) {
        let (qd, qc) = (Quote::flat(c.pd, 14).unwrap(), Quote::flat(c.pc, 14).unwrap());
        let mut end = WeightedSums { assets: Value::from_bits(c.other_assets).unwrap(), liabs: Value::from_bits(c.other_liabs).unwrap() };
        // Positions beyond the fixed-point range are out of scope (the health check refuses them).
        let coll_ok = end.add_position(HealthType::LiquidationEnd, c.n_c, &c.coll, &qc);
        let debt_ok = end.add_position(HealthType::LiquidationEnd, -c.n_d, &c.debt, &qd);
        prop_assume!(coll_ok.is_ok() && debt_ok.is_ok());
        let p = SizingParams { liquidation_penalty: ratio(c.penalty), target_buffer: ratio(c.buffer), cap: Value::from_bits(c.cap).unwrap(), min_debt_value: Value::ZERO };
        let debt = SizingLeg { position: c.n_d, asset: &c.debt, quote: &qd };
        let coll = SizingLeg { position: c.n_c, asset: &c.coll, quote: &qc };
        let cover = match debt_to_cover(&end, &debt, &coll, &p) {
            Ok(cover) => cover,
            Err(e) => { prop_assert_eq!(e, RiskError::Overflow); return Ok(()); }
        };
        let x = big(cover.debt_to_cover);
        let one = BigInt::from(1) << FRAC_BITS;
        let (op, t) = (big(ratio(c.penalty).to_bits()) + &one, big(ratio(c.buffer).to_bits()) + &one);
        let (s_d, s_c) = (pow10(c.dd + DEFAULT_PRICE_DECIMALS), pow10(c.dc + DEFAULT_PRICE_DECIMALS));
        prop_assert!(cover.debt_to_cover >= 0 && cover.debt_to_cover <= c.n_d);
        // tab = ceil(x * (1 + p))
        prop_assert_eq!(big(cover.tab), div_round(&(&x * &op), &one, Rounding::Ceil));
        // Tab at spot within the collateral: x (1+p) P_d / 10^dd <= n_c P_c / 10^dc.
        prop_assert!(&x * &op * big(c.pd) * &s_c <= big(c.n_c) * &one * big(c.pc) * &s_d);
        // Debt value within the cap: x P_d / 10^dd <= cap.
        prop_assert!(&x * big(c.pd) * &one <= big(c.cap) * &s_d);
        if cover.limit != CoverLimit::Target { return Ok(()); }
        // f(x) = A S 2^48 - t L S + x P_d (t w_d - (1+p) w_c) >= 0 is the end health >= 1 + b.
        let (a, l) = (big(end.assets.to_bits()), big(end.liabs.to_bits()));
        let w_d = big(c.debt.weights().liab_weight_init().to_bits());
        let w_c = big(c.coll.weights().asset_weight_init().to_bits());
        let slope = big(c.pd) * (&t * &w_d - &op * &w_c);
        let f0 = &a * &s_d * &one - &t * &l * &s_d;
        prop_assert!(&f0 + &x * &slope >= BigInt::from(0), "target missed");
        // x* = the least x with f(x) >= 0; x - x* within the rounding of gap, D' and P_d.
        let x_star = div_round(&-&f0, &slope, Rounding::Ceil).max(BigInt::from(0));
        let (d_b, p_b) = ((&t * &w_d - &op * &w_c) >> FRAC_BITS, (big(c.pd) * &one) / pow10(DEFAULT_PRICE_DECIMALS));
        let gap_b = ((&t * &l) >> FRAC_BITS) - &a + 1;
        if x > BigInt::from(0) {
            let slack = &x_star * (4 * &d_b * &p_b + 4 * &gap_b * &p_b + 2 * &gap_b * &d_b) + pow10(c.dd) * &gap_b * &d_b;
            prop_assert!((&x - &x_star - 2) * &gap_b * &d_b * &p_b <= slack, "not minimal: {} vs {}", x, x_star);
        }
    }

    /// The factor of one asset's price at which maint health is 1: at `m` the account is not
    /// liquidatable, one 2^-48 step further it is.
    #[test]
    fn price_move_is_the_liquidation_boundary(pos in position_strategy(), other_a in 0i128..(1i128 << 90), other_l in 0i128..(1i128 << 90)) {
        prop_assume!(pos.amount != 0);
        let q = pos.quote();
        let mut maint = WeightedSums { assets: Value::from_bits(other_a).unwrap(), liabs: Value::from_bits(other_l).unwrap() };
        maint.add_position(HealthType::Maint, pos.amount, &pos.asset, &q).unwrap();
        let mut own = WeightedSums::ZERO;
        own.add_position(HealthType::Maint, pos.amount, &pos.asset, &q).unwrap();
        let m = match price_move_to_liquidation(&maint, pos.amount, &pos.asset, &q).unwrap() {
            Some(m) => big(m.to_bits()),
            None => return Ok(()),
        };
        let one = BigInt::from(1) << FRAC_BITS;
        let (a, l) = (big(maint.assets.to_bits()), big(maint.liabs.to_bits()));
        // Sides scaled by 2^48: assets and liabilities with the asset's term times m.
        let at = |m: &BigInt| if pos.amount > 0 {
            ((&a - big(own.assets.to_bits())) * &one + m * big(own.assets.to_bits()), &l * &one)
        } else {
            (&a * &one, (&l - big(own.liabs.to_bits())) * &one + m * big(own.liabs.to_bits()))
        };
        let (assets, liabs) = at(&m);
        prop_assert!(assets >= liabs, "liquidatable at m");
        let step = if pos.amount > 0 { &m - 1 } else { &m + 1 };
        let (assets, liabs) = at(&step);
        prop_assert!(assets < liabs, "not liquidatable one step beyond m");
    }
}

//! Table-driven health cases: each expected value is written as its formula (SPEC §3). Results
//! are at the 7-decimal ABI scale; a collateral figure may sit one unit below the formula and a
//! debt figure one unit above, never the other way (2^-48 steps, rounded in the protocol's favour).

mod common;

use common::*;
use risk_core::{
    compute_health, validate_weights, AssetRisk, HealthAbi, HealthSums, HealthType, Quote, Ratio,
    RiskError, RiskWeights, Rounding, WeightedSums, ABI_HEALTH_UNBOUNDED, ABI_SCALE,
};

/// 1 USD at the adapter's 14 decimals.
const USD: i128 = 100_000_000_000_000;
/// 1.0 at the 7-decimal ABI scale.
const ONE: i128 = ABI_SCALE;

/// An 18-decimal volatile asset: init 0.8 / 1.25, maint 0.9 / 1.1.
fn eth() -> AssetRisk {
    AssetRisk::new(18, weights(8_000_000, 9_000_000, 12_500_000, 11_000_000)).unwrap()
}

/// A 6-decimal stablecoin: init 0.9 / 1.1, maint 0.95 / 1.05.
fn usdc() -> AssetRisk {
    AssetRisk::new(6, weights(9_000_000, 9_500_000, 11_000_000, 10_500_000)).unwrap()
}

/// ETH at spot 2,000 (low 1,980, high 2,020); USDC at 1 (0.999, 1.001).
fn eth_quote() -> Quote {
    Quote::from_adapter(2_000 * USD, 1_980 * USD, 2_020 * USD, 14).unwrap()
}

fn usdc_quote() -> Quote {
    Quote::from_adapter(USD, USD / 1_000 * 999, USD / 1_000 * 1_001, 14).unwrap()
}

fn health(positions: &[(i128, AssetRisk, Quote)]) -> HealthAbi {
    compute_health(positions.iter().map(|(n, a, q)| (*n, a, q)))
        .unwrap()
        .to_abi()
}

/// `actual` is `formula` rounded down at the last ABI digit (one step of slack for 2^-48 steps).
fn assert_down(actual: i128, formula: i128) {
    assert!(
        actual == formula || actual == formula - 1,
        "{actual} vs formula {formula} (rounded down)"
    );
}

/// `actual` is `formula` rounded up at the last ABI digit.
fn assert_up(actual: i128, formula: i128) {
    assert!(
        actual == formula || actual == formula + 1,
        "{actual} vs formula {formula} (rounded up)"
    );
}

const ETH: i128 = 1_000_000_000_000_000_000;
const USDC: i128 = 1_000_000;

#[test]
fn collateral_only_account_has_unbounded_health() {
    let h = health(&[(10 * ETH, eth(), eth_quote())]);
    assert_down(h.assets_init, 15_840 * ONE); // 10 * 1980 * 0.8
    assert_down(h.assets_maint, 18_000 * ONE); // 10 * 2000 * 0.9
    assert_eq!((h.liabs_init, h.liabs_maint), (0, 0));
    assert_eq!(
        (h.init, h.maint),
        (ABI_HEALTH_UNBOUNDED, ABI_HEALTH_UNBOUNDED)
    );
}

#[test]
fn cross_margined_account_weighs_each_side() {
    let h = health(&[
        (10 * ETH, eth(), eth_quote()),
        (-10_000 * USDC, usdc(), usdc_quote()),
    ]);
    assert_down(h.assets_init, 15_840 * ONE); // 10 * 1980 * 0.8
    assert_up(h.liabs_init, 11_011 * ONE); // 10000 * 1.001 * 1.1
    assert_down(h.assets_maint, 18_000 * ONE); // 10 * 2000 * 0.9
    assert_up(h.liabs_maint, 10_500 * ONE); // 10000 * 1 * 1.05
    assert_down(h.init, 14_385_614); // 15840 / 11011 = 1.43856144...
    assert_down(h.maint, 17_142_857); // 18000 / 10500 = 1.71428571...
}

#[test]
fn account_below_maintenance_is_liquidatable() {
    let positions = [
        (10 * ETH, eth(), eth_quote()),
        (-18_000 * USDC, usdc(), usdc_quote()),
    ];
    let health = compute_health(positions.iter().map(|(n, a, q)| (*n, a, q))).unwrap();
    let h = health.to_abi();
    assert_up(h.liabs_maint, 18_900 * ONE); // 18000 * 1 * 1.05
    assert_down(h.maint, 9_523_809); // 18000 / 18900 = 0.95238095...
    assert_down(h.init, 7_992_007); // (10 * 1980 * 0.8) / (18000 * 1.001 * 1.1) = 15840 / 19819.8 = 0.79920079...
    assert!(health.is_liquidatable() && health.sums.is_liquidatable());
    assert!(!health.sums.meets_init());
}

#[test]
fn zero_positions_and_zero_weights_add_nothing() {
    let no_weight = AssetRisk::new(0, weights(0, 0, ONE, ONE)).unwrap();
    let h = health(&[
        (0, eth(), eth_quote()),
        (1_000, no_weight, Quote::flat(5 * USD, 14).unwrap()), // 1000 * 5 * 0
        (-100 * USDC, usdc(), usdc_quote()),
    ]);
    assert_eq!((h.assets_init, h.assets_maint), (0, 0));
    assert_up(h.liabs_maint, 105 * ONE); // 100 * 1 * 1.05
    assert_eq!((h.init, h.maint), (0, 0)); // 0 / liabs
}

#[test]
fn mixed_decimals_value_whole_tokens() {
    // 3 units of a 0-decimal token at 7.5 and 0.25 of an 18-decimal token at 2000, weights 1.
    let unit_weights = weights(ONE, ONE, ONE, ONE);
    let whole = AssetRisk::new(0, unit_weights).unwrap();
    let fine = AssetRisk::new(18, unit_weights).unwrap();
    let h = health(&[
        (3, whole, Quote::flat(75 * USD / 10, 14).unwrap()),
        (-(ETH / 4), fine, eth_quote()),
    ]);
    assert_eq!(h.assets_maint, 225 * ONE / 10); // 3 * 7.5
    assert_eq!(h.liabs_maint, 500 * ONE); // 0.25 * 2000
    assert_eq!(h.liabs_init, 505 * ONE); // 0.25 * 2020
    assert_down(h.maint, 450_000); // 22.5 / 500 = 0.045
}

#[test]
fn liquidation_end_uses_init_weights_at_spot() {
    let (a, q) = (eth(), eth_quote());
    let mut end = WeightedSums::ZERO;
    end.add_position(HealthType::LiquidationEnd, 10 * ETH, &a, &q)
        .unwrap();
    end.add_position(
        HealthType::LiquidationEnd,
        -10_000 * USDC,
        &usdc(),
        &usdc_quote(),
    )
    .unwrap();
    assert_down(end.assets.to_abi(Rounding::Floor), 16_000 * ONE); // 10 * 2000 * 0.8
    assert_up(end.liabs.to_abi(Rounding::Ceil), 11_000 * ONE); // 10000 * 1 * 1.1
    let target = Ratio::from_abi(10_200_000, Rounding::Ceil).unwrap(); // 1 + 0.02 buffer
    assert!(end.meets(target).unwrap()); // 16000 >= 11000 * 1.02
    assert!(!end
        .meets(Ratio::from_abi(15_000_000, Rounding::Ceil).unwrap())
        .unwrap()); // 16000 < 16500
}

#[test]
fn health_sums_match_per_type_sums() {
    let mut sums = HealthSums::ZERO;
    let (mut init, mut maint) = (WeightedSums::ZERO, WeightedSums::ZERO);
    for (n, a, q) in [
        (7 * ETH / 3, eth(), eth_quote()),
        (-1_234_567, usdc(), usdc_quote()),
    ] {
        sums.add_position(n, &a, &q).unwrap();
        init.add_position(HealthType::Init, n, &a, &q).unwrap();
        maint.add_position(HealthType::Maint, n, &a, &q).unwrap();
    }
    assert_eq!((sums.init, sums.maint), (init, maint));
}

/// `(asset_weight_init, asset_weight_maint, liab_weight_init, liab_weight_maint)` at 7 decimals.
type AbiWeights = (i128, i128, i128, i128);

/// Weight validation, SPEC §3 / §6.3: (awi, awm, lwi, lwm) at 7 decimals → result.
#[test]
fn weight_rules_are_enforced() {
    let cases: [(AbiWeights, Result<(), RiskError>); 9] = [
        ((8_000_000, 9_000_000, 12_000_000, 11_000_000), Ok(())),
        ((0, 0, ONE, ONE), Ok(())),     // a worthless collateral
        ((ONE, ONE, ONE, ONE), Ok(())), // no haircut at all
        (
            (9_000_000, 8_000_000, 12_000_000, 11_000_000),
            Err(RiskError::WeightOrder),
        ), // awi > awm
        (
            (8_000_000, 9_000_000, 11_000_000, 12_000_000),
            Err(RiskError::WeightOrder),
        ), // lwi < lwm
        (
            (8_000_000, 10_000_001, 12_000_000, 11_000_000),
            Err(RiskError::InvalidWeight),
        ), // awm > 1
        (
            (8_000_000, 9_000_000, 12_000_000, 9_999_999),
            Err(RiskError::InvalidWeight),
        ), // lwm < 1
        (
            (-1, 9_000_000, 12_000_000, 11_000_000),
            Err(RiskError::NegativeAmount),
        ),
        (
            (8_000_000, 9_000_000, 9_000_000, 9_000_000),
            Err(RiskError::InvalidWeight),
        ), // lw < 1
    ];
    for ((awi, awm, lwi, lwm), expected) in cases {
        assert_eq!(
            RiskWeights::from_abi(awi, awm, lwi, lwm).map(|_| ()),
            expected,
            "{awi} {awm} {lwi} {lwm}"
        );
    }
    let half = Ratio::from_abi(5_000_000, Rounding::Floor).unwrap();
    assert_eq!(validate_weights(half, half, Ratio::ONE, Ratio::ONE), Ok(()));
    assert_eq!(half.complement(), Ok(half));
}

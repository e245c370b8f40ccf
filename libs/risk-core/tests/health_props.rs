//! Property tests of the health computation against an exact big-integer reference.

mod common;

use common::*;
use num_bigint::BigInt;
use proptest::prelude::*;
use risk_core::{
    AssetRisk, HealthSums, HealthType, Quote, RiskError, Rounding, Value, WeightedSums,
};

fn bits(v: Value) -> BigInt {
    big(v.to_bits())
}

/// Asserts `computed` is on the protocol's side of the exact term and within the error bound.
fn assert_term(computed: Value, exact: &ExactTerm, bound: &BigInt, rounding: Rounding) {
    let scaled = bits(computed) * &exact.den;
    let gap = match rounding {
        Rounding::Floor => &exact.num - &scaled,
        Rounding::Ceil => &scaled - &exact.num,
    };
    assert!(
        gap >= BigInt::from(0),
        "rounded against the protocol: {computed:?} vs {}/{}",
        exact.num,
        exact.den
    );
    assert!(
        gap <= bound * &exact.den,
        "error above bound {bound}: {computed:?}"
    );
}

fn sums_of(positions: &[Pos]) -> Result<HealthSums, RiskError> {
    let mut sums = HealthSums::ZERO;
    for p in positions {
        sums.add_position(p.amount, &p.asset, &p.quote())?;
    }
    Ok(sums)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Each of the four terms of one position rounds in the protocol's favour, within a few
    /// steps of 2^-48 per unit of (tokens + price), and matches `WeightedSums` of its type.
    #[test]
    fn position_terms_round_in_protocols_favour(p in position_strategy()) {
        prop_assume!(p.amount != 0);
        let mut sums = HealthSums::ZERO;
        sums.add_position(p.amount, &p.asset, &p.quote()).unwrap();
        let w = p.asset.weights();
        let (init, maint, rounding, price_init, w_init, w_maint) = if p.amount > 0 {
            (sums.init.assets, sums.maint.assets, Rounding::Floor, p.low, w.asset_weight_init(), w.asset_weight_maint())
        } else {
            (sums.init.liabs, sums.maint.liabs, Rounding::Ceil, p.high, w.liab_weight_init(), w.liab_weight_maint())
        };
        let bound_init = term_error_bound(p.amount, p.decimals, price_init, w_init);
        assert_term(init, &exact_term(p.amount, p.decimals, price_init, w_init), &bound_init, rounding);
        let bound_maint = term_error_bound(p.amount, p.decimals, p.spot, w_maint);
        assert_term(maint, &exact_term(p.amount, p.decimals, p.spot, w_maint), &bound_maint, rounding);
        for (health_type, expected) in [(HealthType::Init, sums.init), (HealthType::Maint, sums.maint)] {
            let mut one = WeightedSums::ZERO;
            one.add_position(health_type, p.amount, &p.asset, &p.quote()).unwrap();
            prop_assert_eq!(one, expected);
        }
    }

    /// init <= maint for every account, and the factors are the exact floors of the sums.
    #[test]
    fn init_health_never_exceeds_maint(positions in prop::collection::vec(position_strategy(), 1..6)) {
        let health = sums_of(&positions).unwrap().health();
        prop_assert!(health.init <= health.maint);
        prop_assert!(health.sums.init.assets <= health.sums.maint.assets);
        prop_assert!(health.sums.init.liabs >= health.sums.maint.liabs);
        for (factor, sums) in [(health.init, health.sums.init), (health.maint, health.sums.maint)] {
            if sums.liabs.is_zero() {
                prop_assert_eq!(factor, risk_core::Ratio::MAX);
                continue;
            }
            let exact = div_round(&(bits(sums.assets) * two_pow_frac()), &bits(sums.liabs), Rounding::Floor);
            // A factor above the representable range reads as unbounded (Ratio::MAX).
            prop_assert_eq!(big(factor.to_bits()), exact.min(big(i128::MAX)));
        }
        prop_assert_eq!(health.is_liquidatable(), health.sums.is_liquidatable());
        prop_assert_eq!(health.init >= risk_core::Ratio::ONE, health.sums.meets_init());
    }

    /// More collateral never lowers health; more debt never raises it.
    #[test]
    fn health_is_monotone_in_amount(
        positions in prop::collection::vec(position_strategy(), 1..5),
        extra in 1i128..1_000_000_000_000_000_000,
    ) {
        let before = sums_of(&positions).unwrap().health();
        let mut more = positions.clone();
        // At most 1e9 whole tokens more, so the account stays in the protocol's range.
        let extra = 1 + extra % 10i128.pow(more[0].decimals + 9);
        let grow = more[0].amount.signum().max(0) * 2 - 1; // +1 collateral, -1 debt (0 counts as debt)
        more[0].amount += grow * extra;
        let after = sums_of(&more).unwrap().health();
        if grow > 0 {
            prop_assert!(after.init >= before.init && after.maint >= before.maint);
        } else {
            prop_assert!(after.init <= before.init && after.maint <= before.maint);
        }
    }

    /// A higher price of a collateral asset never lowers health; of a debt asset never raises it.
    #[test]
    fn health_is_monotone_in_price(
        positions in prop::collection::vec(position_strategy(), 1..5),
        bump in 1i128..10_000,
    ) {
        prop_assume!(positions[0].amount != 0);
        let before = sums_of(&positions).unwrap().health();
        let mut dearer = positions.clone();
        let p = &mut dearer[0];
        let scale = |x: i128| x + x * bump / 10_000 + 1;
        (p.low, p.spot, p.high) = (scale(p.low), scale(p.spot), scale(p.high));
        let after = sums_of(&dearer).unwrap().health();
        if positions[0].amount > 0 {
            prop_assert!(after.init >= before.init && after.maint >= before.maint);
        } else {
            prop_assert!(after.init <= before.init && after.maint <= before.maint);
        }
    }

    /// Anywhere in the input space the computation returns a value or a typed error, never a
    /// panic; within the protocol's range (|n| <= 1e30, prices 1e-10..1e10 USD) it never fails.
    #[test]
    fn no_panic_and_typed_errors_at_the_edges(
        amount in any::<i128>(),
        decimals in 0u32..=18,
        raw_price in 1i128..=i128::MAX,
        w in weights_strategy(),
    ) {
        let asset = AssetRisk::new(decimals, w).unwrap();
        let quote = Quote::flat(raw_price, risk_core::DEFAULT_PRICE_DECIMALS).unwrap();
        let mut sums = HealthSums::ZERO;
        match sums.add_position(amount, &asset, &quote) {
            Ok(()) => {}
            Err(e) => prop_assert_eq!(e, RiskError::Overflow),
        }
        let in_range = amount.unsigned_abs() <= 10u128.pow(30) && decimals == 18 && raw_price <= 10i128.pow(24);
        if in_range {
            let mut sums = HealthSums::ZERO;
            prop_assert!(sums.add_position(amount, &asset, &quote).is_ok());
        }
    }
}

#[test]
fn largest_positions_in_range_fit_with_headroom() {
    // 1e30 base units of an 18-decimal token at 1e10 USD = 1e22 USD per position;
    // 40 of them (20 collateral, 20 debt) stay far below the representable 6.04e23.
    let asset =
        AssetRisk::new(18, weights(10_000_000, 10_000_000, 30_000_000, 30_000_000)).unwrap();
    let quote = Quote::flat(10i128.pow(24), 14).unwrap();
    let mut sums = HealthSums::ZERO;
    for _ in 0..20 {
        sums.add_position(10i128.pow(30), &asset, &quote).unwrap();
        sums.add_position(-(10i128.pow(30)), &asset, &quote)
            .unwrap();
    }
    assert_eq!(
        sums.maint.assets.to_abi(Rounding::Floor),
        20 * 10i128.pow(22) * 10_000_000
    );
    let h = sums.health();
    assert!(h.init <= h.maint);
}

#[test]
fn overflowing_sum_is_a_typed_error_and_adds_nothing() {
    let asset = AssetRisk::new(0, weights(10_000_000, 10_000_000, 10_000_000, 10_000_000)).unwrap();
    let quote = Quote::flat(10i128.pow(14), 14).unwrap(); // 1 USD
    let mut sums = HealthSums::ZERO;
    sums.add_position(4 * 10i128.pow(23), &asset, &quote)
        .unwrap();
    let before = sums;
    assert_eq!(
        sums.add_position(4 * 10i128.pow(23), &asset, &quote),
        Err(RiskError::Overflow)
    );
    assert_eq!(sums, before);
}

//! The proposal: SPEC rules, monotonicity in volatility, and the shared data files.

use std::path::PathBuf;

use calibration::proposal::abi::{AbiAssetConfig, AbiAuction, ABI_ONE};
use calibration::proposal::weights::MAX_LIAB_WEIGHT_ABI;
use calibration::{propose, CalibrationError, ProposalConfig};
use market_data::{load_csv, PathParams, PriceSeries, Rng, Shape};
use proptest::prelude::*;

fn data_file(name: &str) -> PathBuf {
    // offchain/calibration -> offchain -> main -> work, then shared/data.
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name)
}

/// A 300 s series whose log returns are `scale` times a fixed standard-normal draw (zero drift),
/// so a larger scale is exactly a more volatile version of the same history.
fn scaled_series(scale: f64, seed: u64, n: usize) -> PriceSeries {
    let mut rng = Rng::seed_from_u64(seed);
    let mut log_price = 100f64.ln();
    let closes: Vec<f64> = (0..n)
        .map(|i| {
            if i > 0 {
                log_price += scale * rng.standard_normal();
            }
            log_price.exp()
        })
        .collect();
    PriceSeries::from_closes("scaled", 1_700_000_100, 300, &closes).unwrap()
}

#[test]
fn proposal_satisfies_the_spec_rules_and_explains_every_figure() {
    let s = Shape::from_name("gbm")
        .unwrap()
        .generate(&PathParams::default(), 4)
        .unwrap();
    let p = propose(&[s], &ProposalConfig::default()).unwrap();
    let a = &p.assets[0];
    a.weights.abi.check().unwrap();
    p.auction.abi.check().unwrap();
    let text = p.to_string();
    for name in [
        "asset_weight_init",
        "asset_weight_maint",
        "liab_weight_init",
        "liab_weight_maint",
        "liquidation_penalty",
        "buf =",
        "cut =",
        "cusp =",
        "tail =",
    ] {
        assert!(text.contains(name), "missing {name} in\n{text}");
    }
    assert_eq!(a.weights.reasoning.len(), 5);
    assert_eq!(p.auction.reasoning.len(), 4);
}

#[test]
fn spec_rule_checks_reject_each_violation() {
    let ok = AbiAssetConfig {
        asset_weight_init: 8_000_000,
        asset_weight_maint: 9_000_000,
        liab_weight_init: 11_000_000,
        liab_weight_maint: 10_500_000,
        liquidation_penalty: 500_000,
    };
    ok.check().unwrap();
    let broken = [
        AbiAssetConfig {
            asset_weight_init: 9_100_000,
            ..ok
        },
        AbiAssetConfig {
            asset_weight_maint: 10_000_001,
            asset_weight_init: 0,
            ..ok
        },
        AbiAssetConfig {
            liab_weight_maint: 9_999_999,
            ..ok
        },
        AbiAssetConfig {
            liab_weight_init: 10_400_000,
            ..ok
        },
        // 0.96 * 1.05 = 1.008 >= 1
        AbiAssetConfig {
            asset_weight_maint: 9_600_000,
            ..ok
        },
        AbiAssetConfig {
            liquidation_penalty: -1,
            ..ok
        },
    ];
    for cfg in broken {
        assert!(
            matches!(cfg.check(), Err(CalibrationError::RuleViolation(_))),
            "{cfg:?}"
        );
    }
    let auction = AbiAuction {
        buf: ABI_ONE,
        cut: 9_900_000,
        step: 30,
        tail: 3600,
        cusp: 6_000_000,
    };
    auction.check().unwrap();
    assert!(AbiAuction {
        buf: ABI_ONE - 1,
        ..auction
    }
    .check()
    .is_err());
    assert!(AbiAuction {
        cut: ABI_ONE,
        ..auction
    }
    .check()
    .is_err());
    assert!(AbiAuction { cusp: 0, ..auction }.check().is_err());
    assert!(AbiAuction { tail: 0, ..auction }.check().is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// More volatility (the same history scaled up) never loosens a weight or the penalty.
    #[test]
    fn proposal_is_monotone_in_volatility(
        seed in 0u64..1_000,
        base in 0.0005f64..0.01,
        factor in 1.05f64..3.0,
    ) {
        let config = ProposalConfig::default();
        let calm = propose(&[scaled_series(base, seed, 600)], &config).unwrap();
        let wild = propose(&[scaled_series(base * factor, seed, 600)], &config).unwrap();
        let (c, w) = (calm.assets[0].weights.abi, wild.assets[0].weights.abi);
        prop_assert!(w.asset_weight_maint <= c.asset_weight_maint);
        prop_assert!(w.asset_weight_init <= c.asset_weight_init);
        prop_assert!(w.liab_weight_maint >= c.liab_weight_maint);
        prop_assert!(w.liab_weight_init >= c.liab_weight_init);
        prop_assert!(w.liquidation_penalty >= c.liquidation_penalty);
        // Strictly larger haircut: a 5% larger volatility moves the weight by far more than
        // one ABI unit.
        prop_assert!(w.asset_weight_maint < c.asset_weight_maint);
        let (ch, wh) = (&calm.assets[0].weights, &wild.assets[0].weights);
        let m = config.measure;
        prop_assert!(wh.downside_horizon.worst(m).0 > ch.downside_horizon.worst(m).0);
    }
}

#[test]
fn crash_shape_gets_larger_haircuts_than_calm_gbm() {
    let params = PathParams::default();
    let crash = Shape::from_name("crash")
        .unwrap()
        .generate(&params, 1)
        .unwrap();
    let calm = Shape::Gbm {
        drift: 0.0,
        vol: 0.5,
    }
    .generate(&params, 1)
    .unwrap();
    let p = propose(&[crash, calm], &ProposalConfig::default()).unwrap();
    let (crash, calm) = (&p.assets[0].weights.abi, &p.assets[1].weights.abi);
    assert!(crash.asset_weight_maint < calm.asset_weight_maint);
    assert_eq!(p.auction.driven_by, "crash");
}

#[test]
fn bad_configuration_is_refused_with_its_reason() {
    let s = scaled_series(0.002, 1, 100);
    let config = ProposalConfig {
        confidence: 1.0,
        ..ProposalConfig::default()
    };
    let err = propose(&[s], &config).unwrap_err();
    assert!(err.to_string().contains("confidence"), "{err}");
    assert!(propose(&[], &ProposalConfig::default()).is_err());
    let short = scaled_series(0.002, 1, 10);
    assert!(matches!(
        propose(&[short], &ProposalConfig::default()),
        Err(CalibrationError::TooFewReturns { found: 9, .. })
    ));
}

#[test]
fn shared_data_files_give_plausible_figures() {
    let files = [
        "ETHUSDT_perp_1m_2020-03-12_13_binance.csv",
        "ETHUSD_10m_2020-03-12_coinapi_stablesims.csv",
        "ETHUSD_10m_2021-05-19_coinapi_stablesims.csv",
    ];
    for file in files {
        let series = load_csv(data_file(file)).unwrap();
        let p = propose(&[series], &ProposalConfig::default()).unwrap();
        let a = &p.assets[0];
        let fall = a.weights.downside_horizon;
        let hist = fall.historical.unwrap();
        println!(
            "{file}: realised vol {:.0}%, EWMA latest {:.0}% peak {:.0}%; 600 s fall historical \
             VaR {:.2}% ES {:.2}%, parametric (realised) VaR {:.2}% ES {:.2}%; awm {} awi {} \
             lwm {} lwi {} penalty {}; auction {:?}",
            a.risk.realised.annualised() * 100.0,
            a.risk.ewma.latest.annualised() * 100.0,
            a.risk.ewma.peak.annualised() * 100.0,
            hist.var * 100.0,
            hist.es * 100.0,
            fall.realised.var * 100.0,
            fall.realised.es * 100.0,
            a.weights.abi.asset_weight_maint,
            a.weights.abi.asset_weight_init,
            a.weights.abi.liab_weight_maint,
            a.weights.abi.liab_weight_init,
            a.weights.abi.liquidation_penalty,
            a.auction.abi,
        );
        // Crash days: annualised vol in the hundreds of percent, a 10-minute 99% fall of a few
        // to a few tens of percent, and weights that still lend something.
        assert!(
            (1.0..20.0).contains(&a.risk.realised.annualised()),
            "{file}"
        );
        assert!(
            (0.02..0.3).contains(&hist.var) && hist.es >= hist.var,
            "{file}"
        );
        let awm = a.weights.abi.asset_weight_maint;
        assert!((5_000_000..9_500_000).contains(&awm), "{file}: awm {awm}");
        assert!(a.weights.upside_horizon.worst(p.config.measure).0 > 0.0);
        assert!(p
            .to_string()
            .contains("of the fall over the 600 s liquidation horizon"));
    }
}

#[test]
fn black_thursday_joint_history_reports_correlation_and_diversification() {
    let a = load_csv(data_file("ETHUSDT_perp_1m_2020-03-12_13_binance.csv")).unwrap();
    let b = load_csv(data_file("ETHUSD_10m_2020-03-12_coinapi_stablesims.csv")).unwrap();
    let p = propose(&[a, b], &ProposalConfig::default()).unwrap();
    let port = p
        .portfolio
        .as_ref()
        .expect("the two files share 2020-03-12");
    println!("{port}");
    // Two venues' ETH on the same day: highly correlated, so little diversification.
    assert!(port.correlation[0][1] > 0.7, "{:?}", port.correlation);
    let hist = port.historical_benefit.as_ref().unwrap();
    assert!(
        hist.benefit >= -1e-12 && hist.relative_benefit < 0.05,
        "{hist:?}"
    );
}

#[test]
fn manipulated_feed_gets_near_zero_collateral_weight_and_capped_liability_weight() {
    let s = Shape::from_name("oracle_attack")
        .unwrap()
        .generate(&PathParams::default(), 1)
        .unwrap();
    let p = propose(&[s], &ProposalConfig::default()).unwrap();
    let w = &p.assets[0].weights;
    assert!(w.abi.asset_weight_maint < 100_000, "{:?}", w.abi);
    assert_eq!(w.abi.liab_weight_init, MAX_LIAB_WEIGHT_ABI);
    assert!(w.reasoning.last().unwrap().contains("borrowing disabled"));
    w.abi.check().unwrap();
}

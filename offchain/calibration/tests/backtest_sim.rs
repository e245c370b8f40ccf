//! The backtest through the protocol simulator (the real contracts' WASM in the in-process
//! Soroban host) on the Black Thursday file, at reduced size for CI: the −30 % hour (10:00–11:05
//! UTC on 2020-03-12, a minute grid), six traders, the proposal and one much looser set.
//! The full-size runs are committed under docs/calibration/ (README "Calibrating risk
//! parameters").

use calibration::backtest::{
    alternatives, backtest, seconds_to_cusp, BacktestConfig, ProtocolSimulator, RunSpec, Simulate,
};
use calibration::{propose, ProposalConfig};
use market_data::load_csv;

const BLACK_THURSDAY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ETHUSDT_perp_1m_2020-03-12_13_binance.csv"
);

fn crash_hour() -> BacktestConfig {
    BacktestConfig {
        // A quarter of the proposal's haircuts: maint weight about 0.95, liquidated at a fall
        // of about 6 % from a highly levered opening.
        scales: vec![0.25],
        traders: 6,
        lenders: 2,
        skip_seconds: 10 * 3600,
        duration_seconds: Some(65 * 60),
        ..BacktestConfig::default()
    }
}

#[test]
fn black_thursday_crash_hour_through_the_contracts() {
    let series = load_csv(BLACK_THURSDAY).unwrap();
    let proposal = propose(std::slice::from_ref(&series), &ProposalConfig::default()).unwrap();
    let config = crash_hour();
    let candidates = alternatives(&proposal, &config.scales);
    let rows = backtest(&candidates, &series, &config, &ProtocolSimulator::default()).unwrap();
    let [looser, proposed] = &rows[..] else {
        panic!("two rows: {rows:?}")
    };
    assert_eq!(looser.label, "looser x0.25");
    assert!(proposed.is_proposal && !looser.is_proposal);
    for r in &rows {
        assert_eq!(r.accounts, config.traders, "every trader opened: {r:?}");
        assert!(r.unnecessary <= r.liquidations);
        assert!(r.bad_debt >= 0.0 && r.written_off <= r.bad_debt + 1e-9);
    }
    // The looser set lends more per unit of collateral; the crash liquidates its accounts,
    // keepers are paid for it (start bonus and the auction's discount), and its thin maint
    // cushion does not cover the hour's 5-minute gaps: it leaves bad debt.
    assert!(looser.capital_efficiency > proposed.capital_efficiency);
    assert!(looser.liquidations > 0, "{looser:?}");
    assert!(looser.keeper_profit > 0.0, "{looser:?}");
    assert!(
        looser.bad_debt > 0.0 && looser.bad_debt_accounts > 0,
        "{looser:?}"
    );
    // The proposal: a −27 % fall within the window liquidates no account opened at its init
    // weight and leaves no bad debt.
    assert!(proposed.liquidations <= looser.liquidations);
    assert_eq!(proposed.bad_debt, 0.0, "{proposed:?}");
    // Capital efficiency is the contracts' figure: asset_weight_init / the stable's
    // liab_weight_init (1.05).
    let awi = proposed.collateral_weights.1 as f64 / 1e7;
    assert!((proposed.capital_efficiency - awi / 1.05).abs() < 1e-6);
}

#[test]
fn a_grid_too_coarse_for_the_auction_is_refused() {
    let series = load_csv(BLACK_THURSDAY).unwrap();
    let proposal = propose(std::slice::from_ref(&series), &ProposalConfig::default()).unwrap();
    let cusp = seconds_to_cusp(&proposal.auction.abi);
    // The calibrated curve passes its cusp within the clearing target plus a step or two.
    assert!((180..=300).contains(&cusp), "{cusp}");
    let config = BacktestConfig {
        step_seconds: 300,
        ..crash_hour()
    };
    let err = backtest(
        &alternatives(&proposal, &[]),
        &series,
        &config,
        &ProtocolSimulator::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("the 300 s grid is not shorter than the"),
        "{err}"
    );
    assert!(err.contains("use a finer step"), "{err}");
}

#[test]
fn the_scenario_carries_the_candidate_into_the_simulator() {
    let series = load_csv(BLACK_THURSDAY).unwrap();
    let proposal = propose(std::slice::from_ref(&series), &ProposalConfig::default()).unwrap();
    let candidate = &alternatives(&proposal, &[])[0];
    let config = crash_hour();
    let paths = calibration::backtest::PricePaths {
        step_seconds: 60,
        prices: vec![vec![150.0, 140.0], vec![1.0, 1.0]],
    };
    let spec = RunSpec {
        candidate,
        debt: config.debt,
        paths: &paths,
        keeper_latencies: &[30, 120],
        traders: 3,
        lenders: 1,
        long_share: 1.0,
        leverage: (0.5, 0.9),
        seed: 4,
    };
    let s = ProtocolSimulator::default().scenario(&spec).unwrap();
    let c = candidate.assets[0];
    assert_eq!(
        s.overrides[0].asset_weight_maint,
        Some(c.asset_weight_maint)
    );
    assert_eq!(s.overrides[0].liab_weight_init, Some(c.liab_weight_init));
    assert_eq!(
        s.overrides[1].liquidation_penalty,
        Some(config.debt.liquidation_penalty)
    );
    let a = candidate.auction;
    assert_eq!(s.auction.cut_step, Some((a.cut, a.step)));
    assert_eq!((s.auction.buf, s.auction.cusp), (Some(a.buf), Some(a.cusp)));
    let latencies: Vec<u64> = s.keepers.iter().map(|k| k.latency).collect();
    assert_eq!(latencies, [30, 120]);
    assert!(s.governance.is_none() && !s.attacker);
    assert_eq!((s.step_seconds, s.traders, s.seed), (60, 3, 4));
    // No keeper: refused before any run.
    let none = RunSpec {
        keeper_latencies: &[],
        ..spec
    };
    assert!(ProtocolSimulator::default().simulate(&none).is_err());
}

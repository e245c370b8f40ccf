//! Multi-seed statistics, without the simulator: a scripted stand-in answers each run from its
//! candidate and seed, so the mean, least and most of every figure and the count of seeds with
//! bad debt can be checked exactly.

use std::cell::RefCell;

use calibration::backtest::{
    backtest_seeds, frontier_seeds_svg, per_seed_table, seed_stats, seeds_table, BacktestConfig,
    Candidate, LiquidationRecord, Metrics, Role, RunOutcome, RunSpec, Simulate, Spread,
};
use calibration::proposal::abi::AbiAssetConfig;
use calibration::{propose, ProposalConfig};
use market_data::{PathParams, PricePoint, PriceSeries, Shape};

const ETH: AbiAssetConfig = AbiAssetConfig {
    asset_weight_init: 7_000_000,
    asset_weight_maint: 8_000_000,
    liab_weight_init: 13_000_000,
    liab_weight_maint: 12_000_000,
    liquidation_penalty: 500_000,
};

const LOOSER: AbiAssetConfig = AbiAssetConfig {
    asset_weight_init: 8_500_000,
    asset_weight_maint: 9_000_000,
    liab_weight_init: 11_500_000,
    liab_weight_maint: 11_000_000,
    liquidation_penalty: 500_000,
};

fn candidates() -> Vec<Candidate> {
    let gbm = Shape::from_name("gbm")
        .unwrap()
        .generate(&PathParams::default(), 2)
        .unwrap();
    let auction = propose(&[gbm], &ProposalConfig::default())
        .unwrap()
        .auction
        .abi;
    vec![
        Candidate {
            label: "looser x0.5".into(),
            role: Role::Scaled(0.5),
            assets: vec![LOOSER],
            auction,
        },
        Candidate {
            label: "proposal".into(),
            role: Role::Proposal,
            assets: vec![ETH],
            auction,
        },
    ]
}

/// 20 minutes at 100 USD on a minute grid.
fn flat() -> PriceSeries {
    PriceSeries::new(
        "flat",
        (0..=20)
            .map(|i| PricePoint::new(1_000 + 60 * i, 100.0))
            .collect(),
    )
    .unwrap()
}

/// 7-decimal base units of `x` whole tokens.
fn units(x: i128) -> i128 {
    x * 10_000_000
}

/// Answers from the candidate and the seed, and remembers which seeds it was asked for:
/// - the proposal: `seed` liquidations of an account at 10 ETH against 100 USDC (healthy at
///   100 USD, so each is unnecessary); bad debt 7.5 USD on seed 3 only;
/// - the looser set: `2 * seed` liquidations of an account at 1 ETH against 100 USDC (never back
///   at maintenance at 100 USD); bad debt `10 * seed` USD on every seed.
#[derive(Default)]
struct Scripted {
    asked: RefCell<Vec<(String, u64)>>,
}

impl Simulate for Scripted {
    fn simulate(&self, spec: &RunSpec<'_>) -> Result<RunOutcome, String> {
        let label = spec.candidate.label.clone();
        self.asked.borrow_mut().push((label.clone(), spec.seed));
        let s = spec.seed;
        let (count, eth, bad) = if spec.candidate.is_proposal() {
            (s, 10, if s == 3 { 7.5 } else { 0.0 })
        } else {
            (2 * s, 1, 10.0 * s as f64)
        };
        let liquidations = (0..count)
            .map(|i| LiquidationRecord {
                account: i as u32,
                time_seconds: 60,
                positions: vec![(0, units(eth)), (1, -units(100))],
            })
            .collect();
        Ok(RunOutcome {
            liquidations,
            accounts: 4,
            bad_debt: bad,
            bad_debt_accounts: usize::from(bad > 0.0),
            written_off: bad / 2.0,
            keeper_profit: 100.0 * s as f64,
            insurance_fund: 0.0,
            borrowing_power: spec.candidate.assets[0].asset_weight_init as f64 / 1.05e7,
        })
    }
}

fn close(a: &Spread, mean: f64, min: f64, max: f64) {
    assert!(
        (a.mean - mean).abs() < 1e-9 && a.min == min && a.max == max,
        "{a:?} vs mean {mean}, min {min}, max {max}"
    );
}

#[test]
fn every_set_runs_on_every_seed_and_the_statistics_follow_the_runs() {
    let sim = Scripted::default();
    let config = BacktestConfig::default();
    let run = backtest_seeds(&candidates(), &flat(), &config, &[1, 2, 3, 4], &sim).unwrap();
    // Seed by seed, each seed running every set in candidate order.
    let asked = sim.asked.into_inner();
    let expected: Vec<(String, u64)> = [1, 2, 3, 4]
        .into_iter()
        .flat_map(|s| [("looser x0.5".to_string(), s), ("proposal".to_string(), s)])
        .collect();
    assert_eq!(asked, expected);
    assert_eq!(run.seeds, [1, 2, 3, 4]);
    assert_eq!(run.per_seed.len(), 4);
    assert_eq!(run.per_seed[2][1].bad_debt, 7.5);

    let [looser, proposal] = &run.stats[..] else {
        panic!("one statistic per set: {:?}", run.stats)
    };
    assert!(proposal.is_proposal && !looser.is_proposal);
    assert_eq!(proposal.seeds, 4);
    // Proposal: 1..=4 liquidations, all unnecessary; bad debt only on seed 3.
    close(&proposal.liquidations, 2.5, 1.0, 4.0);
    close(&proposal.unnecessary, 2.5, 1.0, 4.0);
    close(&proposal.bad_debt, 7.5 / 4.0, 0.0, 7.5);
    close(&proposal.written_off, 3.75 / 4.0, 0.0, 3.75);
    close(&proposal.keeper_profit, 250.0, 100.0, 400.0);
    close(&proposal.accounts, 4.0, 4.0, 4.0);
    assert_eq!(proposal.seeds_with_bad_debt, 1);
    assert!((proposal.capital_efficiency - 0.7 / 1.05).abs() < 1e-12);
    // Looser: 2, 4, 6, 8 liquidations, none unnecessary; bad debt on every seed.
    close(&looser.liquidations, 5.0, 2.0, 8.0);
    close(&looser.unnecessary, 0.0, 0.0, 0.0);
    close(&looser.bad_debt, 25.0, 10.0, 40.0);
    assert_eq!(looser.seeds_with_bad_debt, 4);
    assert_eq!(looser.collateral_weights, (9_000_000, 8_500_000));
}

#[test]
fn the_tables_give_mean_and_range_and_each_seed() {
    let run = backtest_seeds(
        &candidates(),
        &flat(),
        &BacktestConfig::default(),
        &[1, 2, 3],
        &Scripted::default(),
    )
    .unwrap();
    let tab = seeds_table(&run.stats);
    assert!(tab.contains("| seeds with bad debt |"), "{tab}");
    // Counts as mean (min-max), identical figures once; bad debt as mean, worst.
    assert!(
        tab.contains(
            "| **proposal** | 0.8000 / 0.7000 | 4 | 2.0 (1-3) | 2.0 (1-3) | 2.50, 7.50 | 1 of 3 \
             | 3.75 | 200.00 (100.00-300.00) | 0.6667 |"
        ),
        "{tab}"
    );
    assert!(
        tab.contains(
            "| looser x0.5 | 0.9000 / 0.8500 | 4 | 4.0 (2-6) | 0 | 20.00, 30.00 | 3 of 3 |"
        ),
        "{tab}"
    );
    let each = per_seed_table(&run);
    assert!(each.starts_with("| parameters | seed 1 | seed 2 | seed 3 |\n|---|---:|---:|---:|\n"));
    assert!(
        each.contains("| proposal | 1 (1) / 0.00 | 2 (2) / 0.00 | 3 (3) / 7.50 |"),
        "{each}"
    );
    assert!(
        each.contains("| looser x0.5 | 2 (0) / 10.00 | 4 (0) / 20.00 | 6 (0) / 30.00 |"),
        "{each}"
    );
    // The chart: a point at each mean and a whisker from the least to the worst seed.
    let svg = frontier_seeds_svg(&run.stats, "flat");
    assert_eq!(svg.matches("<circle").count(), 2);
    assert_eq!(svg.matches("stroke=\"#888\"").count(), 2, "{svg}");
    assert!(svg.contains("proposal: mean bad debt 2.50"), "{svg}");
}

#[test]
fn statistics_need_a_seed_and_the_same_sets_on_each() {
    let sim = Scripted::default();
    let err = backtest_seeds(
        &candidates(),
        &flat(),
        &BacktestConfig::default(),
        &[],
        &sim,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("at least one seed"), "{err}");
    assert!(sim.asked.borrow().is_empty(), "nothing runs without a seed");
    let row = |label: &str| Metrics {
        label: label.into(),
        is_proposal: label == "proposal",
        collateral_weights: (8_000_000, 7_000_000),
        accounts: 1,
        liquidations: 0,
        unnecessary: 0,
        bad_debt: 0.0,
        bad_debt_accounts: 0,
        written_off: 0.0,
        keeper_profit: 0.0,
        insurance_fund: 0.0,
        capital_efficiency: 0.5,
    };
    let err = seed_stats(&[vec![row("proposal")], vec![row("looser x0.5")]]).unwrap_err();
    assert!(err.to_string().contains("same parameter sets"), "{err}");
    // One seed: every spread is that seed's figure.
    let one = seed_stats(&[vec![row("proposal")]]).unwrap();
    close(&one[0].bad_debt, 0.0, 0.0, 0.0);
    assert_eq!((one[0].seeds, one[0].seeds_with_bad_debt), (1, 0));
}

#[test]
fn a_spread_of_nothing_is_none() {
    assert_eq!(Spread::of(std::iter::empty()), None);
    let s = Spread::of([3.0, -1.0, 4.0]).unwrap();
    close(&s, 2.0, -1.0, 4.0);
}

//! Accounts opening during the window, without the simulator: a scripted stand-in records each
//! run it is asked for, so the split into a main run and one run per late trader, their paths,
//! seeds and the joined row can be checked exactly.

use std::cell::RefCell;

use calibration::backtest::late::{late_open_steps, late_seed, late_traders};
use calibration::backtest::{
    backtest, BacktestConfig, Candidate, LiquidationRecord, Role, RunOutcome, RunSpec, Simulate,
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

/// Points of the test grid, and the step from which the price doubles.
const POINTS: usize = 30;
const JUMP: usize = 15;

fn candidates() -> Vec<Candidate> {
    let gbm = Shape::from_name("gbm")
        .unwrap()
        .generate(&PathParams::default(), 2)
        .unwrap();
    let auction = propose(&[gbm], &ProposalConfig::default())
        .unwrap()
        .auction
        .abi;
    ["looser x0.5", "proposal"]
        .into_iter()
        .map(|label| Candidate {
            label: label.into(),
            role: if label == "proposal" {
                Role::Proposal
            } else {
                Role::Scaled(0.5)
            },
            assets: vec![ETH],
            auction,
        })
        .collect()
}

/// 100 USD for the first 15 minutes, then 200 USD, on a minute grid of 30 points.
fn step_up() -> PriceSeries {
    PriceSeries::new(
        "step-up",
        (0..POINTS)
            .map(|i| PricePoint::new(60 * i as u64, if i < JUMP { 100.0 } else { 200.0 }))
            .collect(),
    )
    .unwrap()
}

/// One run as the stand-in saw it: label, traders, points of its path, seed.
type Asked = (String, usize, usize, u64);

/// Records every run; each answers one liquidation at its own start of 1 ETH against 100 USDC
/// (liquidatable at 100 USD, back at maintenance at 200 USD), `traders` accounts, 1 USD of bad
/// debt per account and 10 USD of keeper profit.
#[derive(Default)]
struct Scripted {
    asked: RefCell<Vec<Asked>>,
}

impl Simulate for Scripted {
    fn simulate(&self, spec: &RunSpec<'_>) -> Result<RunOutcome, String> {
        self.asked.borrow_mut().push((
            spec.candidate.label.clone(),
            spec.traders,
            spec.paths.len(),
            spec.seed,
        ));
        Ok(RunOutcome {
            liquidations: vec![LiquidationRecord {
                account: 0,
                time_seconds: 0,
                positions: vec![(0, 10_000_000), (1, -1_000_000_000)],
            }],
            accounts: spec.traders,
            bad_debt: spec.traders as f64,
            bad_debt_accounts: spec.traders,
            written_off: 0.0,
            keeper_profit: 10.0,
            insurance_fund: 1.0,
            borrowing_power: 0.5,
        })
    }
}

fn config(traders: usize, late_share: f64) -> BacktestConfig {
    BacktestConfig {
        traders,
        late_share,
        seed: 7,
        recovery_horizon_seconds: 120,
        ..BacktestConfig::default()
    }
}

#[test]
fn late_traders_are_the_nearest_whole_share_leaving_one_at_the_start() {
    assert_eq!(late_traders(10, 0.3), 3);
    assert_eq!(late_traders(10, 0.25), 3, "2.5 rounds to 3");
    assert_eq!(late_traders(10, 0.99), 9, "one trader stays at the start");
    assert_eq!(late_traders(1, 0.5), 0);
    assert_eq!(late_traders(8, 0.0), 0);
    assert_eq!(late_traders(8, f64::NAN), 0);
}

#[test]
fn open_steps_are_drawn_inside_the_window_from_the_seed_alone() {
    let a = late_open_steps(40, 0.5, POINTS, 7);
    assert_eq!(a.len(), 20);
    assert!(a.windows(2).all(|w| w[0] <= w[1]), "sorted: {a:?}");
    assert!(
        a.iter().all(|&k| (1..=POINTS - 2).contains(&k)),
        "after the start, with at least two points left: {a:?}"
    );
    assert_eq!(a, late_open_steps(40, 0.5, POINTS, 7), "deterministic");
    assert_ne!(
        a,
        late_open_steps(40, 0.5, POINTS, 8),
        "another seed, other times"
    );
    assert!(
        late_open_steps(40, 0.5, 2, 7).is_empty(),
        "no room on two points"
    );
    assert_ne!(late_seed(7, 0), late_seed(7, 1));
    assert_ne!(late_seed(7, 0), 7);
}

#[test]
fn each_late_trader_is_a_run_from_its_open_step_joined_to_the_main_run() {
    let sim = Scripted::default();
    let cfg = config(4, 0.5);
    let rows = backtest(&candidates(), &step_up(), &cfg, &sim).unwrap();
    let opens = late_open_steps(4, 0.5, POINTS, 7);
    assert_eq!(opens.len(), 2);
    let asked = sim.asked.into_inner();
    for (c, label) in ["looser x0.5", "proposal"].into_iter().enumerate() {
        let runs = &asked[3 * c..3 * c + 3];
        // The main run: the two traders opening at the start, the whole grid, the seed.
        assert_eq!(runs[0], (label.to_string(), 2, POINTS, 7));
        // One run per late trader: one trader, the grid from its open step, a seed of its own.
        for (k, &open) in opens.iter().enumerate() {
            assert_eq!(
                runs[k + 1],
                (label.to_string(), 1, POINTS - open, late_seed(7, k))
            );
        }
    }
    // The row joins the three runs: 2 + 1 + 1 accounts, 3 liquidations, 4 USD of bad debt.
    for r in &rows {
        assert_eq!((r.accounts, r.liquidations), (4, 3));
        assert_eq!((r.bad_debt, r.bad_debt_accounts), (4.0, 4));
        assert_eq!((r.keeper_profit, r.insurance_fund), (30.0, 3.0));
        assert_eq!(r.capital_efficiency, 0.5);
    }
    // A late run's liquidation happened at its open time on the whole grid: it is unnecessary
    // when the price doubles within the 120 s horizon after it, i.e. from step JUMP - 2 on; the
    // main run's, at t = 0, is not.
    let expected = opens.iter().filter(|&&k| k + 2 >= JUMP).count();
    assert_eq!(rows[1].unnecessary, expected, "opens {opens:?}");
}

#[test]
fn without_a_late_share_every_trader_opens_in_one_run() {
    let sim = Scripted::default();
    backtest(&candidates(), &step_up(), &config(4, 0.0), &sim).unwrap();
    let asked = sim.asked.into_inner();
    assert_eq!(asked.len(), 2, "one run per candidate: {asked:?}");
    assert!(asked
        .iter()
        .all(|(_, traders, points, seed)| (*traders, *points, *seed) == (4, POINTS, 7)));
}

#[test]
fn a_late_share_of_one_is_refused() {
    let err = backtest(
        &candidates(),
        &step_up(),
        &config(4, 1.0),
        &Scripted::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("opening late must be in [0, 1)"), "{err}");
}

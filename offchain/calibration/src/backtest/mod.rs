//! The backtest: run the proposal and tighter and looser alternatives through the protocol
//! simulator (the real contracts, in the in-process Soroban host) over a price history, and
//! report for each: liquidations, unnecessary liquidations, bad debt, keeper profit, capital
//! efficiency; then draw the frontier of bad debt against capital efficiency.
//!
//! - [`alternatives`]: the parameter sets (haircuts scaled by `k`).
//! - [`recovery`]: unnecessary liquidations, natively with risk-core.
//! - [`metrics`]: a run's row and the table.
//! - [`frontier`]: the SVG chart.
//! - [`seeds`]: every set over several seeds, and the statistics.
//! - [`late`]: accounts opening at random times through the run.
//! - [`sim`]: [`Simulate`] on the protocol simulator ([`ProtocolSimulator`]).
//!
//! The simulator is reached through [`Simulate`], so the metrics, the alternatives and the chart
//! do not depend on how a run is driven (the logic tests use a scripted stand-in).
//!
//! The market of a run: asset 0 is the calibrated collateral, priced along the history; asset 1
//! is the debt asset, a stable at 1 USD with the weights of the deployment config (the
//! calibration does not touch them: there is no series for it).

pub mod alternatives;
pub mod frontier;
pub mod late;
pub mod metrics;
pub mod recovery;
pub mod seeds;
pub mod sim;

use market_data::PriceSeries;

pub use alternatives::{alternatives, scale_config, Candidate, Role};
pub use frontier::{frontier_points_svg, frontier_seeds_svg, frontier_svg, FrontierPoint};
pub use metrics::{metrics, table, LiquidationRecord, Metrics, RunOutcome};
pub use recovery::{recovers, PricePaths, Valuation};
pub use seeds::{
    backtest_seeds, per_seed_table, seed_stats, seeds_table, SeedBacktest, SeedStats, Spread,
};
pub use sim::ProtocolSimulator;

use crate::error::CalibrationError;
use crate::proposal::abi::{from_abi, AbiAssetConfig, AbiAuction};

/// Seconds from an auction's start until its stairstep price is below `cusp` of its top, when it
/// may only be reset (`u64::MAX` if it never gets there).
pub fn seconds_to_cusp(a: &AbiAuction) -> u64 {
    let (cut, cusp) = (from_abi(a.cut), from_abi(a.cusp));
    if !(cut > 0.0 && cut < 1.0 && cusp > 0.0) {
        return u64::MAX;
    }
    // The price after k steps is top * cut^k: below the cusp from the first k > ln cusp / ln cut.
    let steps = (cusp.ln() / cut.ln()).floor() as u64 + 1;
    steps.saturating_mul(a.step)
}

/// Token decimals of every simulated asset (the simulator's test tokens).
pub const SIM_DECIMALS: u32 = 7;

/// One simulator run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSpec<'a> {
    /// The parameters under test (collateral config, auction).
    pub candidate: &'a Candidate,
    /// The debt asset's config.
    pub debt: AbiAssetConfig,
    /// Prices per asset (the debt asset's at 1 USD).
    pub paths: &'a PricePaths,
    /// Seconds each keeper waits after an account becomes liquidatable.
    pub keeper_latencies: &'a [u64],
    /// Leveraged traders.
    pub traders: usize,
    /// Lenders.
    pub lenders: usize,
    /// Share of the traders that go long the collateral (the others are short it).
    pub long_share: f64,
    /// Traders' leverage range, as fractions of the most debt init health allows.
    pub leverage: (f64, f64),
    /// Seed of the run.
    pub seed: u64,
}

/// Something that runs a [`RunSpec`] through the protocol.
pub trait Simulate {
    /// Runs the spec to the end of its paths.
    ///
    /// # Errors
    /// Why the run could not happen.
    fn simulate(&self, spec: &RunSpec<'_>) -> Result<RunOutcome, String>;
}

/// What a backtest runs besides the parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct BacktestConfig {
    /// Haircut scales of the alternatives (`> 1` tighter, `< 1` looser).
    pub scales: Vec<f64>,
    /// Keeper latencies, seconds (default 30 and 120: keepers arrive within 2 minutes).
    pub keeper_latencies: Vec<u64>,
    /// Traders per run.
    pub traders: usize,
    /// Lenders per run.
    pub lenders: usize,
    /// Share of the traders that go long the collateral (the others short it).
    pub long_share: f64,
    /// Traders' leverage range, as fractions of the most debt init health allows (each trader
    /// draws one; close to 1 is an account opened at the edge of its init health).
    pub leverage: (f64, f64),
    /// Seed (the same for every candidate, so runs differ only by their parameters).
    pub seed: u64,
    /// Price grid of the runs, seconds (default 60). The simulator's keepers act at grid times
    /// only, so the grid must be finer than the auction's way from its start to its cusp
    /// ([`seconds_to_cusp`]): on the 300 s oracle resolution a calibrated curve (240 s to its
    /// cusp on Black Thursday) is past the cusp at every look and is reset, never taken. The
    /// market (the AMM) moves at every grid step while the oracle adapter serves one quote per
    /// 300 s feed resolution, so the oracle lag of the liquidation horizon is part of the run.
    pub step_seconds: u64,
    /// Seconds of history skipped at the start.
    pub skip_seconds: u64,
    /// Seconds of history run (`None`: to the end).
    pub duration_seconds: Option<u64>,
    /// A liquidation is unnecessary when the account recovers within this many seconds.
    pub recovery_horizon_seconds: u64,
    /// The debt asset's config.
    pub debt: AbiAssetConfig,
    /// Share of the traders that open at random times through the run instead of at its start,
    /// in `[0, 1)` ([`late`]: each is a run of its own from its open time; 0: none).
    pub late_share: f64,
}

/// The testnet deployment's USDC config (scripts/deploy/testnet.json).
pub const STABLE_DEBT: AbiAssetConfig = AbiAssetConfig {
    asset_weight_init: 9_500_000,
    asset_weight_maint: 9_700_000,
    liab_weight_init: 10_500_000,
    liab_weight_maint: 10_300_000,
    liquidation_penalty: 200_000,
};

impl Default for BacktestConfig {
    fn default() -> Self {
        BacktestConfig {
            scales: vec![0.5, 0.75, 1.25, 1.5],
            keeper_latencies: vec![30, 120],
            traders: 8,
            lenders: 2,
            long_share: 0.8,
            leverage: (0.5, 0.98),
            seed: 1,
            step_seconds: 60,
            skip_seconds: 0,
            duration_seconds: None,
            recovery_horizon_seconds: 600,
            debt: STABLE_DEBT,
            late_share: 0.0,
        }
    }
}

/// The history on the run's grid: from `skip` seconds after the first point, for `duration`
/// seconds, one price every `step` seconds, each the last close at or before its time (a gap
/// keeps the previous price, as a feed that publishes nothing new would).
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - a zero step, or fewer than two points in the window.
pub fn price_grid(
    series: &PriceSeries,
    config: &BacktestConfig,
) -> Result<Vec<f64>, CalibrationError> {
    let step = config.step_seconds;
    let points = series.points();
    let (Some(first), Some(last), true) = (points.first(), points.last(), step > 0) else {
        return Err(CalibrationError::InvalidConfig(
            "the backtest needs a series and a positive step".into(),
        ));
    };
    let start = first.timestamp + config.skip_seconds;
    let end = config
        .duration_seconds
        .map_or(last.timestamp, |d| (start + d).min(last.timestamp));
    let mut grid = Vec::new();
    let mut next = 0;
    let mut price = first.close;
    let mut t = start;
    while t <= end {
        while next < points.len() && points[next].timestamp <= t {
            price = points[next].close;
            next += 1;
        }
        grid.push(price);
        t += step;
    }
    if grid.len() < 2 {
        return Err(CalibrationError::InvalidConfig(format!(
            "{}: fewer than two {step} s points in the backtest window",
            series.name()
        )));
    }
    Ok(grid)
}

/// Runs every candidate over `collateral`'s history and returns their rows, in candidate order.
/// With a [`BacktestConfig::late_share`], each candidate's row joins the main run (the traders
/// opening at the start) and one run per late trader from its open step ([`late`]).
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - as [`price_grid`]; a grid step not shorter than a
///   candidate's [`seconds_to_cusp`] (keepers would only ever see its auctions past the cusp);
///   a run's positions cannot be
///   revalued.
/// * [`CalibrationError::Simulation`] - a run failed (the message names the candidate).
pub fn backtest(
    candidates: &[Candidate],
    collateral: &PriceSeries,
    config: &BacktestConfig,
    sim: &dyn Simulate,
) -> Result<Vec<Metrics>, CalibrationError> {
    let grid = price_grid(collateral, config)?;
    for c in candidates {
        let cusp = seconds_to_cusp(&c.auction);
        if config.step_seconds >= cusp {
            return Err(CalibrationError::InvalidConfig(format!(
                "{}: the {} s grid is not shorter than the {cusp} s its auction takes to reach \
                 the cusp; keepers act at grid times, so they would see every auction only when \
                 it must be reset: use a finer step",
                c.label, config.step_seconds
            )));
        }
    }
    if !(0.0..1.0).contains(&config.late_share) {
        return Err(CalibrationError::InvalidConfig(format!(
            "the share of traders opening late must be in [0, 1), got {}",
            config.late_share
        )));
    }
    let paths = PricePaths {
        step_seconds: config.step_seconds,
        prices: vec![grid.clone(), vec![1.0; grid.len()]],
    };
    let opens = late::late_open_steps(config.traders, config.late_share, grid.len(), config.seed);
    let late_paths: Vec<PricePaths> = opens
        .iter()
        .map(|&k| PricePaths {
            step_seconds: config.step_seconds,
            prices: paths.prices.iter().map(|p| p[k..].to_vec()).collect(),
        })
        .collect();
    candidates
        .iter()
        .map(|candidate| {
            let spec = RunSpec {
                candidate,
                debt: config.debt,
                paths: &paths,
                keeper_latencies: &config.keeper_latencies,
                traders: config.traders - opens.len(),
                lenders: config.lenders,
                long_share: config.long_share,
                leverage: config.leverage,
                seed: config.seed,
            };
            let failed =
                |e: String| CalibrationError::Simulation(format!("{}: {e}", candidate.label));
            let mut outcome = sim.simulate(&spec).map_err(failed)?;
            for (k, (&open, late_paths)) in opens.iter().zip(&late_paths).enumerate() {
                let offset = open as u64 * config.step_seconds;
                let late_spec = RunSpec {
                    paths: late_paths,
                    traders: 1,
                    seed: late::late_seed(config.seed, k),
                    ..spec.clone()
                };
                let late = sim
                    .simulate(&late_spec)
                    .map_err(|e| failed(format!("the trader opening at {offset} s: {e}")))?;
                late::join(&mut outcome, late, offset);
            }
            let valuations = [
                Valuation {
                    decimals: SIM_DECIMALS,
                    config: candidate.assets[0],
                },
                Valuation {
                    decimals: SIM_DECIMALS,
                    config: config.debt,
                },
            ];
            metrics(
                candidate,
                &outcome,
                &valuations,
                &paths,
                config.recovery_horizon_seconds,
            )
        })
        .collect()
}

//! The protocol simulator (SPEC §11): deploys the whole protocol from its WASM builds in the
//! in-process Soroban host, opens leveraged accounts, drives the collateral price along a series
//! and lets keepers liquidate what falls below maintenance. [`run`] is the library entry point
//! the calibration backtest builds on.

pub mod cli;
mod keepers;
pub mod output;
mod world;

pub use keepers::KeeperSpec;

/// What to simulate.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Collateral price per step (USD), one series per asset; asset 0 is the collateral the
    /// traders hold, asset 1 the debt asset (a stable priced at its series, 1 USD if absent).
    pub prices: Vec<Vec<f64>>,
    /// Seconds between price points.
    pub step_seconds: u64,
    /// Risk parameter overrides for the collateral asset (7 decimals, `None` keeps the default).
    pub asset_weight_init: Option<i128>,
    pub asset_weight_maint: Option<i128>,
    pub liab_weight_init: Option<i128>,
    pub liab_weight_maint: Option<i128>,
    pub liquidation_penalty: Option<i128>,
    /// Auction overrides: start premium, stairstep `(cut, step)` or linear `tau`, tail, cusp.
    pub buf: Option<i128>,
    pub cut_step: Option<(i128, u64)>,
    pub linear_tau: Option<u64>,
    pub tail: Option<u64>,
    pub cusp: Option<i128>,
    /// Keepers competing for auctions.
    pub keepers: Vec<KeeperSpec>,
    pub lenders: usize,
    pub traders: usize,
    pub seed: u64,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            prices: Vec::new(),
            step_seconds: 60,
            asset_weight_init: None,
            asset_weight_maint: None,
            liab_weight_init: None,
            liab_weight_maint: None,
            liquidation_penalty: None,
            buf: None,
            cut_step: None,
            linear_tau: None,
            tail: None,
            cusp: None,
            keepers: vec![KeeperSpec::new(0), KeeperSpec::new(120)],
            lenders: 3,
            traders: 20,
            seed: 1,
        }
    }
}

/// One auction start as the simulator saw it.
#[derive(Clone, Debug)]
pub struct Liquidation {
    pub account: u32,
    /// Seconds since the start of the run.
    pub time: u64,
    /// The account's positions (asset index, signed base units) at the start.
    pub positions: Vec<(usize, i128)>,
    /// Oracle prices (USD) at the start.
    pub prices: Vec<f64>,
    /// Debt tokens per collateral token paid by each take (USD terms of the debt asset).
    pub clearing_prices: Vec<f64>,
    /// The collateral's oracle price at each take.
    pub oracle_at_takes: Vec<f64>,
    pub keeper: usize,
}

/// The resource cost of one entry point over the run.
#[derive(Clone, Debug, Default)]
pub struct Cost {
    pub name: String,
    pub calls: usize,
    pub median_instructions: i64,
    pub worst_instructions: i64,
    pub median_memory: i64,
    pub worst_memory: i64,
}

/// What happened.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub liquidations: Vec<Liquidation>,
    /// Debt written off (debt tokens, whole units).
    pub bad_debt: f64,
    /// Profit of each keeper (debt tokens, whole units, at the final oracle price).
    pub keeper_profit: Vec<f64>,
    /// Insurance fund balance in the debt asset (whole units).
    pub insurance_fund: f64,
    /// Debt a unit of collateral value supports at init health (`asset_weight_init / liab_weight_init`).
    pub borrowing_power: f64,
    /// Collateral price per step.
    pub price_path: Vec<f64>,
    /// Per step: maint health of every open account.
    pub health: Vec<Vec<f64>>,
    /// Per step: share price of each vault.
    pub share_prices: Vec<Vec<f64>>,
    pub costs: Vec<Cost>,
    pub accounts: usize,
}

/// Why a run could not happen.
#[derive(Debug)]
pub enum SimError {
    /// The scenario is not runnable (reason).
    BadScenario(String),
    /// A protocol call failed where the simulator needs it to succeed (call, error).
    Call(String, String),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::BadScenario(r) => write!(f, "bad scenario: {r}"),
            SimError::Call(c, e) => write!(f, "{c} failed: {e}"),
        }
    }
}

impl std::error::Error for SimError {}

/// Runs `scenario` to the end of its price series.
pub fn run(scenario: &Scenario) -> Result<Report, SimError> {
    run_with_progress(scenario, &mut |_| {})
}

/// [`run`] with a callback after every step (the CLI's progress bar).
pub fn run_with_progress(
    scenario: &Scenario,
    progress: &mut dyn FnMut(usize),
) -> Result<Report, SimError> {
    validate(scenario)?;
    world::World::new(scenario)?.run(scenario, progress)
}

fn validate(scenario: &Scenario) -> Result<(), SimError> {
    let bad = |r: &str| Err(SimError::BadScenario(r.into()));
    match scenario.prices.first() {
        None => return bad("no price series"),
        Some(p) if p.len() < 2 => {
            return bad("the collateral price series needs at least 2 points")
        }
        _ => {}
    }
    if scenario
        .prices
        .iter()
        .flatten()
        .any(|p| !(p.is_finite() && *p > 0.0))
    {
        return bad("prices must be positive and finite");
    }
    if scenario.traders == 0 {
        return bad("at least one trader");
    }
    if scenario.keepers.is_empty() {
        return bad("at least one keeper");
    }
    Ok(())
}

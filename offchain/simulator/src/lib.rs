//! The protocol simulator (SPEC §11): deploys the whole protocol from its WASM builds in the
//! in-process Soroban host, funds lenders, opens leveraged long and short accounts through the
//! AMM, drives the prices along a series, applies a governance haircut change through the
//! timelock and the ramp, and lets competing keepers liquidate what falls below maintenance.
//! [`run`] is the library entry point (the calibration backtest's `Simulate` seam builds on it).
//!
//! The market: asset 0 is the volatile asset (priced along `Scenario::prices[0]`), asset 1 the
//! debt-side stable (along `prices[1]`, 1 USD when absent). Long traders deposit asset 0 and
//! borrow asset 1; short traders deposit asset 1 and borrow asset 0; both sell what they borrow
//! on the AMM pool for more of their collateral with `trade`.

pub mod cli;
pub mod compact;
mod keepers;
pub mod output;
mod world;

pub use keepers::KeeperSpec;

/// Risk parameter overrides for one asset (7-decimal ABI ratios; `None` keeps the fixture's).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AssetOverride {
    pub asset_weight_init: Option<i128>,
    pub asset_weight_maint: Option<i128>,
    pub liab_weight_init: Option<i128>,
    pub liab_weight_maint: Option<i128>,
    pub liquidation_penalty: Option<i128>,
}

/// Auction parameter overrides (`None` keeps liquidation-auction's defaults).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AuctionOverride {
    /// Start premium (7 decimals).
    pub buf: Option<i128>,
    /// Stairstep exponential curve `(cut, step seconds)`.
    pub cut_step: Option<(i128, u64)>,
    /// Linear curve to zero at `tau` seconds.
    pub linear_tau: Option<u64>,
    /// Seconds after which an auction may be reset.
    pub tail: Option<u64>,
    /// Price fraction of the top below which an auction may be reset (7 decimals).
    pub cusp: Option<i128>,
}

/// A haircut change governance queues before the run and applies mid-run (SPEC §8): the new
/// weights of `asset` go through the timelock (`queue_asset`, the delay, `apply_asset`); the
/// init weight changes at once, the maint weight ramps over `ramp_seconds`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GovernanceChange {
    /// Seconds after the run's start at which `apply_asset` is called.
    pub apply_at: u64,
    pub asset: usize,
    /// New weights (7 decimals).
    pub asset_weight_init: i128,
    pub asset_weight_maint: i128,
    /// The margin-account `ramp_duration` set (through `queue_params`) before the run.
    pub ramp_seconds: u64,
}

/// What to simulate.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Price per step (USD), one series per asset: asset 0 the volatile, asset 1 the stable
    /// (1 USD if absent). A shorter series holds its last price.
    pub prices: Vec<Vec<f64>>,
    /// Seconds between price points.
    pub step_seconds: u64,
    /// Per-asset config overrides, index = asset: the run's starting parameters, in force from
    /// the first step (applied before any account opens, without a haircut ramp).
    pub overrides: Vec<AssetOverride>,
    pub auction: AuctionOverride,
    /// The mid-run governance change (`None`: none).
    pub governance: Option<GovernanceChange>,
    /// Keepers competing for auctions.
    pub keepers: Vec<KeeperSpec>,
    pub lenders: usize,
    pub traders: usize,
    /// Share of traders that go long asset 0.
    pub long_share: f64,
    /// Traders' leverage range, as fractions of the most debt init health allows.
    pub leverage: (f64, f64),
    /// An attacker deposits asset 0 and borrows all it can while asset 0's series is above
    /// twice its start (the thin-asset oracle attack).
    pub attacker: bool,
    /// Take ledger snapshots at the start and end to check that every token is accounted for
    /// (costly on big runs; the tests turn it on).
    pub check_conservation: bool,
    pub seed: u64,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            prices: Vec::new(),
            step_seconds: 60,
            overrides: Vec::new(),
            auction: AuctionOverride::default(),
            governance: None,
            keepers: KeeperSpec::default_set(),
            lenders: 4,
            traders: 40,
            long_share: 0.7,
            leverage: (0.3, 0.9),
            attacker: false,
            check_conservation: false,
            seed: 1,
        }
    }
}

impl Scenario {
    /// The default governance change for a run of `duration` seconds: asset 0's haircuts
    /// tightened by 5 points (init 0.8 → 0.75, maint 0.9 → 0.85) at 40 % of the run, ramped
    /// over a quarter of the run.
    pub fn default_governance(duration: u64) -> GovernanceChange {
        GovernanceChange {
            apply_at: duration * 2 / 5,
            asset: 0,
            asset_weight_init: 7_500_000,
            asset_weight_maint: 8_500_000,
            ramp_seconds: (duration / 4).max(1),
        }
    }
}

/// One take of an auction.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Take {
    /// Seconds since the start of the run.
    pub time: u64,
    pub keeper: usize,
    /// Collateral tokens bought and debt tokens paid (base units).
    pub collateral: i128,
    pub paid: i128,
    /// Debt tokens per collateral token paid, and the oracle's ratio at the take.
    pub clearing_price: f64,
    pub oracle_price: f64,
    /// The market's ratio (what the keeper sells into; its reference price).
    pub market_price: f64,
}

/// One auction as the simulator saw it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Liquidation {
    pub account: u32,
    pub auction_id: u64,
    /// Seconds since the start of the run.
    pub time: u64,
    /// Collateral and debt asset indexes.
    pub collateral: usize,
    pub debt: usize,
    /// The account's positions (asset index, signed base units) at the start.
    pub positions: Vec<(usize, i128)>,
    /// The account's maint health at the start (7 decimals as a float).
    pub maint_health: f64,
    /// Its equity at the start: assets minus liabilities at the market, unweighted (USD).
    pub equity: f64,
    /// Oracle spot prices (USD) at the start.
    pub prices: Vec<f64>,
    /// The keeper that started it (and was paid the start bonus).
    pub starter: usize,
    pub takes: Vec<Take>,
    pub resets: usize,
}

/// Debt written off by `settle_bad_debt`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BadDebt {
    pub account: u32,
    pub time: u64,
    pub asset: usize,
    /// Debt left with no collateral, what the insurance fund paid of it and what the vault wrote
    /// off (base units).
    pub shortfall: i128,
    pub insurance_paid: i128,
    pub written_off: i128,
    /// The account's worst equity (assets minus liabilities at the market, unweighted, USD) seen
    /// at a step while no auction held its collateral.
    pub worst_equity: f64,
    /// Its equity over its debt (at the market) when its first auction started. An account liquidated
    /// as it crosses maintenance has about `liab_weight_maint / asset_weight_maint - 1` (22 % with
    /// the default weights); bad debt needs a price gap that leaves far less than the auction's
    /// discount and penalty.
    pub start_equity_ratio: f64,
}

/// The mid-run governance change as it happened.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GovernanceRecord {
    /// Ledger times relative to the run's start (the queue is before it, so negative).
    pub queued_at: i64,
    pub earliest_apply: i64,
    pub applied_at: Option<u64>,
    pub asset: usize,
    /// `(asset_weight_init, asset_weight_maint)` before and after (7 decimals).
    pub old: (i128, i128),
    pub new: (i128, i128),
    pub ramp_seconds: u64,
}

/// The resource cost of one entry point over the run.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Cost {
    pub name: String,
    /// Successful calls (measured) and failed ones (not measured).
    pub calls: usize,
    pub failed: usize,
    pub median_instructions: i64,
    pub worst_instructions: i64,
    pub median_memory: i64,
    pub worst_memory: i64,
}

/// Every token of one asset, from the ledger: supply at the start, what the simulator minted
/// since, supply at the end (the sum of every balance entry of the token contract).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct TokenBooks {
    pub asset: usize,
    pub start_supply: i128,
    pub minted: i128,
    pub end_supply: i128,
    /// Sum over accounts of their debt of this asset, and the vault's outstanding debt.
    pub account_debt: i128,
    pub vault_debt: i128,
}

/// Per step of the run.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct StepRecord {
    /// Seconds since the start.
    pub time: u64,
    /// Market (series) prices and the adapter's spot (USD; `None` when `quotes` failed).
    pub market: Vec<f64>,
    pub oracle: Option<Vec<f64>>,
    /// Maint health of every account with debt (revalued natively from its positions at the
    /// adapter spot and the contract's current maint weights, the formula of SPEC §3).
    pub health: Vec<f64>,
    /// Share price (assets per share) of each vault.
    pub share_prices: Vec<f64>,
    /// Insurance fund of each asset (USD at spot).
    pub insurance_usd: Vec<f64>,
    /// Bad debt written off so far (USD at the time of each write-off).
    pub bad_debt_usd: f64,
    /// Each keeper's profit so far (USD at the current spot; keepers sell what they buy on the
    /// AMM at once).
    pub keeper_profit: Vec<f64>,
    /// `(asset_weight_maint, liab_weight_maint)` of asset 0 as margin-account applies them.
    pub maint_weights: (f64, f64),
}

/// How the run ended.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Report {
    pub seed: u64,
    pub step_seconds: u64,
    pub lenders: usize,
    /// Accounts opened (traders whose leveraged trade succeeded).
    pub accounts: usize,
    pub longs: usize,
    /// Traders whose opening trade failed, with the reason.
    pub failed_opens: Vec<String>,
    /// Lowest init health of a freshly opened account (must be >= 1).
    pub min_open_init_health: f64,
    pub mean_leverage: f64,
    pub steps: Vec<StepRecord>,
    pub liquidations: Vec<Liquidation>,
    pub bad_debts: Vec<BadDebt>,
    /// Keeper names, in spec order.
    pub keeper_names: Vec<String>,
    /// Debt written off, USD at the time of each write-off.
    pub bad_debt_usd: f64,
    /// Final keeper profit (USD).
    pub keeper_profit: Vec<f64>,
    /// Final insurance fund of each asset (USD) and the penalties paid into it over the run.
    pub insurance_usd: Vec<f64>,
    pub penalty_to_insurance_usd: f64,
    /// Debt a unit of asset-0 collateral value supports at init health, at the end
    /// (`asset_weight_init(0) / liab_weight_init(1)`).
    pub borrowing_power: f64,
    pub governance: Option<GovernanceRecord>,
    /// Attacker: borrow attempts while asset 0 was pumped and how many succeeded.
    pub attack_attempts: usize,
    pub attack_successes: usize,
    /// Steps when the adapter refused to quote (circuit breaker, stale).
    pub oracle_outages: usize,
    pub costs: Vec<Cost>,
    pub books: Vec<TokenBooks>,
}

/// Why a run could not happen.
#[derive(Debug, PartialEq)]
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
///
/// # Errors
/// [`SimError::BadScenario`] when the scenario is not runnable, [`SimError::Call`] when a set-up
/// call the run depends on fails.
pub fn run(scenario: &Scenario) -> Result<Report, SimError> {
    run_with_progress(scenario, &mut |_, _| {})
}

/// [`run`] with a callback `(step, steps)` after every step (the CLI's progress bar).
///
/// # Errors
/// As [`run`].
pub fn run_with_progress(
    scenario: &Scenario,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, SimError> {
    run_compacting(scenario, COMPACT_ABOVE, progress)
}

/// The host's storage map size above which the run moves it out to its own ledger and continues
/// on a fresh host ([`compact`]). Every write to the host's map costs in proportion to its size,
/// and a fresh host reloads what it touches: on a 300-account crash 400 took 42 % less CPU than
/// 3,000 (see `docs/sim/scale.md`).
pub const COMPACT_ABOVE: usize = 400;

/// [`run_with_progress`] compacting the host's storage whenever it holds more than
/// `compact_above` entries (0: never): the results are the same, the time per call bounded.
///
/// # Errors
/// As [`run`].
pub fn run_compacting(
    scenario: &Scenario,
    compact_above: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, SimError> {
    validate(scenario)?;
    world::World::new(scenario, compact_above)?.run(scenario, progress)
}

fn validate(s: &Scenario) -> Result<(), SimError> {
    let bad = |r: &str| Err(SimError::BadScenario(r.into()));
    match s.prices.first() {
        None => return bad("no price series"),
        Some(p) if p.len() < 2 => return bad("the price series needs at least 2 points"),
        _ => {}
    }
    if s.prices.len() > 2 {
        return bad("at most two price series (asset 0 and the stable)");
    }
    if s.prices
        .iter()
        .flatten()
        .any(|p| !(p.is_finite() && *p > 0.0 && *p < 1e12))
    {
        return bad("prices must be positive, finite and below 1e12");
    }
    if s.step_seconds == 0 {
        return bad("the step must be positive");
    }
    if s.traders == 0 {
        return bad("at least one trader");
    }
    if s.keepers.is_empty() {
        return bad("at least one keeper");
    }
    let keeper_ok = |k: &KeeperSpec| {
        (0.0..1.0).contains(&k.min_margin) && k.max_slice > 0.0 && k.max_slice <= 1.0
    };
    if !s.keepers.iter().all(keeper_ok) {
        return bad("keeper min_margin must be in [0, 1) and max_slice in (0, 1]");
    }
    let (lo, hi) = s.leverage;
    if !(lo > 0.0 && lo <= hi && hi < 1.0) {
        return bad("leverage range must satisfy 0 < low <= high < 1");
    }
    if !(0.0..=1.0).contains(&s.long_share) {
        return bad("long share must be in [0, 1]");
    }
    if s.overrides.len() > 2 {
        return bad("overrides for at most two assets");
    }
    if let Some(g) = &s.governance {
        if g.asset > 1 {
            return bad("the governance change names asset 0 or 1");
        }
    }
    Ok(())
}

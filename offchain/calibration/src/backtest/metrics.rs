//! What one backtest run reports, from the simulator's outcome and the price path it ran on.

use std::fmt::Write;

use super::alternatives::Candidate;
use super::recovery::{asset_risks, recovers, PricePaths, Valuation};
use crate::error::CalibrationError;
use crate::proposal::abi::from_abi;

/// One auction start as the simulator recorded it.
#[derive(Clone, Debug, PartialEq)]
pub struct LiquidationRecord {
    /// The liquidated account.
    pub account: u32,
    /// Seconds since the run's start.
    pub time_seconds: u64,
    /// Its positions at the start: (asset index, signed base units).
    pub positions: Vec<(usize, i128)>,
}

/// What a simulator run produced, in the backtest's terms (the adapter in
/// [`super::sim`] fills it from `simulator::Report`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOutcome {
    /// Every auction start.
    pub liquidations: Vec<LiquidationRecord>,
    /// Accounts opened.
    pub accounts: usize,
    /// Debt left with no collateral behind it, USD: what the insurance fund covered plus what
    /// the vaults wrote off.
    pub bad_debt: f64,
    /// Accounts that left bad debt.
    pub bad_debt_accounts: usize,
    /// The vaults' part of the bad debt (after the insurance fund), USD.
    pub written_off: f64,
    /// All keepers' profit, USD.
    pub keeper_profit: f64,
    /// Insurance fund at the end, USD.
    pub insurance_fund: f64,
    /// Debt a unit of collateral value supports at init health.
    pub borrowing_power: f64,
}

/// One row of the backtest table.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// The candidate's label.
    pub label: String,
    /// Whether it is the proposal.
    pub is_proposal: bool,
    /// The collateral's `asset_weight_maint` / `asset_weight_init` (7-decimal ABI).
    pub collateral_weights: (i128, i128),
    /// Accounts opened.
    pub accounts: usize,
    /// Auctions started.
    pub liquidations: usize,
    /// Of those, accounts that would have recovered within the horizon unaided.
    pub unnecessary: usize,
    /// Debt left with no collateral, USD (insurance-covered and written off).
    pub bad_debt: f64,
    /// Accounts that left bad debt.
    pub bad_debt_accounts: usize,
    /// The vaults' write-off (bad debt the insurance fund did not cover), USD.
    pub written_off: f64,
    /// Keepers' profit, USD.
    pub keeper_profit: f64,
    /// Insurance fund at the end, USD.
    pub insurance_fund: f64,
    /// Borrowing power per unit of collateral.
    pub capital_efficiency: f64,
}

/// The metrics of `outcome` for `candidate`.
///
/// # Arguments
/// * `valuations` - how each simulated asset is valued (the candidate's configs already in).
/// * `paths` - the price path the run followed.
/// * `recovery_horizon` - seconds within which a recovery makes a liquidation unnecessary.
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - risk-core refuses a valuation or a price.
pub fn metrics(
    candidate: &Candidate,
    outcome: &RunOutcome,
    valuations: &[Valuation],
    paths: &PricePaths,
    recovery_horizon: u64,
) -> Result<Metrics, CalibrationError> {
    let risk_error = |e| CalibrationError::InvalidConfig(format!("revaluing positions: {e:?}"));
    let risks = asset_risks(valuations).map_err(risk_error)?;
    let mut unnecessary = 0;
    for l in &outcome.liquidations {
        if recovers(
            &l.positions,
            &risks,
            paths,
            l.time_seconds,
            recovery_horizon,
        )
        .map_err(risk_error)?
        {
            unnecessary += 1;
        }
    }
    let collateral_weights = candidate
        .assets
        .first()
        .map_or((0, 0), |c| (c.asset_weight_maint, c.asset_weight_init));
    Ok(Metrics {
        label: candidate.label.clone(),
        is_proposal: candidate.is_proposal(),
        collateral_weights,
        accounts: outcome.accounts,
        liquidations: outcome.liquidations.len(),
        unnecessary,
        bad_debt: outcome.bad_debt,
        bad_debt_accounts: outcome.bad_debt_accounts,
        written_off: outcome.written_off,
        keeper_profit: outcome.keeper_profit,
        insurance_fund: outcome.insurance_fund,
        capital_efficiency: outcome.borrowing_power,
    })
}

/// A Markdown table of the rows, the proposal's label in bold.
pub fn table(rows: &[Metrics]) -> String {
    let mut out = String::from(
        "| parameters | awm / awi | accounts | liquidations | unnecessary | bad debt (USD) | \
         written off (USD) | keeper profit (USD) | insurance fund (USD) | capital efficiency \
         |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let label = if r.is_proposal {
            format!("**{}**", r.label)
        } else {
            r.label.clone()
        };
        let bad = if r.bad_debt_accounts > 0 {
            let plural = if r.bad_debt_accounts == 1 { "" } else { "s" };
            format!(
                "{:.2} ({} account{plural})",
                r.bad_debt, r.bad_debt_accounts
            )
        } else {
            format!("{:.2}", r.bad_debt)
        };
        let _ = writeln!(
            out,
            "| {label} | {:.4} / {:.4} | {} | {} | {} | {bad} | {:.2} | {:.2} | {:.2} | {:.4} |",
            from_abi(r.collateral_weights.0),
            from_abi(r.collateral_weights.1),
            r.accounts,
            r.liquidations,
            r.unnecessary,
            r.written_off,
            r.keeper_profit,
            r.insurance_fund,
            r.capital_efficiency
        );
    }
    out
}

//! The [`Simulate`] seam on the protocol simulator: a [`RunSpec`] becomes a
//! [`simulator::Scenario`] (the candidate's collateral config and the debt asset's config as
//! overrides in force from the first step, the candidate's auction, one keeper per latency, the
//! trader population), [`simulator::run`] drives the real contracts in the in-process Soroban
//! host, and its [`simulator::Report`] becomes a [`RunOutcome`].
//!
//! Bad debt is the **shortfall**: debt an account still owed once its collateral was gone, valued
//! at the price of its time, whether the insurance fund covered it or the vault wrote it off
//! (both are losses of the protocol; [`RunOutcome::written_off`] is the vault's part alone).

use simulator::{AssetOverride, AuctionOverride, KeeperSpec, Report, Scenario};

use super::metrics::{LiquidationRecord, RunOutcome};
use super::{RunSpec, Simulate, SIM_DECIMALS};
use crate::proposal::abi::{AbiAssetConfig, AbiAuction};

/// Runs backtests through [`simulator::run`].
#[derive(Clone, Debug, PartialEq)]
pub struct ProtocolSimulator {
    /// Discount below the market a keeper waits for before it takes (0.01 = 1 %).
    pub keeper_min_margin: f64,
    /// Share of the remaining lot a keeper takes at once, in (0, 1].
    pub keeper_max_slice: f64,
}

impl Default for ProtocolSimulator {
    /// Keepers that take whole lots once the auction is 1 % under the market they sell into.
    fn default() -> Self {
        ProtocolSimulator {
            keeper_min_margin: 0.01,
            keeper_max_slice: 1.0,
        }
    }
}

fn asset_override(c: &AbiAssetConfig) -> AssetOverride {
    AssetOverride {
        asset_weight_init: Some(c.asset_weight_init),
        asset_weight_maint: Some(c.asset_weight_maint),
        liab_weight_init: Some(c.liab_weight_init),
        liab_weight_maint: Some(c.liab_weight_maint),
        liquidation_penalty: Some(c.liquidation_penalty),
    }
}

fn auction_override(a: &AbiAuction) -> AuctionOverride {
    AuctionOverride {
        buf: Some(a.buf),
        cut_step: Some((a.cut, a.step)),
        linear_tau: None,
        tail: Some(a.tail),
        cusp: Some(a.cusp),
    }
}

impl ProtocolSimulator {
    /// The simulator scenario of `spec`: asset 0 the candidate's collateral, asset 1 the debt
    /// asset; no mid-run governance change, no attacker.
    ///
    /// # Errors
    /// The candidate has no asset config, or there is no keeper.
    pub fn scenario(&self, spec: &RunSpec<'_>) -> Result<Scenario, String> {
        let collateral = spec
            .candidate
            .assets
            .first()
            .ok_or_else(|| format!("{}: no asset config", spec.candidate.label))?;
        if spec.keeper_latencies.is_empty() {
            return Err("at least one keeper latency".into());
        }
        let keepers = spec
            .keeper_latencies
            .iter()
            .map(|&latency| KeeperSpec {
                min_margin: self.keeper_min_margin,
                max_slice: self.keeper_max_slice,
                ..KeeperSpec::new(latency)
            })
            .collect();
        Ok(Scenario {
            prices: spec.paths.prices.clone(),
            step_seconds: spec.paths.step_seconds,
            overrides: vec![asset_override(collateral), asset_override(&spec.debt)],
            auction: auction_override(&spec.candidate.auction),
            governance: None,
            keepers,
            lenders: spec.lenders,
            traders: spec.traders,
            long_share: spec.long_share,
            leverage: spec.leverage,
            attacker: false,
            check_conservation: false,
            seed: spec.seed,
        })
    }
}

/// The price of `asset` at run time `t` on the spec's grid (the last point at or before it).
fn price_at(spec: &RunSpec<'_>, asset: usize, t: u64) -> f64 {
    let step = spec.paths.step_seconds.max(1);
    spec.paths.prices.get(asset).map_or(1.0, |p| {
        let i = ((t / step) as usize).min(p.len().saturating_sub(1));
        p.get(i).copied().unwrap_or(1.0)
    })
}

/// The backtest's outcome of a simulator report (module docs for bad debt).
pub fn outcome(report: &Report, spec: &RunSpec<'_>) -> RunOutcome {
    let whole = |units: i128| units as f64 / 10f64.powi(SIM_DECIMALS as i32);
    let bad_debt = report
        .bad_debts
        .iter()
        .map(|b| whole(b.shortfall) * price_at(spec, b.asset, b.time))
        .fold(0.0, |a, x| a + x);
    RunOutcome {
        liquidations: report
            .liquidations
            .iter()
            .map(|l| LiquidationRecord {
                account: l.account,
                time_seconds: l.time,
                positions: l.positions.clone(),
            })
            .collect(),
        accounts: report.accounts,
        bad_debt,
        bad_debt_accounts: report.bad_debts.len(),
        written_off: report.bad_debt_usd,
        // Folded from +0 (an empty f64 sum is -0, printed "-0.00").
        keeper_profit: report.keeper_profit.iter().fold(0.0, |a, x| a + x),
        insurance_fund: report.insurance_usd.iter().fold(0.0, |a, x| a + x),
        borrowing_power: report.borrowing_power,
    }
}

impl Simulate for ProtocolSimulator {
    fn simulate(&self, spec: &RunSpec<'_>) -> Result<RunOutcome, String> {
        let scenario = self.scenario(spec)?;
        let report = simulator::run(&scenario).map_err(|e| e.to_string())?;
        if report.accounts == 0 {
            return Err(format!(
                "no account opened: {}",
                report.failed_opens.first().map_or("", String::as_str)
            ));
        }
        Ok(outcome(&report, spec))
    }
}

//! Multi-seed statistics: every parameter set run over several seeds (the trader population,
//! its leverage draws and long/short split change with the seed; the price path does not), and
//! per set the mean, least and most of its liquidations, unnecessary liquidations, bad debt and
//! keeper profit, with the number of seeds that left any bad debt.
//!
//! One seed is one population: a row that leaves no bad debt on one seed may leave some on the
//! next. The statistics say how far a set's figures move with the population, and the count of
//! seeds with bad debt says how often the set failed, not only how much it lost on average.

use std::fmt::Write;

use market_data::PriceSeries;

use super::alternatives::Candidate;
use super::metrics::Metrics;
use super::{backtest, BacktestConfig, Simulate};
use crate::error::CalibrationError;
use crate::proposal::abi::from_abi;

/// The mean, least and most of one figure over the seeds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Arithmetic mean.
    pub mean: f64,
    /// Least value.
    pub min: f64,
    /// Most value (for bad debt: the worst seed).
    pub max: f64,
}

impl Spread {
    /// The spread of `values`; `None` when there is none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let mut n = 0usize;
        // Folded from +0 (an empty f64 sum is -0).
        let (mut sum, mut min, mut max) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            n += 1;
            sum += v;
            min = min.min(v);
            max = max.max(v);
        }
        (n > 0).then(|| Spread {
            mean: sum / n as f64,
            min,
            max,
        })
    }
}

/// One parameter set over every seed.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedStats {
    /// The candidate's label.
    pub label: String,
    /// Whether it is the proposal.
    pub is_proposal: bool,
    /// The collateral's `asset_weight_maint` / `asset_weight_init` (7-decimal ABI).
    pub collateral_weights: (i128, i128),
    /// Borrowing power per unit of collateral (set by the weights: the same on every seed).
    pub capital_efficiency: f64,
    /// Accounts opened.
    pub accounts: Spread,
    /// Auctions started.
    pub liquidations: Spread,
    /// Liquidations that were unnecessary.
    pub unnecessary: Spread,
    /// Bad debt, USD.
    pub bad_debt: Spread,
    /// The vaults' write-off, USD.
    pub written_off: Spread,
    /// Keepers' profit, USD.
    pub keeper_profit: Spread,
    /// Seeds on which the set left any bad debt.
    pub seeds_with_bad_debt: usize,
    /// Seeds run.
    pub seeds: usize,
}

/// The rows of every seed and their statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedBacktest {
    /// The seeds, in run order.
    pub seeds: Vec<u64>,
    /// `per_seed[s][c]`: candidate `c`'s row on seed `seeds[s]`.
    pub per_seed: Vec<Vec<Metrics>>,
    /// One per candidate, in candidate order.
    pub stats: Vec<SeedStats>,
}

/// The statistics of each candidate over the per-seed rows (`per_seed[s][c]`).
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - no seed, or seeds whose rows do not name the same
///   candidates in the same order.
pub fn seed_stats(per_seed: &[Vec<Metrics>]) -> Result<Vec<SeedStats>, CalibrationError> {
    let Some(first) = per_seed.first() else {
        return Err(CalibrationError::InvalidConfig(
            "seed statistics need at least one seed".into(),
        ));
    };
    for rows in per_seed {
        let same =
            rows.len() == first.len() && rows.iter().zip(first).all(|(a, b)| a.label == b.label);
        if !same {
            return Err(CalibrationError::InvalidConfig(
                "every seed must run the same parameter sets in the same order".into(),
            ));
        }
    }
    Ok(first
        .iter()
        .enumerate()
        .map(|(c, head)| {
            let column = || per_seed.iter().map(move |rows| &rows[c]);
            // `per_seed` is not empty, so every spread has a value.
            let spread = |f: fn(&Metrics) -> f64| {
                Spread::of(column().map(f)).unwrap_or(Spread {
                    mean: 0.0,
                    min: 0.0,
                    max: 0.0,
                })
            };
            SeedStats {
                label: head.label.clone(),
                is_proposal: head.is_proposal,
                collateral_weights: head.collateral_weights,
                capital_efficiency: spread(|m| m.capital_efficiency).mean,
                accounts: spread(|m| m.accounts as f64),
                liquidations: spread(|m| m.liquidations as f64),
                unnecessary: spread(|m| m.unnecessary as f64),
                bad_debt: spread(|m| m.bad_debt),
                written_off: spread(|m| m.written_off),
                keeper_profit: spread(|m| m.keeper_profit),
                seeds_with_bad_debt: column().filter(|m| m.bad_debt > 0.0).count(),
                seeds: per_seed.len(),
            }
        })
        .collect())
}

/// [`backtest`] once per seed (`config.seed` replaced by each), every candidate on every seed,
/// and the statistics.
///
/// # Errors
/// As [`backtest`]; [`CalibrationError::InvalidConfig`] without a seed.
pub fn backtest_seeds(
    candidates: &[Candidate],
    collateral: &PriceSeries,
    config: &BacktestConfig,
    seeds: &[u64],
    sim: &dyn Simulate,
) -> Result<SeedBacktest, CalibrationError> {
    if seeds.is_empty() {
        return Err(CalibrationError::InvalidConfig(
            "seed statistics need at least one seed".into(),
        ));
    }
    let per_seed = seeds
        .iter()
        .map(|&seed| {
            let config = BacktestConfig {
                seed,
                ..config.clone()
            };
            backtest(candidates, collateral, &config, sim)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let stats = seed_stats(&per_seed)?;
    Ok(SeedBacktest {
        seeds: seeds.to_vec(),
        per_seed,
        stats,
    })
}

/// `mean (min-max)` of a count; a single value when the seeds agree.
fn counts(s: &Spread) -> String {
    if s.min == s.max {
        format!("{:.0}", s.min)
    } else {
        format!("{:.1} ({:.0}-{:.0})", s.mean, s.min, s.max)
    }
}

/// `mean (min-max)` of an amount in USD; a single value when the seeds agree.
fn usd(s: &Spread) -> String {
    if s.min == s.max {
        format!("{:.2}", s.min)
    } else {
        format!("{:.2} ({:.2}-{:.2})", s.mean, s.min, s.max)
    }
}

/// A Markdown table of the statistics, the proposal's label in bold: counts and amounts as
/// `mean (min-max)` over the seeds, bad debt as its mean and its worst seed.
pub fn seeds_table(stats: &[SeedStats]) -> String {
    let mut out = String::from(
        "| parameters | awm / awi | accounts | liquidations | unnecessary | bad debt: mean, worst \
         (USD) | seeds with bad debt | written off, worst (USD) | keeper profit (USD) | capital \
         efficiency |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for s in stats {
        let label = if s.is_proposal {
            format!("**{}**", s.label)
        } else {
            s.label.clone()
        };
        let _ = writeln!(
            out,
            "| {label} | {:.4} / {:.4} | {} | {} | {} | {:.2}, {:.2} | {} of {} | {:.2} | {} | \
             {:.4} |",
            from_abi(s.collateral_weights.0),
            from_abi(s.collateral_weights.1),
            counts(&s.accounts),
            counts(&s.liquidations),
            counts(&s.unnecessary),
            s.bad_debt.mean,
            s.bad_debt.max,
            s.seeds_with_bad_debt,
            s.seeds,
            s.written_off.max,
            usd(&s.keeper_profit),
            s.capital_efficiency
        );
    }
    out
}

/// A Markdown table of each seed's rows: one line per parameter set, one column per seed, each
/// cell `liquidations (unnecessary) / bad debt`.
pub fn per_seed_table(run: &SeedBacktest) -> String {
    let mut out = String::from("| parameters |");
    for seed in &run.seeds {
        let _ = write!(out, " seed {seed} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(run.seeds.len()));
    out.push('\n');
    for (c, s) in run.stats.iter().enumerate() {
        let _ = write!(out, "| {} |", s.label);
        for rows in &run.per_seed {
            let m = &rows[c];
            let _ = write!(
                out,
                " {} ({}) / {:.2} |",
                m.liquidations, m.unnecessary, m.bad_debt
            );
        }
        out.push('\n');
    }
    out
}

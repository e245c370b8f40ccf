//! Several assets in one cross-margined account: correlation, portfolio tail, and what
//! cross-margin is worth.
//!
//! The portfolio is a basket of collateral with value shares `w` (non-negative, normalised to sum
//! to 1) against a debt in the base currency. Its move over the horizon is
//! `R = sum_i w_i (exp(r_i) - 1)` (arithmetic returns add exactly across holdings), its loss
//! `-R`.
//! - **Historical**: `-R` on every overlapping joint `k`-step window of the aligned history, then
//!   the order-statistic VaR/ES of [`crate::tail`]. Co-movement is whatever the history had.
//! - **Parametric**: the log move is `N(0, k w' S w)` with `S` the one-step covariance of log
//!   returns (the delta-normal approximation: the basket's log move is taken as the weighted sum
//!   of its assets' log moves), then the lognormal formulas of [`crate::tail`].
//!
//! ## Diversification benefit
//!
//! Borrowing power is stable debt per unit of collateral value that the collateral still covers
//! after the horizon move at the confidence level: `1 - L` for a loss measure `L` (ES here: it is
//! coherent, so the figure cannot be negative for the historical estimate).
//! - isolated margin (one account per asset, or per-asset weights summed as SPEC §3 does):
//!   `B_iso = sum_i w_i (1 - L_i)`;
//! - cross-margin priced on the joint tail: `B_cross = 1 - L_p`;
//! - benefit `B_cross - B_iso = sum_i w_i L_i - L_p`, also given relative to `B_iso`.
//!
//! The protocol's health (SPEC §3) sums per-asset weights, so today a cross-margined account gets
//! `B_iso`: the benefit is the headroom a portfolio-aware haircut could grant, equivalently the
//! safety margin per-asset weights keep on diversified accounts. The liquidation penalty scales
//! both figures by the same `1 / (1 + penalty)` and is left out.

use market_data::JointSeries;

use crate::error::CalibrationError;
use crate::tail::{self, horizon_steps, Side, TailEstimate, TailMeasure};

/// Sample covariance matrix of one-step returns (`[asset][row]`, rows aligned), with Bessel's
/// `n - 1`, computed in two passes (means first) for accuracy. Empty input gives an empty matrix.
pub fn covariance_matrix(returns: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = returns.iter().map(Vec::len).min().unwrap_or(0);
    if n < 2 {
        return vec![vec![0.0; returns.len()]; returns.len()];
    }
    let means: Vec<f64> = returns
        .iter()
        .map(|r| r[..n].iter().sum::<f64>() / n as f64)
        .collect();
    let cov = |i: usize, j: usize| {
        (0..n)
            .map(|t| (returns[i][t] - means[i]) * (returns[j][t] - means[j]))
            .sum::<f64>()
            / (n - 1) as f64
    };
    (0..returns.len())
        .map(|i| (0..returns.len()).map(|j| cov(i, j)).collect())
        .collect()
}

/// Pearson correlation matrix of one-step returns. A constant series has zero correlation with
/// the others (and 1 with itself).
pub fn correlation_matrix(returns: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let cov = covariance_matrix(returns);
    let sd: Vec<f64> = (0..cov.len()).map(|i| cov[i][i].sqrt()).collect();
    (0..cov.len())
        .map(|i| {
            (0..cov.len())
                .map(|j| match (i == j, sd[i] * sd[j]) {
                    (true, _) => 1.0,
                    (false, d) if d > 0.0 => (cov[i][j] / d).clamp(-1.0, 1.0),
                    _ => 0.0,
                })
                .collect()
        })
        .collect()
}

/// What cross-margin adds over isolated margin for one estimate (see module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Diversification {
    /// Each asset's own loss `L_i` (ES) over the horizon.
    pub asset_losses: Vec<f64>,
    /// The basket's loss `L_p` (ES) over the horizon.
    pub portfolio_loss: f64,
    /// `sum_i w_i (1 - L_i)`.
    pub isolated_borrowing_power: f64,
    /// `1 - L_p`.
    pub cross_borrowing_power: f64,
    /// `cross - isolated`.
    pub benefit: f64,
    /// `benefit / isolated` (0 when isolated power is 0).
    pub relative_benefit: f64,
}

impl Diversification {
    fn new(weights: &[f64], asset_losses: Vec<f64>, portfolio_loss: f64) -> Self {
        let isolated: f64 = weights
            .iter()
            .zip(&asset_losses)
            .map(|(w, l)| w * (1.0 - l))
            .sum();
        let cross = 1.0 - portfolio_loss;
        let benefit = cross - isolated;
        Diversification {
            asset_losses,
            portfolio_loss,
            isolated_borrowing_power: isolated,
            cross_borrowing_power: cross,
            benefit,
            relative_benefit: if isolated > 0.0 {
                benefit / isolated
            } else {
                0.0
            },
        }
    }
}

/// The tail of a collateral basket and its diversification benefit.
#[derive(Clone, Debug, PartialEq)]
pub struct PortfolioRisk {
    /// The assets' names.
    pub names: Vec<String>,
    /// Normalised value shares.
    pub weights: Vec<f64>,
    /// Horizon in sampling steps.
    pub k: usize,
    /// Correlation of one-step log returns.
    pub correlation: Vec<Vec<f64>>,
    /// Historical basket tail (`None` when the joint history is shorter than the horizon).
    pub historical: Option<TailEstimate>,
    /// Parametric basket tail.
    pub parametric: TailEstimate,
    /// Benefit from the historical ES (`None` as above).
    pub historical_benefit: Option<Diversification>,
    /// Benefit from the parametric ES.
    pub parametric_benefit: Diversification,
}

fn normalise(weights: &[f64], assets: usize) -> Result<Vec<f64>, CalibrationError> {
    let total: f64 = weights.iter().sum();
    let valid = weights.iter().all(|w| w.is_finite() && *w >= 0.0) && total > 0.0;
    if weights.len() != assets || !valid {
        return Err(CalibrationError::InvalidConfig(format!(
            "portfolio weights must be {assets} non-negative numbers with a positive sum, \
             got {weights:?}"
        )));
    }
    Ok(weights.iter().map(|w| w / total).collect())
}

fn bad_confidence(confidence: f64) -> CalibrationError {
    CalibrationError::InvalidConfig(format!("confidence must be in (0, 1), got {confidence}"))
}

/// Tail and diversification benefit of a basket over `horizon_seconds`, from a joint history
/// sampled every `step_seconds`.
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - weights of the wrong length, negative or all zero;
///   confidence outside `(0, 1)`.
pub fn portfolio_risk(
    joint: &JointSeries,
    weights: &[f64],
    horizon_seconds: u64,
    step_seconds: u64,
    confidence: f64,
) -> Result<PortfolioRisk, CalibrationError> {
    let w = normalise(weights, joint.assets())?;
    let k = horizon_steps(horizon_seconds, step_seconds);
    let es = TailMeasure::ExpectedShortfall;
    let one_step = joint.horizon_returns(1);
    let cov = covariance_matrix(&one_step);
    let param = |variance: f64| {
        tail::parametric((k as f64 * variance).sqrt(), confidence, Side::Downside)
            .ok_or_else(|| bad_confidence(confidence))
    };
    let basket_var: f64 = (0..w.len())
        .flat_map(|i| (0..w.len()).map(move |j| (i, j)))
        .map(|(i, j)| w[i] * w[j] * cov[i][j])
        .sum();
    let parametric = param(basket_var.max(0.0))?;
    let asset_param: Vec<f64> = (0..w.len())
        .map(|i| param(cov[i][i]).map(|t| t.es))
        .collect::<Result<_, _>>()?;
    let windows = joint.horizon_returns(k);
    let rows = windows.first().map_or(0, Vec::len);
    let basket_moves: Vec<f64> = (0..rows)
        .map(|t| {
            -(0..w.len())
                .map(|i| w[i] * windows[i][t].exp_m1())
                .sum::<f64>()
        })
        .collect();
    let historical = tail::historical_of_moves(&basket_moves, confidence, k);
    let historical_benefit = match historical {
        Some(h) => {
            let losses = windows
                .iter()
                .map(|r| tail::historical(r, k, confidence, Side::Downside).map(|t| t.es))
                .collect::<Option<Vec<f64>>>();
            losses.map(|l| Diversification::new(&w, l, h.es))
        }
        None => None,
    };
    Ok(PortfolioRisk {
        names: joint.names().to_vec(),
        correlation: correlation_matrix(&one_step),
        parametric_benefit: Diversification::new(&w, asset_param, parametric.get(es)),
        weights: w,
        k,
        historical,
        parametric,
        historical_benefit,
    })
}

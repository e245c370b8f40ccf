//! From estimates to the parameters governance sets, each with a printed line of reasoning.
//!
//! ## Inputs
//!
//! - Liquidation horizon `h` = oracle resolution + keeper latency + auction clearing time
//!   (defaults 300 + 120 + 180 = 600 s): the time from the market move that makes an account
//!   liquidatable until its collateral is sold.
//! - Confidence `c` (default 99%) and tail measure (default Expected Shortfall, the mean of the
//!   worst `1 - c`; VaR is available).
//! - Every tail `L` (fall) or `U` (rise) is the **worst of three sources** at that horizon:
//!   historical (overlapping windows), parametric from realised volatility, parametric from peak
//!   EWMA volatility ([`crate::asset::TailSources::worst`]). A calm sample cannot loosen a weight
//!   the stressed volatility forbids, and a fat-tailed history cannot be smoothed away by the
//!   normal model.
//! - The stressed volatility `sigma = max(realised, peak EWMA)` drives the penalty and auction.
//!
//! ## Rules (per asset)
//!
//! - `liquidation_penalty = keeper_bonus + swap_cost + sqrt(2/pi) sigma sqrt(T_clear)`:
//!   the keeper's pay (`chip` + `tip` per typical tab, default 0.5%), the cost of selling the lot
//!   (AMM fee and impact, default 0.5%), and the expected absolute price move while the auction
//!   clears (the slippage between the oracle price and the keeper's fill). Rounded up.
//! - `asset_weight_maint = (1 - L_h) / (1 + penalty)`: a position exactly at maintenance
//!   (`awm * C = D`) still has `C (1 - L_h) >= D (1 + penalty)` after the horizon fall, so the
//!   auction can repay the debt and the penalty. Implies `awm * (1 + penalty) < 1`. Rounded down.
//! - `asset_weight_init = awm * (1 - L_w)`, `L_w` the fall over the margin-call window `w`
//!   (default 1 h): a position opened at init health (`awi * C = D`) reaches maintenance only
//!   after a fall of `L_w`, so its owner has that window, at confidence `c`, to answer a margin
//!   call. Rounded down.
//! - `liab_weight_maint = 1 + U_h`: the debt's rise over the horizon is covered. The penalty is
//!   carried by the collateral's `awm` only, so for a volatile/volatile pair the combined rule
//!   `awm / lwm = (1 - L_h) / ((1 + penalty)(1 + U_h))` holds with both tails at their worst at
//!   once (conservative: no credit for correlation). Rounded up.
//! - `liab_weight_init = lwm * (1 + U_w)`: the same margin-call window on the debt side.
//!
//! ## Rules (auction, SPEC §7.3/§7.5, stairstep curve)
//!
//! With `s` = oracle resolution + keeper latency (how stale the start spot can be), `z = Phi^-1(c)`
//! and `z' = Phi^-1(1 - (1 - c)/10)`:
//! - `buf = max(1 + U_s, 1.01)` (parametric VaR of the rise over `s`): the curve starts above
//!   any price the stale spot plausibly hides. Rounded up.
//! - `cut = (f / buf)^(1/n)` every `step` (default 30 s), `n = T_clear / step`,
//!   `f = (1 - L_s)(1 - swap_cost)`: the curve falls through the whole plausible range, down to a
//!   price at which a keeper profits even at its bottom, within the clearing-time target.
//!   Rounded down.
//! - `cusp = min(exp(-z' sigma sqrt(h)) (1 - swap_cost) / buf, cut^(n+1))`: below the
//!   `c'`-confidence low over the whole horizon the curve undersells any plausible market, so the
//!   auction restarts from a fresh spot; never above one step past the clearing target.
//! - `tail = (ln(cusp * buf) / (z sigma))^2` seconds, within `[T_clear + step, 1 day]`: the time
//!   for the market itself to plausibly move as far as the cusp price; after it the start spot
//!   is too old to anchor the curve.
//!
//! Auction parameters are global in SPEC §7; [`Proposal::auction`] takes those of the asset with
//! the highest stressed volatility, the one whose range the curve must cover.
//!
//! Monotonicity: every tail grows with volatility, so more volatility gives smaller asset
//! weights, larger liability weights and a larger penalty (tested as a property).

pub mod abi;
pub mod auction;
mod display;
pub mod weights;

use market_data::{JointSeries, PriceSeries};

pub use auction::AuctionProposal;
pub use weights::WeightProposal;

use crate::asset::AssetRisk;
use crate::error::CalibrationError;
use crate::portfolio::{portfolio_risk, PortfolioRisk};
use crate::tail::TailMeasure;
use crate::vol::RISKMETRICS_LAMBDA;

/// The time the protocol needs to liquidate, in parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidationHorizon {
    /// Oracle resolution (Reflector: 300 s): the feed can lag the market by this much.
    pub oracle_resolution_seconds: u64,
    /// Time for a keeper to notice and start an auction.
    pub keeper_latency_seconds: u64,
    /// Target time for an auction to clear.
    pub auction_clearing_seconds: u64,
}

impl Default for LiquidationHorizon {
    fn default() -> Self {
        LiquidationHorizon {
            oracle_resolution_seconds: 300,
            keeper_latency_seconds: 120,
            auction_clearing_seconds: 180,
        }
    }
}

impl LiquidationHorizon {
    /// `h` = resolution + latency + clearing.
    pub fn total_seconds(&self) -> u64 {
        self.staleness_seconds() + self.auction_clearing_seconds
    }

    /// How old the spot can be when an auction starts: resolution + latency.
    pub fn staleness_seconds(&self) -> u64 {
        self.oracle_resolution_seconds + self.keeper_latency_seconds
    }
}

/// Inputs of [`propose`] besides the prices.
#[derive(Clone, Debug, PartialEq)]
pub struct ProposalConfig {
    /// The liquidation horizon.
    pub horizon: LiquidationHorizon,
    /// Confidence level of every tail, in (0, 1). Default 0.99.
    pub confidence: f64,
    /// VaR or ES. Default ES.
    pub measure: TailMeasure,
    /// Margin-call window for the init buffer, seconds. Default 3600.
    pub margin_call_window_seconds: u64,
    /// EWMA decay per sample. Default [`RISKMETRICS_LAMBDA`].
    pub ewma_lambda: f64,
    /// Keeper pay as a fraction of the tab (`chip + tip / typical tab`). Default 0.005.
    pub keeper_bonus: f64,
    /// Cost of selling a lot (fees and impact), fraction. Default 0.005.
    pub swap_cost: f64,
    /// Stairstep `step`, seconds. Default 30.
    pub auction_step_seconds: u64,
    /// Portfolio value shares for the multi-asset report (`None`: equal).
    pub portfolio_weights: Option<Vec<f64>>,
    /// Resample series finer than the oracle resolution to it before estimating (default
    /// `true`): health only ever sees the oracle's records, and sub-resolution wiggles (bid-ask
    /// bounce, single-minute wicks) would otherwise inflate the volatility and, through the peak
    /// EWMA, the weights.
    pub resample_to_oracle: bool,
}

impl Default for ProposalConfig {
    fn default() -> Self {
        ProposalConfig {
            horizon: LiquidationHorizon::default(),
            confidence: 0.99,
            measure: TailMeasure::ExpectedShortfall,
            margin_call_window_seconds: 3_600,
            ewma_lambda: RISKMETRICS_LAMBDA,
            keeper_bonus: 0.005,
            swap_cost: 0.005,
            auction_step_seconds: 30,
            portfolio_weights: None,
            resample_to_oracle: true,
        }
    }
}

/// One asset's proposal.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetProposal {
    /// The estimates it rests on.
    pub risk: AssetRisk,
    /// Penalty and weights.
    pub weights: WeightProposal,
    /// Auction parameters from this asset alone.
    pub auction: AuctionProposal,
}

/// The whole proposal: per-asset config, global auction parameters, portfolio report.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// The configuration used.
    pub config: ProposalConfig,
    /// One entry per input series, in input order.
    pub assets: Vec<AssetProposal>,
    /// Global auction parameters (from the most volatile asset).
    pub auction: AuctionProposal,
    /// The multi-asset report, when two or more series share timestamps.
    pub portfolio: Option<PortfolioRisk>,
    /// Lines about the whole proposal (horizon, portfolio, why something was skipped).
    pub reasoning: Vec<String>,
}

/// `x` as a percentage with two decimals.
pub(crate) fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

fn check_config(config: &ProposalConfig) -> Result<(), CalibrationError> {
    let fraction = |x: f64| (0.0..1.0).contains(&x);
    let problem = if !(config.confidence > 0.0 && config.confidence < 1.0) {
        "confidence must be in (0, 1)"
    } else if !fraction(config.keeper_bonus) || !fraction(config.swap_cost) {
        "keeper bonus and swap cost must be in [0, 1)"
    } else if config.auction_step_seconds == 0 || config.horizon.total_seconds() == 0 {
        "the auction step and the horizon must be positive"
    } else if config.margin_call_window_seconds == 0 {
        "the margin-call window must be positive"
    } else {
        return Ok(());
    };
    Err(CalibrationError::InvalidConfig(problem.to_string()))
}

/// Proposes parameters for each series (one asset each) under `config`.
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - no series, or a config value out of its domain.
/// * [`CalibrationError::TooFewReturns`] - a series too short to estimate.
/// * [`CalibrationError::RuleViolation`] - a result breaks a SPEC rule (a bug guard).
pub fn propose(
    series: &[PriceSeries],
    config: &ProposalConfig,
) -> Result<Proposal, CalibrationError> {
    check_config(config)?;
    if series.is_empty() {
        return Err(CalibrationError::InvalidConfig(
            "no price series given".into(),
        ));
    }
    let h = config.horizon;
    let mut reasoning = vec![format!(
        "liquidation horizon h = oracle resolution {} s + keeper latency {} s + auction \
         clearing {} s = {} s; confidence {}%; tail measure {}",
        h.oracle_resolution_seconds,
        h.keeper_latency_seconds,
        h.auction_clearing_seconds,
        h.total_seconds(),
        config.confidence * 100.0,
        config.measure.name(),
    )];
    let series = to_oracle_grid(series, config, &mut reasoning)?;
    let mut assets = Vec::with_capacity(series.len());
    for s in &series {
        let risk = AssetRisk::from_series(s, config.ewma_lambda)?;
        let weights = weights::propose_weights(&risk, config)?;
        let auction = auction::propose_auction(&risk.name, risk.stressed_vol(), config)?;
        assets.push(AssetProposal {
            risk,
            weights,
            auction,
        });
    }
    let driver = assets
        .iter()
        .max_by(|a, b| a.risk.stressed_vol().0.total_cmp(&b.risk.stressed_vol().0))
        .expect("at least one asset");
    let auction = driver.auction.clone();
    reasoning.push(format!(
        "auction parameters are global (SPEC §7): taken from {}, the highest stressed volatility \
         ({})",
        auction.driven_by,
        pct(auction.vol.annualised()),
    ));
    let portfolio = joint_report(&series, config, &mut reasoning)?;
    Ok(Proposal {
        config: config.clone(),
        assets,
        auction,
        portfolio,
        reasoning,
    })
}

/// The series as estimated: resampled to the oracle resolution when finer (see
/// [`ProposalConfig::resample_to_oracle`]), each change noted in `reasoning`.
fn to_oracle_grid(
    series: &[PriceSeries],
    config: &ProposalConfig,
    reasoning: &mut Vec<String>,
) -> Result<Vec<PriceSeries>, CalibrationError> {
    let resolution = config.horizon.oracle_resolution_seconds;
    series
        .iter()
        .map(|s| match s.step_seconds() {
            Some(step) if config.resample_to_oracle && step < resolution => {
                let r = s.resample(resolution)?;
                reasoning.push(format!(
                    "{}: resampled from {step} s to the {resolution} s oracle resolution (last \
                     close per interval, as the feed publishes): {} -> {} points",
                    s.name(),
                    s.len(),
                    r.len()
                ));
                Ok(r)
            }
            _ => Ok(s.clone()),
        })
        .collect()
}

/// The portfolio report over the joint history, or a line saying why there is none.
fn joint_report(
    series: &[PriceSeries],
    config: &ProposalConfig,
    reasoning: &mut Vec<String>,
) -> Result<Option<PortfolioRisk>, CalibrationError> {
    if series.len() < 2 {
        return Ok(None);
    }
    // A common grid: the coarsest step, last close per interval (as the oracle would publish).
    let step = series
        .iter()
        .filter_map(PriceSeries::step_seconds)
        .max()
        .unwrap_or(1);
    let resampled = series
        .iter()
        .map(|s| s.resample(step))
        .collect::<Result<Vec<_>, _>>()?;
    let joint = match JointSeries::align(&resampled) {
        Ok(j) if j.len() > crate::asset::MIN_RETURNS => j,
        Ok(j) => {
            reasoning.push(format!(
                "portfolio: only {} common timestamps at a {step} s step; no joint estimate",
                j.len()
            ));
            return Ok(None);
        }
        Err(_) => {
            reasoning.push(format!(
                "portfolio: the series share no timestamp at a {step} s step; no joint estimate"
            ));
            return Ok(None);
        }
    };
    let weights = config
        .portfolio_weights
        .clone()
        .unwrap_or_else(|| vec![1.0; series.len()]);
    let risk = portfolio_risk(
        &joint,
        &weights,
        config.horizon.total_seconds(),
        step,
        config.confidence,
    )?;
    reasoning.push(format!(
        "portfolio: {} joint rows at a {step} s step (resampled: last close per interval, inner \
         join on timestamp); weights {:?}",
        joint.len(),
        risk.weights
    ));
    Ok(Some(risk))
}

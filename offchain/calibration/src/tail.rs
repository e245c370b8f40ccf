//! The tail of the price move over a horizon: Value at Risk and Expected Shortfall.
//!
//! Every figure is a **fraction of the price** over the horizon, positive when adverse:
//! - [`Side::Downside`] (the asset held as collateral): loss `1 - exp(r)` for a log move `r`;
//! - [`Side::Upside`] (the asset owed as debt): rise `exp(r) - 1`.
//!
//! ## Historical
//!
//! From `n` adverse moves `x` sorted ascending, at confidence `c`:
//! `VaR = x[ceil(c n)]` (1-based order statistic: the smallest move not exceeded in a share `c`
//! of the sample), and `ES` = the mean of the `n - ceil(c n) + 1` moves from that one up, so
//! `ES >= VaR` always. No interpolation: with few samples the estimate sits on an observed move.
//!
//! Horizon moves are **overlapping**: one `k`-step window per start point, `n - k` of them from
//! `n` closes, rather than `n / k` disjoint windows. Overlap uses every crash path at every phase
//! (a disjoint grid can straddle the worst 10 minutes and miss it), but consecutive windows share
//! `k - 1` steps, so the effective number of independent windows is still about `n / k`:
//! [`TailEstimate::independent_samples`] reports it, and a tail with fewer than one independent
//! observation beyond the VaR is flagged by [`TailEstimate::is_thin`].
//!
//! ## Parametric
//!
//! The log move over the horizon is `N(0, s^2)` with `s = sigma * sqrt(T / year)` (square-root
//! of time from a realised or EWMA volatility; zero drift, which over minutes is negligible and
//! otherwise would credit a trend). With `z = Phi^-1(c)`, exactly for that lognormal price:
//! - downside `VaR = 1 - exp(-z s)`, `ES = 1 - exp(s^2/2) Phi(-z - s) / (1 - c)`;
//! - upside `VaR = exp(z s) - 1`, `ES = exp(s^2/2) Phi(s - z) / (1 - c) - 1`;
//!
//! using `E[exp(r); r <= a] = exp(s^2/2) Phi((a - s^2)/s)`. `expm1` keeps small VaRs accurate.

use crate::normal;

/// Which tail: the collateral's fall or the debt's rise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// Price falls: the risk of an asset held as collateral.
    Downside,
    /// Price rises: the risk of an asset owed as debt.
    Upside,
}

impl Side {
    /// The adverse move (fraction of price, positive when adverse) of a log return.
    pub fn adverse_move(self, log_return: f64) -> f64 {
        match self {
            Side::Downside => -log_return.exp_m1(),
            Side::Upside => log_return.exp_m1(),
        }
    }

    /// `downside` or `upside`.
    pub fn name(self) -> &'static str {
        match self {
            Side::Downside => "downside",
            Side::Upside => "upside",
        }
    }
}

/// Which tail measure a rule uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TailMeasure {
    /// Value at Risk: the move not exceeded with probability `c`.
    ValueAtRisk,
    /// Expected Shortfall: the mean move in the worst `1 - c` of cases (coherent, `>= VaR`).
    ExpectedShortfall,
}

impl TailMeasure {
    /// `VaR` or `ES`.
    pub fn name(self) -> &'static str {
        match self {
            TailMeasure::ValueAtRisk => "VaR",
            TailMeasure::ExpectedShortfall => "ES",
        }
    }
}

/// VaR and ES of one tail, as fractions of price.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TailEstimate {
    /// Value at Risk.
    pub var: f64,
    /// Expected Shortfall.
    pub es: f64,
    /// Number of moves it was computed from (0 for a parametric estimate).
    pub samples: usize,
    /// Approximate number of independent moves (`samples / k` for overlapping `k`-step windows).
    pub independent_samples: usize,
}

impl TailEstimate {
    /// The chosen measure.
    pub fn get(&self, measure: TailMeasure) -> f64 {
        match measure {
            TailMeasure::ValueAtRisk => self.var,
            TailMeasure::ExpectedShortfall => self.es,
        }
    }

    /// Whether a historical estimate rests on less than one independent tail observation at
    /// confidence `c` (`(1 - c) * independent_samples < 1`). Always `false` for parametric ones.
    pub fn is_thin(&self, confidence: f64) -> bool {
        self.samples > 0 && (1.0 - confidence) * (self.independent_samples as f64) < 1.0
    }
}

/// Historical VaR/ES of adverse moves already expressed as fractions (see module docs).
/// `overlap` is the window length `k` used to make them (1 when they do not overlap). `None` for
/// an empty sample or a confidence outside `(0, 1)`.
pub fn historical_of_moves(moves: &[f64], confidence: f64, overlap: usize) -> Option<TailEstimate> {
    if moves.is_empty() || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let mut sorted = moves.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    // ceil(c n) with a guard against c n landing a hair above an integer (0.99 * 300).
    let rank = ((confidence * n as f64 - 1e-9).ceil() as usize).clamp(1, n);
    let tail = &sorted[rank - 1..];
    Some(TailEstimate {
        var: sorted[rank - 1],
        es: tail.iter().sum::<f64>() / tail.len() as f64,
        samples: n,
        independent_samples: n / overlap.max(1),
    })
}

/// Historical VaR/ES of one side from overlapping `k`-step log returns.
pub fn historical(
    horizon_log_returns: &[f64],
    k: usize,
    confidence: f64,
    side: Side,
) -> Option<TailEstimate> {
    let moves: Vec<f64> = horizon_log_returns
        .iter()
        .map(|&r| side.adverse_move(r))
        .collect();
    historical_of_moves(&moves, confidence, k)
}

/// Parametric (lognormal) VaR/ES of one side for a log-move standard deviation `s` over the
/// horizon (see module docs). `None` for a confidence outside `(0, 1)` or a negative `s`.
pub fn parametric(s: f64, confidence: f64, side: Side) -> Option<TailEstimate> {
    let valid = confidence > 0.0 && confidence < 1.0 && s >= 0.0 && s.is_finite();
    if !valid {
        return None;
    }
    let z = normal::quantile(confidence);
    let scale = (0.5 * s * s).exp() / (1.0 - confidence);
    let (var, es) = match side {
        Side::Downside => (-(-z * s).exp_m1(), 1.0 - scale * normal::cdf(-z - s)),
        Side::Upside => ((z * s).exp_m1(), scale * normal::cdf(s - z) - 1.0),
    };
    Some(TailEstimate {
        var,
        es,
        samples: 0,
        independent_samples: 0,
    })
}

/// The number of sampling steps covering `horizon_seconds`: `ceil(horizon / step)`, at least 1.
/// Rounding up never shortens the horizon (a 7-minute horizon on 10-minute data uses 10 minutes).
pub fn horizon_steps(horizon_seconds: u64, step_seconds: u64) -> usize {
    horizon_seconds.div_ceil(step_seconds.max(1)).max(1) as usize
}

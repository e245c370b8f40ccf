//! Volatility estimators on log returns.
//!
//! Volatilities are **annualised** with [`SECONDS_PER_YEAR`]: a per-step standard deviation `s`
//! at a step of `dt` seconds is `s * sqrt(SECONDS_PER_YEAR / dt)`, and the move over `T` seconds
//! has standard deviation `sigma * sqrt(T / SECONDS_PER_YEAR)` ([`Volatility::over`]): the
//! square-root-of-time rule for independent increments.

use market_data::SECONDS_PER_YEAR;

/// The RiskMetrics decay factor (J.P. Morgan, 1996) for daily data; a parameter here, because
/// with `n` samples per day the same memory in time needs `lambda^(1/n)`.
pub const RISKMETRICS_LAMBDA: f64 = 0.94;

/// An annualised volatility.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Volatility(pub f64);

impl Volatility {
    /// From a per-step standard deviation of log returns at a step of `step_seconds`.
    pub fn from_per_step(sd: f64, step_seconds: f64) -> Volatility {
        Volatility(sd * (SECONDS_PER_YEAR / step_seconds).sqrt())
    }

    /// The annualised figure.
    pub fn annualised(self) -> f64 {
        self.0
    }

    /// Standard deviation of the log move over `seconds` (square-root-of-time scaling).
    pub fn over(self, seconds: f64) -> f64 {
        self.0 * (seconds / SECONDS_PER_YEAR).sqrt()
    }
}

/// Realised volatility: the sample standard deviation of the log returns (mean removed, Bessel's
/// `n - 1`), annualised from the sampling step. `None` with fewer than two returns.
///
/// Computed in two passes (mean, then squared deviations) rather than `sum(x^2) - n mean^2`,
/// which cancels catastrophically when the mean is large against the spread.
///
/// Its standard error for Gaussian returns is about `sigma / sqrt(2 (n - 1))`
/// ([`realised_standard_error`]).
pub fn realised(returns: &[f64], step_seconds: f64) -> Option<Volatility> {
    let n = returns.len();
    if n < 2 {
        return None;
    }
    let mean = returns.iter().sum::<f64>() / n as f64;
    let ss: f64 = returns.iter().map(|r| (r - mean) * (r - mean)).sum();
    Some(Volatility::from_per_step(
        (ss / (n - 1) as f64).sqrt(),
        step_seconds,
    ))
}

/// Approximate standard error of [`realised`] from `n` Gaussian returns: `sigma / sqrt(2 (n-1))`
/// (delta method on the sample variance, whose variance is `2 sigma^4 / (n - 1)`).
pub fn realised_standard_error(vol: Volatility, n: usize) -> f64 {
    vol.0 / (2.0 * (n.max(2) - 1) as f64).sqrt()
}

/// The EWMA variance path (RiskMetrics): `v[t] = lambda v[t-1] + (1 - lambda) r[t]^2`, zero mean
/// (over short steps the mean is negligible against the spread and estimating it adds noise).
///
/// Seed: `v[-1]` is the mean of the squared returns over the first `ceil(1 / (1 - lambda))`
/// returns (the filter's memory; 17 for 0.94), so the start is not biased toward zero. Returns
/// the per-step variance after each return (same length as `returns`); empty for no returns or
/// `lambda` outside `[0, 1)`.
pub fn ewma_variance_path(returns: &[f64], lambda: f64) -> Vec<f64> {
    if returns.is_empty() || !(0.0..1.0).contains(&lambda) {
        return Vec::new();
    }
    let warmup = ((1.0 / (1.0 - lambda)).ceil() as usize).clamp(1, returns.len());
    let mut v = returns[..warmup].iter().map(|r| r * r).sum::<f64>() / warmup as f64;
    returns
        .iter()
        .map(|r| {
            v = lambda * v + (1.0 - lambda) * r * r;
            v
        })
        .collect()
}

/// The EWMA volatility at the end of the series and its peak over the series, annualised.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ewma {
    /// The decay factor used.
    pub lambda: f64,
    /// The estimate after the last return: the current regime.
    pub latest: Volatility,
    /// The largest estimate along the path: the most turbulent regime the history contains
    /// (a stressed figure, used by the proposal).
    pub peak: Volatility,
}

/// EWMA volatility of `returns` sampled every `step_seconds` (see [`ewma_variance_path`]).
/// `None` when there are no returns or `lambda` is outside `[0, 1)`.
pub fn ewma(returns: &[f64], step_seconds: f64, lambda: f64) -> Option<Ewma> {
    let path = ewma_variance_path(returns, lambda);
    let latest = *path.last()?;
    let peak = path.iter().cloned().fold(0.0, f64::max);
    Some(Ewma {
        lambda,
        latest: Volatility::from_per_step(latest.sqrt(), step_seconds),
        peak: Volatility::from_per_step(peak.sqrt(), step_seconds),
    })
}

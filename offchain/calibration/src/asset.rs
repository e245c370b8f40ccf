//! One asset's risk estimates: volatilities and the tails of its move over any horizon.

use market_data::PriceSeries;

use crate::error::CalibrationError;
use crate::tail::{self, horizon_steps, Side, TailEstimate, TailMeasure};
use crate::vol::{self, Ewma, Volatility};

/// Fewest one-step returns accepted: below this a volatility has a standard error above ~13%
/// of itself and a 99% tail has no observation at all.
pub const MIN_RETURNS: usize = 30;

/// Volatility estimates of one asset and the data to compute its horizon tails.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetRisk {
    /// The series' name.
    pub name: String,
    /// Sampling step (median spacing) in seconds.
    pub step_seconds: u64,
    /// Number of one-step log returns.
    pub returns: usize,
    /// Realised volatility (annualised).
    pub realised: Volatility,
    /// Standard error of the realised volatility (annualised units).
    pub realised_standard_error: f64,
    /// EWMA volatility, latest and peak.
    pub ewma: Ewma,
    closes: Vec<f64>,
}

/// The tail of one side over one horizon from each source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TailSources {
    /// The horizon in seconds.
    pub horizon_seconds: u64,
    /// Sampling steps spanning it (historical windows).
    pub k: usize,
    /// Historical, from overlapping `k`-step moves (`None` when the series is shorter than the
    /// horizon).
    pub historical: Option<TailEstimate>,
    /// Parametric from the realised volatility.
    pub realised: TailEstimate,
    /// Parametric from the peak EWMA volatility.
    pub ewma_peak: TailEstimate,
}

impl TailSources {
    /// The largest figure of `measure` across the sources, and the source's name: the proposal
    /// takes the worst of them, so neither a calm sample nor a thin one can loosen a weight.
    pub fn worst(&self, measure: TailMeasure) -> (f64, &'static str) {
        let mut best = (self.realised.get(measure), "parametric (realised vol)");
        let ewma = self.ewma_peak.get(measure);
        if ewma > best.0 {
            best = (ewma, "parametric (peak EWMA vol)");
        }
        if let Some(h) = self.historical.map(|h| h.get(measure)) {
            if h > best.0 {
                best = (h, "historical");
            }
        }
        best
    }
}

impl AssetRisk {
    /// Estimates from a price series' closes.
    ///
    /// # Errors
    /// * [`CalibrationError::TooFewReturns`] - fewer than [`MIN_RETURNS`] returns.
    /// * [`CalibrationError::InvalidConfig`] - `ewma_lambda` outside `[0, 1)`.
    pub fn from_series(series: &PriceSeries, ewma_lambda: f64) -> Result<Self, CalibrationError> {
        if !(0.0..1.0).contains(&ewma_lambda) {
            return Err(CalibrationError::InvalidConfig(format!(
                "EWMA lambda must be in [0, 1), got {ewma_lambda}"
            )));
        }
        let returns = series.log_returns();
        if returns.len() < MIN_RETURNS {
            return Err(CalibrationError::TooFewReturns {
                name: series.name().to_string(),
                needed: MIN_RETURNS,
                found: returns.len(),
            });
        }
        let step = series.step_seconds().unwrap_or(1);
        let realised = vol::realised(&returns, step as f64).expect("at least MIN_RETURNS returns");
        let ewma = vol::ewma(&returns, step as f64, ewma_lambda).expect("lambda checked");
        Ok(AssetRisk {
            name: series.name().to_string(),
            step_seconds: step,
            returns: returns.len(),
            realised,
            realised_standard_error: vol::realised_standard_error(realised, returns.len()),
            ewma,
            closes: series.closes(),
        })
    }

    /// The stressed volatility: the larger of realised and peak EWMA. Used wherever a rule needs
    /// one volatility (penalty, auction curve).
    pub fn stressed_vol(&self) -> Volatility {
        if self.ewma.peak.0 > self.realised.0 {
            self.ewma.peak
        } else {
            self.realised
        }
    }

    /// The tail of `side` over `horizon_seconds` at `confidence`, from every source.
    ///
    /// # Errors
    /// * [`CalibrationError::InvalidConfig`] - `confidence` outside `(0, 1)`.
    pub fn tails(
        &self,
        side: Side,
        horizon_seconds: u64,
        confidence: f64,
    ) -> Result<TailSources, CalibrationError> {
        let k = horizon_steps(horizon_seconds, self.step_seconds);
        let horizon_returns = market_data::horizon_log_returns(&self.closes, k);
        let seconds = horizon_seconds as f64;
        let param = |v: Volatility| {
            tail::parametric(v.over(seconds), confidence, side).ok_or_else(|| {
                CalibrationError::InvalidConfig(format!(
                    "confidence must be in (0, 1), got {confidence}"
                ))
            })
        };
        Ok(TailSources {
            horizon_seconds,
            k,
            historical: tail::historical(&horizon_returns, k, confidence, side),
            realised: param(self.realised)?,
            ewma_peak: param(self.ewma.peak)?,
        })
    }
}

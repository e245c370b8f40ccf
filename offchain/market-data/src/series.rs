//! A validated price series: strictly increasing timestamps, positive closes, optional high/low.
//!
//! The closes are what an oracle would publish and what every estimator uses; highs and lows are
//! informational (chart wicks, worst-case marks) and are never fed to the oracle path.

use crate::error::SeriesError;

/// One record of a price series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PricePoint {
    /// Unix time in seconds (for candles: the open time of the bar).
    pub timestamp: u64,
    /// The closing price (base currency per whole token). Always positive and finite.
    pub close: f64,
    /// The bar's high, when the source has one.
    pub high: Option<f64>,
    /// The bar's low, when the source has one.
    pub low: Option<f64>,
}

impl PricePoint {
    /// A point with a close only.
    pub fn new(timestamp: u64, close: f64) -> PricePoint {
        PricePoint {
            timestamp,
            close,
            high: None,
            low: None,
        }
    }
}

/// A high or low print that the CSV loader replaced because it lay implausibly far from the bar's
/// body (see [`crate::CsvOptions::max_wick`]).
#[derive(Clone, Debug, PartialEq)]
pub struct BadPrint {
    /// 1-based line number in the source file.
    pub line: usize,
    /// The bar's timestamp.
    pub timestamp: u64,
    /// `high` or `low`.
    pub column: &'static str,
    /// The value in the file.
    pub value: f64,
    /// The value kept instead (the body's edge).
    pub replaced_by: f64,
}

/// A named, validated price series.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceSeries {
    name: String,
    points: Vec<PricePoint>,
    bad_prints: Vec<BadPrint>,
}

/// Checks one point against the rules of a series, given the previous point's timestamp.
pub(crate) fn check_point(previous: Option<u64>, p: &PricePoint) -> Result<(), SeriesError> {
    for (column, value) in [("close", Some(p.close)), ("high", p.high), ("low", p.low)] {
        if let Some(v) = value {
            if !(v.is_finite() && v > 0.0) {
                return Err(SeriesError::NonPositivePrice { column, value: v });
            }
        }
    }
    let (high, low) = (p.high.unwrap_or(p.close), p.low.unwrap_or(p.close));
    if !(low <= p.close && p.close <= high) {
        return Err(SeriesError::InconsistentRange {
            high,
            low,
            close: p.close,
        });
    }
    match previous {
        Some(prev) if p.timestamp <= prev => Err(SeriesError::NotIncreasing {
            previous: prev,
            timestamp: p.timestamp,
        }),
        _ => Ok(()),
    }
}

impl PriceSeries {
    /// Builds a series, checking every point.
    ///
    /// # Errors
    /// * [`SeriesError::Empty`] - no points.
    /// * [`SeriesError::NonPositivePrice`], [`SeriesError::InconsistentRange`],
    ///   [`SeriesError::NotIncreasing`] - the first point that breaks a rule.
    pub fn new(name: impl Into<String>, points: Vec<PricePoint>) -> Result<Self, SeriesError> {
        if points.is_empty() {
            return Err(SeriesError::Empty);
        }
        let mut previous = None;
        for p in &points {
            check_point(previous, p)?;
            previous = Some(p.timestamp);
        }
        Ok(PriceSeries {
            name: name.into(),
            points,
            bad_prints: Vec::new(),
        })
    }

    /// Builds a series of closes spaced `step` seconds apart from `start`.
    ///
    /// # Errors
    /// As [`PriceSeries::new`], plus [`SeriesError::InvalidArgument`] for a zero step.
    pub fn from_closes(
        name: impl Into<String>,
        start: u64,
        step: u64,
        closes: &[f64],
    ) -> Result<Self, SeriesError> {
        if step == 0 {
            return Err(SeriesError::InvalidArgument("step must be positive".into()));
        }
        let points = (0u64..)
            .zip(closes)
            .map(|(i, &c)| PricePoint::new(start + i * step, c))
            .collect();
        PriceSeries::new(name, points)
    }

    /// Attaches the bad prints found while loading (used by the CSV loader).
    pub(crate) fn with_bad_prints(mut self, bad_prints: Vec<BadPrint>) -> Self {
        self.bad_prints = bad_prints;
        self
    }

    /// The series' name (file stem or shape name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// All points, in time order.
    pub fn points(&self) -> &[PricePoint] {
        &self.points
    }

    /// Highs/lows the loader replaced as bad prints.
    pub fn bad_prints(&self) -> &[BadPrint] {
        &self.bad_prints
    }

    /// Number of points (at least 1).
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Always `false`: a series has at least one point. Present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The timestamps, in order.
    pub fn timestamps(&self) -> Vec<u64> {
        self.points.iter().map(|p| p.timestamp).collect()
    }

    /// The closes, in order.
    pub fn closes(&self) -> Vec<f64> {
        self.points.iter().map(|p| p.close).collect()
    }

    /// Seconds from the first to the last point.
    pub fn duration_seconds(&self) -> u64 {
        self.points[self.points.len() - 1].timestamp - self.points[0].timestamp
    }

    /// The sampling step: the median spacing between consecutive points (robust to a few
    /// gaps). `None` for a single point.
    pub fn step_seconds(&self) -> Option<u64> {
        let mut gaps: Vec<u64> = self
            .points
            .windows(2)
            .map(|w| w[1].timestamp - w[0].timestamp)
            .collect();
        if gaps.is_empty() {
            return None;
        }
        gaps.sort_unstable();
        Some(gaps[gaps.len() / 2])
    }

    /// Resamples to `step` seconds the way an oracle with that resolution would publish:
    /// intervals start at multiples of `step` (Unix epoch aligned), each keeps the **last close**
    /// in it, stamped with the interval's start; highs/lows become the interval's max/min (of
    /// the highs/lows when present, else of the closes). Intervals without a point are left out
    /// (no fill), so a gap stays visible as a longer spacing.
    ///
    /// # Errors
    /// * [`SeriesError::InvalidArgument`] - `step` is zero.
    pub fn resample(&self, step: u64) -> Result<PriceSeries, SeriesError> {
        if step == 0 {
            return Err(SeriesError::InvalidArgument("step must be positive".into()));
        }
        let mut out: Vec<PricePoint> = Vec::new();
        for p in &self.points {
            let start = p.timestamp - p.timestamp % step;
            let (hi, lo) = (p.high.unwrap_or(p.close), p.low.unwrap_or(p.close));
            match out.last_mut() {
                Some(last) if last.timestamp == start => {
                    last.close = p.close;
                    last.high = last.high.map(|h| h.max(hi));
                    last.low = last.low.map(|l| l.min(lo));
                }
                _ => out.push(PricePoint {
                    timestamp: start,
                    close: p.close,
                    high: Some(hi),
                    low: Some(lo),
                }),
            }
        }
        PriceSeries::new(self.name.clone(), out)
    }

    /// One-step log returns `ln(c[i] / c[i-1])` (length `len - 1`).
    pub fn log_returns(&self) -> Vec<f64> {
        horizon_log_returns(&self.closes(), 1)
    }

    /// Overlapping `k`-step log returns `ln(c[i+k] / c[i])` for every start `i` (length
    /// `len - k`, empty when `k >= len` or `k == 0`).
    pub fn horizon_returns(&self, k: usize) -> Vec<f64> {
        horizon_log_returns(&self.closes(), k)
    }
}

/// Overlapping `k`-step log returns of a close series: `ln(c[i+k] / c[i])` for every `i`.
///
/// The ratio is formed first and its log taken once (`ln(a/b)` rather than `ln a - ln b`): for the
/// small moves that dominate a series this keeps the full relative precision of the quotient
/// instead of subtracting two nearly equal logs. Empty when `k == 0` or `k >= closes.len()`.
pub fn horizon_log_returns(closes: &[f64], k: usize) -> Vec<f64> {
    if k == 0 || k >= closes.len() {
        return Vec::new();
    }
    closes
        .iter()
        .zip(&closes[k..])
        .map(|(a, b)| (b / a).ln())
        .collect()
}

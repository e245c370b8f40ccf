//! Multi-asset alignment: joint histories for correlation and portfolio tails.

use crate::error::SeriesError;
use crate::series::{horizon_log_returns, PriceSeries};

/// Several assets' closes on the timestamps they all share (an inner join).
#[derive(Clone, Debug, PartialEq)]
pub struct JointSeries {
    names: Vec<String>,
    timestamps: Vec<u64>,
    closes: Vec<Vec<f64>>,
}

impl JointSeries {
    /// Inner-joins the series on timestamp: a timestamp is kept only when every series has a
    /// point there, so every row is a simultaneous observation (no fill, no interpolation, which
    /// would invent co-movement). Resample the inputs to a common step first when their stamps
    /// differ (e.g. [`PriceSeries::resample`] to the oracle resolution).
    ///
    /// # Errors
    /// * [`SeriesError::InvalidArgument`] - no series given.
    /// * [`SeriesError::Empty`] - the series share no timestamp.
    pub fn align(series: &[PriceSeries]) -> Result<JointSeries, SeriesError> {
        let first = series
            .first()
            .ok_or_else(|| SeriesError::InvalidArgument("no series to align".into()))?;
        // Walk a cursor through each (sorted) series: O(total points).
        let mut cursors = vec![0usize; series.len()];
        let mut timestamps = Vec::new();
        let mut closes = vec![Vec::new(); series.len()];
        'outer: for p in first.points() {
            let mut row = Vec::with_capacity(series.len());
            for (s, cursor) in series.iter().zip(cursors.iter_mut()) {
                let pts = s.points();
                while *cursor < pts.len() && pts[*cursor].timestamp < p.timestamp {
                    *cursor += 1;
                }
                match pts.get(*cursor) {
                    Some(q) if q.timestamp == p.timestamp => row.push(q.close),
                    _ => continue 'outer,
                }
            }
            timestamps.push(p.timestamp);
            for (col, c) in closes.iter_mut().zip(row) {
                col.push(c);
            }
        }
        if timestamps.is_empty() {
            return Err(SeriesError::Empty);
        }
        Ok(JointSeries {
            names: series.iter().map(|s| s.name().to_string()).collect(),
            timestamps,
            closes,
        })
    }

    /// The assets' names, in input order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The shared timestamps.
    pub fn timestamps(&self) -> &[u64] {
        &self.timestamps
    }

    /// Number of assets.
    pub fn assets(&self) -> usize {
        self.names.len()
    }

    /// Number of joint rows.
    pub fn len(&self) -> usize {
        self.timestamps.len()
    }

    /// Whether there are no rows (never true for a value built by [`JointSeries::align`]).
    pub fn is_empty(&self) -> bool {
        self.timestamps.is_empty()
    }

    /// Asset `i`'s closes on the shared timestamps.
    pub fn closes(&self, i: usize) -> &[f64] {
        &self.closes[i]
    }

    /// Overlapping `k`-step log returns per asset (`[asset][row]`), rows aligned across assets.
    pub fn horizon_returns(&self, k: usize) -> Vec<Vec<f64>> {
        self.closes
            .iter()
            .map(|c| horizon_log_returns(c, k))
            .collect()
    }
}

//! Built-in synthetic price paths, deterministic given a seed.
//!
//! Every path is `price(t) = start_price * exp(trend(t) + noise(t))`: `trend` is the shape's
//! deterministic log-move and `noise` a driftless Gaussian log-walk with annualised volatility
//! `noise_vol` drawn from [`Rng`] (so the median path is the trend; `noise_vol = 0` gives the
//! bare shape). [`Shape::Gbm`] is geometric Brownian motion sampled exactly:
//! `ln S(t+dt) - ln S(t) = (drift - vol^2 / 2) dt + vol sqrt(dt) Z`, with `dt` in years of
//! [`SECONDS_PER_YEAR`] (crypto trades around the clock).

use crate::error::SeriesError;
use crate::rng::Rng;
use crate::series::PriceSeries;
use crate::SECONDS_PER_YEAR;

/// Parameters shared by every shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathParams {
    /// Price at the first point. Default 100.
    pub start_price: f64,
    /// Seconds from the first to the last point. Default one day.
    pub duration_seconds: u64,
    /// Seconds between points. Default 60.
    pub step_seconds: u64,
    /// Unix time of the first point. Default 2026-01-01T00:00:00Z.
    pub start_timestamp: u64,
    /// Annualised volatility of the noise around the trend (not used by [`Shape::Gbm`]).
    /// Default 0.5.
    pub noise_vol: f64,
}

impl Default for PathParams {
    fn default() -> Self {
        PathParams {
            start_price: 100.0,
            duration_seconds: 86_400,
            step_seconds: 60,
            start_timestamp: 1_767_225_600,
            noise_vol: 0.5,
        }
    }
}

/// A synthetic price shape. Fractions of the duration (`at`) place events in the path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// Flat, then a fall of `drop` (0.5 = −50%) spread log-linearly over `over_seconds`
    /// starting at `at * duration`, then flat. Default −50% over 10 minutes at 25%.
    Crash {
        /// Fraction lost, in (0, 1).
        drop: f64,
        /// Start of the fall, as a fraction of the duration.
        at: f64,
        /// Length of the fall in seconds.
        over_seconds: u64,
    },
    /// A crash as above, then a log-linear recovery of `recovered` of the log-loss over
    /// `recover_seconds`. Default −50% over 10 minutes at 25%, 80% recovered over 2 hours.
    CrashAndRecovery {
        /// Fraction lost, in (0, 1).
        drop: f64,
        /// Start of the fall, as a fraction of the duration.
        at: f64,
        /// Length of the fall in seconds.
        over_seconds: u64,
        /// Length of the recovery in seconds.
        recover_seconds: u64,
        /// Share of the log-loss won back, in [0, 1].
        recovered: f64,
    },
    /// A steady log-linear fall of `drop` over the whole duration. Default −40%.
    SlowBleed {
        /// Fraction lost over the duration, in (0, 1).
        drop: f64,
    },
    /// A thin asset's feed pushed to `multiplier` times its price for `attack_seconds` starting
    /// at `at * duration`, then back (the February 2026 YieldBlox incident on a Blend pool).
    /// Default 100x for 900 s (three records of a 300 s feed, whatever the path's step) at 50%.
    OracleAttack {
        /// Factor applied during the attack (> 0).
        multiplier: f64,
        /// Start, as a fraction of the duration.
        at: f64,
        /// How long the price stays manipulated, in seconds.
        attack_seconds: u64,
    },
    /// Geometric Brownian motion. Default drift 0, volatility 0.8 (annualised).
    Gbm {
        /// Annualised arithmetic drift `mu`.
        drift: f64,
        /// Annualised volatility `sigma` (>= 0).
        vol: f64,
    },
}

impl Shape {
    /// The names accepted by [`Shape::from_name`].
    pub const NAMES: [&'static str; 5] = [
        "crash",
        "crash_and_recovery",
        "slow_bleed",
        "oracle_attack",
        "gbm",
    ];

    /// The shape called `name` with its default parameters (`-` and `_` are interchangeable).
    ///
    /// # Errors
    /// * [`SeriesError::InvalidArgument`] - an unknown name (the message lists the known ones).
    pub fn from_name(name: &str) -> Result<Shape, SeriesError> {
        let shape = match name.replace('-', "_").as_str() {
            "crash" => Shape::Crash {
                drop: 0.5,
                at: 0.25,
                over_seconds: 600,
            },
            "crash_and_recovery" => Shape::CrashAndRecovery {
                drop: 0.5,
                at: 0.25,
                over_seconds: 600,
                recover_seconds: 7_200,
                recovered: 0.8,
            },
            "slow_bleed" => Shape::SlowBleed { drop: 0.4 },
            "oracle_attack" => Shape::OracleAttack {
                multiplier: 100.0,
                at: 0.5,
                attack_seconds: 900,
            },
            "gbm" => Shape::Gbm {
                drift: 0.0,
                vol: 0.8,
            },
            other => {
                return Err(SeriesError::InvalidArgument(format!(
                    "unknown shape {other:?}; known: {}",
                    Shape::NAMES.join(", ")
                )))
            }
        };
        Ok(shape)
    }

    /// The shape's name, as in [`Shape::NAMES`].
    pub fn name(&self) -> &'static str {
        match self {
            Shape::Crash { .. } => "crash",
            Shape::CrashAndRecovery { .. } => "crash_and_recovery",
            Shape::SlowBleed { .. } => "slow_bleed",
            Shape::OracleAttack { .. } => "oracle_attack",
            Shape::Gbm { .. } => "gbm",
        }
    }

    /// Generates the path: `duration / step + 1` points. Same shape, params and seed give the
    /// same series.
    ///
    /// # Errors
    /// * [`SeriesError::InvalidArgument`] - a parameter out of its domain (named in the message).
    pub fn generate(&self, params: &PathParams, seed: u64) -> Result<PriceSeries, SeriesError> {
        self.check()?;
        check_params(params)?;
        let n = params.duration_seconds / params.step_seconds + 1;
        let dt = params.step_seconds as f64 / SECONDS_PER_YEAR;
        let (drift, vol) = match *self {
            Shape::Gbm { drift, vol } => (drift - 0.5 * vol * vol, vol),
            _ => (0.0, params.noise_vol),
        };
        let mut rng = Rng::seed_from_u64(seed);
        let mut walk = 0.0;
        let mut closes = Vec::with_capacity(n as usize);
        for i in 0..n {
            if i > 0 {
                walk += drift * dt + vol * dt.sqrt() * rng.standard_normal();
            }
            let t = (i * params.step_seconds) as f64;
            let trend = self.trend(t, params.duration_seconds as f64);
            closes.push(params.start_price * (trend + walk).exp());
        }
        let step = params.step_seconds;
        PriceSeries::from_closes(self.name(), params.start_timestamp, step, &closes)
    }

    /// The deterministic log-move at `t` seconds into a path of `duration` seconds.
    fn trend(&self, t: f64, duration: f64) -> f64 {
        let ramp = |start: f64, len: f64| ((t - start) / len.max(1.0)).clamp(0.0, 1.0);
        match *self {
            Shape::Crash {
                drop,
                at,
                over_seconds,
            } => (1.0 - drop).ln() * ramp(at * duration, over_seconds as f64),
            Shape::CrashAndRecovery {
                drop,
                at,
                over_seconds,
                recover_seconds,
                recovered,
            } => {
                let start = at * duration;
                let fall = ramp(start, over_seconds as f64);
                let rise = ramp(start + over_seconds as f64, recover_seconds as f64);
                (1.0 - drop).ln() * (fall - recovered * rise)
            }
            Shape::SlowBleed { drop } => (1.0 - drop).ln() * t / duration,
            Shape::OracleAttack {
                multiplier,
                at,
                attack_seconds,
            } => {
                let start = at * duration;
                if t >= start && t < start + attack_seconds as f64 {
                    multiplier.ln()
                } else {
                    0.0
                }
            }
            Shape::Gbm { .. } => 0.0,
        }
    }

    fn check(&self) -> Result<(), SeriesError> {
        let fraction = |x: f64| (0.0..=1.0).contains(&x);
        let drop_ok = |d: f64| d > 0.0 && d < 1.0;
        let (valid, rule) = match *self {
            Shape::Crash { drop, at, .. } => (
                drop_ok(drop) && fraction(at),
                "crash: drop must be in (0, 1) and at in [0, 1]",
            ),
            Shape::CrashAndRecovery {
                drop,
                at,
                recovered,
                ..
            } => (
                drop_ok(drop) && fraction(at) && fraction(recovered),
                "crash_and_recovery: drop in (0, 1), at and recovered in [0, 1]",
            ),
            Shape::SlowBleed { drop } => (drop_ok(drop), "slow_bleed: drop must be in (0, 1)"),
            Shape::OracleAttack { multiplier, at, .. } => (
                multiplier.is_finite() && multiplier > 0.0 && fraction(at),
                "oracle_attack: multiplier must be positive and at in [0, 1]",
            ),
            Shape::Gbm { drift, vol } => (
                drift.is_finite() && vol.is_finite() && vol >= 0.0,
                "gbm: drift must be finite and vol non-negative",
            ),
        };
        if valid {
            Ok(())
        } else {
            Err(SeriesError::InvalidArgument(rule.to_string()))
        }
    }
}

fn check_params(p: &PathParams) -> Result<(), SeriesError> {
    let bad = |what: &str| Err(SeriesError::InvalidArgument(what.to_string()));
    if !(p.start_price.is_finite() && p.start_price > 0.0) {
        return bad("start price must be positive");
    }
    if p.step_seconds == 0 || p.duration_seconds < p.step_seconds {
        return bad("step must be positive and no longer than the duration");
    }
    if !(p.noise_vol.is_finite() && p.noise_vol >= 0.0) {
        return bad("noise volatility must be non-negative");
    }
    Ok(())
}

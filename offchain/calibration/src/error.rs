//! Errors of the calibration crate.

use std::fmt;

use market_data::SeriesError;

/// Why an estimate or a proposal could not be made.
#[derive(Clone, Debug, PartialEq)]
pub enum CalibrationError {
    /// A price series is invalid or could not be transformed.
    Series(SeriesError),
    /// Too few prices for the estimate.
    TooFewReturns {
        /// The series' name.
        name: String,
        /// Returns needed.
        needed: usize,
        /// Returns available.
        found: usize,
    },
    /// A configuration value is out of its domain (the message names it).
    InvalidConfig(String),
    /// A proposed parameter set breaks a SPEC rule (a bug guard; the message names the rule).
    RuleViolation(String),
    /// A backtest run through the simulator failed (the message names the parameter set).
    Simulation(String),
}

impl fmt::Display for CalibrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalibrationError::Series(e) => write!(f, "{e}"),
            CalibrationError::TooFewReturns {
                name,
                needed,
                found,
            } => write!(
                f,
                "{name}: {found} returns, at least {needed} are needed for the estimates"
            ),
            CalibrationError::InvalidConfig(msg) => write!(f, "invalid configuration: {msg}"),
            CalibrationError::RuleViolation(msg) => write!(f, "proposal breaks a rule: {msg}"),
            CalibrationError::Simulation(msg) => write!(f, "backtest run failed: {msg}"),
        }
    }
}

impl std::error::Error for CalibrationError {}

impl From<SeriesError> for CalibrationError {
    fn from(e: SeriesError) -> Self {
        CalibrationError::Series(e)
    }
}

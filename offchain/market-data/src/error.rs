//! Errors of this crate. A CSV error always names the file and, when a row is at fault, its
//! 1-based line number in the file (the header is line 1), so a user can open the file there.

use std::fmt;

/// Why a price series is invalid, independent of where it came from.
#[derive(Clone, Debug, PartialEq)]
pub enum SeriesError {
    /// No price points at all.
    Empty,
    /// A price (close, high or low) is zero, negative, infinite or NaN.
    NonPositivePrice {
        /// Which column held it (`close`, `high`, `low`).
        column: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A timestamp is not after the previous one.
    NotIncreasing {
        /// The previous timestamp.
        previous: u64,
        /// This timestamp.
        timestamp: u64,
    },
    /// `high < low`, or the close lies outside `[low, high]`.
    InconsistentRange {
        /// The bar's high.
        high: f64,
        /// The bar's low.
        low: f64,
        /// The bar's close.
        close: f64,
    },
    /// An argument (step, horizon, shape parameter) is out of its domain.
    InvalidArgument(String),
}

impl fmt::Display for SeriesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeriesError::Empty => write!(f, "no price rows"),
            SeriesError::NonPositivePrice { column, value } => {
                write!(f, "{column} must be a positive finite price, got {value}")
            }
            SeriesError::NotIncreasing {
                previous,
                timestamp,
            } => write!(
                f,
                "timestamps must be strictly increasing: {timestamp} follows {previous}"
            ),
            SeriesError::InconsistentRange { high, low, close } => write!(
                f,
                "inconsistent bar: need low <= close <= high, got low {low}, close {close}, high {high}"
            ),
            SeriesError::InvalidArgument(reason) => write!(f, "invalid argument: {reason}"),
        }
    }
}

impl std::error::Error for SeriesError {}

/// Why a CSV file could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum CsvErrorKind {
    /// The file could not be read (message from the OS).
    Io(String),
    /// No data rows (an empty file, or a header alone).
    Empty,
    /// The header lacks a column this loader needs.
    MissingHeaderColumn(&'static str),
    /// No header, and a field count that matches neither `timestamp,close` (2) nor
    /// `timestamp,open,high,low,close` (5).
    UnrecognisedLayout {
        /// How many fields the first row has.
        fields: usize,
    },
    /// A row has fewer fields than the column it needs.
    MissingField {
        /// The column's name.
        column: String,
        /// How many fields the row has.
        found: usize,
    },
    /// A field is not a number of the right kind.
    NotANumber {
        /// The column's name.
        column: String,
        /// The text found.
        text: String,
    },
    /// The row parsed but breaks a series rule.
    Invalid(SeriesError),
}

/// A CSV loading error with its location.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    /// The file name as given (or a label for in-memory text).
    pub file: String,
    /// The 1-based line number of the faulty row; `None` for whole-file problems.
    pub line: Option<usize>,
    /// What went wrong.
    pub kind: CsvErrorKind,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {}: ", self.file, line)?,
            None => write!(f, "{}: ", self.file)?,
        }
        match &self.kind {
            CsvErrorKind::Io(msg) => write!(f, "cannot read file: {msg}"),
            CsvErrorKind::Empty => write!(f, "empty file: no price rows"),
            CsvErrorKind::MissingHeaderColumn(col) => {
                write!(f, "header has no `{col}` column")
            }
            CsvErrorKind::UnrecognisedLayout { fields } => write!(
                f,
                "no header and {fields} fields: expected `timestamp,close` or \
                 `timestamp,open,high,low,close`, or a header naming the columns"
            ),
            CsvErrorKind::MissingField { column, found } => {
                write!(f, "missing column `{column}` (row has {found} fields)")
            }
            CsvErrorKind::NotANumber { column, text } => {
                write!(f, "`{column}` is not a number: {text:?}")
            }
            CsvErrorKind::Invalid(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for CsvError {}

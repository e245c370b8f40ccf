//! CSV loading with line-numbered errors.
//!
//! Accepted layouts (comma separated, blank lines ignored, surrounding spaces and quotes trimmed):
//! - with a header (detected when the first field of the first non-blank line is not a number):
//!   columns are found **by name**, case-insensitively. The timestamp column is `timestamp`,
//!   `timestamp_unix`, `time`, `ts` or `unix`; the close is `close` or `price`; `open`, `high`,
//!   `low` are optional. Other columns are ignored. This covers `timestamp,close` and
//!   `timestamp_unix,open,high,low,close` (the files of `shared/data`).
//! - without a header: two fields are `timestamp,close`, five are
//!   `timestamp,open,high,low,close`.
//!
//! Timestamps are integer Unix seconds, strictly increasing. Prices are positive finite decimals.
//!
//! ## Bad prints
//!
//! Exchange data carries occasional bad prints in the wicks (the Binance ETHUSDT perpetual bar at
//! 1584067140 has high 323.00 on a 109.00 → 117.44 body). Closes are validated strictly and never
//! altered: they are the series the oracle publishes. A high above `body_top * (1 + max_wick)` or
//! a low below `body_bottom / (1 + max_wick)` (body = open and close, or the close alone) is
//! replaced by the body's edge and recorded in [`PriceSeries::bad_prints`], the way a robust
//! oracle ignores an outlier print instead of failing the feed. The default `max_wick` (0.5,
//! i.e. 1.5x beyond the body) keeps real crash wicks: the deepest wick in `shared/data` is 1.23x
//! below its body (CoinAPI 10-minute bar at 1584009600) while the bad print is 2.75x above.

use std::path::Path;

use crate::error::{CsvError, CsvErrorKind, SeriesError};
use crate::series::{check_point, BadPrint, PricePoint, PriceSeries};

/// Options of the CSV loader.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CsvOptions {
    /// Largest relative distance of a high above the bar's body top (and, symmetrically in log
    /// terms, of a low below its bottom) before it is treated as a bad print. Default 0.5;
    /// `f64::INFINITY` keeps every wick.
    pub max_wick: f64,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { max_wick: 0.5 }
    }
}

/// Where the loader finds each column.
#[derive(Clone, Copy, Debug)]
struct Layout {
    timestamp: usize,
    close: usize,
    open: Option<usize>,
    high: Option<usize>,
    low: Option<usize>,
}

const TIMESTAMP_NAMES: [&str; 5] = ["timestamp", "timestamp_unix", "time", "ts", "unix"];
const CLOSE_NAMES: [&str; 2] = ["close", "price"];

/// Loads a price CSV with the default options. The series is named after the file stem.
///
/// # Errors
/// A [`CsvError`] naming the file, the line (for row errors) and the reason.
pub fn load_csv(path: impl AsRef<Path>) -> Result<PriceSeries, CsvError> {
    load_csv_with(path, &CsvOptions::default())
}

/// Loads a price CSV with the given options.
///
/// # Errors
/// A [`CsvError`] naming the file, the line (for row errors) and the reason.
pub fn load_csv_with(
    path: impl AsRef<Path>,
    options: &CsvOptions,
) -> Result<PriceSeries, CsvError> {
    let path = path.as_ref();
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| CsvError {
        file: label.clone(),
        line: None,
        kind: CsvErrorKind::Io(e.to_string()),
    })?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| label.clone());
    parse_csv(&label, &text, options).map(|s| rename(s, name))
}

fn rename(series: PriceSeries, name: String) -> PriceSeries {
    let bad = series.bad_prints().to_vec();
    PriceSeries::new(name, series.points().to_vec())
        .expect("a validated series stays valid under a new name")
        .with_bad_prints(bad)
}

/// Parses CSV text; `file` labels errors and names the series.
///
/// # Errors
/// A [`CsvError`] naming `file`, the line (for row errors) and the reason.
pub fn parse_csv(file: &str, text: &str, options: &CsvOptions) -> Result<PriceSeries, CsvError> {
    let err = |line: Option<usize>, kind| CsvError {
        file: file.to_string(),
        line,
        kind,
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_start_matches('\u{feff}').trim()))
        .filter(|(_, l)| !l.is_empty())
        .peekable();
    let (first_no, first) = *lines
        .peek()
        .ok_or_else(|| err(Some(1), CsvErrorKind::Empty))?;
    let first_fields = split(first);
    let layout = if first_fields[0].parse::<f64>().is_ok() {
        headerless_layout(first_fields.len()).map_err(|k| err(Some(first_no), k))?
    } else {
        lines.next();
        header_layout(&first_fields).map_err(|k| err(Some(first_no), k))?
    };
    let mut points = Vec::new();
    let mut bad = Vec::new();
    let mut last_line = first_no;
    for (line_no, line) in lines {
        last_line = line_no;
        let previous = points.last().map(|p: &PricePoint| p.timestamp);
        let (point, open) = parse_row(line, &layout).map_err(|k| err(Some(line_no), k))?;
        check_point(previous, &point).map_err(|e| err(Some(line_no), CsvErrorKind::Invalid(e)))?;
        points.push(filter_wicks(
            point,
            open,
            options.max_wick,
            line_no,
            &mut bad,
        ));
    }
    if points.is_empty() {
        // Only a header: point at the line where the first row was expected.
        return Err(err(Some(last_line + 1), CsvErrorKind::Empty));
    }
    let series = PriceSeries::new(file, points).map_err(|e| err(None, CsvErrorKind::Invalid(e)))?;
    Ok(series.with_bad_prints(bad))
}

fn split(line: &str) -> Vec<&str> {
    line.split(',')
        .map(|f| f.trim().trim_matches('"').trim())
        .collect()
}

fn headerless_layout(fields: usize) -> Result<Layout, CsvErrorKind> {
    match fields {
        2 => Ok(Layout {
            timestamp: 0,
            close: 1,
            open: None,
            high: None,
            low: None,
        }),
        5 => Ok(Layout {
            timestamp: 0,
            close: 4,
            open: Some(1),
            high: Some(2),
            low: Some(3),
        }),
        fields => Err(CsvErrorKind::UnrecognisedLayout { fields }),
    }
}

fn header_layout(fields: &[&str]) -> Result<Layout, CsvErrorKind> {
    let names: Vec<String> = fields.iter().map(|f| f.to_ascii_lowercase()).collect();
    let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    Ok(Layout {
        timestamp: find(&TIMESTAMP_NAMES).ok_or(CsvErrorKind::MissingHeaderColumn("timestamp"))?,
        close: find(&CLOSE_NAMES).ok_or(CsvErrorKind::MissingHeaderColumn("close"))?,
        open: find(&["open"]),
        high: find(&["high"]),
        low: find(&["low"]),
    })
}

fn field<'a>(fields: &[&'a str], index: usize, column: &str) -> Result<&'a str, CsvErrorKind> {
    match fields.get(index) {
        Some(f) if !f.is_empty() => Ok(f),
        _ => Err(CsvErrorKind::MissingField {
            column: column.to_string(),
            found: fields.len(),
        }),
    }
}

fn number(fields: &[&str], index: usize, column: &str) -> Result<f64, CsvErrorKind> {
    let text = field(fields, index, column)?;
    text.parse::<f64>().map_err(|_| CsvErrorKind::NotANumber {
        column: column.to_string(),
        text: text.to_string(),
    })
}

/// Parses one row into a point and its open (used only for the wick filter).
fn parse_row(line: &str, layout: &Layout) -> Result<(PricePoint, Option<f64>), CsvErrorKind> {
    let fields = split(line);
    let ts_text = field(&fields, layout.timestamp, "timestamp")?;
    let timestamp = ts_text
        .parse::<u64>()
        .map_err(|_| CsvErrorKind::NotANumber {
            column: "timestamp".to_string(),
            text: format!("{ts_text} (expected integer Unix seconds)"),
        })?;
    let optional = |idx: Option<usize>, col: &str| idx.map(|i| number(&fields, i, col)).transpose();
    let open = optional(layout.open, "open")?;
    if let Some(o) = open.filter(|o| !(o.is_finite() && *o > 0.0)) {
        return Err(CsvErrorKind::Invalid(SeriesError::NonPositivePrice {
            column: "open",
            value: o,
        }));
    }
    let point = PricePoint {
        timestamp,
        close: number(&fields, layout.close, "close")?,
        high: optional(layout.high, "high")?,
        low: optional(layout.low, "low")?,
    };
    Ok((point, open))
}

/// Replaces a wick beyond `max_wick` of the body by the body's edge (see the module docs).
fn filter_wicks(
    mut p: PricePoint,
    open: Option<f64>,
    max_wick: f64,
    line: usize,
    bad: &mut Vec<BadPrint>,
) -> PricePoint {
    let o = open.unwrap_or(p.close);
    let (top, bottom) = (o.max(p.close), o.min(p.close));
    let factor = 1.0 + max_wick;
    let mut record = |column, value: f64, replaced_by: f64| {
        bad.push(BadPrint {
            line,
            timestamp: p.timestamp,
            column,
            value,
            replaced_by,
        });
        replaced_by
    };
    if let Some(h) = p.high.filter(|h| *h > top * factor) {
        p.high = Some(record("high", h, top));
    }
    if let Some(l) = p.low.filter(|l| *l < bottom / factor) {
        p.low = Some(record("low", l, bottom));
    }
    p
}

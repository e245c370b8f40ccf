//! CSV loading: accepted layouts, the shared data files, and every error case with its line.

use std::path::PathBuf;

use market_data::{load_csv, parse_csv, CsvError, CsvErrorKind, CsvOptions, SeriesError};

fn data_file(name: &str) -> PathBuf {
    // offchain/market-data -> offchain -> main -> work, then shared/data.
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name)
}

fn parse(text: &str) -> Result<market_data::PriceSeries, CsvError> {
    parse_csv("test.csv", text, &CsvOptions::default())
}

/// Asserts that parsing fails at `line`, that the message names the file and the line, and
/// returns the error kind for further checks.
fn fails_at(text: &str, line: usize) -> CsvErrorKind {
    let err = parse(text).expect_err("the CSV should be rejected");
    assert_eq!(err.line, Some(line), "wrong line for {err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("test.csv, line {line}: ")),
        "{msg}"
    );
    err.kind
}

#[test]
fn timestamp_close_layout_with_header_loads() {
    let s = parse("timestamp,close\n100,1.5\n160,1.6\n").unwrap();
    assert_eq!(s.timestamps(), vec![100, 160]);
    assert_eq!(s.closes(), vec![1.5, 1.6]);
    assert!(s.points()[0].high.is_none());
}

#[test]
fn columns_are_found_by_name_in_any_order() {
    let s = parse("Close, High ,Low,extra,timestamp_unix\n2.0,2.5,1.5,x,10\n").unwrap();
    assert_eq!(s.points()[0].close, 2.0);
    assert_eq!(s.points()[0].high, Some(2.5));
    assert_eq!(s.points()[0].timestamp, 10);
}

#[test]
fn headerless_two_and_five_column_layouts_load() {
    assert_eq!(parse("1,2.0\n2,3.0\n").unwrap().closes(), vec![2.0, 3.0]);
    let s = parse("1,2.0,2.2,1.9,2.1\n").unwrap();
    assert_eq!(s.closes(), vec![2.1]);
    assert_eq!(s.points()[0].low, Some(1.9));
}

#[test]
fn blank_lines_are_skipped_but_counted() {
    let kind = fails_at("timestamp,close\n\n1,2.0\n\n2,oops\n", 5);
    assert!(matches!(kind, CsvErrorKind::NotANumber { .. }));
}

#[test]
fn shared_data_files_load_with_expected_rows_and_extremes() {
    for (file, rows, max, min) in [
        (
            "ETHUSDT_perp_1m_2020-03-12_13_binance.csv",
            2880,
            195.46,
            85.06,
        ),
        (
            "ETHUSD_10m_2020-03-12_coinapi_stablesims.csv",
            144,
            194.52,
            106.59,
        ),
        (
            "ETHUSD_10m_2021-05-19_coinapi_stablesims.csv",
            144,
            3423.99,
            1944.91,
        ),
    ] {
        let s = load_csv(data_file(file)).unwrap();
        let closes = s.closes();
        assert_eq!(s.len(), rows, "{file}");
        assert_eq!(
            closes.iter().cloned().fold(f64::MIN, f64::max),
            max,
            "{file}"
        );
        assert_eq!(
            closes.iter().cloned().fold(f64::MAX, f64::min),
            min,
            "{file}"
        );
        assert_eq!(s.name(), file.trim_end_matches(".csv"));
    }
}

#[test]
fn binance_bad_print_high_is_replaced_and_reported_with_its_line() {
    let s = load_csv(data_file("ETHUSDT_perp_1m_2020-03-12_13_binance.csv")).unwrap();
    assert_eq!(s.bad_prints().len(), 1);
    let bad = &s.bad_prints()[0];
    assert_eq!(
        (bad.line, bad.timestamp, bad.column),
        (1601, 1_584_067_140, "high")
    );
    assert_eq!((bad.value, bad.replaced_by), (323.0, 117.44));
    let bar = s
        .points()
        .iter()
        .find(|p| p.timestamp == 1_584_067_140)
        .unwrap();
    assert_eq!((bar.close, bar.high), (117.44, Some(117.44)));
}

#[test]
fn real_crash_wicks_are_kept() {
    // CoinAPI 10-minute bar at 1584009600: low 124.05 under a 152.62 body (1.23x), a real wick.
    let s = load_csv(data_file("ETHUSD_10m_2020-03-12_coinapi_stablesims.csv")).unwrap();
    assert!(s.bad_prints().is_empty());
    let bar = s
        .points()
        .iter()
        .find(|p| p.timestamp == 1_584_009_600)
        .unwrap();
    assert_eq!(bar.low, Some(124.05));
}

#[test]
fn wick_filter_can_be_disabled() {
    let text = "timestamp,open,high,low,close\n1,100,400,99,101\n";
    let opts = CsvOptions {
        max_wick: f64::INFINITY,
    };
    let s = parse_csv("t.csv", text, &opts).unwrap();
    assert_eq!(s.points()[0].high, Some(400.0));
    assert!(parse(text).unwrap().bad_prints().len() == 1);
}

#[test]
fn empty_file_is_an_error_at_line_1() {
    assert_eq!(fails_at("", 1), CsvErrorKind::Empty);
    assert_eq!(fails_at("\n  \n", 1), CsvErrorKind::Empty);
}

#[test]
fn header_without_rows_is_an_error_after_the_header() {
    assert_eq!(fails_at("timestamp,close\n", 2), CsvErrorKind::Empty);
}

#[test]
fn header_without_close_column_is_an_error_at_line_1() {
    assert_eq!(
        fails_at("timestamp,open\n1,2\n", 1),
        CsvErrorKind::MissingHeaderColumn("close")
    );
    assert_eq!(
        fails_at("date,close\n1,2\n", 1),
        CsvErrorKind::MissingHeaderColumn("timestamp")
    );
}

#[test]
fn headerless_file_with_three_fields_is_an_unrecognised_layout() {
    assert_eq!(
        fails_at("1,2,3\n", 1),
        CsvErrorKind::UnrecognisedLayout { fields: 3 }
    );
}

#[test]
fn row_with_a_missing_column_names_it() {
    let kind = fails_at("timestamp,close\n1,2\n2\n", 3);
    assert_eq!(
        kind,
        CsvErrorKind::MissingField {
            column: "close".into(),
            found: 1
        }
    );
    assert!(matches!(
        fails_at("timestamp,close\n1,\n", 2),
        CsvErrorKind::MissingField { .. }
    ));
}

#[test]
fn non_numeric_price_and_timestamp_are_rejected() {
    assert!(matches!(
        fails_at("timestamp,close\n1,2\n2,abc\n", 3),
        CsvErrorKind::NotANumber { column, .. } if column == "close"
    ));
    assert!(matches!(
        fails_at("timestamp,close\n1.5,2\n", 2),
        CsvErrorKind::NotANumber { column, .. } if column == "timestamp"
    ));
    assert!(matches!(
        fails_at("timestamp,close\n-1,2\n", 2),
        CsvErrorKind::NotANumber { .. }
    ));
}

#[test]
fn non_positive_or_non_finite_prices_are_rejected() {
    for (text, column) in [
        ("timestamp,close\n1,2\n2,0\n", "close"),
        ("timestamp,close\n1,2\n2,-3.5\n", "close"),
        ("timestamp,close\n1,2\n2,NaN\n", "close"),
        ("timestamp,close\n1,2\n2,inf\n", "close"),
        (
            "timestamp,open,high,low,close\n1,1,1,1,1\n2,1,1,0,1\n",
            "low",
        ),
        (
            "timestamp,open,high,low,close\n1,1,1,1,1\n2,-1,1,1,1\n",
            "open",
        ),
    ] {
        match fails_at(text, 3) {
            CsvErrorKind::Invalid(SeriesError::NonPositivePrice { column: c, .. }) => {
                assert_eq!(c, column, "{text}")
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn timestamps_must_strictly_increase() {
    for text in [
        "timestamp,close\n10,2\n20,2\n20,3\n",
        "timestamp,close\n10,2\n20,2\n15,3\n",
    ] {
        assert!(matches!(
            fails_at(text, 4),
            CsvErrorKind::Invalid(SeriesError::NotIncreasing { previous: 20, .. })
        ));
    }
}

#[test]
fn close_outside_high_low_is_rejected() {
    assert!(matches!(
        fails_at("timestamp,open,high,low,close\n1,1,1.1,0.9,1.2\n", 2),
        CsvErrorKind::Invalid(SeriesError::InconsistentRange { .. })
    ));
}

#[test]
fn missing_file_error_names_the_file() {
    let err = load_csv("/nonexistent/prices.csv").unwrap_err();
    assert!(matches!(err.kind, CsvErrorKind::Io(_)));
    assert!(err
        .to_string()
        .starts_with("/nonexistent/prices.csv: cannot read file"));
}

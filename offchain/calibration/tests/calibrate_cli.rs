//! The `calibrate` binary: help, argument errors, CSV errors with their line, real runs.

use std::io::Write;
use std::process::{Command, Output};

fn calibrate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_calibrate"))
        .args(args)
        .output()
        .expect("the calibrate binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const BLACK_THURSDAY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ETHUSDT_perp_1m_2020-03-12_13_binance.csv"
);

#[test]
fn help_lists_the_flags() {
    let o = calibrate(&["--help"]);
    assert!(o.status.success());
    for flag in [
        "--csv",
        "--shape",
        "--horizon-seconds",
        "--confidence",
        "--weights",
    ] {
        assert!(stdout(&o).contains(flag), "{flag}");
    }
}

#[test]
fn argument_errors_are_named_and_exit_with_2() {
    for (args, expected) in [
        (vec![], "at least one --csv FILE or --shape NAME"),
        (
            vec!["--shape", "crash", "--bogus"],
            "unknown argument \"--bogus\"",
        ),
        (
            vec!["--shape", "crash", "--confidence", "99"],
            "--confidence expects a number in (0, 1)",
        ),
        (
            vec!["--shape", "crash", "--confidence"],
            "--confidence needs a value",
        ),
        (
            vec!["--shape", "crash", "--horizon-seconds", "ten"],
            "--horizon-seconds expects",
        ),
        (
            vec!["--shape", "crash", "--horizon-seconds", "400"],
            "shorter than oracle resolution",
        ),
        (vec!["--shape", "moon"], "unknown shape \"moon\""),
        (
            vec!["--shape", "crash", "--weights", "1,2"],
            "--weights has 2 values for 1 series",
        ),
        (
            vec!["--shape", "crash", "--measure", "cvar"],
            "--measure expects es or var",
        ),
    ] {
        let o = calibrate(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("--help"));
    }
}

#[test]
fn bad_csv_row_is_reported_with_file_and_line() {
    let dir = std::env::temp_dir().join(format!("calibrate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    write!(f, "timestamp,close\n1,100\n2,101\n3,-4\n").unwrap();
    let o = calibrate(&["--csv", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let msg = stderr(&o);
    assert!(
        msg.contains("bad.csv, line 4: close must be a positive finite price"),
        "{msg}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn black_thursday_run_prints_estimates_proposal_and_the_bad_print() {
    let o = calibrate(&["--csv", BLACK_THURSDAY, "--horizon-seconds", "600"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("line 1601: high 323 at 1584067140 treated as a bad print"));
    assert!(out.contains("resampled from 60 s to the 300 s oracle resolution"));
    assert!(out.contains("asset_weight_maint = (1 - L) / (1 + penalty)"));
    assert!(out.contains("auction parameters (global"));
}

#[test]
fn two_shapes_run_with_a_portfolio_section() {
    let o = calibrate(&[
        "--shape",
        "gbm",
        "--shape",
        "slow_bleed",
        "--seed",
        "9",
        "--confidence",
        "0.975",
        "--measure",
        "var",
        "--weights",
        "2,1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("== portfolio (cross-margin)"), "{out}");
    assert!(out.contains("confidence 97.5%; tail measure VaR"));
}

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

#[test]
fn backtest_flags_are_checked_before_any_run() {
    for (args, expected) in [
        (
            vec!["--shape", "crash", "--traders", "4"],
            "--traders shapes the backtest: give --backtest",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--leverage", "0.5,1"],
            "--leverage expects LO,HI with 0 < LO <= HI < 1",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--traders", "0"],
            "--traders expects a positive whole number, got 0",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--scales", "1,-2"],
            "--scales expects comma-separated positive numbers",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--hours", "-1"],
            "--hours expects a non-negative number of hours",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--step", "300"],
            "the 300 s grid is not shorter than the",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--late-share", "1"],
            "--late-share expects a number in [0, 1), got 1",
        ),
        (
            vec!["--shape", "crash", "--seeds", "3"],
            "--seeds shapes the backtest: give --backtest",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--seeds", "0"],
            "--seeds expects N, A..=B or S1,S2,...",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--seeds", "5..=2"],
            "--seeds expects N, A..=B or S1,S2,...",
        ),
        (
            vec!["--shape", "crash", "--backtest", "--seeds", "1,4,1"],
            "--seeds expects N, A..=B or S1,S2,... (distinct",
        ),
    ] {
        let o = calibrate(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn backtest_writes_the_table_and_the_frontier() {
    let dir = std::env::temp_dir().join(format!("calibrate-backtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prefix = dir.join("bt");
    // A quarter of an hour of the crash, two traders, the proposal alone: one short run.
    let o = calibrate(&[
        "--csv",
        BLACK_THURSDAY,
        "--backtest-out",
        prefix.to_str().unwrap(),
        "--scales",
        "1",
        "--traders",
        "2",
        "--skip-hours",
        "10.5",
        "--hours",
        "0.25",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("== backtest ETHUSDT_perp_1m_2020-03-12_13_binance: 0.2 h from t0 + 10.5 h on a 60 s grid, 2 traders"), "{out}");
    assert!(
        out.contains("| **proposal** | 0.8067 / 0.5238 | 2 |"),
        "{out}"
    );
    let md = std::fs::read_to_string(dir.join("bt.backtest.md")).unwrap();
    assert!(md.starts_with("# Backtest: ETHUSDT_perp_1m_2020-03-12_13_binance"));
    assert!(md.contains("![frontier](bt.frontier.svg)"));
    assert!(md.contains("Wall time per set: proposal "));
    let svg = std::fs::read_to_string(dir.join("bt.frontier.svg")).unwrap();
    assert_eq!(svg.matches("<circle").count(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn backtest_over_seeds_writes_the_statistics_and_each_seed() {
    let dir = std::env::temp_dir().join(format!("calibrate-seeds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prefix = dir.join("bt");
    // The quarter hour of the crash, two traders, the proposal alone, two seeds from --seed 3.
    let o = calibrate(&[
        "--csv",
        BLACK_THURSDAY,
        "--backtest-out",
        prefix.to_str().unwrap(),
        "--scales",
        "1",
        "--traders",
        "2",
        "--skip-hours",
        "10.5",
        "--hours",
        "0.25",
        "--seed",
        "3",
        "--seeds",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("keepers at 30 s, 120 s, seeds 3, 4"), "{out}");
    assert!(out.contains("| seeds with bad debt |"), "{out}");
    assert!(
        out.contains("| **proposal** | 0.8067 / 0.5238 | 2 |"),
        "both seeds open both traders: {out}"
    );
    assert!(out.contains(" of 2 |"), "{out}");
    let err = stderr(&o);
    assert!(
        err.contains("proposal, seed 3:") && err.contains("proposal, seed 4:"),
        "{err}"
    );
    let md = std::fs::read_to_string(dir.join("bt.backtest.md")).unwrap();
    assert!(md.contains("The proposal over 2 seeds: "), "{md}");
    assert!(md.contains("| parameters | seed 3 | seed 4 |"), "{md}");
    assert!(md.contains("- **seeds with bad debt**"), "{md}");
    assert!(md.contains("Wall time: 2 runs, "), "{md}");
    let svg = std::fs::read_to_string(dir.join("bt.frontier.svg")).unwrap();
    assert_eq!(svg.matches("<circle").count(), 1);
    assert!(svg.contains("proposal: mean bad debt"), "{svg}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn backtest_with_late_opens_runs_the_late_trader_on_its_own_from_its_open_time() {
    let dir = std::env::temp_dir().join(format!("calibrate-late-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prefix = dir.join("bt");
    // The quarter hour of the crash, two traders of which one opens late, the proposal alone.
    let o = calibrate(&[
        "--csv",
        BLACK_THURSDAY,
        "--backtest-out",
        prefix.to_str().unwrap(),
        "--scales",
        "1",
        "--traders",
        "2",
        "--skip-hours",
        "10.5",
        "--hours",
        "0.25",
        "--late-share",
        "0.5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("of the init maximum, 1 of them opening late, at 0."),
        "{out}"
    );
    assert!(
        out.contains("| **proposal** | 0.8067 / 0.5238 | 2 |"),
        "the late trader's account is counted with the other: {out}"
    );
    let md = std::fs::read_to_string(dir.join("bt.backtest.md")).unwrap();
    assert!(md.contains("Wall time per set: proposal "), "{md}");
    assert!(md.contains(" s in 2 runs."), "{md}");
    std::fs::remove_dir_all(dir).unwrap();
}

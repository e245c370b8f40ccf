//! The command line: bad arguments and bad CSV rows are errors that say what is wrong.

use simulator::cli::parse;

fn args(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

fn err(s: &str) -> String {
    parse(&args(s)).unwrap_err()
}

#[test]
fn bad_arguments_name_the_argument() {
    assert!(err("--traders ten").starts_with("--traders: \"ten\" is not a valid number"));
    assert!(err("--traders 0").starts_with("--traders: must be positive"));
    assert!(err("--step").starts_with("--step needs a value"));
    assert!(err("--seed --quiet").starts_with("--seed needs a value"));
    assert!(err("--frobnicate 3").starts_with("unknown argument \"--frobnicate\""));
    assert!(err("--shape moon").contains("unknown shape \"moon\""));
    assert!(err("--shape crash --csv x.csv").starts_with("--shape and --csv are exclusive"));
    assert!(err("--keepers 0:2").contains("margin 2 is not in [0, 1)"));
    assert!(err("--keepers 0:0.1:0").contains("slice 0 is not in (0, 1]"));
    assert!(err("--hours -1").starts_with("--hours: must be positive"));
    assert!(err("--help").starts_with("usage: simulate"));
}

#[test]
fn good_arguments_build_the_scenario() {
    let a = parse(&args(
        "--shape slow-bleed --seed 9 --traders 12 --lenders 3 --hours 2 --step 120 \
         --keepers 0:0.02,30:0.01:0.5 --no-governance --out o --quiet --timings \
         --compact-above 500",
    ))
    .unwrap();
    let s = &a.scenario;
    assert_eq!(
        (s.seed, s.traders, s.lenders, s.step_seconds),
        (9, 12, 3, 120)
    );
    assert_eq!(s.prices[0].len(), 61);
    assert_eq!(s.keepers.len(), 2);
    assert_eq!((s.keepers[1].latency, s.keepers[1].max_slice), (30, 0.5));
    assert!(s.governance.is_none());
    assert!(!s.attacker);
    assert_eq!((a.out.as_str(), a.quiet, a.timings), ("o", true, true));
    assert_eq!(a.compact_above, 500);
    let a = parse(&args("--shape oracle-attack --hours 1")).unwrap();
    assert_eq!(a.compact_above, simulator::COMPACT_ABOVE);
    assert!(a.scenario.attacker, "the oracle attack brings its attacker");
    let g = a.scenario.governance.unwrap();
    assert_eq!((g.apply_at, g.ramp_seconds), (1440, 900));
}

fn csv_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("sim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn bad_csv_rows_give_the_line_and_the_reason() {
    let path = csv_file("bad.csv", "timestamp,close\n1000,10.5\n1060,abc\n");
    let e = err(&format!("--csv {path}"));
    assert!(e.contains("line 3"), "{e}");
    assert!(e.contains("`close` is not a number: \"abc\""), "{e}");
    let path = csv_file("neg.csv", "timestamp,close\n1000,10.5\n1060,11\n1120,-2\n");
    let e = err(&format!("--csv {path}"));
    assert!(e.contains("line 4"), "{e}");
    let e = err("--csv /nonexistent/prices.csv");
    assert!(e.contains("cannot read file"), "{e}");
}

#[test]
fn a_csv_of_real_prices_is_replayed_on_its_grid() {
    let path = csv_file(
        "good.csv",
        "timestamp,close\n1000,10\n1060,11\n1120,12\n1180,11.5\n",
    );
    let a = parse(&args(&format!("--csv {path}"))).unwrap();
    assert_eq!(a.scenario.prices[0], vec![10.0, 11.0, 12.0, 11.5]);
    assert_eq!(a.scenario.step_seconds, 60);
    let a = parse(&args(&format!("--csv {path} --hours 0.02"))).unwrap();
    assert_eq!(a.scenario.prices[0].len(), 2, "the first 72 s");
}

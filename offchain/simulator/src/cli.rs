//! The `simulate` command line: every bad argument is an error naming it, every bad CSV row an
//! error naming its file, line and reason.

use std::io::{IsTerminal, Write};

use market_data::{PathParams, PriceSeries, Shape};

use crate::{output, KeeperSpec, Scenario};

pub const USAGE: &str =
    "usage: simulate [--shape crash|crash-and-recovery|slow-bleed|oracle-attack|gbm | --csv FILE]
                [--seed N] [--traders N] [--lenders N] [--hours H] [--step SECONDS]
                [--keepers LATENCY[:MARGIN[:SLICE]],...] [--no-governance] [--attacker]
                [--out DIR] [--quiet] [--timings] [--compact-above ENTRIES]

  --shape      built-in price path of asset 0 (default crash: -50 % over 10 minutes at 25 %)
  --csv        real prices, `timestamp,close` or `timestamp_unix,open,high,low,close` rows
  --hours      length of the run (default 6; with --csv: the first H hours of the file)
  --step       seconds between price points (default 60; with --csv: the file's, or resampled)
  --keepers    competing keepers: latency in seconds, discount to the market it waits for
               (default 0.01) and share of the lot it takes at once (default 1), e.g.
               0:0.03,60:0.01:0.25,300:0 (default: that set)
  --no-governance  no mid-run haircut change (default: asset 0 tightened by 5 points at 40 %
               of the run through the timelock, ramped over a quarter of the run)
  --attacker   an attacker borrows against asset 0 while it is pumped (on with oracle-attack)
  --out        directory of report.json and the SVG charts (default target/sim)
  --quiet      no progress bar
  --timings    one line on stderr per step: wall and CPU time since the start and of the step (the first step's includes deploying and opening the accounts)
  --compact-above  host storage entries above which the run moves them to its own ledger and
               continues on a fresh host (default 400; 0 never: every write then costs in
               proportion to the whole ledger)";

/// Parsed command line.
#[derive(Debug)]
pub struct Args {
    pub scenario: Scenario,
    pub out: String,
    pub quiet: bool,
    /// Per-step wall times on stderr.
    pub timings: bool,
    /// [`crate::run_compacting`]'s threshold.
    pub compact_above: usize,
    /// Where the prices come from (for the summary).
    pub source: String,
}

fn number<T: std::str::FromStr>(v: &str, flag: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: {v:?} is not a valid number\n{USAGE}"))
}

fn positive<T: std::str::FromStr + PartialOrd + Default>(v: &str, flag: &str) -> Result<T, String> {
    let n: T = number(v, flag)?;
    if n <= T::default() {
        return Err(format!("{flag}: must be positive, got {v}"));
    }
    Ok(n)
}

/// `LATENCY[:MARGIN[:SLICE]]`.
fn keeper(spec: &str) -> Result<KeeperSpec, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() > 3 || parts[0].is_empty() {
        return Err(format!(
            "--keepers: {spec:?} is not LATENCY[:MARGIN[:SLICE]]"
        ));
    }
    let mut k = KeeperSpec::new(number(parts[0], "--keepers latency")?);
    if let Some(m) = parts.get(1) {
        k.min_margin = number(m, "--keepers margin")?;
        if !(0.0..1.0).contains(&k.min_margin) {
            return Err(format!("--keepers: margin {m} is not in [0, 1)"));
        }
    }
    if let Some(s) = parts.get(2) {
        k.max_slice = number(s, "--keepers slice")?;
        if !(k.max_slice > 0.0 && k.max_slice <= 1.0) {
            return Err(format!("--keepers: slice {s} is not in (0, 1]"));
        }
    }
    k.name = format!(
        "{}s/{}%/{}",
        k.latency,
        k.min_margin * 100.0,
        if k.max_slice >= 1.0 {
            "whole".to_string()
        } else {
            format!("{}%", k.max_slice * 100.0)
        }
    );
    Ok(k)
}

/// Parses `args` (without the program name).
///
/// # Errors
/// The message names the argument (or the CSV file, line and reason) and repeats the usage.
pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut scenario = Scenario::default();
    let (mut shape, mut csv) = (None, None);
    let (mut hours, mut step): (Option<f64>, Option<u64>) = (None, None);
    let (mut governance, mut attacker) = (true, false);
    let (mut out, mut quiet, mut timings, mut i) = ("target/sim".to_string(), false, false, 0);
    let mut compact_above = crate::COMPACT_ABOVE;
    while i < args.len() {
        let flag = args[i].as_str();
        match flag {
            "--quiet" => quiet = true,
            "--timings" => timings = true,
            "--no-governance" => governance = false,
            "--attacker" => attacker = true,
            "--help" | "-h" => return Err(USAGE.to_string()),
            "--shape" | "--csv" | "--seed" | "--traders" | "--lenders" | "--hours" | "--step"
            | "--out" | "--keepers" | "--compact-above" => {
                let v = args
                    .get(i + 1)
                    .map(String::as_str)
                    .filter(|v| !v.starts_with("--"))
                    .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
                match flag {
                    "--shape" => {
                        shape = Some(Shape::from_name(v).map_err(|e| format!("--shape: {e}"))?)
                    }
                    "--csv" => csv = Some(v.to_string()),
                    "--seed" => scenario.seed = number(v, flag)?,
                    "--traders" => scenario.traders = positive(v, flag)?,
                    "--lenders" => scenario.lenders = number(v, flag)?,
                    "--hours" => {
                        let h: f64 = positive(v, flag)?;
                        if !h.is_finite() || h > 24.0 * 365.0 {
                            return Err(format!("--hours: {v} is out of range (0, 8760]"));
                        }
                        hours = Some(h);
                    }
                    "--step" => step = Some(positive(v, flag)?),
                    "--out" => out = v.to_string(),
                    "--compact-above" => compact_above = number(v, flag)?,
                    _ => scenario.keepers = v.split(',').map(keeper).collect::<Result<_, _>>()?,
                }
                i += 1;
            }
            _ => return Err(format!("unknown argument {flag:?}\n{USAGE}")),
        }
        i += 1;
    }
    if shape.is_some() && csv.is_some() {
        return Err(format!("--shape and --csv are exclusive\n{USAGE}"));
    }
    let (series, source) = match csv {
        Some(path) => {
            let mut s = market_data::load_csv(&path).map_err(|e| e.to_string())?;
            if let Some(st) = step {
                s = s.resample(st).map_err(|e| format!("--step: {e}"))?;
            }
            if let Some(h) = hours {
                s = truncate(&s, (h * 3600.0) as u64)?;
            }
            (s, path)
        }
        None => {
            let shape = shape.unwrap_or(Shape::Crash {
                drop: 0.5,
                at: 0.25,
                over_seconds: 600,
            });
            attacker |= matches!(shape, Shape::OracleAttack { .. });
            let params = PathParams {
                duration_seconds: (hours.unwrap_or(6.0) * 3600.0) as u64,
                step_seconds: step.unwrap_or(60),
                ..PathParams::default()
            };
            let s = shape
                .generate(&params, scenario.seed)
                .map_err(|e| format!("price path: {e}"))?;
            (s, format!("shape {}", shape.name()))
        }
    };
    let step_seconds = series
        .step_seconds()
        .ok_or_else(|| format!("{source}: the prices are not evenly spaced; pass --step"))?;
    scenario.step_seconds = step_seconds;
    scenario.prices = vec![series.closes()];
    scenario.attacker = attacker;
    if governance {
        scenario.governance = Some(Scenario::default_governance(series.duration_seconds()));
    }
    Ok(Args {
        scenario,
        out,
        quiet,
        timings,
        compact_above,
        source,
    })
}

fn truncate(s: &PriceSeries, seconds: u64) -> Result<PriceSeries, String> {
    let start = s.points().first().map_or(0, |p| p.timestamp);
    let points: Vec<_> = s
        .points()
        .iter()
        .filter(|p| p.timestamp <= start + seconds)
        .cloned()
        .collect();
    PriceSeries::new(s.name(), points).map_err(|e| format!("--hours: {e}"))
}

/// A progress bar on stderr: `[#####.....] step/steps elapsed`.
fn bar(step: usize, steps: usize, started: std::time::Instant) {
    let width = 30;
    let done = (step + 1) * width / steps.max(1);
    let _ = write!(
        std::io::stderr(),
        "\r[{}{}] {}/{steps} steps, {:.0} s",
        "#".repeat(done),
        ".".repeat(width - done),
        step + 1,
        started.elapsed().as_secs_f64()
    );
}

/// CPU time the simulator's thread has run (Linux `/proc/self/schedstat`, nanoseconds on a
/// CPU; NaN elsewhere): on a shared machine the wall time also counts other processes' turns.
pub(crate) fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(f64::NAN, |ns| ns as f64 * 1e-9)
}

/// Runs the command.
///
/// # Errors
/// A bad argument, a bad CSV row, a failed run or an unwritable output directory.
pub fn main(args: &[String]) -> Result<(), String> {
    let a = parse(args)?;
    let started = std::time::Instant::now();
    let show = !a.quiet && std::io::stderr().is_terminal();
    let mut last = usize::MAX;
    let (mut step_done, mut step_cpu) = (0.0, 0.0);
    let report = crate::run_compacting(&a.scenario, a.compact_above, &mut |s, n| {
        if a.timings {
            let now = started.elapsed().as_secs_f64();
            let cpu = cpu_seconds();
            eprintln!(
                "step {}/{n}: {now:.1} s, this step {:.1} s (CPU {cpu:.1} s, this step {:.1} s)",
                s + 1,
                now - step_done,
                cpu - step_cpu
            );
            (step_done, step_cpu) = (now, cpu);
        }
        let pct = (s + 1) * 100 / n.max(1);
        if show && pct != last {
            last = pct;
            bar(s, n, started);
        }
    })
    .map_err(|e| e.to_string())?;
    if show {
        eprintln!();
    }
    let secs = started.elapsed().as_secs_f64();
    println!("prices: {}", a.source);
    print!("{}", output::summary(&report, secs));
    println!(
        "throughput: {:.1} accounts/s ({} accounts, {} steps, {:.1} s)",
        report.accounts as f64 / secs.max(1e-9),
        report.accounts,
        report.steps.len(),
        secs
    );
    output::write_all(&report, &a.out).map_err(|e| format!("writing {}: {e}", a.out))?;
    println!("report: {}/report.json, charts: {}/*.svg", a.out, a.out);
    Ok(())
}

//! Argument parsing for `simulate`: every bad argument is an error naming it.

use market_data::{PathParams, Shape};

use crate::{output, Scenario};

pub const USAGE: &str =
    "usage: simulate [--shape crash|crash-and-recovery|slow-bleed|oracle-attack|gbm | --csv FILE]
                [--seed N] [--traders N] [--lenders N] [--hours H] [--step SECONDS]
                [--keepers LATENCY,LATENCY,...] [--out DIR] [--quiet]";

/// Parsed command line.
pub struct Args {
    pub scenario: Scenario,
    pub out: String,
    pub quiet: bool,
}

fn value<'a>(args: &'a [String], i: usize, flag: &str) -> Result<&'a str, String> {
    args.get(i + 1)
        .map(|s| s.as_str())
        .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
}

fn number<T: std::str::FromStr>(v: &str, flag: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: '{v}' is not a valid number\n{USAGE}"))
}

/// Parses `args` (without the program name).
pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut scenario = Scenario::default();
    let (mut shape, mut csv) = (None, None);
    let mut params = PathParams {
        duration_seconds: 6 * 3600,
        ..PathParams::default()
    };
    let (mut out, mut quiet, mut i) = ("target/sim".to_string(), false, 0);
    while i < args.len() {
        let flag = args[i].as_str();
        match flag {
            "--quiet" => quiet = true,
            "--help" | "-h" => return Err(USAGE.to_string()),
            _ => {
                let v = value(args, i, flag)?;
                match flag {
                    "--shape" => {
                        shape = Some(Shape::from_name(v).map_err(|e| format!("--shape: {e}"))?)
                    }
                    "--csv" => csv = Some(v.to_string()),
                    "--seed" => scenario.seed = number(v, flag)?,
                    "--traders" => scenario.traders = number(v, flag)?,
                    "--lenders" => scenario.lenders = number(v, flag)?,
                    "--hours" => params.duration_seconds = number::<u64>(v, flag)? * 3600,
                    "--step" => params.step_seconds = number(v, flag)?,
                    "--out" => out = v.to_string(),
                    "--keepers" => {
                        scenario.keepers = v
                            .split(',')
                            .map(|l| number(l, flag).map(crate::KeeperSpec::new))
                            .collect::<Result<_, _>>()?
                    }
                    _ => return Err(format!("unknown argument '{flag}'\n{USAGE}")),
                }
                i += 1;
            }
        }
        i += 1;
    }
    if shape.is_some() && csv.is_some() {
        return Err(format!("--shape and --csv are exclusive\n{USAGE}"));
    }
    if params.step_seconds == 0 {
        return Err("--step must be positive".into());
    }
    let series = match csv {
        Some(path) => market_data::load_csv(&path).map_err(|e| e.to_string())?,
        None => shape
            .unwrap_or(Shape::from_name("crash").map_err(|e| e.to_string())?)
            .generate(&params, scenario.seed)
            .map_err(|e| e.to_string())?,
    };
    scenario.step_seconds = series.step_seconds().unwrap_or(params.step_seconds);
    scenario.prices = vec![series.closes()];
    Ok(Args {
        scenario,
        out,
        quiet,
    })
}

/// Runs the command.
pub fn main(args: &[String]) -> Result<(), String> {
    let a = parse(args)?;
    let steps = a.scenario.prices[0].len();
    let started = std::time::Instant::now();
    let quiet = a.quiet;
    let report = crate::run_with_progress(&a.scenario, &mut |s| {
        if !quiet && (s % 20 == 0 || s + 1 == steps) {
            eprint!("\rstep {}/{steps}", s + 1);
        }
    })
    .map_err(|e| e.to_string())?;
    eprintln!();
    let secs = started.elapsed().as_secs_f64();
    println!("{}", output::summary(&report, secs));
    output::write_all(&report, &a.out).map_err(|e| format!("writing {}: {e}", a.out))?;
    println!("report: {}/report.json, charts: {}/*.svg", a.out, a.out);
    Ok(())
}

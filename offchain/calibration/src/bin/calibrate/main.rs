//! `calibrate`: load price series (CSV files or built-in shapes), estimate their volatility and
//! liquidation-horizon tails, and print a proposal of asset config and auction parameters with
//! the reasoning for each figure. Run with `--help` for the flags.

mod args;

use std::process::ExitCode;

use calibration::propose;
use market_data::{load_csv, PathParams, PriceSeries, Shape};

use args::{Command, Source, HELP};

fn load(sources: &[Source], seed: u64) -> Result<Vec<PriceSeries>, String> {
    sources
        .iter()
        .zip(0u64..)
        .map(|(source, i)| match source {
            Source::Csv(path) => load_csv(path).map_err(|e| e.to_string()),
            // Each shape gets its own noise stream, so two shapes are not perfectly correlated.
            Source::Shape(name) => Shape::from_name(name)
                .and_then(|s| s.generate(&PathParams::default(), seed.wrapping_add(i)))
                .map_err(|e| format!("--shape {name}: {e}")),
        })
        .collect()
}

fn run(argv: &[String]) -> Result<(), String> {
    let args = match args::parse(argv)? {
        Command::Help => {
            print!("{HELP}");
            return Ok(());
        }
        Command::Run(args) => args,
    };
    let series = load(&args.sources, args.seed)?;
    for s in &series {
        for bad in s.bad_prints() {
            println!(
                "note: {}, line {}: {} {} at {} treated as a bad print, kept as {} (closes are \
                 never altered)",
                s.name(),
                bad.line,
                bad.column,
                bad.value,
                bad.timestamp,
                bad.replaced_by
            );
        }
    }
    let proposal = propose(&series, &args.config).map_err(|e| e.to_string())?;
    print!("{proposal}");
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}\n(run `calibrate --help` for usage)");
            ExitCode::from(2)
        }
    }
}

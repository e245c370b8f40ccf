//! `calibrate`: load price series (CSV files or built-in shapes), estimate their volatility and
//! liquidation-horizon tails, and print a proposal of asset config and auction parameters with
//! the reasoning for each figure. Run with `--help` for the flags.

mod args;

use std::process::ExitCode;

use calibration::governance::{proposal_file, DeploymentBase, FileOptions};
use calibration::{propose, Proposal};
use market_data::{load_csv, PathParams, PriceSeries, Shape};

use args::{Command, FileArgs, Source, HELP};

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
    if let Some(file) = &args.file {
        write_file(&proposal, file, &args.sources, args.seed)?;
    }
    Ok(())
}

/// Writes the governance file and prints how to queue it.
fn write_file(
    proposal: &Proposal,
    file: &FileArgs,
    sources: &[Source],
    seed: u64,
) -> Result<(), String> {
    let base = DeploymentBase::load(&file.base_config).map_err(|e| e.to_string())?;
    let symbols = proposal
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let explicit = file.symbols.as_ref().map(|s| s[i].as_str());
            base.symbol_for(&a.risk.name, explicit)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let options = FileOptions {
        ramp_duration: file.ramp_duration,
        sources: sources.iter().map(|s| s.describe(seed)).collect(),
    };
    let doc = proposal_file(proposal, &base, &symbols, &options).map_err(|e| e.to_string())?;
    std::fs::write(&file.out, doc.to_json()).map_err(|e| format!("{}: {e}", file.out))?;
    println!("\n== governance file {}", file.out);
    for (i, c) in doc.changes.iter().enumerate() {
        println!(
            "  change {}: {} on {} - {}",
            i + 1,
            c.change,
            c.contract,
            c.summary
        );
    }
    println!(
        "  queue it: scripts/governance.sh queue --proposal {} --network testnet --source admin \
         --dry-run",
        file.out
    );
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

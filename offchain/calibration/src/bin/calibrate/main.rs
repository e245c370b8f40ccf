//! `calibrate`: load price series (CSV files or built-in shapes), estimate their volatility and
//! liquidation-horizon tails, and print a proposal of asset config and auction parameters with
//! the reasoning for each figure; with `--backtest`, run the proposal and alternatives through
//! the protocol simulator. Run with `--help` for the flags.

mod args;

use std::cell::RefCell;
use std::process::ExitCode;
use std::time::Instant;

use calibration::backtest::late::{late_open_steps, late_traders};
use calibration::backtest::{
    alternatives, backtest, backtest_seeds, frontier_seeds_svg, frontier_svg, per_seed_table,
    price_grid, seeds_table, table, BacktestConfig, Candidate, Metrics, ProtocolSimulator,
    RunOutcome, RunSpec, SeedBacktest, Simulate,
};
use calibration::governance::{proposal_file, DeploymentBase, FileOptions};
use calibration::{propose, Proposal};
use market_data::{load_csv, PathParams, PriceSeries, Shape};

use args::{BacktestArgs, Command, FileArgs, Source, HELP};

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
    if let Some(bt) = &args.backtest {
        for (i, s) in series.iter().enumerate() {
            run_backtest(&proposal, i, s, bt, series.len() > 1)?;
        }
    }
    Ok(())
}

/// The protocol simulator, timing each run and telling the terminal as it goes (a run of a
/// day of history takes a while).
struct Timed {
    inner: ProtocolSimulator,
    /// Each run's label, seed and wall time in seconds.
    seconds: RefCell<Vec<(String, u64, f64)>>,
}

impl Simulate for Timed {
    fn simulate(&self, spec: &RunSpec<'_>) -> Result<RunOutcome, String> {
        let label = &spec.candidate.label;
        eprintln!("  running {label}, seed {} ...", spec.seed);
        let start = Instant::now();
        let out = self.inner.simulate(spec);
        let secs = start.elapsed().as_secs_f64();
        eprintln!("  {label}, seed {}: {secs:.1} s", spec.seed);
        self.seconds
            .borrow_mut()
            .push((label.clone(), spec.seed, secs));
        out
    }
}

/// The keeper latencies as a reader takes them: `30 s and 120 s`.
fn latencies(config: &BacktestConfig) -> String {
    let l: Vec<String> = config
        .keeper_latencies
        .iter()
        .map(|s| format!("{s} s"))
        .collect();
    l.join(", ")
}

/// Backtests series `i` with its proposed config as the collateral (once, or once per seed of
/// `--seeds`); prints the table and writes the files when asked.
fn run_backtest(
    proposal: &Proposal,
    i: usize,
    series: &PriceSeries,
    bt: &BacktestArgs,
    several: bool,
) -> Result<(), String> {
    let config = &bt.config;
    let candidates: Vec<Candidate> = alternatives(proposal, &config.scales)
        .iter()
        .filter_map(|c| c.for_asset(i))
        .collect();
    let sim = Timed {
        inner: ProtocolSimulator::default(),
        seconds: RefCell::new(Vec::new()),
    };
    let seeds = match &bt.seeds {
        Some(s) => format!("seeds {}", seed_names(s)),
        None => format!("seed {}", config.seed),
    };
    let window = window(series, config, &seeds, bt.seeds.is_none());
    println!("\n== backtest {}: {window}", series.name());
    let base = bt.out.as_ref().map(|prefix| {
        if several {
            format!("{prefix}.{}", series.name())
        } else {
            prefix.clone()
        }
    });
    let title = |what: &str| {
        format!(
            "{}: {what} vs capital efficiency (keepers at {})",
            series.name(),
            latencies(config)
        )
    };
    let (tab, svg_doc, summary) = match &bt.seeds {
        None => {
            let rows = backtest(&candidates, series, config, &sim).map_err(|e| e.to_string())?;
            let tab = table(&rows);
            print!("{tab}");
            let svg = frontier_svg(&rows, &title("bad debt"));
            (tab, svg, proposal_line(&rows))
        }
        Some(seeds) => {
            let run = backtest_seeds(&candidates, series, config, seeds, &sim)
                .map_err(|e| e.to_string())?;
            let tab = seeds_table(&run.stats);
            print!("{tab}");
            let svg = frontier_seeds_svg(&run.stats, &title("mean bad debt (whisker: min-max)"));
            (tab, svg, seeds_summary(&run))
        }
    };
    let times = sim.seconds.into_inner();
    if let Some(base) = base {
        let svg = format!("{base}.frontier.svg");
        std::fs::write(&svg, svg_doc).map_err(|e| format!("{svg}: {e}"))?;
        let md = format!("{base}.backtest.md");
        let doc = document(series, &window, bt, &tab, &summary, &times, &svg);
        std::fs::write(&md, doc).map_err(|e| format!("{md}: {e}"))?;
        println!("wrote {md} and {svg}");
    }
    Ok(())
}

/// `1-5` for a run of consecutive seeds, else `1, 4, 9`.
fn seed_names(seeds: &[u64]) -> String {
    let consecutive = seeds.windows(2).all(|w| w[1] == w[0] + 1);
    match (seeds.first(), seeds.last()) {
        (Some(a), Some(b)) if consecutive && seeds.len() > 2 => format!("{a}-{b}"),
        _ => {
            let s: Vec<String> = seeds.iter().map(u64::to_string).collect();
            s.join(", ")
        }
    }
}

/// The proposal's row in words.
fn proposal_line(rows: &[Metrics]) -> String {
    rows.iter()
        .find(|r| r.is_proposal)
        .map(|p| {
            format!(
                "The proposal: {} liquidations of {} accounts ({} unnecessary), bad debt {:.2} \
                 USD, capital efficiency {:.4} (borrowing power per unit of collateral value).\n\n",
                p.liquidations, p.accounts, p.unnecessary, p.bad_debt, p.capital_efficiency
            )
        })
        .unwrap_or_default()
}

/// The proposal's statistics in words, and the per-seed table.
fn seeds_summary(run: &SeedBacktest) -> String {
    let mut out = String::new();
    if let Some(p) = run.stats.iter().find(|s| s.is_proposal) {
        out += &format!(
            "The proposal over {} seeds: {:.1} liquidations on average ({:.0}-{:.0}), {:.1} \
             unnecessary ({:.0}-{:.0}); bad debt on {} of {} seeds (mean {:.2} USD, worst \
             {:.2} USD); capital efficiency {:.4} (borrowing power per unit of collateral \
             value).\n\n",
            p.seeds,
            p.liquidations.mean,
            p.liquidations.min,
            p.liquidations.max,
            p.unnecessary.mean,
            p.unnecessary.min,
            p.unnecessary.max,
            p.seeds_with_bad_debt,
            p.seeds,
            p.bad_debt.mean,
            p.bad_debt.max,
            p.capital_efficiency
        );
    }
    out += "Each seed, liquidations (unnecessary) / bad debt in USD:\n\n";
    out += &per_seed_table(run);
    out.push('\n');
    out
}

/// What the runs covered, in words; with `one_seed`, the late traders' open times.
fn window(series: &PriceSeries, config: &BacktestConfig, seeds: &str, one_seed: bool) -> String {
    let (Some(first), Some(last)) = (series.points().first(), series.points().last()) else {
        return String::new();
    };
    let start = first.timestamp + config.skip_seconds;
    let end = config
        .duration_seconds
        .map_or(last.timestamp, |d| (start + d).min(last.timestamp));
    let late = late_traders(config.traders, config.late_share);
    let opening = if late == 0 {
        String::new()
    } else if one_seed {
        let points = price_grid(series, config).map_or(0, |g| g.len());
        let at: Vec<String> =
            late_open_steps(config.traders, config.late_share, points, config.seed)
                .iter()
                .map(|&k| format!("{:.2} h", (k as u64 * config.step_seconds) as f64 / 3600.0))
                .collect();
        format!(", {late} of them opening late, at {}", at.join(", "))
    } else {
        format!(", {late} of them opening late at random times (drawn per seed)")
    };
    format!(
        "{:.1} h from t0 + {:.1} h on a {} s grid, {} traders ({:.0} % long, leverage {:.2}-{:.2} \
         of the init maximum{opening}), {} lenders, keepers at {}, {seeds}",
        end.saturating_sub(start) as f64 / 3600.0,
        config.skip_seconds as f64 / 3600.0,
        config.step_seconds,
        config.traders,
        config.long_share * 100.0,
        config.leverage.0,
        config.leverage.1,
        config.lenders,
        latencies(config),
    )
}

/// The committed record of a backtest: what ran, the table, what the columns mean, run times.
fn document(
    series: &PriceSeries,
    window: &str,
    bt: &BacktestArgs,
    tab: &str,
    summary: &str,
    times: &[(String, u64, f64)],
    svg: &str,
) -> String {
    let svg_name = std::path::Path::new(svg)
        .file_name()
        .map_or_else(|| svg.to_string(), |n| n.to_string_lossy().into_owned());
    let command: Vec<String> = std::env::args()
        .skip(1)
        .map(|a| match std::path::Path::new(&a).file_name() {
            Some(n) if a.ends_with(".csv") => format!("../shared/data/{}", n.to_string_lossy()),
            _ => a,
        })
        .collect();
    let mut doc = format!(
        "# Backtest: {}\n\nGenerated by `calibrate {}`.\n\n{window}.\n\n{tab}\n![frontier]({svg_name})\n\n",
        series.name(),
        command.join(" ")
    );
    doc += summary;
    doc += &format!(
        "- **bad debt**: debt left with no collateral behind it after the auctions, at the price \
         of its time: what the insurance fund covered plus what the vaults wrote off (**written \
         off**).\n\
         - **unnecessary**: liquidated accounts whose positions at the auction's start, left \
         alone, were back at maintenance within {} s.\n\
         - **capital efficiency**: debt a unit of collateral value supports at init health \
         (`asset_weight_init` of the collateral / `liab_weight_init` of the debt asset).\n\
         - **keeper profit**: what the keepers hold beyond their float at the end, at the last \
         spot (they sell what they take on the AMM at once).\n",
        bt.config.recovery_horizon_seconds
    );
    if bt.seeds.is_some() {
        doc += "- **seeds with bad debt**: of the seeds run, those on which the set left any bad \
                debt. The other columns give the mean over the seeds and, in brackets, the \
                least and the most (one figure when every seed agrees); bad debt its mean and \
                its worst seed, written off its worst seed. Each seed draws another trader \
                population (collateral, leverage, long or short); the price path is the same.\n\n";
        let secs: Vec<f64> = times.iter().map(|(_, _, s)| *s).collect();
        let total: f64 = secs.iter().sum();
        let (lo, hi) = secs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
                (lo.min(*s), hi.max(*s))
            });
        doc += &format!(
            "Wall time: {} runs, {total:.0} s in all, {lo:.1}-{hi:.1} s per run.\n",
            times.len()
        );
    } else {
        // Per set, in run order: one run, or the main run and one per late trader.
        let mut sets: Vec<(&str, f64, usize)> = Vec::new();
        for (label, _, secs) in times {
            match sets.iter_mut().find(|(l, _, _)| l == label) {
                Some(set) => {
                    set.1 += secs;
                    set.2 += 1;
                }
                None => sets.push((label, *secs, 1)),
            }
        }
        let t: Vec<String> = sets
            .iter()
            .map(|(l, s, n)| match n {
                1 => format!("{l} {s:.1} s"),
                _ => format!("{l} {s:.1} s in {n} runs"),
            })
            .collect();
        doc += &format!("\nWall time per set: {}.\n", t.join(", "));
    }
    doc
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

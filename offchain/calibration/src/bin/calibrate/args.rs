//! Command-line arguments of `calibrate`, parsed by hand (a dozen flags do not need a parser
//! dependency), with errors that name the flag and the expected form.

use calibration::backtest::BacktestConfig;
use calibration::proposal::LiquidationHorizon;
use calibration::{ProposalConfig, TailMeasure};

/// Where prices come from, in command-line order.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A CSV file.
    Csv(String),
    /// A built-in shape by name.
    Shape(String),
}

impl Source {
    /// The source as a proposal names it: a CSV by its file name (no machine-specific
    /// directories in a committed file), a shape by its name and seed.
    pub fn describe(&self, seed: u64) -> String {
        match self {
            Source::Csv(path) => std::path::Path::new(path)
                .file_name()
                .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned()),
            Source::Shape(name) => format!("shape {name} (seed {seed})"),
        }
    }
}

/// Parsed arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    /// The price sources.
    pub sources: Vec<Source>,
    /// Seed of the synthetic shapes.
    pub seed: u64,
    /// The proposal configuration.
    pub config: ProposalConfig,
    /// The governance file to write, if asked.
    pub file: Option<FileArgs>,
    /// The backtest to run, if asked.
    pub backtest: Option<BacktestArgs>,
}

/// `--backtest` and the flags that shape it.
#[derive(Clone, Debug, PartialEq)]
pub struct BacktestArgs {
    /// What every run is given besides the parameters.
    pub config: BacktestConfig,
    /// Where to write `<PREFIX>.backtest.md` and `<PREFIX>.frontier.svg` (one series), or
    /// `<PREFIX>.<series>.backtest.md` and so on (several).
    pub out: Option<String>,
    /// `--seeds`: every set run once per seed, with statistics (`None`: one run on `--seed`).
    pub seeds: Option<Vec<u64>>,
}

/// `--proposal-out` and the flags that shape the governance file.
#[derive(Clone, Debug, PartialEq)]
pub struct FileArgs {
    /// Where to write the proposal JSON.
    pub out: String,
    /// The deployment config the current parameters are read from.
    pub base_config: String,
    /// One listed symbol per series (`None`: matched from the series names).
    pub symbols: Option<Vec<String>>,
    /// A new ramp duration in seconds.
    pub ramp_duration: Option<u64>,
}

/// Default `--base-config`: the testnet deployment config, relative to the repository root.
pub const DEFAULT_BASE_CONFIG: &str = "scripts/deploy/testnet.json";

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Print the help text.
    Help,
    /// Calibrate.
    Run(Box<Args>),
}

/// The help text.
pub const HELP: &str = "\
calibrate: estimate volatility and liquidation-horizon tails from price series and propose
asset weights, liability weights, liquidation penalty and auction parameters, with reasoning.

USAGE:
    calibrate (--csv FILE | --shape NAME)... [OPTIONS]

PRICES (at least one; each is one asset; repeat for a portfolio):
    --csv FILE               CSV with a header naming `timestamp` (or `timestamp_unix`) and
                             `close` columns, e.g. the files of shared/data
    --shape NAME             built-in path: crash, crash_and_recovery, slow_bleed, oracle_attack, gbm
    --seed N                 seed of the shapes' noise [default: 1]

LIQUIDATION HORIZON (h = oracle resolution + keeper latency + auction clearing):
    --horizon-seconds S      total h; the keeper latency is h - resolution - clearing
    --keeper-latency S       keeper latency instead of a total [default: 120]
    --oracle-resolution S    oracle resolution [default: 300]
    --clearing-seconds S     auction clearing-time target [default: 180]

RISK:
    --confidence C           confidence level in (0, 1) [default: 0.99]
    --measure es|var         tail measure of the weights [default: es]
    --ewma-lambda L          EWMA decay per sample, in [0, 1) [default: 0.94]
    --margin-call-window S   window of the init buffer, seconds [default: 3600]
    --weights W1,W2,...      portfolio value shares, one per series [default: equal]
    --native-step            estimate on the series' own step instead of resampling finer
                             data to the oracle resolution

GOVERNANCE FILE (format: docs/GOVERNANCE.md; queue it with scripts/governance.sh):
    --proposal-out FILE      write the proposal as a governance file: one asset-config change
                             per series, one auction-params change
    --base-config FILE       deployment config holding the current parameters, whose other
                             fields are copied [default: scripts/deploy/testnet.json]
    --symbols S1,S2,...      the listed asset of each series [default: the listed symbol the
                             series name starts with, e.g. ETHUSDT_... -> ETH]
    --ramp-days D            also change margin-account's ramp_duration (haircut ramps of the
                             tightened maint weights) to D days

BACKTEST (the proposal and tighter/looser alternatives through the simulator: the real
contracts in the in-process Soroban host; each series in turn as the collateral, against a
stable debt asset with the testnet USDC config; needs target/wasm from scripts/build-wasm.sh):
    --backtest               run it and print the table (liquidations, unnecessary ones, bad
                             debt, keeper profit, capital efficiency)
    --backtest-out PREFIX    also write PREFIX.backtest.md and PREFIX.frontier.svg (implies
                             --backtest; with several series PREFIX.<series>.backtest.md ...)
    --scales K1,K2,...       haircut scales of the alternatives, > 1 tighter, < 1 looser
                             [default: 0.5,0.75,1.25,1.5]
    --keepers S1,S2,...      keeper latencies in seconds, one keeper each [default: 30,120]
    --traders N              leveraged traders per run [default: 8]
    --lenders N              lenders per run [default: 2]
    --long-share X           share of traders long the collateral, in [0, 1] [default: 0.8]
    --leverage LO,HI         traders' leverage as fractions of the most init health allows,
                             0 < LO <= HI < 1 [default: 0.5,0.98]
    --step S                 price grid of the runs, seconds; keepers act at grid times, so it
                             must be shorter than the auction's way to its cusp [default: 60]
    --skip-hours H           hours of history skipped at the start [default: 0]
    --hours H                hours of history run [default: to the end]
    --recovery-seconds S     a liquidation is unnecessary when the account, left alone, is back
                             at maintenance within S seconds [default: 600]
    --late-share X           share of the traders that open at random times through the run
                             instead of at its start, in [0, 1); each is a simulator run of its
                             own from its open time [default: 0]
    --seeds N | A..=B | S1,S2,...
                             run every set once per seed (N: the N seeds from --seed on) and
                             report mean, min and max of each figure and the seeds with bad debt

    -h, --help               print this help
";

fn value<'a>(flag: &str, it: &mut impl Iterator<Item = &'a String>) -> Result<&'a str, String> {
    it.next()
        .map(String::as_str)
        .filter(|v| !v.starts_with("--"))
        .ok_or_else(|| format!("{flag} needs a value"))
}

fn number<T: std::str::FromStr>(flag: &str, text: &str, what: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag} expects {what}, got {text:?}"))
}

fn seconds(flag: &str, text: &str) -> Result<u64, String> {
    number(flag, text, "a whole number of seconds")
}

/// Parses the arguments after the program name.
///
/// # Errors
/// A message naming the flag at fault and what it expects.
pub fn parse(argv: &[String]) -> Result<Command, String> {
    let mut sources = Vec::new();
    let mut seed = 1;
    let mut config = ProposalConfig::default();
    let mut horizon = LiquidationHorizon::default();
    let (mut total, mut latency) = (None, None);
    let (mut out, mut base_config, mut symbols, mut ramp) = (None, None, None, None);
    let mut bt = BacktestConfig::default();
    let (mut backtest, mut backtest_out, mut backtest_flag) = (false, None, None);
    let mut seeds_text: Option<String> = None;
    let mut it = argv.iter();
    while let Some(arg) = it.next() {
        let flag = arg.as_str();
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--csv" => sources.push(Source::Csv(value(flag, &mut it)?.to_string())),
            "--shape" => sources.push(Source::Shape(value(flag, &mut it)?.to_string())),
            "--seed" => seed = number(flag, value(flag, &mut it)?, "an unsigned integer")?,
            "--horizon-seconds" => total = Some(seconds(flag, value(flag, &mut it)?)?),
            "--keeper-latency" => latency = Some(seconds(flag, value(flag, &mut it)?)?),
            "--oracle-resolution" => {
                horizon.oracle_resolution_seconds = seconds(flag, value(flag, &mut it)?)?
            }
            "--clearing-seconds" => {
                horizon.auction_clearing_seconds = seconds(flag, value(flag, &mut it)?)?
            }
            "--confidence" => config.confidence = confidence(value(flag, &mut it)?)?,
            "--measure" => config.measure = measure(value(flag, &mut it)?)?,
            "--ewma-lambda" => config.ewma_lambda = lambda(value(flag, &mut it)?)?,
            "--margin-call-window" => {
                config.margin_call_window_seconds = seconds(flag, value(flag, &mut it)?)?
            }
            "--native-step" => config.resample_to_oracle = false,
            "--weights" => config.portfolio_weights = Some(weights(value(flag, &mut it)?)?),
            "--proposal-out" => out = Some(value(flag, &mut it)?.to_string()),
            "--base-config" => base_config = Some(value(flag, &mut it)?.to_string()),
            "--symbols" => symbols = Some(symbol_list(value(flag, &mut it)?)),
            "--ramp-days" => ramp = Some(ramp_days(value(flag, &mut it)?)?),
            "--backtest" => backtest = true,
            "--backtest-out" => backtest_out = Some(value(flag, &mut it)?.to_string()),
            "--seeds" => {
                seeds_text = Some(value(flag, &mut it)?.to_string());
                backtest_flag.get_or_insert(flag);
            }
            "--scales" | "--keepers" | "--traders" | "--lenders" | "--long-share"
            | "--leverage" | "--step" | "--skip-hours" | "--hours" | "--recovery-seconds"
            | "--late-share" => {
                backtest_option(&mut bt, flag, value(flag, &mut it)?)?;
                backtest_flag.get_or_insert(flag);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if sources.is_empty() {
        return Err("give at least one --csv FILE or --shape NAME".into());
    }
    horizon.keeper_latency_seconds = keeper_latency(&horizon, total, latency)?;
    config.horizon = horizon;
    if let Some(w) = &config.portfolio_weights {
        if w.len() != sources.len() {
            return Err(format!(
                "--weights has {} values for {} series",
                w.len(),
                sources.len()
            ));
        }
    }
    if let Some(s) = &symbols {
        if s.len() != sources.len() {
            return Err(format!(
                "--symbols has {} values for {} series",
                s.len(),
                sources.len()
            ));
        }
    }
    let file = match out {
        Some(out) => Some(FileArgs {
            out,
            base_config: base_config.unwrap_or_else(|| DEFAULT_BASE_CONFIG.to_string()),
            symbols,
            ramp_duration: ramp,
        }),
        None if base_config.is_some() || symbols.is_some() || ramp.is_some() => {
            return Err(
                "--base-config, --symbols and --ramp-days shape the governance file: give \
                 --proposal-out FILE"
                    .into(),
            )
        }
        None => None,
    };
    let backtest = if backtest || backtest_out.is_some() {
        bt.seed = seed;
        Some(BacktestArgs {
            config: bt,
            out: backtest_out,
            seeds: seeds_text.map(|t| seed_list(&t, seed)).transpose()?,
        })
    } else if let Some(flag) = backtest_flag {
        return Err(format!("{flag} shapes the backtest: give --backtest"));
    } else {
        None
    };
    Ok(Command::Run(Box::new(Args {
        sources,
        seed,
        config,
        file,
        backtest,
    })))
}

fn list<T: std::str::FromStr>(flag: &str, text: &str, what: &str) -> Result<Vec<T>, String> {
    text.split(',')
        .map(|x| number::<T>(flag, x.trim(), what))
        .collect()
}

fn hours(flag: &str, text: &str) -> Result<u64, String> {
    let h: f64 = number(flag, text, "a number of hours")?;
    if h.is_finite() && h >= 0.0 {
        Ok((h * 3600.0).round() as u64)
    } else {
        Err(format!(
            "{flag} expects a non-negative number of hours, got {text}"
        ))
    }
}

/// One of the backtest's flags into `bt`.
fn backtest_option(bt: &mut BacktestConfig, flag: &str, text: &str) -> Result<(), String> {
    let positive = |n: usize| {
        if n == 0 {
            Err(format!(
                "{flag} expects a positive whole number, got {text}"
            ))
        } else {
            Ok(n)
        }
    };
    match flag {
        "--scales" => {
            bt.scales = list(flag, text, "comma-separated positive numbers")?;
            if bt.scales.iter().any(|k: &f64| !(k.is_finite() && *k > 0.0)) {
                return Err(format!(
                    "--scales expects comma-separated positive numbers, got {text:?}"
                ));
            }
        }
        "--keepers" => {
            bt.keeper_latencies = list(flag, text, "comma-separated whole seconds")?;
        }
        "--traders" => bt.traders = positive(number(flag, text, "a positive whole number")?)?,
        "--lenders" => bt.lenders = positive(number(flag, text, "a positive whole number")?)?,
        "--long-share" => {
            let x: f64 = number(flag, text, "a number in [0, 1]")?;
            if !(0.0..=1.0).contains(&x) {
                return Err(format!(
                    "--long-share expects a number in [0, 1], got {text}"
                ));
            }
            bt.long_share = x;
        }
        "--leverage" => {
            let v: Vec<f64> = list(flag, text, "LO,HI")?;
            match v[..] {
                [lo, hi] if lo > 0.0 && lo <= hi && hi < 1.0 => bt.leverage = (lo, hi),
                _ => {
                    return Err(format!(
                        "--leverage expects LO,HI with 0 < LO <= HI < 1, got {text:?}"
                    ))
                }
            }
        }
        "--step" => {
            bt.step_seconds = seconds(flag, text)?;
            if bt.step_seconds == 0 {
                return Err("--step expects a positive number of seconds, got 0".into());
            }
        }
        "--skip-hours" => bt.skip_seconds = hours(flag, text)?,
        "--hours" => bt.duration_seconds = Some(hours(flag, text)?),
        "--recovery-seconds" => bt.recovery_horizon_seconds = seconds(flag, text)?,
        "--late-share" => {
            let x: f64 = number(flag, text, "a number in [0, 1)")?;
            if !(0.0..1.0).contains(&x) {
                return Err(format!(
                    "--late-share expects a number in [0, 1), got {text}"
                ));
            }
            bt.late_share = x;
        }
        _ => return Err(format!("unknown argument {flag:?}")),
    }
    Ok(())
}

/// `--seeds`: `N` (the `N` seeds from `first` on), `A..=B` (inclusive) or `S1,S2,...`, without
/// repeats.
fn seed_list(text: &str, first: u64) -> Result<Vec<u64>, String> {
    let form = "N, A..=B or S1,S2,... (distinct unsigned integers)";
    let err = || format!("--seeds expects {form}, got {text:?}");
    let seeds: Vec<u64> = if let Some((a, b)) = text.split_once("..=") {
        let (a, b): (u64, u64) = (
            number("--seeds", a.trim(), form)?,
            number("--seeds", b.trim(), form)?,
        );
        if a > b {
            return Err(err());
        }
        (a..=b).collect()
    } else if text.contains(',') {
        list("--seeds", text, form)?
    } else {
        let n: u64 = number("--seeds", text.trim(), form)?;
        let end = first.checked_add(n).ok_or_else(err)?;
        (first..end).collect()
    };
    let mut sorted = seeds.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if seeds.is_empty() || sorted.len() != seeds.len() {
        return Err(err());
    }
    Ok(seeds)
}

fn symbol_list(text: &str) -> Vec<String> {
    text.split(',').map(|s| s.trim().to_string()).collect()
}

/// Days as whole seconds, within margin-account's limit of 90 days.
fn ramp_days(text: &str) -> Result<u64, String> {
    let d: f64 = number("--ramp-days", text, "a number of days")?;
    if (0.0..=90.0).contains(&d) {
        Ok((d * 86_400.0).round() as u64)
    } else {
        Err(format!(
            "--ramp-days expects 0 to 90 days (margin-account's limit), got {text}"
        ))
    }
}

fn keeper_latency(
    h: &LiquidationHorizon,
    total: Option<u64>,
    latency: Option<u64>,
) -> Result<u64, String> {
    let fixed = h.oracle_resolution_seconds + h.auction_clearing_seconds;
    match (total, latency) {
        (Some(_), Some(_)) => Err("give --horizon-seconds or --keeper-latency, not both".into()),
        (Some(t), None) if t < fixed => Err(format!(
            "--horizon-seconds {t} is shorter than oracle resolution {} s + clearing {} s",
            h.oracle_resolution_seconds, h.auction_clearing_seconds
        )),
        (Some(t), None) => Ok(t - fixed),
        (None, Some(l)) => Ok(l),
        (None, None) => Ok(h.keeper_latency_seconds),
    }
}

fn confidence(text: &str) -> Result<f64, String> {
    let c: f64 = number("--confidence", text, "a number in (0, 1)")?;
    if c > 0.0 && c < 1.0 {
        Ok(c)
    } else {
        Err(format!(
            "--confidence expects a number in (0, 1) such as 0.99, got {text}"
        ))
    }
}

fn measure(text: &str) -> Result<TailMeasure, String> {
    match text.to_ascii_lowercase().as_str() {
        "es" => Ok(TailMeasure::ExpectedShortfall),
        "var" => Ok(TailMeasure::ValueAtRisk),
        _ => Err(format!("--measure expects es or var, got {text:?}")),
    }
}

fn lambda(text: &str) -> Result<f64, String> {
    let l: f64 = number("--ewma-lambda", text, "a number in [0, 1)")?;
    if (0.0..1.0).contains(&l) {
        Ok(l)
    } else {
        Err(format!(
            "--ewma-lambda expects a number in [0, 1), got {text}"
        ))
    }
}

fn weights(text: &str) -> Result<Vec<f64>, String> {
    let w = text
        .split(',')
        .map(|x| number::<f64>("--weights", x.trim(), "comma-separated numbers"))
        .collect::<Result<Vec<f64>, String>>()?;
    if w.iter().any(|x| !(x.is_finite() && *x >= 0.0)) || w.iter().sum::<f64>() <= 0.0 {
        return Err(format!(
            "--weights expects non-negative numbers with a positive sum, got {text:?}"
        ));
    }
    Ok(w)
}

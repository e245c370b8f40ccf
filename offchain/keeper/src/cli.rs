//! The `keeper` command line: argument parsing, `ping`, and the keeper commands `run`, `once`
//! and `watch` on the RPC backend (config file: [`crate::cli_config`]).
//!
//! Parsing is hand-written: the surface is a few flags, and a CLI framework would be most of
//! the crate's build time.

use std::io::Write;

use serde_json::json;

use crate::backend::Backend;
use crate::cli_config::FileConfig;
use crate::keys::SecretKey;
use crate::logic::Keeper;
use crate::rpc::{ClientConfig, RpcClient};
use crate::rpc_backend::{RpcBackend, RpcConfig};

/// Environment variable read when `--secret` is not given.
pub const SECRET_ENV: &str = "KEEPER_SECRET";

/// The `--help` text.
pub const USAGE: &str = "\
keeper: liquidation keeper for the margin protocol

Usage: keeper [OPTIONS] <COMMAND>

Commands:
  ping    Check the RPC endpoint: print getHealth, getNetwork and getLatestLedger
          as JSON lines (one object per line)
  once    One keeper step (read events, start / take / reset / settle), then exit;
          one JSON line per decision on stdout
  run     Keeper steps every interval_secs until stopped; decisions on stdout
  watch   Margin calls as JSON lines: every account with init health < 1 <= maint
          health, then the --nearest others closest to liquidation, each with the
          price move that makes it liquidatable; --follow repeats every interval_secs

Options:
  --config <FILE>              Keeper config (JSON): rpc_url, network_passphrase,
                               margin_account, auction, oracle, state_file, start_ledger,
                               min_profit, patient_extra, interval_secs, secret_file, flash.
                               Needed by once, run and watch
  --nearest <N>                watch: how many accounts outside the zone to list (default 10)
  --follow                     watch: keep watching
  --rpc-url <URL>              Stellar RPC endpoint, e.g. https://soroban-testnet.stellar.org
  --network-passphrase <TEXT>  Network passphrase; ping fails if the node serves another network
  --secret <SEED>              Keeper secret seed (S...). Prefer the KEEPER_SECRET environment
                               variable: command lines are visible to other local users
  -h, --help                   Print this help
";

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Print the usage.
    Help,
    /// Check the RPC endpoint.
    Ping,
    /// One keeper step.
    Once,
    /// Keeper steps until stopped.
    Run,
    /// Margin calls.
    Watch,
}

/// Parsed command line.
#[derive(Debug, Clone)]
pub struct Cli {
    /// `--rpc-url`.
    pub rpc_url: Option<String>,
    /// `--network-passphrase`.
    pub network_passphrase: Option<String>,
    /// `--secret`, or the `KEEPER_SECRET` environment variable.
    pub secret: Option<SecretKey>,
    /// The command.
    pub command: Command,
    /// `--config`.
    pub config: Option<std::path::PathBuf>,
    /// `--nearest`.
    pub nearest: usize,
    /// `--follow`.
    pub follow: bool,
}

/// Parses `args` (without the program name); `env_secret` is the value of [`SECRET_ENV`].
///
/// # Errors
///
/// A message naming the bad argument: unknown flag or command, missing value or command, or
/// an invalid secret seed (the message never contains the seed).
pub fn parse_args<I>(args: I, env_secret: Option<String>) -> Result<Cli, String>
where
    I: IntoIterator<Item = String>,
{
    let mut cli = Cli {
        rpc_url: None,
        network_passphrase: None,
        secret: None,
        command: Command::Help,
        config: None,
        nearest: 10,
        follow: false,
    };
    let mut command = None;
    let mut secret = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(cli),
            "--rpc-url" => cli.rpc_url = Some(value("--rpc-url")?),
            "--network-passphrase" => cli.network_passphrase = Some(value("--network-passphrase")?),
            "--secret" => secret = Some(value("--secret")?),
            "--config" => cli.config = Some(value("--config")?.into()),
            "--nearest" => {
                let v = value("--nearest")?;
                cli.nearest = v
                    .parse()
                    .map_err(|_| format!("--nearest: not a count: {v:?}"))?;
            }
            "--follow" => cli.follow = true,
            "ping" if command.is_none() => command = Some(Command::Ping),
            "once" if command.is_none() => command = Some(Command::Once),
            "run" if command.is_none() => command = Some(Command::Run),
            "watch" if command.is_none() => command = Some(Command::Watch),
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            other => return Err(format!("unknown command {other:?}")),
        }
    }
    cli.command = command.ok_or("missing command (try --help)")?;
    if let Some(seed) = secret.or(env_secret) {
        cli.secret = Some(SecretKey::from_strkey(&seed).map_err(|e| e.to_string())?);
    }
    Ok(cli)
}

/// Runs `cli`, writing its output to `out`.
///
/// # Errors
///
/// A message for a missing `--rpc-url`, an unreachable or failing node, or a network
/// passphrase mismatch.
pub fn run(cli: &Cli, out: &mut impl Write) -> Result<(), String> {
    match cli.command {
        Command::Help => out.write_all(USAGE.as_bytes()).map_err(|e| e.to_string()),
        Command::Ping => ping(cli, out),
        Command::Once | Command::Run | Command::Watch => keeper_command(cli, out),
    }
}

fn keeper_command(cli: &Cli, out: &mut impl Write) -> Result<(), String> {
    let path = cli
        .config
        .as_ref()
        .ok_or("once, run and watch need --config <FILE>")?;
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("config {}: {e}", path.display()))?;
    let file = FileConfig::parse(&text)?;
    let secret = match &cli.secret {
        Some(s) => Some(s.clone()),
        None => file.secret()?,
    };
    let keeper_address = match &secret {
        Some(s) => s.account_strkey(),
        None if cli.command == Command::Watch => String::new(),
        None => return Err("no secret: --secret, KEEPER_SECRET or secret_file".into()),
    };
    let rpc = RpcConfig::new(file.rpc_url.clone(), file.network_passphrase.clone());
    let mut backend = RpcBackend::connect(rpc, secret).map_err(|e| e.to_string())?;
    let start_ledger = match file.start_ledger {
        0 => backend.latest_ledger().map_err(|e| e.to_string())?,
        n => n,
    };
    let config = file.keeper_config(keeper_address, start_ledger)?;
    let mut keeper = Keeper::new(backend, config)?.with_log(Box::new(std::io::sink()));
    let interval = std::time::Duration::from_secs(file.interval_secs);
    loop {
        match cli.command {
            Command::Watch => {
                for call in keeper.watch(cli.nearest).map_err(|e| e.to_string())? {
                    line(out, call.to_json())?;
                }
            }
            _ => match keeper.step() {
                Ok(report) => {
                    for d in &report.decisions {
                        line(out, d.to_json())?;
                    }
                }
                // `run` outlives a node's hiccup; `once` reports it.
                Err(e) if cli.command == Command::Run => {
                    line(out, json!({ "action": "error", "detail": e.to_string() }))?;
                }
                Err(e) => return Err(e.to_string()),
            },
        }
        out.flush().map_err(|e| e.to_string())?;
        let again = cli.command == Command::Run || (cli.command == Command::Watch && cli.follow);
        if !again {
            return Ok(());
        }
        std::thread::sleep(interval);
    }
}

fn ping(cli: &Cli, out: &mut impl Write) -> Result<(), String> {
    let url = cli.rpc_url.as_deref().ok_or("ping needs --rpc-url")?;
    let client = RpcClient::new(url, ClientConfig::default());
    let health = client.get_health().map_err(|e| format!("getHealth: {e}"))?;
    line(out, json!({ "method": "getHealth", "result": health }))?;
    let network = client
        .get_network()
        .map_err(|e| format!("getNetwork: {e}"))?;
    line(out, json!({ "method": "getNetwork", "result": network }))?;
    let latest = client
        .get_latest_ledger()
        .map_err(|e| format!("getLatestLedger: {e}"))?;
    line(
        out,
        json!({ "method": "getLatestLedger", "result": latest }),
    )?;
    match &cli.network_passphrase {
        Some(expected) if *expected != network.passphrase => Err(format!(
            "{url} serves network {:?}, not {expected:?}",
            network.passphrase
        )),
        _ => Ok(()),
    }
}

fn line(out: &mut impl Write, value: serde_json::Value) -> Result<(), String> {
    writeln!(out, "{value}").map_err(|e| e.to_string())
}

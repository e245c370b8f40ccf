//! The `keeper` command line: argument parsing and the `ping` command.
//!
//! Parsing is hand-written: the surface is a few flags, and a CLI framework would be most of
//! the crate's build time.

use std::io::Write;

use serde_json::json;

use crate::keys::SecretKey;
use crate::rpc::{ClientConfig, RpcClient};

/// Environment variable read when `--secret` is not given.
pub const SECRET_ENV: &str = "KEEPER_SECRET";

/// The `--help` text.
pub const USAGE: &str = "\
keeper: liquidation keeper for the margin protocol

Usage: keeper [OPTIONS] <COMMAND>

Commands:
  ping    Check the RPC endpoint: print getHealth, getNetwork and getLatestLedger
          as JSON lines (one object per line)

Options:
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
            "ping" if command.is_none() => command = Some(Command::Ping),
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

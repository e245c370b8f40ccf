//! The `keeper` binary: help, argument errors, and `ping` against a local RPC server.

mod support;

use std::process::{Command, Output};

use keeper::cli::{parse_args, Command as KeeperCommand};
use serde_json::{json, Value};
use support::fixtures::*;
use support::{MockRpc, Reply};

fn keeper(args: &[&str], env_secret: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keeper"));
    command.args(args).env_remove("KEEPER_SECRET");
    if let Some(secret) = env_secret {
        command.env("KEEPER_SECRET", secret);
    }
    command.output().expect("run keeper")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ping_server(passphrase: &str) -> MockRpc {
    MockRpc::start(vec![
        (
            "getHealth",
            Reply::Result(json!({"status": "healthy", "latestLedger": 1000,
            "oldestLedger": 10, "ledgerRetentionWindow": 17280})),
        ),
        (
            "getNetwork",
            Reply::Result(json!({"passphrase": passphrase, "protocolVersion": 27})),
        ),
        (
            "getLatestLedger",
            Reply::Result(json!({"id": "ab", "protocolVersion": 27, "sequence": 1000})),
        ),
    ])
}

#[test]
fn help_lists_ping_and_the_options() {
    let out = keeper(&["--help"], None);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for needle in [
        "ping",
        "--rpc-url",
        "--network-passphrase",
        "--secret",
        "KEEPER_SECRET",
    ] {
        assert!(help.contains(needle), "help lacks {needle}");
    }
}

#[test]
fn argument_errors_exit_with_status_2() {
    for args in [
        &[][..],
        &["--bogus"],
        &["frobnicate"],
        &["ping", "--rpc-url"],
    ] {
        let out = keeper(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).starts_with("keeper: "), "{args:?}");
    }
}

#[test]
fn ping_prints_one_json_line_per_method() {
    let mock = ping_server(TESTNET);
    let out = keeper(
        &[
            "ping",
            "--rpc-url",
            &mock.url(),
            "--network-passphrase",
            TESTNET,
        ],
        Some(SEED),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let methods: Vec<_> = lines
        .iter()
        .map(|l| l["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["getHealth", "getNetwork", "getLatestLedger"]);
    assert_eq!(lines[1]["result"]["passphrase"], json!(TESTNET));
    assert_eq!(lines[2]["result"]["sequence"], json!(1000));
    mock.finish();
}

#[test]
fn ping_fails_when_the_node_serves_another_network() {
    let mock = ping_server("Public Global Stellar Network ; September 2015");
    let out = keeper(
        &[
            "ping",
            "--rpc-url",
            &mock.url(),
            "--network-passphrase",
            TESTNET,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("Public Global"));
    mock.finish();
}

#[test]
fn ping_needs_an_rpc_url() {
    let out = keeper(&["ping"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--rpc-url"));
}

#[test]
fn a_bad_secret_is_refused_without_echoing_it() {
    let bad = SEED.replacen('A', "B", 1);
    let out = keeper(&["ping", "--rpc-url", "http://127.0.0.1:9"], Some(&bad));
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains(&bad));
}

#[test]
fn flag_values_may_be_inline_and_the_flag_beats_the_environment() {
    let args = ["--rpc-url=http://x", "ping", &format!("--secret={SEED}")].map(String::from);
    let other = keeper::SecretKey::from_bytes(&[9; 32]).to_strkey();
    let cli = parse_args(args, Some(other)).unwrap();
    assert_eq!(cli.rpc_url.as_deref(), Some("http://x"));
    assert_eq!(cli.command, KeeperCommand::Ping);
    assert_eq!(cli.secret.unwrap().account_strkey(), ACCOUNT);
}

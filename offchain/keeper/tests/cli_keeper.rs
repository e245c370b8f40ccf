//! The keeper commands of the `keeper` binary: help, config errors, and the config file.

use std::process::{Command, Output};

use keeper::cli::{parse_args, Command as KeeperCommand};
use keeper::cli_config::FileConfig;
use keeper::logic::Strategy;

fn keeper(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keeper"))
        .args(args)
        .env_remove("KEEPER_SECRET")
        .output()
        .expect("run keeper")
}

fn config_json(extra: &str) -> String {
    let c = |b: u8| keeper::ContractId([b; 32]).to_string();
    format!(
        r#"{{"rpc_url": "http://127.0.0.1:1", "network_passphrase": "Test SDF Network ; September 2015",
        "margin_account": "{}", "auction": "{}", "oracle": "{}", "state_file": "state.json"{extra}}}"#,
        c(1),
        c(2),
        c(3)
    )
}

#[test]
fn help_lists_the_keeper_commands() {
    let out = keeper(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in ["once", "run", "watch", "--config", "--nearest", "--follow"] {
        assert!(help.contains(needle), "help lacks {needle}: {help}");
    }
}

#[test]
fn commands_parse_with_their_options() {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cli = parse_args(
        args(&["watch", "--config", "k.json", "--nearest", "3", "--follow"]),
        None,
    )
    .unwrap();
    assert_eq!(cli.command, KeeperCommand::Watch);
    assert_eq!(cli.config.as_deref(), Some(std::path::Path::new("k.json")));
    assert_eq!((cli.nearest, cli.follow), (3, true));
    assert_eq!(
        parse_args(args(&["run"]), None).unwrap().command,
        KeeperCommand::Run
    );
    let err = parse_args(args(&["watch", "--nearest", "x"]), None).unwrap_err();
    assert!(err.contains("--nearest"), "{err}");
}

#[test]
fn keeper_commands_need_a_config_and_a_key() {
    let out = keeper(&["once"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--config"));

    let dir = std::env::temp_dir().join(format!("keeper-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keeper.json");
    std::fs::write(&path, config_json("")).unwrap();
    let out = keeper(&["run", "--config", path.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no secret"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn config_file_maps_to_the_keeper_config() {
    let file = FileConfig::parse(&config_json(
        r#", "min_profit": 0.02, "patient_extra": 0.01, "start_ledger": 5"#,
    ))
    .unwrap();
    let config = file.keeper_config("GKEEPER".into(), 5).unwrap();
    assert_eq!(config.min_profit, 200_000);
    assert_eq!(config.strategy, Strategy::Patient { extra: 100_000 });
    assert_eq!(config.auction, keeper::ContractId([2; 32]));
    assert_eq!(config.start_ledger, 5);
    assert_eq!(file.interval_secs, 6);

    let err = FileConfig::parse(&config_json(r#", "min_profti": 0.02"#)).unwrap_err();
    assert!(err.contains("min_profti"), "{err}");
    let bad = FileConfig::parse(&config_json(r#", "min_profit": 1.5"#)).unwrap();
    let err = bad.keeper_config(String::new(), 0).err().unwrap();
    assert!(err.contains("min_profit"), "{err}");
}

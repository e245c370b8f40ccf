//! `calibrate --proposal-out` writes a file that `scripts/governance.sh` queues, applies and
//! cancels: its dry runs print one call per change with the calibrated figures, and
//! scripts/lib/check_commands.py finds every call well-formed against the contract sources.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const BLACK_THURSDAY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/ETHUSDT_perp_1m_2020-03-12_13_binance.csv"
);

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("calibrate-gov-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn calibrate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_calibrate"))
        .args(args)
        .output()
        .expect("the calibrate binary runs")
}

fn governance(step: &str, proposal: &Path) -> Output {
    Command::new("scripts/governance.sh")
        .current_dir(REPO)
        .args([step, "--proposal", proposal.to_str().unwrap()])
        .args(["--network", "testnet", "--source", "alice"])
        .args(["--deployment", "/nonexistent/deployment.json", "--dry-run"])
        .output()
        .expect("scripts/governance.sh runs")
}

fn check_commands(calls: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new("python3")
        .current_dir(REPO)
        .args(["-B", "scripts/lib/check_commands.py"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(calls.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn generated_proposal_dry_runs_through_the_governance_script() {
    let dir = scratch("dry");
    let file = dir.join("eth.json");
    let base = format!("{REPO}/scripts/deploy/testnet.json");
    let o = calibrate(&[
        "--csv",
        BLACK_THURSDAY,
        "--proposal-out",
        file.to_str().unwrap(),
        "--base-config",
        &base,
        "--ramp-days",
        "3",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("== governance file"));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let awm = doc["changes"][1]["queue"]["args"]["config"]["asset_weight_maint"]
        .as_str()
        .unwrap()
        .to_string();
    let mut all = String::new();
    for (step, function) in [
        ("queue", ["queue_params", "queue_asset", "queue_params"]),
        ("apply", ["apply_params", "apply_asset", "apply_params"]),
        ("cancel", ["cancel_params", "cancel_asset", "cancel_params"]),
    ] {
        let o = governance(step, &file);
        assert!(o.status.success(), "{step}: {}", text(&o.stderr));
        let out = text(&o.stdout);
        let calls: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("stellar contract invoke"))
            .collect();
        assert_eq!(calls.len(), 3, "{step}: one call per change\n{out}");
        let ids = [
            "<margin-account id>",
            "<margin-account id>",
            "<liquidation-auction id>",
        ];
        for ((call, f), id) in calls.iter().zip(function).zip(ids) {
            assert!(call.contains(&format!("--id '{id}'")), "{call}");
            assert!(call.contains(&format!(" -- {f}")), "{call}");
        }
        if step == "queue" {
            assert!(
                calls[0].contains("\"ramp_duration\":259200"),
                "{}",
                calls[0]
            );
            assert!(
                calls[1].contains("--asset '<token:ETH id>'"),
                "{}",
                calls[1]
            );
            assert!(
                calls[1].contains("\"vault\":\"<vault:ETH id>\""),
                "{}",
                calls[1]
            );
            assert!(calls[1].contains(&format!("\"asset_weight_maint\":\"{awm}\"")));
            assert!(calls[2].contains("\"StairstepExp\":[\""), "{}", calls[2]);
            assert!(
                out.contains("ramps linearly over ramp_duration 3 days"),
                "{out}"
            );
        }
        all.push_str(&out);
    }
    let checked = check_commands(&all);
    assert!(
        checked.status.success(),
        "{}{}",
        text(&checked.stdout),
        text(&checked.stderr)
    );
    assert!(text(&checked.stdout).contains("9 calls checked against the sources, 0 problems"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn file_flags_are_checked() {
    for (args, expected) in [
        (
            vec!["--shape", "crash", "--symbols", "ETH"],
            "give --proposal-out FILE",
        ),
        (
            vec![
                "--shape",
                "crash",
                "--proposal-out",
                "x.json",
                "--symbols",
                "ETH,XLM",
            ],
            "--symbols has 2 values for 1 series",
        ),
        (
            vec![
                "--shape",
                "crash",
                "--proposal-out",
                "x.json",
                "--ramp-days",
                "91",
            ],
            "--ramp-days expects 0 to 90 days",
        ),
        (
            vec![
                "--shape",
                "crash",
                "--proposal-out",
                "x.json",
                "--base-config",
                "/nonexistent.json",
            ],
            "/nonexistent.json",
        ),
    ] {
        let o = calibrate(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            text(&o.stderr).contains(expected),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    let dir = scratch("shape");
    let file = dir.join("p.json");
    let base = format!("{REPO}/scripts/deploy/testnet.json");
    let o = calibrate(&[
        "--shape",
        "crash",
        "--proposal-out",
        file.to_str().unwrap(),
        "--base-config",
        &base,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("give --symbols"),
        "{}",
        text(&o.stderr)
    );
    assert!(!file.exists(), "nothing written on an error");
    std::fs::remove_dir_all(dir).unwrap();
}

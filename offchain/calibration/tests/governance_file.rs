//! The governance file: whole configs copied from the deployment config, ramps named where maint
//! weights tighten, the optional ramp-duration change first, and the refusals.

use calibration::governance::{
    calibrated_auction, proposal_file, Args, DeploymentBase, FileOptions, MAX_BUF_ABI,
};
use calibration::{propose, CalibrationError, Proposal, ProposalConfig};
use market_data::{PathParams, Shape};

const TESTNET: &str = include_str!("../../../scripts/deploy/testnet.json");

fn base() -> DeploymentBase {
    DeploymentBase::parse("testnet.json", TESTNET).unwrap()
}

fn crash_proposal() -> Proposal {
    let s = Shape::from_name("crash")
        .unwrap()
        .generate(&PathParams::default(), 3)
        .unwrap();
    propose(&[s], &ProposalConfig::default()).unwrap()
}

fn eth() -> Vec<String> {
    vec!["ETH".to_string()]
}

#[test]
fn asset_change_carries_the_whole_config_and_names_the_ramps() {
    let (p, b) = (crash_proposal(), base());
    let file = proposal_file(&p, &b, &eth(), &FileOptions::default()).unwrap();
    assert_eq!(file.changes.len(), 2);
    let asset = &file.changes[0];
    assert_eq!(
        (asset.contract.as_str(), asset.change.as_str()),
        ("margin-account", "asset-config")
    );
    let Args::AssetConfig {
        asset: token,
        config,
    } = &asset.queue.args
    else {
        panic!("queue_asset takes asset and config: {:?}", asset.queue.args);
    };
    assert_eq!(token, "@token:ETH");
    assert_eq!(config.vault, "@vault:ETH");
    let w = &p.assets[0].weights.abi;
    let current = &b.assets["ETH"];
    assert_eq!(config.risk.asset_weight_maint, w.asset_weight_maint);
    assert_eq!(config.risk.liquidation_penalty, w.liquidation_penalty);
    // Everything the calibration does not set is the deployment's.
    assert_eq!(config.risk.borrow_cap, current.borrow_cap);
    assert_eq!(config.risk.min_debt_value, current.min_debt_value);
    assert_eq!(config.risk.mode, current.mode);
    // A crash tightens ETH's maint weight below the testnet's 0.88: the summary says it ramps.
    assert!(w.asset_weight_maint < current.asset_weight_maint);
    assert!(
        asset.summary.contains("asset_weight_maint 0.88 -> 0.")
            && asset
                .summary
                .contains("ramps linearly over ramp_duration 7 days"),
        "{}",
        asset.summary
    );
    let json = file.to_json();
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cfg = &back["changes"][0]["queue"]["args"]["config"];
    assert_eq!(
        cfg["asset_weight_maint"],
        serde_json::json!(w.asset_weight_maint.to_string()),
        "i128 fields are JSON strings"
    );
    assert_eq!(cfg["mode"], serde_json::json!(0));
    assert!(json.find("\"vault\"").unwrap() < json.find("\"asset_weight_init\"").unwrap());
}

#[test]
fn auction_change_replaces_the_curve_and_keeps_keeper_pay_and_caps() {
    let (p, b) = (crash_proposal(), base());
    let params = calibrated_auction(&p, &b.auction);
    let a = &p.auction.abi;
    assert_eq!(params.buf, a.buf.min(MAX_BUF_ABI));
    assert_eq!(params.tail, a.tail);
    assert_eq!(params.cusp, a.cusp);
    assert_eq!((params.tip, params.chip), (b.auction.tip, b.auction.chip));
    assert_eq!(params.max_auction_debt, b.auction.max_auction_debt);
    assert!(
        params.lot_margin >= params.buf,
        "the lot covers the tab at the top"
    );
    let file = proposal_file(&p, &b, &eth(), &FileOptions::default()).unwrap();
    let auction = file.changes.last().unwrap();
    assert_eq!(auction.change, "auction-params");
    assert_eq!(auction.queue.function, "queue_params");
    assert_eq!(auction.apply.args, Args::None {});
}

#[test]
fn a_new_ramp_duration_is_applied_before_the_asset_changes() {
    let (p, b) = (crash_proposal(), base());
    let options = FileOptions {
        ramp_duration: Some(14 * 86_400),
        ..FileOptions::default()
    };
    let file = proposal_file(&p, &b, &eth(), &options).unwrap();
    assert_eq!(file.changes.len(), 3);
    assert_eq!(file.changes[0].change, "margin-params");
    let Args::MarginParams { params } = &file.changes[0].queue.args else {
        panic!("queue_params takes params");
    };
    assert_eq!(params.ramp_duration, 14 * 86_400);
    assert_eq!(params.max_positions, b.margin_params.max_positions);
    assert!(file.changes[1]
        .summary
        .contains("over ramp_duration 14 days"));
    // Asking for the current duration adds nothing.
    let same = FileOptions {
        ramp_duration: Some(b.margin_params.ramp_duration),
        ..FileOptions::default()
    };
    assert_eq!(
        proposal_file(&p, &b, &eth(), &same).unwrap().changes.len(),
        2
    );
}

#[test]
fn figures_equal_to_the_current_ones_give_no_change() {
    let p = crash_proposal();
    let mut b = base();
    let w = p.assets[0].weights.abi;
    let eth_cfg = b.assets.get_mut("ETH").unwrap();
    eth_cfg.asset_weight_init = w.asset_weight_init;
    eth_cfg.asset_weight_maint = w.asset_weight_maint;
    eth_cfg.liab_weight_init = w.liab_weight_init;
    eth_cfg.liab_weight_maint = w.liab_weight_maint;
    eth_cfg.liquidation_penalty = w.liquidation_penalty;
    let file = proposal_file(&p, &b, &eth(), &FileOptions::default()).unwrap();
    assert_eq!(file.changes.len(), 1, "only the auction change is left");
    b.auction = calibrated_auction(&p, &b.auction);
    let err = proposal_file(&p, &b, &eth(), &FileOptions::default()).unwrap_err();
    assert!(matches!(err, CalibrationError::RuleViolation(m) if m.contains("nothing to propose")));
}

#[test]
fn symbols_are_matched_from_series_names_or_refused_with_the_listed_ones() {
    let b = base();
    assert_eq!(
        b.symbol_for("ETHUSDT_perp_1m_2020-03-12_13_binance", None)
            .unwrap(),
        "ETH"
    );
    assert_eq!(b.symbol_for("xlm_5m", None).unwrap(), "XLM");
    assert_eq!(b.symbol_for("crash", Some("XLM")).unwrap(), "XLM");
    let err = b.symbol_for("crash", None).unwrap_err().to_string();
    assert!(
        err.contains("give --symbols") && err.contains("ETH, USDC, XLM"),
        "{err}"
    );
    let err = b.symbol_for("crash", Some("DOGE")).unwrap_err().to_string();
    assert!(err.contains("no asset \"DOGE\""), "{err}");
    let p = crash_proposal();
    let err = proposal_file(&p, &b, &[], &FileOptions::default()).unwrap_err();
    assert!(err
        .to_string()
        .contains("0 symbols for 1 calibrated assets"));
}

#[test]
fn a_malformed_deployment_config_names_the_file_and_the_section() {
    let err = DeploymentBase::parse("x.json", "{")
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.json: not valid JSON"), "{err}");
    let err = DeploymentBase::parse("x.json", "{}")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x.json: no \"margin_account.params\""),
        "{err}"
    );
    let broken = TESTNET.replacen(
        "\"asset_weight_init\": \"7500000\"",
        "\"asset_weight_init\": 7500000",
        1,
    );
    let err = DeploymentBase::parse("x.json", &broken)
        .unwrap_err()
        .to_string();
    assert!(err.contains("assets.XLM.risk"), "{err}");
}

//! The proposal files committed under docs/calibration/ are what `calibrate` writes today from
//! the shared data and the testnet deployment config (regenerate them with the commands in
//! README "Calibrating risk parameters" when the rules or the config change).

use calibration::governance::{proposal_file, DeploymentBase, FileOptions};
use calibration::{propose, ProposalConfig};
use market_data::load_csv;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[test]
fn committed_proposals_match_the_generator() {
    let base = DeploymentBase::parse(
        "scripts/deploy/testnet.json",
        include_str!("../../../scripts/deploy/testnet.json"),
    )
    .unwrap();
    for (data, committed) in [
        (
            "ETHUSDT_perp_1m_2020-03-12_13_binance.csv",
            "eth-2020-03-12-binance-1m.proposal.json",
        ),
        (
            "ETHUSD_10m_2020-03-12_coinapi_stablesims.csv",
            "eth-2020-03-12-coinapi-10m.proposal.json",
        ),
        (
            "ETHUSD_10m_2021-05-19_coinapi_stablesims.csv",
            "eth-2021-05-19-coinapi-10m.proposal.json",
        ),
    ] {
        let series = load_csv(format!("{REPO}/../shared/data/{data}")).unwrap();
        let proposal = propose(&[series], &ProposalConfig::default()).unwrap();
        let options = FileOptions {
            ramp_duration: None,
            sources: vec![data.to_string()],
        };
        let file = proposal_file(&proposal, &base, &["ETH".to_string()], &options).unwrap();
        let on_disk =
            std::fs::read_to_string(format!("{REPO}/docs/calibration/{committed}")).unwrap();
        assert!(
            file.to_json() == on_disk,
            "docs/calibration/{committed} is stale: regenerate it with calibrate --csv \
             ../shared/data/{data} --proposal-out docs/calibration/{committed}"
        );
    }
}

//! The error registry (`docs/ERRORS.md`, SPEC §9) matches the code: every code a contract's error
//! enum decodes lies in that contract's range or mirrors a shared (risk-core, 1–99) or governance
//! (500–599) error with the same name, and every code the registry lists decodes to the name it
//! gives.

use std::collections::BTreeMap;
use std::fmt::Debug;

/// `(code, name)` rows per section key (the crate name in the section header).
fn registry() -> BTreeMap<String, BTreeMap<u32, String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/ERRORS.md");
    let text = std::fs::read_to_string(path).expect("docs/ERRORS.md");
    let mut out: BTreeMap<String, BTreeMap<u32, String>> = BTreeMap::new();
    let mut section = String::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("## ") {
            section = header.split_whitespace().next().unwrap_or("").to_string();
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || section.is_empty() {
            continue;
        }
        if let Ok(code) = cells[1].parse::<u32>() {
            let name = cells[2].trim_matches('`').to_string();
            let rows = out.entry(section.clone()).or_default();
            assert!(
                rows.insert(code, name).is_none(),
                "{section}: code {code} listed twice"
            );
        }
    }
    out
}

/// Checks a contract error enum against its registry section and the shared sections.
fn check_contract_enum<E>(section: &str, range: std::ops::RangeInclusive<u32>)
where
    E: TryFrom<soroban_sdk::Error> + Debug,
{
    let reg = registry();
    let own = reg
        .get(section)
        .unwrap_or_else(|| panic!("no section for {section}"));
    let shared = &reg["risk-core"];
    let gov = &reg["governance"];
    for code in 1..1_000u32 {
        let Ok(e) = E::try_from(soroban_sdk::Error::from_contract_error(code)) else {
            assert!(
                !own.contains_key(&code),
                "{section}: registry lists {code}, enum lacks it"
            );
            continue;
        };
        let name = format!("{e:?}");
        let expected = if range.contains(&code) {
            own.get(&code)
        } else if code < 100 {
            shared.get(&code)
        } else if (500..600).contains(&code) {
            gov.get(&code)
        } else {
            None
        };
        assert_eq!(
            expected,
            Some(&name),
            "{section}: code {code} ({name}) is not in its range nor a registered mirror"
        );
    }
}

#[test]
fn risk_core_errors_match_the_registry() {
    let reg = registry();
    let rows = &reg["risk-core"];
    assert_eq!(rows.len(), risk_core::RiskError::ALL.len());
    for e in risk_core::RiskError::ALL {
        assert!((1..100).contains(&e.code()));
        assert_eq!(rows.get(&e.code()), Some(&format!("{e:?}")));
    }
}

#[test]
fn governance_errors_match_the_registry() {
    check_contract_enum::<governance::GovernanceError>("governance", 500..=599);
}

#[test]
fn oracle_adapter_errors_match_the_registry() {
    check_contract_enum::<oracle_adapter::Error>("oracle-adapter", 100..=199);
}

#[test]
fn price_feed_errors_match_the_registry() {
    check_contract_enum::<price_feed::Error>("price-feed", 600..=649);
}

#[test]
fn amm_pool_errors_match_the_registry() {
    check_contract_enum::<amm_pool::Error>("amm-pool", 650..=699);
}

#[test]
fn vault_errors_match_the_registry() {
    check_contract_enum::<vault::VaultError>("vault", 200..=299);
}

#[test]
fn margin_account_errors_match_the_registry() {
    check_contract_enum::<margin_account::Error>("margin-account", 300..=399);
}

#[test]
fn liquidation_auction_errors_match_the_registry() {
    check_contract_enum::<liquidation_auction::Error>("liquidation-auction", 400..=489);
    check_contract_enum::<keeper_receiver::ReceiverError>("keeper-receiver", 490..=499);
}

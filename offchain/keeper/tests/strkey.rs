//! Strkeys against the SEP-23 test vectors and the Stellar docs' key pair example.

mod support;

use keeper::keys::{account_id_from_strkey, account_id_to_strkey};
use keeper::{ContractId, SecretKey};
use support::fixtures::{ACCOUNT, SEED};

/// The 32-byte key of SEP-23's valid account and contract vectors.
const SEP23_KEY: [u8; 32] = [
    0x3f, 0x0c, 0x34, 0xbf, 0x93, 0xad, 0x0d, 0x99, 0x71, 0xd0, 0x4c, 0xcc, 0x90, 0xf7, 0x05, 0x51,
    0x1c, 0x83, 0x8a, 0xad, 0x97, 0x34, 0xa4, 0xa2, 0xfb, 0x0d, 0x7a, 0x03, 0xfc, 0x7f, 0xe8, 0x9a,
];
const SEP23_ACCOUNT: &str = "GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZ";
const SEP23_CONTRACT: &str = "CA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUWDA";

/// SEP-23's invalid strkeys (bad lengths, checksums, padding, algorithms, trailing bits).
const SEP23_INVALID: [&str; 15] = [
    "GAAAAAAAACGC6",
    "MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAAAAAAAACJUR",
    "GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZA",
    "GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUACUSI",
    "G47QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVP2I",
    "MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVAAAAAAAAAAAAAJLKA",
    "MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVAAAAAAAAAAAAAAV75I",
    "M47QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAAAAAAAACJUQ",
    "MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAAAAAAAACJUK===",
    "MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAAAAAAAACJUO",
    "PA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAQACAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DUPB6IAAAAAAAAPM",
    "PA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAOQCAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4Z2PQ",
    "PA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAOQCAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DXFH6",
    "BAAD6DBUX6J22DMZOHIEZTEQ64CVCHEDRKWZONFEUL5Q26QD7R76RGR4TV",
    "BAAT6DBUX6J22DMZOHIEZTEQ64CVCHEDRKWZONFEUL5Q26QD7R76RGXACA",
];

#[test]
fn sep23_account_vector_round_trips() {
    let account = account_id_from_strkey(SEP23_ACCOUNT).unwrap();
    let stellar_xdr::AccountId(stellar_xdr::PublicKey::PublicKeyTypeEd25519(key)) = &account;
    assert_eq!(key.0, SEP23_KEY);
    assert_eq!(account_id_to_strkey(&account), SEP23_ACCOUNT);
}

#[test]
fn sep23_contract_vector_round_trips() {
    let contract: ContractId = SEP23_CONTRACT.parse().unwrap();
    assert_eq!(contract, ContractId(SEP23_KEY));
    assert_eq!(contract.to_string(), SEP23_CONTRACT);
    assert_eq!(
        ContractId::from_sc_address(&contract.to_sc_address()),
        Some(contract)
    );
}

#[test]
fn sep23_invalid_vectors_are_rejected_by_every_parser() {
    for bad in SEP23_INVALID {
        assert!(
            account_id_from_strkey(bad).is_err(),
            "account accepted {bad}"
        );
        assert!(
            bad.parse::<ContractId>().is_err(),
            "contract accepted {bad}"
        );
        assert!(SecretKey::from_strkey(bad).is_err(), "seed accepted {bad}");
    }
}

#[test]
fn docs_seed_derives_its_documented_account_and_round_trips() {
    let key = SecretKey::from_strkey(SEED).unwrap();
    assert_eq!(key.account_strkey(), ACCOUNT);
    assert_eq!(key.to_strkey(), SEED);
    assert_eq!(account_id_to_strkey(&key.account_id()), ACCOUNT);
}

#[test]
fn a_key_of_the_wrong_kind_is_rejected() {
    assert!(SecretKey::from_strkey(ACCOUNT).is_err());
    assert!(SEED.parse::<ContractId>().is_err());
    assert!(account_id_from_strkey(SEP23_CONTRACT).is_err());
}

#[test]
fn secret_never_shows_in_debug_or_errors() {
    let key = SecretKey::from_strkey(SEED).unwrap();
    let debug = format!("{key:?}");
    assert!(debug.contains(ACCOUNT) && !debug.contains(SEED));
    // One flipped character: the error must not echo the (almost right) secret.
    let typo = SEED.replacen('A', "B", 1);
    let message = SecretKey::from_strkey(&typo).unwrap_err().to_string();
    assert!(!message.contains(&typo), "{message}");
}

#[test]
fn signature_hint_is_the_last_four_public_key_bytes() {
    let key = SecretKey::from_bytes(&[7; 32]);
    let signature = key.sign_hash(&[1; 32]);
    assert_eq!(signature.hint.0, key.public_key()[28..32]);
    assert_eq!(signature.signature.0.len(), 64);
}

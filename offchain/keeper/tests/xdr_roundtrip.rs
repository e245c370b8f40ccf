//! XDR round trips: ledger keys, generic values, transactions, events and transaction meta.

mod support;

use keeper::tx::{self, TxSource};
use keeper::xdr::{
    account_key, contract_data_key, contract_instance_key, decode_base64, persistent_key,
};
use keeper::{ChainEvent, Val};
use stellar_xdr::{
    ContractDataDurability, ContractEvent, ContractEventBody, ContractEventType, ContractEventV0,
    ExtensionPoint, LedgerKey, ScError, ScVal, TransactionEnvelope, TransactionMeta,
};
use support::fixtures::*;

#[test]
fn ledger_keys_round_trip_through_base64() {
    let keys = [
        account_key(&keeper_key().account_id()),
        contract_instance_key(&contract(0x11)),
        persistent_key(
            &contract(0x11),
            ScVal::Vec(Some(
                vec![sym("Account"), ScVal::U32(9)].try_into().unwrap(),
            )),
        ),
        contract_data_key(
            &contract(0x12),
            sym("Config"),
            ContractDataDurability::Temporary,
        ),
    ];
    for key in keys {
        let decoded: LedgerKey = decode_base64(&b64(&key), "key").unwrap();
        assert_eq!(decoded, key);
    }
}

#[test]
fn instance_key_targets_the_persistent_instance_entry() {
    let LedgerKey::ContractData(data) = contract_instance_key(&contract(0x11)) else {
        panic!()
    };
    assert_eq!(data.key, ScVal::LedgerKeyContractInstance);
    assert_eq!(data.durability, ContractDataDurability::Persistent);
    assert_eq!(data.contract, contract(0x11).to_sc_address());
}

fn every_kind_of_val() -> Vec<Val> {
    vec![
        Val::Void,
        Val::Bool(true),
        Val::U32(u32::MAX),
        Val::I32(i32::MIN),
        Val::U64(u64::MAX),
        Val::I64(i64::MIN),
        Val::Timepoint(1_714_000_000),
        Val::Duration(3_600),
        Val::U128(u128::MAX - 1),
        Val::I128(-170_141_183_460_469_231_731_687_303_715_884_105_728),
        Val::U256([0xab; 32]),
        Val::I256([0xff; 32]),
        Val::Bytes(vec![0, 1, 2]),
        Val::String("héllo".into()),
        Val::Symbol("liquidate".into()),
        Val::Address(ACCOUNT.into()),
        Val::Address(contract(0x11).to_string()),
        Val::Vec(vec![Val::Symbol("Auction".into()), Val::U64(4)]),
        Val::Map(vec![
            (Val::Symbol("lot".into()), Val::I128(10)),
            (Val::Symbol("tab".into()), Val::I128(-3)),
        ]),
        Val::Error(ScError::Contract(301)),
    ]
}

#[test]
fn generic_values_round_trip_through_scval_and_xdr() {
    for val in every_kind_of_val() {
        let scval = ScVal::try_from(&val).unwrap();
        let decoded: ScVal = decode_base64(&b64(&scval), "value").unwrap();
        assert_eq!(Val::from(&decoded), val, "{val:?}");
    }
}

#[test]
fn i128_parts_match_the_host_encoding() {
    assert_eq!(
        ScVal::try_from(&Val::I128(-5)).unwrap(),
        ScVal::from(-5i128)
    );
    assert_eq!(
        ScVal::try_from(&Val::U128(1 << 70)).unwrap(),
        ScVal::from(1u128 << 70)
    );
}

#[test]
fn invalid_symbol_cannot_be_encoded() {
    assert!(ScVal::try_from(&Val::Symbol("not a symbol!".into())).is_err());
    assert!(ScVal::try_from(&Val::Address("GNOTAKEY".into())).is_err());
}

#[test]
fn enum_and_struct_shapes_are_readable_generically() {
    let auction = Val::Vec(vec![Val::Symbol("Auction".into()), Val::U64(4)]);
    assert_eq!(auction.variant(), Some(("Auction", &[Val::U64(4)][..])));
    let json = Val::Map(vec![(Val::U32(1), Val::Bool(false))]).to_json();
    assert_eq!(
        json,
        serde_json::json!([[1, false]]),
        "non-symbol keys stay pairs"
    );
    assert_eq!(Val::I128(-7).as_i128(), Some(-7));
    assert_eq!(Val::I128(-7).as_u64(), None);
}

#[test]
fn signed_transaction_round_trips_and_keeps_its_hash() {
    let source = TxSource {
        account: keeper_key().muxed_account(),
        sequence: 5,
        inclusion_fee: 100,
        max_time: 1_800_000_000,
    };
    let transaction = tx::invoke_tx(&liquidate_call(), &source).unwrap();
    let network = tx::network_id(TESTNET);
    let (envelope, hash) = tx::sign(transaction, &keeper_key(), network).unwrap();
    let decoded: TransactionEnvelope = decode_base64(&b64(&envelope), "envelope").unwrap();
    assert_eq!(decoded, envelope);
    assert_eq!(decoded.hash(network).unwrap(), hash);
    assert_ne!(
        decoded.hash(tx::network_id("another network")).unwrap(),
        hash
    );
}

#[test]
fn invalid_function_name_is_refused() {
    let mut call = liquidate_call();
    call.function = "no spaces allowed".into();
    let source = TxSource {
        account: keeper_key().muxed_account(),
        sequence: 1,
        inclusion_fee: 100,
        max_time: 0,
    };
    assert!(matches!(
        tx::invoke_tx(&call, &source),
        Err(tx::TxError::Invalid(_))
    ));
}

#[test]
fn contract_event_xdr_becomes_a_chain_event() {
    let event = ContractEvent {
        ext: ExtensionPoint::V0,
        contract_id: Some(stellar_xdr::ContractId(stellar_xdr::Hash([0x11; 32]))),
        type_: ContractEventType::Contract,
        body: ContractEventBody::V0(ContractEventV0 {
            topics: vec![sym("auction_started"), ScVal::U64(4)]
                .try_into()
                .unwrap(),
            data: ScVal::from(250i128),
        }),
    };
    let decoded: ContractEvent = decode_base64(&b64(&event), "event").unwrap();
    let chain = ChainEvent::from_xdr(&decoded, "7-0".into(), 7, String::new()).unwrap();
    assert_eq!(chain.name(), Some("auction_started"));
    assert_eq!(
        (chain.contract, chain.data.clone()),
        (contract(0x11), Val::I128(250))
    );
}

#[test]
fn return_value_is_read_from_meta_v4() {
    let meta = meta_v4(ScVal::U32(9));
    let decoded: TransactionMeta = decode_base64(&b64(&meta), "meta").unwrap();
    assert_eq!(
        keeper::xdr::meta_return_value(&decoded),
        Some(ScVal::U32(9))
    );
}

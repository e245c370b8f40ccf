//! `RpcBackend` reads against a local RPC server: event pagination and cursors, filters,
//! event decoding, ledger entries in request order.

mod support;

use keeper::xdr::{account_key, contract_instance_key, persistent_key};
use keeper::{Backend, BackendError, EventCursor, RpcBackend, Val};
use serde_json::{json, Value};
use stellar_xdr::{ScMap, ScMapEntry, ScVal};
use support::fixtures::*;
use support::{MockRpc, Reply};

fn connect(steps: Vec<(&'static str, Reply)>, page_limit: u32) -> (MockRpc, RpcBackend) {
    let mut all = vec![network_step()];
    all.extend(steps);
    let mock = MockRpc::start(all);
    let mut config = fast_config(mock.url());
    config.event_page_limit = page_limit;
    let backend = RpcBackend::connect(config, None).unwrap();
    (mock, backend)
}

/// `AccountOpened { account, collateral }` data as `#[contractevent]` publishes it: a map.
fn opened_data(amount: i128) -> ScVal {
    let entries = vec![
        ScMapEntry {
            key: sym("account"),
            val: ScVal::Address(contract(0x44).to_sc_address()),
        },
        ScMapEntry {
            key: sym("collateral"),
            val: ScVal::from(amount),
        },
    ];
    ScVal::Map(Some(ScMap(entries.try_into().unwrap())))
}

fn opened(id: &str) -> Value {
    event(
        id,
        contract(0x11),
        &[sym("account_opened"), ScVal::U32(3)],
        &opened_data(500),
    )
}

#[test]
fn events_are_read_page_by_page_until_a_short_page() {
    let (mock, mut backend) = connect(
        vec![
            (
                "getEvents",
                Reply::Result(events_page(
                    vec![opened("0001-0"), opened("0001-1")],
                    "0001-1",
                )),
            ),
            (
                "getEvents",
                Reply::Result(events_page(vec![opened("0002-0")], "0009-9")),
            ),
        ],
        2,
    );
    let batch = backend
        .events_since(&EventCursor::Ledger(900), &[contract(0x11)])
        .unwrap();
    let ids: Vec<_> = batch.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["0001-0", "0001-1", "0002-0"]);
    assert_eq!(
        batch.next,
        EventCursor::After("0009-9".into()),
        "resume where the scan stopped"
    );
    assert_eq!(batch.latest_ledger, 1000);
    let params = mock.params();
    assert_eq!(params[1]["startLedger"], json!(900));
    assert_eq!(params[1]["pagination"], json!({"limit": 2}));
    assert!(
        params[2].get("startLedger").is_none(),
        "a cursor excludes startLedger"
    );
    assert_eq!(
        params[2]["pagination"],
        json!({"cursor": "0001-1", "limit": 2})
    );
    mock.finish();
}

#[test]
fn an_empty_page_still_advances_the_cursor() {
    let (mock, mut backend) = connect(
        vec![("getEvents", Reply::Result(events_page(vec![], "0050-0")))],
        100,
    );
    let batch = backend
        .events_since(&EventCursor::After("0001-1".into()), &[contract(0x11)])
        .unwrap();
    assert!(batch.events.is_empty());
    assert_eq!(batch.next, EventCursor::After("0050-0".into()));
    mock.finish();
}

#[test]
fn events_are_decoded_into_generic_values() {
    let (mock, mut backend) = connect(
        vec![(
            "getEvents",
            Reply::Result(events_page(vec![opened("0001-0")], "0001-0")),
        )],
        100,
    );
    let batch = backend
        .events_since(&EventCursor::Ledger(1), &[contract(0x11)])
        .unwrap();
    let event = &batch.events[0];
    assert_eq!(event.name(), Some("account_opened"));
    assert_eq!(event.contract, contract(0x11));
    assert_eq!(event.topics[1], Val::U32(3));
    assert_eq!(event.data.field("collateral"), Some(&Val::I128(500)));
    assert_eq!(
        event.data.field("account").and_then(Val::as_contract),
        Some(contract(0x44))
    );
    assert_eq!(event.to_json()["data"]["collateral"], json!("500"));
    mock.finish();
}

#[test]
fn contracts_are_split_into_filters_of_five() {
    let (mock, mut backend) = connect(
        vec![("getEvents", Reply::Result(events_page(vec![], "0001-0")))],
        100,
    );
    let contracts: Vec<_> = (1..=6).map(contract).collect();
    backend
        .events_since(&EventCursor::Ledger(1), &contracts)
        .unwrap();
    let filters = mock.params()[1]["filters"].clone();
    assert_eq!(filters.as_array().unwrap().len(), 2);
    assert_eq!(filters[0]["contractIds"].as_array().unwrap().len(), 5);
    assert_eq!(filters[1]["contractIds"], json!([contract(6).to_string()]));
    assert_eq!(filters[0]["type"], json!("contract"));
    mock.finish();
}

#[test]
fn no_contracts_or_too_many_is_invalid_without_a_request() {
    let (mock, mut backend) = connect(vec![], 100);
    let too_many: Vec<_> = (0..26).map(contract).collect();
    for contracts in [vec![], too_many] {
        let err = backend
            .events_since(&EventCursor::Ledger(1), &contracts)
            .unwrap_err();
        assert!(matches!(err, BackendError::Invalid(_)), "{err}");
    }
    assert_eq!(mock.requests().len(), 1, "only getNetwork");
    mock.finish();
}

#[test]
fn start_ledger_outside_the_window_is_invalid_not_transient() {
    let (mock, mut backend) = connect(
        vec![(
            "getEvents",
            Reply::Error(
                -32600,
                "startLedger must be between the oldest ledger: 10 and the latest ledger: 1000",
            ),
        )],
        100,
    );
    let err = backend
        .events_since(&EventCursor::Ledger(1), &[contract(1)])
        .unwrap_err();
    assert!(matches!(err, BackendError::Invalid(_)), "{err}");
    mock.finish();
}

#[test]
fn entries_come_back_in_request_order_with_gaps_for_missing_ones() {
    let instance = contract_instance_key(&contract(0x11));
    let missing = persistent_key(&contract(0x11), sym("nothing"));
    let account = account_key(&keeper_key().account_id());
    let answer = json!({
        "entries": [
            {"key": b64(&account), "xdr": b64(&account_entry(7)), "lastModifiedLedgerSeq": 5},
        ],
        "latestLedger": 1000,
    });
    let (mock, mut backend) = connect(vec![("getLedgerEntries", Reply::Result(answer))], 100);
    let found = backend
        .read_entries(&[instance, missing, account.clone()])
        .unwrap();
    assert_eq!(found.len(), 3);
    assert!(found[0].is_none() && found[1].is_none());
    assert_eq!(
        found[2].as_ref().and_then(|e| e.account_sequence()),
        Some(7)
    );
    mock.finish();
}

#[test]
fn more_than_200_keys_are_read_in_chunks() {
    let account = account_key(&keeper_key().account_id());
    let empty = || Reply::Result(json!({"entries": [], "latestLedger": 1000}));
    let (mock, mut backend) = connect(
        vec![("getLedgerEntries", empty()), ("getLedgerEntries", empty())],
        100,
    );
    let keys = vec![account; 250];
    assert_eq!(backend.read_entries(&keys).unwrap().len(), 250);
    let params = mock.params();
    assert_eq!(params[1]["keys"].as_array().unwrap().len(), 200);
    assert_eq!(params[2]["keys"].as_array().unwrap().len(), 50);
    mock.finish();
}

#[test]
fn latest_ledger_and_unhealthy_node_errors() {
    let (mock, mut backend) = connect(
        vec![
            (
                "getLatestLedger",
                Reply::Result(json!({"id": "ab", "protocolVersion": 27, "sequence": 1234})),
            ),
            (
                "getLatestLedger",
                Reply::Error(-32603, "data stores are not initialized"),
            ),
        ],
        100,
    );
    assert_eq!(backend.latest_ledger().unwrap(), 1234);
    assert!(matches!(
        backend.latest_ledger(),
        Err(BackendError::Unavailable(_))
    ));
    mock.finish();
}

//! The RPC client against a local server answering in the documented format: every method's
//! request shape and decoding, error objects, and transport retries.

mod support;

use std::time::Duration;

use keeper::rpc::{
    ClientConfig, EventFilter, GetEventsParams, Pagination, RetryPolicy, RpcClient, RpcError,
    SendStatus, TxStatus,
};
use keeper::xdr::{account_key, contract_instance_key, decode_entry};
use serde_json::json;
use stellar_xdr::{LedgerKey, ScVal};
use support::fixtures::*;
use support::{MockRpc, Reply};

fn fast_retry(max_attempts: u32) -> ClientConfig {
    ClientConfig {
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        },
    }
}

fn client(mock: &MockRpc) -> RpcClient {
    RpcClient::new(mock.url(), fast_retry(3))
}

#[test]
fn get_health_network_and_latest_ledger_decode_documented_results() {
    let mock = MockRpc::start(vec![
        (
            "getHealth",
            Reply::Result(json!({"status": "healthy", "latestLedger": 51583040,
            "oldestLedger": 51565760, "ledgerRetentionWindow": 17280})),
        ),
        (
            "getNetwork",
            Reply::Result(json!({"friendbotUrl": "https://friendbot.stellar.org/",
            "passphrase": TESTNET, "protocolVersion": 27})),
        ),
        (
            "getLatestLedger",
            Reply::Result(json!({"id": "c73c5eac", "protocolVersion": 27,
            "sequence": 2539605})),
        ),
    ]);
    let client = client(&mock);
    let health = client.get_health().unwrap();
    assert_eq!(
        (health.status.as_str(), health.latest_ledger),
        ("healthy", 51583040)
    );
    assert_eq!(health.ledger_retention_window, 17280);
    let network = client.get_network().unwrap();
    assert_eq!(
        (network.passphrase.as_str(), network.protocol_version),
        (TESTNET, 27)
    );
    assert_eq!(client.get_latest_ledger().unwrap().sequence, 2539605);
    // Methods without params send no `params` member.
    assert!(mock.requests().iter().all(|r| r.get("params").is_none()));
    mock.finish();
}

#[test]
fn get_ledger_entries_sends_base64_keys_and_decodes_entries_with_ttl() {
    let instance = contract_instance_key(&contract(0x11));
    let instance_entry =
        stellar_xdr::LedgerEntryData::ContractData(stellar_xdr::ContractDataEntry {
            ext: stellar_xdr::ExtensionPoint::V0,
            contract: contract(0x11).to_sc_address(),
            key: ScVal::LedgerKeyContractInstance,
            durability: stellar_xdr::ContractDataDurability::Persistent,
            val: ScVal::U32(5),
        });
    let mock = MockRpc::start(vec![(
        "getLedgerEntries",
        Reply::Result(json!({
            "entries": [{"key": b64(&instance), "xdr": b64(&instance_entry),
                "lastModifiedLedgerSeq": 990, "liveUntilLedgerSeq": 5000}],
            "latestLedger": 1000,
        })),
    )]);
    let account = account_key(&keeper_key().account_id());
    let keys: Vec<LedgerKey> = vec![instance.clone(), account.clone()];
    let answer = client(&mock).get_ledger_entries(&keys).unwrap();
    assert_eq!(
        mock.params()[0],
        json!({"keys": [b64(&instance), b64(&account)]})
    );
    let entry = decode_entry(&answer.entries[0]).unwrap();
    assert_eq!(entry.key, instance);
    assert_eq!(entry.contract_value(), Some(&ScVal::U32(5)));
    assert_eq!(
        (entry.last_modified_ledger, entry.live_until_ledger),
        (990, Some(5000))
    );
    assert_eq!(answer.entries.len(), 1, "missing keys are simply absent");
    mock.finish();
}

#[test]
fn get_ledger_entries_refuses_more_than_200_keys_without_a_request() {
    let mock = MockRpc::start(vec![]);
    let keys = vec![account_key(&keeper_key().account_id()); 201];
    let err = client(&mock).get_ledger_entries(&keys).unwrap_err();
    assert!(matches!(err, RpcError::Decode(_)), "{err}");
    assert!(mock.requests().is_empty());
}

#[test]
fn get_events_sends_documented_filter_and_pagination_shape() {
    let page = events_page(
        vec![event(
            "0004-0",
            contract(0x11),
            &[sym("liquidated")],
            &ScVal::from(5i128),
        )],
        "0004-0",
    );
    let mock = MockRpc::start(vec![("getEvents", Reply::Result(page))]);
    let params = GetEventsParams {
        start_ledger: Some(900),
        filters: vec![EventFilter {
            event_type: Some("contract".into()),
            contract_ids: vec![contract(0x11).to_string()],
            topics: vec![vec![b64(&sym("liquidated")), "*".into()]],
        }],
        pagination: Some(Pagination {
            cursor: None,
            limit: Some(100),
        }),
    };
    let answer = client(&mock).get_events(&params).unwrap();
    assert_eq!(
        mock.params()[0],
        json!({
            "startLedger": 900,
            "filters": [{"type": "contract", "contractIds": [contract(0x11).to_string()],
                "topics": [[b64(&sym("liquidated")), "*"]]}],
            "pagination": {"limit": 100},
        })
    );
    assert_eq!((answer.events.len(), answer.cursor.as_str()), (1, "0004-0"));
    assert_eq!(answer.events[0].contract_id, contract(0x11).to_string());
    mock.finish();
}

#[test]
fn simulate_send_and_get_transaction_decode_documented_results() {
    let call = liquidate_call();
    let mock = MockRpc::start(vec![
        (
            "simulateTransaction",
            Reply::Result(simulation(
                &ScVal::Bool(true),
                &[source_auth(&call)],
                51_000,
            )),
        ),
        (
            "sendTransaction",
            Reply::Result(send_result(&"cd".repeat(32), "PENDING")),
        ),
        (
            "getTransaction",
            Reply::Result(tx_applied(
                "SUCCESS",
                &tx_result(51_100, true),
                &meta_v4(ScVal::Void),
            )),
        ),
    ]);
    let client = client(&mock);
    let source = keeper::tx::TxSource {
        account: keeper_key().muxed_account(),
        sequence: 8,
        inclusion_fee: 100,
        max_time: 0,
    };
    let envelope = keeper::tx::unsigned_envelope(keeper::tx::invoke_tx(&call, &source).unwrap());
    let sim = client
        .simulate_transaction(&envelope, Some(1_000_000))
        .unwrap();
    assert_eq!(
        (sim.min_resource_fee, sim.results[0].auth.len()),
        (Some(51_000), 1)
    );
    assert_eq!(
        mock.params()[0],
        json!({"transaction": b64(&envelope), "resourceConfig": {"instructionLeeway": 1_000_000}})
    );
    let sent = client.send_transaction(&envelope).unwrap();
    assert_eq!(
        (sent.status, sent.latest_ledger_close_time),
        (SendStatus::Pending, 1714000000)
    );
    let info = client.get_transaction(&sent.hash).unwrap();
    assert_eq!(
        (info.status, info.ledger, info.created_at),
        (TxStatus::Success, Some(1002), Some(1714000010))
    );
    assert_eq!(mock.params()[2], json!({"hash": "cd".repeat(32)}));
    mock.finish();
}

#[test]
fn simulation_error_is_a_result_not_an_rpc_error() {
    let mock = MockRpc::start(vec![(
        "simulateTransaction",
        Reply::Result(
            json!({"latestLedger": 1000, "error": "HostError: Error(Contract, #301)",
            "events": []}),
        ),
    )]);
    let source = keeper::tx::TxSource {
        account: keeper_key().muxed_account(),
        sequence: 1,
        inclusion_fee: 100,
        max_time: 0,
    };
    let envelope =
        keeper::tx::unsigned_envelope(keeper::tx::invoke_tx(&liquidate_call(), &source).unwrap());
    let sim = client(&mock).simulate_transaction(&envelope, None).unwrap();
    assert_eq!(
        sim.error.as_deref(),
        Some("HostError: Error(Contract, #301)")
    );
    assert!(mock.params()[0].get("resourceConfig").is_none());
    mock.finish();
}

#[test]
fn json_rpc_error_object_is_typed_and_not_retried() {
    let mock = MockRpc::start(vec![(
        "getEvents",
        Reply::Error(-32602, "startLedger must be positive"),
    )]);
    let err = client(&mock)
        .get_events(&GetEventsParams::default())
        .unwrap_err();
    assert_eq!(
        err,
        RpcError::JsonRpc {
            code: -32602,
            message: "startLedger must be positive".into(),
            data: None
        }
    );
    assert_eq!(mock.requests().len(), 1);
    mock.finish();
}

#[test]
fn dropped_connection_is_retried_then_succeeds() {
    let mock = MockRpc::start(vec![
        ("getLatestLedger", Reply::Drop),
        ("getLatestLedger", Reply::Http(503, "overloaded")),
        (
            "getLatestLedger",
            Reply::Result(json!({"id": "aa", "protocolVersion": 27, "sequence": 77})),
        ),
    ]);
    assert_eq!(client(&mock).get_latest_ledger().unwrap().sequence, 77);
    assert_eq!(mock.requests().len(), 3);
    mock.finish();
}

#[test]
fn transport_failure_gives_up_after_the_policy_attempts() {
    let mock = MockRpc::start(vec![("getHealth", Reply::Drop), ("getHealth", Reply::Drop)]);
    let err = RpcClient::new(mock.url(), fast_retry(2))
        .get_health()
        .unwrap_err();
    assert!(
        matches!(err, RpcError::Transport { attempts: 2, .. }),
        "{err}"
    );
    mock.finish();
}

#[test]
fn unreachable_endpoint_is_a_transport_error() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = RpcClient::new(format!("http://127.0.0.1:{port}"), fast_retry(2));
    assert!(client.get_health().unwrap_err().is_transport());
}

#[test]
fn non_transient_http_status_and_garbage_are_not_retried() {
    let mock = MockRpc::start(vec![
        ("getHealth", Reply::Http(404, "no such path")),
        ("getHealth", Reply::Http(200, "<html>not json</html>")),
    ]);
    let client = client(&mock);
    assert_eq!(
        client.get_health().unwrap_err(),
        RpcError::Http {
            status: 404,
            body: "no such path".into()
        }
    );
    assert!(matches!(
        client.get_health().unwrap_err(),
        RpcError::Decode(_)
    ));
    assert_eq!(mock.requests().len(), 2);
    mock.finish();
}

//! `RpcBackend::submit` end to end against a local RPC server: read the sequence number,
//! simulate, apply the simulation, sign, send, poll. The server verifies the signature.

mod support;

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use keeper::{Backend, BackendError, RpcBackend, Val};
use serde_json::{json, Value};
use stellar_xdr::{
    OperationBody, Preconditions, ScVal, SorobanCredentials, TransactionEnvelope, TransactionExt,
    TransactionResult, TransactionResultExt, TransactionResultResult,
};
use support::fixtures::*;
use support::{MockRpc, Reply};

/// Decodes a sent envelope, checks its signature against the keeper's key over the testnet
/// network id, and returns it with its hex hash.
fn verified(params: &Value) -> (stellar_xdr::TransactionV1Envelope, String) {
    let b64 = params["transaction"].as_str().expect("transaction param");
    let envelope: TransactionEnvelope = keeper::xdr::decode_base64(b64, "envelope").unwrap();
    let hash = envelope.hash(keeper::tx::network_id(TESTNET)).unwrap();
    let TransactionEnvelope::Tx(v1) = envelope else {
        panic!("expected a v1 envelope");
    };
    assert_eq!(v1.signatures.len(), 1);
    let public = keeper_key().public_key();
    let decorated = &v1.signatures[0];
    assert_eq!(decorated.hint.0, public[28..32]);
    let signature = Signature::from_slice(decorated.signature.0.as_slice()).unwrap();
    VerifyingKey::from_bytes(&public)
        .unwrap()
        .verify(&hash, &signature)
        .expect("signature must verify against the envelope hash");
    (v1, hex::encode(hash))
}

fn connect(steps: Vec<(&'static str, Reply)>) -> (MockRpc, RpcBackend) {
    let mut all = vec![network_step()];
    all.extend(steps);
    let mock = MockRpc::start(all);
    let backend = RpcBackend::connect(fast_config(mock.url()), Some(keeper_key())).unwrap();
    (mock, backend)
}

fn sim_ok(fee: i64) -> Reply {
    Reply::Result(simulation(
        &ScVal::Bool(true),
        &[source_auth(&liquidate_call())],
        fee,
    ))
}

#[test]
fn simulate_sign_send_poll_returns_the_contract_result() {
    let send = Reply::With(Box::new(|params| {
        let (v1, hash) = verified(params);
        let tx = &v1.tx;
        assert_eq!((tx.seq_num.0, tx.fee), (42, 100 + 51_000));
        let TransactionExt::V1(data) = &tx.ext else {
            panic!("no Soroban data")
        };
        assert_eq!(*data, soroban_data(2_500_000, 51_000));
        let OperationBody::InvokeHostFunction(op) = &tx.operations[0].body else {
            panic!()
        };
        assert_eq!(op.auth.len(), 1);
        assert_eq!(op.auth[0].credentials, SorobanCredentials::SourceAccount);
        let Preconditions::Time(bounds) = &tx.cond else {
            panic!("no time bounds")
        };
        assert!(bounds.max_time.0 > 1_700_000_000, "a real deadline");
        Reply::Result(send_result(&hash, "PENDING"))
    }));
    let (mock, mut backend) = connect(vec![
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        ("simulateTransaction", sim_ok(51_000)),
        ("sendTransaction", send),
        ("getTransaction", Reply::Result(tx_not_found())),
        (
            "getTransaction",
            Reply::Result(tx_applied(
                "SUCCESS",
                &tx_result(40_000, true),
                &meta_v4(ScVal::from(1234i128)),
            )),
        ),
    ]);
    let result = backend.submit(&liquidate_call()).unwrap();
    assert_eq!(
        (result.value.clone(), result.fee_charged, result.ledger),
        (Val::I128(1234), 40_000, 1002)
    );
    let params = mock.params();
    assert_eq!(
        params[4]["hash"],
        json!(result.hash),
        "polls the hash it sent"
    );
    assert_eq!(params[5]["hash"], json!(result.hash));
    let account = keeper::xdr::account_key(&keeper_key().account_id());
    assert_eq!(params[1], json!({"keys": [b64(&account)]}));
    mock.finish();
}

#[test]
fn failing_simulation_is_a_call_failure_and_sends_nothing() {
    let (mock, mut backend) = connect(vec![
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        (
            "simulateTransaction",
            Reply::Result(json!({"latestLedger": 1000,
            "error": "HostError: Error(Contract, #302)"})),
        ),
    ]);
    let err = backend.submit(&liquidate_call()).unwrap_err();
    assert!(
        matches!(&err, BackendError::CallFailed(m) if m.contains("#302")),
        "{err}"
    );
    mock.finish();
}

#[test]
fn call_needing_another_signer_is_refused_before_sending() {
    let mut foreign = source_auth(&liquidate_call());
    foreign.credentials = SorobanCredentials::Address(stellar_xdr::SorobanAddressCredentials {
        address: contract(0x33).to_sc_address(),
        nonce: 1,
        signature_expiration_ledger: 0,
        signature: ScVal::Void,
    });
    let (mock, mut backend) = connect(vec![
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        (
            "simulateTransaction",
            Reply::Result(simulation(&ScVal::Void, &[foreign], 10)),
        ),
    ]);
    let err = backend.submit(&liquidate_call()).unwrap_err();
    assert!(
        matches!(&err, BackendError::CallFailed(m) if m.contains("authorization")),
        "{err}"
    );
    mock.finish();
}

#[test]
fn transaction_failed_on_chain_reports_the_result_code() {
    let send = Reply::With(Box::new(|p| {
        Reply::Result(send_result(&verified(p).1, "PENDING"))
    }));
    let (mock, mut backend) = connect(vec![
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        ("simulateTransaction", sim_ok(51_000)),
        ("sendTransaction", send),
        (
            "getTransaction",
            Reply::Result(tx_applied(
                "FAILED",
                &tx_result(51_100, false),
                &meta_v4(ScVal::Void),
            )),
        ),
    ]);
    let err = backend.submit(&liquidate_call()).unwrap_err();
    assert!(
        matches!(&err, BackendError::CallFailed(m) if m.contains("TxFailed") && m.contains("Trapped")),
        "{err}"
    );
    mock.finish();
}

#[test]
fn rejected_submission_reports_the_error_result() {
    let bad_seq = TransactionResult {
        fee_charged: 0,
        result: TransactionResultResult::TxBadSeq,
        ext: TransactionResultExt::V0,
    };
    let send = Reply::With(Box::new(move |p| {
        let mut answer = send_result(&verified(p).1, "ERROR");
        answer["errorResultXdr"] = json!(b64(&bad_seq));
        Reply::Result(answer)
    }));
    let (mock, mut backend) = connect(vec![
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        ("simulateTransaction", sim_ok(51_000)),
        ("sendTransaction", send),
    ]);
    let err = backend.submit(&liquidate_call()).unwrap_err();
    assert!(
        matches!(&err, BackendError::CallFailed(m) if m.contains("TxBadSeq")),
        "{err}"
    );
    mock.finish();
}

#[test]
fn try_again_later_resends_the_same_envelope() {
    let first = Reply::With(Box::new(|p| {
        Reply::Result(send_result(&verified(p).1, "TRY_AGAIN_LATER"))
    }));
    let second = Reply::With(Box::new(|p| {
        Reply::Result(send_result(&verified(p).1, "DUPLICATE"))
    }));
    let (mock, mut backend) = connect(vec![
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        ("simulateTransaction", sim_ok(51_000)),
        ("sendTransaction", first),
        ("sendTransaction", second),
        (
            "getTransaction",
            Reply::Result(tx_applied(
                "SUCCESS",
                &tx_result(1, true),
                &meta_v4(ScVal::Void),
            )),
        ),
    ]);
    assert_eq!(backend.submit(&liquidate_call()).unwrap().value, Val::Void);
    let params = mock.params();
    assert_eq!(params[3], params[4], "same signed envelope both times");
    mock.finish();
}

#[test]
fn unseen_transaction_is_unconfirmed_with_its_deadline() {
    let mut steps = vec![
        network_step(),
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        ("simulateTransaction", sim_ok(51_000)),
        (
            "sendTransaction",
            Reply::With(Box::new(|p| {
                Reply::Result(send_result(&verified(p).1, "PENDING"))
            })),
        ),
    ];
    // 300 ms of polling every 5 ms: script more NOT_FOUNDs than can be asked for.
    steps.extend((0..200).map(|_| ("getTransaction", Reply::Result(tx_not_found()))));
    let mock = MockRpc::start(steps);
    let mut backend = RpcBackend::connect(fast_config(mock.url()), Some(keeper_key())).unwrap();
    let err = backend.submit(&liquidate_call()).unwrap_err();
    let BackendError::Unconfirmed { hash, valid_until } = err else {
        panic!("{err}")
    };
    assert!(mock.params()[3]["transaction"].is_string());
    assert_eq!(hash.len(), 64);
    assert!(valid_until > 1_700_000_000);
}

#[test]
fn archived_entries_are_restored_before_the_call() {
    let mut archived = simulation(&ScVal::Void, &[], 51_000);
    archived["restorePreamble"] =
        json!({"transactionData": b64(&soroban_data(0, 9_000)), "minResourceFee": "9000"});
    let restore_send = Reply::With(Box::new(|p| {
        let (v1, hash) = verified(p);
        assert!(matches!(
            v1.tx.operations[0].body,
            OperationBody::RestoreFootprint(_)
        ));
        assert_eq!((v1.tx.seq_num.0, v1.tx.fee), (42, 100 + 9_000));
        Reply::Result(send_result(&hash, "PENDING"))
    }));
    let invoke_send = Reply::With(Box::new(|p| {
        let (v1, hash) = verified(p);
        assert!(matches!(
            v1.tx.operations[0].body,
            OperationBody::InvokeHostFunction(_)
        ));
        assert_eq!(v1.tx.seq_num.0, 43, "the restore used sequence 42");
        Reply::Result(send_result(&hash, "PENDING"))
    }));
    let applied = || {
        Reply::Result(tx_applied(
            "SUCCESS",
            &tx_result(1, true),
            &meta_v4(ScVal::Void),
        ))
    };
    let (mock, mut backend) = connect(vec![
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        ("simulateTransaction", Reply::Result(archived)),
        ("sendTransaction", restore_send),
        ("getTransaction", applied()),
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(42)),
        ),
        ("simulateTransaction", sim_ok(51_000)),
        ("sendTransaction", invoke_send),
        ("getTransaction", applied()),
    ]);
    backend.submit(&liquidate_call()).unwrap();
    mock.finish();
}

#[test]
fn missing_keeper_account_is_a_configuration_error() {
    let (mock, mut backend) = connect(vec![(
        "getLedgerEntries",
        Reply::Result(json!({"entries": [], "latestLedger": 1000})),
    )]);
    let err = backend.submit(&liquidate_call()).unwrap_err();
    assert!(
        matches!(&err, BackendError::Invalid(m) if m.contains(ACCOUNT)),
        "{err}"
    );
    mock.finish();
}

#[test]
fn submit_without_a_key_is_refused_and_simulate_works() {
    let mock = MockRpc::start(vec![
        network_step(),
        ("simulateTransaction", sim_ok(51_000)),
    ]);
    let mut backend = RpcBackend::connect(fast_config(mock.url()), None).unwrap();
    let sim = backend.simulate(&liquidate_call()).unwrap();
    assert_eq!(
        (sim.value, sim.min_resource_fee, sim.instructions),
        (Val::Bool(true), 51_000, 2_500_000)
    );
    assert!(matches!(
        backend.submit(&liquidate_call()),
        Err(BackendError::Invalid(_))
    ));
    mock.finish();
}

#[test]
fn connect_refuses_a_node_on_another_network() {
    let mock = MockRpc::start(vec![(
        "getNetwork",
        Reply::Result(
            json!({"passphrase": "Public Global Stellar Network ; September 2015", "protocolVersion": 27}),
        ),
    )]);
    let err = RpcBackend::connect(fast_config(mock.url()), None)
        .err()
        .unwrap();
    assert!(
        matches!(&err, BackendError::Invalid(m) if m.contains("Public Global")),
        "{err}"
    );
    mock.finish();
}

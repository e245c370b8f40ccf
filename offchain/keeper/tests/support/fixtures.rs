//! Canned values in the RPC's documented JSON format, and the XDR inside them.

use keeper::{ContractCall, ContractId, SecretKey};
use serde_json::{json, Value};
use stellar_xdr::{
    AccountEntry, AccountEntryExt, ExtensionPoint, Hash, InvokeContractArgs,
    InvokeHostFunctionResult, LedgerEntryData, LedgerFootprint, Limits, OperationResult,
    OperationResultTr, ScSymbol, ScVal, SequenceNumber, SorobanAuthorizationEntry,
    SorobanAuthorizedFunction, SorobanAuthorizedInvocation, SorobanCredentials, SorobanResources,
    SorobanTransactionData, SorobanTransactionDataExt, SorobanTransactionMetaExt,
    SorobanTransactionMetaV2, Thresholds, TransactionMeta, TransactionMetaV4, TransactionResult,
    TransactionResultExt, TransactionResultResult, WriteXdr,
};

/// The test network's passphrase.
pub const TESTNET: &str = "Test SDF Network ; September 2015";

/// A secret seed and its account, from the Stellar docs' key pair example.
pub const SEED: &str = "SAV76USXIJOBMEQXPANUOQM6F5LIOTLPDIDVRJBFFE2MDJXG24TAPUU7";
/// The account of [`SEED`].
pub const ACCOUNT: &str = "GCFXHS4GXL6BVUCXBWXGTITROWLVYXQKQLF4YH5O5JT3YZXCYPAFBJZB";

/// The keeper's key in the tests.
pub fn keeper_key() -> SecretKey {
    SecretKey::from_strkey(SEED).unwrap()
}

/// A contract id made of one repeated byte.
pub fn contract(byte: u8) -> ContractId {
    ContractId([byte; 32])
}

/// Base64 XDR of `value`.
pub fn b64(value: &impl WriteXdr) -> String {
    value.to_xdr_base64(Limits::none()).unwrap()
}

/// A symbol `ScVal`.
pub fn sym(s: &str) -> ScVal {
    ScVal::Symbol(ScSymbol::try_from(s).unwrap())
}

/// `liquidate(account, 7)` on contract 0x11..: a typical keeper call.
pub fn liquidate_call() -> ContractCall {
    ContractCall {
        contract: contract(0x11),
        function: "liquidate".into(),
        args: vec![
            ScVal::Address(contract(0x22).to_sc_address()),
            ScVal::U32(7),
        ],
    }
}

/// The keeper account's ledger entry data with sequence number `seq`.
pub fn account_entry(seq: i64) -> LedgerEntryData {
    LedgerEntryData::Account(AccountEntry {
        account_id: keeper_key().account_id(),
        balance: 100_000_000_000,
        seq_num: SequenceNumber(seq),
        num_sub_entries: 0,
        inflation_dest: None,
        flags: 0,
        home_domain: Default::default(),
        thresholds: Thresholds([1, 0, 0, 0]),
        signers: Default::default(),
        ext: AccountEntryExt::V0,
    })
}

/// A `getLedgerEntries` result holding the keeper account with sequence `seq`.
pub fn account_entries_result(seq: i64) -> Value {
    let key = keeper::xdr::account_key(&keeper_key().account_id());
    json!({
        "entries": [{
            "key": b64(&key),
            "xdr": b64(&account_entry(seq)),
            "lastModifiedLedgerSeq": 900,
        }],
        "latestLedger": 1000,
    })
}

/// Soroban data as a simulation returns it.
pub fn soroban_data(instructions: u32, resource_fee: i64) -> SorobanTransactionData {
    SorobanTransactionData {
        ext: SorobanTransactionDataExt::V0,
        resources: SorobanResources {
            footprint: LedgerFootprint {
                read_only: vec![keeper::xdr::contract_instance_key(&contract(0x11))]
                    .try_into()
                    .unwrap(),
                read_write: Default::default(),
            },
            instructions,
            disk_read_bytes: 1_000,
            write_bytes: 200,
        },
        resource_fee,
    }
}

/// A source-account authorization entry for `call`.
pub fn source_auth(call: &ContractCall) -> SorobanAuthorizationEntry {
    SorobanAuthorizationEntry {
        credentials: SorobanCredentials::SourceAccount,
        root_invocation: SorobanAuthorizedInvocation {
            function: SorobanAuthorizedFunction::ContractFn(InvokeContractArgs {
                contract_address: call.contract.to_sc_address(),
                function_name: ScSymbol::try_from(call.function.as_str()).unwrap(),
                args: call.args.clone().try_into().unwrap(),
            }),
            sub_invocations: Default::default(),
        },
    }
}

/// A successful `simulateTransaction` result.
pub fn simulation(value: &ScVal, auth: &[SorobanAuthorizationEntry], fee: i64) -> Value {
    json!({
        "latestLedger": 1000,
        "transactionData": b64(&soroban_data(2_500_000, fee)),
        "minResourceFee": fee.to_string(),
        "results": [{
            "auth": auth.iter().map(b64).collect::<Vec<_>>(),
            "xdr": b64(value),
        }],
        "events": [],
    })
}

/// A `TransactionResult` charging `fee`, successful or trapped.
pub fn tx_result(fee: i64, success: bool) -> TransactionResult {
    let op = |r| OperationResult::OpInner(OperationResultTr::InvokeHostFunction(r));
    let result = if success {
        TransactionResultResult::TxSuccess(
            vec![op(InvokeHostFunctionResult::Success(Hash([0; 32])))]
                .try_into()
                .unwrap(),
        )
    } else {
        TransactionResultResult::TxFailed(
            vec![op(InvokeHostFunctionResult::Trapped)]
                .try_into()
                .unwrap(),
        )
    };
    TransactionResult {
        fee_charged: fee,
        result,
        ext: TransactionResultExt::V0,
    }
}

/// Transaction meta v4 carrying `value` as the contract's return value.
pub fn meta_v4(value: ScVal) -> TransactionMeta {
    TransactionMeta::V4(TransactionMetaV4 {
        ext: ExtensionPoint::V0,
        tx_changes_before: Default::default(),
        operations: Default::default(),
        tx_changes_after: Default::default(),
        soroban_meta: Some(SorobanTransactionMetaV2 {
            ext: SorobanTransactionMetaExt::V0,
            return_value: Some(value),
        }),
        events: Default::default(),
        diagnostic_events: Default::default(),
    })
}

/// A `sendTransaction` result.
pub fn send_result(hash: &str, status: &str) -> Value {
    json!({
        "hash": hash,
        "status": status,
        "latestLedger": 1000,
        "latestLedgerCloseTime": "1714000000",
    })
}

/// A `getTransaction` result with status `NOT_FOUND`.
pub fn tx_not_found() -> Value {
    json!({
        "status": "NOT_FOUND",
        "latestLedger": 1001,
        "latestLedgerCloseTime": "1714000005",
        "oldestLedger": 10,
        "oldestLedgerCloseTime": "1713000000",
    })
}

/// A `getTransaction` result for an applied transaction.
pub fn tx_applied(status: &str, result: &TransactionResult, meta: &TransactionMeta) -> Value {
    json!({
        "status": status,
        "latestLedger": 1002,
        "latestLedgerCloseTime": "1714000010",
        "oldestLedger": 10,
        "oldestLedgerCloseTime": "1713000000",
        "applicationOrder": 1,
        "feeBump": false,
        "envelopeXdr": "",
        "resultXdr": b64(result),
        "resultMetaXdr": b64(meta),
        "ledger": 1002,
        "createdAt": "1714000010",
    })
}

/// One `getEvents` event emitted by `contract`.
pub fn event(id: &str, contract: ContractId, topics: &[ScVal], value: &ScVal) -> Value {
    json!({
        "type": "contract",
        "ledger": 1000,
        "ledgerClosedAt": "2024-04-25T00:00:00Z",
        "contractId": contract.to_string(),
        "id": id,
        "operationIndex": 0,
        "transactionIndex": 1,
        "txHash": "ab".repeat(32),
        "inSuccessfulContractCall": true,
        "topic": topics.iter().map(b64).collect::<Vec<_>>(),
        "value": b64(value),
    })
}

/// A `getEvents` result.
pub fn events_page(events: Vec<Value>, cursor: &str) -> Value {
    json!({
        "events": events,
        "cursor": cursor,
        "latestLedger": 1000,
        "oldestLedger": 10,
        "latestLedgerCloseTime": "1714000000",
        "oldestLedgerCloseTime": "1713000000",
    })
}

/// Backend settings for `url` with fast polling and retries, so tests run in milliseconds.
pub fn fast_config(url: String) -> keeper::RpcConfig {
    use std::time::Duration;
    let mut config = keeper::RpcConfig::new(url, TESTNET);
    config.client.retry.initial_backoff = Duration::from_millis(5);
    config.client.retry.max_backoff = Duration::from_millis(20);
    config.poll.interval = Duration::from_millis(5);
    config.poll.timeout = Duration::from_millis(300);
    config
}

/// The `getNetwork` step every backend starts with.
pub fn network_step() -> (&'static str, super::Reply) {
    (
        "getNetwork",
        super::Reply::Result(json!({"passphrase": TESTNET, "protocolVersion": 27})),
    )
}

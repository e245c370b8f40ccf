//! Request and response types of the transaction methods (`simulateTransaction`,
//! `sendTransaction`, `getTransaction`), in the RPC's documented JSON format.

use serde::{Deserialize, Serialize};

use super::types::{int_or_string, opt_int_or_string};

/// `simulateTransaction` params.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulateParams {
    /// The transaction envelope to simulate, base64 XDR (signatures are not needed).
    pub transaction: String,
    /// Extra CPU instructions to budget above the simulated amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_config: Option<ResourceConfig>,
}

/// `simulateTransaction` resource configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceConfig {
    /// Instructions added to the simulated instruction count.
    pub instruction_leeway: u64,
}

/// `simulateTransaction` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// Latest ledger the simulation ran against.
    pub latest_ledger: u32,
    /// Set when the invocation failed; everything else but `events` is then absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `SorobanTransactionData` to attach to the transaction, base64 XDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_data: Option<String>,
    /// Minimum resource fee in stroops.
    #[serde(
        default,
        deserialize_with = "opt_int_or_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_resource_fee: Option<i64>,
    /// One result per host function (always one for `InvokeHostFunction`).
    #[serde(default)]
    pub results: Vec<HostFunctionResult>,
    /// Present when archived entries must be restored before the call can run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_preamble: Option<RestorePreamble>,
    /// Diagnostic events, each a base64 XDR `DiagnosticEvent`.
    #[serde(default)]
    pub events: Vec<String>,
}

/// The result of one simulated host function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HostFunctionResult {
    /// Authorization entries the call needs, each a base64 XDR `SorobanAuthorizationEntry`.
    #[serde(default)]
    pub auth: Vec<String>,
    /// Return value, a base64 XDR `ScVal`.
    pub xdr: String,
}

/// What a `RestoreFootprint` transaction needs before the simulated call can run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePreamble {
    /// `SorobanTransactionData` for the restore transaction, base64 XDR.
    pub transaction_data: String,
    /// Its minimum resource fee in stroops.
    #[serde(deserialize_with = "int_or_string")]
    pub min_resource_fee: i64,
}

/// `sendTransaction` params.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SendTransactionParams {
    /// The signed `TransactionEnvelope`, base64 XDR.
    pub transaction: String,
}

/// `getTransaction` params.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetTransactionParams {
    /// Transaction hash, hex.
    pub hash: String,
}

/// `sendTransaction` status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SendStatus {
    /// Accepted into the queue: poll `getTransaction`.
    Pending,
    /// Already in the queue: poll `getTransaction`.
    Duplicate,
    /// Not accepted this time (for example the source account has a transaction in flight).
    TryAgainLater,
    /// Rejected: `errorResultXdr` says why.
    Error,
}

/// `sendTransaction` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendResult {
    /// Transaction hash, hex.
    pub hash: String,
    /// Submission status.
    pub status: SendStatus,
    /// Latest ledger known to the node.
    pub latest_ledger: u32,
    /// Close time of that ledger, unix seconds.
    #[serde(deserialize_with = "int_or_string")]
    pub latest_ledger_close_time: i64,
    /// On `ERROR`: the `TransactionResult`, base64 XDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_result_xdr: Option<String>,
    /// On `ERROR`: diagnostic events, base64 XDR.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostic_events_xdr: Vec<String>,
}

/// `getTransaction` status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TxStatus {
    /// Applied successfully.
    Success,
    /// Applied and failed (the fee was charged).
    Failed,
    /// Not (yet) in a ledger the node knows: not a failure until the time bound passes.
    NotFound,
}

/// `getTransaction` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionInfo {
    /// Status of the transaction.
    pub status: TxStatus,
    /// Latest ledger known to the node.
    pub latest_ledger: u32,
    /// Close time of that ledger, unix seconds.
    #[serde(deserialize_with = "int_or_string")]
    pub latest_ledger_close_time: i64,
    /// Ledger that included the transaction (`SUCCESS`/`FAILED` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<u32>,
    /// Unix close time of that ledger (`SUCCESS`/`FAILED` only).
    #[serde(
        default,
        deserialize_with = "opt_int_or_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<i64>,
    /// The `TransactionEnvelope`, base64 XDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope_xdr: Option<String>,
    /// The `TransactionResult`, base64 XDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_xdr: Option<String>,
    /// The `TransactionMeta`, base64 XDR: carries the contract's return value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_meta_xdr: Option<String>,
}

//! Building, assembling and signing the keeper's Soroban transactions.
//!
//! The flow for one contract call: [`invoke_tx`] builds an `InvokeHostFunction` transaction
//! without resources; the RPC simulates it; [`apply_simulation`] attaches the simulated
//! `SorobanTransactionData`, the authorization entries and the fee; [`sign`] signs it over the
//! network id. Archived entries are restored first with a transaction from [`restore_tx`].

use std::fmt;

use sha2::{Digest, Sha256};
use stellar_xdr::{
    ExtensionPoint, HostFunction, InvokeContractArgs, InvokeHostFunctionOp, Memo, MuxedAccount,
    Operation, OperationBody, Preconditions, RestoreFootprintOp, ScVal, SequenceNumber,
    SorobanAuthorizationEntry, SorobanCredentials, SorobanTransactionData, TimeBounds, TimePoint,
    Transaction, TransactionEnvelope, TransactionExt, TransactionV1Envelope,
};

use crate::keys::{ContractId, SecretKey};
use crate::rpc::{RestorePreamble, Simulation};
use crate::xdr::decode_base64;

/// One call of a contract function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractCall {
    /// The contract to call.
    pub contract: ContractId,
    /// The function name (a symbol: `[a-zA-Z0-9_]`, at most 32 characters).
    pub function: String,
    /// The arguments, in order.
    pub args: Vec<ScVal>,
}

/// Where a transaction comes from and how long it stays valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxSource {
    /// The paying and authorizing account.
    pub account: MuxedAccount,
    /// The sequence number of this transaction (the account's current one plus one).
    pub sequence: i64,
    /// Fee offered for inclusion, in stroops, on top of the resource fee.
    pub inclusion_fee: u32,
    /// Unix time after which the transaction can no longer be included. A bounded lifetime is
    /// what makes "not found after `max_time`" a final answer.
    pub max_time: u64,
}

/// Why a transaction could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxError {
    /// The simulation failed: the call would fail on chain.
    Simulation(String),
    /// The call needs an authorization other than the source account's own.
    NeedsForeignAuth(String),
    /// A value does not fit its XDR type (function name, too many arguments, fee overflow).
    Invalid(String),
    /// The simulation answer lacks a field or carries bad XDR.
    Decode(String),
}

impl fmt::Display for TxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TxError::Simulation(e) => write!(f, "simulation failed: {e}"),
            TxError::NeedsForeignAuth(who) => {
                write!(
                    f,
                    "call needs authorization from {who}, not only the source account"
                )
            }
            TxError::Invalid(e) => write!(f, "invalid transaction: {e}"),
            TxError::Decode(e) => write!(f, "bad simulation answer: {e}"),
        }
    }
}

impl std::error::Error for TxError {}

/// The network id signatures cover: SHA-256 of the network passphrase.
pub fn network_id(passphrase: &str) -> [u8; 32] {
    Sha256::digest(passphrase.as_bytes()).into()
}

/// Builds the unsimulated `InvokeHostFunction` transaction for `call` (fee = inclusion fee, no
/// Soroban data, no auth yet).
///
/// # Errors
///
/// [`TxError::Invalid`] if the function name is not a symbol or there are too many arguments.
pub fn invoke_tx(call: &ContractCall, source: &TxSource) -> Result<Transaction, TxError> {
    let function_name = crate::val::symbol(&call.function).map_err(TxError::Invalid)?;
    let args = call
        .args
        .clone()
        .try_into()
        .map_err(|e| TxError::Invalid(format!("arguments: {e}")))?;
    let op = OperationBody::InvokeHostFunction(InvokeHostFunctionOp {
        host_function: HostFunction::InvokeContract(InvokeContractArgs {
            contract_address: call.contract.to_sc_address(),
            function_name,
            args,
        }),
        auth: Default::default(),
    });
    base_tx(op, source)
}

/// Builds a `RestoreFootprint` transaction from a simulation's restore preamble, ready to sign.
///
/// # Errors
///
/// [`TxError::Decode`] if the preamble's data is not XDR; [`TxError::Invalid`] on fee overflow.
pub fn restore_tx(preamble: &RestorePreamble, source: &TxSource) -> Result<Transaction, TxError> {
    let op = OperationBody::RestoreFootprint(RestoreFootprintOp {
        ext: ExtensionPoint::V0,
    });
    let mut tx = base_tx(op, source)?;
    let data: SorobanTransactionData =
        decode_base64(&preamble.transaction_data, "restore transaction data")
            .map_err(|e| TxError::Decode(e.to_string()))?;
    tx.fee = total_fee(source.inclusion_fee, preamble.min_resource_fee)?;
    tx.ext = TransactionExt::V1(data);
    Ok(tx)
}

fn base_tx(body: OperationBody, source: &TxSource) -> Result<Transaction, TxError> {
    let operations = vec![Operation {
        source_account: None,
        body,
    }];
    Ok(Transaction {
        source_account: source.account.clone(),
        fee: source.inclusion_fee,
        seq_num: SequenceNumber(source.sequence),
        cond: Preconditions::Time(TimeBounds {
            min_time: TimePoint(0),
            max_time: TimePoint(source.max_time),
        }),
        memo: Memo::None,
        operations: operations
            .try_into()
            .map_err(|e| TxError::Invalid(format!("operations: {e}")))?,
        ext: TransactionExt::V0,
    })
}

/// Attaches a successful simulation to `tx`: its `SorobanTransactionData` (footprint,
/// resources, resource fee), its authorization entries, and fee = inclusion fee + minimum
/// resource fee.
///
/// # Errors
///
/// [`TxError::Simulation`] if the simulation failed or needs a restore first,
/// [`TxError::NeedsForeignAuth`] if an auth entry is not the source account's,
/// [`TxError::Decode`] on missing fields or bad XDR, [`TxError::Invalid`] on fee overflow.
pub fn apply_simulation(
    tx: &mut Transaction,
    sim: &Simulation,
    inclusion_fee: u32,
) -> Result<(), TxError> {
    if let Some(error) = &sim.error {
        return Err(TxError::Simulation(error.clone()));
    }
    if sim.restore_preamble.is_some() {
        return Err(TxError::Simulation(
            "archived entries must be restored first".into(),
        ));
    }
    let data_b64 = sim
        .transaction_data
        .as_deref()
        .ok_or_else(|| TxError::Decode("no transactionData".into()))?;
    let data: SorobanTransactionData =
        decode_base64(data_b64, "transactionData").map_err(|e| TxError::Decode(e.to_string()))?;
    let min_resource_fee = sim
        .min_resource_fee
        .ok_or_else(|| TxError::Decode("no minResourceFee".into()))?;
    let auth = simulated_auth(sim)?;
    let op = tx
        .operations
        .first()
        .cloned()
        .ok_or_else(|| TxError::Invalid("transaction has no operation".into()))?;
    let OperationBody::InvokeHostFunction(mut invoke) = op.body else {
        return Err(TxError::Invalid(
            "not an InvokeHostFunction transaction".into(),
        ));
    };
    invoke.auth = auth
        .try_into()
        .map_err(|e| TxError::Invalid(format!("auth entries: {e}")))?;
    let op = Operation {
        source_account: op.source_account,
        body: OperationBody::InvokeHostFunction(invoke),
    };
    tx.operations = vec![op]
        .try_into()
        .map_err(|e| TxError::Invalid(format!("operations: {e}")))?;
    tx.fee = total_fee(inclusion_fee, min_resource_fee)?;
    tx.ext = TransactionExt::V1(data);
    Ok(())
}

/// The simulated authorization entries, checked to be source-account credentials: the keeper
/// signs only as itself, through the transaction signature.
fn simulated_auth(sim: &Simulation) -> Result<Vec<SorobanAuthorizationEntry>, TxError> {
    let Some(result) = sim.results.first() else {
        return Ok(Vec::new());
    };
    result
        .auth
        .iter()
        .map(|b64| {
            let entry: SorobanAuthorizationEntry =
                decode_base64(b64, "auth entry").map_err(|e| TxError::Decode(e.to_string()))?;
            match &entry.credentials {
                SorobanCredentials::SourceAccount => Ok(entry),
                other => Err(TxError::NeedsForeignAuth(format!("{other:?}"))),
            }
        })
        .collect()
}

fn total_fee(inclusion_fee: u32, resource_fee: i64) -> Result<u32, TxError> {
    u32::try_from(resource_fee)
        .ok()
        .and_then(|r| r.checked_add(inclusion_fee))
        .ok_or_else(|| {
            TxError::Invalid(format!(
                "fee {inclusion_fee} + resource fee {resource_fee} does not fit a u32"
            ))
        })
}

/// The return value of a successful simulation.
///
/// # Errors
///
/// [`TxError::Simulation`] if the simulation failed; [`TxError::Decode`] if it has no result
/// or bad XDR.
pub fn simulated_return(sim: &Simulation) -> Result<ScVal, TxError> {
    if let Some(error) = &sim.error {
        return Err(TxError::Simulation(error.clone()));
    }
    let result = sim
        .results
        .first()
        .ok_or_else(|| TxError::Decode("no results".into()))?;
    decode_base64(&result.xdr, "result value").map_err(|e| TxError::Decode(e.to_string()))
}

/// Wraps `tx` in an envelope without signatures (what `simulateTransaction` takes).
pub fn unsigned_envelope(tx: Transaction) -> TransactionEnvelope {
    TransactionEnvelope::Tx(TransactionV1Envelope {
        tx,
        signatures: Default::default(),
    })
}

/// Signs `tx` for the network with id `network_id` and returns the envelope with its hash.
///
/// # Errors
///
/// [`TxError::Invalid`] if the transaction cannot be serialized (it exceeds an XDR bound).
pub fn sign(
    tx: Transaction,
    key: &SecretKey,
    network_id: [u8; 32],
) -> Result<(TransactionEnvelope, [u8; 32]), TxError> {
    let hash = tx
        .hash(network_id)
        .map_err(|e| TxError::Invalid(format!("hashing: {e}")))?;
    let signatures = vec![key.sign_hash(&hash)]
        .try_into()
        .map_err(|e| TxError::Invalid(format!("signatures: {e}")))?;
    let envelope = TransactionEnvelope::Tx(TransactionV1Envelope { tx, signatures });
    Ok((envelope, hash))
}

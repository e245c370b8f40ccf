//! Simulate → (restore) → assemble → sign → send → poll, for [`RpcBackend`].

use std::time::{SystemTime, UNIX_EPOCH};

use stellar_xdr::{Transaction, TransactionResult};

use super::{key_b64, RpcBackend};
use crate::backend::{BackendError, TxResult};
use crate::keys::SecretKey;
use crate::rpc::{SendResult, Simulation, TransactionInfo, TxOutcome, TxStatus};
use crate::tx::{self, ContractCall, TxError, TxSource};
use crate::val::Val;
use crate::xdr::{account_key, decode_base64, meta_return_value};

/// Maps a transaction-building error to what the keeper should do about it.
pub(super) fn tx_error(err: TxError) -> BackendError {
    match err {
        TxError::Simulation(_) | TxError::NeedsForeignAuth(_) => {
            BackendError::CallFailed(err.to_string())
        }
        TxError::Invalid(_) | TxError::Decode(_) => BackendError::Invalid(err.to_string()),
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl RpcBackend {
    /// Simulates `call` sent from `source`.
    pub(super) fn simulate_call(
        &self,
        call: &ContractCall,
        source: &TxSource,
    ) -> Result<Simulation, BackendError> {
        let unsigned = tx::unsigned_envelope(tx::invoke_tx(call, source).map_err(tx_error)?);
        Ok(self
            .client
            .simulate_transaction(&unsigned, self.config.instruction_leeway)?)
    }

    pub(super) fn submit_call(&mut self, call: &ContractCall) -> Result<TxResult, BackendError> {
        let key = self
            .key
            .clone()
            .ok_or_else(|| BackendError::Invalid("no secret key: cannot submit".into()))?;
        let mut source = self.next_source(&key)?;
        let mut sim = self.simulate_call(call, &source)?;
        if let Some(preamble) = sim.restore_preamble.clone() {
            let restore = tx::restore_tx(&preamble, &source).map_err(tx_error)?;
            self.sign_send_wait(restore, &key, source.max_time)?;
            source = self.next_source(&key)?;
            sim = self.simulate_call(call, &source)?;
        }
        let mut invoke = tx::invoke_tx(call, &source).map_err(tx_error)?;
        tx::apply_simulation(&mut invoke, &sim, self.config.inclusion_fee).map_err(tx_error)?;
        self.sign_send_wait(invoke, &key, source.max_time)
    }

    /// The source for the next transaction: the account's sequence number plus one, read from
    /// the ledger each time so a restart or another sender never reuses a number.
    fn next_source(&self, key: &SecretKey) -> Result<TxSource, BackendError> {
        let account_key = account_key(&key.account_id());
        let answer = self
            .client
            .get_ledger_entries(std::slice::from_ref(&account_key))?;
        let entry = answer
            .entries
            .first()
            .map(crate::xdr::decode_entry)
            .transpose()?
            .ok_or_else(|| {
                BackendError::Invalid(format!(
                    "keeper account {} not found (ledger key {})",
                    key.account_strkey(),
                    key_b64(&account_key)
                ))
            })?;
        let sequence = entry.account_sequence().ok_or_else(|| {
            BackendError::Invalid("account key answered with another entry".into())
        })?;
        Ok(TxSource {
            account: key.muxed_account(),
            sequence: sequence
                .checked_add(1)
                .ok_or_else(|| BackendError::Invalid("sequence number exhausted".into()))?,
            inclusion_fee: self.config.inclusion_fee,
            max_time: unix_now().saturating_add(self.config.tx_lifetime.as_secs()),
        })
    }

    fn sign_send_wait(
        &self,
        transaction: Transaction,
        key: &SecretKey,
        valid_until: u64,
    ) -> Result<TxResult, BackendError> {
        let (envelope, hash) = tx::sign(transaction, key, self.network_id).map_err(tx_error)?;
        match self.client.send_and_wait(&envelope, &self.config.poll)? {
            TxOutcome::Applied(info) => applied(info, &hex::encode(hash)),
            TxOutcome::Rejected(sent) => Err(BackendError::CallFailed(rejection(&sent))),
            TxOutcome::NotConfirmed { hash } => {
                Err(BackendError::Unconfirmed { hash, valid_until })
            }
        }
    }
}

fn applied(info: TransactionInfo, hash: &str) -> Result<TxResult, BackendError> {
    let result: Option<TransactionResult> = info
        .result_xdr
        .as_deref()
        .map(|b64| decode_base64(b64, "resultXdr"))
        .transpose()?;
    let ledger = info.ledger.unwrap_or(0);
    if info.status == TxStatus::Failed {
        let code = result.as_ref().map_or("unknown".into(), result_code);
        return Err(BackendError::CallFailed(format!(
            "transaction {hash} failed in ledger {ledger}: {code}"
        )));
    }
    let value = match info.result_meta_xdr.as_deref() {
        Some(b64) => meta_return_value(&decode_base64(b64, "resultMetaXdr")?),
        None => None,
    };
    Ok(TxResult {
        hash: hash.to_owned(),
        ledger,
        value: value.as_ref().map_or(Val::Void, Val::from),
        fee_charged: result.map_or(0, |r| r.fee_charged),
    })
}

/// A short description of a transaction result: its code and, for an operation failure, the
/// operation's result.
fn result_code(result: &TransactionResult) -> String {
    use stellar_xdr::TransactionResultResult as R;
    match &result.result {
        R::TxFailed(ops) => match ops.first() {
            Some(op) => format!("{} ({op:?})", result.result.name()),
            None => result.result.name().to_owned(),
        },
        other => other.name().to_owned(),
    }
}

fn rejection(sent: &SendResult) -> String {
    let code = sent
        .error_result_xdr
        .as_deref()
        .and_then(|b64| decode_base64::<TransactionResult>(b64, "errorResultXdr").ok())
        .map_or_else(|| "no error result".to_owned(), |r| result_code(&r));
    format!("transaction {} rejected: {code}", sent.hash)
}

//! The typed Stellar RPC methods the keeper uses.

use std::thread;
use std::time::{Duration, Instant};

use stellar_xdr::{LedgerKey, Limits, TransactionEnvelope, WriteXdr};

use super::tx_types::{
    GetTransactionParams, ResourceConfig, SendResult, SendStatus, SendTransactionParams,
    SimulateParams, Simulation, TransactionInfo, TxStatus,
};
use super::types::{
    Events, GetEventsParams, GetLedgerEntriesParams, Health, LatestLedger, LedgerEntries, Network,
};
use super::{RpcClient, RpcError};

/// Most keys `getLedgerEntries` accepts in one request.
pub const MAX_LEDGER_KEYS: usize = 200;

/// How `send_and_wait` waits for a transaction to land.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollConfig {
    /// Delay between two `getTransaction` calls (and between `TRY_AGAIN_LATER` resends).
    pub interval: Duration,
    /// Give up (with [`TxOutcome::NotConfirmed`]) after this long.
    pub timeout: Duration,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(60),
        }
    }
}

/// How a submitted transaction ended, as far as the node could tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxOutcome {
    /// In a ledger, with status `SUCCESS` or `FAILED`.
    Applied(TransactionInfo),
    /// `sendTransaction` answered `ERROR`: the transaction never entered the queue.
    Rejected(SendResult),
    /// Still `NOT_FOUND` (or refused with `TRY_AGAIN_LATER`) at the deadline. Not a failure:
    /// the transaction can still be included until its time bound passes, so do not build a
    /// replacement before then.
    NotConfirmed {
        /// Transaction hash, hex.
        hash: String,
    },
}

impl RpcClient {
    /// `getHealth`: whether the node is in sync and which ledgers it serves.
    ///
    /// # Errors
    ///
    /// See [`RpcClient::call`]; an unhealthy node answers with a JSON-RPC error.
    pub fn get_health(&self) -> Result<Health, RpcError> {
        self.call::<(), _>("getHealth", None)
    }

    /// `getNetwork`: the network passphrase and protocol version.
    ///
    /// # Errors
    ///
    /// See [`RpcClient::call`].
    pub fn get_network(&self) -> Result<Network, RpcError> {
        self.call::<(), _>("getNetwork", None)
    }

    /// `getLatestLedger`: sequence and protocol version of the latest ledger.
    ///
    /// # Errors
    ///
    /// See [`RpcClient::call`].
    pub fn get_latest_ledger(&self) -> Result<LatestLedger, RpcError> {
        self.call::<(), _>("getLatestLedger", None)
    }

    /// `getLedgerEntries` for up to [`MAX_LEDGER_KEYS`] keys. Missing entries are absent from
    /// the result; decode the found ones with [`crate::xdr::decode_entry`].
    ///
    /// # Errors
    ///
    /// [`RpcError::Decode`] if a key cannot be encoded or there are too many keys; otherwise see
    /// [`RpcClient::call`].
    pub fn get_ledger_entries(&self, keys: &[LedgerKey]) -> Result<LedgerEntries, RpcError> {
        if keys.len() > MAX_LEDGER_KEYS {
            return Err(RpcError::Decode(format!(
                "{} ledger keys requested, the RPC accepts at most {MAX_LEDGER_KEYS}",
                keys.len()
            )));
        }
        let keys = keys
            .iter()
            .map(|k| k.to_xdr_base64(Limits::none()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| RpcError::decode("ledger key", e))?;
        self.call("getLedgerEntries", Some(&GetLedgerEntriesParams { keys }))
    }

    /// `getEvents`: one page of events matching `params`.
    ///
    /// # Errors
    ///
    /// See [`RpcClient::call`]; a start ledger outside the node's window is a JSON-RPC error.
    pub fn get_events(&self, params: &GetEventsParams) -> Result<Events, RpcError> {
        self.call("getEvents", Some(params))
    }

    /// `simulateTransaction` of `envelope`, optionally budgeting `instruction_leeway` extra
    /// instructions.
    ///
    /// # Errors
    ///
    /// See [`RpcClient::call`]. A failing invocation is not an `Err`: it comes back in
    /// [`Simulation::error`].
    pub fn simulate_transaction(
        &self,
        envelope: &TransactionEnvelope,
        instruction_leeway: Option<u64>,
    ) -> Result<Simulation, RpcError> {
        let params = SimulateParams {
            transaction: encode_envelope(envelope)?,
            resource_config: instruction_leeway.map(|l| ResourceConfig {
                instruction_leeway: l,
            }),
        };
        self.call("simulateTransaction", Some(&params))
    }

    /// `sendTransaction` of a signed `envelope`.
    ///
    /// # Errors
    ///
    /// See [`RpcClient::call`]. A rejection is not an `Err`: it is [`SendStatus::Error`].
    pub fn send_transaction(&self, envelope: &TransactionEnvelope) -> Result<SendResult, RpcError> {
        let params = SendTransactionParams {
            transaction: encode_envelope(envelope)?,
        };
        self.call("sendTransaction", Some(&params))
    }

    /// `getTransaction` of the transaction with hex hash `hash`.
    ///
    /// # Errors
    ///
    /// See [`RpcClient::call`].
    pub fn get_transaction(&self, hash: &str) -> Result<TransactionInfo, RpcError> {
        let params = GetTransactionParams { hash: hash.into() };
        self.call("getTransaction", Some(&params))
    }

    /// Sends `envelope` and polls `getTransaction` until it is applied or `poll.timeout`
    /// passes. `TRY_AGAIN_LATER` resends the same envelope; `DUPLICATE` is treated as
    /// `PENDING`.
    ///
    /// # Errors
    ///
    /// Only RPC failures (after retries); every chain outcome is a [`TxOutcome`].
    pub fn send_and_wait(
        &self,
        envelope: &TransactionEnvelope,
        poll: &PollConfig,
    ) -> Result<TxOutcome, RpcError> {
        let deadline = Instant::now() + poll.timeout;
        let sent = loop {
            let sent = self.send_transaction(envelope)?;
            match sent.status {
                SendStatus::Error => return Ok(TxOutcome::Rejected(sent)),
                SendStatus::Pending | SendStatus::Duplicate => break sent,
                SendStatus::TryAgainLater if Instant::now() >= deadline => {
                    return Ok(TxOutcome::NotConfirmed { hash: sent.hash });
                }
                SendStatus::TryAgainLater => thread::sleep(poll.interval),
            }
        };
        loop {
            let info = self.get_transaction(&sent.hash)?;
            if info.status != TxStatus::NotFound {
                return Ok(TxOutcome::Applied(info));
            }
            if Instant::now() >= deadline {
                return Ok(TxOutcome::NotConfirmed { hash: sent.hash });
            }
            thread::sleep(poll.interval);
        }
    }
}

fn encode_envelope(envelope: &TransactionEnvelope) -> Result<String, RpcError> {
    envelope
        .to_xdr_base64(Limits::none())
        .map_err(|e| RpcError::decode("transaction envelope", e))
}

//! The chain interface the keeper logic runs against.
//!
//! Two implementations: [`crate::rpc_backend::RpcBackend`] talks to a Soroban RPC endpoint;
//! the embedded-host backend (the in-process Soroban host the simulator drives) is the other.
//! The keeper logic only sees this trait, so the same strategy code runs in simulations and
//! on a network.

use std::fmt;

use stellar_xdr::LedgerKey;

use crate::events::ChainEvent;
use crate::keys::ContractId;
use crate::tx::ContractCall;
use crate::val::Val;
use crate::xdr::Entry;

/// Where to resume reading events.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventCursor {
    /// From this ledger on (inclusive): for the first start, or after a restart without a saved
    /// cursor.
    Ledger(u32),
    /// Strictly after this position, as returned by a previous [`Backend::events_since`]. It is
    /// opaque and stable, so the keeper persists it to resume exactly where it stopped.
    After(String),
}

/// A batch of events and the cursor to read the next batch from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBatch {
    /// Events in chain order.
    pub events: Vec<ChainEvent>,
    /// Pass this to the next `events_since` call.
    pub next: EventCursor,
    /// Latest ledger the backend knew when answering.
    pub latest_ledger: u32,
}

/// A successful simulation of a contract call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimResult {
    /// The function's return value.
    pub value: Val,
    /// Resource fee the call would cost, in stroops.
    pub min_resource_fee: i64,
    /// CPU instructions the call would use.
    pub instructions: u32,
    /// Ledger the simulation ran against.
    pub latest_ledger: u32,
}

/// A contract call applied successfully on chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxResult {
    /// Transaction hash, hex.
    pub hash: String,
    /// Ledger that included it.
    pub ledger: u32,
    /// The function's return value.
    pub value: Val,
    /// Total fee charged, in stroops.
    pub fee_charged: i64,
}

/// Why a backend call failed, classified by what the keeper should do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendError {
    /// The chain could not be reached or answered with a transient error: try again later.
    Unavailable(String),
    /// The call fails (simulation error), was rejected, or failed on chain: the keeper's view
    /// is stale or the action no longer applies (someone else liquidated first, the auction
    /// moved on). Re-read state before deciding again.
    CallFailed(String),
    /// The transaction was submitted but not seen in a ledger before the deadline. It can still
    /// land until `valid_until` (unix seconds): do not send a replacement before then.
    Unconfirmed {
        /// Transaction hash, hex.
        hash: String,
        /// Time bound of the transaction.
        valid_until: u64,
    },
    /// Misconfiguration or an answer this crate cannot decode: retrying will not help.
    Invalid(String),
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendError::Unavailable(e) => write!(f, "chain unavailable: {e}"),
            BackendError::CallFailed(e) => write!(f, "call failed: {e}"),
            BackendError::Unconfirmed { hash, valid_until } => write!(
                f,
                "transaction {hash} not confirmed yet (valid until unix time {valid_until})"
            ),
            BackendError::Invalid(e) => write!(f, "invalid: {e}"),
        }
    }
}

impl std::error::Error for BackendError {}

/// What the keeper logic needs from a chain.
///
/// Methods take `&mut self` because the embedded host advances its own ledger and an RPC
/// backend may cache; none of them is expected to be called concurrently.
pub trait Backend {
    /// The latest closed ledger's sequence number.
    ///
    /// # Errors
    ///
    /// [`BackendError::Unavailable`] if the chain cannot be reached.
    fn latest_ledger(&mut self) -> Result<u32, BackendError>;

    /// The chain's current time (unix seconds): what the keeper measures its reaction delay
    /// and transaction deadlines against. A network's ledgers close in step with the wall
    /// clock, so the default is the system time; the embedded host has its own ledger clock.
    fn now(&mut self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    /// Contract events emitted by `contracts` after `cursor`, in chain order, with the cursor
    /// to continue from. An empty batch still advances the cursor over the ledgers scanned.
    ///
    /// # Errors
    ///
    /// [`BackendError::Invalid`] for an empty or oversize contract list or a cursor the backend
    /// no longer serves (the keeper must then rebuild its state from ledger entries);
    /// [`BackendError::Unavailable`] if the chain cannot be reached.
    fn events_since(
        &mut self,
        cursor: &EventCursor,
        contracts: &[ContractId],
    ) -> Result<EventBatch, BackendError>;

    /// The current values of `keys`, in the order asked; `None` for entries that do not exist
    /// (or are archived, for backends that cannot see archived entries).
    ///
    /// # Errors
    ///
    /// [`BackendError::Unavailable`] or [`BackendError::Invalid`] as for the other reads.
    fn read_entries(&mut self, keys: &[LedgerKey]) -> Result<Vec<Option<Entry>>, BackendError>;

    /// The current value of one ledger entry (see [`Backend::read_entries`]).
    ///
    /// # Errors
    ///
    /// As [`Backend::read_entries`].
    fn read_entry(&mut self, key: &LedgerKey) -> Result<Option<Entry>, BackendError> {
        let mut found = self.read_entries(std::slice::from_ref(key))?;
        Ok(found.pop().flatten())
    }

    /// Runs `call` without changing the chain (views, or a dry run before a submit).
    ///
    /// # Errors
    ///
    /// [`BackendError::CallFailed`] if the call fails; the others as for reads.
    fn simulate(&mut self, call: &ContractCall) -> Result<SimResult, BackendError>;

    /// Applies `call` as a transaction signed by the keeper's own key, and waits for it.
    ///
    /// # Errors
    ///
    /// [`BackendError::CallFailed`] if it fails in simulation or on chain or is rejected,
    /// [`BackendError::Unconfirmed`] if it is not seen in time; the others as for reads.
    fn submit(&mut self, call: &ContractCall) -> Result<TxResult, BackendError>;
}

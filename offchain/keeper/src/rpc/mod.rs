//! A blocking client for Stellar RPC (JSON-RPC 2.0 over HTTP).
//!
//! [`RpcClient`] carries the envelope and retries; `methods` adds one typed method per RPC
//! method; `types` and `tx_types` mirror the documented request and response objects (the crate
//! docs list the fields relied on).

mod client;
mod error;
mod methods;
mod tx_types;
mod types;

pub use client::{ClientConfig, RetryPolicy, RpcClient};
pub use error::RpcError;
pub use methods::{PollConfig, TxOutcome, MAX_LEDGER_KEYS};
pub use tx_types::{
    GetTransactionParams, HostFunctionResult, ResourceConfig, RestorePreamble, SendResult,
    SendStatus, SendTransactionParams, SimulateParams, Simulation, TransactionInfo, TxStatus,
};
pub use types::{
    EventFilter, EventInfo, Events, GetEventsParams, GetLedgerEntriesParams, Health, LatestLedger,
    LedgerEntries, LedgerEntryResult, Network, Pagination,
};

//! The margin protocol's keeper.
//!
//! The keeper (SPEC §11) finds liquidatable accounts from events and state, starts auctions,
//! takes them when profitable, resets stale ones and settles bad debt. Its logic
//! ([`logic::Keeper`]) runs against the [`Backend`] trait, so the same code drives the embedded
//! Soroban host in the simulator ([`embedded`], feature `embedded`) and a real network through
//! Stellar RPC ([`rpc_backend`]).
//!
//! - [`logic`]: tracking accounts and auctions from margin-account's and liquidation-auction's
//!   events (never a storage scan), native health with the shared risk core, the decisions, the
//!   persisted JSON state (atomic rename, event cursor included) and the `watch` margin calls;
//! - [`embedded`] (feature `embedded`): [`Backend`] on a `soroban_sdk::Env`;
//! - [`cli`] and [`cli_config`]: `keeper ping | once | run | watch` and its config file;
//! - [`rpc`]: a blocking JSON-RPC 2.0 client for Stellar RPC with typed requests and
//!   responses, typed errors and retries (transport failures only);
//! - [`tx`]: building `InvokeHostFunction` transactions, applying a simulation (Soroban data,
//!   resource fee, source-account auth), restore transactions and ed25519 signing;
//! - [`keys`]: strkeys (SEP-23) and the keeper's signing key;
//! - [`xdr`]: ledger keys for accounts and contract instance/persistent entries, and decoding
//!   of entries;
//! - [`val`] and [`events`]: `ScVal`s and contract events in a generic owned form;
//! - [`backend`] and [`rpc_backend`]: the trait the keeper logic uses and its RPC
//!   implementation.
//!
//! # Driving keepers from the simulator (embedded host)
//!
//! With `keeper = { path = "../keeper", features = ["embedded"] }`:
//!
//! ```ignore
//! use keeper::embedded::{address_strkey, contract_id, EmbeddedBackend, EventLog};
//! use keeper::logic::{FixedPrices, Keeper, KeeperConfig, Strategy, Tuning};
//!
//! let log = EventLog::new();                 // one log shared by every keeper of the env
//! // ... after each of the simulator's own contract calls:
//! log.capture(&env);                         // the test host keeps only the last call's events
//!
//! let backend = EmbeddedBackend::new(&env, &keeper_address, &log);
//! let config = KeeperConfig {
//!     keeper: address_strkey(&keeper_address),
//!     margin_account: contract_id(&margin.address),
//!     auction: contract_id(&auction.address),
//!     oracle: contract_id(&adapter.address),
//!     strategy: Strategy::Eager,             // or Patient { extra } (7 decimals)
//!     min_profit: 100_000,                   // 1 % under the reference, 7 decimals
//!     reference: Box::new(FixedPrices::default()), // empty: the adapter's spot ratio
//!     flash: None,                           // Some(FlashTake { receiver, pools }) for flash takes
//!     state_path: None,                      // Some(path) to persist
//!     start_ledger: 0,
//!     tuning: Tuning {                     // reaction delay, lot share per take
//!         reaction_delay: 60,
//!         max_slice: 2_500_000,
//!         ..Tuning::default()
//!     },
//! };
//! let mut k = Keeper::new(backend, config)?.with_log(Box::new(std::io::sink()));
//! let report = k.step()?;                    // StepReport { events, evaluated, decisions }
//! for d in &report.decisions { println!("{}", d.to_json()); }
//! let calls = k.watch(10)?;                  // Vec<MarginCall>, `to_json()` per line
//! ```
//!
//! The keeper needs the debt token's allowance to the auction (capital takes also a balance);
//! `restore_mock_all_auths` (default true) puts the env back in `mock_all_auths` after the
//! keeper's own calls. The chain time is the env's ledger timestamp (the reaction delay counts
//! in it). Decisions are `start`, `take`, `reset`, `settle`, `refresh` (the adapter's stale
//! quotes of a many-asset account, before its start) (sent), `hold` (price not yet under
//! the limit), `wait` (the reaction delay has not passed), `skip` (the simulation refused:
//! already done, healthy on chain, pending) and `error`. [`embedded::EmbeddedBackend::take_costs`]
//! gives the metered cost of each submit.
//!
//! # Stellar RPC fields relied on
//!
//! From the method reference on developers.stellar.org (RPC API reference), matching
//! stellar-rpc's protocol types. Every XDR value travels as base64 (`xdrFormat` is left at its
//! default). Integers the docs give as strings (`minResourceFee`, `latestLedgerCloseTime`,
//! `createdAt`) are also accepted as JSON numbers.
//!
//! | method | params sent | result fields read |
//! |---|---|---|
//! | `getHealth` | none | `status`, `latestLedger`, `oldestLedger`, `ledgerRetentionWindow` |
//! | `getNetwork` | none | `passphrase`, `protocolVersion`, `friendbotUrl` (optional) |
//! | `getLatestLedger` | none | `id`, `protocolVersion`, `sequence` |
//! | `getLedgerEntries` | `keys` (base64 `LedgerKey`, ≤ 200) | `entries[].key`, `entries[].xdr` (base64 `LedgerEntryData`), `entries[].lastModifiedLedgerSeq`, `entries[].liveUntilLedgerSeq` (optional), `latestLedger` |
//! | `getEvents` | `startLedger` xor `pagination.cursor`, `pagination.limit`, `filters[].type`, `filters[].contractIds`, `filters[].topics` | `events[].type`, `.ledger`, `.ledgerClosedAt`, `.contractId`, `.id`, `.txHash`, `.topic` (base64 `ScVal`s), `.value` (base64 `ScVal`), `cursor`, `latestLedger`, `oldestLedger` |
//! | `simulateTransaction` | `transaction` (base64 `TransactionEnvelope`), `resourceConfig.instructionLeeway` | `latestLedger`, `error`, `transactionData` (base64 `SorobanTransactionData`), `minResourceFee`, `results[].auth` (base64 `SorobanAuthorizationEntry`), `results[].xdr` (base64 `ScVal`), `restorePreamble.transactionData`, `restorePreamble.minResourceFee`, `events` |
//! | `sendTransaction` | `transaction` (base64 signed `TransactionEnvelope`) | `hash`, `status` (`PENDING`, `DUPLICATE`, `TRY_AGAIN_LATER`, `ERROR`), `latestLedger`, `latestLedgerCloseTime`, `errorResultXdr`, `diagnosticEventsXdr` |
//! | `getTransaction` | `hash` | `status` (`SUCCESS`, `FAILED`, `NOT_FOUND`), `latestLedger`, `latestLedgerCloseTime`, `ledger`, `createdAt`, `envelopeXdr`, `resultXdr` (`TransactionResult`), `resultMetaXdr` (`TransactionMeta` v3 or v4, for the return value) |
//!
//! Errors follow JSON-RPC 2.0: an `error` object with `code`, `message` and optional `data`.
//! Filters allow at most 5 contract ids each and 5 filters per request, so one
//! [`rpc_backend::RpcBackend`] watches at most 25 contracts.

pub mod backend;
pub mod cli;
pub mod cli_config;
#[cfg(feature = "embedded")]
pub mod embedded;
pub mod events;
pub mod keys;
pub mod logic;
pub mod rpc;
pub mod rpc_backend;
pub mod tx;
pub mod val;
pub mod xdr;

pub use backend::{Backend, BackendError, EventBatch, EventCursor, SimResult, TxResult};
pub use events::ChainEvent;
pub use keys::{ContractId, SecretKey};
pub use rpc_backend::{RpcBackend, RpcConfig};
pub use tx::ContractCall;
pub use val::Val;

//! The protocol's integration test support: loading the WASM builds and deploying the whole set
//! into one `Env::default()` (which enforces mainnet resource limits), so that tests and benchmarks
//! pay the real costs of VM instantiation, cross-contract calls and storage.
//!
//! The WASM files come from `scripts/build-wasm.sh` (the README's test command runs it first).

pub mod auction_fixture;
pub mod bench;
pub mod feed_fixture;
pub mod fixture;
pub mod invariants;
pub mod odd_token;
pub mod protocol_fixture;
pub mod snapshot;
pub mod ttl;
pub mod vault_fixture;
pub mod wasm;

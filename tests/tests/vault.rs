//! The vault on its optimised WASM build (SPEC §5): every entry point's happy path with exact
//! events and auths, every bad input's typed error with nothing changed, interest over a year,
//! governance, the inflation attack, random sequences checked against the invariants, and the
//! cost targets.
//!
//! Run `scripts/build-wasm.sh` first (the fixture loads `target/wasm/vault.wasm`).

#[path = "vault/attack.rs"]
mod attack;
#[path = "vault/cost.rs"]
mod cost;
#[path = "vault/credit.rs"]
mod credit;
#[path = "vault/credit_state.rs"]
mod credit_state;
#[path = "vault/errors.rs"]
mod errors;
#[path = "vault/governance.rs"]
mod governance;
#[path = "vault/interest.rs"]
mod interest;
#[path = "vault/properties.rs"]
mod properties;
#[path = "vault/sep56.rs"]
mod sep56;
#[path = "vault/support.rs"]
mod support;
#[path = "vault/token.rs"]
mod token;

//! The invariant checker and the action model of the adversarial suite (SPEC §12).
//!
//! - [`World`]: the whole protocol on its WASM builds (three tokens, two AMM pools, the auction
//!   and a keeper receiver) with its actors: lenders, traders, keepers, governance, the guardian
//!   and an attacker, plus the books the checker needs that no view holds (what was minted, the
//!   live auctions, the previous share prices).
//! - [`Action`]: one step by one actor; [`Action::decode`] turns bytes into actions, so the
//!   proptest (`tests/tests/invariant_fuzz.rs`), the cargo-fuzz target (`fuzz/`) and the figures
//!   command (`fuzz_report`) drive the same model.
//! - [`check_all`]: every SPEC §12 invariant evaluated from public views, token balances, the
//!   auths and the events of the step, returned as a list of [`Violation`]s (empty when all
//!   hold).

mod actions;
mod check;
mod world;

pub use actions::{Action, ByteSource, Outcome, Rng, SettleRecord, Snapshot, TakeRecord};
pub use check::{check_all, Violation, INVARIANTS};
pub use world::{Stats, World, ACCOUNTS, KEEPERS, LENDERS, TOKENS, TRADERS};

/// Runs `actions` from a fresh world, checking every invariant after each step. Returns the
/// world's statistics and the violations found (each tagged with its step).
pub fn run(actions: &[Action]) -> (Stats, std::vec::Vec<(usize, Action, Violation)>) {
    let mut w = World::new();
    let mut found = std::vec::Vec::new();
    for v in w.check(&Outcome::none()) {
        found.push((0, Action::Advance(0), v));
    }
    for (n, a) in actions.iter().enumerate() {
        let out = w.step(a);
        for v in w.check(&out) {
            found.push((n + 1, a.clone(), v));
        }
    }
    (w.stats.clone(), found)
}

/// [`run`] on the actions decoded from `bytes` (at most `max_steps`).
pub fn run_bytes(
    bytes: &[u8],
    max_steps: usize,
) -> (Stats, std::vec::Vec<(usize, Action, Violation)>) {
    let actions = Action::decode_all(bytes, max_steps);
    run(&actions)
}

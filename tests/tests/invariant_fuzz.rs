//! Invariant fuzzing (SPEC §12) on the WASM builds: random sequences of actions by lenders,
//! traders, keepers, governance, the guardian and an attacker, under random price moves and
//! time jumps (fresh and stale), with every invariant of `protocol_tests::invariants` checked
//! after each step. The same model runs for longer in `fuzz/` (cargo-fuzz) and in the
//! `fuzz_report` command.

use proptest::prelude::*;
use protocol_tests::invariants::{self, Action, Rng, INVARIANTS};

/// Steps per proptest case.
const STEPS: usize = 24;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 8,
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_actors_keep_every_invariant(
        bytes in prop::collection::vec(any::<u8>(), STEPS * Action::MAX_BYTES)
    ) {
        let (stats, found) = invariants::run_bytes(&bytes, STEPS);
        prop_assert!(found.is_empty(), "violations: {found:#?}");
        prop_assert_eq!(stats.checks, (stats.steps + 1) * INVARIANTS.len() as u64);
    }
}

/// A fixed seed whose sequence (as `fuzz_report --seed 2 --steps 40` runs it) liquidates: two
/// auctions are started and taken from, besides calls that succeed and calls that are refused.
#[test]
fn a_seeded_sequence_breaks_nothing() {
    let bytes = Rng::new(2).bytes(40 * Action::MAX_BYTES);
    let (stats, found) = invariants::run_bytes(&bytes, 40);
    assert!(found.is_empty(), "violations: {found:#?}");
    assert_eq!(stats.steps, 40);
    assert!(stats.calls_ok > 0 && stats.calls_refused > 0, "{stats:?}");
    assert_eq!((stats.starts, stats.takes), (2, 2), "{stats:?}");
}

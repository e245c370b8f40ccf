//! Whole-ledger snapshots for "a refused call changed nothing" (SPEC §9: bad input changes
//! nothing; SPEC §12.7: no state change without the right auth).
//!
//! A [`Snapshot`] holds every stored ledger entry of the test host (contract instances, every
//! persistent and temporary entry, token balances, code) with its live-until ledger. Comparing
//! the snapshots taken before and after a call checks every balance, position and config at
//! once, including entries a test would not think of reading.

use soroban_sdk::xdr::{LedgerEntry, LedgerKey};
use soroban_sdk::Env;

/// Every stored ledger entry, in the host's order, with its live-until ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    entries: std::vec::Vec<(LedgerKey, LedgerEntry, Option<u32>)>,
}

impl Snapshot {
    /// The state of `env` now.
    pub fn take(env: &Env) -> Self {
        let ledger = env.to_ledger_snapshot();
        let entries = ledger
            .ledger_entries
            .into_iter()
            .map(|(k, (e, ttl))| (*k, *e, ttl))
            .collect();
        Snapshot { entries }
    }

    /// Number of entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The keys whose entry or TTL differs between `self` and `other`, or that only one holds.
    pub fn changed_keys(&self, other: &Snapshot) -> std::vec::Vec<LedgerKey> {
        let mut out = std::vec::Vec::new();
        for (k, e, ttl) in &self.entries {
            match other.entries.iter().find(|(k2, _, _)| k2 == k) {
                Some((_, e2, ttl2)) if e2 == e && ttl2 == ttl => {}
                _ => out.push(k.clone()),
            }
        }
        for (k, _, _) in &other.entries {
            if !self.entries.iter().any(|(k1, _, _)| k1 == k) {
                out.push(k.clone());
            }
        }
        out
    }

    /// Panics, naming the changed keys, unless `env`'s state still equals `self`.
    pub fn assert_unchanged(&self, env: &Env, what: &str) {
        let now = Snapshot::take(env);
        let changed = self.changed_keys(&now);
        assert!(
            changed.is_empty(),
            "{what}: {} ledger entries changed: {changed:?}",
            changed.len()
        );
    }
}

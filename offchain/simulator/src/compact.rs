//! Keeping the in-process host's storage small, so that a run's cost grows with its accounts,
//! not with their square.
//!
//! The test host keeps every ledger entry of the run in one sorted vector (`MeteredOrdMap`),
//! and every storage write rebuilds that vector and re-checks its order with metered key
//! comparisons: a write costs O(entries), so opening N accounts costs O(N²). (Measured with
//! `perf` on 300 accounts: about half of the run's time in `MeteredOrdMap::insert`.) A network
//! host only ever holds one transaction's footprint.
//!
//! So the simulator keeps the ledger itself ([`Ledger`], a `BTreeMap`) and gives the host a
//! fresh `Env` whose storage reads through to it (`Env::from_ledger_snapshot` with the ledger as
//! the snapshot source: the host loads an entry on first access). When the host's own map has
//! grown past a threshold, [`compact`] writes its entries back to the ledger and starts a fresh
//! `Env` on it; the world rebinds its addresses and clients to the new `Env`. Nothing the
//! contracts see changes: the same entries, the same ledger sequence and time, the same address
//! generator position. Two things are dropped at a compaction, as a network would: nonce
//! entries of recorded auths (replay protection, which the mocked auths never replay) and
//! expired temporary entries.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use soroban_sdk::testutils::{
    Address as _, EnvTestConfig, HostError, Ledger as _, SnapshotSource, SnapshotSourceInput,
};
use soroban_sdk::xdr::{ContractDataDurability, LedgerEntry, LedgerKey, ScAddress, ScVal};
use soroban_sdk::{Address, Env};

/// An entry and its live-until ledger.
pub type Entry = (Rc<LedgerEntry>, Option<u32>);

/// The run's ledger outside the host: every entry as of the last compaction.
#[derive(Default)]
pub struct Ledger {
    entries: RefCell<BTreeMap<LedgerKey, Entry>>,
}

/// The host's read-through to the [`Ledger`].
struct Source(Rc<Ledger>);

impl SnapshotSource for Source {
    fn get(&self, key: &Rc<LedgerKey>) -> Result<Option<Entry>, HostError> {
        Ok(self.0.entries.borrow().get(key.as_ref()).cloned())
    }
}

/// Entries the host's map holds now (loaded or written since the `Env` started).
pub fn hot_entries(env: &Env) -> usize {
    env.host().get_stored_entries().map_or(0, |e| e.len())
}

fn dropped(key: &LedgerKey, entry: &Entry, sequence: u32) -> bool {
    let LedgerKey::ContractData(k) = key else {
        return false;
    };
    matches!(k.key, ScVal::LedgerKeyNonce(_))
        || (k.durability == ContractDataDurability::Temporary
            && entry.1.is_some_and(|live| live < sequence))
}

/// The address generator's position: the counter in the last 8 bytes of a generated address
/// (this consumes one).
fn generator_position(env: &Env) -> u64 {
    match ScAddress::from(&Address::generate(env)) {
        ScAddress::Contract(id) => {
            let b = id.0 .0;
            u64::from_be_bytes([b[24], b[25], b[26], b[27], b[28], b[29], b[30], b[31]])
        }
        _ => 0,
    }
}

impl Ledger {
    /// A fresh `Env` at `ledger_info` reading through to this ledger.
    fn env_at(self: &Rc<Self>, ledger_info: soroban_sdk::testutils::LedgerInfo) -> Env {
        let mut env = Env::from_ledger_snapshot(SnapshotSourceInput {
            source: Rc::new(Source(self.clone())),
            ledger_info: Some(ledger_info),
            snapshot: None,
        });
        // A dropped `Env` of a test thread writes its storage to `test_snapshots/`: not these.
        env.set_config(EnvTestConfig {
            capture_snapshot_at_drop: false,
        });
        env.cost_estimate().budget().reset_unlimited();
        env.mock_all_auths();
        env
    }

    /// Writes the host's entries back (a `None` is a deleted entry).
    fn absorb(&self, env: &Env) {
        let sequence = env.ledger().sequence();
        let mut entries = self.entries.borrow_mut();
        for (key, value) in env.host().get_stored_entries().unwrap_or_default() {
            match value {
                Some(e) if !dropped(&key, &e, sequence) => {
                    entries.insert((*key).clone(), e);
                }
                _ => {
                    entries.remove(key.as_ref());
                }
            }
        }
        entries.retain(|k, e| !dropped(k, e, sequence));
    }

    /// Every entry of the run now: the ledger with the host's entries over it.
    pub fn all_entries(&self, env: &Env) -> Vec<(LedgerKey, Entry)> {
        let mut all = self.entries.borrow().clone();
        for (key, value) in env.host().get_stored_entries().unwrap_or_default() {
            match value {
                Some(e) => {
                    all.insert((*key).clone(), e);
                }
                None => {
                    all.remove(key.as_ref());
                }
            }
        }
        all.into_iter().collect()
    }
}

/// Writes `old`'s entries back to `ledger` and returns a fresh `Env` on it at the same ledger
/// and address-generator position (mocked auths, unlimited budget as the fixture sets them).
/// Every `Address` and client of `old` must be rebound to it (`Address::from_str` of the
/// strkey); `old` must not be used afterwards.
pub fn compact(old: &Env, ledger: &Rc<Ledger>) -> Env {
    // The probe consumed `position` on `old`, which a run that never compacts would generate
    // next: the fresh env stops one short of it, so it generates `position` next.
    let position = generator_position(old);
    ledger.absorb(old);
    let env = ledger.env_at(old.ledger().get());
    while generator_position(&env) + 1 < position {}
    env
}

/// `a` on `env` (the same strkey).
pub fn rebind(env: &Env, a: &Address) -> Address {
    Address::from_str(env, &a.to_string().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compacted_host_generates_the_addresses_an_uncompacted_one_would() {
        let ledger = Rc::new(Ledger::default());
        let plain = ledger.env_at(Env::default().ledger().get());
        let before = ledger.env_at(plain.ledger().get());
        for _ in 0..7 {
            Address::generate(&plain);
            Address::generate(&before);
        }
        let after = compact(&before, &Rc::new(Ledger::default()));
        for _ in 0..3 {
            assert_eq!(
                Address::generate(&plain).to_string(),
                Address::generate(&after).to_string()
            );
        }
    }
}

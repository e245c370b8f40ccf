//! Measuring a call on a host that holds only the entries the call touches, as a network host
//! does.
//!
//! The in-process test host keeps every ledger entry the test ever created in one sorted storage
//! map (`MeteredOrdMap`), and each write rebuilds it with metered key comparisons: a write costs
//! in proportion to the whole test ledger. A validator's host holds one transaction's footprint
//! and nothing else. [`fork`] gives a fresh `Env` at the same ledger whose storage reads through
//! to a frozen copy of the original's entries: its host loads an entry when the call first
//! touches it (and charges that load), so its map grows to the call's footprint and no further.
//! The contracts see the same entries, the same ledger sequence and time; the original `Env` is
//! left untouched (the fork's writes stay in the fork).

use std::collections::BTreeMap;
use std::rc::Rc;

use soroban_sdk::testutils::{
    EnvTestConfig, HostError, Ledger as _, SnapshotSource, SnapshotSourceInput,
};
use soroban_sdk::xdr::{LedgerEntry, LedgerKey};
use soroban_sdk::{Address, Env};

use super::breakdown::Breakdown;
use super::Cost;

type Entry = (Rc<LedgerEntry>, Option<u32>);

/// The original `Env`'s entries at the time of the fork.
struct Frozen(BTreeMap<LedgerKey, Entry>);

impl SnapshotSource for Frozen {
    fn get(&self, key: &Rc<LedgerKey>) -> Result<Option<Entry>, HostError> {
        Ok(self.0.get(key.as_ref()).cloned())
    }
}

/// A fresh `Env` at `env`'s ledger reading through to a copy of `env`'s entries (mocked auths,
/// as the fixtures set them).
pub fn fork(env: &Env) -> Env {
    let entries = env
        .host()
        .get_stored_entries()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| v.map(|e| ((*k).clone(), e)))
        .collect();
    let mut forked = Env::from_ledger_snapshot(SnapshotSourceInput {
        source: Rc::new(Frozen(entries)),
        ledger_info: Some(env.ledger().get()),
        snapshot: None,
    });
    forked.set_config(EnvTestConfig {
        capture_snapshot_at_drop: false,
    });
    forked.mock_all_auths();
    forked
}

/// `a` on `env` (the same strkey).
pub fn rebind(env: &Env, a: &Address) -> Address {
    Address::from_str(env, &a.to_string().to_string())
}

/// Entries the host's storage map holds now.
pub fn map_len(env: &Env) -> usize {
    env.host().get_stored_entries().map_or(0, |e| e.len())
}

/// Runs `call` on a [`fork`] of `env` as one measured invocation: its metered cost and budget
/// breakdown when the host holds only what the call touches. `env` is not changed.
pub fn measure<R>(env: &Env, call: impl FnOnce(&Env) -> R) -> (R, Cost, Breakdown) {
    let forked = fork(env);
    Breakdown::measure(&forked, || call(&forked))
}

#[cfg(test)]
mod tests {
    use super::*;
    use soroban_sdk::testutils::Address as _;
    use soroban_sdk::token::StellarAssetClient;

    #[test]
    fn a_fork_sees_the_entries_and_leaves_the_original_alone() {
        let env = Env::default();
        env.mock_all_auths();
        let admin = Address::generate(&env);
        let sac = env.register_stellar_asset_contract_v2(admin);
        let holder = Address::generate(&env);
        StellarAssetClient::new(&env, &sac.address()).mint(&holder, &500);
        let token = soroban_sdk::token::TokenClient::new(&env, &sac.address());
        let recipient = Address::generate(&env);

        let forked = fork(&env);
        assert_eq!(map_len(&forked), 0, "nothing is loaded before a call");
        let t = soroban_sdk::token::TokenClient::new(&forked, &rebind(&forked, &sac.address()));
        let h = rebind(&forked, &holder);
        assert_eq!(t.balance(&h), 500);
        let to = rebind(&forked, &recipient);
        t.transfer(&h, &to, &200);
        assert_eq!((t.balance(&h), t.balance(&to)), (300, 200));

        assert_eq!(token.balance(&recipient), 0, "the original is unchanged");
        assert_eq!(token.balance(&holder), 500, "the original is unchanged");
    }
}

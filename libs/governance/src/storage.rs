//! Storage keys and accessors of the roles (instance storage: read on most calls, small) and of
//! pending timelock changes (persistent storage: one entry per change, so a contract with many
//! queued changes does not load them all on every call).

use soroban_sdk::{panic_with_error, symbol_short, Address, Env, Symbol, Val};

use crate::{ttl, GovernanceError};

// Storage keys. The `Gov` prefix keeps them apart from the host contract's own keys (a
// contract's `DataKey::Admin` would otherwise share the admin slot). Short symbols are the
// cheapest keys the host has.
const ADMIN: Symbol = symbol_short!("GovAdmin");
const GUARDIAN: Symbol = symbol_short!("GovGuard");
const DELAY: Symbol = symbol_short!("GovDelay");
const PENDING: Symbol = symbol_short!("GovPend");

/// The key of a queued change: `("GovPend", kind, subject)`. A plain tuple because the subject
/// is any value, which a `#[contracttype]` field cannot be.
pub(crate) type PendingKey = (Symbol, Symbol, Val);

/// A queued change: its earliest application time and the encoded value (stored as a tuple).
#[derive(Clone)]
pub(crate) struct PendingChange {
    pub eta: u64,
    pub value: Val,
}

fn read_role(env: &Env, key: &Symbol) -> Address {
    env.storage()
        .instance()
        .get(key)
        .unwrap_or_else(|| panic_with_error!(env, GovernanceError::NotInitialized))
}

pub(crate) fn is_initialized(env: &Env) -> bool {
    env.storage().instance().has(&ADMIN)
}

pub(crate) fn admin(env: &Env) -> Address {
    read_role(env, &ADMIN)
}

pub(crate) fn set_admin(env: &Env, admin: &Address) {
    env.storage().instance().set(&ADMIN, admin);
}

pub(crate) fn guardian(env: &Env) -> Address {
    read_role(env, &GUARDIAN)
}

pub(crate) fn set_guardian(env: &Env, guardian: &Address) {
    env.storage().instance().set(&GUARDIAN, guardian);
}

pub(crate) fn delay(env: &Env) -> u64 {
    env.storage()
        .instance()
        .get(&DELAY)
        .unwrap_or_else(|| panic_with_error!(env, GovernanceError::NotInitialized))
}

pub(crate) fn set_delay(env: &Env, delay: u64) {
    env.storage().instance().set(&DELAY, &delay);
}

pub(crate) fn pending_key(kind: Symbol, subject: Val) -> PendingKey {
    (PENDING, kind, subject)
}

pub(crate) fn pending(env: &Env, key: &PendingKey) -> Option<PendingChange> {
    env.storage()
        .persistent()
        .get::<_, (u64, Val)>(key)
        .map(|(eta, value)| PendingChange { eta, value })
}

/// Writes a pending change and funds its TTL for `lifetime` seconds (its delay plus the grace
/// period), so it cannot be archived while it can still be applied.
pub(crate) fn set_pending(env: &Env, key: &PendingKey, change: &PendingChange, lifetime: u64) {
    let persistent = env.storage().persistent();
    persistent.set(key, &(change.eta, change.value));
    let ledgers = ttl::ledgers_for(lifetime).max(ttl::PERSISTENT_BUMP_AMOUNT);
    persistent.extend_ttl(key, ledgers, ledgers);
}

pub(crate) fn remove_pending(env: &Env, key: &PendingKey) {
    env.storage().persistent().remove(key);
}

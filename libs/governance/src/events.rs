//! Governance events. Every step of every change is published, so an indexer can rebuild the
//! roles and the queue of pending changes from events alone (SPEC §9).

use soroban_sdk::{contractevent, Address, BytesN, Symbol, Val};

/// Roles set by a contract's constructor.
#[contractevent]
#[derive(Clone, Debug)]
pub struct GovernanceInitialized {
    pub admin: Address,
    pub guardian: Address,
    pub delay: u64,
}

/// A change was queued: `value` may be applied from `eta` until `eta + GRACE_PERIOD`.
#[contractevent]
#[derive(Clone, Debug)]
pub struct ChangeQueued {
    #[topic]
    pub kind: Symbol,
    pub subject: Val,
    pub value: Val,
    pub eta: u64,
}

/// A queued change was applied (made live).
#[contractevent]
#[derive(Clone, Debug)]
pub struct ChangeApplied {
    #[topic]
    pub kind: Symbol,
    pub subject: Val,
    pub value: Val,
}

/// A queued change was dropped by the admin.
#[contractevent]
#[derive(Clone, Debug)]
pub struct ChangeCancelled {
    #[topic]
    pub kind: Symbol,
    pub subject: Val,
}

/// The admin proposed a successor, who may accept from `eta`.
#[contractevent]
#[derive(Clone, Debug)]
pub struct AdminProposed {
    #[topic]
    pub admin: Address,
    #[topic]
    pub new_admin: Address,
    pub eta: u64,
}

/// The proposed admin accepted: `new_admin` is now the admin.
#[contractevent]
#[derive(Clone, Debug)]
pub struct AdminAccepted {
    #[topic]
    pub old_admin: Address,
    #[topic]
    pub new_admin: Address,
}

/// A queued guardian change was applied.
#[contractevent]
#[derive(Clone, Debug)]
pub struct GuardianChanged {
    #[topic]
    pub old_guardian: Address,
    #[topic]
    pub new_guardian: Address,
}

/// A queued timelock delay change was applied.
#[contractevent]
#[derive(Clone, Debug)]
pub struct DelayChanged {
    pub old_delay: u64,
    pub new_delay: u64,
}

/// A queued wasm upgrade was applied: the contract now runs `wasm_hash`.
#[contractevent]
#[derive(Clone, Debug)]
pub struct Upgraded {
    pub wasm_hash: BytesN<32>,
}

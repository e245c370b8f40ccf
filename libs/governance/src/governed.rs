//! The `Governed` contract interface: the governance entry points every contract exports with
//! one line, `#[contractimpl(contracttrait)] impl Governed for MyContract {}`.
//!
//! Types in the signatures are written as full paths (`soroban_sdk::Address`,
//! `governance::GovernanceError`): `#[contracttrait]` re-parses default signatures at the
//! implementing contract, and full paths resolve there whatever that crate imports.
//!
//! Views do not extend the instance TTL: doing so would turn a read-only call into a write.

use soroban_sdk::{contracttrait, symbol_short, Symbol};

use crate::events::{AdminAccepted, AdminProposed, DelayChanged, GuardianChanged, Upgraded};
use crate::{storage, timelock, ttl};

/// Timelock kind of the two-step admin transfer (subject `()`, value: the new admin).
pub const KIND_ADMIN: Symbol = symbol_short!("admin");
/// Timelock kind of a guardian change (subject `()`, value: the new guardian).
pub const KIND_GUARDIAN: Symbol = symbol_short!("guardian");
/// Timelock kind of a delay change (subject `()`, value: the new delay, `u64`).
pub const KIND_DELAY: Symbol = symbol_short!("delay");
/// Timelock kind of a wasm upgrade (subject `()`, value: the wasm hash, `BytesN<32>`).
pub const KIND_UPGRADE: Symbol = symbol_short!("upgrade");

/// Roles, two-step admin transfer, and timelocked guardian, delay and wasm changes.
#[contracttrait]
pub trait Governed {
    /// The admin (governance: a multisig or DAO).
    fn admin(env: &soroban_sdk::Env) -> soroban_sdk::Address {
        crate::admin(env)
    }

    /// The guardian.
    fn guardian(env: &soroban_sdk::Env) -> soroban_sdk::Address {
        crate::guardian(env)
    }

    /// The timelock delay in seconds.
    fn timelock_delay(env: &soroban_sdk::Env) -> u64 {
        crate::delay(env)
    }

    /// The eta of the queued `(kind, subject)` change, if any (expired ones included).
    ///
    /// # Arguments
    /// * `kind` - e.g. `"admin"`, `"guardian"`, `"delay"`, `"upgrade"` or a contract's own kind.
    /// * `subject` - what the change is about; `()` (void) for the roles, delay and upgrade.
    fn change_eta(
        env: &soroban_sdk::Env,
        kind: soroban_sdk::Symbol,
        subject: soroban_sdk::Val,
    ) -> Option<u64> {
        timelock::eta(env, kind, &subject)
    }

    /// Proposes `new_admin`, who may accept after the timelock delay. Returns the eta.
    ///
    /// # Errors
    /// `AlreadyQueued` (cancel the current proposal first).
    ///
    /// # Events
    /// `ChangeQueued { kind: "admin" }`, `AdminProposed { admin, new_admin, eta }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    fn propose_admin(
        env: &soroban_sdk::Env,
        new_admin: soroban_sdk::Address,
    ) -> Result<u64, governance::GovernanceError> {
        ttl::extend_instance(env);
        let admin = crate::require_admin(env);
        let eta = timelock::queue_unchecked(env, KIND_ADMIN, &(), &new_admin)?;
        AdminProposed {
            admin,
            new_admin,
            eta,
        }
        .publish(env);
        Ok(eta)
    }

    /// The proposed admin takes over.
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`.
    ///
    /// # Events
    /// `ChangeApplied { kind: "admin" }`, `AdminAccepted { old_admin, new_admin }`.
    ///
    /// # Notes
    /// Requires the proposed admin's auth.
    fn accept_admin(env: &soroban_sdk::Env) -> Result<(), governance::GovernanceError> {
        ttl::extend_instance(env);
        let new_admin: soroban_sdk::Address = timelock::pending_value(env, KIND_ADMIN, &())?;
        new_admin.require_auth();
        let new_admin: soroban_sdk::Address = timelock::apply(env, KIND_ADMIN, &())?;
        let old_admin = crate::admin(env);
        storage::set_admin(env, &new_admin);
        AdminAccepted {
            old_admin,
            new_admin,
        }
        .publish(env);
        Ok(())
    }

    /// Withdraws the admin proposal.
    ///
    /// # Errors
    /// `NotQueued`.
    ///
    /// # Events
    /// `ChangeCancelled { kind: "admin" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    fn cancel_admin(env: &soroban_sdk::Env) -> Result<(), governance::GovernanceError> {
        ttl::extend_instance(env);
        timelock::cancel(env, KIND_ADMIN, &())
    }

    /// Queues `guardian` as the next guardian. Returns the eta.
    ///
    /// # Errors
    /// `AlreadyQueued`.
    ///
    /// # Events
    /// `ChangeQueued { kind: "guardian" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    fn queue_guardian(
        env: &soroban_sdk::Env,
        guardian: soroban_sdk::Address,
    ) -> Result<u64, governance::GovernanceError> {
        ttl::extend_instance(env);
        timelock::queue(env, KIND_GUARDIAN, &(), &guardian)
    }

    /// Makes the queued guardian live. Anyone may call it.
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`.
    ///
    /// # Events
    /// `ChangeApplied { kind: "guardian" }`, `GuardianChanged { old_guardian, new_guardian }`.
    fn apply_guardian(env: &soroban_sdk::Env) -> Result<(), governance::GovernanceError> {
        ttl::extend_instance(env);
        let new_guardian: soroban_sdk::Address = timelock::apply(env, KIND_GUARDIAN, &())?;
        let old_guardian = crate::guardian(env);
        storage::set_guardian(env, &new_guardian);
        GuardianChanged {
            old_guardian,
            new_guardian,
        }
        .publish(env);
        Ok(())
    }

    /// Drops the queued guardian change.
    ///
    /// # Errors
    /// `NotQueued`.
    ///
    /// # Events
    /// `ChangeCancelled { kind: "guardian" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    fn cancel_guardian(env: &soroban_sdk::Env) -> Result<(), governance::GovernanceError> {
        ttl::extend_instance(env);
        timelock::cancel(env, KIND_GUARDIAN, &())
    }

    /// Queues a new timelock delay (applied after the current delay). Returns the eta.
    ///
    /// # Errors
    /// `DelayTooShort` (below `MIN_DELAY`), `DelayTooLong` (above `MAX_DELAY`), `AlreadyQueued`.
    ///
    /// # Events
    /// `ChangeQueued { kind: "delay" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    fn queue_delay(env: &soroban_sdk::Env, delay: u64) -> Result<u64, governance::GovernanceError> {
        ttl::extend_instance(env);
        crate::require_admin(env);
        crate::check_delay(delay)?;
        timelock::queue_unchecked(env, KIND_DELAY, &(), &delay)
    }

    /// Makes the queued delay live. Anyone may call it.
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`, and the bounds of `queue_delay` (rechecked).
    ///
    /// # Events
    /// `ChangeApplied { kind: "delay" }`, `DelayChanged { old_delay, new_delay }`.
    fn apply_delay(env: &soroban_sdk::Env) -> Result<(), governance::GovernanceError> {
        ttl::extend_instance(env);
        let new_delay: u64 = timelock::apply(env, KIND_DELAY, &())?;
        crate::check_delay(new_delay)?;
        let old_delay = crate::delay(env);
        storage::set_delay(env, new_delay);
        DelayChanged {
            old_delay,
            new_delay,
        }
        .publish(env);
        Ok(())
    }

    /// Drops the queued delay change.
    ///
    /// # Errors
    /// `NotQueued`.
    ///
    /// # Events
    /// `ChangeCancelled { kind: "delay" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    fn cancel_delay(env: &soroban_sdk::Env) -> Result<(), governance::GovernanceError> {
        ttl::extend_instance(env);
        timelock::cancel(env, KIND_DELAY, &())
    }

    /// Queues an upgrade to the uploaded wasm `wasm_hash`. Returns the eta.
    ///
    /// # Errors
    /// `AlreadyQueued`.
    ///
    /// # Events
    /// `ChangeQueued { kind: "upgrade" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    fn queue_upgrade(
        env: &soroban_sdk::Env,
        wasm_hash: soroban_sdk::BytesN<32>,
    ) -> Result<u64, governance::GovernanceError> {
        ttl::extend_instance(env);
        timelock::queue(env, KIND_UPGRADE, &(), &wasm_hash)
    }

    /// Replaces the contract's code with the queued wasm; storage is kept. Anyone may call it.
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`. The host fails the call if the wasm is not uploaded.
    ///
    /// # Events
    /// `ChangeApplied { kind: "upgrade" }`, `Upgraded { wasm_hash }`.
    fn apply_upgrade(env: &soroban_sdk::Env) -> Result<(), governance::GovernanceError> {
        ttl::extend_instance(env);
        let wasm_hash: soroban_sdk::BytesN<32> = timelock::apply(env, KIND_UPGRADE, &())?;
        env.deployer()
            .update_current_contract_wasm(wasm_hash.clone());
        Upgraded { wasm_hash }.publish(env);
        Ok(())
    }

    /// Drops the queued upgrade.
    ///
    /// # Errors
    /// `NotQueued`.
    ///
    /// # Events
    /// `ChangeCancelled { kind: "upgrade" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    fn cancel_upgrade(env: &soroban_sdk::Env) -> Result<(), governance::GovernanceError> {
        ttl::extend_instance(env);
        timelock::cancel(env, KIND_UPGRADE, &())
    }
}

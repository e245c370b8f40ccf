//! Governance shared by every contract of the protocol (SPEC §8): an `admin` (governance, a
//! multisig or DAO) and a `guardian`, a timelock for risk-raising changes, and the TTL policy.
//!
//! A contract:
//! 1. calls [`init`] from its constructor;
//! 2. exports the role, transfer, delay and upgrade entry points with one line,
//!    `#[contractimpl(contracttrait)] impl Governed for MyContract {}` (see [`Governed`]);
//! 3. wraps [`timelock::queue`] / [`timelock::apply`] / [`timelock::cancel`] in typed entry points
//!    for its own risk parameters (`queue_source(asset, config)`, `apply_source(asset)`, ...);
//! 4. guards guardian-only actions with [`require_guardian`] and admin-only ones with
//!    [`require_admin`].
//!
//! Invariants:
//! - Roles live in instance storage under `Gov*` keys; pending changes in persistent storage, one
//!   entry per `(kind, subject)`.
//! - The delay is always within `[MIN_DELAY, MAX_DELAY]`; changing it is itself timelocked.
//! - A queued change can be applied only within `[eta, eta + GRACE_PERIOD]`.
#![no_std]

// Lets `Governed`'s signatures name `governance::GovernanceError`, a path that resolves both here
// and in the contracts that implement it.
extern crate self as governance;

mod error;
mod events;
mod governed;
mod storage;
pub mod timelock;
pub mod ttl;

#[cfg(test)]
mod test;

use soroban_sdk::{Address, Env};

pub use error::GovernanceError;
pub use events::*;
pub use governed::*;

/// The floor of the timelock delay: 24 hours.
pub const MIN_DELAY: u64 = 86_400;
/// The ceiling of the timelock delay: 30 days. It keeps governance from locking itself out with
/// a delay nobody can wait for, and bounds the TTL a pending change must be funded for.
pub const MAX_DELAY: u64 = 30 * 86_400;
/// How long a ready change stays applicable: 14 days after its eta, then it expires.
pub const GRACE_PERIOD: u64 = 14 * 86_400;

/// Sets the roles and the timelock delay; called once, from a contract's constructor.
///
/// # Arguments
/// * `admin` - governance (multisig or DAO).
/// * `guardian` - the party that may only tighten, at once.
/// * `delay` - the timelock delay in seconds, within `[MIN_DELAY, MAX_DELAY]`.
///
/// # Errors
/// * [`GovernanceError::AlreadyInitialized`] - roles are already set.
/// * [`GovernanceError::DelayTooShort`] / [`GovernanceError::DelayTooLong`] - `delay` out of
///   bounds.
///
/// # Events
/// [`GovernanceInitialized`] `{ admin, guardian, delay }`.
pub fn init(
    env: &Env,
    admin: &Address,
    guardian: &Address,
    delay: u64,
) -> Result<(), GovernanceError> {
    if storage::is_initialized(env) {
        return Err(GovernanceError::AlreadyInitialized);
    }
    check_delay(delay)?;
    storage::set_admin(env, admin);
    storage::set_guardian(env, guardian);
    storage::set_delay(env, delay);
    GovernanceInitialized {
        admin: admin.clone(),
        guardian: guardian.clone(),
        delay,
    }
    .publish(env);
    Ok(())
}

/// The admin.
///
/// # Arguments
/// * `env` - the contract's environment.
///
/// # Errors
/// Fails the call with [`GovernanceError::NotInitialized`] before [`init`].
///
/// # Events
/// None.
pub fn admin(env: &Env) -> Address {
    storage::admin(env)
}

/// The guardian.
///
/// # Arguments
/// * `env` - the contract's environment.
///
/// # Errors
/// Fails the call with [`GovernanceError::NotInitialized`] before [`init`].
///
/// # Events
/// None.
pub fn guardian(env: &Env) -> Address {
    storage::guardian(env)
}

/// The timelock delay in seconds.
///
/// # Arguments
/// * `env` - the contract's environment.
///
/// # Errors
/// Fails the call with [`GovernanceError::NotInitialized`] before [`init`].
///
/// # Events
/// None.
pub fn delay(env: &Env) -> u64 {
    storage::delay(env)
}

/// Loads the admin, requires its auth and returns it.
///
/// # Arguments
/// * `env` - the contract's environment.
///
/// # Errors
/// The host fails the call when the admin did not authorise it;
/// [`GovernanceError::NotInitialized`] before [`init`].
///
/// # Events
/// None.
pub fn require_admin(env: &Env) -> Address {
    let admin = storage::admin(env);
    admin.require_auth();
    admin
}

/// Loads the guardian, requires its auth and returns it.
///
/// # Arguments
/// * `env` - the contract's environment.
///
/// # Errors
/// The host fails the call when the guardian did not authorise it;
/// [`GovernanceError::NotInitialized`] before [`init`].
///
/// # Events
/// None.
pub fn require_guardian(env: &Env) -> Address {
    let guardian = storage::guardian(env);
    guardian.require_auth();
    guardian
}

/// Checks a timelock delay against `[MIN_DELAY, MAX_DELAY]`.
///
/// # Arguments
/// * `delay` - seconds.
///
/// # Errors
/// [`GovernanceError::DelayTooShort`], [`GovernanceError::DelayTooLong`].
///
/// # Events
/// None.
pub fn check_delay(delay: u64) -> Result<(), GovernanceError> {
    if delay < MIN_DELAY {
        return Err(GovernanceError::DelayTooShort);
    }
    if delay > MAX_DELAY {
        return Err(GovernanceError::DelayTooLong);
    }
    Ok(())
}

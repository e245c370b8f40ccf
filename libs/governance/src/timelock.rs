//! The generic timelock: risk-raising changes are queued by the admin, become applicable after
//! the contract's delay, and expire [`GRACE_PERIOD`] later (SPEC §8).
//!
//! A change is identified by `(kind, subject)`: `kind` names what changes (`"source"`, `"upgrade"`;
//! see [`crate::KIND_ADMIN`] and its siblings for the kinds this crate reserves) and `subject` is
//! what it changes (an asset, a venue; `()` when the change has no subject). Each contract wraps
//! these functions in typed `queue_*` / `apply_*` / `cancel_*` entry points.
//!
//! **One live change per `(kind, subject)`.** A second [`queue`] while a change is live (queued,
//! not expired) is refused with [`GovernanceError::AlreadyQueued`]: what watchers reviewed is what
//! gets applied, and replacing it takes an explicit, visible [`cancel`] first. An expired change
//! is replaced silently by a new [`queue`].
//!
//! Pending changes live in persistent storage, one entry each, funded for their whole window.

use soroban_sdk::{Env, IntoVal, Symbol, TryFromVal, Val};

use crate::events::{ChangeApplied, ChangeCancelled, ChangeQueued};
use crate::storage::{self, PendingChange};
use crate::{GovernanceError, GRACE_PERIOD};

/// Queues `value` as the next `(kind, subject)` change, applicable from the returned eta
/// (`now + delay`) until `eta + GRACE_PERIOD`.
///
/// # Arguments
/// * `kind` - what changes; the kinds of [`crate`] (`admin`, `guardian`, `delay`, `upgrade`) are
///   reserved.
/// * `subject` - what it changes (`&()` for none).
/// * `value` - the new value, returned by [`apply`].
///
/// # Errors
/// * [`GovernanceError::AlreadyQueued`] - a live change of this kind and subject is queued.
/// * [`GovernanceError::TimeOverflow`] - `now + delay` overflows.
///
/// # Events
/// [`ChangeQueued`] `{ kind, subject, value, eta }`.
///
/// # Notes
/// Requires the admin's auth.
pub fn queue<S, V>(env: &Env, kind: Symbol, subject: &S, value: &V) -> Result<u64, GovernanceError>
where
    S: IntoVal<Env, Val>,
    V: IntoVal<Env, Val>,
{
    crate::require_admin(env);
    queue_unchecked(env, kind, subject, value)
}

/// [`queue`] without the admin check, for callers that authorised the change themselves.
pub(crate) fn queue_unchecked<S, V>(
    env: &Env,
    kind: Symbol,
    subject: &S,
    value: &V,
) -> Result<u64, GovernanceError>
where
    S: IntoVal<Env, Val>,
    V: IntoVal<Env, Val>,
{
    let subject = subject.into_val(env);
    let value = value.into_val(env);
    let key = storage::pending_key(kind.clone(), subject);
    let now = env.ledger().timestamp();
    if let Some(live) = storage::pending(env, &key) {
        if !is_expired(live.eta, now) {
            return Err(GovernanceError::AlreadyQueued);
        }
    }
    let delay = crate::delay(env);
    let eta = now
        .checked_add(delay)
        .ok_or(GovernanceError::TimeOverflow)?;
    let lifetime = delay
        .checked_add(GRACE_PERIOD)
        .ok_or(GovernanceError::TimeOverflow)?;
    storage::set_pending(env, &key, &PendingChange { eta, value }, lifetime);
    ChangeQueued {
        kind,
        subject,
        value,
        eta,
    }
    .publish(env);
    Ok(eta)
}

/// Applies the queued `(kind, subject)` change: removes it and returns its value. Anyone may call
/// it; the calling contract then makes the value live.
///
/// # Arguments
/// * `kind`, `subject` - the change, as queued.
///
/// # Errors
/// * [`GovernanceError::NotQueued`] - nothing is queued for `(kind, subject)`.
/// * [`GovernanceError::TooEarly`] - `now < eta`.
/// * [`GovernanceError::Expired`] - `now > eta + GRACE_PERIOD`; the entry stays until cancelled
///   or replaced.
/// * [`GovernanceError::ValueMismatch`] - the value does not decode as `V`.
///
/// # Events
/// [`ChangeApplied`] `{ kind, subject, value }`.
pub fn apply<S, V>(env: &Env, kind: Symbol, subject: &S) -> Result<V, GovernanceError>
where
    S: IntoVal<Env, Val>,
    V: TryFromVal<Env, Val>,
{
    let subject = subject.into_val(env);
    let key = storage::pending_key(kind.clone(), subject);
    let change = storage::pending(env, &key).ok_or(GovernanceError::NotQueued)?;
    check_ready(env, change.eta)?;
    let value = V::try_from_val(env, &change.value).map_err(|_| GovernanceError::ValueMismatch)?;
    storage::remove_pending(env, &key);
    ChangeApplied {
        kind,
        subject,
        value: change.value,
    }
    .publish(env);
    Ok(value)
}

/// Drops the queued `(kind, subject)` change, live or expired.
///
/// # Arguments
/// * `kind`, `subject` - the change, as queued.
///
/// # Errors
/// * [`GovernanceError::NotQueued`] - nothing is queued for `(kind, subject)`.
///
/// # Events
/// [`ChangeCancelled`] `{ kind, subject }`.
///
/// # Notes
/// Requires the admin's auth.
pub fn cancel<S>(env: &Env, kind: Symbol, subject: &S) -> Result<(), GovernanceError>
where
    S: IntoVal<Env, Val>,
{
    crate::require_admin(env);
    let subject = subject.into_val(env);
    let key = storage::pending_key(kind.clone(), subject);
    if storage::pending(env, &key).is_none() {
        return Err(GovernanceError::NotQueued);
    }
    storage::remove_pending(env, &key);
    ChangeCancelled { kind, subject }.publish(env);
    Ok(())
}

/// The eta of the queued `(kind, subject)` change, if any (also when it has expired: compare
/// with `eta + GRACE_PERIOD`).
pub fn eta<S>(env: &Env, kind: Symbol, subject: &S) -> Option<u64>
where
    S: IntoVal<Env, Val>,
{
    let key = storage::pending_key(kind, subject.into_val(env));
    storage::pending(env, &key).map(|change| change.eta)
}

/// The value of the queued `(kind, subject)` change without applying it (for entry points that
/// must authorise against the value first, like `accept_admin`).
///
/// # Errors
/// * [`GovernanceError::NotQueued`] - nothing is queued for `(kind, subject)`.
/// * [`GovernanceError::ValueMismatch`] - the value does not decode as `V`.
pub fn pending_value<S, V>(env: &Env, kind: Symbol, subject: &S) -> Result<V, GovernanceError>
where
    S: IntoVal<Env, Val>,
    V: TryFromVal<Env, Val>,
{
    let key = storage::pending_key(kind, subject.into_val(env));
    let change = storage::pending(env, &key).ok_or(GovernanceError::NotQueued)?;
    V::try_from_val(env, &change.value).map_err(|_| GovernanceError::ValueMismatch)
}

/// `Ok` when a change with this eta may be applied now.
fn check_ready(env: &Env, eta: u64) -> Result<(), GovernanceError> {
    let now = env.ledger().timestamp();
    if now < eta {
        return Err(GovernanceError::TooEarly);
    }
    if is_expired(eta, now) {
        return Err(GovernanceError::Expired);
    }
    Ok(())
}

/// Whether the window `[eta, eta + GRACE_PERIOD]` has passed. Saturating is exact here: a
/// deadline past `u64::MAX` seconds is never reached.
fn is_expired(eta: u64, now: u64) -> bool {
    now > eta.saturating_add(GRACE_PERIOD)
}

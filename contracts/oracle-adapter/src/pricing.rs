//! Serving quotes and recording prices: the logic behind `quotes` and `refresh`.
//!
//! How the two interact:
//! - Both start from the asset's [`PriceState`]. A cached quote that is still exact (`now <
//!   valid_until`, breaker closed) is served as is: one persistent read, no feed call.
//! - Otherwise both pull the feeds and let the breaker judge the candidate. An accepted candidate
//!   is cached and announced ([`PriceAccepted`]) by either of them, so `quotes` warms the cache
//!   by itself and keepers are not needed for prices to flow.
//! - Everything else the breaker decides (a trip, a restarted or confirmed pending level) is
//!   persisted only by `refresh`: `quotes` fails with [`Error::CircuitOpen`] for that asset, and
//!   a failed call keeps none of its writes. Keepers call `refresh`, which never fails as a whole
//!   and reports a [`RefreshStatus`] per asset.

use soroban_sdk::{Address, Env};

use crate::breaker::{self, Verdict};
use crate::error::Error;
use crate::events::{BreakerConfirmed, BreakerPending, BreakerTripped, PriceAccepted};
use crate::feeds::{self, Candidate};
use crate::storage;
use crate::types::{Breaker, PriceState, Quote, RefreshStatus, Source};

/// The cached quote when it is exactly what the feeds answer now.
fn cached(state: &PriceState, now: u64) -> Option<Quote> {
    let exact = state.breaker == Breaker::Closed && state.has_price() && now < state.valid_until;
    exact.then(|| state.quote())
}

/// Pulls the feeds of an asset whose cache is not exact.
///
/// # Errors
/// [`Error::CircuitOpen`] for a breaker open by hand (the feeds are not called),
/// [`Error::NoSource`], and [`feeds::pull`]'s reasons.
fn pull(
    env: &Env,
    asset: &Address,
    state: &PriceState,
    now: u64,
) -> Result<(Source, Candidate), Error> {
    if state.breaker == Breaker::Manual {
        return Err(Error::CircuitOpen);
    }
    let source = storage::source_for_pull(env, asset).ok_or(Error::NoSource)?;
    let decimals = storage::settings(env).decimals;
    let candidate = feeds::pull(env, &source, decimals, now)?;
    Ok((source, candidate))
}

/// A trusted quote for `asset` (the `quotes` rule for one asset).
///
/// # Errors
/// [`Error::NoSource`], [`Error::CircuitOpen`] (open breaker, or a jump `refresh` has yet to
/// record), and the pull path's reasons ([`feeds::pull`]).
///
/// # Events
/// [`PriceAccepted`] when a new price was accepted on the pull path.
pub fn quote(env: &Env, asset: &Address, now: u64) -> Result<Quote, Error> {
    let state = storage::price_state(env, asset).ok_or(Error::NoSource)?;
    match cached(&state, now) {
        Some(quote) => Ok(quote),
        None => pull_quote(env, asset, state, now),
    }
}

/// [`quote`] when the cache is not exact. Kept out of line so the hot path stays small.
#[inline(never)]
fn pull_quote(env: &Env, asset: &Address, state: PriceState, now: u64) -> Result<Quote, Error> {
    if matches!(state.breaker, Breaker::Jump(_)) {
        // Fail before touching the feeds: only `refresh` can make progress on a tripped asset.
        return Err(Error::CircuitOpen);
    }
    let (source, candidate) = pull(env, asset, &state, now)?;
    match breaker::judge(&state, &candidate, &source)? {
        Verdict::Accept => {
            record(env, asset, &candidate);
            Ok(quote_of(&candidate))
        }
        _ => Err(Error::CircuitOpen),
    }
}

/// Refreshes one asset (the `refresh` rule), persisting whatever the breaker decides.
///
/// # Events
/// [`PriceAccepted`], [`BreakerTripped`], [`BreakerPending`], [`BreakerConfirmed`].
pub fn refresh(env: &Env, asset: &Address, now: u64) -> RefreshStatus {
    let Some(state) = storage::price_state(env, asset) else {
        return RefreshStatus::NoSource;
    };
    if cached(&state, now).is_some() {
        return RefreshStatus::Unchanged;
    }
    let (source, candidate) = match pull(env, asset, &state, now) {
        Ok(pulled) => pulled,
        Err(e) => return e.into(),
    };
    let verdict = match breaker::judge(&state, &candidate, &source) {
        Ok(v) => v,
        Err(e) => return e.into(),
    };
    apply_verdict(env, asset, &state, &candidate, verdict)
}

fn apply_verdict(
    env: &Env,
    asset: &Address,
    state: &PriceState,
    candidate: &Candidate,
    verdict: Verdict,
) -> RefreshStatus {
    match verdict {
        Verdict::Accept => {
            record(env, asset, candidate);
            RefreshStatus::Accepted
        }
        Verdict::Open => RefreshStatus::CircuitOpen,
        Verdict::Hold => RefreshStatus::Pending,
        Verdict::Trip { reference } => {
            storage::set_price_state(env, asset, &breaker::pending(state, candidate));
            BreakerTripped {
                asset: asset.clone(),
                reference,
                price: candidate.spot,
                timestamp: candidate.timestamp,
            }
            .publish(env);
            RefreshStatus::Tripped
        }
        Verdict::Restart => {
            storage::set_price_state(env, asset, &breaker::pending(state, candidate));
            BreakerPending {
                asset: asset.clone(),
                price: candidate.spot,
                since: candidate.timestamp,
            }
            .publish(env);
            RefreshStatus::Pending
        }
        Verdict::Confirm { since } => {
            BreakerConfirmed {
                asset: asset.clone(),
                price: candidate.spot,
                since,
                timestamp: candidate.timestamp,
            }
            .publish(env);
            record(env, asset, candidate);
            RefreshStatus::Confirmed
        }
    }
}

/// Caches an accepted candidate and announces it. Also keeps the instance funded, since `quotes`
/// may be the only caller of a busy adapter.
fn record(env: &Env, asset: &Address, candidate: &Candidate) {
    governance::ttl::extend_instance(env);
    storage::set_price_state(env, asset, &breaker::accepted(candidate));
    PriceAccepted {
        asset: asset.clone(),
        spot: candidate.spot,
        low: candidate.low,
        high: candidate.high,
        timestamp: candidate.timestamp,
        valid_until: candidate.valid_until,
    }
    .publish(env);
}

fn quote_of(candidate: &Candidate) -> Quote {
    Quote {
        spot: candidate.spot,
        low: candidate.low,
        high: candidate.high,
        timestamp: candidate.timestamp,
    }
}

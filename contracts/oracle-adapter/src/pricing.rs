//! Serving quotes and recording prices: the logic behind `quotes` and `refresh`.
//!
//! How the two interact:
//! - Both start from the asset's [`PriceState`] in the [`Book`], loaded once per call. A cached
//!   quote that is still exact (`now < valid_until`, breaker closed) is served as is: no feed
//!   call, and no storage read beyond the book's.
//! - Every state change is made in the book in memory; the entry points write it back once, at
//!   the end (a failing call keeps none of its writes anyway).
//! - Otherwise both pull the feeds and let the breaker judge the candidate. An accepted candidate
//!   is cached and announced ([`PriceAccepted`]) by either of them, so `quotes` warms the cache
//!   by itself and keepers are not needed for prices to flow.
//! - Everything else the breaker decides (a trip, a restarted or confirmed pending level) is
//!   persisted only by `refresh`: `quotes` fails with [`Error::CircuitOpen`] for that asset, and
//!   a failed call keeps none of its writes. Keepers call `refresh`, which never fails as a whole
//!   and reports a [`RefreshStatus`] per asset.

use soroban_sdk::{Address, Env};

use crate::breaker::{self, Verdict};
use crate::codec::{self, Record, PACKED_LEN, QUOTE_LEN};
use crate::error::Error;
use crate::events::{BreakerConfirmed, BreakerPending, BreakerTripped, PriceAccepted};
use crate::feeds::{self, Candidate};
use crate::storage::{self, Book};
use crate::types::{Breaker, PriceState, Quote, RefreshStatus, Source};

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
///
/// # Notes
/// `record` is scratch space, reused across assets so that it is zeroed once per call.
pub fn quote(
    env: &Env,
    book: &mut Book,
    record: &mut Record,
    asset: &Address,
    now: u64,
) -> Result<Quote, Error> {
    let slot = book.slot(asset).ok_or(Error::NoSource)?;
    if book.read(slot, record) && codec::servable(record, now) {
        return Ok(codec::quote(record));
    }
    Ok(pull_quote(env, book, slot, asset, now)?.0)
}

/// [`quote`] in the `quotes_packed` form, written to `window[..PACKED_LEN]`; the rest of the
/// window is scratch space. A cached quote is copied by the host straight into the window (a
/// record starts with the packed quote) and served without being decoded.
///
/// # Errors
/// As [`quote`].
pub fn quote_packed(
    env: &Env,
    book: &mut Book,
    window: &mut Record,
    asset: &Address,
    now: u64,
) -> Result<(), Error> {
    let slot = book.slot(asset).ok_or(Error::NoSource)?;
    if book.read(slot, window) && codec::servable(window, now) {
        return Ok(());
    }
    let (quote, valid_until) = pull_quote(env, book, slot, asset, now)?;
    window[..QUOTE_LEN].copy_from_slice(&codec::pack(&quote));
    window[QUOTE_LEN..PACKED_LEN].copy_from_slice(&valid_until.to_be_bytes());
    Ok(())
}

/// [`quote`] when the cache is not exact, with the `valid_until` it was cached with. Kept out of
/// line so the hot path stays small.
#[inline(never)]
fn pull_quote(
    env: &Env,
    book: &mut Book,
    slot: u32,
    asset: &Address,
    now: u64,
) -> Result<(Quote, u64), Error> {
    let state = book.state(slot).ok_or(Error::NoSource)?;
    if matches!(state.breaker, Breaker::Jump(_)) {
        // Fail before touching the feeds: only `refresh` can make progress on a tripped asset.
        return Err(Error::CircuitOpen);
    }
    let (source, candidate) = pull(env, asset, &state, now)?;
    match breaker::judge(&state, &candidate, &source)? {
        Verdict::Accept => {
            record(env, book, slot, asset, &candidate);
            Ok((quote_of(&candidate), candidate.valid_until))
        }
        _ => Err(Error::CircuitOpen),
    }
}

/// Refreshes one asset (the `refresh` rule), persisting whatever the breaker decides.
///
/// # Events
/// [`PriceAccepted`], [`BreakerTripped`], [`BreakerPending`], [`BreakerConfirmed`].
pub fn refresh(env: &Env, book: &mut Book, asset: &Address, now: u64) -> RefreshStatus {
    let Some(slot) = book.slot(asset) else {
        return RefreshStatus::NoSource;
    };
    let Some(state) = book.state(slot) else {
        return RefreshStatus::NoSource;
    };
    let mut record = [0u8; codec::LEN];
    if book.read(slot, &mut record) && codec::servable(&record, now) {
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
    apply_verdict(env, book, slot, asset, &state, &candidate, verdict)
}

fn apply_verdict(
    env: &Env,
    book: &mut Book,
    slot: u32,
    asset: &Address,
    state: &PriceState,
    candidate: &Candidate,
    verdict: Verdict,
) -> RefreshStatus {
    match verdict {
        Verdict::Accept => {
            record(env, book, slot, asset, candidate);
            RefreshStatus::Accepted
        }
        Verdict::Open => RefreshStatus::CircuitOpen,
        Verdict::Hold => RefreshStatus::Pending,
        Verdict::Trip { reference } => {
            book.set(slot, &breaker::pending(state, candidate));
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
            book.set(slot, &breaker::pending(state, candidate));
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
            record(env, book, slot, asset, candidate);
            RefreshStatus::Confirmed
        }
    }
}

/// Caches an accepted candidate and announces it. Also keeps the instance funded, since `quotes`
/// may be the only caller of a busy adapter.
fn record(env: &Env, book: &mut Book, slot: u32, asset: &Address, candidate: &Candidate) {
    governance::ttl::extend_instance(env);
    book.set(slot, &breaker::accepted(candidate));
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

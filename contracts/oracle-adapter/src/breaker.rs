//! The jump circuit breaker as a pure decision over the stored state and a fresh candidate.
//!
//! ```text
//! Closed  --jump-->               Jump{pending = candidate, since = its record time}
//! Jump    --candidate within the allowance of pending,
//!           record time - since >= jump_confirm-->           Closed (candidate accepted)
//! Jump    --candidate within the allowance, not yet long enough--> Jump (unchanged)
//! Jump    --candidate jumps away from pending-->             Jump{pending = candidate, since}
//! any     --trip (guardian/admin)-->                         Manual
//! Jump, Manual --clear (guardian/admin)-->                   Cleared
//! Cleared --next fresh candidate-->                          Closed (accepted without a jump check)
//! ```
//!
//! "Within the allowance" is [`risk_core::oracle::is_jump`] being false: the move is at most
//! `max_jump` per resolution interval elapsed since the reference. A jumped level is confirmed
//! when it held (no further jump) for `jump_confirm` seconds of record time; a price that jumps
//! and comes back restarts the confirmation at the level it came back to, so the breaker closes
//! only on a level that has been stable for `jump_confirm`, whichever it is.

use risk_core::oracle;

use crate::error::Error;
use crate::feeds::Candidate;
use crate::types::{Breaker, JumpPending, PriceState, Source};

/// What to do with a fresh candidate.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Verdict {
    /// Accept and cache it; the breaker is (or becomes) closed.
    Accept,
    /// The breaker is open by hand: nothing to do.
    Open,
    /// A jump from the last accepted price: trip, with the candidate as the pending level.
    Trip { reference: i128 },
    /// Tripped; the candidate holds the pending level but not yet for `jump_confirm`.
    Hold,
    /// Tripped; the candidate jumped away from the pending level: it is the new pending level.
    Restart,
    /// Tripped; the pending level held for `jump_confirm`: accept the candidate and close.
    Confirm { since: u64 },
}

/// Judges `candidate` against the asset's `state` and `source` parameters.
///
/// # Errors
/// [`Error::MathOverflow`] from the jump comparison.
pub fn judge(state: &PriceState, candidate: &Candidate, source: &Source) -> Result<Verdict, Error> {
    let resolution = source.jump_resolution();
    let cand = (candidate.spot, candidate.timestamp);
    match state.breaker {
        Breaker::Manual => Ok(Verdict::Open),
        Breaker::Cleared => Ok(Verdict::Accept),
        Breaker::Closed if !state.has_price() => Ok(Verdict::Accept),
        Breaker::Closed => {
            let reference = (state.spot, state.timestamp);
            if oracle::is_jump(reference, cand, source.max_jump, resolution)? {
                Ok(Verdict::Trip {
                    reference: state.spot,
                })
            } else {
                Ok(Verdict::Accept)
            }
        }
        Breaker::Jump(pending) => judge_pending(pending, candidate, source, resolution),
    }
}

fn judge_pending(
    pending: JumpPending,
    candidate: &Candidate,
    source: &Source,
    resolution: u64,
) -> Result<Verdict, Error> {
    let level = (pending.price, pending.since);
    let cand = (candidate.spot, candidate.timestamp);
    if oracle::is_jump(level, cand, source.max_jump, resolution)? {
        return Ok(Verdict::Restart);
    }
    let held = candidate.timestamp.saturating_sub(pending.since);
    if held >= source.jump_confirm {
        Ok(Verdict::Confirm {
            since: pending.since,
        })
    } else {
        Ok(Verdict::Hold)
    }
}

/// The state after accepting `candidate`: cached, breaker closed.
pub fn accepted(candidate: &Candidate) -> PriceState {
    PriceState {
        spot: candidate.spot,
        low: candidate.low,
        high: candidate.high,
        timestamp: candidate.timestamp,
        valid_until: candidate.valid_until,
        breaker: Breaker::Closed,
    }
}

/// The state with the breaker open by a jump at `candidate`: the last accepted quote is kept (for
/// SEP-40 `lastprice` and as the reference) but never served.
pub fn pending(state: &PriceState, candidate: &Candidate) -> PriceState {
    PriceState {
        valid_until: 0,
        breaker: Breaker::Jump(JumpPending {
            price: candidate.spot,
            since: candidate.timestamp,
        }),
        ..*state
    }
}

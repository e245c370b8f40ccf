//! The stored form of [`PriceState`]: 90 fixed bytes instead of a `#[contracttype]` map.
//!
//! `quotes` reads one of these per asset on its hot path. A map with six symbol keys and a nested
//! enum costs the host a deserialisation per field and the contract a decode per field; a fixed
//! byte string is one host object copied into linear memory with one call, and halves the entry
//! (measured in `tests/tests/oracle_adapter/cost.rs`). The `price_state` view still returns the
//! typed struct.
//!
//! Layout (big-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 0 | layout version, [`VERSION`] |
//! | 1..17, 17..33, 33..49 | `spot`, `low`, `high` (`i128`) |
//! | 49..57, 57..65 | `timestamp`, `valid_until` (`u64`) |
//! | 65 | breaker: 0 closed, 1 cleared, 2 manual, 3 jump |
//! | 66..82, 82..90 | jump pending `price` (`i128`) and `since` (`u64`); zero otherwise |

use crate::types::{Breaker, JumpPending, PriceState};

/// Encoded length.
pub const LEN: usize = 90;
/// Layout version written in byte 0, so an upgrade can change the layout and still read old
/// entries.
pub const VERSION: u8 = 1;

const CLOSED: u8 = 0;
const CLEARED: u8 = 1;
const MANUAL: u8 = 2;
const JUMP: u8 = 3;

pub fn encode(state: &PriceState) -> [u8; LEN] {
    let mut out = [0u8; LEN];
    out[0] = VERSION;
    out[1..17].copy_from_slice(&state.spot.to_be_bytes());
    out[17..33].copy_from_slice(&state.low.to_be_bytes());
    out[33..49].copy_from_slice(&state.high.to_be_bytes());
    out[49..57].copy_from_slice(&state.timestamp.to_be_bytes());
    out[57..65].copy_from_slice(&state.valid_until.to_be_bytes());
    let (tag, pending) = match state.breaker {
        Breaker::Closed => (CLOSED, None),
        Breaker::Cleared => (CLEARED, None),
        Breaker::Manual => (MANUAL, None),
        Breaker::Jump(p) => (JUMP, Some(p)),
    };
    out[65] = tag;
    if let Some(p) = pending {
        out[66..82].copy_from_slice(&p.price.to_be_bytes());
        out[82..90].copy_from_slice(&p.since.to_be_bytes());
    }
    out
}

/// Decodes an entry; `None` for an unknown version or breaker tag (never written by this code).
pub fn decode(bytes: &[u8; LEN]) -> Option<PriceState> {
    if bytes[0] != VERSION {
        return None;
    }
    let breaker = match bytes[65] {
        CLOSED => Breaker::Closed,
        CLEARED => Breaker::Cleared,
        MANUAL => Breaker::Manual,
        JUMP => Breaker::Jump(JumpPending {
            price: i128_at(bytes, 66),
            since: u64_at(bytes, 82),
        }),
        _ => return None,
    };
    Some(PriceState {
        spot: i128_at(bytes, 1),
        low: i128_at(bytes, 17),
        high: i128_at(bytes, 33),
        timestamp: u64_at(bytes, 49),
        valid_until: u64_at(bytes, 57),
        breaker,
    })
}

fn i128_at(bytes: &[u8; LEN], at: usize) -> i128 {
    let mut b = [0u8; 16];
    b.copy_from_slice(&bytes[at..at + 16]);
    i128::from_be_bytes(b)
}

fn u64_at(bytes: &[u8; LEN], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_be_bytes(b)
}

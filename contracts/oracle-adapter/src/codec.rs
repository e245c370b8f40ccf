//! The stored form of [`PriceState`]: 90 fixed bytes instead of a `#[contracttype]` map, one
//! record per slot of the [`crate::storage::Book`]; and the packed form of a [`Quote`] with its
//! `valid_until` that `quotes_packed` returns, which is the record's first 64 bytes.
//!
//! `quotes` reads one record per asset on its hot path. A map with six symbol keys and a nested
//! enum costs the host a deserialisation per field and the contract a decode per field; a fixed
//! record is copied into linear memory with one host call, and the hot path ([`servable`],
//! [`quote`]) reads only the quote and the fields that say whether it may be served.
//!
//! The VM charges every WASM instruction (a `call` as 67 of them), and `memcpy` / `memset` are
//! WASM functions: the readers are inlined with constant offsets into a fixed-size array, so
//! each field is a load and a byte swap, with no call and no bounds check.
//!
//! Layout (big-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 0..16, 16..32, 32..48 | `spot`, `low`, `high` (`i128`) |
//! | 48..56, 56..64 | `timestamp`, `valid_until` (`u64`) |
//! | 64..80, 80..88 | jump pending `price` (`i128`) and `since` (`u64`); zero otherwise |
//! | 88 | breaker: 0 closed, 1 cleared, 2 manual, 3 jump |
//! | 89 | layout version, [`VERSION`] |

use crate::types::{Breaker, JumpPending, PriceState, Quote};

/// Encoded length.
pub const LEN: usize = 90;
/// Layout version written in byte [`VERSION_AT`], so an upgrade can change the layout and still
/// read old entries.
pub const VERSION: u8 = 2;
/// Offset of the breaker tag.
pub const TAG_AT: usize = 88;
/// Offset of the layout version.
pub const VERSION_AT: usize = 89;
/// Length of a [`Quote`] in a record: `spot ‖ low ‖ high ‖ timestamp`, the prices as big-endian
/// `i128`, the timestamp as a big-endian `u64`; bytes `0..56` of a record.
pub const QUOTE_LEN: usize = 56;
/// Length of one quote in the `quotes_packed` form: the [`Quote`] then `valid_until` (big-endian
/// `u64`); bytes `0..64` of a record.
pub const PACKED_LEN: usize = 64;

const CLOSED: u8 = 0;
const CLEARED: u8 = 1;
const MANUAL: u8 = 2;
const JUMP: u8 = 3;

/// One record in linear memory.
pub type Record = [u8; LEN];

#[inline(always)]
fn u64_at(b: &Record, at: usize) -> u64 {
    u64::from_be_bytes([
        b[at],
        b[at + 1],
        b[at + 2],
        b[at + 3],
        b[at + 4],
        b[at + 5],
        b[at + 6],
        b[at + 7],
    ])
}

#[inline(always)]
fn i128_at(b: &Record, at: usize) -> i128 {
    let hi = u64_at(b, at) as u128;
    let lo = u64_at(b, at + 8) as u128;
    ((hi << 64) | lo) as i128
}

/// Whether the record's quote is exactly what the feeds answer at `now` (the rule of `pricing`):
/// a known layout, breaker closed, a price accepted, `now < valid_until`. A record [`decode`]
/// rejects is never servable.
///
/// The four conditions are combined without short-circuits, so that the compiler may emit one
/// straight-line block (the VM charges a block's instructions when it is entered).
#[inline(always)]
pub fn servable(b: &Record, now: u64) -> bool {
    (b[VERSION_AT] == VERSION) & (b[TAG_AT] == CLOSED) & (i128_at(b, 0) > 0) & (now < u64_at(b, 56))
}

/// The record's quote (whether servable or not).
#[inline(always)]
pub fn quote(b: &Record) -> Quote {
    Quote {
        spot: i128_at(b, 0),
        low: i128_at(b, 16),
        high: i128_at(b, 32),
        timestamp: u64_at(b, 48),
    }
}

pub fn encode(state: &PriceState) -> [u8; LEN] {
    let mut out = [0u8; LEN];
    out[0..QUOTE_LEN].copy_from_slice(&pack(&state.quote()));
    out[56..64].copy_from_slice(&state.valid_until.to_be_bytes());
    let (tag, pending) = match state.breaker {
        Breaker::Closed => (CLOSED, None),
        Breaker::Cleared => (CLEARED, None),
        Breaker::Manual => (MANUAL, None),
        Breaker::Jump(p) => (JUMP, Some(p)),
    };
    if let Some(p) = pending {
        out[64..80].copy_from_slice(&p.price.to_be_bytes());
        out[80..88].copy_from_slice(&p.since.to_be_bytes());
    }
    out[TAG_AT] = tag;
    out[VERSION_AT] = VERSION;
    out
}

/// Decodes a record; `None` for an unknown version or breaker tag (never written by this code).
pub fn decode(record: &Record) -> Option<PriceState> {
    if record[VERSION_AT] != VERSION {
        return None;
    }
    let breaker = match record[TAG_AT] {
        CLOSED => Breaker::Closed,
        CLEARED => Breaker::Cleared,
        MANUAL => Breaker::Manual,
        JUMP => Breaker::Jump(JumpPending {
            price: i128_at(record, 64),
            since: u64_at(record, 80),
        }),
        _ => return None,
    };
    let q = quote(record);
    Some(PriceState {
        spot: q.spot,
        low: q.low,
        high: q.high,
        timestamp: q.timestamp,
        valid_until: u64_at(record, 56),
        breaker,
    })
}

/// A quote in the record's form (see [`QUOTE_LEN`]).
pub fn pack(q: &Quote) -> [u8; QUOTE_LEN] {
    let mut out = [0u8; QUOTE_LEN];
    out[0..16].copy_from_slice(&q.spot.to_be_bytes());
    out[16..32].copy_from_slice(&q.low.to_be_bytes());
    out[32..48].copy_from_slice(&q.high.to_be_bytes());
    out[48..56].copy_from_slice(&q.timestamp.to_be_bytes());
    out
}

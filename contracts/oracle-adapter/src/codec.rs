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
//! The layout and the serving rule are risk-core's ([`risk_core::adapter_record`]), which the
//! keeper also reads the book with.

use crate::types::{Breaker, JumpPending, PriceState, Quote};
use risk_core::adapter_record::{i128_at, u64_at, CLOSED};
pub use risk_core::adapter_record::{
    servable, Record, RECORD_LEN as LEN, TAG_AT, VERSION, VERSION_AT,
};

/// Length of a [`Quote`] in a record: `spot ‖ low ‖ high ‖ timestamp`, the prices as big-endian
/// `i128`, the timestamp as a big-endian `u64`; bytes `0..56` of a record.
pub const QUOTE_LEN: usize = 56;
/// Length of one quote in the `quotes_packed` form: the [`Quote`] then `valid_until` (big-endian
/// `u64`); bytes `0..64` of a record.
pub const PACKED_LEN: usize = 64;

const CLEARED: u8 = 1;
const MANUAL: u8 = 2;
const JUMP: u8 = 3;

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

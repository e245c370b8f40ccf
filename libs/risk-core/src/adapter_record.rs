//! The fixed layout of one oracle-adapter price record (the 90-byte record of each asset in the
//! adapter's book) and the rule by which the adapter serves it without calling its feeds: shared
//! by the adapter, which applies it on every cached quote, and by the keeper, which reads the
//! book off-chain to tell which assets a `refresh` would change.
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

/// Encoded length.
pub const RECORD_LEN: usize = 90;
/// Layout version written in byte [`VERSION_AT`], so an upgrade can change the layout and still
/// read old entries.
pub const VERSION: u8 = 2;
/// Offset of the breaker tag.
pub const TAG_AT: usize = 88;
/// Offset of the layout version.
pub const VERSION_AT: usize = 89;
/// Offset of `spot`.
pub const SPOT_AT: usize = 0;
/// Offset of `valid_until`.
pub const VALID_UNTIL_AT: usize = 56;
/// The breaker tag of a closed breaker.
pub const CLOSED: u8 = 0;

/// One record.
pub type Record = [u8; RECORD_LEN];

/// The big-endian `u64` at `at`.
#[inline(always)]
pub fn u64_at(b: &Record, at: usize) -> u64 {
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

/// The big-endian `i128` at `at`.
#[inline(always)]
pub fn i128_at(b: &Record, at: usize) -> i128 {
    let hi = u64_at(b, at) as u128;
    let lo = u64_at(b, at + 8) as u128;
    ((hi << 64) | lo) as i128
}

/// Whether the record's quote is exactly what the feeds answer at `now`: a known layout,
/// breaker closed, a price accepted, `now < valid_until`. A record the adapter's decoder rejects
/// is never servable.
///
/// The four conditions are combined without short-circuits, so that the compiler may emit one
/// straight-line block (the VM charges a block's instructions when it is entered).
#[inline(always)]
pub fn servable(b: &Record, now: u64) -> bool {
    (b[VERSION_AT] == VERSION)
        & (b[TAG_AT] == CLOSED)
        & (i128_at(b, SPOT_AT) > 0)
        & (now < u64_at(b, VALID_UNTIL_AT))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(spot: i128, valid_until: u64, breaker: u8, version: u8) -> Record {
        let mut r = [0u8; RECORD_LEN];
        r[SPOT_AT..SPOT_AT + 16].copy_from_slice(&spot.to_be_bytes());
        r[VALID_UNTIL_AT..VALID_UNTIL_AT + 8].copy_from_slice(&valid_until.to_be_bytes());
        r[TAG_AT] = breaker;
        r[VERSION_AT] = version;
        r
    }

    #[test]
    fn a_record_is_servable_only_closed_priced_known_and_before_valid_until() {
        assert!(servable(&record(5, 100, CLOSED, VERSION), 99));
        assert!(!servable(&record(5, 100, CLOSED, VERSION), 100));
        assert!(!servable(&record(0, 100, CLOSED, VERSION), 99));
        assert!(!servable(&record(-5, 100, CLOSED, VERSION), 99));
        assert!(!servable(&record(5, 100, 3, VERSION), 99));
        assert!(!servable(&record(5, 100, CLOSED, VERSION + 1), 99));
    }
}

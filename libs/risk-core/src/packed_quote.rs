//! Decoding oracle-adapter's `quotes_packed` output without the host: 64 bytes per asset, in the
//! order asked, each `spot ‖ low ‖ high ‖ timestamp ‖ valid_until` with the three prices as
//! big-endian `i128` (the adapter's `decimals()`), the record timestamp and the quote's validity
//! bound as big-endian `u64`.
//!
//! `valid_until` is the time before which the adapter would serve exactly this quote again
//! without calling its feeds, barring a guardian trip or a source change (which the adapter
//! announces to its subscriber, see margin-account's quote cache); 0 when the quote must not be
//! reused.
//!
//! A caller copies the returned bytes into linear memory once (`Bytes::copy_into_slice`) and
//! reads each quote here: no `Vec<Quote>` of host maps to decode. Feed the prices to
//! [`crate::Quote::new`] as for a `Quote` from `quotes`.

/// Bytes per quote.
pub const PACKED_QUOTE_LEN: usize = 64;

/// One quote of `quotes_packed`, as the adapter's `Quote` struct carries it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PackedQuote {
    pub spot: i128,
    pub low: i128,
    pub high: i128,
    pub timestamp: u64,
    /// Reusable while `now < valid_until` (0: never).
    pub valid_until: u64,
}

#[inline(always)]
fn u64_at(b: &[u8; PACKED_QUOTE_LEN], at: usize) -> u64 {
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
fn i128_at(b: &[u8; PACKED_QUOTE_LEN], at: usize) -> i128 {
    (((u64_at(b, at) as u128) << 64) | u64_at(b, at + 8) as u128) as i128
}

impl PackedQuote {
    /// Decodes one 64-byte quote (straight-line: loads and byte swaps, no bounds checks).
    #[inline(always)]
    pub fn decode(b: &[u8; PACKED_QUOTE_LEN]) -> PackedQuote {
        PackedQuote {
            spot: i128_at(b, 0),
            low: i128_at(b, 16),
            high: i128_at(b, 32),
            timestamp: u64_at(b, 48),
            valid_until: u64_at(b, 56),
        }
    }

    /// The quote at index `i` of a `quotes_packed` buffer, `None` past its end.
    pub fn at(buf: &[u8], i: usize) -> Option<PackedQuote> {
        let start = i.checked_mul(PACKED_QUOTE_LEN)?;
        let record = buf.get(start..start.checked_add(PACKED_QUOTE_LEN)?)?;
        let record: &[u8; PACKED_QUOTE_LEN] = record.try_into().ok()?;
        Some(PackedQuote::decode(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_big_endian_fields_in_order() {
        let q = PackedQuote {
            spot: 100_000_000_000_000,
            low: -2,
            high: i128::MAX,
            timestamp: 1_750_000_000,
            valid_until: 1_750_000_300,
        };
        let mut buf = [0u8; 2 * PACKED_QUOTE_LEN];
        for i in 0..2 {
            let r = &mut buf[i * PACKED_QUOTE_LEN..];
            r[0..16].copy_from_slice(&q.spot.to_be_bytes());
            r[16..32].copy_from_slice(&q.low.to_be_bytes());
            r[32..48].copy_from_slice(&q.high.to_be_bytes());
            r[48..56].copy_from_slice(&q.timestamp.to_be_bytes());
            r[56..64].copy_from_slice(&q.valid_until.to_be_bytes());
        }
        assert_eq!(PackedQuote::at(&buf, 0), Some(q));
        assert_eq!(PackedQuote::at(&buf, 1), Some(q));
        assert_eq!(PackedQuote::at(&buf, 2), None);
        assert_eq!(PackedQuote::at(&buf[..PACKED_QUOTE_LEN + 3], 1), None);
    }
}

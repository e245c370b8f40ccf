//! Pure operations on an asset's records, kept newest first with strictly decreasing
//! timestamps (the reporter can only append newer ones).

use sep40::PriceData;
use soroban_sdk::Vec;

/// `records` with `record` in front, trimmed to the newest `capacity`: the oldest record falls
/// off once the history is full.
pub fn push(records: &mut Vec<PriceData>, record: PriceData, capacity: u32) {
    records.push_front(record);
    while records.len() > capacity {
        records.pop_back();
    }
}

/// The newest `count` records (all of them when fewer are kept), newest first.
pub fn newest(records: &Vec<PriceData>, count: u32) -> Vec<PriceData> {
    records.slice(0..count.min(records.len()))
}

/// The record with exactly `timestamp`, by binary search over the decreasing timestamps.
pub fn find(records: &Vec<PriceData>, timestamp: u64) -> Option<PriceData> {
    let (mut lo, mut hi) = (0u32, records.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let record = records.get(mid)?;
        if record.timestamp == timestamp {
            return Some(record);
        }
        if record.timestamp > timestamp {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    None
}

/// `timestamp` rounded down to a multiple of `resolution` (which is never zero).
pub fn round_down(timestamp: u64, resolution: u32) -> u64 {
    timestamp - timestamp % u64::from(resolution.max(1))
}

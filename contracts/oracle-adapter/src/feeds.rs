//! The pull path: reading an asset's feeds and turning their records into a candidate quote.
//!
//! One cross-contract call per feed: `prices(asset, twap_records)` when a TWAP is configured (its
//! first record is the feed's last price), `lastprice(asset)` otherwise. Every call is a `try_`
//! call, so a feed that errors, traps or is missing only removes that feed.

use risk_core::oracle::{self, Record, Rounding, MAX_FEEDS};
use sep40::{PriceData, Sep40Client};
use soroban_sdk::Env;

use crate::error::Error;
use crate::types::{FeedInfo, Source};

/// The most records a TWAP may use (bounds the `prices` call and the stack buffer).
pub const MAX_TWAP_RECORDS: u32 = 32;

/// A price the feeds agree on, before the breaker's judgement.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Candidate {
    pub spot: i128,
    pub low: i128,
    pub high: i128,
    /// Oldest record timestamp among the feeds used.
    pub timestamp: u64,
    /// Cache bound (exclusive); 0 when the quote may change at any time (a feed was left out).
    pub valid_until: u64,
}

/// One fresh feed's contribution, at the adapter's decimals.
struct FeedPrice {
    price: i128,
    twap: Option<i128>,
    timestamp: u64,
    /// The earliest time the feed's answer can change: its next record (`timestamp +
    /// resolution`) or the record turning stale (`timestamp + max_age + 1`).
    valid_until: u64,
}

/// Pulls every feed of `source` and combines the fresh ones.
///
/// ```text
/// spot       = median(fresh feed prices)
/// twap       = median(fresh feed TWAPs)                  (when twap_records > 0)
/// low, high  = oracle::widen(spot, twap, min, max of fresh feed prices)
/// timestamp  = min(fresh record timestamps)
/// valid_until = min(feed valid_until) if every feed was fresh, else 0
/// ```
///
/// # Errors
/// No fresh feed: the most telling reason among the feeds ([`reason_rank`]).
/// [`Error::Deviation`] when `(max - min) / min > max_deviation`. [`Error::MathOverflow`].
pub fn pull(env: &Env, source: &Source, decimals: u32, now: u64) -> Result<Candidate, Error> {
    let mut prices = [0i128; MAX_FEEDS];
    let mut twaps = [0i128; MAX_FEEDS];
    let mut n = 0usize;
    let mut timestamp = u64::MAX;
    let mut valid_until = u64::MAX;
    let mut reason: Option<Error> = None;
    for feed in source.feeds.iter().take(MAX_FEEDS) {
        match read_feed(env, &feed, source, decimals, now) {
            Ok(fp) => {
                prices[n] = fp.price;
                twaps[n] = fp.twap.unwrap_or(fp.price);
                timestamp = timestamp.min(fp.timestamp);
                valid_until = valid_until.min(fp.valid_until);
                n += 1;
            }
            Err(e) => reason = Some(better_reason(reason, e)),
        }
    }
    if n == 0 {
        return Err(reason.unwrap_or(Error::NoPrice));
    }
    let fresh = &prices[..n];
    if oracle::deviation_exceeds(fresh, source.max_deviation)? {
        return Err(Error::Deviation);
    }
    let spot = oracle::median(fresh)?;
    let twap = match source.twap_records {
        0 => None,
        _ => Some(oracle::median(&twaps[..n])?),
    };
    let (min, max) = oracle::min_max(fresh)?;
    let (low, high) = oracle::widen(spot, twap, min, max)?;
    Ok(Candidate {
        spot,
        low,
        high,
        timestamp,
        valid_until: if reason.is_none() { valid_until } else { 0 },
    })
}

/// Reads one feed and checks its last record.
fn read_feed(
    env: &Env,
    feed: &FeedInfo,
    source: &Source,
    decimals: u32,
    now: u64,
) -> Result<FeedPrice, Error> {
    let client = Sep40Client::new(env, &feed.contract);
    let (last, history) = if source.twap_records == 0 {
        match client.try_lastprice(&feed.asset) {
            Ok(Ok(Some(last))) => (last, None),
            Ok(Ok(None)) => return Err(Error::NoPrice),
            _ => return Err(Error::FeedFailed),
        }
    } else {
        match client.try_prices(&feed.asset, &source.twap_records) {
            Ok(Ok(Some(records))) => match records.get(0) {
                Some(last) => (last, Some(records)),
                None => return Err(Error::NoPrice),
            },
            Ok(Ok(None)) => return Err(Error::NoPrice),
            _ => return Err(Error::FeedFailed),
        }
    };
    check_record(&last, source.max_age, now)?;
    let price = to_adapter_decimals(last.price, feed.decimals, decimals)?;
    let twap = match history {
        Some(records) => Some(feed_twap(&records, feed, source, decimals, now)?),
        None => None,
    };
    let resolution = u64::from(feed.resolution);
    let until = resolution.min(source.max_age.saturating_add(1));
    Ok(FeedPrice {
        price,
        twap,
        timestamp: last.timestamp,
        valid_until: last.timestamp.saturating_add(until),
    })
}

/// A record is usable when its price is positive, it is not from the future and not stale
/// (`now - timestamp <= max_age`).
fn check_record(record: &PriceData, max_age: u64, now: u64) -> Result<(), Error> {
    if record.price <= 0 {
        return Err(Error::InvalidPrice);
    }
    if record.timestamp > now {
        return Err(Error::FutureTimestamp);
    }
    if now - record.timestamp > max_age {
        return Err(Error::Stale);
    }
    Ok(())
}

/// A feed price at the adapter's decimals, rounded to nearest; a price that rounds to zero is no
/// price.
fn to_adapter_decimals(price: i128, from: u32, to: u32) -> Result<i128, Error> {
    match oracle::normalise(price, from, to, Rounding::Nearest)? {
        0 => Err(Error::InvalidPrice),
        p => Ok(p),
    }
}

/// The feed's TWAP over at most `twap_records` records, at the adapter's decimals.
fn feed_twap(
    records: &soroban_sdk::Vec<PriceData>,
    feed: &FeedInfo,
    source: &Source,
    decimals: u32,
    now: u64,
) -> Result<i128, Error> {
    let mut buf = [Record {
        price: 0,
        timestamp: 0,
    }; MAX_TWAP_RECORDS as usize];
    let mut n = 0usize;
    for pd in records
        .iter()
        .take(source.twap_records.min(MAX_TWAP_RECORDS) as usize)
    {
        buf[n] = Record {
            price: pd.price,
            timestamp: pd.timestamp,
        };
        n += 1;
    }
    let avg = oracle::twap(&buf[..n], u64::from(feed.resolution), now)?;
    to_adapter_decimals(avg, feed.decimals, decimals)
}

/// Which reason to report when no feed is fresh: the one closest to a usable price, so that an
/// operator fixes the right thing first (a stale feed is up but slow; a failing one is down).
fn reason_rank(e: Error) -> u32 {
    match e {
        Error::Stale => 0,
        Error::FutureTimestamp => 1,
        Error::InvalidPrice => 2,
        Error::NoPrice => 3,
        Error::FeedFailed => 4,
        _ => 5,
    }
}

fn better_reason(current: Option<Error>, new: Error) -> Error {
    match current {
        Some(c) if reason_rank(c) <= reason_rank(new) => c,
        _ => new,
    }
}

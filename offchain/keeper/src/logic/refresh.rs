//! The adapter refresh before a start on a many-asset account.
//!
//! `start` values the account with the adapter's quotes. The adapter serves an asset from its
//! book (one ledger entry for every asset) while the asset's record is *current*, and otherwise
//! pulls the asset's feeds inside the call, each pull a cross-contract call reading its own
//! entries. On an account of 16 assets whose records are all older than the feeds' newest
//! records, the start then reads 91 ledger entries, 45.5 % of one transaction's limit
//! (BENCHMARKS.md, "16-position liquidation"). oracle-adapter's `refresh(assets)` is
//! permissionless and records the feeds' prices: called first, in chunks of at most 8 assets
//! (each its own transaction, 28 entries), it leaves the start pricing from the book (42
//! entries).
//!
//! **Current.** A record is current when the adapter would serve it without calling the feeds:
//! the rule the adapter itself applies (`risk_core::adapter_record::servable`), on the 90-byte
//! record of its book (a known
//! layout version, breaker closed, a price accepted, `now < valid_until`, where `valid_until` is
//! the feed record's timestamp plus the feed's resolution, or the record turning stale if that
//! comes first). The keeper reads the book (`"book"`, a persistent entry holding
//! `(Vec<Address>, Bytes)`) with one `read_entries` call in a step that needs it, rather than
//! one `price_state` view per asset. An asset missing from the book, a record of an unknown
//! layout, or a book that cannot be read or decoded (a node's error, an upgraded adapter) counts
//! as not current: refreshing a current asset is cheap (the adapter answers `Unchanged` without
//! calling its feeds), so the fallback is "refresh every asset of the account".
//!
//! The `quotes` the keeper reads every step do not tell: a simulated `quotes` pulls the feeds
//! for an asset that is not current and answers the fresh price, exactly as a current record.

use std::collections::BTreeMap;

use stellar_xdr::{LedgerKey, ScVal};

use risk_core::adapter_record::{servable, Record, RECORD_LEN};

use crate::keys::ContractId;
use crate::val::{symbol, Val};
use crate::xdr::{persistent_key, Entry};

/// Accounts spanning more than this many assets get their stale quotes refreshed before a start
/// (the default of [`super::config::Tuning::refresh_above`]).
pub const REFRESH_ABOVE: usize = 8;

/// Assets per `refresh` transaction at most (the default of
/// [`super::config::Tuning::refresh_chunk`]): 8 read 28 entries, 14 % of a transaction's limit.
pub const REFRESH_CHUNK: usize = 8;

/// The storage key of the adapter's book.
const BOOK_KEY: &str = "book";

/// The adapter's records by asset strkey, as read from its book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdapterBook {
    records: BTreeMap<String, Record>,
}

impl AdapterBook {
    /// The ledger key of the book of the adapter `oracle`.
    ///
    /// # Errors
    ///
    /// None in practice: the symbol `book` is valid (symbols are checked when built).
    pub fn key(oracle: &ContractId) -> Result<LedgerKey, String> {
        Ok(persistent_key(oracle, ScVal::Symbol(symbol(BOOK_KEY)?)))
    }

    /// The book in `entry` (the answer to [`AdapterBook::key`]).
    ///
    /// # Errors
    ///
    /// Not a contract data entry, or not `(Vec<Address>, Bytes)` with one record per address.
    pub fn from_entry(entry: &Entry) -> Result<Self, String> {
        let value = entry
            .contract_value()
            .ok_or("the book is not a contract data entry")?;
        Self::decode(&Val::from(value))
    }

    /// The book from its stored value `(assets, records)`: record `i` (bytes `90 i .. 90 (i +
    /// 1)`) belongs to asset `i`.
    ///
    /// # Errors
    ///
    /// Not that shape, or fewer record bytes than assets.
    pub fn decode(value: &Val) -> Result<Self, String> {
        let Some([Val::Vec(assets), Val::Bytes(bytes)]) = value.as_vec() else {
            return Err("the book is not (Vec<Address>, Bytes)".into());
        };
        if bytes.len() < assets.len() * RECORD_LEN {
            return Err(format!(
                "the book lists {} assets but holds {} record bytes",
                assets.len(),
                bytes.len()
            ));
        }
        let mut records = BTreeMap::new();
        for (asset, chunk) in assets.iter().zip(bytes.chunks_exact(RECORD_LEN)) {
            let asset = asset.as_address().ok_or("a book asset is not an address")?;
            let record: Record = chunk
                .try_into()
                .map_err(|_| "a book record is not 90 bytes")?;
            records.insert(asset.to_owned(), record);
        }
        Ok(AdapterBook { records })
    }

    /// Whether the adapter would serve `asset` from its book at `now` without calling the
    /// feeds; `false` for an asset it does not list.
    pub fn is_current(&self, asset: &str, now: u64) -> bool {
        self.records
            .get(asset)
            .is_some_and(|record| servable(record, now))
    }
}

/// The assets of an account to refresh before its start, in the order given: none when it
/// spans at most `above` assets; otherwise those not current in `book` (every one when the book
/// could not be read) and not `excluded` (refreshed already this step, or a refresh still
/// pending).
pub fn to_refresh(
    assets: &[String],
    above: usize,
    book: Option<&AdapterBook>,
    now: u64,
    excluded: impl Fn(&str) -> bool,
) -> Vec<String> {
    if assets.len() <= above {
        return Vec::new();
    }
    assets
        .iter()
        .filter(|a| !book.is_some_and(|b| b.is_current(a, now)) && !excluded(a))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use risk_core::adapter_record::{CLOSED, SPOT_AT, TAG_AT, VALID_UNTIL_AT, VERSION, VERSION_AT};

    /// A record as oracle-adapter's `codec::encode` writes it.
    fn record(spot: i128, valid_until: u64, breaker: u8, version: u8) -> Record {
        let mut r = [0u8; RECORD_LEN];
        r[SPOT_AT..SPOT_AT + 16].copy_from_slice(&spot.to_be_bytes());
        r[VALID_UNTIL_AT..VALID_UNTIL_AT + 8].copy_from_slice(&valid_until.to_be_bytes());
        r[TAG_AT] = breaker;
        r[VERSION_AT] = version;
        r
    }

    fn asset(n: u8) -> String {
        ContractId([n; 32]).to_string()
    }

    fn book(records: &[(u8, Record)]) -> AdapterBook {
        let assets = records
            .iter()
            .map(|(n, _)| Val::Address(asset(*n)))
            .collect();
        let bytes = records.iter().flat_map(|(_, r)| r.to_vec()).collect();
        AdapterBook::decode(&Val::Vec(vec![Val::Vec(assets), Val::Bytes(bytes)])).unwrap()
    }

    #[test]
    fn a_record_is_current_until_its_valid_until_with_a_price_and_the_breaker_closed() {
        let b = book(&[
            (1, record(100, 1_300, CLOSED, VERSION)),
            (2, record(0, 1_300, CLOSED, VERSION)),
            (3, record(100, 1_300, 3, VERSION)),
            (4, record(100, 1_300, CLOSED, VERSION + 1)),
        ]);
        assert!(b.is_current(&asset(1), 1_299));
        assert!(!b.is_current(&asset(1), 1_300), "valid_until is exclusive");
        assert!(!b.is_current(&asset(2), 1_000), "no price accepted yet");
        assert!(!b.is_current(&asset(3), 1_000), "breaker open by a jump");
        assert!(!b.is_current(&asset(4), 1_000), "unknown layout");
        assert!(!b.is_current(&asset(5), 1_000), "not listed");
    }

    #[test]
    fn a_book_that_is_not_the_adapter_layout_is_refused() {
        let short = Val::Vec(vec![
            Val::Vec(vec![Val::Address(asset(1)), Val::Address(asset(2))]),
            Val::Bytes(vec![0; RECORD_LEN]),
        ]);
        assert!(AdapterBook::decode(&short).is_err());
        assert!(AdapterBook::decode(&Val::Bytes(vec![0; RECORD_LEN])).is_err());
    }

    #[test]
    fn only_accounts_above_the_threshold_refresh_and_only_assets_not_current_nor_excluded() {
        let b = book(&[
            (1, record(100, 2_000, CLOSED, VERSION)),
            (2, record(100, 900, CLOSED, VERSION)),
            (3, record(100, 900, CLOSED, VERSION)),
        ]);
        let all: Vec<String> = (1..=4).map(asset).collect();
        let none = |_: &str| false;
        assert!(to_refresh(&all, 4, Some(&b), 1_000, none).is_empty());
        assert_eq!(
            to_refresh(&all, 3, Some(&b), 1_000, none),
            vec![asset(2), asset(3), asset(4)]
        );
        let pending = asset(3);
        assert_eq!(
            to_refresh(&all, 3, Some(&b), 1_000, |a| a == pending),
            vec![asset(2), asset(4)]
        );
        assert_eq!(to_refresh(&all, 3, None, 1_000, none), all, "book unread");
    }
}

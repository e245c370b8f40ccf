//! Storage layout.
//!
//! - Instance (loaded with the contract on every call, so kept small): the adapter's own
//!   [`Settings`] and the governance roles.
//! - Persistent, one entry for every asset: the [`Book`] under the symbol `"book"`, a tuple
//!   `(Vec<Address>, Bytes)`. The vector lists the assets with a source in the order their first
//!   source was applied (the SEP-40 `assets` order); an asset's index in it is its *slot*, and its
//!   [`PriceState`] is the 90-byte record at `slot * 90` of the bytes ([`crate::codec`]). It is
//!   the only entry the `quotes` hot path reads, whatever the number of assets.
//! - Persistent, per asset: [`DataKey::Source`], the applied [`Source`], read only when the feeds
//!   are pulled.
//!
//! **Why one entry.** With one entry per asset, a cached quote cost ~57k CPU instructions per
//! asset: a `has` and a `get` host lookup, and above all the WASM decoding the record (a generic
//! 16-byte copy per field). With the book, `quotes` reads storage once, and each asset costs a
//! slot lookup (one host call over the address vector), a 90-byte copy into a reused buffer
//! (another) and inlined fixed-offset reads: ~27k with the `Quote` map built for the result,
//! ~15k for `quotes_packed` (`tests/tests/oracle_adapter/cost.rs` prints the figures). Writes
//! batch the same way: a call that accepts prices for many assets writes the book once, at the
//! end. The price: every write rewrites the whole book (~136 bytes per listed asset), and its
//! read grows with the number of listed assets.
//!
//! TTLs follow `governance::ttl`. Every write path extends what it touches; the cache hit path
//! extends nothing: a cached quote is valid for at most one feed resolution after the pull that
//! wrote it (and extended the book and the instance to 30 days), so a hit never finds the book
//! near archival, and `quotes` stays a read-only call.

use soroban_sdk::{
    contracttype, symbol_short, unwrap::UnwrapInfallible, Address, Bytes, Env, EnvBase, Symbol, Vec,
};

use governance::ttl;

use crate::codec::{self, Record};
use crate::types::{PriceState, Source};

#[contracttype]
#[derive(Clone)]
pub enum DataKey {
    Settings,
    Source(Address),
}

/// Key of the [`Book`].
const BOOK: Symbol = symbol_short!("book");

/// The adapter's SEP-40 identity, set by the constructor.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Settings {
    /// The asset prices are quoted in (USD).
    pub base: sep40::Asset,
    /// Decimals of every price the adapter returns.
    pub decimals: u32,
    /// Reported SEP-40 resolution, seconds.
    pub resolution: u32,
}

pub fn settings(env: &Env) -> Settings {
    // Written by the constructor, which every deployed instance ran.
    env.storage()
        .instance()
        .get(&DataKey::Settings)
        .unwrap_or_else(|| soroban_sdk::panic_with_error!(env, crate::error::Error::NotInitialized))
}

pub fn set_settings(env: &Env, settings: &Settings) {
    env.storage().instance().set(&DataKey::Settings, settings);
}

pub fn source(env: &Env, asset: &Address) -> Option<Source> {
    env.storage()
        .persistent()
        .get(&DataKey::Source(asset.clone()))
}

/// Reads a source for the pull path and keeps it funded.
pub fn source_for_pull(env: &Env, asset: &Address) -> Option<Source> {
    let key = DataKey::Source(asset.clone());
    let source = env.storage().persistent().get(&key)?;
    ttl::extend_persistent(env, &key);
    Some(source)
}

pub fn set_source(env: &Env, asset: &Address, source: &Source) {
    let key = DataKey::Source(asset.clone());
    env.storage().persistent().set(&key, source);
    ttl::extend_persistent(env, &key);
}

/// Every asset's [`PriceState`], loaded once per call and written back once if it changed
/// ([`Book::save`]).
pub struct Book {
    env: Env,
    /// Assets with a source; the index is the slot.
    assets: Vec<Address>,
    /// `assets.len()` records of [`codec::LEN`] bytes.
    records: Bytes,
    /// `records.len()`, read once.
    len: u32,
    /// `assets.len()`, read once.
    assets_len: u32,
    dirty: bool,
}

impl Book {
    /// The stored book (empty before the first source is applied).
    pub fn load(env: &Env) -> Book {
        let stored: Option<(Vec<Address>, Bytes)> = env.storage().persistent().get(&BOOK);
        // `from_slice` rather than `Bytes::new`: one host import fewer to instantiate.
        let (assets, records) =
            stored.unwrap_or_else(|| (Vec::new(env), Bytes::from_slice(env, &[])));
        let len = records.len();
        let assets_len = assets.len();
        Book {
            env: env.clone(),
            assets,
            records,
            len,
            assets_len,
            dirty: false,
        }
    }

    /// The assets with a source, in the order their first source was applied.
    pub fn assets(&self) -> &Vec<Address> {
        &self.assets
    }

    /// The slot of `asset`, if it has a source.
    pub fn slot(&self, asset: &Address) -> Option<u32> {
        self.assets.first_index_of(asset)
    }

    /// Copies the record of `slot` into `record`; `false` outside the book (which a slot from
    /// [`Book::slot`] never is).
    #[inline(always)]
    pub fn read(&self, slot: u32, record: &mut Record) -> bool {
        let at = slot.wrapping_mul(codec::LEN as u32);
        let inside = (slot < self.assets_len) & (at.wrapping_add(codec::LEN as u32) <= self.len);
        if inside {
            // In range (checked above), so the host copies without failing.
            self.env
                .bytes_copy_to_slice(self.records.to_object(), at.into(), record)
                .unwrap_infallible();
        }
        inside
    }

    /// The price state of `slot`.
    pub fn state(&self, slot: u32) -> Option<PriceState> {
        let mut record = [0u8; codec::LEN];
        if !self.read(slot, &mut record) {
            return None;
        }
        codec::decode(&record)
    }

    /// The price state of `asset`, if it has a source.
    pub fn state_of(&self, asset: &Address) -> Option<PriceState> {
        self.state(self.slot(asset)?)
    }

    /// Replaces the state of `slot` (in memory until [`Book::save`]).
    pub fn set(&mut self, slot: u32, state: &PriceState) {
        let at = slot * codec::LEN as u32;
        self.records.copy_from_slice(at, &codec::encode(state));
        self.dirty = true;
    }

    /// Adds `asset` with an empty state; returns its slot.
    pub fn push(&mut self, asset: &Address) -> u32 {
        let slot = self.assets.len();
        self.assets.push_back(asset.clone());
        self.records
            .extend_from_array(&codec::encode(&PriceState::empty()));
        self.len = self.records.len();
        self.assets_len = self.assets.len();
        self.dirty = true;
        slot
    }

    /// Writes the book back and extends its TTL, if it changed.
    pub fn save(&self) {
        if !self.dirty {
            return;
        }
        let persistent = self.env.storage().persistent();
        persistent.set(&BOOK, &(self.assets.clone(), self.records.clone()));
        ttl::extend_persistent(&self.env, &BOOK);
    }
}

//! Entry points. Each is thin: extend TTL → authorise → call the logic → emit the event.

use governance::{timelock, ttl, Governed};
use risk_core::oracle::MAX_DECIMALS;
use sep40::{Asset, PriceData};
use soroban_sdk::{contract, contractimpl, symbol_short, Address, Bytes, Env, Symbol, Vec};

use crate::codec::{self, Record, PACKED_LEN};
use crate::error::Error;
use crate::events::{AdapterInitialized, BreakerCleared, BreakerForced};
use crate::storage::{self, Book, Settings};
use crate::types::{Breaker, PriceState, Quote, RefreshStatus, Source, SourceConfig};
use crate::{pricing, source};

/// Timelock kind of a source change (subject: the asset, value: its [`SourceConfig`]).
pub const KIND_SOURCE: Symbol = symbol_short!("source");

#[contract]
pub struct OracleAdapter;

/// The code version, exported only by the `upgrade-v2` build that the upgrade tests install over
/// the normal one (`tests/tests/upgrades.rs`).
#[cfg(feature = "upgrade-v2")]
#[contractimpl]
impl OracleAdapter {
    /// 2: this is the second build.
    pub fn version() -> u32 {
        2
    }
}

#[contractimpl]
impl OracleAdapter {
    /// Sets the roles, the timelock delay and the adapter's SEP-40 identity.
    ///
    /// # Arguments
    /// * `admin`, `guardian`, `delay` - governance roles and timelock delay (seconds).
    /// * `base` - the asset prices are quoted in (USD).
    /// * `decimals` - decimals of every returned price (14 as Reflector), at most 18.
    /// * `resolution` - the SEP-40 resolution the adapter reports, seconds.
    ///
    /// # Errors
    /// [`Error::InvalidDecimals`], [`Error::InvalidResolution`], [`Error::DelayTooShort`],
    /// [`Error::DelayTooLong`].
    ///
    /// # Events
    /// `GovernanceInitialized`, [`AdapterInitialized`].
    pub fn __constructor(
        env: Env,
        admin: Address,
        guardian: Address,
        delay: u64,
        base: Asset,
        decimals: u32,
        resolution: u32,
    ) -> Result<(), Error> {
        if decimals > MAX_DECIMALS {
            return Err(Error::InvalidDecimals);
        }
        if resolution == 0 {
            return Err(Error::InvalidResolution);
        }
        governance::init(&env, &admin, &guardian, delay)?;
        let settings = Settings {
            base: base.clone(),
            decimals,
            resolution,
        };
        storage::set_settings(&env, &settings);
        AdapterInitialized {
            base,
            decimals,
            resolution,
        }
        .publish(&env);
        Ok(())
    }

    /// Queues `config` as the source of `asset`. Returns the eta.
    ///
    /// # Errors
    /// The config checks of [`source::validate`]; [`Error::AlreadyQueued`].
    ///
    /// # Events
    /// `ChangeQueued { kind: "source", subject: asset, value: config, eta }`.
    ///
    /// # Notes
    /// Admin auth.
    pub fn queue_source(env: Env, asset: Address, config: SourceConfig) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        source::validate(&env, &config)?;
        Ok(timelock::queue(&env, KIND_SOURCE, &asset, &config)?)
    }

    /// Makes the queued source of `asset` live, reading each feed's `decimals()` and
    /// `resolution()` once. Anyone may call it after the delay.
    ///
    /// # Errors
    /// [`Error::NotQueued`], [`Error::TooEarly`], [`Error::Expired`], [`Error::FeedFailed`],
    /// [`Error::InvalidFeedDecimals`], [`Error::InvalidFeedResolution`]; on error the change
    /// stays queued.
    ///
    /// # Events
    /// `ChangeApplied { kind: "source" }`, [`crate::SourceActivated`].
    pub fn apply_source(env: Env, asset: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let config: SourceConfig = timelock::apply(&env, KIND_SOURCE, &asset)?;
        source::activate(&env, &asset, config)
    }

    /// Drops the queued source of `asset`.
    ///
    /// # Errors
    /// [`Error::NotQueued`]. # Events `ChangeCancelled { kind: "source" }`. # Notes Admin auth.
    pub fn cancel_source(env: Env, asset: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        Ok(timelock::cancel(&env, KIND_SOURCE, &asset)?)
    }

    /// The live source of `asset`, if any.
    pub fn source(env: Env, asset: Address) -> Option<Source> {
        storage::source(&env, &asset)
    }

    /// The stored price state of `asset` (last accepted quote, cache bound, breaker), if any.
    pub fn price_state(env: Env, asset: Address) -> Option<PriceState> {
        Book::load(&env).state_of(&asset)
    }

    /// Trusted quotes for `assets`, in order, in the adapter's decimals.
    ///
    /// # Errors
    /// For the first asset without a trusted price: [`Error::NoSource`], [`Error::CircuitOpen`],
    /// [`Error::Stale`], [`Error::Deviation`], [`Error::NoPrice`], [`Error::InvalidPrice`],
    /// [`Error::FutureTimestamp`], [`Error::FeedFailed`], [`Error::MathOverflow`].
    ///
    /// # Events
    /// `PriceAccepted` for each asset whose price was pulled and accepted.
    ///
    /// # Notes
    /// Permissionless. One storage read for all the cached quotes (see `storage`); see
    /// `pricing` for when the feeds are called.
    pub fn quotes(env: Env, assets: Vec<Address>) -> Result<Vec<Quote>, Error> {
        let now = env.ledger().timestamp();
        let mut book = Book::load(&env);
        let mut record: Record = [0u8; codec::LEN];
        let mut out = Vec::new(&env);
        for asset in assets.iter() {
            out.push_back(pricing::quote(&env, &mut book, &mut record, &asset, now)?);
        }
        book.save();
        Ok(out)
    }

    /// [`OracleAdapter::quotes`] packed into bytes, for callers that would rather not decode a
    /// `Vec<Quote>` (each `Quote` is a host map): 64 bytes per asset, in order, each
    /// `spot ‖ low ‖ high ‖ timestamp ‖ valid_until` with the prices as big-endian `i128` and the
    /// times as big-endian `u64` (decoded by `risk_core::packed_quote::PackedQuote`).
    /// `valid_until`: before then this adapter would serve exactly this quote again without a
    /// pull, barring a trip or a source change (announced to the subscriber); 0: not reusable.
    ///
    /// # Errors
    /// Exactly those of `quotes`, for the same first asset.
    ///
    /// # Events
    /// As `quotes`.
    pub fn quotes_packed(env: Env, assets: Vec<Address>) -> Result<Bytes, Error> {
        let now = env.ledger().timestamp();
        let mut book = Book::load(&env);
        // Quotes are gathered in linear memory and handed to the host a chunk at a time; the
        // last window of a chunk has room for a whole record (see `pricing::quote_packed`).
        let mut chunk = [0u8; CHUNK * PACKED_LEN + codec::LEN - PACKED_LEN];
        // From an empty slice rather than `Bytes::new`: one host import fewer to instantiate.
        let mut out = Bytes::from_slice(&env, &[]);
        let mut n = 0usize;
        for asset in assets.iter() {
            let at = n * PACKED_LEN;
            let window = window(&mut chunk, at);
            pricing::quote_packed(&env, &mut book, window, &asset, now)?;
            n += 1;
            if n == CHUNK {
                out.extend_from_slice(&chunk[..CHUNK * PACKED_LEN]);
                n = 0;
            }
        }
        out.extend_from_slice(&chunk[..n * PACKED_LEN]);
        book.save();
        Ok(out)
    }

    /// Pulls and records prices for `assets` (keeper entry point); never fails as a whole.
    ///
    /// # Events
    /// `PriceAccepted`, `BreakerTripped`, `BreakerPending`, `BreakerConfirmed`.
    ///
    /// # Notes
    /// Permissionless. Returns one [`RefreshStatus`] per asset, in order.
    pub fn refresh(env: Env, assets: Vec<Address>) -> Vec<RefreshStatus> {
        ttl::extend_instance(&env);
        let now = env.ledger().timestamp();
        let mut book = Book::load(&env);
        let mut out = Vec::new(&env);
        for asset in assets.iter() {
            out.push_back(pricing::refresh(&env, &mut book, &asset, now));
        }
        book.save();
        out
    }

    /// Registers `subscriber` (margin-account) for quote-change notices (`trip`, source changes)
    /// and sends the first one, which turns its quote cache on. Once: a replaced subscriber
    /// would keep copies nobody invalidates (an upgrade can still change it).
    ///
    /// # Errors
    /// [`Error::SubscriberAlreadySet`].
    ///
    /// # Events
    /// `SubscriberSet`, `SubscriberNotified`.
    ///
    /// # Notes
    /// Admin auth.
    pub fn set_subscriber(env: Env, subscriber: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        governance::require_admin(&env);
        crate::subscriber::register(&env, subscriber)
    }

    /// The registered subscriber, if any.
    pub fn subscriber(env: Env) -> Option<Address> {
        crate::subscriber::subscriber(&env)
    }

    /// Opens the breaker of `asset` at once: no price until `clear`.
    ///
    /// # Errors
    /// [`Error::Unauthorized`] (caller neither guardian nor admin), [`Error::NoSource`],
    /// [`Error::BreakerAlreadyOpen`] (already tripped by hand).
    ///
    /// # Events
    /// [`BreakerForced`] `{ asset, caller }`.
    ///
    /// # Notes
    /// Guardian or admin auth (`caller`). Tripping an asset already open by a jump makes the trip
    /// manual: it will not confirm by itself.
    pub fn trip(env: Env, caller: Address, asset: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        require_guard(&env, &caller)?;
        let mut book = Book::load(&env);
        let slot = book.slot(&asset).ok_or(Error::NoSource)?;
        let state = book.state(slot).ok_or(Error::NoSource)?;
        if state.breaker == Breaker::Manual {
            return Err(Error::BreakerAlreadyOpen);
        }
        set_breaker(&mut book, slot, state, Breaker::Manual);
        BreakerForced { asset, caller }.publish(&env);
        crate::subscriber::notify(&env);
        Ok(())
    }

    /// Clears the open breaker of `asset`: the next fresh price is accepted without a jump check.
    ///
    /// # Errors
    /// [`Error::Unauthorized`], [`Error::NoSource`], [`Error::BreakerNotOpen`].
    ///
    /// # Events
    /// [`BreakerCleared`] `{ asset, caller }`.
    ///
    /// # Notes
    /// Guardian or admin auth (`caller`).
    pub fn clear(env: Env, caller: Address, asset: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        require_guard(&env, &caller)?;
        let mut book = Book::load(&env);
        let slot = book.slot(&asset).ok_or(Error::NoSource)?;
        let state = book.state(slot).ok_or(Error::NoSource)?;
        if !matches!(state.breaker, Breaker::Manual | Breaker::Jump(_)) {
            return Err(Error::BreakerNotOpen);
        }
        set_breaker(&mut book, slot, state, Breaker::Cleared);
        BreakerCleared { asset, caller }.publish(&env);
        Ok(())
    }
}

/// Quotes gathered in linear memory per host call in `quotes_packed`.
const CHUNK: usize = 4;

/// The record-sized window of `chunk` at `at` (`at <= (CHUNK - 1) * PACKED_LEN`).
fn window(
    chunk: &mut [u8; CHUNK * PACKED_LEN + codec::LEN - PACKED_LEN],
    at: usize,
) -> &mut Record {
    let end = at + codec::LEN;
    match chunk
        .get_mut(at..end)
        .and_then(|w| <&mut Record>::try_from(w).ok())
    {
        Some(w) => w,
        None => unreachable_window(),
    }
}

#[cold]
fn unreachable_window() -> ! {
    // `at` is at most (CHUNK - 1) * PACKED_LEN, and the chunk has a whole record after it.
    core::panic!()
}

/// `caller` must be the guardian or the admin, and have authorised the call.
fn require_guard(env: &Env, caller: &Address) -> Result<(), Error> {
    if *caller != governance::guardian(env) && *caller != governance::admin(env) {
        return Err(Error::Unauthorized);
    }
    caller.require_auth();
    Ok(())
}

/// Stores `state` with `breaker`; the cache is invalidated so nothing is served from it.
fn set_breaker(book: &mut Book, slot: u32, state: PriceState, breaker: Breaker) {
    let state = PriceState {
        valid_until: 0,
        breaker,
        ..state
    };
    book.set(slot, &state);
    book.save();
}

/// SEP-40 reads of the adapter's own prices. The adapter keeps one record per asset: the last
/// accepted spot.
#[contractimpl]
impl sep40::Sep40 for OracleAdapter {
    fn base(env: Env) -> Asset {
        storage::settings(&env).base
    }

    /// Every asset with a live source, as `Asset::Stellar`.
    fn assets(env: Env) -> Vec<Asset> {
        let mut out = Vec::new(&env);
        for a in Book::load(&env).assets().iter() {
            out.push_back(Asset::Stellar(a));
        }
        out
    }

    fn decimals(env: Env) -> u32 {
        storage::settings(&env).decimals
    }

    fn resolution(env: Env) -> u32 {
        storage::settings(&env).resolution
    }

    /// The last accepted record when its timestamp is exactly `timestamp`.
    fn price(env: Env, asset: Asset, timestamp: u64) -> Option<PriceData> {
        last_record(&env, &asset).filter(|r| r.timestamp == timestamp)
    }

    /// The last accepted record (the only one kept) when `records >= 1`.
    fn prices(env: Env, asset: Asset, records: u32) -> Option<Vec<PriceData>> {
        if records == 0 {
            return None;
        }
        last_record(&env, &asset).map(|r| Vec::from_array(&env, [r]))
    }

    /// The last accepted spot of a Stellar asset, whatever the breaker; `None` for other assets
    /// and before the first accepted price. Consumers check the timestamp themselves, as with
    /// any SEP-40 feed.
    fn lastprice(env: Env, asset: Asset) -> Option<PriceData> {
        last_record(&env, &asset)
    }
}

fn last_record(env: &Env, asset: &Asset) -> Option<PriceData> {
    let Asset::Stellar(address) = asset else {
        return None;
    };
    let state = Book::load(env).state_of(address)?;
    state.has_price().then_some(PriceData {
        price: state.spot,
        timestamp: state.timestamp,
    })
}

#[contractimpl(contracttrait)]
impl Governed for OracleAdapter {}

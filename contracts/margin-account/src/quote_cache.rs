//! The quote cache: the oracle-adapter's last quotes kept in margin-account, so that a call
//! within a feed resolution of the last pull prices the account without entering the adapter
//! (an adapter instantiation alone is ~371k CPU instructions, see BENCHMARKS.md).
//!
//! **Why it is exact.** The adapter's packed quotes carry `valid_until`: the time before which the
//! adapter would serve exactly that quote again without calling its feeds (its own cache rule:
//! feeds publish at most one record per resolution, so nothing can change before then). Two
//! things change a quote earlier: a guardian `trip` and a source change. The adapter announces
//! both to its registered subscriber by calling [`MarginAccount::quotes_changed`] (only the
//! adapter may), which drops the whole cache in the same transaction. So a cached quote is
//! served only when the adapter itself would serve it: same prices, same refusals.
//!
//! **When it is used.** Only after the adapter has registered this contract as its subscriber
//! (its first `quotes_changed` call turns caching on; until then every call pulls). A call uses
//! the cache only when every asset it prices has a quote valid now; otherwise it pulls all of
//! them in one `quotes_packed` call, and a state-changing call stores what it pulled. Views never
//! write, except `liquidation_view`, which the auction's `start` calls inside a state-changing
//! call (so that the next starts of a resolution price from the cache).
//!
//! **Storage.** One temporary entry under the symbol `"quotes"`: 64 bytes per registry slot (the
//! adapter's packed form, slot = the asset's registry index). Temporary because it is a cache:
//! if it expires it is simply absent and the next call pulls.

use risk_core::PACKED_QUOTE_LEN;
use soroban_sdk::{contractevent, contractimpl, symbol_short, Address, Bytes, Env, Symbol};

use crate::config::MAX_ASSETS;
use crate::{storage, Error};
use crate::{MarginAccount, MarginAccountArgs, MarginAccountClient};

const CACHE: Symbol = symbol_short!("quotes");
const LEN: usize = PACKED_QUOTE_LEN;
const CAP: usize = MAX_ASSETS as usize * LEN;
/// Ledgers a stored cache stays (about an hour; past a feed resolution it is stale anyway).
const TTL_LEDGERS: u32 = 720;

/// "No registry slot": an asset priced without one is never served from the cache.
pub const NO_SLOT: u32 = u32::MAX;

/// The quote cache was dropped at the adapter's request.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct QuotesDropped {
    #[topic]
    pub adapter: Address,
}

/// The cache as one call sees it: the flag and the entry are read once, by [`Cache::load`], and
/// both [`Cache::lookup`] and [`Cache::store`] use that copy.
pub struct Cache {
    /// Caching is on (the adapter's first notice came).
    enabled: bool,
    /// The stored entry, when there is one.
    stored: Option<Bytes>,
    /// Its bytes, and how many of them are used.
    buf: [u8; CAP],
    len: usize,
}

impl Cache {
    /// Reads the flag and, when caching is on, the stored entry.
    pub fn load(env: &Env) -> Cache {
        let mut cache = Cache {
            enabled: storage::quote_cache_enabled(env),
            stored: None,
            buf: [0u8; CAP],
            len: 0,
        };
        if cache.enabled {
            if let Some(bytes) = env.storage().temporary().get::<_, Bytes>(&CACHE) {
                let len = (bytes.len() as usize).min(CAP);
                bytes
                    .slice(..len as u32)
                    .copy_into_slice(&mut cache.buf[..len]);
                cache.len = len;
                cache.stored = Some(bytes);
            }
        }
        cache
    }

    /// The stored entry when it holds, for every slot of `slots`, a quote valid at `now`.
    pub fn lookup(&self, slots: &[u32], now: u64) -> Option<Bytes> {
        let stored = self.stored.as_ref()?;
        slots
            .iter()
            .all(|&slot| offset(slot).is_some_and(|at| valid(&self.buf, at, now)))
            .then(|| stored.clone())
    }

    /// Stores `pulled` (the adapter's packed quotes for `slots`, in order), keeping the other
    /// slots' quotes. Nothing when caching is off.
    pub fn store(mut self, env: &Env, slots: &[u32], pulled: &Bytes) {
        if !self.enabled {
            return;
        }
        for (i, &slot) in slots.iter().enumerate() {
            let (Some(at), from) = (offset(slot), (i * LEN) as u32) else {
                continue;
            };
            if let Some(dst) = self.buf.get_mut(at..at + LEN) {
                pulled.slice(from..from + LEN as u32).copy_into_slice(dst);
                self.len = self.len.max(at + LEN);
            }
        }
        let temporary = env.storage().temporary();
        temporary.set(&CACHE, &Bytes::from_slice(env, &self.buf[..self.len]));
        temporary.extend_ttl(&CACHE, TTL_LEDGERS, TTL_LEDGERS);
    }
}

/// Where the quote of registry slot `slot` starts in the cache (`None` for [`NO_SLOT`] and any
/// slot past the cache).
fn offset(slot: u32) -> Option<usize> {
    let at = (slot as usize).checked_mul(LEN)?;
    (at < CAP).then_some(at)
}

/// Whether the packed quote at `at` of `buf` is positive and valid at `now`.
fn valid(buf: &[u8], at: usize, now: u64) -> bool {
    match (buf.get(at), buf.get(at + 56..at + LEN)) {
        (Some(&first), Some(until)) => {
            let until = until.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b));
            // A positive spot: sign bit clear and some bit set.
            first < 0x80 && buf[at..at + 16].iter().any(|b| *b != 0) && now < until
        }
        _ => false,
    }
}

#[contractimpl]
impl MarginAccount {
    /// Adapter only: its quotes changed outside a pull (trip, source change) or it registered
    /// this contract as subscriber. Drops the quote cache and turns caching on.
    pub fn quotes_changed(env: Env) -> Result<(), Error> {
        governance::ttl::extend_instance(&env);
        let adapter = storage::adapter(&env)?;
        adapter.require_auth();
        storage::enable_quote_cache(&env);
        env.storage().temporary().remove(&CACHE);
        QuotesDropped { adapter }.publish(&env);
        Ok(())
    }
}

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
/// both [`Cache::lookup`] and [`Cache::store`] use that copy. Only the slots a call needs are
/// copied out of the entry (a whole-entry buffer would cost the VM ~65k instructions to zero and
/// move on every call).
pub struct Cache {
    /// Caching is on (the adapter's first notice came).
    enabled: bool,
    /// The stored entry, when there is one.
    stored: Option<Bytes>,
}

/// Zeros to pad a stored entry out to a new slot (static: no stack buffer to zero).
static ZEROS: [u8; CAP] = [0; CAP];

impl Cache {
    /// Reads the flag and, when caching is on, the stored entry.
    pub fn load(env: &Env) -> Cache {
        let enabled = storage::quote_cache_enabled(env);
        let stored = if enabled {
            env.storage().temporary().get::<_, Bytes>(&CACHE)
        } else {
            None
        };
        Cache { enabled, stored }
    }

    /// The stored entry when it holds, for every slot of `slots`, a quote valid at `now`.
    pub fn lookup(&self, slots: &[u32], now: u64) -> Option<Bytes> {
        let stored = self.stored.as_ref()?;
        let len = stored.len() as usize;
        let mut quote = [0u8; LEN];
        for &slot in slots {
            let at = offset(slot)?;
            if at + LEN > len {
                return None;
            }
            crate::raw::copy_at(stored, at as u32, &mut quote);
            if !valid(&quote, now) {
                return None;
            }
        }
        Some(stored.clone())
    }

    /// Stores `pulled` (the adapter's packed quotes for `slots`, in order), keeping the other
    /// slots' quotes. Nothing when caching is off.
    pub fn store(self, env: &Env, slots: &[u32], pulled: &Bytes) {
        if !self.enabled {
            return;
        }
        // From an empty slice rather than `Bytes::new`: one host import fewer to instantiate.
        let mut bytes = self.stored.unwrap_or_else(|| Bytes::from_slice(env, &[]));
        for (i, &slot) in slots.iter().enumerate() {
            let Some(at) = offset(slot) else {
                continue;
            };
            let len = bytes.len() as usize;
            if len < at + LEN {
                bytes.extend_from_slice(&ZEROS[..at + LEN - len]);
            }
            let mut quote = [0u8; LEN];
            // `pulled` holds one quote per slot, in order (checked by the caller).
            crate::raw::copy_at(pulled, (i * LEN) as u32, &mut quote);
            bytes.copy_from_slice(at as u32, &quote);
        }
        let temporary = env.storage().temporary();
        temporary.set(&CACHE, &bytes);
        temporary.extend_ttl(&CACHE, TTL_LEDGERS, TTL_LEDGERS);
    }
}

/// Where the quote of registry slot `slot` starts in the cache (`None` for [`NO_SLOT`] and any
/// slot past the cache).
fn offset(slot: u32) -> Option<usize> {
    let at = (slot as usize).checked_mul(LEN)?;
    (at < CAP).then_some(at)
}

/// Whether a packed quote is positive and valid at `now`.
fn valid(quote: &[u8; LEN], now: u64) -> bool {
    let until = quote[56..]
        .iter()
        .fold(0u64, |v, b| (v << 8) | u64::from(*b));
    // A positive spot: sign bit clear and some bit set.
    quote[0] < 0x80 && quote[..16].iter().any(|b| *b != 0) && now < until
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

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
//! write.
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

/// The stored cache, copied into `buf` (`None` without one, or when caching is off).
fn load(env: &Env, buf: &mut [u8; CAP]) -> Option<(Bytes, usize)> {
    if !storage::quote_cache_enabled(env) {
        return None;
    }
    let cache: Bytes = env.storage().temporary().get(&CACHE)?;
    let len = cache.len() as usize;
    cache.copy_into_slice(buf.get_mut(..len)?);
    Some((cache, len))
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

/// The cache when it holds, for every slot of `slots`, a quote valid at `now`.
pub fn lookup(env: &Env, slots: &[u32], now: u64) -> Option<Bytes> {
    let mut buf = [0u8; CAP];
    let (cache, _) = load(env, &mut buf)?;
    slots
        .iter()
        .all(|&slot| valid(&buf, slot as usize * LEN, now))
        .then_some(cache)
}

/// Stores `pulled` (the adapter's packed quotes for `slots`, in order) in the cache, keeping the
/// other slots' quotes. Nothing when caching is off.
pub fn store(env: &Env, slots: &[u32], pulled: &Bytes) {
    if !storage::quote_cache_enabled(env) {
        return;
    }
    let mut buf = [0u8; CAP];
    let mut len = load(env, &mut buf).map_or(0, |(_, len)| len);
    for (i, &slot) in slots.iter().enumerate() {
        let (at, from) = (slot as usize * LEN, (i * LEN) as u32);
        if let Some(dst) = buf.get_mut(at..at + LEN) {
            pulled.slice(from..from + LEN as u32).copy_into_slice(dst);
            len = len.max(at + LEN);
        }
    }
    let temporary = env.storage().temporary();
    temporary.set(&CACHE, &Bytes::from_slice(env, &buf[..len]));
    temporary.extend_ttl(&CACHE, TTL_LEDGERS, TTL_LEDGERS);
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

//! The health check (SPEC §3): the quotes of every asset of the account (and the assets a trade
//! needs priced) from the quote cache ([`crate::quote_cache`]) or one `quotes_packed` call to the
//! adapter (the same quotes as `quotes`, as fixed-width bytes that cost nothing to decode), then `risk_core::HealthSums` over the positions valued
//! through the vault caches. No vault is called: the caches make the cost of a position a storage
//! read and the math (see the crate docs).

use risk_core::{
    token_value, HealthSums, PackedQuote, Price, Rounding, TokenUnit, Value, PACKED_QUOTE_LEN,
};
use soroban_sdk::{Address, Bytes, Env, Vec};

use crate::account::Positions;
use crate::clients::{AdapterClient, AdapterError};
use crate::markets::Markets;
use crate::ops::MAX_TRADES;
use crate::quote_cache::{self, NO_SLOT};
use crate::record::AssetRecord;
use crate::risk::Hot;
use crate::session::Session;
use crate::types::Health;
use crate::{storage, Error};

/// The priced account: the sums and the quotes, in the order of `assets`.
pub struct Snapshot {
    pub sums: HealthSums,
    pub assets: Vec<Address>,
    pub quotes: Quotes,
    pub price_decimals: u32,
}

/// Most assets one health check prices: every position and the assets of the trades.
pub const MAX_QUOTED: usize = crate::account::MAX_POSITIONS_LIMIT as usize + 2 * MAX_TRADES;

/// The quotes for a list of assets: as `quotes_packed` returned them (`slots` is `None`), or the
/// quote cache, where the quote of the list's `i`-th asset is at registry slot `slots[i]`.
pub struct Quotes {
    bytes: Bytes,
    /// `bytes.len()`, read once.
    len: u32,
    slots: Option<[u32; MAX_QUOTED]>,
}

impl Quotes {
    /// The quote at position `i` of the list.
    ///
    /// # Errors
    /// `PriceUnavailable` past the end.
    pub fn get(&self, i: u32) -> Result<PackedQuote, Error> {
        let mut q = PackedQuote::default();
        self.read(i, &mut [0u8; PACKED_QUOTE_LEN], &mut q)?;
        Ok(q)
    }

    /// [`Quotes::get`] into `out`, through the caller's `buf`: the per-position loop reuses both
    /// (a returned quote is moved with the VM's byte-wise `memcpy`, a fresh buffer zeroed).
    ///
    /// # Errors
    /// `PriceUnavailable` past the end.
    pub fn read(
        &self,
        i: u32,
        buf: &mut [u8; PACKED_QUOTE_LEN],
        out: &mut PackedQuote,
    ) -> Result<(), Error> {
        const LEN: u32 = PACKED_QUOTE_LEN as u32;
        let i = match &self.slots {
            Some(slots) => *slots.get(i as usize).ok_or(Error::PriceUnavailable)?,
            None => i,
        };
        let start = i.checked_mul(LEN).ok_or(Error::PriceUnavailable)?;
        let end = start.checked_add(LEN).ok_or(Error::PriceUnavailable)?;
        if end > self.len {
            return Err(Error::PriceUnavailable);
        }
        crate::raw::copy_at(&self.bytes, start, buf);
        *out = PackedQuote::decode(buf);
        Ok(())
    }
}

impl Snapshot {
    /// The quote of `asset`, if it was priced.
    pub fn quote(&self, asset: &Address) -> Option<PackedQuote> {
        let at = self.assets.first_index_of(asset)?;
        self.quotes.get(at).ok()
    }

    /// `|amount|` of a token with `decimals` valued at the spot price, rounded.
    ///
    /// # Errors
    /// `PriceUnavailable` (asset not priced), the risk-core conversion errors.
    pub fn spot_value(
        &self,
        asset: &Address,
        decimals: u32,
        amount: i128,
        rounding: Rounding,
    ) -> Result<Value, Error> {
        let q = self.quote(asset).ok_or(Error::PriceUnavailable)?;
        let price = Price::from_adapter(q.spot, self.price_decimals, rounding)?;
        Ok(token_value(
            amount,
            TokenUnit::new(decimals)?,
            price,
            rounding,
        )?)
    }

    pub fn to_abi(&self) -> Health {
        let h = self.sums.health().to_abi();
        Health {
            init: h.init,
            maint: h.maint,
            assets_init: h.assets_init,
            liabs_init: h.liabs_init,
            assets_maint: h.assets_maint,
            liabs_maint: h.liabs_maint,
        }
    }
}

/// Quotes for `assets`: from the quote cache when every one is cached and valid at `now`
/// (`slots[i]` is the registry slot of `assets[i]`, [`NO_SLOT`] for none), else from the adapter
/// in one call, stored in the cache when `persist` (state-changing calls; views write nothing).
///
/// # Errors
/// `StalePrice` (the adapter's `Stale`), `PriceUnavailable` (any other refusal).
pub fn fetch_quotes(
    env: &Env,
    assets: &Vec<Address>,
    slots: &[u32],
    now: u64,
    persist: bool,
) -> Result<Quotes, Error> {
    let covered = slots.len() == assets.len() as usize && slots.len() <= MAX_QUOTED;
    // The cache's flag and entry are read once; a miss in a state-changing call reuses them to
    // store what it pulls.
    let cache = covered.then(|| quote_cache::Cache::load(env));
    if let Some(bytes) = cache.as_ref().and_then(|c| c.lookup(slots, now)) {
        let mut map = [NO_SLOT; MAX_QUOTED];
        map[..slots.len()].copy_from_slice(slots);
        return Ok(Quotes {
            len: bytes.len(),
            bytes,
            slots: Some(map),
        });
    }
    let adapter = AdapterClient::new(env, &storage::adapter(env)?);
    let expected = assets.len().checked_mul(PACKED_QUOTE_LEN as u32);
    let bytes = match adapter.try_quotes_packed(assets) {
        Ok(Ok(bytes)) if Some(bytes.len()) == expected => bytes,
        Err(Ok(AdapterError::Stale)) => return Err(Error::StalePrice),
        _ => return Err(Error::PriceUnavailable),
    };
    if let (true, Some(cache)) = (persist, cache) {
        cache.store(env, slots, &bytes);
    }
    Ok(Quotes {
        len: bytes.len(),
        bytes,
        slots: None,
    })
}

/// Prices the account: the positions (valued through the touched markets' in-memory records,
/// when the call has `markets`,
/// else the stored ones) plus the `extra` assets, with one [`fetch_quotes`] (`persist` as there).
///
/// # Errors
/// The quote errors, `UnknownAsset`, `SyncRequired`, the risk-core errors.
pub fn evaluate(
    env: &Env,
    now: u64,
    positions: &Positions,
    markets: Option<&Markets>,
    extra: &[&Address],
    persist: bool,
) -> Result<Snapshot, Error> {
    let mut assets = positions.assets().clone();
    let mut slots = [NO_SLOT; MAX_QUOTED];
    for (slot, (idx, _)) in slots.iter_mut().zip(positions.iter()) {
        *slot = idx;
    }
    let mut n = positions.len();
    for asset in extra {
        if !assets.contains(*asset) {
            assets.push_back((*asset).clone());
            if let Some(slot) = slots.get_mut(n) {
                *slot = markets.and_then(|m| m.index_of(asset)).unwrap_or(NO_SLOT);
            }
            n += 1;
        }
    }
    let quotes = fetch_quotes(env, &assets, &slots[..n.min(MAX_QUOTED)], now, persist)?;
    let price_decimals = storage::price_decimals(env)?;
    let mut sums = HealthSums::ZERO;
    let mut scratch = [0u8; crate::record::RECORD_LEN];
    let mut hot = Hot::default();
    let (mut buf, mut q) = ([0u8; PACKED_QUOTE_LEN], PackedQuote::default());
    for (i, (idx, shares)) in positions.iter().enumerate() {
        quotes.read(i as u32, &mut buf, &mut q)?;
        match markets.and_then(|m| m.by_index(idx)) {
            Some(m) => hot = m.rec.hot(shares < 0, now)?,
            None => {
                let bytes = storage::held_record_bytes(env, &assets.get_unchecked(i as u32))?;
                AssetRecord::hot_from_bytes(&bytes, shares < 0, now, &mut scratch, &mut hot)?;
            }
        }
        add(&mut sums, &hot, shares, &q, price_decimals)?;
    }
    Ok(Snapshot {
        sums,
        assets,
        quotes,
        price_decimals,
    })
}

/// Adds one position to the sums: its tokens through the vault cache, its weights now, its quote.
/// Out of line so that the loop around it stays small (the VM charges a block's instructions on
/// entry).
#[inline(never)]
pub(crate) fn add(
    sums: &mut HealthSums,
    hot: &Hot,
    shares: i128,
    q: &PackedQuote,
    price_decimals: u32,
) -> Result<(), Error> {
    let quote = risk_core::Quote::from_adapter(q.spot, q.low, q.high, price_decimals)?;
    add_tokens(sums, hot.tokens(shares)?, &hot.asset_risk()?, &quote)
}

/// Adds `tokens` (signed) of an asset to the sums. The one copy of risk-core's per-position
/// routine in this contract (it is large, and every sum this contract needs is one of its two:
/// LiquidationEnd is the init sum of a flat quote).
#[inline(never)]
pub(crate) fn add_tokens(
    sums: &mut HealthSums,
    tokens: i128,
    risk: &risk_core::AssetRisk,
    quote: &risk_core::Quote,
) -> Result<(), Error> {
    Ok(sums.add_position(tokens, risk, quote)?)
}

/// The end of a risk-raising call: init health `>= 1` and every debt that grew worth at least its
/// asset's `min_debt_value` (spot, rounded up).
///
/// # Errors
/// `InitHealthTooLow`, `DebtBelowMinimum`.
pub fn check_end(s: &Session, snap: &Snapshot) -> Result<(), Error> {
    if !snap.sums.meets_init() {
        return Err(Error::InitHealthTooLow);
    }
    for slot in 0..crate::markets::MAX_TOUCHED {
        if s.debt_grew & (1 << slot) == 0 {
            continue;
        }
        let m = s.markets.get(slot);
        let debt = m.rec.tokens(s.position(slot), m.rec.index_at(s.now)?)?;
        if debt >= 0 {
            continue;
        }
        let value = snap.spot_value(&m.asset, m.rec.decimals, debt, Rounding::Ceil)?;
        if value < Value::from_abi(m.rec.min_debt_value, Rounding::Floor)? {
            return Err(Error::DebtBelowMinimum);
        }
    }
    Ok(())
}

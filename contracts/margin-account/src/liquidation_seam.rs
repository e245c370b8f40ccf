//! The liquidation seam's two additions for liquidation-auction (issue 5), kept small because
//! this crate's WASM is close to the network's size limit:
//!
//! - `liquidation_view`: everything sizing a start needs in **one** call: the account's maint and
//!   LiquidationEnd sums (one `quotes` call), the pair's positions in shares and tokens, their
//!   weights and quotes, the debt asset's penalty and minimum debt, and whether any collateral is
//!   left (the bad-debt test).
//! - `write_off_debt`: the last step of `settle_bad_debt`: an account with no collateral left
//!   has its remaining debt in an asset removed and the vault writes the loss off.

use governance::ttl;
use risk_core::{HealthSums, PackedQuote};
use soroban_sdk::{contractclient, contractevent, contractimpl, Address, Bytes, Env};

use crate::health::{self, fetch_quotes};
use crate::markets;
use crate::quote_cache::NO_SLOT;
use crate::record::AssetRecord;
use crate::risk::Hot;
use crate::session::{Session, Workspace};
use crate::{storage, Error};
use crate::{MarginAccount, MarginAccountArgs, MarginAccountClient};

/// Number of `i128` words of `liquidation_view`'s layout: 8 account words, then 11 per leg
/// (collateral, then debt).
pub const VIEW_WORDS: u32 = 8 + 2 * LEG_WORDS;
const LEG_WORDS: u32 = 11;

/// An account's remaining debt in `asset` was written off (bad debt, after the insurance fund).
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct DebtWrittenOff {
    #[topic]
    pub owner: Address,
    #[topic]
    pub asset: Address,
    pub id: u32,
    pub amount: i128,
    pub debt_shares: i128,
}

#[allow(dead_code)]
#[contractclient(name = "WriteOffClient")]
trait WriteOffApi {
    fn write_off(env: Env, amount: i128) -> i128;
}

#[contractimpl]
impl MarginAccount {
    /// The account as liquidation sizing needs it, in one call (one `quotes` call for every
    /// asset of the account plus the pair). Returns `(collateral vault, debt vault, words)`,
    /// with the `i128` words (fixed point as raw `I80F48` bits):
    ///
    /// ```text
    /// 0 maint_assets  1 maint_liabs  2 end_assets  3 end_liabs      (Value bits; end = LiquidationEnd)
    /// 4 has_collateral (0/1)  5 price_decimals  6 debt's liquidation_penalty  7 debt's min_debt_value (ABI)
    /// per leg, collateral at 8, debt at 19:
    ///   +0 decimals  +1 shares  +2 tokens  +3 rate  +4 asset_weight_init  +5 asset_weight_maint
    ///   +6 liab_weight_init  +7 liab_weight_maint  +8 spot  +9 low  +10 high
    /// ```
    ///
    /// The words are returned as bytes, 16 per word little-endian (480 bytes): one host object
    /// built and copied out once, where a vector of `i128` makes an object per large word and a
    /// host call per read; and no `#[contracttype]` struct, whose conversions cost kilobytes of
    /// this crate's WASM (near the size limit).
    ///
    /// # Errors
    /// `UnknownAccount`, `UnknownAsset`, `StalePrice`, `PriceUnavailable`, `SyncRequired`, the
    /// risk-core errors.
    pub fn liquidation_view(
        env: Env,
        owner: Address,
        id: u32,
        collateral: Address,
        debt: Address,
    ) -> Result<(Address, Address, Bytes), Error> {
        let entry = storage::account(&env, &owner, id).ok_or(Error::UnknownAccount)?;
        let mut positions = crate::account::Positions::new(&env);
        positions.decode_into(entry)?;
        let mut assets = positions.assets().clone();
        let mut slots = [NO_SLOT; crate::account::MAX_POSITIONS_LIMIT as usize + 2];
        for (slot, (idx, _)) in slots.iter_mut().zip(positions.iter()) {
            *slot = idx;
        }
        for a in [&collateral, &debt] {
            if !assets.contains(a) {
                assets.push_back(a.clone());
            }
        }
        let now = env.ledger().timestamp();
        // A pair asset without a position has no slot here: the quotes are then pulled. What is
        // pulled is stored in the quote cache although this is a view: it is called by the
        // auction's `start`, a state-changing call, and the next starts of the same resolution
        // (a crash liquidates many accounts at once) then price from the cache.
        let quotes = fetch_quotes(
            &env,
            &assets,
            &slots[..(assets.len() as usize).min(slots.len())],
            now,
            true,
        )?;
        let decimals = storage::price_decimals(&env)?;
        // Both sums at spot prices: with a flat quote (low = high = spot) the init sums are the
        // LiquidationEnd sums (init weights at spot) and the maint sums are the maint sums (which
        // never use low or high): one pass of the per-position routine for both.
        let mut sums = HealthSums::ZERO;
        let mut words = [0i128; VIEW_WORDS as usize];
        let mut found = [false, false];
        let mut scratch = [0u8; crate::record::RECORD_LEN];
        let mut hot = Hot::default();
        for (i, asset) in assets.iter().enumerate() {
            let shares = positions.iter().nth(i).map_or(0, |(_, s)| s);
            let bytes = storage::record_bytes(&env, &asset)?;
            AssetRecord::hot_from_bytes(&bytes, shares < 0, now, &mut scratch, &mut hot)?;
            let tokens = hot.tokens(shares)?;
            let q = quotes.get(i as u32)?;
            let flat = PackedQuote {
                low: q.spot,
                high: q.spot,
                ..q
            };
            health::add(&mut sums, &hot, shares, &flat, decimals)?;
            words[4] |= (shares > 0) as i128;
            for (leg, which) in [(0usize, &collateral), (1, &debt)] {
                if asset != *which {
                    continue;
                }
                let at = 8 + leg * LEG_WORDS as usize;
                // The debt to size against is valued at the last synced index, a lower bound of
                // what the account owes: a liquidation never authorises repaying more than the
                // exact debt (the sums above use the upper bound, in the protocol's favour).
                let leg_tokens = if shares < 0 {
                    let rate = AssetRecord::synced_debt_index(&bytes)?;
                    crate::risk::Hot { rate, ..hot }.tokens(shares)?
                } else {
                    tokens
                };
                let leg_words = [
                    hot.decimals as i128,
                    shares,
                    leg_tokens,
                    hot.rate,
                    hot.asset_weight_init,
                    hot.asset_weight_maint,
                    hot.liab_weight_init,
                    hot.liab_weight_maint,
                    q.spot,
                    q.low,
                    q.high,
                ];
                for (k, w) in leg_words.iter().enumerate() {
                    words[at + k] = *w;
                }
                found[leg] = true;
            }
        }
        if found != [true, true] {
            return Err(Error::UnknownAsset);
        }
        // The collateral's vault from its own entry (the seize that follows reads it anyway),
        // not from its config, which a start does not otherwise need.
        let coll_vault = storage::vault(&env, &collateral)?;
        let config = storage::config(&env, &debt).ok_or(Error::UnknownAsset)?;
        // Read on every start, written only by governance: kept live here.
        storage::touch_config(&env, &debt);
        let debt_vault = config.vault.clone();
        words[0] = sums.maint.assets.to_bits();
        words[1] = sums.maint.liabs.to_bits();
        words[2] = sums.init.assets.to_bits();
        words[3] = sums.init.liabs.to_bits();
        words[5] = decimals as i128;
        words[6] = config.liquidation_penalty;
        words[7] = config.min_debt_value;
        let mut out = [0u8; VIEW_WORDS as usize * 16];
        for (chunk, w) in out.chunks_exact_mut(16).zip(words.iter()) {
            if let Ok(dst) = <&mut [u8; 16]>::try_from(chunk) {
                *dst = w.to_le_bytes();
            }
        }
        Ok((coll_vault, debt_vault, Bytes::from_slice(&env, &out)))
    }

    /// Removes the account's whole debt in `asset` and has the vault write it off: only for an
    /// account without collateral (bad debt). Returns the tokens written off.
    ///
    /// # Errors
    /// `NotLiquidator`, `UnknownAccount`, `UnknownAsset`, `NoDebt` (no debt in `asset`),
    /// `InvalidRequests` (the account still holds collateral).
    ///
    /// # Events
    /// `DebtWrittenOff { amount, debt_shares }`, the vault's `WriteOff`.
    ///
    /// # Notes
    /// The liquidator's auth. The asset's cache is refreshed afterwards (the share price fell).
    pub fn write_off_debt(
        env: Env,
        owner: Address,
        id: u32,
        asset: Address,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        let liquidator = storage::liquidator(&env).ok_or(Error::NotLiquidator)?;
        liquidator.require_auth();
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, false, &mut ws)?;
        if s.positions.iter().any(|(_, shares)| shares > 0) {
            return Err(Error::InvalidRequests);
        }
        let slot = s.market(&asset)?;
        let pos = s.position(slot);
        if pos >= 0 {
            return Err(Error::NoDebt);
        }
        let now = s.now;
        markets::refresh(&env, s.markets.get_mut(slot), now)?;
        let m = s.markets.get_mut(slot);
        let amount = -m.rec.tokens(pos, m.rec.debt_index)?;
        let vault = m.vault.clone();
        WriteOffClient::new(&env, &vault).write_off(&amount);
        m.rec.total_debt_shares = m
            .rec
            .total_debt_shares
            .checked_add(pos)
            .ok_or(Error::Overflow)?;
        let (idx, asset_ref) = (m.rec.index, m.asset.clone());
        markets::refresh(&env, s.markets.get_mut(slot), now)?;
        s.positions.set(idx, &asset_ref, 0, u32::MAX)?;
        s.finish();
        DebtWrittenOff {
            owner,
            asset,
            id,
            amount,
            debt_shares: -pos,
        }
        .publish(&env);
        Ok(amount)
    }
}

//! [`AssetRecord`]: everything the hot paths need about a listed asset, in one persistent entry
//! with a fixed little-endian layout (one host copy to decode, where a `#[contracttype]` struct
//! of this size would cost a map unpacking and a host call per large field, per position).

use soroban_sdk::{Bytes, Env};

use crate::math::index_bound;
use crate::risk::{ramp, Hot};
use crate::types::AssetMode;
use crate::Error;

/// Encoded size of an [`AssetRecord`].
pub const RECORD_LEN: usize = 4 + 4 + 4 + 16 * 6 + 8 * 2 + 16 * 3 + 8 + 16 * 2 + 16 * 4;

/// A listed asset as the entry points and the health check use it. Weights and cache values are
/// raw `I80F48` bits (`2^48` = 1.0).
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AssetRecord {
    /// Position of the asset in the registry (what account entries store).
    pub index: u32,
    /// The token's `decimals()`.
    pub decimals: u32,
    pub mode: AssetMode,
    /// Init weights (applied at once).
    pub asset_weight_init: i128,
    pub liab_weight_init: i128,
    /// The maint weights ramp linearly from `*_from` at `ramp_start` to `*_to` at `ramp_end`.
    pub asset_weight_maint_from: i128,
    pub asset_weight_maint_to: i128,
    pub liab_weight_maint_from: i128,
    pub liab_weight_maint_to: i128,
    pub ramp_start: u64,
    pub ramp_end: u64,
    /// Vault cache: assets per share (rounded down), borrow index, curve's top rate, sync time.
    pub share_price: i128,
    pub debt_index: i128,
    pub max_rate: i128,
    pub synced_at: u64,
    /// Vault shares held and debt shares owed for all accounts.
    pub total_shares: i128,
    pub total_debt_shares: i128,
    /// Limits from the config (ABI units: base currency 7 decimals, ratio 7 decimals, base units).
    pub min_debt_value: i128,
    pub max_trade_slippage: i128,
    pub deposit_cap: i128,
    pub borrow_cap: i128,
}

// Byte offsets of the fields (little-endian). Constant offsets let the compiler turn every
// field access into plain loads: no cursor, no bounds checks, no copy loops.
const INDEX: usize = 0;
const DECIMALS: usize = 4;
const MODE: usize = 8;
const AWI: usize = 12;
const LWI: usize = AWI + 16;
const AWM_FROM: usize = LWI + 16;
const AWM_TO: usize = AWM_FROM + 16;
const LWM_FROM: usize = AWM_TO + 16;
const LWM_TO: usize = LWM_FROM + 16;
const RAMP_START: usize = LWM_TO + 16;
const RAMP_END: usize = RAMP_START + 8;
const SHARE_PRICE: usize = RAMP_END + 8;
const DEBT_INDEX: usize = SHARE_PRICE + 16;
const MAX_RATE: usize = DEBT_INDEX + 16;
const SYNCED_AT: usize = MAX_RATE + 16;
const TOTAL_SHARES: usize = SYNCED_AT + 8;
const TOTAL_DEBT_SHARES: usize = TOTAL_SHARES + 16;
const MIN_DEBT_VALUE: usize = TOTAL_DEBT_SHARES + 16;
const MAX_TRADE_SLIPPAGE: usize = MIN_DEBT_VALUE + 16;
const DEPOSIT_CAP: usize = MAX_TRADE_SLIPPAGE + 16;
const BORROW_CAP: usize = DEPOSIT_CAP + 16;
const _: () = assert!(BORROW_CAP + 16 == RECORD_LEN);

type Buf = [u8; RECORD_LEN];

/// The `N` bytes at `at`: a plain unaligned load for the constant offsets used here.
#[inline(always)]
fn get<const N: usize>(buf: &Buf, at: usize) -> [u8; N] {
    match buf
        .get(at..at + N)
        .and_then(|s| <[u8; N]>::try_from(s).ok())
    {
        Some(bytes) => bytes,
        None => [0u8; N],
    }
}

#[inline(always)]
fn get_u32(buf: &Buf, at: usize) -> u32 {
    u32::from_le_bytes(get(buf, at))
}

#[inline(always)]
fn get_u64(buf: &Buf, at: usize) -> u64 {
    u64::from_le_bytes(get(buf, at))
}

#[inline(always)]
fn get_i128(buf: &Buf, at: usize) -> i128 {
    i128::from_le_bytes(get(buf, at))
}

/// Writes `bytes` at `at` (a plain store; `copy_from_slice` would call `memcpy` under
/// `opt-level = "z"`, which costs far more in the VM).
#[inline(always)]
fn put<const N: usize>(buf: &mut Buf, at: usize, bytes: [u8; N]) {
    if let Some(dst) = buf
        .get_mut(at..at + N)
        .and_then(|s| <&mut [u8; N]>::try_from(s).ok())
    {
        *dst = bytes;
    }
}

impl AssetRecord {
    /// The fixed layout of this record.
    pub fn encode(&self, env: &Env) -> Bytes {
        let mut b = [0u8; RECORD_LEN];
        put(&mut b, INDEX, self.index.to_le_bytes());
        put(&mut b, DECIMALS, self.decimals.to_le_bytes());
        put(&mut b, MODE, (self.mode as u32).to_le_bytes());
        put(&mut b, AWI, self.asset_weight_init.to_le_bytes());
        put(&mut b, LWI, self.liab_weight_init.to_le_bytes());
        put(&mut b, AWM_FROM, self.asset_weight_maint_from.to_le_bytes());
        put(&mut b, AWM_TO, self.asset_weight_maint_to.to_le_bytes());
        put(&mut b, LWM_FROM, self.liab_weight_maint_from.to_le_bytes());
        put(&mut b, LWM_TO, self.liab_weight_maint_to.to_le_bytes());
        put(&mut b, RAMP_START, self.ramp_start.to_le_bytes());
        put(&mut b, RAMP_END, self.ramp_end.to_le_bytes());
        put(&mut b, SHARE_PRICE, self.share_price.to_le_bytes());
        put(&mut b, DEBT_INDEX, self.debt_index.to_le_bytes());
        put(&mut b, MAX_RATE, self.max_rate.to_le_bytes());
        put(&mut b, SYNCED_AT, self.synced_at.to_le_bytes());
        put(&mut b, TOTAL_SHARES, self.total_shares.to_le_bytes());
        put(
            &mut b,
            TOTAL_DEBT_SHARES,
            self.total_debt_shares.to_le_bytes(),
        );
        put(&mut b, MIN_DEBT_VALUE, self.min_debt_value.to_le_bytes());
        put(
            &mut b,
            MAX_TRADE_SLIPPAGE,
            self.max_trade_slippage.to_le_bytes(),
        );
        put(&mut b, DEPOSIT_CAP, self.deposit_cap.to_le_bytes());
        put(&mut b, BORROW_CAP, self.borrow_cap.to_le_bytes());
        Bytes::from_array(env, &b)
    }

    /// The vault's borrow index at the last sync, from an encoded record: a lower bound of the
    /// index now (the health check uses the upper bound [`crate::math::index_bound`]).
    ///
    /// # Errors
    /// `ValueMismatch` (not a record).
    pub fn synced_debt_index(bytes: &Bytes) -> Result<i128, Error> {
        if bytes.len() as usize != RECORD_LEN {
            return Err(Error::ValueMismatch);
        }
        let mut b = [0u8; 16];
        crate::raw::copy_at(bytes, DEBT_INDEX as u32, &mut b);
        Ok(i128::from_le_bytes(b))
    }

    /// The health view ([`Hot`]) of an encoded record, read straight from the bytes: only the
    /// fields a position needs, no [`AssetRecord`] built or moved, written into `out` (a returned
    /// `Hot` is moved with the VM's byte-wise `memcpy`). `b` is the caller's scratch buffer
    /// (zeroed once per health check rather than once per position).
    ///
    /// # Errors
    /// `ValueMismatch` (malformed entry), `SyncRequired`, `Overflow`.
    #[inline(never)]
    pub fn hot_from_bytes(
        bytes: &Bytes,
        debt: bool,
        now: u64,
        b: &mut [u8; RECORD_LEN],
        out: &mut Hot,
    ) -> Result<(), Error> {
        if bytes.len() as usize != RECORD_LEN {
            return Err(Error::ValueMismatch);
        }
        crate::raw::copy_at(bytes, 0, b);
        let b = &*b;
        let (start, end) = (get_u64(b, RAMP_START), get_u64(b, RAMP_END));
        out.rate = if debt {
            let elapsed = now.saturating_sub(get_u64(b, SYNCED_AT));
            index_bound(get_i128(b, DEBT_INDEX), get_i128(b, MAX_RATE), elapsed)?
        } else {
            get_i128(b, SHARE_PRICE)
        };
        out.decimals = get_u32(b, DECIMALS);
        out.asset_weight_init = get_i128(b, AWI);
        out.asset_weight_maint = ramp(get_i128(b, AWM_FROM), get_i128(b, AWM_TO), start, end, now);
        out.liab_weight_init = get_i128(b, LWI);
        out.liab_weight_maint = ramp(get_i128(b, LWM_FROM), get_i128(b, LWM_TO), start, end, now);
        Ok(())
    }

    /// Decodes [`AssetRecord::encode`]'s layout.
    ///
    /// # Errors
    /// [`Error::ValueMismatch`] - the entry has another length (a contract bug).
    #[inline(never)]
    pub fn decode(bytes: &Bytes) -> Result<AssetRecord, Error> {
        if bytes.len() as usize != RECORD_LEN {
            return Err(Error::ValueMismatch);
        }
        let mut b = [0u8; RECORD_LEN];
        crate::raw::copy_at(bytes, 0, &mut b);
        let mode = match get_u32(&b, MODE) {
            0 => AssetMode::Active,
            1 => AssetMode::ReduceOnly,
            _ => AssetMode::Frozen,
        };
        Ok(AssetRecord {
            index: get_u32(&b, INDEX),
            decimals: get_u32(&b, DECIMALS),
            mode,
            asset_weight_init: get_i128(&b, AWI),
            liab_weight_init: get_i128(&b, LWI),
            asset_weight_maint_from: get_i128(&b, AWM_FROM),
            asset_weight_maint_to: get_i128(&b, AWM_TO),
            liab_weight_maint_from: get_i128(&b, LWM_FROM),
            liab_weight_maint_to: get_i128(&b, LWM_TO),
            ramp_start: get_u64(&b, RAMP_START),
            ramp_end: get_u64(&b, RAMP_END),
            share_price: get_i128(&b, SHARE_PRICE),
            debt_index: get_i128(&b, DEBT_INDEX),
            max_rate: get_i128(&b, MAX_RATE),
            synced_at: get_u64(&b, SYNCED_AT),
            total_shares: get_i128(&b, TOTAL_SHARES),
            total_debt_shares: get_i128(&b, TOTAL_DEBT_SHARES),
            min_debt_value: get_i128(&b, MIN_DEBT_VALUE),
            max_trade_slippage: get_i128(&b, MAX_TRADE_SLIPPAGE),
            deposit_cap: get_i128(&b, DEPOSIT_CAP),
            borrow_cap: get_i128(&b, BORROW_CAP),
        })
    }
}

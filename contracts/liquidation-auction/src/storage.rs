//! Storage layout (SPEC §10). Config and the global totals in instance storage (small scalars and
//! the params struct); every auction, account index, per-asset total and insurance balance in its
//! own persistent entry — never temporary: an expired auction would lose escrowed collateral.
//! Entries are extended to `governance::ttl::PERSISTENT_BUMP_AMOUNT` (30 days) whenever read by a
//! state-changing call or written; views extend nothing.
//!
//! Unit keys are bare symbols, the others `[symbol, fields..]` vectors (see `keyed`).
//!
//! | key | storage | value |
//! |---|---|---|
//! | `Margin`, `Adapter` | instance | `Address` |
//! | `Params` | instance | `Bytes`: the [`AuctionParams`], fixed layout (`encode_params`) |
//! | `Stopped`, `NextId`, `TotalDebt` | instance | `u32`, `u64`, `i128` (7-decimal value) |
//! | `Auction(auction_id)` | persistent | `(Vec<Address>, Bytes)`: an [`Auction`], fixed layout (`encode_auction`) |
//! | `Account(owner, id)` | persistent | `Vec<u64>`: the account's live auctions |
//! | `AssetDebt(collateral)` | persistent | `i128`: debt value under auction (7 decimals) |
//! | `Insurance(asset)` | persistent | `i128`: the insurance fund (base units) |

use governance::ttl;
use soroban_sdk::{symbol_short, vec, Address, Bytes, Env, IntoVal, Symbol, Val, Vec};

use crate::types::{Auction, AuctionParams, CurveConfig};
use crate::Error;

// The storage keys. Unit keys are bare symbols; keyed ones are `[symbol, fields..]` vectors (the
// `#[contracttype]` encoding), each built by its own function: a derived key enum converts
// through one function over every variant, which the VM charges whole on every key (~2k fuel).
const MARGIN: Symbol = symbol_short!("Margin");
const ADAPTER: Symbol = symbol_short!("Adapter");
const PARAMS: Symbol = symbol_short!("Params");
const STOPPED: Symbol = symbol_short!("Stopped");
const NEXT_ID: Symbol = symbol_short!("NextId");
const TOTAL_DEBT: Symbol = symbol_short!("TotalDebt");

/// `[name, a]`.
#[inline(never)]
fn keyed(env: &Env, name: Symbol, a: Val) -> Val {
    vec![env, name.to_val(), a].to_val()
}

/// `Auction(auction_id)`.
fn auction_key(env: &Env, auction_id: u64) -> Val {
    keyed(env, symbol_short!("Auction"), auction_id.into_val(env))
}

/// `Account(owner, id)`.
fn account_key(env: &Env, owner: &Address, id: u32) -> Val {
    vec![
        env,
        symbol_short!("Account").to_val(),
        owner.to_val(),
        Val::from_u32(id).to_val(),
    ]
    .to_val()
}

/// `AssetDebt(collateral)`.
fn asset_debt_key(env: &Env, collateral: &Address) -> Val {
    keyed(env, symbol_short!("AssetDebt"), collateral.to_val())
}

/// `Insurance(asset)`.
fn insurance_key(env: &Env, asset: &Address) -> Val {
    keyed(env, symbol_short!("Insurance"), asset.to_val())
}

fn instance<V: soroban_sdk::TryFromVal<Env, soroban_sdk::Val>>(
    env: &Env,
    key: &Symbol,
) -> Result<V, Error> {
    env.storage()
        .instance()
        .get(key)
        .ok_or(Error::NotInitialized)
}

fn persistent<V: soroban_sdk::TryFromVal<Env, soroban_sdk::Val>>(
    env: &Env,
    key: &Val,
    extend: bool,
) -> Option<V> {
    let v = env.storage().persistent().get(key);
    if extend && v.is_some() {
        ttl::extend_persistent(env, key);
    }
    v
}

fn put<V: soroban_sdk::IntoVal<Env, soroban_sdk::Val>>(env: &Env, key: &Val, value: &V) {
    env.storage().persistent().set(key, value);
    ttl::extend_persistent(env, key);
}

pub fn init(env: &Env, margin: &Address, adapter: &Address, params: &AuctionParams) {
    let s = env.storage().instance();
    s.set(&MARGIN, margin);
    s.set(&ADAPTER, adapter);
    s.set(&PARAMS, &encode_params(env, params));
    s.set(&STOPPED, &0u32);
    s.set(&NEXT_ID, &0u64);
    s.set(&TOTAL_DEBT, &0i128);
}

pub fn margin(env: &Env) -> Result<Address, Error> {
    instance(env, &MARGIN)
}

pub fn adapter(env: &Env) -> Result<Address, Error> {
    instance(env, &ADAPTER)
}

/// The parameters in force.
///
/// # Errors
/// `NotInitialized`; `ValueMismatch` (a malformed entry: a contract bug).
pub fn params(env: &Env) -> Result<AuctionParams, Error> {
    let bytes: Bytes = instance(env, &PARAMS)?;
    decode_params(&bytes)
}

pub fn set_params(env: &Env, params: &AuctionParams) {
    env.storage()
        .instance()
        .set(&PARAMS, &encode_params(env, params));
}

/// Bytes of the stored parameters: the curve (`u32` tag 0 linear / 1 stairstep, its `i128` cut,
/// its `u64` time), `tail` (`u64`) and the nine `i128` values in [`AuctionParams`]' field order.
const PARAMS_LEN: usize = 4 + 16 + 8 + 8 + 16 * 9;

/// The parameters as stored: one fixed-layout record in the instance entry, which every call
/// that writes instance storage (a start, a take) re-serialises whole; as a `#[contracttype]`
/// struct it would be an 11-field map.
fn encode_params(env: &Env, p: &AuctionParams) -> Bytes {
    let (tag, cut, time) = match p.curve {
        CurveConfig::Linear(tau) => (0u32, 0i128, tau),
        CurveConfig::StairstepExp(cut, step) => (1, cut, step),
    };
    let mut b = [0u8; PARAMS_LEN];
    let mut at = 0;
    put_bytes(&mut b, &mut at, tag.to_le_bytes());
    put_bytes(&mut b, &mut at, cut.to_le_bytes());
    put_bytes(&mut b, &mut at, time.to_le_bytes());
    put_bytes(&mut b, &mut at, p.tail.to_le_bytes());
    let values = [
        p.buf,
        p.cusp,
        p.tip,
        p.chip,
        p.dust,
        p.max_auction_debt,
        p.max_asset_debt,
        p.target_buffer,
        p.lot_margin,
    ];
    for v in values {
        put_bytes(&mut b, &mut at, v.to_le_bytes());
    }
    Bytes::from_slice(env, &b)
}

/// [`encode_params`]' inverse.
///
/// # Errors
/// `ValueMismatch` - another length or curve tag (a contract bug).
fn decode_params(bytes: &Bytes) -> Result<AuctionParams, Error> {
    if bytes.len() as usize != PARAMS_LEN {
        return Err(Error::ValueMismatch);
    }
    let mut b = [0u8; PARAMS_LEN];
    bytes.copy_into_slice(&mut b);
    let mut at = 0;
    let tag = u32::from_le_bytes(take_bytes(&b, &mut at));
    let cut = i128::from_le_bytes(take_bytes(&b, &mut at));
    let time = u64::from_le_bytes(take_bytes(&b, &mut at));
    let curve = match tag {
        0 => CurveConfig::Linear(time),
        1 => CurveConfig::StairstepExp(cut, time),
        _ => return Err(Error::ValueMismatch),
    };
    let tail = u64::from_le_bytes(take_bytes(&b, &mut at));
    let mut v = [0i128; 9];
    for x in v.iter_mut() {
        *x = i128::from_le_bytes(take_bytes(&b, &mut at));
    }
    let [buf, cusp, tip, chip, dust, max_auction_debt, max_asset_debt, target_buffer, lot_margin] =
        v;
    Ok(AuctionParams {
        buf,
        curve,
        tail,
        cusp,
        tip,
        chip,
        dust,
        max_auction_debt,
        max_asset_debt,
        target_buffer,
        lot_margin,
    })
}

pub fn stopped(env: &Env) -> u32 {
    env.storage().instance().get(&STOPPED).unwrap_or(0)
}

pub fn set_stopped(env: &Env, level: u32) {
    env.storage().instance().set(&STOPPED, &level);
}

/// A fresh auction id.
pub fn next_id(env: &Env) -> Result<u64, Error> {
    let id: u64 = instance(env, &NEXT_ID)?;
    let next = id.checked_add(1).ok_or(Error::Overflow)?;
    env.storage().instance().set(&NEXT_ID, &next);
    Ok(id)
}

pub fn total_debt(env: &Env) -> i128 {
    env.storage().instance().get(&TOTAL_DEBT).unwrap_or(0)
}

pub fn asset_debt(env: &Env, collateral: &Address) -> i128 {
    persistent(env, &asset_debt_key(env, collateral), false).unwrap_or(0)
}

/// Adds `delta` (signed, 7-decimal value) to the global and the collateral asset's totals.
pub fn add_cap_value(env: &Env, collateral: &Address, delta: i128) -> Result<(), Error> {
    let total = total_debt(env).checked_add(delta).ok_or(Error::Overflow)?;
    env.storage().instance().set(&TOTAL_DEBT, &total.max(0));
    let key = asset_debt_key(env, collateral);
    let asset = asset_debt(env, collateral)
        .checked_add(delta)
        .ok_or(Error::Overflow)?;
    put(env, &key, &asset.max(0));
    Ok(())
}

/// The auction, extended when `extend`.
///
/// # Errors
/// `UnknownAuction`; `ValueMismatch` (a malformed entry: a contract bug).
pub fn auction(env: &Env, auction_id: u64, extend: bool) -> Result<Auction, Error> {
    let stored: (Vec<Address>, Bytes) =
        persistent(env, &auction_key(env, auction_id), extend).ok_or(Error::UnknownAuction)?;
    decode_auction(&stored)
}

pub fn set_auction(env: &Env, auction_id: u64, auction: &Auction) {
    put(
        env,
        &auction_key(env, auction_id),
        &encode_auction(env, auction),
    );
}

/// Bytes of an auction entry's fixed part: `id`, the two decimals (`u32`), `start` (`u64`) and
/// the nine `i128` amounts, little-endian, in [`Auction`]'s field order.
const AUCTION_LEN: usize = 4 * 3 + 8 + 16 * 9;

/// Addresses of an auction entry: owner, collateral, debt, vault, debt vault.
const AUCTION_ADDRESSES: u32 = 5;

/// An auction as stored: its addresses and a fixed-layout record. A `#[contracttype]` struct
/// would be a 20-field map, every field a symbol key and every amount an `i128` object for the
/// host to build, serialise and compare on each read and write.
fn encode_auction(env: &Env, a: &Auction) -> (Vec<Address>, Bytes) {
    let addresses = Vec::from_array(
        env,
        [
            a.owner.clone(),
            a.collateral.clone(),
            a.debt.clone(),
            a.vault.clone(),
            a.debt_vault.clone(),
        ],
    );
    let mut b = [0u8; AUCTION_LEN];
    let mut at = 0;
    for word in [a.id, a.collateral_decimals, a.debt_decimals] {
        put_bytes(&mut b, &mut at, word.to_le_bytes());
    }
    put_bytes(&mut b, &mut at, a.start.to_le_bytes());
    let amounts = [
        a.lot,
        a.tab,
        a.debt_left,
        a.debt_to_cover,
        a.top,
        a.dust_tab,
        a.cap_value,
        a.end_assets,
        a.end_liabs,
    ];
    for amount in amounts {
        put_bytes(&mut b, &mut at, amount.to_le_bytes());
    }
    (addresses, Bytes::from_slice(env, &b))
}

/// [`encode_auction`]'s inverse.
///
/// # Errors
/// `ValueMismatch` - another shape (a contract bug).
fn decode_auction(stored: &(Vec<Address>, Bytes)) -> Result<Auction, Error> {
    let (addresses, bytes) = stored;
    if addresses.len() != AUCTION_ADDRESSES || bytes.len() as usize != AUCTION_LEN {
        return Err(Error::ValueMismatch);
    }
    let mut b = [0u8; AUCTION_LEN];
    bytes.copy_into_slice(&mut b);
    let mut at = 0;
    let id = u32::from_le_bytes(take_bytes(&b, &mut at));
    let collateral_decimals = u32::from_le_bytes(take_bytes(&b, &mut at));
    let debt_decimals = u32::from_le_bytes(take_bytes(&b, &mut at));
    let start = u64::from_le_bytes(take_bytes(&b, &mut at));
    let mut amounts = [0i128; 9];
    for amount in amounts.iter_mut() {
        *amount = i128::from_le_bytes(take_bytes(&b, &mut at));
    }
    let [lot, tab, debt_left, debt_to_cover, top, dust_tab, cap_value, end_assets, end_liabs] =
        amounts;
    Ok(Auction {
        owner: addresses.get_unchecked(0),
        id,
        collateral: addresses.get_unchecked(1),
        debt: addresses.get_unchecked(2),
        vault: addresses.get_unchecked(3),
        debt_vault: addresses.get_unchecked(4),
        collateral_decimals,
        debt_decimals,
        lot,
        tab,
        debt_left,
        debt_to_cover,
        top,
        start,
        dust_tab,
        cap_value,
        end_assets,
        end_liabs,
    })
}

/// Writes `bytes` at `*at` and advances it (plain stores: `copy_from_slice` calls `memcpy`).
#[inline(always)]
fn put_bytes<const N: usize, const L: usize>(buf: &mut [u8; L], at: &mut usize, bytes: [u8; N]) {
    if let Some(dst) = buf
        .get_mut(*at..*at + N)
        .and_then(|s| <&mut [u8; N]>::try_from(s).ok())
    {
        *dst = bytes;
    }
    *at += N;
}

/// The `N` bytes at `*at`, advancing it.
#[inline(always)]
fn take_bytes<const N: usize, const L: usize>(buf: &[u8; L], at: &mut usize) -> [u8; N] {
    let out = buf
        .get(*at..*at + N)
        .and_then(|s| <[u8; N]>::try_from(s).ok())
        .unwrap_or([0u8; N]);
    *at += N;
    out
}

pub fn remove_auction(env: &Env, auction_id: u64) {
    env.storage()
        .persistent()
        .remove(&auction_key(env, auction_id));
}

pub fn account_auctions(env: &Env, owner: &Address, id: u32, extend: bool) -> Vec<u64> {
    persistent(env, &account_key(env, owner, id), extend).unwrap_or_else(|| Vec::new(env))
}

pub fn set_account_auctions(env: &Env, owner: &Address, id: u32, ids: &Vec<u64>) {
    let key = account_key(env, owner, id);
    if ids.is_empty() {
        env.storage().persistent().remove(&key);
    } else {
        put(env, &key, ids);
    }
}

pub fn insurance(env: &Env, asset: &Address) -> i128 {
    persistent(env, &insurance_key(env, asset), false).unwrap_or(0)
}

pub fn set_insurance(env: &Env, asset: &Address, amount: i128) {
    put(env, &insurance_key(env, asset), &amount);
}

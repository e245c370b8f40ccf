//! Storage layout (SPEC §10) and TTL policy.
//!
//! | key | storage | value | written by |
//! |---|---|---|---|
//! | `"config"` | instance | [`Config`] as a tuple ([`codec`]) | constructor, governance, guardian |
//! | `"pool"` | persistent | [`PoolState`] as a tuple ([`codec`]) | every pool-changing call |
//! | holder `Address` | persistent, one per holder | `i128` shares | share movements |
//! | `(from, spender)` | temporary, until its expiration ledger | `(i128, u32)` | `approve`, spends |
//!
//! **One read each.** The configuration and the pool totals are read on every call: each is one
//! entry, stored as a tuple (a host vector unpacked in one call) rather than a named-field struct
//! (a host map matched key by key). The views return the named structs.
//!
//! **Few, small entries for lenders.** A new lender creates exactly one entry: its balance, keyed
//! by its address alone. The pool totals have their own persistent entry, so a deposit rewrites
//! ~100 bytes rather than the whole instance (roles, metadata, config). TTLs follow
//! `governance::ttl` (extended to 30 days when under 29) on every state-changing call.

use governance::ttl;
use soroban_sdk::{contracttype, symbol_short, Address, Env, Symbol};

use crate::codec::{self, StoredConfig, StoredPool};
use crate::error::VaultError;
use crate::params::VaultParams;

const CONFIG: Symbol = symbol_short!("config");
const POOL: Symbol = symbol_short!("pool");

/// Longest allowance, in ledgers: 180 days at 5 s, within mainnet's maximum entry TTL
/// (3,110,400 ledgers). A constant instead of asking the host saves an import on every call.
pub const MAX_ALLOWANCE_LEDGERS: u32 = 180 * governance::ttl::DAY_IN_LEDGERS;

/// The vault's configuration: asset, risk parameters, credit line and pause flags.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Config {
    /// The underlying asset (SEP-41).
    pub asset: Address,
    pub params: VaultParams,
    /// The only address that may borrow, repay and write off (margin-account).
    pub borrower: Option<Address>,
    pub deposits_paused: bool,
    pub borrows_paused: bool,
}

/// The pool totals, in asset base units unless said.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct PoolState {
    /// Shares in circulation.
    pub total_supply: i128,
    /// Assets held by the vault on its own books (donations are not counted).
    pub cash: i128,
    /// Protocol reserve accrued from interest, claimable by governance.
    pub reserves: i128,
    /// Outstanding debt shares of the credit line.
    pub debt_shares: i128,
    /// Assets owed per debt share (raw bits, `2^48` = 1.0).
    pub borrow_index: i128,
    /// Ledger timestamp of the last accrual.
    pub last_accrual: u64,
}

/// An allowance and the ledger it lives until.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AllowanceValue {
    pub amount: i128,
    pub live_until_ledger: u32,
}

pub fn extend_instance(env: &Env) {
    ttl::extend_instance(env);
}

pub fn config(env: &Env) -> Result<Config, VaultError> {
    env.storage()
        .instance()
        .get::<_, StoredConfig>(&CONFIG)
        .map(codec::config_from)
        .ok_or(VaultError::NotInitialized)
}

pub fn set_config(env: &Env, config: &Config) {
    env.storage()
        .instance()
        .set(&CONFIG, &codec::config_to(config));
}

pub fn pool(env: &Env) -> Result<PoolState, VaultError> {
    env.storage()
        .persistent()
        .get::<_, StoredPool>(&POOL)
        .map(codec::pool_from)
        .ok_or(VaultError::NotInitialized)
}

/// Writes the pool totals and extends their TTL.
pub fn set_pool(env: &Env, pool: &PoolState) {
    env.storage().persistent().set(&POOL, &codec::pool_to(pool));
    ttl::extend_persistent(env, &POOL);
}

pub fn balance(env: &Env, holder: &Address) -> i128 {
    env.storage().persistent().get(holder).unwrap_or(0)
}

/// Writes a holder's share balance; a zero balance removes the entry (no rent for empty
/// holders).
pub fn set_balance(env: &Env, holder: &Address, amount: i128) {
    let persistent = env.storage().persistent();
    if amount == 0 {
        persistent.remove(holder);
    } else {
        persistent.set(holder, &amount);
        ttl::extend_persistent(env, holder);
    }
}

/// Adds `amount` shares to `holder`.
///
/// # Errors
/// * [`VaultError::Overflow`] - the balance would exceed `i128::MAX`.
pub fn credit(env: &Env, holder: &Address, amount: i128) -> Result<(), VaultError> {
    let balance = balance(env, holder)
        .checked_add(amount)
        .ok_or(VaultError::Overflow)?;
    set_balance(env, holder, balance);
    Ok(())
}

/// Removes `amount` shares from `holder`.
///
/// # Errors
/// * [`VaultError::InsufficientBalance`] - the holder has fewer shares.
pub fn debit(env: &Env, holder: &Address, amount: i128) -> Result<(), VaultError> {
    let balance = balance(env, holder);
    if balance < amount {
        return Err(VaultError::InsufficientBalance);
    }
    set_balance(env, holder, balance - amount);
    Ok(())
}

/// The live allowance of `spender` over `from`'s shares (zero once expired).
pub fn allowance(env: &Env, from: &Address, spender: &Address) -> AllowanceValue {
    let key = (from.clone(), spender.clone());
    match env.storage().temporary().get::<_, (i128, u32)>(&key) {
        Some((amount, live_until_ledger)) if live_until_ledger >= env.ledger().sequence() => {
            AllowanceValue {
                amount,
                live_until_ledger,
            }
        }
        _ => AllowanceValue {
            amount: 0,
            live_until_ledger: 0,
        },
    }
}

/// Sets an allowance, living until `live_until_ledger`.
///
/// # Errors
/// * [`VaultError::InvalidExpiration`] - a non-zero amount expiring before the current ledger, or
///   more than [`MAX_ALLOWANCE_LEDGERS`] after it.
pub fn set_allowance(
    env: &Env,
    from: &Address,
    spender: &Address,
    amount: i128,
    live_until_ledger: u32,
) -> Result<(), VaultError> {
    let current = env.ledger().sequence();
    let too_late = live_until_ledger.saturating_sub(current) > MAX_ALLOWANCE_LEDGERS;
    if amount > 0 && (live_until_ledger < current || too_late) {
        return Err(VaultError::InvalidExpiration);
    }
    let key = (from.clone(), spender.clone());
    let temporary = env.storage().temporary();
    if amount == 0 {
        temporary.remove(&key);
        return Ok(());
    }
    temporary.set(&key, &(amount, live_until_ledger));
    let live_for = live_until_ledger - current;
    temporary.extend_ttl(&key, live_for, live_for);
    Ok(())
}

/// Spends `amount` of `spender`'s allowance over `from`'s shares.
///
/// # Errors
/// * [`VaultError::InsufficientAllowance`] - the live allowance is below `amount`.
pub fn spend_allowance(
    env: &Env,
    from: &Address,
    spender: &Address,
    amount: i128,
) -> Result<(), VaultError> {
    let allowance = allowance(env, from, spender);
    if allowance.amount < amount {
        return Err(VaultError::InsufficientAllowance);
    }
    if amount == 0 {
        return Ok(());
    }
    let key = (from.clone(), spender.clone());
    let left = (allowance.amount - amount, allowance.live_until_ledger);
    env.storage().temporary().set(&key, &left);
    Ok(())
}

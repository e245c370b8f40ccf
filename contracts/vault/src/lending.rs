//! The credit line entry points (registered borrower only) and the pool views.

use soroban_sdk::{contractimpl, token::TokenClient, Address, Env};

use crate::contract::publish_accrual;
use crate::error::VaultError;
use crate::events::{Borrow, Repay, WriteOff};
use crate::pool::Pool;
use crate::storage::{self, PoolState};
use crate::{Vault, VaultArgs, VaultClient};

/// Loads the pool and requires the registered borrower's auth.
fn load_as_borrower(env: &Env) -> Result<(Pool, Address), VaultError> {
    storage::extend_instance(env);
    let pool = Pool::load(env)?;
    let borrower = pool.borrower()?;
    borrower.require_auth();
    Ok((pool, borrower))
}

#[contractimpl]
impl Vault {
    /// Lends `amount` to `to` on the borrower's credit line; returns the debt shares minted
    /// (rounded up).
    ///
    /// # Errors
    /// `NoBorrower`, `NegativeAmount`, `ZeroAmount`, `BorrowsPaused`, `InsufficientCash`,
    /// `BorrowCapExceeded`, `MaxUtilizationExceeded`.
    ///
    /// # Events
    /// `InterestAccrued` (if any), `Borrow { borrower, to, amount, debt_shares }`.
    ///
    /// # Notes
    /// Requires the registered borrower's auth: nobody else can draw on the vault.
    pub fn borrow(env: Env, amount: i128, to: Address) -> Result<i128, VaultError> {
        let (mut pool, borrower) = load_as_borrower(&env)?;
        let debt_shares = pool.borrow(amount)?;
        let vault = env.current_contract_address();
        TokenClient::new(&env, &pool.config.asset).transfer(&vault, &to, &amount);
        pool.save();
        publish_accrual(&env, &pool);
        Borrow {
            borrower,
            to,
            amount,
            debt_shares,
        }
        .publish(&env);
        Ok(debt_shares)
    }

    /// Takes `amount` from `from` against the credit line; returns the debt shares burned
    /// (rounded down; repaying `ceil(shares * index)` burns exactly `shares`).
    ///
    /// # Errors
    /// `NoBorrower`, `NegativeAmount`, `ZeroAmount`, `ExceedsDebt`.
    ///
    /// # Events
    /// `InterestAccrued` (if any), `Repay { borrower, from, amount, debt_shares }`.
    ///
    /// # Notes
    /// Requires the registered borrower's auth and `from`'s (which covers the asset transfer).
    pub fn repay(env: Env, from: Address, amount: i128) -> Result<i128, VaultError> {
        let (mut pool, borrower) = load_as_borrower(&env)?;
        if from != borrower {
            from.require_auth();
        }
        let debt_shares = pool.repay(amount)?;
        let vault = env.current_contract_address();
        TokenClient::new(&env, &pool.config.asset).transfer(&from, &vault, &amount);
        pool.save();
        publish_accrual(&env, &pool);
        Repay {
            borrower,
            from,
            amount,
            debt_shares,
        }
        .publish(&env);
        Ok(debt_shares)
    }

    /// Writes off `amount` of settled bad debt: the debt leaves the books and lenders bear the
    /// loss. The only call that lowers the share price. Returns the debt shares burned.
    ///
    /// # Errors
    /// `NoBorrower`, `NegativeAmount`, `ZeroAmount`, `ExceedsDebt`.
    ///
    /// # Events
    /// `InterestAccrued` (if any), `WriteOff { borrower, amount, debt_shares, share_price }`.
    ///
    /// # Notes
    /// Requires the registered borrower's auth (margin-account, after the insurance fund paid
    /// what it could; SPEC §7.6).
    pub fn write_off(env: Env, amount: i128) -> Result<i128, VaultError> {
        let (mut pool, borrower) = load_as_borrower(&env)?;
        let debt_shares = pool.write_off(amount)?;
        pool.save();
        publish_accrual(&env, &pool);
        WriteOff {
            borrower,
            amount,
            debt_shares,
            share_price: pool.share_price()?,
        }
        .publish(&env);
        Ok(debt_shares)
    }

    /// Outstanding debt of the credit line with interest accrued to now (rounded up).
    pub fn total_debt(env: Env) -> Result<i128, VaultError> {
        Ok(Pool::load(&env)?.debt)
    }

    /// The borrow index accrued to now, as raw fixed-point bits (`2^48` = 1.0): debt owed by
    /// `s` debt shares is `risk_core::interest::debt_for_shares(s, index, Ceil)`.
    pub fn debt_index(env: Env) -> Result<i128, VaultError> {
        Ok(Pool::load(&env)?.index.to_bits())
    }

    /// What margin-account caches about the vault, in one call, accrued to now (in memory, like
    /// the other views; nothing is written):
    /// `(total_assets, total_supply, borrow_index, max_borrow_rate, timestamp)`.
    ///
    /// - `total_assets`: as [`Vault::total_assets`] (`cash + debt - reserves`);
    /// - `total_supply`: shares in circulation, as [`Vault::total_supply`];
    /// - `borrow_index`: raw fixed-point bits (`2^48` = 1.0), as [`Vault::debt_index`];
    /// - `max_borrow_rate`: the curve's annual rate at 100 % utilization, 7 decimals
    ///   ([`crate::VaultParams::max_borrow_rate`]: `base_rate + slope1 + slope2`, or
    ///   `base_rate + slope1` when `kink` is 1.0); no borrow rate of the curve is higher, so
    ///   `index * (1 + max_borrow_rate * dt / year)` bounds the index `dt` seconds later while
    ///   the parameters stay;
    /// - `timestamp`: the ledger time these values are accrued to (now).
    ///
    /// # Errors
    /// `NotInitialized`, `Overflow`.
    pub fn credit_state(env: Env) -> Result<(i128, i128, i128, i128, u64), VaultError> {
        let pool = Pool::load(&env)?;
        Ok((
            pool.total_assets()?,
            pool.state.total_supply,
            pool.index.to_bits(),
            pool.config.params.max_borrow_rate()?,
            env.ledger().timestamp(),
        ))
    }

    /// The pool totals accrued to now (supply, cash, reserves, debt shares, index, time).
    pub fn pool_state(env: Env) -> Result<PoolState, VaultError> {
        let mut pool = Pool::load(&env)?;
        pool.state.borrow_index = pool.index.to_bits();
        Ok(pool.state)
    }
}

//! The share token's SEP-41 interface, with `soroban-token-sdk` metadata and events.
//!
//! `transfer` takes `to: Address`, as the SEP-41 text does. Accepting a muxed address (CAP-67)
//! would import two more host functions, and every call of the vault pays about 6,500 CPU
//! instructions per imported function when it is instantiated; share tokens have no use for
//! exchange memo ids.
//!
//! Amounts must be positive for movements (`transfer`, `transfer_from`, `burn`, `burn_from`);
//! `approve` accepts zero (revocation). Burning shares without redeeming them forfeits their
//! value to the protocol reserve; the share price does not move.

use soroban_sdk::{contractimpl, Address, Env, String};
use soroban_token_sdk::events::{Approve, Burn, TransferWithAmountOnly};
use soroban_token_sdk::TokenUtils;

use crate::contract::publish_accrual;
use crate::error::VaultError;
use crate::pool::{check_amount, Pool};
use crate::storage;
use crate::{Vault, VaultArgs, VaultClient};

fn move_shares(env: &Env, from: &Address, to: &Address, amount: i128) -> Result<(), VaultError> {
    check_amount(amount)?;
    storage::debit(env, from, amount)?;
    storage::credit(env, to, amount)?;
    TransferWithAmountOnly {
        from: from.clone(),
        to: to.clone(),
        amount,
    }
    .publish(env);
    Ok(())
}

/// Burns `amount` of `from`'s shares. Their value (rounded down) moves to the protocol reserve
/// rather than to the other holders: otherwise burning would be a way to raise the share price
/// at will, which is exactly the lever of the inflation attack (see the crate docs).
fn burn_shares(env: &Env, from: &Address, amount: i128) -> Result<(), VaultError> {
    check_amount(amount)?;
    storage::debit(env, from, amount)?;
    let mut pool = Pool::load(env)?;
    pool.forfeit(amount)?;
    pool.save();
    publish_accrual(env, &pool);
    Burn {
        from: from.clone(),
        amount,
    }
    .publish(env);
    Ok(())
}

#[contractimpl]
impl Vault {
    /// SEP-41: the shares held by `id`.
    pub fn balance(env: Env, id: Address) -> i128 {
        storage::balance(&env, &id)
    }

    /// SEP-41: the live allowance of `spender` over `from`'s shares.
    pub fn allowance(env: Env, from: Address, spender: Address) -> i128 {
        storage::allowance(&env, &from, &spender).amount
    }

    /// SEP-41: lets `spender` move up to `amount` of `from`'s shares until `live_until_ledger`.
    ///
    /// # Errors
    /// `NegativeAmount`, `InvalidExpiration`.
    ///
    /// # Events
    /// `approve` (SEP-41). Requires `from`'s auth.
    pub fn approve(
        env: Env,
        from: Address,
        spender: Address,
        amount: i128,
        live_until_ledger: u32,
    ) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        from.require_auth();
        if amount < 0 {
            return Err(VaultError::NegativeAmount);
        }
        storage::set_allowance(&env, &from, &spender, amount, live_until_ledger)?;
        Approve {
            from,
            spender,
            amount,
            expiration_ledger: live_until_ledger,
        }
        .publish(&env);
        Ok(())
    }

    /// SEP-41: moves `amount` shares from `from` to `to`.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `InsufficientBalance`.
    ///
    /// # Events
    /// `transfer` (SEP-41). Requires `from`'s auth.
    pub fn transfer(env: Env, from: Address, to: Address, amount: i128) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        from.require_auth();
        move_shares(&env, &from, &to, amount)
    }

    /// SEP-41: moves `amount` of `from`'s shares to `to` on `spender`'s allowance.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `InsufficientAllowance`, `InsufficientBalance`.
    ///
    /// # Events
    /// `transfer` (SEP-41). Requires `spender`'s auth.
    pub fn transfer_from(
        env: Env,
        spender: Address,
        from: Address,
        to: Address,
        amount: i128,
    ) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        spender.require_auth();
        check_amount(amount)?;
        storage::spend_allowance(&env, &from, &spender, amount)?;
        move_shares(&env, &from, &to, amount)
    }

    /// SEP-41: destroys `amount` of `from`'s shares; their value goes to the protocol reserve.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `InsufficientBalance`.
    ///
    /// # Events
    /// `burn` (SEP-41). Requires `from`'s auth.
    pub fn burn(env: Env, from: Address, amount: i128) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        from.require_auth();
        burn_shares(&env, &from, amount)
    }

    /// SEP-41: destroys `amount` of `from`'s shares on `spender`'s allowance.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `InsufficientAllowance`, `InsufficientBalance`.
    ///
    /// # Events
    /// `burn` (SEP-41). Requires `spender`'s auth.
    pub fn burn_from(
        env: Env,
        spender: Address,
        from: Address,
        amount: i128,
    ) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        spender.require_auth();
        check_amount(amount)?;
        storage::spend_allowance(&env, &from, &spender, amount)?;
        burn_shares(&env, &from, amount)
    }

    /// SEP-41: decimals of the shares (the asset's).
    pub fn decimals(env: Env) -> u32 {
        TokenUtils::new(&env).metadata().get_metadata().decimal
    }

    /// SEP-41: the share token's name.
    pub fn name(env: Env) -> String {
        TokenUtils::new(&env).metadata().get_metadata().name
    }

    /// SEP-41: the share token's symbol.
    pub fn symbol(env: Env) -> String {
        TokenUtils::new(&env).metadata().get_metadata().symbol
    }
}

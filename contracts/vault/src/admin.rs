//! Governance of the vault (SPEC §8): risk parameters, the borrower and reserve claims go
//! through the timelock; the guardian pauses deposits and new borrows at once, the admin lifts
//! pauses. Redemptions within cash, repayments and write-offs are never paused.
//!
//! **First wiring.** The borrower (margin-account) is deployed after the vaults (SPEC §1), so a
//! vault starts without one. The admin may set it once, directly, while none is set
//! ([`Vault::set_borrower`]): a vault without borrower holds no debt and lends nothing, so the
//! first choice cannot hurt lenders who did not see it coming, and waiting a full delay per
//! vault at deployment buys nothing. Every later change goes through the timelock.

use soroban_sdk::{contractimpl, symbol_short, token::TokenClient, Address, Env, Symbol};

use crate::contract::publish_accrual;
use crate::error::VaultError;
use crate::events::{BorrowerSet, ParamsSet, PauseSet, ReservesClaimed};
use crate::params::VaultParams;
use crate::pool::{check_amount, Pool};
use crate::storage::{self, Config};
use crate::{Vault, VaultArgs, VaultClient};

/// Timelock kind of a parameter change (subject `()`, value [`VaultParams`]).
pub const KIND_PARAMS: Symbol = symbol_short!("params");
/// Timelock kind of a borrower change (subject `()`, value the borrower's address).
pub const KIND_BORROWER: Symbol = symbol_short!("borrower");
/// Timelock kind of a reserve claim (subject `()`, value `(amount, to)`).
pub const KIND_RESERVES: Symbol = symbol_short!("reserves");

#[contractimpl(contracttrait)]
impl governance::Governed for Vault {}

fn set_borrower_in(env: &Env, mut config: Config, borrower: Address) {
    config.borrower = Some(borrower.clone());
    storage::set_config(env, &config);
    BorrowerSet { borrower }.publish(env);
}

fn set_pause(env: &Env, mut config: Config, deposits: bool, borrows: bool) {
    config.deposits_paused = deposits;
    config.borrows_paused = borrows;
    storage::set_config(env, &config);
    PauseSet {
        deposits_paused: deposits,
        borrows_paused: borrows,
    }
    .publish(env);
}

#[contractimpl]
impl Vault {
    /// The configuration: asset, risk parameters, registered borrower and pause flags.
    pub fn config(env: Env) -> Result<Config, VaultError> {
        storage::config(&env)
    }

    /// Queues new risk parameters (validated now and again when applied). Returns the eta.
    ///
    /// # Errors
    /// The validation errors of [`VaultParams::validate`], `AlreadyQueued`.
    ///
    /// # Notes
    /// Admin auth.
    pub fn queue_params(env: Env, params: VaultParams) -> Result<u64, VaultError> {
        storage::extend_instance(&env);
        params.validate()?;
        Ok(governance::timelock::queue(
            &env,
            KIND_PARAMS,
            &(),
            &params,
        )?)
    }

    /// Makes the queued parameters live, after accruing interest under the old curve. Anyone
    /// may call it once the delay has passed.
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`, the validation errors.
    ///
    /// # Events
    /// `ChangeApplied`, `InterestAccrued` (if any), `ParamsSet`.
    pub fn apply_params(env: Env) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        let params: VaultParams = governance::timelock::apply(&env, KIND_PARAMS, &())?;
        params.validate()?;
        let mut pool = Pool::load(&env)?;
        pool.save();
        publish_accrual(&env, &pool);
        pool.config.params = params.clone();
        storage::set_config(&env, &pool.config);
        ParamsSet { params }.publish(&env);
        Ok(())
    }

    /// Drops the queued parameter change. Admin auth.
    pub fn cancel_params(env: Env) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        Ok(governance::timelock::cancel(&env, KIND_PARAMS, &())?)
    }

    /// First wiring: the admin names the borrower at once while none is set (see the module
    /// docs).
    ///
    /// # Errors
    /// `BorrowerAlreadySet` (use `queue_borrower`).
    ///
    /// # Events
    /// `BorrowerSet`.
    pub fn set_borrower(env: Env, borrower: Address) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        governance::require_admin(&env);
        let config = storage::config(&env)?;
        if config.borrower.is_some() {
            return Err(VaultError::BorrowerAlreadySet);
        }
        set_borrower_in(&env, config, borrower);
        Ok(())
    }

    /// Queues a new borrower. Returns the eta. Admin auth.
    pub fn queue_borrower(env: Env, borrower: Address) -> Result<u64, VaultError> {
        storage::extend_instance(&env);
        Ok(governance::timelock::queue(
            &env,
            KIND_BORROWER,
            &(),
            &borrower,
        )?)
    }

    /// Makes the queued borrower live. Anyone may call it after the delay.
    ///
    /// # Events
    /// `ChangeApplied`, `BorrowerSet`.
    pub fn apply_borrower(env: Env) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        let borrower: Address = governance::timelock::apply(&env, KIND_BORROWER, &())?;
        set_borrower_in(&env, storage::config(&env)?, borrower);
        Ok(())
    }

    /// Drops the queued borrower change. Admin auth.
    pub fn cancel_borrower(env: Env) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        Ok(governance::timelock::cancel(&env, KIND_BORROWER, &())?)
    }

    /// Queues a claim of `amount` of the protocol reserve to `to` (treasury or insurance
    /// fund). Returns the eta. Admin auth.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `AlreadyQueued`.
    pub fn queue_claim_reserves(env: Env, amount: i128, to: Address) -> Result<u64, VaultError> {
        storage::extend_instance(&env);
        check_amount(amount)?;
        Ok(governance::timelock::queue(
            &env,
            KIND_RESERVES,
            &(),
            &(amount, to),
        )?)
    }

    /// Pays the queued reserve claim. Anyone may call it after the delay.
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`, `ExceedsReserves`, `InsufficientCash`.
    ///
    /// # Events
    /// `ChangeApplied`, `InterestAccrued` (if any), `ReservesClaimed { to, amount }`.
    pub fn apply_claim_reserves(env: Env) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        let (amount, to): (i128, Address) = governance::timelock::apply(&env, KIND_RESERVES, &())?;
        let mut pool = Pool::load(&env)?;
        pool.claim_reserves(amount)?;
        let vault = env.current_contract_address();
        TokenClient::new(&env, &pool.config.asset).transfer(&vault, &to, &amount);
        pool.save();
        publish_accrual(&env, &pool);
        ReservesClaimed { to, amount }.publish(&env);
        Ok(())
    }

    /// Drops the queued reserve claim. Admin auth.
    pub fn cancel_claim_reserves(env: Env) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        Ok(governance::timelock::cancel(&env, KIND_RESERVES, &())?)
    }

    /// Guardian: pauses deposits and/or new borrows at once (`true` pauses, `false` keeps the
    /// current flag). Redemptions, repayments and write-offs stay open.
    ///
    /// # Events
    /// `PauseSet` with the resulting flags.
    pub fn pause(env: Env, deposits: bool, borrows: bool) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        governance::require_guardian(&env);
        let config = storage::config(&env)?;
        let (d, b) = (
            config.deposits_paused || deposits,
            config.borrows_paused || borrows,
        );
        set_pause(&env, config, d, b);
        Ok(())
    }

    /// Admin: lifts the pause of deposits and/or borrows (`true` lifts, `false` keeps).
    ///
    /// # Events
    /// `PauseSet` with the resulting flags.
    pub fn unpause(env: Env, deposits: bool, borrows: bool) -> Result<(), VaultError> {
        storage::extend_instance(&env);
        governance::require_admin(&env);
        let config = storage::config(&env)?;
        let (d, b) = (
            config.deposits_paused && !deposits,
            config.borrows_paused && !borrows,
        );
        set_pause(&env, config, d, b);
        Ok(())
    }
}

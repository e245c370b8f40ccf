//! Governance: construction, timelocked parameters and insurance moves, the guardian's
//! `stopped` level, and insurance deposits (anyone).

use governance::{timelock, ttl};
use soroban_sdk::{contractimpl, symbol_short, token::TokenClient, Address, Env, Symbol};

use crate::events::{InsuranceChanged, ParamsSet, StoppedSet};
use crate::types::AuctionParams;
use crate::{storage, Error};
use crate::{LiquidationAuction, LiquidationAuctionArgs, LiquidationAuctionClient};

/// Timelock kind of a parameter change (subject `()`).
pub const KIND_PARAMS: Symbol = symbol_short!("auc_param");
/// Timelock kind of an insurance move (subject: the asset; value `(amount, to)`).
pub const KIND_INSURANCE: Symbol = symbol_short!("insurance");

#[contractimpl]
impl LiquidationAuction {
    /// Deploys the auction: governance roles, margin-account, oracle-adapter, parameters.
    ///
    /// # Errors
    /// `InvalidParams`, `InvalidCurve`, the governance init errors.
    pub fn __constructor(
        env: Env,
        admin: Address,
        guardian: Address,
        delay: u64,
        margin: Address,
        adapter: Address,
        params: AuctionParams,
    ) -> Result<(), Error> {
        params.validate()?;
        governance::init(&env, &admin, &guardian, delay)?;
        storage::init(&env, &margin, &adapter, &params);
        ttl::extend_instance(&env);
        Ok(())
    }

    /// Queues new parameters. Returns the eta. Admin auth (required once, by the timelock: a
    /// second `require_auth` of the same address in one call would fail with a real signature).
    ///
    /// # Errors
    /// `InvalidParams`, `InvalidCurve`, `AlreadyQueued`.
    pub fn queue_params(env: Env, params: AuctionParams) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        params.validate()?;
        Ok(timelock::queue(&env, KIND_PARAMS, &(), &params)?)
    }

    /// Applies the queued parameters (anyone, after the delay).
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`.
    ///
    /// # Events
    /// `ParamsSet`.
    pub fn apply_params(env: Env) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let params: AuctionParams = timelock::apply(&env, KIND_PARAMS, &())?;
        storage::set_params(&env, &params);
        ParamsSet { params }.publish(&env);
        Ok(())
    }

    /// Drops the queued parameters. Admin auth (by the timelock).
    pub fn cancel_params(env: Env) -> Result<(), Error> {
        ttl::extend_instance(&env);
        Ok(timelock::cancel(&env, KIND_PARAMS, &())?)
    }

    /// Sets the `stopped` level (SPEC §7.5): 1 no starts, 2 also no resets, 3 also no takes. The
    /// guardian may only raise it; the admin may set any level.
    ///
    /// # Errors
    /// `InvalidStopLevel` (above 3, or a guardian lowering it), `NotGuardian`.
    ///
    /// # Events
    /// `StoppedSet`.
    pub fn set_stopped(env: Env, caller: Address, level: u32) -> Result<(), Error> {
        ttl::extend_instance(&env);
        if level > 3 {
            return Err(Error::InvalidStopLevel);
        }
        if caller == governance::guardian(&env) {
            if level < storage::stopped(&env) {
                return Err(Error::InvalidStopLevel);
            }
        } else if caller != governance::admin(&env) {
            return Err(Error::NotGuardian);
        }
        caller.require_auth();
        storage::set_stopped(&env, level);
        StoppedSet { by: caller, level }.publish(&env);
        Ok(())
    }

    /// Adds `amount` of `asset` from `from` to the insurance fund (anyone).
    ///
    /// # Errors
    /// `ZeroAmount`, `NegativeAmount`.
    ///
    /// # Events
    /// `InsuranceChanged`.
    pub fn fund_insurance(
        env: Env,
        from: Address,
        asset: Address,
        amount: i128,
    ) -> Result<(), Error> {
        ttl::extend_instance(&env);
        if amount <= 0 {
            return Err(if amount < 0 {
                Error::NegativeAmount
            } else {
                Error::ZeroAmount
            });
        }
        from.require_auth();
        TokenClient::new(&env, &asset).transfer(&from, env.current_contract_address(), &amount);
        let balance = storage::insurance(&env, &asset)
            .checked_add(amount)
            .ok_or(Error::Overflow)?;
        storage::set_insurance(&env, &asset, balance);
        InsuranceChanged {
            asset,
            amount,
            balance,
            counterparty: from,
        }
        .publish(&env);
        Ok(())
    }

    /// Queues a move of `amount` of `asset`'s insurance fund to `to`. Admin auth (by the
    /// timelock).
    ///
    /// # Errors
    /// `ZeroAmount`, `NegativeAmount`, `AlreadyQueued`.
    pub fn queue_insurance(
        env: Env,
        asset: Address,
        amount: i128,
        to: Address,
    ) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        if amount <= 0 {
            return Err(if amount < 0 {
                Error::NegativeAmount
            } else {
                Error::ZeroAmount
            });
        }
        Ok(timelock::queue(
            &env,
            KIND_INSURANCE,
            &asset,
            &(amount, to),
        )?)
    }

    /// Applies a queued insurance move (anyone, after the delay).
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`, `InsufficientInsurance`.
    ///
    /// # Events
    /// `InsuranceChanged` (negative amount).
    pub fn apply_insurance(env: Env, asset: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let (amount, to): (i128, Address) = timelock::apply(&env, KIND_INSURANCE, &asset)?;
        let fund = storage::insurance(&env, &asset);
        if amount > fund {
            return Err(Error::InsufficientInsurance);
        }
        storage::set_insurance(&env, &asset, fund - amount);
        TokenClient::new(&env, &asset).transfer(&env.current_contract_address(), &to, &amount);
        InsuranceChanged {
            asset,
            amount: -amount,
            balance: fund - amount,
            counterparty: to,
        }
        .publish(&env);
        Ok(())
    }

    /// Drops a queued insurance move. Admin auth (by the timelock).
    pub fn cancel_insurance(env: Env, asset: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        Ok(timelock::cancel(&env, KIND_INSURANCE, &asset)?)
    }
}

#[contractimpl(contracttrait)]
impl governance::Governed for LiquidationAuction {}

//! The liquidator seam: the entry points only the registered liquidator (liquidation-auction)
//! may call. They move collateral and proceeds without a health check (a liquidation is the one
//! path that may act on an unhealthy account) and without the oracle; the auction sizes its lots
//! from the public `health` and `positions` views and does its own price checks (SPEC §7).
//!
//! - `escrow_collateral`: vault shares of an account's collateral move to the liquidator (the lot).
//! - `credit_debt`: the liquidator's proceeds repay an account's debt, never past zero.
//! - `return_collateral`: the liquidator gives vault shares back to the account (an unsold lot).

use governance::ttl;
use soroban_sdk::{contractimpl, token::TokenClient, Address, Env};

use crate::clients::VaultClient;
use crate::events::{CollateralEscrowed, CollateralReturned};
use crate::ops;
use crate::session::{check_amount, Session};
use crate::{storage, Error};
use crate::{MarginAccount, MarginAccountArgs, MarginAccountClient};

/// Requires the registered liquidator's auth.
///
/// # Errors
/// `NotLiquidator` - none is registered.
fn require_liquidator(env: &Env) -> Result<Address, Error> {
    let liquidator = storage::liquidator(env).ok_or(Error::NotLiquidator)?;
    liquidator.require_auth();
    Ok(liquidator)
}

#[contractimpl]
impl MarginAccount {
    /// Moves `shares` vault shares of the account's collateral in `asset` to the liquidator.
    ///
    /// # Errors
    /// `NotLiquidator`, `NegativeAmount`, `ZeroAmount`, `UnknownAccount`, `UnknownAsset`,
    /// `InsufficientCollateral` (more than the position).
    ///
    /// # Events
    /// `CollateralEscrowed { shares, position }`.
    ///
    /// # Notes
    /// The liquidator's auth.
    pub fn escrow_collateral(
        env: Env,
        owner: Address,
        id: u32,
        asset: Address,
        shares: i128,
    ) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let liquidator = require_liquidator(&env)?;
        check_amount(shares)?;
        let mut s = Session::load(&env, &owner, id, false)?;
        let slot = s.market(&asset)?;
        let pos = s.position(slot);
        if shares > pos {
            return Err(Error::InsufficientCollateral);
        }
        TokenClient::new(&env, &s.markets.get(slot).vault).transfer(&s.me, &liquidator, &shares);
        let m = s.markets.get_mut(slot);
        m.rec.total_shares -= shares;
        let (idx, asset_ref) = (m.rec.index, m.asset.clone());
        s.positions.set(idx, &asset_ref, pos - shares, u32::MAX)?;
        s.finish();
        CollateralEscrowed {
            owner,
            asset,
            id,
            shares,
            position: pos - shares,
        }
        .publish(&env);
        Ok(())
    }

    /// Repays up to `amount` of the account's debt in `asset` from `from` (the auction's
    /// proceeds). Returns the amount repaid.
    ///
    /// # Errors
    /// `NotLiquidator`, `NegativeAmount`, `ZeroAmount`, `UnknownAccount`, `UnknownAsset`, `NoDebt`.
    ///
    /// # Events
    /// `Deposit { repaid }`.
    ///
    /// # Notes
    /// The liquidator's auth, and `from`'s for the transfer.
    pub fn credit_debt(
        env: Env,
        from: Address,
        owner: Address,
        id: u32,
        asset: Address,
        amount: i128,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        require_liquidator(&env)?;
        check_amount(amount)?;
        let mut s = Session::load(&env, &owner, id, false)?;
        let slot = s.market(&asset)?;
        if s.position(slot) >= 0 {
            return Err(Error::NoDebt);
        }
        let c = ops::put(&mut s, &asset, &from, amount, 0)?;
        s.finish();
        Ok(c.repaid)
    }

    /// Takes `shares` vault shares of `asset` back from the liquidator into the account. On a
    /// debt position in the same asset, the shares are redeemed and repay it first.
    ///
    /// # Errors
    /// `NotLiquidator`, `NegativeAmount`, `ZeroAmount`, `UnknownAccount`, `UnknownAsset`.
    ///
    /// # Events
    /// `CollateralReturned { shares, position }` (and `Deposit` on the redeem path).
    ///
    /// # Notes
    /// The liquidator's auth (it covers the share transfer).
    pub fn return_collateral(
        env: Env,
        owner: Address,
        id: u32,
        asset: Address,
        shares: i128,
    ) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let liquidator = require_liquidator(&env)?;
        check_amount(shares)?;
        let mut s = Session::load(&env, &owner, id, false)?;
        let slot = s.market(&asset)?;
        let vault = s.markets.get(slot).vault.clone();
        TokenClient::new(&env, &vault).transfer(&liquidator, &s.me, &shares);
        let pos = s.position(slot);
        if pos >= 0 {
            let m = s.markets.get_mut(slot);
            m.rec.total_shares = m
                .rec
                .total_shares
                .checked_add(shares)
                .ok_or(Error::Overflow)?;
            let (idx, asset_ref) = (m.rec.index, m.asset.clone());
            let new = pos.checked_add(shares).ok_or(Error::Overflow)?;
            // A returned lot never counts against a lowered `max_positions`.
            s.positions.set(idx, &asset_ref, new, u32::MAX)?;
        } else {
            let me = s.me.clone();
            let got = VaultClient::new(&env, &vault).redeem(&shares, &me, &me, &me);
            ops::put(&mut s, &asset, &me, 0, got)?;
        }
        s.finish();
        CollateralReturned {
            owner,
            asset,
            id,
            shares,
            position: s.position(slot),
        }
        .publish(&env);
        Ok(())
    }
}

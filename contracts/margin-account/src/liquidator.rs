//! The liquidator seam: the entry points only the registered liquidator (liquidation-auction)
//! may call. They move collateral and proceeds without a health check (a liquidation is the one
//! path that may act on an unhealthy account) and without the oracle; the auction sizes its lots
//! from `liquidation_view` and does its own price checks (SPEC §7).
//!
//! Each liquidation step enters margin-account once:
//! - `seize` (at `start`): vault shares of the account's collateral are redeemed straight to the
//!   liquidator, which holds the lot as tokens; the bonus and every slice then leave the auction
//!   as plain token transfers, with no vault call.
//! - `settle` (at `take`, and for the insurance fund's payment of bad debt): the proceeds repay
//!   the account's debt and, when the auction closes, the rest of the lot is deposited back into
//!   the account, in one call.

use governance::ttl;
use soroban_sdk::{contractimpl, Address, Env};

use crate::clients::VaultClient;
use crate::events::{CollateralEscrowed, CollateralReturned};
use crate::ops;
use crate::session::{check_amount, Session, Workspace};
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
    /// Takes `shares` vault shares of the account's collateral in `asset` into escrow: the vault
    /// redeems them to the liquidator. Returns the tokens the liquidator received.
    ///
    /// # Errors
    /// `NotLiquidator`, `NegativeAmount`, `ZeroAmount`, `UnknownAccount`, `UnknownAsset`,
    /// `InsufficientCollateral` (more than the position), the vault's `InsufficientCash` (the
    /// vault cannot pay the lot out now: the start fails and can be retried).
    ///
    /// # Events
    /// `CollateralEscrowed { shares, tokens, position }`, the vault's `Withdraw`.
    ///
    /// # Notes
    /// The liquidator's auth.
    pub fn seize(
        env: Env,
        owner: Address,
        id: u32,
        asset: Address,
        shares: i128,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        let liquidator = require_liquidator(&env)?;
        check_amount(shares)?;
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, false, &mut ws)?;
        let slot = s.market(&asset)?;
        let pos = s.position(slot);
        if shares > pos {
            return Err(Error::InsufficientCollateral);
        }
        let vault = VaultClient::new(&env, &s.markets.get(slot).vault);
        let tokens = vault.redeem(&shares, &liquidator, &s.me, &s.me);
        let m = s.markets.get_mut(slot);
        m.rec.total_shares = m
            .rec
            .total_shares
            .checked_sub(shares)
            .ok_or(Error::Overflow)?;
        let (idx, asset_ref) = (m.rec.index, m.asset.clone());
        s.positions.set(idx, &asset_ref, pos - shares, u32::MAX)?;
        s.finish();
        CollateralEscrowed {
            owner,
            asset,
            id,
            shares,
            tokens,
            position: pos - shares,
        }
        .publish(&env);
        Ok(tokens)
    }

    /// Applies a liquidation's proceeds: up to `repay` of the liquidator's `debt` tokens repay
    /// the account's debt in that asset (never past zero), then `returned` tokens of
    /// `collateral` (an unsold lot) go back into the account, as collateral again (or repaying a
    /// debt in that asset first). Either amount may be zero, not both. Returns the amount repaid.
    ///
    /// The returned lot is the account's own collateral: it is taken whatever the asset's mode,
    /// deposit cap or a lowered `max_positions`.
    ///
    /// # Errors
    /// `NotLiquidator`, `NegativeAmount`, `ZeroAmount`, `UnknownAccount`, `UnknownAsset`,
    /// `NoDebt` (`repay > 0` but the account owes nothing in `debt`).
    ///
    /// # Events
    /// `Deposit` per leg, `CollateralReturned { amount, position }`.
    ///
    /// # Notes
    /// The liquidator's auth, and its authorisation of the vaults' `repay` / `deposit` and the
    /// token transfers they make, for exactly these amounts.
    pub fn settle(
        env: Env,
        owner: Address,
        id: u32,
        debt: Address,
        repay: i128,
        collateral: Address,
        returned: i128,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        let liquidator = require_liquidator(&env)?;
        if repay < 0 || returned < 0 {
            return Err(Error::NegativeAmount);
        }
        check_amount(repay.max(returned))?;
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, false, &mut ws)?;
        s.liquidation = true;
        let mut repaid = 0;
        if repay > 0 {
            let slot = s.market(&debt)?;
            if s.position(slot) >= 0 {
                return Err(Error::NoDebt);
            }
            repaid = ops::put(&mut s, &debt, &liquidator, repay, 0)?.repaid;
        }
        if returned > 0 {
            ops::put(&mut s, &collateral, &liquidator, 0, returned)?;
            let slot = s.market(&collateral)?;
            CollateralReturned {
                owner,
                asset: collateral,
                id,
                amount: returned,
                position: s.position(slot),
            }
            .publish(&env);
        }
        s.finish();
        Ok(repaid)
    }
}

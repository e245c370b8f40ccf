//! The keeper entry points and the views. Each entry point: extend the instance TTL, require
//! the auth it needs, run the logic module, which emits its events.

use governance::ttl;
use soroban_sdk::{contractimpl, Address, Bytes, Env, Vec};

use crate::take::{current_price, price_to_abi, TakeArgs};
use crate::types::{Auction, AuctionParams};
use crate::{bad_debt, reset, start, storage, take, Error};
use crate::{LiquidationAuction, LiquidationAuctionArgs, LiquidationAuctionClient};

#[contractimpl]
impl LiquidationAuction {
    /// Starts an auction of `collateral_asset` against `debt_asset` on an account whose maint
    /// health is below 1 (SPEC §7.1). Returns the auction id.
    ///
    /// # Arguments
    /// * `keeper` - receives the start bonus (`tip + chip * tab`, in collateral tokens at spot).
    ///
    /// # Errors
    /// `Stopped` (level >= 1), `SameAsset`, `AccountUnavailable`, `Healthy`, `NoDebt`,
    /// `NoCollateral`, `AuctionLive` (this pair is already auctioned), `CapReached`, `AtTarget`,
    /// the risk-core errors.
    ///
    /// # Events
    /// `AuctionStarted`, `KeeperPaid`; margin-account's `CollateralEscrowed`.
    ///
    /// # Notes
    /// The keeper's auth.
    pub fn start(
        env: Env,
        keeper: Address,
        owner: Address,
        id: u32,
        collateral_asset: Address,
        debt_asset: Address,
    ) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        keeper.require_auth();
        start::start(&env, &keeper, &owner, id, &collateral_asset, &debt_asset)
    }

    /// Buys up to `max_collateral` collateral tokens at `price(now)` (SPEC §7.4). Returns
    /// `(collateral_out, debt_paid)`.
    ///
    /// # Arguments
    /// * `max_price` - the most debt tokens per collateral token the keeper accepts, 14 decimals
    ///   (as the `price` view reports it).
    /// * `receiver` - gets the slice (underlying tokens) before payment.
    /// * `data` - when given, `receiver.on_auction_take(keeper, auction_id, slice, owe, data)` is
    ///   called before `owe` is pulled from `keeper` with `transfer_from` (spender: this contract).
    ///
    /// # Errors
    /// `Stopped` (level 3), `ZeroAmount`, `NegativeAmount`, `UnknownAuction`, `NeedsReset`,
    /// `PriceAboveMax`, `DustRemainder`, `EmptyTake`; a failed callback or pull fails the call.
    ///
    /// # Events
    /// `AuctionTaken`, `InsuranceChanged`, `AuctionClosed`; margin-account's `Deposit` (the
    /// repayment, and the proceeds beyond a debt the owner already repaid).
    ///
    /// If the account now owes less than the auction's `debt_left`, the repayment is capped at
    /// the debt and the auction closes (see the crate docs).
    ///
    /// # Notes
    /// The keeper's auth, and an allowance of `owe` from `keeper` to this contract by the time of
    /// the pull.
    pub fn take(
        env: Env,
        keeper: Address,
        auction_id: u64,
        max_collateral: i128,
        max_price: i128,
        receiver: Address,
        data: Option<Bytes>,
    ) -> Result<(i128, i128), Error> {
        ttl::extend_instance(&env);
        keeper.require_auth();
        let args = TakeArgs {
            keeper,
            auction_id,
            max_collateral,
            max_price,
            receiver,
            data,
        };
        take::take(&env, &args)
    }

    /// Restarts a stale auction (`now - start > tail` or `price / top < cusp`) from a fresh spot
    /// (SPEC §7.5); pays the keeper the bonus only if the tab and the lot are each worth at least
    /// `dust`.
    ///
    /// # Errors
    /// `Stopped` (level >= 2), `UnknownAuction`, `NotResettable`, the adapter's errors.
    ///
    /// # Events
    /// `AuctionReset`, `KeeperPaid`.
    pub fn reset(env: Env, keeper: Address, auction_id: u64) -> Result<(), Error> {
        ttl::extend_instance(&env);
        keeper.require_auth();
        reset::reset(&env, &keeper, auction_id)
    }

    /// Settles an account without collateral (held or in escrow) that still owes (SPEC §7.6):
    /// insurance fund first, then the vault's write-off. Permissionless. Returns the total
    /// written off.
    ///
    /// # Errors
    /// `NotBadDebt`, `NoDebt`, `AccountUnavailable`.
    ///
    /// # Events
    /// `InsuranceChanged`, `BadDebtSettled` per debt asset; margin-account's `DebtWrittenOff`,
    /// the vault's `WriteOff`.
    pub fn settle_bad_debt(env: Env, owner: Address, id: u32) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        bad_debt::settle(&env, &owner, id)
    }

    /// A live auction.
    ///
    /// # Errors
    /// `UnknownAuction`.
    pub fn auction(env: Env, auction_id: u64) -> Result<Auction, Error> {
        storage::auction(&env, auction_id, false)
    }

    /// `price(now)` of an auction (debt tokens per collateral token, 14 decimals, rounded up)
    /// and whether it needs a reset.
    ///
    /// # Errors
    /// `UnknownAuction`.
    pub fn price(env: Env, auction_id: u64) -> Result<(i128, bool), Error> {
        let a = storage::auction(&env, auction_id, false)?;
        let (p, reset) = current_price(&env, &a)?;
        Ok((price_to_abi(p)?, reset))
    }

    /// The account's live auctions.
    pub fn auctions_of(env: Env, owner: Address, id: u32) -> Vec<u64> {
        storage::account_auctions(&env, &owner, id, false)
    }

    /// The auction parameters.
    ///
    /// # Errors
    /// `NotInitialized`.
    pub fn params(env: Env) -> Result<AuctionParams, Error> {
        storage::params(&env)
    }

    /// The insurance fund of `asset` (base units).
    pub fn insurance(env: Env, asset: Address) -> i128 {
        storage::insurance(&env, &asset)
    }

    /// The guardian's `stopped` level (0 to 3).
    pub fn stopped(env: Env) -> u32 {
        storage::stopped(&env)
    }

    /// Debt value under auction `(global, for the collateral asset)` (7 decimals).
    pub fn debt_under_auction(env: Env, collateral: Address) -> (i128, i128) {
        (
            storage::total_debt(&env),
            storage::asset_debt(&env, &collateral),
        )
    }
}

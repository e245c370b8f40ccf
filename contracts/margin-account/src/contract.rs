//! The wallet entry points (SPEC §6.2). Each one: extend the instance TTL → require the auth of
//! the party whose funds move → load the account once → run the actions on it → check health at
//! the end if risk was raised → write back → (events are published by the actions).

use governance::ttl;
use soroban_sdk::{contractimpl, Address, Env, Vec};

use crate::clients::AdapterClient;
use crate::ops::{self, Swap, MAX_TRADES};
use crate::session::{check_amount, Session, Workspace};
use crate::types::{Params, Request, TradeRequest};
use crate::{admin, storage, submit, Error, MarginAccount, MarginAccountArgs, MarginAccountClient};

#[contractimpl]
impl MarginAccount {
    /// Deploys margin-account over `adapter` (its `decimals()` is read once, here).
    ///
    /// # Arguments
    /// * `admin`, `guardian`, `delay` - governance roles and timelock delay (seconds).
    /// * `adapter` - the oracle-adapter.
    /// * `params` - `max_positions`, `ramp_duration`, `sync_interval`.
    ///
    /// # Errors
    /// `InvalidParams`, `InvalidDecimals` (adapter above 24), `DelayTooShort`, `DelayTooLong`.
    ///
    /// # Events
    /// `GovernanceInitialized`, `ParamsSet`.
    pub fn __constructor(
        env: Env,
        admin: Address,
        guardian: Address,
        delay: u64,
        adapter: Address,
        params: Params,
    ) -> Result<(), Error> {
        admin::validate_params(&params)?;
        governance::init(&env, &admin, &guardian, delay)?;
        let decimals = AdapterClient::new(&env, &adapter).decimals();
        if decimals > risk_core::MAX_DECIMALS {
            return Err(Error::InvalidDecimals);
        }
        storage::set_oracle(&env, &adapter, decimals);
        admin::set_params(&env, &params);
        ttl::extend_instance(&env);
        Ok(())
    }

    /// Deposits `amount` of `asset` from the owner into account `(owner, id)`: it repays the
    /// account's debt in the asset first, the rest becomes collateral (vault shares). Opens the
    /// account on first use. Never calls the oracle: works for any account, any price state.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `UnknownAsset`, `AssetNotActive` (new collateral in a
    /// `ReduceOnly` or `Frozen` asset), `DepositCapExceeded`, `TooManyPositions`,
    /// `TooManyAccounts`, vault errors.
    ///
    /// # Events
    /// `AccountOpened` (first deposit), `Deposit`, `VaultSynced` (cache refresh).
    ///
    /// # Notes
    /// The owner's auth (it covers the vault deposit and the token transfer under it).
    pub fn deposit(
        env: Env,
        owner: Address,
        id: u32,
        asset: Address,
        amount: i128,
    ) -> Result<(), Error> {
        ttl::extend_instance(&env);
        owner.require_auth();
        check_amount(amount)?;
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, true, &mut ws)?;
        ops::put(&mut s, &asset, &owner, 0, amount)?;
        ops::close(&s, &[])
    }

    /// As [`MarginAccount::deposit`], paid by `from` into an existing account of `owner`.
    ///
    /// # Errors
    /// As `deposit`, and `UnknownAccount` (it opens nothing).
    ///
    /// # Notes
    /// `from`'s auth.
    pub fn deposit_for(
        env: Env,
        from: Address,
        owner: Address,
        id: u32,
        asset: Address,
        amount: i128,
    ) -> Result<(), Error> {
        ttl::extend_instance(&env);
        from.require_auth();
        check_amount(amount)?;
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, false, &mut ws)?;
        ops::put(&mut s, &asset, &from, 0, amount)?;
        ops::close(&s, &[])
    }

    /// Withdraws `amount` of `asset` from the account's collateral to `to`. Must leave init
    /// health `>= 1` from fresh prices.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `UnknownAccount`, `UnknownAsset`,
    /// `InsufficientCollateral`, `InitHealthTooLow`, `StalePrice`, `PriceUnavailable`.
    ///
    /// # Events
    /// `Withdraw { borrowed: 0 }`.
    ///
    /// # Notes
    /// The owner's auth.
    pub fn withdraw(
        env: Env,
        owner: Address,
        id: u32,
        asset: Address,
        amount: i128,
        to: Address,
    ) -> Result<(), Error> {
        ttl::extend_instance(&env);
        owner.require_auth();
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, false, &mut ws)?;
        ops::take(&mut s, &asset, &to, amount, false)?;
        ops::close(&s, &[])
    }

    /// Sends `amount` of `asset` to `to` on credit: any collateral in the asset is used first,
    /// the rest is borrowed from the vault (a negative position). Must leave init health `>= 1`
    /// and the debt worth at least `min_debt_value`.
    ///
    /// # Errors
    /// As `withdraw`, and `AssetNotActive`, `BorrowCapExceeded`, `DebtBelowMinimum`,
    /// `TooManyPositions`.
    ///
    /// # Events
    /// `Withdraw { borrowed }`.
    ///
    /// # Notes
    /// The owner's auth.
    pub fn borrow(
        env: Env,
        owner: Address,
        id: u32,
        asset: Address,
        amount: i128,
        to: Address,
    ) -> Result<(), Error> {
        ttl::extend_instance(&env);
        owner.require_auth();
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, false, &mut ws)?;
        ops::take(&mut s, &asset, &to, amount, true)?;
        ops::close(&s, &[])
    }

    /// Repays up to `amount` of the account's debt in `asset` from `from`, never past zero (the
    /// excess is not taken). Returns the amount repaid. Never calls the oracle.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `UnknownAccount`, `UnknownAsset`, `NoDebt`.
    ///
    /// # Events
    /// `Deposit { repaid }`.
    ///
    /// # Notes
    /// `from`'s auth.
    pub fn repay(
        env: Env,
        from: Address,
        owner: Address,
        id: u32,
        asset: Address,
        amount: i128,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        from.require_auth();
        check_amount(amount)?;
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, false, &mut ws)?;
        let slot = s.market(&asset)?;
        if s.position(slot) >= 0 {
            return Err(Error::NoDebt);
        }
        let c = ops::put(&mut s, &asset, &from, amount, 0)?;
        ops::close(&s, &[])?;
        Ok(c.repaid)
    }

    /// Sells `amount_in` of `sell_asset` from the account on the listed `venue` and credits the
    /// `buy_asset` bought; returns the amount bought. The sell leg withdraws collateral, then
    /// borrows; the buy leg repays debt, then deposits. The realised price must be within the
    /// assets' `max_trade_slippage` of the oracle's spot ratio, and, unless the trade only repays
    /// debt without borrowing, init health must end `>= 1`.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `SameAsset`, `VenueNotListed`, `MinAmountOut`,
    /// `ZeroOut`, `PriceDeviation`, and those of `borrow` and `deposit`.
    ///
    /// # Events
    /// `Withdraw` (sell leg), `Deposit` (buy leg), `Trade`.
    ///
    /// # Notes
    /// The owner's auth.
    #[allow(clippy::too_many_arguments)]
    pub fn trade(
        env: Env,
        owner: Address,
        id: u32,
        sell_asset: Address,
        buy_asset: Address,
        amount_in: i128,
        min_amount_out: i128,
        venue: Address,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        owner.require_auth();
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, false, &mut ws)?;
        let req = TradeRequest {
            sell_asset,
            buy_asset,
            amount_in,
            min_amount_out,
            venue,
        };
        let swap: Swap = ops::trade(&mut s, &req)?;
        let out = swap.amount_out;
        ops::close(&s, &[Some(swap)])?;
        Ok(out)
    }

    /// Runs `requests` on the account with one health check at the end and the owner's wallet
    /// flows netted per asset (see [`crate::submit`]). Opens the account if a request deposits.
    ///
    /// # Errors
    /// `InvalidRequests` (none, more than `MAX_REQUESTS`, more than `MAX_TRADES` trades or
    /// `MAX_TOUCHED` assets), and the errors of the actions and of the end check.
    ///
    /// # Events
    /// Those of the actions (one `Deposit`/`Withdraw` per netted asset).
    ///
    /// # Notes
    /// The owner's auth.
    pub fn submit(env: Env, owner: Address, id: u32, requests: Vec<Request>) -> Result<(), Error> {
        ttl::extend_instance(&env);
        owner.require_auth();
        let open = submit::opens(&owner, &requests)?;
        let mut ws = Workspace::new(&env);
        let mut s = Session::load(&env, &owner, id, open, &mut ws)?;
        let mut swaps = [const { None }; MAX_TRADES];
        submit::run(&mut s, &requests, &mut swaps)?;
        ops::close(&s, &swaps)
    }

    /// Refreshes the vault cache of each asset from its vault (permissionless; keepers call it
    /// after vault parameter changes and for assets idle for a while). Also extends the TTLs of
    /// the registry and of each asset's config, which calls read without writing.
    ///
    /// # Errors
    /// `UnknownAsset`.
    ///
    /// # Events
    /// `VaultSynced` per asset.
    pub fn sync(env: Env, assets: Vec<Address>) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let now = env.ledger().timestamp();
        for asset in assets.iter() {
            let (vault, rec) = storage::record(&env, &asset)?;
            let mut m = crate::markets::Market {
                asset: asset.clone(),
                vault,
                rec,
                dirty: true,
            };
            crate::markets::refresh(&env, &mut m, now)?;
            storage::set_record(&env, &m.asset, &m.rec);
            storage::touch_config(&env, &asset);
        }
        storage::touch_assets(&env);
        Ok(())
    }
}

//! The SEP-56 tokenized-vault entry points. Each one: extend TTLs → require auth → load the pool
//! (accrued) → compute on it → move tokens → write back → emit events.
//!
//! Operators (SEP-56 / ERC-4626): `operator` authorises the call. On `deposit`/`mint`, when
//! `operator != from` the operator spends `from`'s allowance **on the asset** (the vault calls the
//! asset's `transfer_from` with the operator as spender); on `withdraw`/`redeem`, when
//! `operator != owner` the operator spends `owner`'s allowance **on the shares**.
//!
//! `preview_*` returns exactly what the call would return now, or the typed error the call would
//! fail with for any caller (pauses, the deposit cap, cash on hand, zero results); it cannot know
//! the caller's balance or allowance. `max_*` honours the same limits plus the holder's balance.

use risk_core::Rounding;
use soroban_sdk::{contractimpl, symbol_short, token::TokenClient, Address, Env, String, Val, Vec};
use soroban_token_sdk::events::{Burn, MintWithAmountOnly};
use soroban_token_sdk::metadata::TokenMetadata;
use soroban_token_sdk::TokenUtils;

use crate::error::VaultError;
use crate::events::{Deposit, InterestAccrued, Withdraw};
use crate::params::VaultParams;
use crate::pool::Pool;
use crate::storage::{self, Config, PoolState};
use crate::{Vault, VaultArgs, VaultClient};

/// Moves `assets` of the asset from `from` into the vault, through the operator's allowance
/// when the operator is not `from`.
fn pull_assets(
    env: &Env,
    asset: &Address,
    from: &Address,
    operator: &Address,
    assets: i128,
) -> Result<(), VaultError> {
    let token = TokenClient::new(env, asset);
    let vault = env.current_contract_address();
    if from == operator {
        token.transfer(from, &vault, &assets);
        return Ok(());
    }
    if token.allowance(from, operator) < assets {
        return Err(VaultError::InsufficientAllowance);
    }
    token.transfer_from(operator, from, &vault, &assets);
    Ok(())
}

/// The asset's `decimals()`. Called with an argument vector built from a slice: the token
/// client's empty-vector path would import one more host function, which every call of the
/// vault pays for at instantiation.
fn asset_decimals(env: &Env, asset: &Address) -> u32 {
    let args: Vec<Val> = Vec::from_array(env, []);
    env.invoke_contract(asset, &symbol_short!("decimals"), args)
}

/// Publishes the accrual of this call, if interest accrued.
pub(crate) fn publish_accrual(env: &Env, pool: &Pool) {
    if let Some(a) = pool.accrual {
        InterestAccrued {
            interest: a.interest,
            reserves_added: a.reserves_added,
            borrow_index: pool.index.to_bits(),
        }
        .publish(env);
    }
}

impl Vault {
    /// Shared tail of `deposit` and `mint`: books the deposit, pulls the assets, credits the
    /// shares and publishes the events.
    #[allow(clippy::too_many_arguments)]
    fn finish_deposit(
        env: &Env,
        mut pool: Pool,
        assets: i128,
        shares: i128,
        receiver: Address,
        from: Address,
        operator: Address,
    ) -> Result<(), VaultError> {
        pool.add_deposit(assets, shares)?;
        pull_assets(env, &pool.config.asset, &from, &operator, assets)?;
        storage::credit(env, &receiver, shares)?;
        pool.save();
        publish_accrual(env, &pool);
        MintWithAmountOnly {
            to: receiver.clone(),
            amount: shares,
        }
        .publish(env);
        Deposit {
            operator,
            from,
            receiver,
            assets,
            shares,
        }
        .publish(env);
        Ok(())
    }

    /// Shared tail of `withdraw` and `redeem`: spends the operator's share allowance, burns the
    /// owner's shares, pays the receiver and publishes the events.
    fn finish_withdrawal(
        env: &Env,
        mut pool: Pool,
        assets: i128,
        shares: i128,
        receiver: Address,
        owner: Address,
        operator: Address,
    ) -> Result<(), VaultError> {
        if operator != owner {
            storage::spend_allowance(env, &owner, &operator, shares)?;
        }
        storage::debit(env, &owner, shares)?;
        pool.remove_withdrawal(assets, shares)?;
        let vault = env.current_contract_address();
        TokenClient::new(env, &pool.config.asset).transfer(&vault, &receiver, &assets);
        pool.save();
        publish_accrual(env, &pool);
        Burn {
            from: owner.clone(),
            amount: shares,
        }
        .publish(env);
        Withdraw {
            operator,
            receiver,
            owner,
            assets,
            shares,
        }
        .publish(env);
        Ok(())
    }
}

#[contractimpl]
impl Vault {
    /// Deploys the vault of `asset`, its share token named `name` / `symbol` with the asset's
    /// decimals, governed by `admin` and `guardian` with a timelock of `timelock_delay` seconds.
    ///
    /// # Errors
    /// `InvalidDecimals` (asset above 18 decimals), the `params` validation errors, and the
    /// governance delay bounds (`DelayTooShort`, `DelayTooLong`).
    ///
    /// # Events
    /// `GovernanceInitialized`, `ParamsSet`.
    #[allow(clippy::too_many_arguments)]
    pub fn __constructor(
        env: Env,
        admin: Address,
        guardian: Address,
        timelock_delay: u64,
        asset: Address,
        name: String,
        symbol: String,
        params: VaultParams,
    ) -> Result<(), VaultError> {
        params.validate()?;
        governance::init(&env, &admin, &guardian, timelock_delay)?;
        let decimal = asset_decimals(&env, &asset);
        if decimal > risk_core::MAX_TOKEN_DECIMALS {
            return Err(VaultError::InvalidDecimals);
        }
        TokenUtils::new(&env)
            .metadata()
            .set_metadata(&TokenMetadata {
                decimal,
                name,
                symbol,
            });
        let pool = PoolState {
            total_supply: 0,
            cash: 0,
            reserves: 0,
            debt_shares: 0,
            borrow_index: risk_core::interest::BorrowIndex::ONE.to_bits(),
            last_accrual: env.ledger().timestamp(),
        };
        storage::set_pool(&env, &pool);
        storage::set_config(
            &env,
            &Config {
                asset,
                params: params.clone(),
                borrower: None,
                deposits_paused: false,
                borrows_paused: false,
            },
        );
        crate::events::ParamsSet { params }.publish(&env);
        Ok(())
    }

    /// SEP-56: the underlying asset.
    pub fn query_asset(env: Env) -> Result<Address, VaultError> {
        Ok(storage::config(&env)?.asset)
    }

    /// SEP-56: assets owned by lenders, `cash + debt - reserves`, with interest accrued to now.
    pub fn total_assets(env: Env) -> Result<i128, VaultError> {
        Pool::load(&env)?.total_assets()
    }

    /// SEP-41 / SEP-56: shares in circulation.
    pub fn total_supply(env: Env) -> Result<i128, VaultError> {
        Ok(storage::pool(&env)?.total_supply)
    }

    /// SEP-56: shares worth `assets` at the current price, rounded down.
    ///
    /// # Errors
    /// `NegativeAmount`, `Overflow`.
    pub fn convert_to_shares(env: Env, assets: i128) -> Result<i128, VaultError> {
        Pool::load(&env)?.to_shares(assets, Rounding::Floor)
    }

    /// SEP-56: assets worth `shares` at the current price, rounded down.
    ///
    /// # Errors
    /// `NegativeAmount`, `Overflow`.
    pub fn convert_to_assets(env: Env, shares: i128) -> Result<i128, VaultError> {
        Pool::load(&env)?.to_assets(shares, Rounding::Floor)
    }

    /// SEP-56: most assets `receiver` may deposit now (zero while deposits are paused).
    pub fn max_deposit(env: Env, receiver: Address) -> Result<i128, VaultError> {
        Pool::load(&env)?.max_deposit(&receiver)
    }

    /// SEP-56: shares `deposit(assets)` would mint now, or the error it would fail with.
    pub fn preview_deposit(env: Env, assets: i128) -> Result<i128, VaultError> {
        Pool::load(&env)?.preview_deposit(assets, None)
    }

    /// SEP-56: deposits `assets` from `from`, minting shares (rounded down) to `receiver`.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `DepositsPaused`, `DepositCapExceeded`, `ZeroShares`,
    /// `InsufficientAllowance` (operator other than `from`).
    ///
    /// # Events
    /// `InterestAccrued` (if any), `mint` (SEP-41), `deposit` (SEP-56).
    ///
    /// # Notes
    /// Requires `operator`'s auth (which covers the asset transfer when `operator == from`).
    pub fn deposit(
        env: Env,
        assets: i128,
        receiver: Address,
        from: Address,
        operator: Address,
    ) -> Result<i128, VaultError> {
        storage::extend_instance(&env);
        operator.require_auth();
        let pool = Pool::load(&env)?;
        let shares = pool.preview_deposit(assets, Some(&receiver))?;
        Self::finish_deposit(&env, pool, assets, shares, receiver, from, operator)?;
        Ok(shares)
    }

    /// SEP-56: most shares `receiver` may mint now.
    pub fn max_mint(env: Env, receiver: Address) -> Result<i128, VaultError> {
        Pool::load(&env)?.max_mint(&receiver)
    }

    /// SEP-56: assets `mint(shares)` would take now, or the error it would fail with.
    pub fn preview_mint(env: Env, shares: i128) -> Result<i128, VaultError> {
        Pool::load(&env)?.preview_mint(shares, None)
    }

    /// SEP-56: mints exactly `shares` to `receiver` for the assets they cost (rounded up).
    ///
    /// # Errors
    /// As [`Vault::deposit`] (`ZeroShares` aside).
    ///
    /// # Events
    /// `InterestAccrued` (if any), `mint` (SEP-41), `deposit` (SEP-56).
    pub fn mint(
        env: Env,
        shares: i128,
        receiver: Address,
        from: Address,
        operator: Address,
    ) -> Result<i128, VaultError> {
        storage::extend_instance(&env);
        operator.require_auth();
        let pool = Pool::load(&env)?;
        let assets = pool.preview_mint(shares, Some(&receiver))?;
        Self::finish_deposit(&env, pool, assets, shares, receiver, from, operator)?;
        Ok(assets)
    }

    /// SEP-56: most assets `owner` may withdraw now (their shares' value, within cash).
    pub fn max_withdraw(env: Env, owner: Address) -> Result<i128, VaultError> {
        Pool::load(&env)?.max_withdraw(storage::balance(&env, &owner))
    }

    /// SEP-56: shares `withdraw(assets)` would burn now, or the error it would fail with.
    pub fn preview_withdraw(env: Env, assets: i128) -> Result<i128, VaultError> {
        Pool::load(&env)?.preview_withdraw(assets)
    }

    /// SEP-56: pays exactly `assets` to `receiver`, burning `owner`'s shares (rounded up).
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `InsufficientCash`, `InsufficientBalance`,
    /// `InsufficientAllowance` (operator other than `owner`).
    ///
    /// # Events
    /// `InterestAccrued` (if any), `burn` (SEP-41), `withdraw` (SEP-56).
    ///
    /// # Notes
    /// Requires `operator`'s auth. Never paused.
    pub fn withdraw(
        env: Env,
        assets: i128,
        receiver: Address,
        owner: Address,
        operator: Address,
    ) -> Result<i128, VaultError> {
        storage::extend_instance(&env);
        operator.require_auth();
        let pool = Pool::load(&env)?;
        let shares = pool.preview_withdraw(assets)?;
        Self::finish_withdrawal(&env, pool, assets, shares, receiver, owner, operator)?;
        Ok(shares)
    }

    /// SEP-56: most shares `owner` may redeem now (their balance, within cash).
    pub fn max_redeem(env: Env, owner: Address) -> Result<i128, VaultError> {
        Pool::load(&env)?.max_redeem(storage::balance(&env, &owner))
    }

    /// SEP-56: assets `redeem(shares)` would pay now, or the error it would fail with.
    pub fn preview_redeem(env: Env, shares: i128) -> Result<i128, VaultError> {
        Pool::load(&env)?.preview_redeem(shares)
    }

    /// SEP-56: burns exactly `shares` of `owner`, paying their value (rounded down) to
    /// `receiver`.
    ///
    /// # Errors
    /// `NegativeAmount`, `ZeroAmount`, `ZeroAssets`, `InsufficientCash`, `InsufficientBalance`,
    /// `InsufficientAllowance` (operator other than `owner`).
    ///
    /// # Events
    /// `InterestAccrued` (if any), `burn` (SEP-41), `withdraw` (SEP-56).
    ///
    /// # Notes
    /// Requires `operator`'s auth. Never paused.
    pub fn redeem(
        env: Env,
        shares: i128,
        receiver: Address,
        owner: Address,
        operator: Address,
    ) -> Result<i128, VaultError> {
        storage::extend_instance(&env);
        operator.require_auth();
        let pool = Pool::load(&env)?;
        let assets = pool.preview_redeem(shares)?;
        Self::finish_withdrawal(&env, pool, assets, shares, receiver, owner, operator)?;
        Ok(assets)
    }
}

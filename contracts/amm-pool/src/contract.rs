//! Entry points. Each state-changing one does: extend the instance TTL → require auth (when it
//! spends someone's tokens or shares) → logic on the loaded state ([`crate::pool`]) → event.

use governance::ttl;
use soroban_sdk::{contract, contractimpl, token::TokenClient, Address, Env};

use crate::events::PoolCreated;
use crate::math::{self, Fee};
use crate::pool;
use crate::storage::{self, PoolConfig};
use crate::Error;

#[contract]
pub struct AmmPool;

#[contractimpl]
impl AmmPool {
    /// Deploys an empty pool for the pair `(token_a, token_b)`. The order is the caller's and
    /// only fixes which token is "a" in `reserves`, `tokens` and the events.
    ///
    /// # Arguments
    /// * `token_a`, `token_b` - SEP-41 tokens, distinct.
    /// * `fee` - swap fee, 7-decimal ratio in `[0, MAX_FEE]` (30 bps = `30_000`).
    ///
    /// # Errors
    /// `SameToken`, `InvalidFee`.
    ///
    /// # Events
    /// `PoolCreated { token_a, token_b, fee }`.
    pub fn __constructor(
        env: Env,
        token_a: Address,
        token_b: Address,
        fee: i128,
    ) -> Result<(), Error> {
        if token_a == token_b {
            return Err(Error::SameToken);
        }
        Fee::from_abi(fee)?;
        let config = PoolConfig {
            token_a,
            token_b,
            fee,
        };
        storage::set_config(&env, &config);
        ttl::extend_instance(&env);
        PoolCreated {
            token_a: config.token_a,
            token_b: config.token_b,
            fee,
        }
        .publish(&env);
        Ok(())
    }

    /// The swap venue interface (SPEC §6.4): sells `amount_in` of `token_in`, **already
    /// transferred to the pool in the same transaction**, for `token_out`, paid to `to`.
    ///
    /// # Arguments
    /// * `token_in`, `token_out` - the pair, in either direction.
    /// * `amount_in` - positive; the pool's `token_in` balance must exceed its reserve by at
    ///   least this much.
    /// * `min_out` - the least `amount_out` accepted (`>= 0`).
    /// * `to` - receives `amount_out`.
    ///
    /// # Errors
    /// `SameToken`, `UnknownToken`, `InvalidAmount`, `InsufficientLiquidity`, `AmountTooSmall`
    /// (output rounds to 0), `BelowMinimum`, `InsufficientInput` (not paid), `Overflow`.
    ///
    /// # Events
    /// `Swap { token_in, token_out, amount_in, amount_out, fee_paid, to, reserve_a, reserve_b }`.
    ///
    /// # Notes
    /// No auth: the payment is the authorisation. Any `token_in` surplus above the reserve
    /// (an overpayment or a donation) joins the reserve. Returns `amount_out`, exactly
    /// `quote_exact_in(token_in, amount_in)`.
    pub fn swap_exact_in(
        env: Env,
        token_in: Address,
        token_out: Address,
        amount_in: i128,
        min_out: i128,
        to: Address,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        let config = storage::config(&env);
        let side = config.side(&token_in, &token_out)?;
        check_swap_amounts(amount_in, min_out)?;
        pool::swap(&env, &config, side, amount_in, min_out, &to)
    }

    /// `swap_exact_in` for a wallet: pulls `amount_in` of `token_in` from `trader` (a plain
    /// `transfer` under the trader's auth, no allowance), then swaps it, paying `to`.
    ///
    /// # Errors
    /// As `swap_exact_in`, and the token's own error when `trader` cannot pay.
    ///
    /// # Events
    /// The token's `transfer`, then `Swap`.
    ///
    /// # Notes
    /// Requires `trader`'s auth (covering the token transfer).
    pub fn swap(
        env: Env,
        trader: Address,
        token_in: Address,
        token_out: Address,
        amount_in: i128,
        min_out: i128,
        to: Address,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        trader.require_auth();
        let config = storage::config(&env);
        let side = config.side(&token_in, &token_out)?;
        check_swap_amounts(amount_in, min_out)?;
        TokenClient::new(&env, &token_in).transfer(
            &trader,
            env.current_contract_address(),
            &amount_in,
        );
        pool::swap(&env, &config, side, amount_in, min_out, &to)
    }

    /// Deposits at most `amount_a` and `amount_b` for LP shares. The first deposit takes both
    /// amounts and mints `floor(sqrt(amount_a * amount_b)) - MINIMUM_LIQUIDITY` (the minimum is
    /// locked); a later one mints `min(amount_a * total / reserve_a, amount_b * total /
    /// reserve_b)` rounded down and takes only what those shares are worth, rounded up.
    ///
    /// # Errors
    /// `InvalidAmount` (an amount `<= 0`, `min_shares < 0`), `AmountTooSmall` (no share),
    /// `BelowMinimum` (`shares < min_shares`), `Overflow`, and the token's error when the
    /// provider cannot pay.
    ///
    /// # Events
    /// The tokens' `transfer`s, then `LiquidityAdded`.
    ///
    /// # Notes
    /// Requires `provider`'s auth (covering both transfers). Returns the shares minted.
    pub fn add_liquidity(
        env: Env,
        provider: Address,
        amount_a: i128,
        amount_b: i128,
        min_shares: i128,
    ) -> Result<i128, Error> {
        ttl::extend_instance(&env);
        provider.require_auth();
        if amount_a <= 0 || amount_b <= 0 || min_shares < 0 {
            return Err(Error::InvalidAmount);
        }
        pool::add(&env, &provider, (amount_a, amount_b), min_shares)
    }

    /// Burns `shares` of `provider` for `(floor(shares * reserve_a / total), floor(shares *
    /// reserve_b / total))`, paid to `provider`.
    ///
    /// # Errors
    /// `InvalidAmount` (`shares <= 0`, a negative minimum), `InsufficientShares`,
    /// `AmountTooSmall` (either amount rounds to 0), `BelowMinimum` (`< min_a` or `< min_b`).
    ///
    /// # Events
    /// The tokens' `transfer`s, then `LiquidityRemoved`.
    ///
    /// # Notes
    /// Requires `provider`'s auth. Returns `(amount_a, amount_b)`.
    pub fn remove_liquidity(
        env: Env,
        provider: Address,
        shares: i128,
        min_a: i128,
        min_b: i128,
    ) -> Result<(i128, i128), Error> {
        ttl::extend_instance(&env);
        provider.require_auth();
        if shares <= 0 || min_a < 0 || min_b < 0 {
            return Err(Error::InvalidAmount);
        }
        pool::remove(&env, &provider, shares, (min_a, min_b))
    }

    /// What `swap_exact_in(token_in, other, amount_in, 0, _)` would pay now.
    ///
    /// # Errors
    /// `UnknownToken`, `InvalidAmount`, `InsufficientLiquidity`, `AmountTooSmall`, `Overflow`.
    pub fn quote_exact_in(env: Env, token_in: Address, amount_in: i128) -> Result<i128, Error> {
        let config = storage::config(&env);
        let side = config.side_selling(&token_in)?;
        let (reserve_in, reserve_out) = storage::state(&env).oriented(side);
        math::swap_out(amount_in, reserve_in, reserve_out, config.fee()?).map(|q| q.amount_out)
    }

    /// `(reserve_a, reserve_b)`: the token amounts the pool has accounted for.
    pub fn reserves(env: Env) -> (i128, i128) {
        let state = storage::state(&env);
        (state.reserve_a, state.reserve_b)
    }

    /// `(token_a, token_b)` in constructor order.
    pub fn tokens(env: Env) -> (Address, Address) {
        let config = storage::config(&env);
        (config.token_a, config.token_b)
    }

    /// The swap fee, 7-decimal ratio.
    pub fn fee(env: Env) -> i128 {
        storage::config(&env).fee
    }

    /// The LP shares `provider` holds.
    pub fn shares(env: Env, provider: Address) -> i128 {
        storage::shares(&env, &provider)
    }

    /// Every LP share, including the locked `MINIMUM_LIQUIDITY`.
    pub fn total_shares(env: Env) -> i128 {
        storage::state(&env).total_shares
    }
}

fn check_swap_amounts(amount_in: i128, min_out: i128) -> Result<(), Error> {
    if amount_in <= 0 || min_out < 0 {
        Err(Error::InvalidAmount)
    } else {
        Ok(())
    }
}

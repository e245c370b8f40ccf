//! The pool's operations on its loaded state: validate with [`crate::math`], write the new books,
//! then move tokens and publish the event. Inputs are already checked for sign by the entry
//! points.

use soroban_sdk::{token::TokenClient, Address, Env};

use crate::events::{LiquidityAdded, LiquidityRemoved, Swap};
use crate::math;
use crate::storage::{self, PoolConfig, PoolState, Side};
use crate::Error;

/// Settles a swap of `amount_in` already paid to the pool.
///
/// Payment check: the pool's `token_in` balance must exceed the `token_in` reserve by at least
/// `amount_in`. The reserve is the pool's own book, moved only by its entry points, so a caller
/// who has not paid finds no such surplus (or only a surplus someone left unaccounted, which the
/// first swap selling that token absorbs into the reserve). The new `token_in` reserve is the
/// whole balance.
pub fn swap(
    env: &Env,
    config: &PoolConfig,
    side: Side,
    amount_in: i128,
    min_out: i128,
    to: &Address,
) -> Result<i128, Error> {
    let mut state = storage::state(env);
    let (reserve_in, reserve_out) = state.oriented(side);
    let quote = math::swap_out(amount_in, reserve_in, reserve_out, config.fee()?)?;
    if quote.amount_out < min_out {
        return Err(Error::BelowMinimum);
    }
    let (token_in, token_out) = config.oriented(side);
    let pool = env.current_contract_address();
    let balance_in = TokenClient::new(env, &token_in).balance(&pool);
    // A balance below the reserve (a clawback, say) is a negative surplus: not paid.
    if balance_in.checked_sub(reserve_in).ok_or(Error::Overflow)? < amount_in {
        return Err(Error::InsufficientInput);
    }
    // swap_out pays strictly less than the reserve.
    let new_out = reserve_out - quote.amount_out;
    if !math::k_not_decreased((reserve_in, reserve_out), (balance_in, new_out))? {
        return Err(Error::KDecreased);
    }
    state.set_oriented(side, balance_in, new_out);
    storage::set_state(env, &state);
    TokenClient::new(env, &token_out).transfer(&pool, to, &quote.amount_out);
    Swap {
        token_in,
        token_out,
        amount_in,
        amount_out: quote.amount_out,
        fee_paid: quote.fee_paid,
        to: to.clone(),
        reserve_a: state.reserve_a,
        reserve_b: state.reserve_b,
    }
    .publish(env);
    Ok(quote.amount_out)
}

/// Mints shares for a deposit of at most `max` = `(amount_a, amount_b)` and pulls what they are
/// worth from `provider`.
pub fn add(
    env: &Env,
    provider: &Address,
    max: (i128, i128),
    min_shares: i128,
) -> Result<i128, Error> {
    let config = storage::config(env);
    let state = storage::state(env);
    let reserves = (state.reserve_a, state.reserve_b);
    let deposit = math::deposit(max.0, max.1, reserves, state.total_shares)?;
    if deposit.shares < min_shares {
        return Err(Error::BelowMinimum);
    }
    let minted = deposit
        .shares
        .checked_add(deposit.locked)
        .ok_or(Error::Overflow)?;
    let state = PoolState {
        reserve_a: checked_add(state.reserve_a, deposit.amount_a)?,
        reserve_b: checked_add(state.reserve_b, deposit.amount_b)?,
        total_shares: checked_add(state.total_shares, minted)?,
    };
    let held = checked_add(storage::shares(env, provider), deposit.shares)?;
    storage::set_state(env, &state);
    storage::set_shares(env, provider, held);
    let pool = env.current_contract_address();
    TokenClient::new(env, &config.token_a).transfer(provider, &pool, &deposit.amount_a);
    TokenClient::new(env, &config.token_b).transfer(provider, &pool, &deposit.amount_b);
    LiquidityAdded {
        provider: provider.clone(),
        amount_a: deposit.amount_a,
        amount_b: deposit.amount_b,
        shares: deposit.shares,
        reserve_a: state.reserve_a,
        reserve_b: state.reserve_b,
        total_shares: state.total_shares,
    }
    .publish(env);
    Ok(deposit.shares)
}

/// Burns `shares` of `provider` and pays out their part of both reserves, at least `min`.
pub fn remove(
    env: &Env,
    provider: &Address,
    shares: i128,
    min: (i128, i128),
) -> Result<(i128, i128), Error> {
    let held = storage::shares(env, provider);
    if shares > held {
        return Err(Error::InsufficientShares);
    }
    let config = storage::config(env);
    let state = storage::state(env);
    let reserves = (state.reserve_a, state.reserve_b);
    let (amount_a, amount_b) = math::withdrawal(shares, reserves, state.total_shares)?;
    if amount_a < min.0 || amount_b < min.1 {
        return Err(Error::BelowMinimum);
    }
    // withdrawal pays at most the reserves and `shares <= held <= total`: no underflow.
    let state = PoolState {
        reserve_a: state.reserve_a - amount_a,
        reserve_b: state.reserve_b - amount_b,
        total_shares: state.total_shares - shares,
    };
    storage::set_state(env, &state);
    storage::set_shares(env, provider, held - shares);
    let pool = env.current_contract_address();
    TokenClient::new(env, &config.token_a).transfer(&pool, provider, &amount_a);
    TokenClient::new(env, &config.token_b).transfer(&pool, provider, &amount_b);
    LiquidityRemoved {
        provider: provider.clone(),
        amount_a,
        amount_b,
        shares,
        reserve_a: state.reserve_a,
        reserve_b: state.reserve_b,
        total_shares: state.total_shares,
    }
    .publish(env);
    Ok((amount_a, amount_b))
}

fn checked_add(a: i128, b: i128) -> Result<i128, Error> {
    a.checked_add(b).ok_or(Error::Overflow)
}

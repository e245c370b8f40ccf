//! # keeper-receiver
//!
//! A keeper's own contract for capital-free liquidations (SPEC §7.4 flash take). Its `owner`
//! calls [`KeeperReceiver::liquidate`]; the contract takes from the auction as both `keeper` and
//! `receiver`, sells the slice on the AMM pool named in the call inside `on_auction_take`, and
//! lets the auction pull `owe` of the debt asset. Whatever is left (the auction discount) stays
//! in this contract until the owner `withdraw`s it.
//!
//! ## Auth model
//! - `liquidate`: the owner's auth (only the owner spends this contract's power).
//! - `take(keeper = this contract, ...)`: the auction's `keeper.require_auth()` is satisfied
//!   because this contract is the direct invoker of `take`.
//! - `on_auction_take`: callable only by the configured auction: `auction.require_auth()` holds
//!   only when the auction is the direct invoker; `keeper` must be this contract and the call
//!   must come from a `liquidate` in progress (a flag set for its duration), so nobody can make
//!   this contract sell or approve on someone else's take.
//! - Paying: inside the callback this contract (direct invoker of the token) `approve`s the
//!   auction for exactly `owe`, expiring at the current ledger; the auction then pulls it with
//!   `transfer_from`, where the spender (the auction, the direct invoker of the token) is the one
//!   whose auth is needed. No signature of the owner covers any token movement.
//! - The swap is pay-first: the slice is transferred to the pool (this contract's own transfer)
//!   and `swap_exact_in(.., min_out = owe, to = this contract)` is called; a pool that gives less
//!   than `owe` fails the swap, and so the whole take, with nothing changed.
#![no_std]

use soroban_sdk::xdr::{FromXdr, ToXdr};
use soroban_sdk::{
    contract, contractclient, contracterror, contractimpl, contracttype, symbol_short,
    token::TokenClient, Address, Bytes, Env, Symbol,
};

/// Errors (test-support range shared with the protocol: keeper-receiver uses 490–499 of the
/// auction's range, see docs/ERRORS.md).
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum ReceiverError {
    /// The callback was not part of this contract's own `liquidate`.
    UnexpectedCallback = 490,
    /// `data` is not `(pool, collateral token, debt token)`.
    BadData = 491,
    /// A zero or negative amount.
    InvalidAmount = 492,
}

#[contracttype]
#[derive(Clone)]
enum Key {
    Owner,
    Auction,
    Busy,
}

const BUSY: Symbol = symbol_short!("busy");

#[allow(dead_code)]
#[contractclient(name = "AuctionClient")]
trait AuctionApi {
    fn take(
        env: Env,
        keeper: Address,
        auction_id: u64,
        max_collateral: i128,
        max_price: i128,
        receiver: Address,
        data: Option<Bytes>,
    ) -> (i128, i128);
}

#[allow(dead_code)]
#[contractclient(name = "PoolClient")]
trait PoolApi {
    fn swap_exact_in(
        env: Env,
        token_in: Address,
        token_out: Address,
        amount_in: i128,
        min_out: i128,
        to: Address,
    ) -> i128;
}

#[contract]
pub struct KeeperReceiver;

fn get(env: &Env, key: &Key) -> Address {
    // Both are set by the constructor, which cannot fail.
    env.storage()
        .instance()
        .get(key)
        .unwrap_or_else(|| env.current_contract_address())
}

#[contractimpl]
impl KeeperReceiver {
    pub fn __constructor(env: Env, owner: Address, auction: Address) {
        env.storage().instance().set(&Key::Owner, &owner);
        env.storage().instance().set(&Key::Auction, &auction);
    }

    /// Takes from auction `auction_id` and sells the slice on `pool` (collateral →
    /// debt token). Returns the auction's `(collateral_out, debt_paid)`. Owner's auth.
    pub fn liquidate(
        env: Env,
        auction_id: u64,
        max_collateral: i128,
        max_price: i128,
        pool: Address,
        collateral: Address,
        debt: Address,
    ) -> (i128, i128) {
        get(&env, &Key::Owner).require_auth();
        let me = env.current_contract_address();
        let data = (pool, collateral, debt).to_xdr(&env);
        env.storage().temporary().set(&Key::Busy, &BUSY);
        let out = AuctionClient::new(&env, &get(&env, &Key::Auction)).take(
            &me,
            &auction_id,
            &max_collateral,
            &max_price,
            &me,
            &Some(data),
        );
        env.storage().temporary().remove(&Key::Busy);
        out
    }

    /// The auction's flash-take callback: sells `slice` and approves the auction for `owe`.
    ///
    /// # Errors
    /// `UnexpectedCallback`, `BadData`, `InvalidAmount`.
    pub fn on_auction_take(
        env: Env,
        keeper: Address,
        _auction_id: u64,
        slice: i128,
        owe: i128,
        data: Bytes,
    ) -> Result<(), ReceiverError> {
        get(&env, &Key::Auction).require_auth();
        let me = env.current_contract_address();
        if keeper != me || !env.storage().temporary().has(&Key::Busy) {
            return Err(ReceiverError::UnexpectedCallback);
        }
        if slice < 0 || owe <= 0 {
            return Err(ReceiverError::InvalidAmount);
        }
        let (pool, collateral, debt) = <(Address, Address, Address)>::from_xdr(&env, &data)
            .map_err(|_| ReceiverError::BadData)?;
        if slice > 0 {
            TokenClient::new(&env, &collateral).transfer(&me, &pool, &slice);
            PoolClient::new(&env, &pool).swap_exact_in(&collateral, &debt, &slice, &owe, &me);
        }
        let auction = get(&env, &Key::Auction);
        let expiry = env.ledger().sequence();
        TokenClient::new(&env, &debt).approve(&me, &auction, &owe, &expiry);
        Ok(())
    }

    /// Sends the keeper's profit (`amount` of `token`) to `to`. Owner's auth.
    ///
    /// # Errors
    /// `InvalidAmount`.
    pub fn withdraw(
        env: Env,
        token: Address,
        amount: i128,
        to: Address,
    ) -> Result<(), ReceiverError> {
        get(&env, &Key::Owner).require_auth();
        if amount <= 0 {
            return Err(ReceiverError::InvalidAmount);
        }
        TokenClient::new(&env, &token).transfer(&env.current_contract_address(), &to, &amount);
        Ok(())
    }
}

//! # keeper-receiver
//!
//! A keeper's own contract for capital-free liquidations (SPEC §7.4 flash take). The keeper
//! (the contract's `owner`) calls the auction's `take(keeper = owner, .., receiver = this
//! contract, data = (pool, collateral, debt))`. The slice arrives here; inside
//! `on_auction_take` this contract sells it on the AMM pool for at least `owe` and sends `owe` to
//! the owner, from whom the auction then pulls it (`transfer_from` on the owner's standing
//! allowance to the auction). The rest of the sale (the auction discount) stays here until the
//! owner `withdraw`s it. The owner needs an allowance, not capital.
//!
//! Why the owner, not this contract, calls `take`: Soroban forbids re-entry, so a contract that
//! called `take` could not also receive the auction's `on_auction_take` callback.
//!
//! ## Auth model
//! - `on_auction_take`: callable only by the configured auction (`auction.require_auth()` holds
//!   only when the auction is the direct invoker), and only for takes whose `keeper` is the
//!   owner: nobody else can make this contract sell, and the owner's signature on `take` is what
//!   starts every sale.
//! - The swap is pay-first: the slice is transferred to the pool (this contract's own transfer)
//!   and `swap_exact_in(.., min_out = owe, to = this contract)` is called; a pool that gives less
//!   than `owe` fails the swap, and so the whole take, with nothing changed.
//! - `withdraw`: the owner's auth.
#![no_std]

use soroban_sdk::xdr::FromXdr;
use soroban_sdk::{
    contract, contractclient, contracterror, contractimpl, contracttype, token::TokenClient,
    Address, Bytes, Env,
};

/// Errors (test-support range shared with the protocol: keeper-receiver uses 490–499 of the
/// auction's range, see docs/ERRORS.md).
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum ReceiverError {
    /// The callback's `keeper` is not the owner.
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

    /// The auction's flash-take callback: sells `slice` on the pool in `data` for at least `owe`
    /// and sends `owe` to the owner (the keeper), whom the auction then pulls it from.
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
        if keeper != get(&env, &Key::Owner) {
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
        TokenClient::new(&env, &debt).transfer(&me, &keeper, &owe);
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

//! TEST ONLY: a malicious flash-take receiver. Its `on_auction_take` accepts the slice and
//! returns without approving or paying anything, so the auction's pull of `owe` must fail and
//! the whole take with it (SPEC §7.4: nothing changes). Never deploy.
#![no_std]

use soroban_sdk::{contract, contractimpl, Address, Bytes, Env};

#[contract]
pub struct BadReceiver;

#[contractimpl]
impl BadReceiver {
    /// Keeps the slice, pays nothing.
    pub fn on_auction_take(
        _env: Env,
        _keeper: Address,
        _auction_id: u64,
        _slice: i128,
        _owe: i128,
        _data: Bytes,
    ) {
    }
}

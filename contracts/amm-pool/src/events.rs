//! AMM pool events. Each carries the reserves (and share supply) after the call, so an indexer
//! follows the pool from events alone, including donations absorbed by a swap.

use soroban_sdk::{contractevent, Address};

/// The pool's fixed configuration, published by the constructor.
#[contractevent]
#[derive(Clone, Debug)]
pub struct PoolCreated {
    pub token_a: Address,
    pub token_b: Address,
    /// 7-decimal ratio.
    pub fee: i128,
}

/// `amount_in` of `token_in` was sold for `amount_out` of `token_out`, paid to `to`.
#[contractevent]
#[derive(Clone, Debug)]
pub struct Swap {
    #[topic]
    pub token_in: Address,
    #[topic]
    pub token_out: Address,
    pub amount_in: i128,
    pub amount_out: i128,
    /// Part of `amount_in` kept as the LPs' fee.
    pub fee_paid: i128,
    pub to: Address,
    pub reserve_a: i128,
    pub reserve_b: i128,
}

/// `provider` deposited `amount_a` and `amount_b` for `shares`.
#[contractevent]
#[derive(Clone, Debug)]
pub struct LiquidityAdded {
    #[topic]
    pub provider: Address,
    pub amount_a: i128,
    pub amount_b: i128,
    pub shares: i128,
    pub reserve_a: i128,
    pub reserve_b: i128,
    pub total_shares: i128,
}

/// `provider` burned `shares` for `amount_a` and `amount_b`.
#[contractevent]
#[derive(Clone, Debug)]
pub struct LiquidityRemoved {
    #[topic]
    pub provider: Address,
    pub amount_a: i128,
    pub amount_b: i128,
    pub shares: i128,
    pub reserve_a: i128,
    pub reserve_b: i128,
    pub total_shares: i128,
}

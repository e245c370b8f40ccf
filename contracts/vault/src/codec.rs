//! Storage forms of the two entries read on every call (see [`crate::storage`]): tuples, which
//! the host packs and unpacks as one vector, instead of named-field structs, which it matches as
//! a map key by key.

use soroban_sdk::{contracttype, Address};

use crate::params::VaultParams;
use crate::storage::{Config, PoolState};

const DEPOSITS_PAUSED: u32 = 1;
const BORROWS_PAUSED: u32 = 2;

/// [`Config`] in storage: asset, borrower, pause flags (bit 0 deposits, bit 1 borrows), then
/// `base_rate, slope1, kink, slope2, reserve_factor, max_utilization, deposit_cap, borrow_cap`.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct StoredConfig(
    pub Address,
    pub Option<Address>,
    pub u32,
    pub i128,
    pub i128,
    pub i128,
    pub i128,
    pub i128,
    pub i128,
    pub i128,
    pub i128,
);

/// [`PoolState`] in storage, fields in declaration order.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct StoredPool(pub i128, pub i128, pub i128, pub i128, pub i128, pub u64);

pub fn config_to(c: &Config) -> StoredConfig {
    let p = &c.params;
    let flags =
        (c.deposits_paused as u32 * DEPOSITS_PAUSED) | (c.borrows_paused as u32 * BORROWS_PAUSED);
    StoredConfig(
        c.asset.clone(),
        c.borrower.clone(),
        flags,
        p.base_rate,
        p.slope1,
        p.kink,
        p.slope2,
        p.reserve_factor,
        p.max_utilization,
        p.deposit_cap,
        p.borrow_cap,
    )
}

pub fn config_from(s: StoredConfig) -> Config {
    Config {
        asset: s.0,
        borrower: s.1,
        deposits_paused: s.2 & DEPOSITS_PAUSED != 0,
        borrows_paused: s.2 & BORROWS_PAUSED != 0,
        params: VaultParams {
            base_rate: s.3,
            slope1: s.4,
            kink: s.5,
            slope2: s.6,
            reserve_factor: s.7,
            max_utilization: s.8,
            deposit_cap: s.9,
            borrow_cap: s.10,
        },
    }
}

pub fn pool_to(p: &PoolState) -> StoredPool {
    StoredPool(
        p.total_supply,
        p.cash,
        p.reserves,
        p.debt_shares,
        p.borrow_index,
        p.last_accrual,
    )
}

pub fn pool_from(s: StoredPool) -> PoolState {
    PoolState {
        total_supply: s.0,
        cash: s.1,
        reserves: s.2,
        debt_shares: s.3,
        borrow_index: s.4,
        last_accrual: s.5,
    }
}

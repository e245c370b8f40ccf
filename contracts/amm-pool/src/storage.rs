//! Storage layout.
//!
//! - Instance (loaded by every call, so kept small): the fixed [`PoolConfig`] and the
//!   [`PoolState`] (both reserves and the share supply, one value: every state-changing call
//!   rewrites it whole).
//! - Persistent, per provider: `Shares(provider)`, the provider's LP shares. Removed when it
//!   falls to zero, so an exited provider pays no rent.
//!
//! Writes extend the TTL of what they write (governance::ttl); reads extend nothing, so views
//! stay read-only.

use governance::ttl;
use soroban_sdk::{contracttype, panic_with_error, Address, Env};

use crate::math::Fee;
use crate::Error;

#[contracttype]
#[derive(Clone)]
enum DataKey {
    Config,
    State,
    Shares(Address),
}

/// The pair and the fee, fixed at construction.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct PoolConfig {
    pub token_a: Address,
    pub token_b: Address,
    /// 7-decimal ratio, validated by [`Fee::from_abi`] at construction.
    pub fee: i128,
}

/// Which way a swap goes.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Side {
    /// Sells `token_a` for `token_b`.
    AToB,
    /// Sells `token_b` for `token_a`.
    BToA,
}

impl PoolConfig {
    /// The fee, re-validated on load (cheap, and no unchecked path from storage to the math).
    pub fn fee(&self) -> Result<Fee, Error> {
        Fee::from_abi(self.fee)
    }

    /// The side that sells `token_in`.
    ///
    /// # Errors
    /// [`Error::UnknownToken`] - `token_in` is not one of the pair.
    pub fn side_selling(&self, token_in: &Address) -> Result<Side, Error> {
        if *token_in == self.token_a {
            Ok(Side::AToB)
        } else if *token_in == self.token_b {
            Ok(Side::BToA)
        } else {
            Err(Error::UnknownToken)
        }
    }

    /// The side that sells `token_in` for `token_out`.
    ///
    /// # Errors
    /// [`Error::SameToken`] - `token_in == token_out`; [`Error::UnknownToken`] - either is not
    /// one of the pair.
    pub fn side(&self, token_in: &Address, token_out: &Address) -> Result<Side, Error> {
        if token_in == token_out {
            return Err(Error::SameToken);
        }
        let side = self.side_selling(token_in)?;
        if *token_out == self.oriented(side).1 {
            Ok(side)
        } else {
            Err(Error::UnknownToken)
        }
    }

    /// `(token_in, token_out)` of `side`.
    pub fn oriented(&self, side: Side) -> (Address, Address) {
        match side {
            Side::AToB => (self.token_a.clone(), self.token_b.clone()),
            Side::BToA => (self.token_b.clone(), self.token_a.clone()),
        }
    }
}

/// The pool's books. The reserves are what the pool has accounted for, not its token balances:
/// tokens sent to it outside an entry point sit unaccounted until a swap selling that token
/// absorbs them (see the crate docs).
#[contracttype]
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub struct PoolState {
    pub reserve_a: i128,
    pub reserve_b: i128,
    /// All shares, including the locked [`crate::MINIMUM_LIQUIDITY`].
    pub total_shares: i128,
}

impl PoolState {
    /// `(reserve_in, reserve_out)` of `side`.
    pub fn oriented(&self, side: Side) -> (i128, i128) {
        match side {
            Side::AToB => (self.reserve_a, self.reserve_b),
            Side::BToA => (self.reserve_b, self.reserve_a),
        }
    }

    /// Sets the reserves from `(reserve_in, reserve_out)` of `side`.
    pub fn set_oriented(&mut self, side: Side, reserve_in: i128, reserve_out: i128) {
        match side {
            Side::AToB => (self.reserve_a, self.reserve_b) = (reserve_in, reserve_out),
            Side::BToA => (self.reserve_b, self.reserve_a) = (reserve_in, reserve_out),
        }
    }
}

pub fn config(env: &Env) -> PoolConfig {
    env.storage()
        .instance()
        .get(&DataKey::Config)
        .unwrap_or_else(|| panic_with_error!(env, Error::NotInitialized))
}

pub fn set_config(env: &Env, config: &PoolConfig) {
    env.storage().instance().set(&DataKey::Config, config);
}

pub fn state(env: &Env) -> PoolState {
    env.storage()
        .instance()
        .get(&DataKey::State)
        .unwrap_or_default()
}

pub fn set_state(env: &Env, state: &PoolState) {
    env.storage().instance().set(&DataKey::State, state);
}

/// The LP shares `provider` holds (0 when none).
pub fn shares(env: &Env, provider: &Address) -> i128 {
    env.storage()
        .persistent()
        .get(&DataKey::Shares(provider.clone()))
        .unwrap_or(0)
}

/// Records `provider`'s shares; zero removes the entry.
pub fn set_shares(env: &Env, provider: &Address, shares: i128) {
    let key = DataKey::Shares(provider.clone());
    if shares == 0 {
        env.storage().persistent().remove(&key);
    } else {
        env.storage().persistent().set(&key, &shares);
        ttl::extend_persistent(env, &key);
    }
}

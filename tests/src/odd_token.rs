//! A token whose `decimals()` the test sets (Stellar asset contracts always report 7): for the
//! listing checks of the vault (asset decimals at construction) and margin-account (token
//! decimals at `apply_asset`), including a token that changes its answer between the two. It
//! runs natively in the test host and holds no balances: listing reads nothing else.

use soroban_sdk::{contract, contractimpl, symbol_short, Address, Env, String, Symbol};

const DECIMALS: Symbol = symbol_short!("decimals");

#[contract]
pub struct OddToken;

#[contractimpl]
impl OddToken {
    pub fn __constructor(env: Env, decimals: u32) {
        env.storage().instance().set(&DECIMALS, &decimals);
    }

    /// Changes what `decimals()` reports from now on.
    pub fn set_decimals(env: Env, decimals: u32) {
        env.storage().instance().set(&DECIMALS, &decimals);
    }

    pub fn decimals(env: Env) -> u32 {
        env.storage().instance().get(&DECIMALS).unwrap_or(0)
    }

    pub fn name(env: Env) -> String {
        String::from_str(&env, "Odd")
    }

    pub fn symbol(env: Env) -> String {
        String::from_str(&env, "ODD")
    }

    pub fn balance(_env: Env, _id: Address) -> i128 {
        0
    }
}

/// Registers an [`OddToken`] reporting `decimals`.
pub fn deploy<'a>(env: &Env, decimals: u32) -> OddTokenClient<'a> {
    let id = env.register(OddToken, (decimals,));
    OddTokenClient::new(env, &id)
}

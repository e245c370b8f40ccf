//! The calls margin-account makes to other contracts, declared as small local client traits (only
//! the functions used, with mirrors of the types they return) so that this crate does not link
//! the other contracts' code into its WASM.

use soroban_sdk::{contractclient, contracterror, Address, Bytes, Env, Vec};

/// The vault calls (SPEC §5): SEP-56 deposit/withdraw/redeem on margin-account's own share
/// balance, the credit line, and the one view the sync cache reads.
#[allow(dead_code)]
#[contractclient(name = "VaultClient")]
pub trait VaultApi {
    fn query_asset(env: Env) -> Address;
    fn deposit(env: Env, assets: i128, receiver: Address, from: Address, operator: Address)
        -> i128;
    fn withdraw(
        env: Env,
        assets: i128,
        receiver: Address,
        owner: Address,
        operator: Address,
    ) -> i128;
    fn redeem(env: Env, shares: i128, receiver: Address, owner: Address, operator: Address)
        -> i128;
    fn borrow(env: Env, amount: i128, to: Address) -> i128;
    fn repay(env: Env, from: Address, amount: i128) -> i128;
    /// `(total_assets, total_supply, borrow_index_bits, max_borrow_rate_7dec, timestamp)`,
    /// accrued to now (vault `credit_state`).
    fn credit_state(env: Env) -> (i128, i128, i128, i128, u64);
}

/// The adapter error margin-account tells apart (oracle-adapter's code 101); every other
/// refusal is reported as `PriceUnavailable`.
#[contracterror]
#[derive(Copy, Clone, Debug, Eq, PartialEq)]
#[repr(u32)]
pub enum AdapterError {
    Stale = 101,
}

#[allow(dead_code)]
#[contractclient(name = "AdapterClient")]
pub trait AdapterApi {
    fn decimals(env: Env) -> u32;
    /// The quotes of `assets`, 64 bytes each (`risk_core::PackedQuote`), in order.
    fn quotes_packed(env: Env, assets: Vec<Address>) -> Result<Bytes, AdapterError>;
}

/// The swap venue interface (SPEC §6.4), pay-first: the caller transfers `amount_in` of
/// `token_in` to the venue earlier in the transaction.
#[allow(dead_code)]
#[contractclient(name = "VenueClient")]
pub trait VenueApi {
    fn swap_exact_in(
        env: Env,
        token_in: Address,
        token_out: Address,
        amount_in: i128,
        min_out: i128,
        to: Address,
    ) -> i128;
}

//! The calls margin-account makes to other contracts, declared as small local client traits (only
//! the functions used, with mirrors of the types they return) so that this crate does not link
//! the other contracts' code into its WASM.

use soroban_sdk::{contractclient, contracterror, contracttype, Address, Env, Vec};

/// A vault's pool totals accrued to now (mirror of `vault::PoolState`, same field names).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct PoolState {
    pub total_supply: i128,
    pub cash: i128,
    pub reserves: i128,
    pub debt_shares: i128,
    pub borrow_index: i128,
    pub last_accrual: u64,
}

/// A vault's risk parameters (mirror of `vault::VaultParams`).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct VaultParams {
    pub base_rate: i128,
    pub slope1: i128,
    pub kink: i128,
    pub slope2: i128,
    pub reserve_factor: i128,
    pub max_utilization: i128,
    pub deposit_cap: i128,
    pub borrow_cap: i128,
}

/// A vault's configuration (mirror of `vault::storage::Config`).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct VaultConfig {
    pub asset: Address,
    pub params: VaultParams,
    pub borrower: Option<Address>,
    pub deposits_paused: bool,
    pub borrows_paused: bool,
}

/// The vault calls (SPEC §5): SEP-56 deposit/withdraw/redeem on margin-account's own share
/// balance, the credit line, and the two views the sync cache reads.
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
    fn pool_state(env: Env) -> PoolState;
    fn config(env: Env) -> VaultConfig;
}

/// One asset's prices from oracle-adapter (mirror of `oracle_adapter::Quote`).
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Quote {
    pub spot: i128,
    pub low: i128,
    pub high: i128,
    pub timestamp: u64,
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
    fn quotes(env: Env, assets: Vec<Address>) -> Result<Vec<Quote>, AdapterError>;
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

//! The ABI types of margin-account: asset configuration, global parameters, `submit` requests and
//! the `health` view.

use soroban_sdk::{contracttype, Address};

/// What an asset may be used for (SPEC §6.3). Ordered from loosest to tightest; the guardian may
/// only move a mode toward `Frozen`.
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq, PartialOrd, Ord)]
#[repr(u32)]
pub enum AssetMode {
    /// Deposits, borrows and trades in both directions.
    Active = 0,
    /// No new debt and no new collateral in this asset; reducing either is allowed.
    ReduceOnly = 1,
    /// Only repay, withdrawal (if healthy) and liquidation.
    Frozen = 2,
}

/// An asset's risk configuration as governance queues it (SPEC §6.3). Ratios with 7 decimals
/// (`10_000_000` = 1.0); `min_debt_value` in the base currency with 7 decimals; caps in the
/// asset's base units (`i128::MAX`: no cap).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AssetConfig {
    /// The asset's vault (one per asset; fixed once listed).
    pub vault: Address,
    pub asset_weight_init: i128,
    pub asset_weight_maint: i128,
    pub liab_weight_init: i128,
    pub liab_weight_maint: i128,
    /// Extra share of a liquidated debt charged to the account (funds the keeper and the
    /// insurance fund).
    pub liquidation_penalty: i128,
    /// Smallest debt position a borrow or trade may open or leave after raising it.
    pub min_debt_value: i128,
    /// Largest gap between a trade's realised price and the oracle's spot ratio.
    pub max_trade_slippage: i128,
    /// Largest collateral the protocol holds in the asset (base units).
    pub deposit_cap: i128,
    /// Largest debt the protocol owes in the asset (base units).
    pub borrow_cap: i128,
    pub mode: AssetMode,
}

/// Global parameters (timelocked).
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Params {
    /// Most positions an account may open (SPEC §3, derived from the benchmark).
    pub max_positions: u32,
    /// Seconds over which a tightened maintenance weight moves to its new value (SPEC §8).
    pub ramp_duration: u64,
    /// An asset's vault cache is refreshed by a call that touches the vault when it is older than
    /// this (seconds; 0: on every touch). See the crate docs.
    pub sync_interval: u64,
}

/// One action of `submit`. The owner is the account's owner; `Repay` pays from the owner.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Request {
    /// `(asset, amount)`: as `deposit`.
    Deposit(Address, i128),
    /// `(asset, amount, to)`: as `withdraw`.
    Withdraw(Address, i128, Address),
    /// `(asset, amount, to)`: as `borrow`.
    Borrow(Address, i128, Address),
    /// `(asset, amount)`: as `repay` from the owner.
    Repay(Address, i128),
    /// As `trade`.
    Trade(TradeRequest),
}

/// The arguments of `trade`.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct TradeRequest {
    pub sell_asset: Address,
    pub buy_asset: Address,
    pub amount_in: i128,
    pub min_amount_out: i128,
    pub venue: Address,
}

/// An account's health as the `health` view returns it (SPEC §6.2): factors and weighted sums,
/// 7 decimals; a factor is `i128::MAX` when there are no liabilities. Collateral rounds down,
/// liabilities up.
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Health {
    pub init: i128,
    pub maint: i128,
    pub assets_init: i128,
    pub liabs_init: i128,
    pub assets_maint: i128,
    pub liabs_maint: i128,
}

/// An asset's vault cache (see the crate docs), as the `vault_cache` view returns it. Fixed-point
/// values are raw `I80F48` bits (`2^48` = 1.0).
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct VaultCache {
    /// Assets per vault share at the last sync, rounded down.
    pub share_price: i128,
    /// The vault's borrow index at the last sync.
    pub debt_index: i128,
    /// The vault curve's annual rate at full utilization, rounded up.
    pub max_rate: i128,
    /// Ledger time of the last sync.
    pub synced_at: u64,
    /// Vault shares held for all accounts.
    pub total_shares: i128,
    /// Debt shares owed by all accounts.
    pub total_debt_shares: i128,
}

//! # margin-account
//!
//! Isolated, cross-margined accounts (SPEC §3, §6): wallets deposit collateral into the vaults,
//! borrow from them and trade with leverage on listed swap venues; every call that can raise risk
//! ends with init health `>= 1` from fresh prices or fails with nothing changed.
//!
//! **Who calls it.** Wallets (`deposit`, `deposit_for`, `withdraw`, `borrow`, `repay`, `trade`,
//! `submit`); anyone (`sync`, the views, `apply_*` after the timelock); governance (`queue_*`,
//! `cancel_*`, the `Governed` entry points); the guardian (`set_mode`); liquidation-auction (the
//! liquidator seam, [`liquidator`]). It calls oracle-adapter (`quotes`), the vaults (it is their
//! only borrower) and the venues.
//!
//! ## Accounts and positions
//! An account is `(owner, id)`, opened by its owner's first deposit; an owner has up to
//! [`MAX_ACCOUNTS_PER_OWNER`]. A position is a signed number of **shares**: vault shares held by
//! margin-account for the account (collateral, earning the vault's yield) when positive, vault
//! debt shares when negative. All of an account's positions live in one persistent entry (the
//! assets' addresses and 20 bytes per position); an account has at most `max_positions`
//! (default 16, ceiling [`MAX_POSITIONS_LIMIT`]). Tokens move straight between wallets, vaults and venues:
//! margin-account holds vault shares, never idle tokens.
//!
//! ## Health without calling the vaults: the sync cache
//! A health check makes exactly **one** cross-contract call, `quotes` for all the account's
//! assets, whatever the number of positions. Shares are valued through a per-asset cache of the
//! vault's rates, kept in the asset's record:
//! ```text
//! collateral tokens = floor(shares * share_price)              share_price at the last sync
//! debt tokens       = ceil(debt_shares * index_bound(now))
//! index_bound(now)  = debt_index * (1 + c + c^2)^n + slack     x = max_rate * (now - synced_at) / year
//! ```
//! (see [`math::index_bound`]). Both err on the protocol's side: a vault's share price only rises
//! (except by `write_off`, which margin-account itself triggers and then resyncs), and the debt
//! index grows at most at the curve's rate at full utilization, compounded — the bound is above
//! it. The cache is refreshed from the vault (one `credit_state` call) by the permissionless
//! `sync(assets)`, at listing, and by any call that moves tokens through the vault when the cache
//! is older than `sync_interval` (default 1 h; 0: on every touch); a repayment that could clear
//! the debt, or a sale that could exhaust the collateral, always refreshes it, so neither
//! overshoots. A vault parameter change takes effect here at the next refresh: keepers `sync`
//! after the vault's `ParamsSet`.
//!
//! ## Risk rules (SPEC §3)
//! - **Risk-raising** (`withdraw`, `borrow`, a `trade` that borrows or buys collateral, a
//!   `submit` holding any of them): after all the moves, one health check from fresh quotes:
//!   `assets_init >= liabs_init`, and every debt that grew worth at least its `min_debt_value`;
//!   else the whole call fails. An account left without debt has unbounded init health and
//!   needs no quotes (a debt-free withdrawal works with stale prices).
//! - **Risk-lowering** (`deposit`, `deposit_for`, `repay`) never calls the adapter: they work
//!   with stale prices, for unhealthy accounts, in any mode (new collateral needs `Active`).
//! - **Trades** are always checked against the oracle's spot ratio (`max_trade_slippage`, the
//!   stricter of the two assets): a trade that only sells collateral to repay debt may end below
//!   init health only if it raises init health (SPEC §3), and never skips the price check,
//!   because a manipulated venue must not be able to drain an unhealthy account's collateral. The venue is pay-first: the sell leg's withdrawal or
//!   borrow pays it directly.
//!
//! ## Governance (SPEC §8)
//! Listing and config changes (`queue_asset` / `apply_asset`), venues, parameters and the
//! liquidator are timelocked. Tightened maint weights ramp linearly over `ramp_duration`
//! (default 7 days) from their current ramped value ([`config`]); init weights and loosened maint
//! weights change at once. The guardian tightens modes (`Active` → `ReduceOnly` → `Frozen`) at
//! once; no mode blocks repay, deposit that repays, or withdrawal.
//!
//! ## Cost
//! Measured by `tests/src/bench/margin.rs` on the `-Oz` WASM build (figures in the lead's
//! `BENCHMARKS.md`). What shapes them: one `quotes` call per health check, whose argument is the
//! account entry's own asset list (no registry lookup); one persistent entry per account; per
//! position, one asset-record read (keyed by the bare asset address: no key vector to build)
//! from which only the health fields are read, with plain loads, into a small flat struct
//! (`copy_from_slice` and moves of large structs compile to `memcpy` calls under
//! `opt-level = "z"`, several times dearer in the VM); instance storage holds only scalars, since
//! every call deserialises it; rarely taken arithmetic (ramps, the debt-index bound) is out of
//! line.
//!
//! ## Invariants
//! - Per asset, the accounts' shares sum to the asset's `total_shares` (margin-account's share
//!   balance in the vault) and their debt shares to `total_debt_shares` (the vault's debt shares).
//! - No risk-raising call ends with `health_factor(init) < 1`; a failed call changes nothing.
//!
//! Layout: [`contract`] (wallet entry points), [`views`], [`admin`] (governance), [`liquidator`]
//! (the seam), [`submit`]; logic in [`session`], [`ops`], [`health`], [`config`], [`risk`],
//! [`math`]; layouts in [`storage`], [`record`], [`account`]; [`clients`], [`events`], [`types`],
//! [`error`].
#![no_std]

#[cfg(test)]
extern crate std;

pub mod account;
pub mod admin;
pub mod clients;
pub mod config;
pub mod contract;
pub mod error;
pub mod events;
pub mod health;
mod liquidation_seam;
pub mod liquidator;
pub mod markets;
pub mod math;
pub mod ops;
pub mod quote_cache;
pub mod raw;
pub mod record;
pub mod risk;
pub mod session;
pub mod storage;
pub mod submit;
pub mod types;
pub mod views;

pub use account::MAX_POSITIONS_LIMIT;
pub use error::Error;
pub use events::*;
pub use session::MAX_ACCOUNTS_PER_OWNER;
pub use types::*;

/// The margin-account contract. Declared at the crate root so that the entry points of every
/// module ([`contract`], [`views`], [`admin`], [`liquidator`]) share its generated client.
#[soroban_sdk::contract]
pub struct MarginAccount;

/// The code version, exported only by the `upgrade-v2` build that the upgrade tests install over
/// the normal one (`tests/tests/upgrades.rs`).
#[cfg(feature = "upgrade-v2")]
#[soroban_sdk::contractimpl]
impl MarginAccount {
    /// 2: this is the second build.
    pub fn version() -> u32 {
        2
    }
}

/// Default `max_positions` (SPEC §3; derived from the benchmark, see the crate's bench notes).
pub const DEFAULT_MAX_POSITIONS: u32 = 16;
/// Default haircut ramp: 7 days.
pub const DEFAULT_RAMP_DURATION: u64 = 7 * 86_400;
/// Default vault-cache age that triggers a refresh on touch: 1 hour.
pub const DEFAULT_SYNC_INTERVAL: u64 = 3_600;

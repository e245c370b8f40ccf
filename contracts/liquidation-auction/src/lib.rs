//! # liquidation-auction
//!
//! Dutch auctions of unhealthy margin accounts (SPEC §7). Keepers `start` an auction on an
//! account whose maint health is below 1, `take` collateral at a price that starts above the
//! oracle's spot ratio and falls on a governance-chosen curve, `reset` stale auctions, and
//! `settle_bad_debt` of accounts left with debt and no collateral. Governance sets the parameters
//! and moves the insurance fund through the timelock; the guardian sets the `stopped` level.
//!
//! **Who calls it.** Keepers (`start`, `take`, `reset`, `settle_bad_debt`), anyone (views,
//! `fund_insurance`, `apply_*`), governance (`queue_*`, `cancel_*`, `Governed`), the guardian
//! (`set_stopped`). It calls margin-account (its registered liquidator: `liquidation_view`,
//! `seize`, `settle`, `write_off_debt`, `positions`, `asset_config`), the collateral and debt
//! tokens (transfers of the lot, `transfer_from` of the proceeds), oracle-adapter (`quotes` on
//! reset) and a keeper's receiver (`on_auction_take`). It never calls a vault itself: every vault
//! call runs inside margin-account's `seize` / `settle`, authorised by this contract.
//!
//! ## Sizing (SPEC §3, §7.1)
//! `start` makes one view call to margin-account for the account's LiquidationEnd sums and the
//! pair, then risk-core's `debt_to_cover` (target `1 + target_buffer`, capped by the debt, the
//! collateral and the room under `max_auction_debt` and `max_asset_debt`),
//! `tab = debt_to_cover × (1 + penalty)`, and `lot_size` (the tab at spot times `lot_margin`, capped by the position).
//! Several live auctions per account (one per pair): each start adds back, to the account's sums,
//! every live auction's recorded effect (its debt repaid, its lot beyond the tab returned),
//! scaled by the share of its debt still to repay.
//!
//! ## Lots are held as tokens; one margin-account call per step
//! Each contract a call enters costs a VM instantiation (~0.4M CPU instructions, BENCHMARKS.md),
//! so each step enters margin-account once and no vault directly:
//! - `start` reads the account (`liquidation_view`), sizes the auction, and `seize`s the lot:
//!   margin-account redeems the account's vault shares straight to this contract, which holds
//!   the lot as collateral tokens. The keeper's bonus is then a plain token transfer.
//! - `take` sends the slice as a token transfer, pulls `owe`, and makes one `settle` call that
//!   repays the account's debt and, when the take closes the auction, deposits the rest of the
//!   lot back into the account.
//!
//! The price of this: a lot in escrow no longer earns the collateral vault's yield, and a start
//! needs the collateral vault to have the lot's tokens in cash (`InsufficientCash` otherwise:
//! the start fails, changes nothing, and can be retried once the vault has cash, or on another
//! collateral). The shares design had the same need at every take instead.
//!
//! ## Take and payment (SPEC §7.4)
//! The slice goes to `receiver`, then the optional callback, then `owe` is pulled from `keeper`
//! with `transfer_from` (this contract as spender): a keeper approves the auction once; a
//! keeper without capital names its keeper-receiver as `receiver`, which sells the slice inside
//! the callback and sends `owe` to the keeper before the pull. Proceeds repay the account's debt first
//! (through margin-account, which repays the vault from this contract's balance); the rest of
//! `owe` is the penalty, credited to the insurance fund of the debt asset. When the tab is paid
//! the rest of the lot goes back to the account; when the lot runs out first, the unpaid tab stays
//! the account's debt.
//!
//! ## The account repaid under a live auction
//! If the account's debt in the asset falls below the auction's `debt_left` by another path (the
//! owner repaid), margin-account refuses the pre-authorised repayment and the take's first
//! attempt changes nothing; the take then reads the account's exact debt, repays that, credits
//! the penalty still due (`tab - debt_left`) to the insurance fund, deposits the rest of the
//! proceeds back into the account (`settle`; to the owner if margin-account refuses the deposit)
//! and closes the auction, returning the rest of the lot (likewise to the owner if the account
//! cannot take it back). Takes never fail forever.
//!
//! ## Invariants
//! - No slice is sold below `price(now)` and no auction collects more than its tab (risk-core's
//!   `take` rounds `owe` up and the slice down).
//! - Escrowed lots + paid slices and bonuses + returned collateral = what left the account.
//! - Losses appear only in `settle_bad_debt`, insurance first, each step in an event.
//!
//! Layout: [`contract`] (keeper entry points, views), [`admin`] (governance); logic in
//! [`start`], [`take`], [`reset`], [`bad_debt`], [`payout`], [`pricing`]; [`storage`],
//! [`types`], [`events`], [`clients`], [`error`].
#![no_std]

pub mod admin;
pub mod bad_debt;
pub mod clients;
pub mod contract;
pub mod error;
pub mod events;
pub mod payout;
pub mod pricing;
pub mod reset;
pub mod start;
pub mod storage;
pub mod take;
pub mod types;

pub use error::Error;
pub use events::*;
pub use types::*;

/// The liquidation-auction contract.
#[soroban_sdk::contract]
pub struct LiquidationAuction;

/// The code version, exported only by the `upgrade-v2` build that the upgrade tests install over
/// the normal one (`tests/tests/upgrades.rs`).
#[cfg(feature = "upgrade-v2")]
#[soroban_sdk::contractimpl]
impl LiquidationAuction {
    /// 2: this is the second build.
    pub fn version() -> u32 {
        2
    }
}

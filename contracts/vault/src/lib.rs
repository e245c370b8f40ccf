//! # vault
//!
//! The lending pool of one listed asset (SPEC §5), and a SEP-56 tokenized vault whose shares are
//! a SEP-41 token.
//!
//! **Who calls it.** Lenders deposit and redeem (`deposit`, `mint`, `withdraw`, `redeem`, or an
//! operator on their behalf); margin-account, the one registered borrower, draws on the credit
//! line (`borrow`, `repay`, `write_off`); governance sets parameters through the timelock and
//! claims reserves; the guardian pauses deposits and new borrows.
//!
//! **Invariants** (checked by the tests after every step):
//! - solvency: `cash + debt >= total_assets + reserves >= what lenders can redeem`;
//! - the share price `(total_assets + 1) / (total_supply + 1)` never falls except by
//!   `write_off`; every rounding favours the vault (see [`pool`]);
//! - share balances sum to `total_supply`;
//! - nothing pauses a redemption within cash, a repayment or a write-off.
//!
//! **Inflation attack.** The attack needs a way to raise the share price of a nearly empty vault
//! without minting shares; the vault has none. (1) It keeps its own books: `cash` is what came in
//! through its entry points, never its token balance, so a donated transfer does not move the
//! price. (2) Burning shares (SEP-41 `burn`) forfeits their value to the protocol reserve, not to
//! the other holders. (3) Conversions carry one virtual share and one virtual asset unit
//! (`risk_core::interest`), so the empty vault has a price of exactly 1 and shares keep the
//! asset's decimals. The price then moves only by interest (which needs real debt over real time)
//! and write-offs, so a later depositor loses at most the rounding of one share; a deposit too
//! small to mint a share fails with `ZeroShares` instead of taking the assets. A larger virtual
//! offset (OpenZeppelin's decimals offset) would only make an impossible attack dearer, at the
//! price of shares with more decimals than their asset.
//!
//! **Interest.** On every interaction the borrow index accrues simple interest since the last
//! one at the kinked curve's rate for the current utilization (`debt / total_assets`);
//! interactions compound. `reserve_factor` of each accrual goes to the reserve.
//!
//! **For margin-account.** `debt_index()` returns the index as raw fixed-point bits (`2^48` =
//! 1.0); an account holding `s` debt shares owes
//! `risk_core::interest::debt_for_shares(s, BorrowIndex::from_bits(index), Rounding::Ceil)`, and
//! repaying exactly that amount burns exactly `s` shares. `repay(from, amount)` needs the
//! borrower's auth and `from`'s; deposits with `receiver` = the borrower are never paused.
//!
//! **Cost.** Every call instantiates the WASM, and instantiation is priced per imported host
//! function (~6,500 CPU instructions each) and per export (~2,300 each), on top of the linear
//! memory (see `build.rs`: a 64 KiB stack instead of 1 MiB). Hence the choices that look
//! incidental: storage tuples ([`codec`]), short vector-format events, `transfer(to: Address)`,
//! no host query for the longest allowance. Measured figures: `tests/src/bench/vault.rs`.
//!
//! Layout: [`contract`] (SEP-56 entry points), [`token`] (SEP-41), [`lending`] (credit line and
//! pool views), [`admin`] (governance), [`pool`] and [`credit`] (the logic on the loaded state),
//! [`storage`] and [`codec`], [`params`], [`events`], [`error`].
#![no_std]

pub mod admin;
pub mod codec;
pub mod contract;
pub mod credit;
pub mod error;
pub mod events;
pub mod lending;
pub mod params;
pub mod pool;
pub mod storage;
pub mod token;

/// The vault contract: one instance per listed asset. Declared at the crate root so that the
/// entry points of every module share its generated client.
#[soroban_sdk::contract]
pub struct Vault;

/// The code version, exported only by the `upgrade-v2` build that the upgrade tests install over
/// the normal one (`tests/tests/upgrades.rs`).
#[cfg(feature = "upgrade-v2")]
#[soroban_sdk::contractimpl]
impl Vault {
    /// 2: this is the second build.
    pub fn version() -> u32 {
        2
    }
}

pub use error::VaultError;
pub use params::VaultParams;
/// The SEP-41 events the share token publishes (`mint`, `burn`, `transfer`, `approve`).
pub use soroban_token_sdk::events as token_events;
pub use storage::{Config, PoolState};

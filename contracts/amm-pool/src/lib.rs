//! # amm-pool
//!
//! A constant-product pool (`x * y = k`) for one token pair: the swap venue of SPEC §6.4. The
//! protocol ships it for local runs, tests, the simulator and testnet: margin-account `trade`s
//! through it, and keepers sell seized collateral on it inside a flash-take callback. It is
//! permissionless: no admin, no pause, no upgrade; the pair and the fee are fixed at
//! construction.
//!
//! Who calls it:
//! - **swappers**: `swap_exact_in` (contracts that pay first: margin-account, keeper receivers)
//!   and `swap` (wallets: the pool pulls the input under the trader's auth);
//! - **liquidity providers**: `add_liquidity`, `remove_liquidity`;
//! - **anyone**: the views `quote_exact_in`, `reserves`, `tokens`, `fee`, `shares`,
//!   `total_shares`.
//!
//! ## How input arrives: pay first, then call
//!
//! `swap_exact_in(token_in, token_out, amount_in, min_out, to)` expects the caller to have
//! transferred `amount_in` of `token_in` to the pool **earlier in the same transaction** (the
//! Uniswap v2 pattern). The pool keeps its own books (the reserves), moved only by its entry
//! points, and accepts the swap only if its `token_in` balance exceeds the `token_in` reserve by
//! at least `amount_in`; so a caller who did not pay is refused with `InsufficientInput`. The
//! pattern needs no allowance entry (cheaper), and margin-account can have a vault withdrawal
//! pay the pool directly. A payment made in one transaction and a swap in a later one can be
//! taken by anyone who swaps in between: wallets use `swap`, which pulls and swaps at once.
//!
//! Unaccounted tokens (an overpayment, a donation) are absorbed into the reserve by the next
//! swap that sells that token: they go to the LPs, never to a later swapper's credit.
//!
//! ## Math (see [`math`])
//!
//! ```text
//! fee_paid   = ceil(amount_in * fee / 1.0)              fee: 7 decimals, at most MAX_FEE (10%)
//! amount_out = floor(reserve_out * (amount_in - fee_paid) / (reserve_in + amount_in - fee_paid))
//! first deposit: shares = floor(sqrt(a * b)) - MINIMUM_LIQUIDITY (locked forever)
//! later:         shares = floor(min(a * total / reserve_a, b * total / reserve_b)),
//!                takes ceil(shares * reserve / total) of each token
//! withdrawal:    floor(shares * reserve / total) of each token
//! ```
//!
//! Every rounding favours the pool. Products go through a 256-bit intermediate, so reserves up
//! to `i128::MAX` are exact; a result that does not fit `i128` is `Overflow`.
//!
//! ## Invariants
//! - `reserve_a * reserve_b` never decreases on a swap (checked exactly, `KDecreased`), and a swap
//!   pays out strictly less than the output reserve;
//! - reserves are at most the pool's balances; shares of all providers plus the locked
//!   `MINIMUM_LIQUIDITY` sum to `total_shares`; once liquidity exists, both reserves stay
//!   positive (the locked shares are never burned and no withdrawal may round to zero);
//! - a failed call changes nothing.
//!
//! LP shares are internal balances (`shares`, `total_shares`), not a SEP-41 token: the token
//! surface (transfers, allowances, metadata) would enlarge the wasm that every swap loads, at
//! about 12,000 instructions per KB (SPEC §10), for a feature the protocol does not use.
#![no_std]

mod contract;
mod error;
mod events;
pub mod math;
mod pool;
mod storage;

pub use contract::{AmmPool, AmmPoolArgs, AmmPoolClient};
pub use error::Error;
pub use events::*;
pub use math::{FEE_ONE, MAX_FEE, MINIMUM_LIQUIDITY};
pub use storage::{PoolConfig, PoolState};

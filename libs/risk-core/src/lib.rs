//! # risk-core
//!
//! The protocol's fixed-point arithmetic and account-health computation (SPEC §2, §3), as a
//! host-free `no_std` library. The contracts run it in WASM (margin-account for every health
//! check, liquidation-auction for sizing); the keeper and the simulator run the same code
//! natively, so an off-chain answer is the on-chain answer.
//!
//! ## Representation
//!
//! Every quantity inside is [`Fx`] = `fixed::types::I80F48` (80 integer bits with the sign, 48
//! fraction bits), wrapped in a newtype per scale so they cannot be mixed: [`Ratio`] (weights,
//! haircuts, health factors), [`Value`] (base currency, USD), [`Price`] (USD per whole token) and
//! [`Tokens`] (whole tokens, signed).
//!
//! - **Range.** `±6.04e23`. The largest position the protocol values is `1e30` base units of an
//!   18-decimal token (`1e12` tokens) at `1e10` USD: `1e22` USD, 60x below the limit, so sums
//!   over many such positions still fit. Anything larger is a typed [`RiskError::Overflow`].
//! - **Precision.** `2^-48 ≈ 3.55e-15`. That is finer than the adapter's 14-decimal price grid,
//!   so a price of `1e-10` USD keeps every digit the adapter reported (relative step `3.6e-5`,
//!   the adapter's own is `1e-4`), and a value's error is a few `1e-15` USD per step.
//! - **Alternatives.** `I64F64` tops out at `9.2e18` (too small for `1e22` USD); `I96F32` has a
//!   step of `2.3e-10`, coarser than the smallest price. One representation for every newtype
//!   means no conversion between representations on any path.
//! - **Cost.** Measured in the Soroban host, a `fixed` `I80F48` product costs about 3,600 CPU
//!   instructions and a division about 42,000, and the VM (wasmi, eager fuel) charges every
//!   instruction of a `block` frame on entry, taken or not, plus 67 fuel per call site. So the
//!   per-position health path does no fixed-point division and is straight-line code on `u64`
//!   halves: one path for both signs; the amount is split into whole tokens and remainder once
//!   (`10^d = 2^d * 5^d`, divided with native 64-bit divisions); token units and weights are
//!   converted once at config time ([`AssetRisk`]); products of non-negative numbers use an
//!   exact 32-bit-limb multiply with explicit rounding; no call to the software 128-bit
//!   multiply, divide or shift helpers, and no overflow-panic sites (bounds proven, or checked
//!   into a [`RiskError`]). Measured on the `-Oz` WASM build: about 13,400 CPU instructions per
//!   position (`tests/tests/health_cost.rs`). Divisions are left to `fixed`, off that path
//!   (health factors, sizing).
//!
//! ## Boundary scales
//!
//! Ratios and health values cross the ABI as `i128` with [`ABI_DECIMALS`] (7, [`ABI_SCALE`] =
//! 1.0); prices with the adapter's decimals ([`DEFAULT_PRICE_DECIMALS`] = 14); token amounts in
//! base units with the token's decimals (0 to [`MAX_TOKEN_DECIMALS`]).
//!
//! ## Rounding policy
//!
//! Every conversion and product takes a [`Rounding`]; nothing rounds implicitly. The protocol's
//! favour decides: collateral values, collateral weights and health factors round down
//! ([`Rounding::Floor`]); debt values and liability weights round up ([`Rounding::Ceil`]). Each
//! step is monotone, so more collateral or a higher price never lowers health, more debt never
//! raises it, and the computed init health never exceeds maint health.
//!
//! ## Errors
//!
//! Arithmetic never wraps, saturates or panics on bad input: every failure is a [`RiskError`]
//! (codes 1–99, docs/ERRORS.md). The one deliberate clamp is a health factor above `6e23`, which
//! reads as unbounded (see [`health_factor`]): it hides no loss.

#![no_std]

pub mod adapter_record;
pub mod auction;
mod error;
mod health;
mod health_sums;
pub mod interest;
pub mod liquidation;
mod math;
mod newtype;
pub mod oracle;
pub mod packed_quote;
mod price;
mod ratio;
mod scale;
mod tokens;
mod value;
mod weights;

pub use auction::{
    keeper_bonus, needs_reset, price, reset_bonus_due, take, top_price, AuctionAsset, AuctionPrice,
    Bonus, BonusBasis, Curve, PairUnits, Take,
};
pub use error::RiskError;
pub use health::{health_factor, health_factor_to_abi, AssetRisk, HealthType, WeightedSums};
pub use health_sums::{compute_health, Health, HealthAbi, HealthSums};
pub use liquidation::{
    collateral_move_to_liquidation, debt_to_cover, lot_size, price_move_to_liquidation, Cover,
    CoverLimit, SizingLeg, SizingParams,
};
pub use packed_quote::{PackedQuote, PACKED_QUOTE_LEN};
pub use price::{Price, Quote};
pub use ratio::Ratio;
pub use scale::{
    pow10, Fx, Rounding, ABI_DECIMALS, ABI_HEALTH_UNBOUNDED, ABI_SCALE, DEFAULT_PRICE_DECIMALS,
    FRAC_BITS, MAX_DECIMALS, MAX_TOKEN_DECIMALS,
};
pub use tokens::{token_value, TokenUnit, Tokens};
pub use value::Value;
pub use weights::{validate_weights, RiskWeights};

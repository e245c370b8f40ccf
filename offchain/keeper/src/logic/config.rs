//! What the keeper is told: who it is, which contracts it watches, how it takes.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::keys::ContractId;

/// 1.0 in the protocol's 7-decimal ratios.
pub const ONE: i128 = 10_000_000;
/// 1.0 in the 14-decimal auction prices (`price` view).
pub const PRICE_ONE: i128 = 100_000_000_000_000;

/// When to take a live auction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Take as soon as `price <= reference * (1 - min_profit)`.
    Eager,
    /// Wait for `extra` (7 decimals) more discount than `min_profit`: more profit per take, at
    /// the risk of an eager competitor taking first.
    Patient {
        /// Additional discount over `min_profit`, 7 decimals.
        extra: i128,
    },
}

impl Strategy {
    /// The discount (7 decimals) the auction price must reach under the reference.
    pub fn required_discount(&self, min_profit: i128) -> i128 {
        match self {
            Strategy::Eager => min_profit,
            Strategy::Patient { extra } => min_profit.saturating_add(*extra),
        }
    }
}

/// Where the reference price (debt base units per collateral base unit, 14 decimals, as the
/// auction's `price` view) comes from: the price the keeper can sell the lot for elsewhere.
pub trait ReferencePrices {
    /// The reference price of `collateral` in `debt` (strkeys), if known.
    fn price(&self, collateral: &str, debt: &str) -> Option<i128>;
}

/// A fixed table of reference prices, updated by whoever drives the keeper (the simulator
/// sets it from its off-chain market each step; the CLI from the deployment file's feed).
#[derive(Debug, Clone, Default)]
pub struct FixedPrices(pub HashMap<(String, String), i128>);

impl FixedPrices {
    /// Sets the price of `collateral` in `debt`.
    pub fn set(&mut self, collateral: &str, debt: &str, price: i128) {
        self.0
            .insert((collateral.to_owned(), debt.to_owned()), price);
    }
}

impl ReferencePrices for FixedPrices {
    fn price(&self, collateral: &str, debt: &str) -> Option<i128> {
        self.0
            .get(&(collateral.to_owned(), debt.to_owned()))
            .copied()
    }
}

/// A flash take through the keeper-receiver contract: the lot is sold on an AMM pool inside
/// `on_auction_take`, so the keeper needs no capital, only an allowance to the auction.
#[derive(Debug, Clone)]
pub struct FlashTake {
    /// The keeper's keeper-receiver contract (owner = the keeper).
    pub receiver: ContractId,
    /// The pool per `(collateral, debt)` strkey pair.
    pub pools: HashMap<(String, String), ContractId>,
}

/// The keeper's configuration.
pub struct KeeperConfig {
    /// The keeper's own address (strkey), the `keeper` argument of every call.
    pub keeper: String,
    /// margin-account's contract id.
    pub margin_account: ContractId,
    /// liquidation-auction's contract id.
    pub auction: ContractId,
    /// oracle-adapter's contract id (quotes for the native health check and the fallback
    /// reference price).
    pub oracle: ContractId,
    /// When to take.
    pub strategy: Strategy,
    /// The minimum discount under the reference price (7 decimals) that covers fees and the
    /// keeper's margin.
    pub min_profit: i128,
    /// Reference prices for take decisions; when it has no price for a pair, the adapter's
    /// spot ratio is the reference.
    pub reference: Box<dyn ReferencePrices>,
    /// Take through keeper-receiver when set; otherwise with own capital (receiver = keeper).
    pub flash: Option<FlashTake>,
    /// The JSON file the state is saved to after every step (none: in memory only).
    pub state_path: Option<PathBuf>,
    /// The ledger to read events from when no state is saved.
    pub start_ledger: u32,
    /// Reaction delay, slice size, re-read rate and the adapter refresh before large starts
    /// ([`Tuning::default`]: act at once, whole lots, every account re-read each
    /// [`super::engine::FULL_REFRESH_STEPS`] steps, accounts of more than 8 assets refreshed in
    /// chunks of 8).
    pub tuning: Tuning,
}

/// How fast and how much the keeper acts: what makes competing keepers differ besides their
/// discount (the simulator runs several with different tunings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Seconds (chain time, [`crate::Backend::now`]) an opportunity must have been seen before
    /// the keeper acts on it: an account liquidatable since, an auction live since. 0 acts on
    /// the step that sees it.
    pub reaction_delay: u64,
    /// Share of the remaining lot (7 decimals, in `(0, ONE]`) one take asks for; `ONE` takes
    /// the whole lot. The remaining lot is known from the auction's events.
    pub max_slice: i128,
    /// Positions of accounts no event touched are re-read every this many steps (at least 1).
    pub refresh_every: u64,
    /// Accounts whose maint collateral is under this multiple of their maint liabilities (7
    /// decimals, [`super::engine::NEAR_LIQUIDATION`] by default) are re-read every step (only
    /// interest moves positions without an event).
    pub near_liquidation: i128,
    /// Before starting an auction on an account whose positions span more than this many
    /// assets, the keeper refreshes the adapter's quotes of those of its assets that are not
    /// current ([`super::refresh`]), so that the start prices from the adapter's book instead of
    /// pulling every feed itself ([`super::refresh::REFRESH_ABOVE`] by default). `usize::MAX`
    /// never refreshes.
    pub refresh_above: usize,
    /// Assets per `refresh` transaction at most (at least 1; each chunk is its own
    /// transaction, [`super::refresh::REFRESH_CHUNK`] by default).
    pub refresh_chunk: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            reaction_delay: 0,
            max_slice: ONE,
            refresh_every: super::engine::FULL_REFRESH_STEPS,
            near_liquidation: super::engine::NEAR_LIQUIDATION,
            refresh_above: super::refresh::REFRESH_ABOVE,
            refresh_chunk: super::refresh::REFRESH_CHUNK,
        }
    }
}

//! The adapter's events. Queuing, applying and cancelling a source are published by governance
//! (`ChangeQueued` / `ChangeApplied` / `ChangeCancelled`, kind `"source"`); the events here carry
//! everything else needed to rebuild the adapter's state off chain.

use soroban_sdk::{contractevent, Address};

use crate::types::Source;

/// The constructor set the adapter's SEP-40 identity.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AdapterInitialized {
    pub base: sep40::Asset,
    pub decimals: u32,
    pub resolution: u32,
}

/// A source became live, with each feed's decimals and resolution as read at apply.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct SourceActivated {
    #[topic]
    pub asset: Address,
    pub source: Source,
}

/// A price was accepted and cached (by `refresh`, or by `quotes` on its pull path).
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct PriceAccepted {
    #[topic]
    pub asset: Address,
    pub spot: i128,
    pub low: i128,
    pub high: i128,
    pub timestamp: u64,
    pub valid_until: u64,
}

/// A jump tripped the breaker: `price` (at record `timestamp`) moved from `reference` by more
/// than the allowance. `price` becomes the pending level.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct BreakerTripped {
    #[topic]
    pub asset: Address,
    pub reference: i128,
    pub price: i128,
    pub timestamp: u64,
}

/// While tripped, the price moved away from the pending level: confirmation restarts at `price`.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct BreakerPending {
    #[topic]
    pub asset: Address,
    pub price: i128,
    pub since: u64,
}

/// The pending level held from `since` to `timestamp` (at least `jump_confirm`): accepted.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct BreakerConfirmed {
    #[topic]
    pub asset: Address,
    pub price: i128,
    pub since: u64,
    pub timestamp: u64,
}

/// The guardian or admin tripped the breaker by hand.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct BreakerForced {
    #[topic]
    pub asset: Address,
    #[topic]
    pub caller: Address,
}

/// The guardian or admin cleared the breaker; the next fresh price is accepted as is.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct BreakerCleared {
    #[topic]
    pub asset: Address,
    #[topic]
    pub caller: Address,
}

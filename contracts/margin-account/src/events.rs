//! margin-account's events. An indexer or keeper rebuilds every account from them alone (SPEC
//! §9): each account event carries the account's ids, the asset, the amounts moved and the
//! position after the call in shares (`position`: vault shares when positive, debt shares when
//! negative); `VaultSynced` carries the cache that values shares, so the keeper reproduces the
//! contract's health exactly.

use soroban_sdk::{contractevent, Address};

use crate::types::{AssetConfig, AssetMode, Params};

/// An account was opened by its owner's first deposit.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AccountOpened {
    #[topic]
    pub owner: Address,
    pub id: u32,
}

/// `from` put `amount` of `asset` into the account: `repaid` against its debt, the rest
/// deposited into the vault.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Deposit {
    #[topic]
    pub owner: Address,
    #[topic]
    pub asset: Address,
    pub id: u32,
    pub from: Address,
    pub amount: i128,
    pub repaid: i128,
    pub position: i128,
}

/// `amount` of `asset` left the account to `to`: `borrowed` of it on the vault's credit line,
/// the rest withdrawn from collateral.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Withdraw {
    #[topic]
    pub owner: Address,
    #[topic]
    pub asset: Address,
    pub id: u32,
    pub to: Address,
    pub amount: i128,
    pub borrowed: i128,
    pub position: i128,
}

/// A swap on `venue`: `amount_in` of `sell_asset` out of the account, `amount_out` of
/// `buy_asset` in. The legs publish their own `Withdraw` and `Deposit`.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Trade {
    #[topic]
    pub owner: Address,
    pub id: u32,
    pub venue: Address,
    pub sell_asset: Address,
    pub buy_asset: Address,
    pub amount_in: i128,
    pub amount_out: i128,
}

/// The vault cache of `asset` was refreshed (raw `I80F48` bits).
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct VaultSynced {
    #[topic]
    pub asset: Address,
    pub share_price: i128,
    pub debt_index: i128,
    pub max_rate: i128,
}

/// An asset's config is live; `index` is its registry index. The maint weights ramp from their
/// values at the apply time until `ramp_end` when they were tightened.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AssetConfigured {
    #[topic]
    pub asset: Address,
    pub index: u32,
    pub config: AssetConfig,
    pub ramp_end: u64,
}

/// The guardian tightened an asset's mode.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct ModeSet {
    #[topic]
    pub asset: Address,
    pub mode: AssetMode,
}

/// A swap venue was listed (`listed`) or delisted.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct VenueSet {
    #[topic]
    pub venue: Address,
    pub listed: bool,
}

/// New global parameters are live.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct ParamsSet {
    pub params: Params,
}

/// `liquidator` is the only address that may use the liquidator entry points.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct LiquidatorSet {
    #[topic]
    pub liquidator: Address,
}

/// The liquidator seized `shares` vault shares of `asset` from the account into escrow, redeemed
/// for `tokens` of the asset that the liquidator now holds.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct CollateralEscrowed {
    #[topic]
    pub owner: Address,
    #[topic]
    pub asset: Address,
    pub id: u32,
    pub shares: i128,
    pub tokens: i128,
    pub position: i128,
}

/// The liquidator returned `amount` tokens of `asset` (an unsold lot) to the account.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct CollateralReturned {
    #[topic]
    pub owner: Address,
    #[topic]
    pub asset: Address,
    pub id: u32,
    pub amount: i128,
    pub position: i128,
}

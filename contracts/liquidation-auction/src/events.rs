//! Typed events (SPEC §9): ids and amounts enough to rebuild every auction, the insurance fund and
//! every unit of bad debt off chain.

use soroban_sdk::{contractevent, Address};

use crate::types::AuctionParams;

/// An auction started: `shares` of the account's collateral vault shares seized and redeemed;
/// `lot` collateral tokens of them are in escrow here after the keeper's bonus (`KeeperPaid`);
/// `debt_to_cover`, `tab` (after the bonus) and the start price `top` as sized.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AuctionStarted {
    #[topic]
    pub auction_id: u64,
    #[topic]
    pub owner: Address,
    pub id: u32,
    pub keeper: Address,
    pub collateral: Address,
    pub debt: Address,
    pub lot: i128,
    pub shares: i128,
    pub debt_to_cover: i128,
    pub tab: i128,
    pub top: i128,
}

/// A keeper was paid a bonus: `collateral` tokens from the lot, `tab` lowered
/// by `tab_reduction` (the penalty pays it).
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct KeeperPaid {
    #[topic]
    pub auction_id: u64,
    pub keeper: Address,
    pub collateral: i128,
    pub tab_reduction: i128,
}

/// A take: `slice` collateral tokens to `receiver` for `owe` debt tokens, of
/// which `repaid` repaid the account and `to_insurance` went to the insurance fund.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AuctionTaken {
    #[topic]
    pub auction_id: u64,
    pub keeper: Address,
    pub receiver: Address,
    pub price: i128,
    pub slice: i128,
    pub owe: i128,
    pub repaid: i128,
    pub to_insurance: i128,
    pub lot: i128,
    pub tab: i128,
}

/// An auction ended: `returned` collateral tokens went back to the account; `tab_left` was not collected
/// (the lot ran out) and stays the account's debt.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AuctionClosed {
    #[topic]
    pub auction_id: u64,
    #[topic]
    pub owner: Address,
    pub id: u32,
    pub returned: i128,
    pub tab_left: i128,
    pub debt_left: i128,
}

/// An auction restarted from a fresh spot.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AuctionReset {
    #[topic]
    pub auction_id: u64,
    pub keeper: Address,
    pub top: i128,
    pub dust_tab: i128,
}

/// The insurance fund of `asset` changed by `amount` (signed) to `balance`.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct InsuranceChanged {
    #[topic]
    pub asset: Address,
    pub amount: i128,
    pub balance: i128,
    pub counterparty: Address,
}

/// Bad debt settled for an account in `asset`: `debt` owed, `insurance_paid` covered by the fund,
/// `written_off` borne by the vault's lenders. `debt = insurance_paid + written_off`.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct BadDebtSettled {
    #[topic]
    pub owner: Address,
    #[topic]
    pub asset: Address,
    pub id: u32,
    pub debt: i128,
    pub insurance_paid: i128,
    pub written_off: i128,
}

/// Auction parameters applied.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct ParamsSet {
    pub params: AuctionParams,
}

/// The `stopped` level changed.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct StoppedSet {
    pub by: Address,
    pub level: u32,
}

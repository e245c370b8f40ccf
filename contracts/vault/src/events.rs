//! The vault's events. With the SEP-41 share-token events of `soroban-token-sdk` (`mint`,
//! `burn`, `transfer`, `approve`) they let an indexer rebuild every balance, the pool totals and
//! the configuration without reading storage (SPEC §9).
//!
//! Events on the hot path carry their data as a vector under a name of at most 9 characters: the
//! host then builds no symbol objects for field names or the event name, which saves several
//! thousand CPU instructions per event.

use soroban_sdk::{contractevent, Address};

use crate::params::VaultParams;

/// SEP-56: assets deposited for shares (by `deposit` and `mint`).
/// Topics `["deposit", operator, from, receiver]`, data `[assets, shares]`.
#[contractevent(topics = ["deposit"], data_format = "vec")]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Deposit {
    #[topic]
    pub operator: Address,
    #[topic]
    pub from: Address,
    #[topic]
    pub receiver: Address,
    pub assets: i128,
    pub shares: i128,
}

/// SEP-56: shares redeemed for assets (by `withdraw` and `redeem`).
/// Topics `["withdraw", operator, receiver, owner]`, data `[assets, shares]`.
#[contractevent(topics = ["withdraw"], data_format = "vec")]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Withdraw {
    #[topic]
    pub operator: Address,
    #[topic]
    pub receiver: Address,
    #[topic]
    pub owner: Address,
    pub assets: i128,
    pub shares: i128,
}

/// Interest accrued since the last interaction: `interest` added to the debt, `reserves_added`
/// of it to the protocol reserve; `borrow_index` is the new index (raw bits, `2^48` = 1.0).
/// Topics `["accrued"]`, data `[interest, reserves_added, borrow_index]`.
#[contractevent(topics = ["accrued"], data_format = "vec")]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct InterestAccrued {
    pub interest: i128,
    pub reserves_added: i128,
    pub borrow_index: i128,
}

/// The borrower drew `amount` to `to`, minting `debt_shares`.
/// Topics `["borrow", borrower, to]`, data `[amount, debt_shares]`.
#[contractevent(data_format = "vec")]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Borrow {
    #[topic]
    pub borrower: Address,
    #[topic]
    pub to: Address,
    pub amount: i128,
    pub debt_shares: i128,
}

/// `from` repaid `amount` on the borrower's credit line, burning `debt_shares`.
/// Topics `["repay", borrower, from]`, data `[amount, debt_shares]`.
#[contractevent(data_format = "vec")]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Repay {
    #[topic]
    pub borrower: Address,
    #[topic]
    pub from: Address,
    pub amount: i128,
    pub debt_shares: i128,
}

/// A settled bad debt of `amount` was written off (`debt_shares` burned): lenders bear the loss.
/// `share_price` is the new price of one share in assets, 7 decimals.
/// Topics `["write_off", borrower]`, data `[amount, debt_shares, share_price]`.
#[contractevent(data_format = "vec")]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct WriteOff {
    #[topic]
    pub borrower: Address,
    pub amount: i128,
    pub debt_shares: i128,
    pub share_price: i128,
}

/// Governance claimed `amount` of the protocol reserve to `to` (treasury or insurance fund).
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct ReservesClaimed {
    #[topic]
    pub to: Address,
    pub amount: i128,
}

/// New risk parameters are live.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct ParamsSet {
    pub params: VaultParams,
}

/// `borrower` is now the only address that may borrow, repay and write off.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct BorrowerSet {
    #[topic]
    pub borrower: Address,
}

/// The pause flags after a guardian pause or an admin unpause.
#[contractevent]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct PauseSet {
    pub deposits_paused: bool,
    pub borrows_paused: bool,
}

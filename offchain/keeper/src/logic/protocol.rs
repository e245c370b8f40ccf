//! The protocol as the keeper sees it: typed events of margin-account and liquidation-auction
//! (names and payloads from their `events.rs`), and the calls it makes.
//!
//! A `#[contractevent]` publishes its snake_case name as the first topic, its `#[topic]` fields
//! as the next topics, and the other fields as a map with symbol keys.

use stellar_xdr::{Limits, ScVal, WriteXdr};

use crate::events::ChainEvent;
use crate::keys::ContractId;
use crate::tx::ContractCall;
use crate::val::Val;

/// An account: owner strkey and account id.
pub type AccountKey = (String, u32);

/// What an event tells the keeper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolEvent {
    /// margin-account touched an account (opened, deposit, withdraw, trade, escrow).
    Account(AccountKey),
    /// An auction started on the account's `collateral`/`debt` pair.
    AuctionStarted {
        /// The auction id.
        auction_id: u64,
        /// The liquidated account.
        account: AccountKey,
        /// The collateral asset's strkey.
        collateral: String,
        /// The debt asset's strkey.
        debt: String,
        /// The lot: collateral tokens in escrow after the starter's bonus.
        lot: i128,
    },
    /// A take: `lot` shares are left in the auction.
    AuctionTaken {
        /// The auction id.
        auction_id: u64,
        /// Shares left.
        lot: i128,
    },
    /// An auction ended.
    AuctionClosed {
        /// The auction id.
        auction_id: u64,
        /// The account.
        account: AccountKey,
    },
    /// An auction restarted from a fresh spot: a new start price and start time.
    AuctionReset {
        /// The auction id.
        auction_id: u64,
    },
    /// The auction parameters (the price curve among them) changed.
    AuctionParamsSet,
    /// Bad debt of the account was settled in one asset.
    BadDebtSettled(AccountKey),
    /// Anything else (bonuses, margin-account config, insurance): no tracking change.
    Other,
}

/// margin-account events that name an account (`owner` topic, `id` field).
const ACCOUNT_EVENTS: [&str; 6] = [
    "account_opened",
    "deposit",
    "withdraw",
    "trade",
    "collateral_escrowed",
    "collateral_returned",
];

fn topic_address(e: &ChainEvent, i: usize) -> Option<String> {
    e.topics.get(i)?.as_address().map(str::to_owned)
}

fn field_u32(e: &ChainEvent, name: &str) -> Option<u32> {
    match e.data.field(name)? {
        Val::U32(n) => Some(*n),
        _ => None,
    }
}

fn account_of(e: &ChainEvent) -> Option<AccountKey> {
    Some((topic_address(e, 1)?, field_u32(e, "id")?))
}

fn auction_account(e: &ChainEvent) -> Option<AccountKey> {
    Some((topic_address(e, 2)?, field_u32(e, "id")?))
}

/// Maps a raw event of `margin` or `auction` to what it means for the keeper. Events of other
/// contracts, or malformed ones, are [`ProtocolEvent::Other`].
pub fn decode(e: &ChainEvent, margin: &ContractId, auction: &ContractId) -> ProtocolEvent {
    let Some(name) = e.name() else {
        return ProtocolEvent::Other;
    };
    let decoded = if e.contract == *margin && ACCOUNT_EVENTS.contains(&name) {
        account_of(e).map(ProtocolEvent::Account)
    } else if e.contract == *auction {
        let auction_id = e.topics.get(1).and_then(Val::as_u64);
        match name {
            "auction_started" => (|| {
                Some(ProtocolEvent::AuctionStarted {
                    auction_id: auction_id?,
                    account: auction_account(e)?,
                    collateral: e.data.field("collateral")?.as_address()?.to_owned(),
                    debt: e.data.field("debt")?.as_address()?.to_owned(),
                    lot: e.data.field("lot")?.as_i128()?,
                })
            })(),
            "auction_taken" => (|| {
                Some(ProtocolEvent::AuctionTaken {
                    auction_id: auction_id?,
                    lot: e.data.field("lot")?.as_i128()?,
                })
            })(),
            "auction_reset" => {
                auction_id.map(|auction_id| ProtocolEvent::AuctionReset { auction_id })
            }
            "params_set" => Some(ProtocolEvent::AuctionParamsSet),
            "auction_closed" => (|| {
                Some(ProtocolEvent::AuctionClosed {
                    auction_id: auction_id?,
                    account: auction_account(e)?,
                })
            })(),
            "bad_debt_settled" => account_of(e).map(ProtocolEvent::BadDebtSettled),
            _ => None,
        }
    } else {
        None
    };
    decoded.unwrap_or(ProtocolEvent::Other)
}

/// An address argument from a strkey.
///
/// # Errors
///
/// The strkey is not an account or contract address.
pub fn address(strkey: &str) -> Result<ScVal, String> {
    ScVal::try_from(&Val::Address(strkey.to_owned()))
}

fn call(contract: &ContractId, function: &str, args: Vec<ScVal>) -> ContractCall {
    ContractCall {
        contract: *contract,
        function: function.to_owned(),
        args,
    }
}

/// A `Vec<Address>` argument from strkeys.
fn address_vec(strkeys: &[String]) -> Result<ScVal, String> {
    let list = strkeys.iter().map(|a| Val::Address(a.clone())).collect();
    ScVal::try_from(&Val::Vec(list))
}

fn i128_val(n: i128) -> ScVal {
    ScVal::try_from(&Val::I128(n)).unwrap_or(ScVal::Void)
}

/// The contract calls the keeper makes (SPEC §6.2 views, §7 entry points).
pub struct Calls<'a> {
    /// margin-account.
    pub margin: &'a ContractId,
    /// liquidation-auction.
    pub auction: &'a ContractId,
    /// oracle-adapter.
    pub oracle: &'a ContractId,
}

impl Calls<'_> {
    /// `positions(owner, id)`.
    pub fn positions(&self, a: &AccountKey) -> Result<ContractCall, String> {
        Ok(call(
            self.margin,
            "positions",
            vec![address(&a.0)?, ScVal::U32(a.1)],
        ))
    }

    /// `health(owner, id)`.
    pub fn health(&self, a: &AccountKey) -> Result<ContractCall, String> {
        Ok(call(
            self.margin,
            "health",
            vec![address(&a.0)?, ScVal::U32(a.1)],
        ))
    }

    /// `asset_config(asset)`.
    pub fn asset_config(&self, asset: &str) -> Result<ContractCall, String> {
        Ok(call(self.margin, "asset_config", vec![address(asset)?]))
    }

    /// `maint_weights(asset)`.
    pub fn maint_weights(&self, asset: &str) -> Result<ContractCall, String> {
        Ok(call(self.margin, "maint_weights", vec![address(asset)?]))
    }

    /// The token's `decimals()`.
    pub fn decimals(&self, asset: &str) -> Result<ContractCall, String> {
        let id: ContractId = asset.parse().map_err(|e| format!("asset {asset}: {e:?}"))?;
        Ok(call(&id, "decimals", Vec::new()))
    }

    /// The adapter's `quotes(assets)`.
    pub fn quotes(&self, assets: &[String]) -> Result<ContractCall, String> {
        Ok(call(self.oracle, "quotes", vec![address_vec(assets)?]))
    }

    /// The adapter's `refresh(assets)`: records the feeds' prices of `assets` (permissionless;
    /// never fails as a whole, one status per asset).
    pub fn refresh(&self, assets: &[String]) -> Result<ContractCall, String> {
        Ok(call(self.oracle, "refresh", vec![address_vec(assets)?]))
    }

    /// `start(keeper, owner, id, collateral, debt)`.
    pub fn start(
        &self,
        keeper: &str,
        a: &AccountKey,
        collateral: &str,
        debt: &str,
    ) -> Result<ContractCall, String> {
        Ok(call(
            self.auction,
            "start",
            vec![
                address(keeper)?,
                address(&a.0)?,
                ScVal::U32(a.1),
                address(collateral)?,
                address(debt)?,
            ],
        ))
    }

    /// `auction(auction_id)`: the stored auction (its start price and start time).
    pub fn auction(&self, auction_id: u64) -> ContractCall {
        call(self.auction, "auction", vec![ScVal::U64(auction_id)])
    }

    /// The auction's `params()` (its curve, `tail` and `cusp`).
    pub fn auction_params(&self) -> ContractCall {
        call(self.auction, "params", Vec::new())
    }

    /// `price(auction_id)`.
    pub fn price(&self, auction_id: u64) -> ContractCall {
        call(self.auction, "price", vec![ScVal::U64(auction_id)])
    }

    /// `take(keeper, auction_id, max_collateral, max_price, receiver, data)`; `max_collateral`
    /// `None` asks for the whole lot.
    pub fn take(
        &self,
        keeper: &str,
        auction_id: u64,
        max_collateral: Option<i128>,
        max_price: i128,
        receiver: &str,
        data: Option<Vec<u8>>,
    ) -> Result<ContractCall, String> {
        let data = match data {
            Some(bytes) => ScVal::try_from(&Val::Bytes(bytes))?,
            None => ScVal::Void,
        };
        Ok(call(
            self.auction,
            "take",
            vec![
                address(keeper)?,
                ScVal::U64(auction_id),
                // The whole lot: the auction caps the slice at the lot and the tab.
                i128_val(max_collateral.unwrap_or(i128::MAX / 4)),
                i128_val(max_price),
                address(receiver)?,
                data,
            ],
        ))
    }

    /// `reset(keeper, auction_id)`.
    pub fn reset(&self, keeper: &str, auction_id: u64) -> Result<ContractCall, String> {
        Ok(call(
            self.auction,
            "reset",
            vec![address(keeper)?, ScVal::U64(auction_id)],
        ))
    }

    /// `settle_bad_debt(owner, id)`.
    pub fn settle_bad_debt(&self, a: &AccountKey) -> Result<ContractCall, String> {
        Ok(call(
            self.auction,
            "settle_bad_debt",
            vec![address(&a.0)?, ScVal::U32(a.1)],
        ))
    }
}

/// The `data` of a flash take through keeper-receiver: the XDR of the tuple
/// `(pool, collateral, debt)`, as its `on_auction_take` decodes it.
///
/// # Errors
///
/// An address is not a strkey.
pub fn flash_data(pool: &str, collateral: &str, debt: &str) -> Result<Vec<u8>, String> {
    let v = Val::Vec(vec![
        Val::Address(pool.to_owned()),
        Val::Address(collateral.to_owned()),
        Val::Address(debt.to_owned()),
    ]);
    ScVal::try_from(&v)?
        .to_xdr(Limits::none())
        .map_err(|e| e.to_string())
}

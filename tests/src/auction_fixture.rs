//! The protocol fixture extended with liquidation-auction (registered as margin-account's
//! liquidator) and a keeper-receiver, plus helpers that make an account liquidatable.

use liquidation_auction::{default_params, AuctionParams, LiquidationAuctionClient};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{Address, Env};

use crate::fixture::DELAY;
use crate::protocol_fixture::{Protocol, UNIT, USD};
use crate::wasm;

/// The protocol with the auction wired in.
pub struct AuctionFixture<'a> {
    pub p: Protocol<'a>,
    pub auction: LiquidationAuctionClient<'a>,
    pub keeper_owner: Address,
    pub receiver: keeper_receiver::KeeperReceiverClient<'a>,
}

impl<'a> AuctionFixture<'a> {
    /// Token 0 at 1 USD (collateral), token 1 at 2 USD (debt), a deep pool, `params`.
    pub fn with_params(params: AuctionParams) -> Self {
        let p = Protocol::two_assets();
        Self::on(p, params)
    }

    /// The default parameters.
    pub fn new() -> Self {
        Self::with_params(default_params())
    }

    /// Deploys the auction and a receiver on an existing protocol.
    pub fn on(p: Protocol<'a>, params: AuctionParams) -> Self {
        let env = p.env.clone();
        let args = (
            p.admin.clone(),
            p.guardian.clone(),
            DELAY,
            p.margin.address.clone(),
            p.oracle.adapter.address.clone(),
            params,
        );
        let id = env.register(wasm::load("liquidation-auction").as_slice(), args);
        p.margin.set_liquidator(&id);
        let auction = LiquidationAuctionClient::new(&env, &id);
        let keeper_owner = Address::generate(&env);
        let rid = env.register(
            wasm::load("keeper-receiver").as_slice(),
            (keeper_owner.clone(), id.clone()),
        );
        let receiver = keeper_receiver::KeeperReceiverClient::new(&env, &rid);
        p.fresh_budget();
        AuctionFixture {
            p,
            auction,
            keeper_owner,
            receiver,
        }
    }

    pub fn env(&self) -> &Env {
        &self.p.env
    }

    /// An account `(owner, 0)` with `coll` whole tokens of token 0 deposited and `debt` whole
    /// tokens of token 1 borrowed (healthy at the start prices).
    pub fn levered_account(&self, coll: i128, debt: i128) -> Address {
        let owner = self.p.account_with(0, coll * UNIT, 0);
        self.p
            .margin
            .borrow(&owner, &0, &self.p.tokens[1], &(debt * UNIT), &owner);
        owner
    }

    /// A liquidatable account: 1000 token 0 against 330 token 1, then token 0 falls to
    /// `price_cents` cents (75 makes maint health about 0.93).
    pub fn unhealthy_account(&mut self, price_cents: i128) -> Address {
        let owner = self.levered_account(1_000, 330);
        self.p.set_price(0, USD * price_cents / 100);
        owner
    }

    /// A keeper address holding `amount` of token 1 that approved the auction for it.
    pub fn funded_keeper(&self, amount: i128) -> Address {
        let keeper = self.p.funded(1, amount);
        let expiry = self.env().ledger().sequence() + 100_000;
        self.p
            .token(1)
            .approve(&keeper, &self.auction.address, &amount, &expiry);
        keeper
    }
}

impl Default for AuctionFixture<'_> {
    fn default() -> Self {
        Self::new()
    }
}

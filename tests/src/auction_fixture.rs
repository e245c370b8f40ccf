//! The protocol fixture extended with liquidation-auction (registered as margin-account's
//! liquidator) and a keeper-receiver, plus helpers that make an account liquidatable.

use liquidation_auction::{default_params, AuctionParams, LiquidationAuctionClient};
use soroban_sdk::testutils::{Address as _, Events as _};
use soroban_sdk::{xdr, Address, Env, Map, Symbol, TryFromVal, Val};

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

impl AuctionFixture<'_> {
    /// The auction's events of the last invocation, as `(name, fields)`.
    pub fn events(&self) -> std::vec::Vec<(String, Map<Symbol, Val>)> {
        let env = self.env();
        self.env()
            .events()
            .all()
            .filter_by_contract(&self.auction.address)
            .events()
            .iter()
            .map(|e| decode(env, e))
            .collect()
    }

    /// The `i128`/`u64`/`u32` field `field` of every auction event `name` of the last
    /// invocation.
    pub fn event_values(&self, name: &str, field: &str) -> std::vec::Vec<i128> {
        self.events()
            .into_iter()
            .filter(|(n, _)| n == name)
            .map(|(_, m)| number(self.env(), m.get(Symbol::new(self.env(), field)).unwrap()))
            .collect()
    }

    /// The field `field` of every event `name` among `events` (from [`Self::raw_events`]).
    pub fn event_values_in(
        &self,
        events: &[xdr::ContractEvent],
        name: &str,
        field: &str,
    ) -> std::vec::Vec<i128> {
        events
            .iter()
            .map(|e| decode(self.env(), e))
            .filter(|(n, _)| n == name)
            .map(|(_, m)| number(self.env(), m.get(Symbol::new(self.env(), field)).unwrap()))
            .collect()
    }

    /// The auction's events of the last invocation, as published.
    pub fn raw_events(&self) -> std::vec::Vec<xdr::ContractEvent> {
        self.env()
            .events()
            .all()
            .filter_by_contract(&self.auction.address)
            .events()
            .to_vec()
    }

    /// `event` as the auction publishes it.
    pub fn xdr(&self, event: &impl soroban_sdk::Event) -> xdr::ContractEvent {
        event.to_xdr(self.env(), &self.auction.address)
    }

    /// Sets the `stopped` level as the admin.
    pub fn stop(&self, level: u32) {
        self.auction.set_stopped(&self.p.admin, &level);
    }
}

fn number(env: &Env, v: Val) -> i128 {
    if let Ok(x) = i128::try_from_val(env, &v) {
        return x;
    }
    if let Ok(x) = u64::try_from_val(env, &v) {
        return x as i128;
    }
    u32::try_from_val(env, &v).expect("not a number") as i128
}

fn decode(env: &Env, e: &xdr::ContractEvent) -> (String, Map<Symbol, Val>) {
    let xdr::ContractEventBody::V0(body) = &e.body;
    let name = match body.topics.first() {
        Some(xdr::ScVal::Symbol(s)) => s.to_utf8_string_lossy(),
        _ => String::new(),
    };
    let data = Val::try_from_val(env, &body.data).expect("event data");
    let fields = Map::<Symbol, Val>::try_from_val(env, &data).unwrap_or_else(|_| Map::new(env));
    (name, fields)
}

impl Default for AuctionFixture<'_> {
    fn default() -> Self {
        Self::new()
    }
}

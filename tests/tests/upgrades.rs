//! Upgrades through the timelock (issue 6): each governed contract (vault, oracle-adapter,
//! margin-account, liquidation-auction, price-feed) is moved to its second build
//! (`target/wasm/<name>_v2.wasm`, built by `scripts/build-wasm.sh` with the crate's `upgrade-v2`
//! feature, which adds one entry point, `version() -> 2`) by `queue_upgrade` (admin) → the
//! delay → `apply_upgrade` (anyone). The tests check that only the admin can queue, that nothing
//! applies early or unqueued, that the upgrade changes nothing but the contract's own instance
//! and timelock entry, that every position, config, balance and auction reads the same, and that
//! the protocol still works on the new code.

use governance::GovernanceError;
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::feed_fixture::WiredFeed;
use protocol_tests::fixture::DELAY;
use protocol_tests::protocol_fixture::{UNIT, USD};
use protocol_tests::snapshot::Snapshot;
use protocol_tests::wasm;
use sep40::{Asset, Sep40Client};
use soroban_sdk::testutils::{Address as _, MockAuth, MockAuthInvoke};
use soroban_sdk::xdr::{LedgerKey, ScVal};
use soroban_sdk::{Address, Bytes, BytesN, Env, IntoVal, InvokeError, Symbol, TryFromVal, Val};

/// The governed contracts of the world, by crate name.
struct Governed {
    name: &'static str,
    contract: Address,
}

/// The calls `version()` of `contract`.
fn version(env: &Env, contract: &Address) -> Result<u32, ()> {
    let name = Symbol::new(env, "version");
    let args = soroban_sdk::Vec::<Val>::new(env);
    match env.try_invoke_contract::<u32, InvokeError>(contract, &name, args) {
        Ok(Ok(v)) => Ok(v),
        _ => Err(()),
    }
}

/// Every ledger key the change touched belongs to `contract`'s own storage.
fn only_own_entries_changed(env: &Env, before: &Snapshot, contract: &Address) {
    let after = Snapshot::take(env);
    let changed = before.changed_keys(&after);
    assert!(!changed.is_empty(), "the upgrade changed nothing");
    for key in changed {
        let owner = match &key {
            LedgerKey::ContractData(d) => {
                Address::try_from_val(env, &ScVal::Address(d.contract.clone())).ok()
            }
            _ => None,
        };
        assert_eq!(owner.as_ref(), Some(contract), "{key:?} changed");
    }
}

/// What the tests compare before and after the upgrades: every position, config, balance and
/// auction of the world, as its views report them.
fn state(w: &World) -> std::vec::Vec<String> {
    let fx = &w.fx;
    let p = &fx.p;
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let a0 = Asset::Stellar(t0.clone());
    let feed = Sep40Client::new(&p.env, &w.feed.feed.address);
    let mut out = std::vec![
        format!("{:?}", p.margin.position_shares(&w.owner, &0)),
        format!("{:?}", p.margin.position_shares(&w.victim, &0)),
        format!("{:?}", p.margin.positions(&w.owner, &0)),
        format!("{:?}", p.margin.asset_config(&t0)),
        format!("{:?}", p.margin.asset_config(&t1)),
        format!("{:?}", p.margin.vault_cache(&t1)),
        format!("{:?}", p.margin.assets()),
        format!("{:?}", p.margin.params()),
        format!("{:?}", p.margin.liquidator()),
        format!("{:?}", fx.auction.auction(&w.aid)),
        format!("{:?}", fx.auction.params()),
        format!("{:?}", fx.auction.insurance(&t1)),
        format!("{:?}", fx.auction.auctions_of(&w.victim, &0)),
        format!("{:?}", p.oracle.adapter.source(&t0)),
        format!("{:?}", p.oracle.adapter.price_state(&t0)),
        format!("{:?}", feed.lastprice(&a0)),
        format!("{:?}", w.feed.feed.reporter()),
    ];
    for v in &p.vaults {
        out.push(format!("{:?}", v.pool_state()));
        out.push(format!("{:?}", v.config()));
        out.push(format!("{:?}", v.balance(&w.lender)));
    }
    let mut holders = std::vec![&w.owner, &w.lender, &p.margin.address, &fx.auction.address];
    holders.extend(p.vaults.iter().map(|v| &v.address));
    for i in 0..p.tokens.len() {
        for h in &holders {
            out.push(format!("{:?}", p.balance(i, h)));
        }
    }
    out
}

struct World<'a> {
    fx: AuctionFixture<'a>,
    feed: WiredFeed<'a>,
    owner: Address,
    victim: Address,
    lender: Address,
    aid: u64,
    keeper: Address,
}

impl World<'_> {
    /// The auction fixture with token 0 priced by the production price-feed, an account
    /// `(owner, 0)` (1000 token 0, 100 token 1 of debt), a lender holding vault 0 shares, a
    /// funded insurance fund and a live auction on a second account.
    fn new() -> Self {
        let mut fx = AuctionFixture::new();
        let feed = WiredFeed::replace_source(&fx.p, 0, 14, USD);
        let owner = fx.levered_account(1_000, 100);
        let lender = fx.p.funded(0, 100 * UNIT);
        fx.p.vaults[0].deposit(&(100 * UNIT), &lender, &lender, &lender);
        let keeper = fx.funded_keeper(10_000 * UNIT);
        fx.auction
            .fund_insurance(&keeper, &fx.p.tokens[1], &(10 * UNIT));
        let victim = fx.levered_account(1_000, 330);
        fx.p.prices[0] = USD * 75 / 100;
        fx.p.advance(300);
        feed.publish(fx.p.prices[0], fx.p.now());
        let (t0, t1) = (fx.p.tokens[0].clone(), fx.p.tokens[1].clone());
        let aid = fx.auction.start(&keeper, &victim, &0, &t0, &t1);
        World {
            fx,
            feed,
            owner,
            victim,
            lender,
            aid,
            keeper,
        }
    }

    fn env(&self) -> &Env {
        self.fx.env()
    }

    fn governed(&self) -> [Governed; 5] {
        let p = &self.fx.p;
        [
            Governed {
                name: "vault",
                contract: p.vaults[1].address.clone(),
            },
            Governed {
                name: "oracle-adapter",
                contract: p.oracle.adapter.address.clone(),
            },
            Governed {
                name: "margin-account",
                contract: p.margin.address.clone(),
            },
            Governed {
                name: "liquidation-auction",
                contract: self.fx.auction.address.clone(),
            },
            Governed {
                name: "price-feed",
                contract: self.feed.feed.address.clone(),
            },
        ]
    }

    /// Moves time by `seconds` with every price re-published (token 0 through its price-feed).
    fn advance(&self, seconds: u64) {
        self.fx.p.advance(seconds);
        self.feed.publish(self.fx.p.prices[0], self.fx.p.now());
    }
}

/// Uploads the second build of `name` and returns its hash.
fn upload_v2(env: &Env, name: &str) -> BytesN<32> {
    let code = wasm::load(&format!("{}_v2", name.replace('-', "_")));
    env.deployer()
        .upload_contract_wasm(Bytes::from_slice(env, &code))
}

#[test]
fn each_governed_contract_upgrades_through_the_timelock_and_keeps_its_state() {
    let w = World::new();
    let env = w.env();
    let governed = w.governed();
    let stranger = Address::generate(env);
    for g in &governed {
        let client = governance::GovernedClient::new(env, &g.contract);
        assert_eq!(
            version(env, &g.contract),
            Err(()),
            "{}: v1 has no version()",
            g.name
        );
        let hash = upload_v2(env, g.name);
        // Nothing is queued: applying fails.
        assert_eq!(
            client.try_apply_upgrade(),
            Err(Ok(GovernanceError::NotQueued)),
            "{}",
            g.name
        );
        // A stranger's signature cannot queue it; the ledger is unchanged.
        let invoke = MockAuthInvoke {
            contract: &g.contract,
            fn_name: "queue_upgrade",
            args: (hash.clone(),).into_val(env),
            sub_invokes: &[],
        };
        env.mock_auths(&[MockAuth {
            address: &stranger,
            invoke: &invoke,
        }]);
        let before = Snapshot::take(env);
        assert!(client.try_queue_upgrade(&hash).is_err(), "{}", g.name);
        before.assert_unchanged(env, g.name);
        env.mock_all_auths();
        client.queue_upgrade(&hash);
        let auths = env.auths();
        assert_eq!(auths.len(), 1);
        assert_eq!(auths[0].0, w.fx.p.admin, "{}: the admin queues", g.name);
        // Not before the delay.
        w.fx.p.advance_stale(DELAY - 1);
        assert_eq!(
            client.try_apply_upgrade(),
            Err(Ok(GovernanceError::TooEarly)),
            "{}",
            g.name
        );
        w.advance(1);
        // Anyone applies it: no auth asked; only the contract's own entries change; its state
        // and everyone else's reads the same.
        let views = state(&w);
        let before = Snapshot::take(env);
        w.fx.p.fresh_budget();
        client.apply_upgrade();
        assert!(
            env.auths().is_empty(),
            "{}: apply asked for an auth",
            g.name
        );
        only_own_entries_changed(env, &before, &g.contract);
        assert_eq!(version(env, &g.contract), Ok(2), "{}", g.name);
        assert_eq!(state(&w), views, "{}: state after the upgrade", g.name);
    }
    // Every contract runs the new code (2) and the protocol works on it. Code is per instance:
    // vault 0, deployed from the same first build as vault 1, still runs it.
    for g in &governed {
        assert_eq!(version(env, &g.contract), Ok(2), "{}", g.name);
    }
    assert_eq!(version(env, &w.fx.p.vaults[0].address), Err(()));
    let fx = &w.fx;
    let p = &fx.p;
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    p.fresh_budget();
    p.mint(0, &w.owner, 10 * UNIT);
    p.margin.deposit(&w.owner, &0, &t0, &(10 * UNIT));
    p.margin.borrow(&w.owner, &0, &t1, &(10 * UNIT), &w.owner);
    let lender = p.funded(1, 10 * UNIT);
    p.vaults[1].deposit(&(10 * UNIT), &lender, &lender, &lender);
    let quote = p.oracle.adapter.quotes(&p.token_vec(&[0])).get(0).unwrap();
    assert_eq!(quote.spot, p.prices[0]);
    // Five delays after its start the auction is past its tail: reset, then taken.
    assert!(fx.auction.price(&w.aid).1);
    fx.auction.reset(&w.keeper, &w.aid);
    let (price, _) = fx.auction.price(&w.aid);
    let (slice, owe) = fx
        .auction
        .take(&w.keeper, &w.aid, &(10 * UNIT), &price, &w.keeper, &None);
    assert!(slice > 0 && owe > 0);
}

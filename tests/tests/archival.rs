//! State archival (issue 6) on the WASM deployment with mainnet's TTL settings
//! (`tests/src/ttl.rs`: new persistent entries live 120 days, extensions reach at most 180 days;
//! the contracts extend what they read to 30 days when it has under 29 left,
//! `governance::ttl`).
//!
//! What is true, and tested here: entries a call reads are extended, so the shared state of a
//! protocol in use (contract instances and code, configs, asset records, vault pools, oracle
//! sources) never archives, and a user's own entries archive only when nobody touches them for
//! longer than their TTL. An account idle for a year is archived; the test host restores it on
//! access, as protocol 23's automatic restore (or a `RestoreFootprint`) does on the network,
//! and it can then be repaid and liquidated with its positions as they were.

use liquidation_auction::default_params;
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{UNIT, USD};
use protocol_tests::ttl::{self, archived, pass_days_with_prices, ttl_of, use_mainnet_ttls};
use soroban_sdk::xdr::{LedgerKey, ScVal};
use soroban_sdk::{Address, Env, IntoVal, Symbol, TryFromVal, Val};

/// What the contracts extend a read entry to when it has less than 29 days left.
const THRESHOLD: u32 = governance::ttl::PERSISTENT_LIFETIME_THRESHOLD;

/// The storage key `variant(parts...)` of a `#[contracttype]` enum, as stored.
fn key(env: &Env, parts: Val) -> ScVal {
    ScVal::try_from_val(env, &parts).expect("a storage key")
}

fn account_key(env: &Env, owner: &Address, id: u32) -> ScVal {
    key(
        env,
        (Symbol::new(env, "Account"), owner.clone(), id).into_val(env),
    )
}

/// The contracts whose instance is archived.
fn archived_instances(env: &Env) -> std::vec::Vec<Address> {
    archived(env)
        .into_iter()
        .filter_map(|k| match k {
            LedgerKey::ContractData(d) if d.key == ScVal::LedgerKeyContractInstance => {
                Address::try_from_val(env, &ScVal::Address(d.contract)).ok()
            }
            _ => None,
        })
        .collect()
}

/// The archived persistent keys of `contract`'s own storage.
fn archived_keys_of(env: &Env, contract: &Address) -> std::vec::Vec<ScVal> {
    archived(env)
        .into_iter()
        .filter_map(|k| match k {
            LedgerKey::ContractData(d)
                if Address::try_from_val(env, &ScVal::Address(d.contract.clone())).ok()
                    == Some(contract.clone()) =>
            {
                Some(d.key)
            }
            _ => None,
        })
        .collect()
}

/// A fixture at mainnet TTLs with an active trader who, every `step` days, deposits token 0,
/// borrows token 1 and repays it, and a keeper's `sync` of both assets (its maintenance round):
/// the protocol in use.
struct Busy<'a> {
    fx: AuctionFixture<'a>,
    trader: Address,
}

impl<'a> Busy<'a> {
    fn new() -> Self {
        let fx = AuctionFixture::new();
        use_mainnet_ttls(fx.env());
        let trader = fx.levered_account(1_000, 10);
        fx.p.mint(0, &trader, 1_000 * UNIT);
        fx.p.mint(1, &trader, 1_000 * UNIT);
        Busy { fx, trader }
    }

    fn env(&self) -> &Env {
        self.fx.env()
    }

    /// `days` of protocol use in steps of `step` days.
    fn run(&self, days: u64, step: u64) {
        let p = &self.fx.p;
        let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
        let t = &self.trader;
        for _ in 0..days / step {
            pass_days_with_prices(p, step);
            p.margin.deposit(t, &0, &t0, &UNIT);
            p.margin.borrow(t, &0, &t1, &UNIT, t);
            p.margin.repay(t, t, &0, &t1, &UNIT);
            p.margin.sync(&p.token_vec(&[0, 1]));
        }
        pass_days_with_prices(p, days % step);
    }
}

/// A year of use: the contracts in use, their asset records, vault pools and oracle state stay
/// live; what archives is what nobody read. margin-account's asset list and asset configs,
/// read on many paths but written only by governance, are extended where they are read (the
/// keepers' `sync`, every auction start's `liquidation_view`; found by this test when they were
/// extended only on write); a venue listing is extended by each trade through it, and none was
/// made here, so it archives (the next trade through it restores it).
#[test]
fn a_year_of_use_keeps_the_shared_state_live() {
    let b = Busy::new();
    let env = b.env();
    let p = &b.fx.p;
    // 19 steps of 20 days, a call ending each: more than a year.
    b.run(380, 20);
    let instances = archived_instances(env);
    let in_use = [&p.margin.address, &p.oracle.adapter.address]
        .into_iter()
        .chain(p.vaults.iter().map(|v| &v.address))
        .chain(&p.tokens)
        .chain(&p.feeds);
    for c in in_use {
        assert!(!instances.contains(c), "{c:?}: in use, yet archived");
    }
    // Nobody called the auction, the pool or the keeper's receiver in that year.
    let idle = [
        b.fx.auction.address.clone(),
        p.pool(0, 1),
        b.fx.receiver.address.clone(),
    ];
    assert!(instances.iter().all(|c| idle.contains(c)), "{instances:?}");
    // The trader's account, and the records and vault entries its calls read, stay live.
    let trader_key = account_key(env, &b.trader, 0);
    assert!(ttl_of(env, &p.margin.address, &trader_key) >= THRESHOLD);
    for t in &p.tokens {
        let record = key(env, t.into_val(env));
        assert!(ttl_of(env, &p.margin.address, &record) >= THRESHOLD);
    }
    // Of margin-account's own entries only the unused venue listing archives (and the user's
    // account-list entry, read only when an account opens).
    let user = |k: &ScVal| matches!(k, ScVal::Vec(Some(v)) if v.first() == Some(&ScVal::Symbol("Owner".try_into().unwrap())));
    let configs: std::vec::Vec<ScVal> = archived_keys_of(env, &p.margin.address)
        .into_iter()
        .filter(|k| !user(k))
        .collect();
    let sym = |name: &str| Symbol::new(env, name);
    let expected = std::vec![key(env, (sym("Venue"), p.pool(0, 1)).into_val(env))];
    for k in &expected {
        assert!(configs.contains(k), "{k:?} not archived");
    }
    assert_eq!(configs.len(), expected.len(), "{configs:?}");
}

#[test]
fn an_account_idle_for_a_year_is_restored_repaid_and_liquidated() {
    let mut b = Busy::new();
    let idle = b.fx.levered_account(1_000, 300);
    let env = &b.fx.p.env.clone();
    let fx = &b.fx;
    let p = &fx.p;
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let shares = p.margin.position_shares(&idle, &0);
    let idle_key = account_key(env, &idle, 0);
    // Created at mainnet's minimum: 120 days.
    assert!(ttl_of(env, &p.margin.address, &idle_key) >= ttl::MAINNET_MIN_PERSISTENT_TTL - 1);
    b.run(365, 20);
    assert_eq!(
        ttl_of(env, &p.margin.address, &idle_key),
        0,
        "archived after a year"
    );
    assert!(!archived_instances(env).contains(&p.margin.address));
    // Restored on access; the positions are as they were (in shares; the debt accrued a year).
    assert_eq!(p.margin.position_shares(&idle, &0), shares);
    p.margin.repay(&idle, &idle, &0, &t1, &(10 * UNIT));
    assert!(ttl_of(env, &p.margin.address, &idle_key) >= THRESHOLD);
    // Token 0 falls: the account is liquidated, by an auction contract nobody called in that
    // year (its instance archived too, and restored by the start).
    assert!(archived_instances(env).contains(&fx.auction.address));
    b.fx.p.set_price(0, USD * 60 / 100);
    let fx = &b.fx;
    let keeper = fx.funded_keeper(1_000 * UNIT);
    let aid = fx.auction.start(&keeper, &idle, &0, &t0, &t1);
    let (price, _) = fx.auction.price(&aid);
    let (slice, owe) = fx
        .auction
        .take(&keeper, &aid, &(10 * UNIT), &price, &keeper, &None);
    assert!(slice > 0 && owe > 0);
}

#[test]
fn an_auction_left_for_months_is_restored_reset_and_taken() {
    let mut b = Busy::new();
    let owner = b.fx.levered_account(1_000, 330);
    b.fx.p.set_price(0, USD * 75 / 100);
    let env = &b.fx.p.env.clone();
    let fx = &b.fx;
    let p = &fx.p;
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let keeper = fx.funded_keeper(10_000 * UNIT);
    let aid = fx.auction.start(&keeper, &owner, &0, &t0, &t1);
    let auction_key = key(env, (Symbol::new(env, "Auction"), aid).into_val(env));
    let lot = fx.auction.auction(&aid);
    // 200 days with no keeper looking at it, the protocol in use meanwhile.
    b.run(200, 20);
    assert_eq!(
        ttl_of(env, &fx.auction.address, &auction_key),
        0,
        "archived"
    );
    // Restored on access with its lot as it was; stale, it is reset, then taken.
    let back = fx.auction.auction(&aid);
    assert_eq!((back.lot, back.tab), (lot.lot, lot.tab));
    assert!(fx.auction.price(&aid).1, "past its tail: needs a reset");
    fx.auction.reset(&keeper, &aid);
    assert!(ttl_of(env, &fx.auction.address, &auction_key) >= THRESHOLD);
    // The keeper's allowance to the auction (a temporary entry of 100,000 ledgers) expired
    // meanwhile, as temporary entries do: the keeper approves again.
    let expiry = env.ledger().sequence() + 100_000;
    p.token(1)
        .approve(&keeper, &fx.auction.address, &(10_000 * UNIT), &expiry);
    let (price, _) = fx.auction.price(&aid);
    let (slice, _) = fx
        .auction
        .take(&keeper, &aid, &(10 * UNIT), &price, &keeper, &None);
    assert!(slice > 0);
    assert!(default_params().tail < 200 * ttl::DAY);
}

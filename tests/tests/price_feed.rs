//! The SEP-40 price feed on its optimised WASM build: configuration, assets, price updates and
//! their bad inputs, history wrap-around, SEP-40 reads, pause, and the timelocked reporter.

use governance::MIN_DELAY;
use price_feed::{
    AssetAdded, Error, FeedConfigured, FeedPaused, FeedUnpaused, PriceFeedClient, PricesSet,
    ReporterChanged,
};
use protocol_tests::wasm;
use sep40::{Asset, PriceData, Sep40Client};
use soroban_sdk::testutils::{
    Address as _, AuthorizedFunction, AuthorizedInvocation, Events as _, Ledger, MockAuth,
    MockAuthInvoke,
};
use soroban_sdk::{symbol_short, vec, Address, Env, Event, IntoVal, Symbol, Val, Vec};

const DECIMALS: u32 = 14;
const RESOLUTION: u32 = 300;
/// A ledger time 200 s into a resolution interval.
const START: u64 = 1_700_000_000;
const START_ROUNDED: u64 = START - START % RESOLUTION as u64;
const USD: i128 = 100_000_000_000_000;

struct Feed {
    env: Env,
    id: Address,
    admin: Address,
    guardian: Address,
    reporter: Address,
    xlm: Asset,
    btc: Asset,
}

impl Feed {
    /// A feed keeping `history` records, quoting XLM and BTC, every auth mocked.
    fn new(history: u32) -> Self {
        let env = Env::default();
        env.ledger().with_mut(|l| {
            l.timestamp = START;
            l.sequence_number = 1_000;
        });
        let (admin, guardian, reporter) = (
            Address::generate(&env),
            Address::generate(&env),
            Address::generate(&env),
        );
        let args = (
            &admin,
            &guardian,
            MIN_DELAY,
            &reporter,
            usd(&env),
            DECIMALS,
            RESOLUTION,
            history,
        );
        let id = env.register(wasm::load("price-feed").as_slice(), args);
        env.mock_all_auths();
        let xlm = Asset::Stellar(Address::generate(&env));
        let btc = Asset::Other(symbol_short!("BTC"));
        let feed = Feed {
            env,
            id,
            admin,
            guardian,
            reporter,
            xlm,
            btc,
        };
        feed.client()
            .add_assets(&vec![&feed.env, feed.xlm.clone(), feed.btc.clone()]);
        feed
    }

    fn client(&self) -> PriceFeedClient<'_> {
        PriceFeedClient::new(&self.env, &self.id)
    }

    fn advance(&self, seconds: u64) {
        self.env.ledger().with_mut(|l| {
            l.timestamp += seconds;
            l.sequence_number += (seconds / 5) as u32;
        });
    }

    fn now(&self) -> u64 {
        self.env.ledger().timestamp()
    }

    /// Publishes one price for `asset` at the current ledger time.
    fn publish(&self, asset: &Asset, price: i128) {
        self.client()
            .set_prices(&vec![&self.env, (asset.clone(), price)], &self.now());
    }

    fn assert_auth(&self, signer: &Address, fn_name: &str, args: Vec<Val>) {
        let invocation = AuthorizedInvocation {
            function: AuthorizedFunction::Contract((
                self.id.clone(),
                Symbol::new(&self.env, fn_name),
                args,
            )),
            sub_invocations: std::vec![],
        };
        assert_eq!(self.env.auths(), std::vec![(signer.clone(), invocation)]);
    }

    /// Mocks the auth of `signer` alone for the next call of `fn_name(args)`.
    fn sign_as(&self, signer: &Address, fn_name: &str, args: Vec<Val>) {
        self.env.mock_auths(&[MockAuth {
            address: signer,
            invoke: &MockAuthInvoke {
                contract: &self.id,
                fn_name,
                args,
                sub_invokes: &[],
            },
        }]);
    }

    fn events(&self) -> std::vec::Vec<soroban_sdk::xdr::ContractEvent> {
        self.env
            .events()
            .all()
            .filter_by_contract(&self.id)
            .events()
            .to_vec()
    }
}

fn usd(env: &Env) -> Asset {
    Asset::Other(Symbol::new(env, "USD"))
}

fn record(price: i128, timestamp: u64) -> PriceData {
    PriceData { price, timestamp }
}

#[test]
fn constructor_sets_the_configuration_and_publishes_it() {
    let env = Env::default();
    let (admin, reporter) = (Address::generate(&env), Address::generate(&env));
    let args = (
        &admin,
        &admin,
        MIN_DELAY,
        &reporter,
        usd(&env),
        DECIMALS,
        RESOLUTION,
        8u32,
    );
    let id = env.register(wasm::load("price-feed").as_slice(), args);
    // The constructor's events, before any other call resets them.
    let configured = FeedConfigured {
        reporter: reporter.clone(),
        base: usd(&env),
        decimals: DECIMALS,
        resolution: RESOLUTION,
        history: 8,
    };
    assert_eq!(
        env.events().all().events().last(),
        Some(&configured.to_xdr(&env, &id))
    );
    let client = PriceFeedClient::new(&env, &id);

    assert_eq!(client.base(), usd(&env));
    assert_eq!(client.decimals(), DECIMALS);
    assert_eq!(client.resolution(), RESOLUTION);
    assert_eq!(client.history_length(), 8);
    assert_eq!(client.reporter(), reporter);
    assert_eq!(client.assets(), Vec::new(&env));
    assert_eq!(
        (client.admin(), client.timelock_delay()),
        (admin, MIN_DELAY)
    );
}

/// Deploys a feed with the given `(delay, decimals, resolution, history)`.
fn deploy_with(delay: u64, decimals: u32, resolution: u32, history: u32) {
    let env = Env::default();
    let a = Address::generate(&env);
    let args = (&a, &a, delay, &a, usd(&env), decimals, resolution, history);
    env.register(wasm::load("price-feed").as_slice(), args);
}

#[test]
#[should_panic(expected = "Error(Contract, #600)")]
fn constructor_refuses_a_zero_resolution() {
    deploy_with(MIN_DELAY, DECIMALS, 0, 8);
}

#[test]
#[should_panic(expected = "Error(Contract, #601)")]
fn constructor_refuses_an_empty_history() {
    deploy_with(MIN_DELAY, DECIMALS, RESOLUTION, 0);
}

#[test]
#[should_panic(expected = "Error(Contract, #601)")]
fn constructor_refuses_a_history_above_the_maximum() {
    deploy_with(MIN_DELAY, DECIMALS, RESOLUTION, price_feed::MAX_HISTORY + 1);
}

#[test]
#[should_panic(expected = "Error(Contract, #602)")]
fn constructor_refuses_too_many_decimals() {
    deploy_with(MIN_DELAY, price_feed::MAX_DECIMALS + 1, RESOLUTION, 8);
}

#[test]
#[should_panic(expected = "Error(Contract, #502)")]
fn constructor_refuses_a_delay_below_the_floor() {
    deploy_with(MIN_DELAY - 1, DECIMALS, RESOLUTION, 8);
}

#[test]
fn admin_adds_assets_directly() {
    let f = Feed::new(8);
    let eth = Asset::Other(symbol_short!("ETH"));
    f.client().add_assets(&vec![&f.env, eth.clone()]);

    f.assert_auth(
        &f.admin,
        "add_assets",
        (vec![&f.env, eth.clone()],).into_val(&f.env),
    );
    let added = AssetAdded { asset: eth.clone() };
    assert_eq!(f.events(), std::vec![added.to_xdr(&f.env, &f.id)]);
    assert_eq!(
        f.client().assets(),
        vec![&f.env, f.xlm.clone(), f.btc.clone(), eth.clone()]
    );
    assert_eq!(f.client().lastprice(&eth), None);
    assert_eq!(f.client().prices(&eth, &5), Some(Vec::new(&f.env)));
}

#[test]
fn bad_asset_additions_are_refused_and_change_nothing() {
    let f = Feed::new(8);
    let eth = Asset::Other(symbol_short!("ETH"));
    let c = f.client();
    assert_eq!(
        c.try_add_assets(&Vec::new(&f.env)),
        Err(Ok(Error::NothingToDo))
    );
    assert_eq!(
        c.try_add_assets(&vec![&f.env, f.xlm.clone()]),
        Err(Ok(Error::AssetExists))
    );
    let twice = vec![&f.env, eth.clone(), eth.clone()];
    assert_eq!(c.try_add_assets(&twice), Err(Ok(Error::AssetExists)));
    let mut many = Vec::new(&f.env);
    for i in 0..price_feed::MAX_ASSETS - 1 {
        many.push_back(Asset::Other(Symbol::new(&f.env, &std::format!("A{i}"))));
    }
    assert_eq!(c.try_add_assets(&many), Err(Ok(Error::TooManyAssets)));
    f.sign_as(
        &f.reporter,
        "add_assets",
        (vec![&f.env, eth.clone()],).into_val(&f.env),
    );
    assert!(c.try_add_assets(&vec![&f.env, eth.clone()]).is_err());

    assert_eq!(c.assets(), vec![&f.env, f.xlm.clone(), f.btc.clone()]);
    assert_eq!(c.prices(&eth, &1), None);
}

#[test]
fn reporter_publishes_prices_at_the_rounded_timestamp() {
    let f = Feed::new(8);
    let updates = vec![
        &f.env,
        (f.xlm.clone(), USD / 10),
        (f.btc.clone(), 90_000 * USD),
    ];
    f.client().set_prices(&updates, &START);

    f.assert_auth(
        &f.reporter,
        "set_prices",
        (updates.clone(), START).into_val(&f.env),
    );
    let set = PricesSet {
        timestamp: START_ROUNDED,
        updates,
    };
    assert_eq!(f.events(), std::vec![set.to_xdr(&f.env, &f.id)]);
    let xlm = record(USD / 10, START_ROUNDED);
    assert_eq!(f.client().lastprice(&f.xlm), Some(xlm));
    assert_eq!(f.client().price(&f.xlm, &(START_ROUNDED + 299)), Some(xlm));
    assert_eq!(f.client().prices(&f.xlm, &3), Some(vec![&f.env, xlm]));
    assert_eq!(
        f.client().lastprice(&f.btc),
        Some(record(90_000 * USD, START_ROUNDED))
    );
}

#[test]
fn bad_price_updates_are_refused_and_change_nothing() {
    let f = Feed::new(8);
    f.publish(&f.xlm, USD);
    f.advance(RESOLUTION as u64);
    let c = f.client();
    let now = f.now();
    let unknown = Asset::Other(symbol_short!("DOGE"));
    let one = |asset: &Asset, price: i128| vec![&f.env, (asset.clone(), price)];
    let cases = [
        (Vec::new(&f.env), now, Error::NothingToDo),
        (one(&f.xlm, USD), now + 1, Error::FutureTimestamp),
        (one(&f.xlm, 0), now, Error::InvalidPrice),
        (one(&f.xlm, -USD), now, Error::InvalidPrice),
        (one(&unknown, USD), now, Error::UnknownAsset),
        (one(&f.xlm, 2 * USD), START, Error::NotNewer),
        (
            vec![
                &f.env,
                (f.btc.clone(), USD),
                (f.xlm.clone(), 2 * USD),
                (f.xlm.clone(), 3 * USD),
            ],
            now,
            Error::NotNewer,
        ),
        (
            vec![&f.env, (f.btc.clone(), USD), (f.xlm.clone(), 0)],
            now,
            Error::InvalidPrice,
        ),
    ];
    for (updates, timestamp, error) in cases {
        assert_eq!(c.try_set_prices(&updates, &timestamp), Err(Ok(error)));
    }
    let stranger = Address::generate(&f.env);
    f.sign_as(
        &stranger,
        "set_prices",
        (one(&f.xlm, USD), now).into_val(&f.env),
    );
    assert!(c.try_set_prices(&one(&f.xlm, USD), &now).is_err());

    let first = record(USD, START_ROUNDED);
    assert_eq!(c.lastprice(&f.xlm), Some(first));
    assert_eq!(c.prices(&f.xlm, &8), Some(vec![&f.env, first]));
    assert_eq!(c.lastprice(&f.btc), None);
}

#[test]
fn history_wraps_around_keeping_the_newest_records() {
    let f = Feed::new(3);
    let mut published = std::vec::Vec::new();
    for i in 1..=5 {
        f.publish(&f.xlm, i * USD);
        published.push(record(i * USD, f.now() - f.now() % RESOLUTION as u64));
        f.advance(RESOLUTION as u64);
    }
    let [r1, r2, r3, r4, r5] = published[..] else {
        unreachable!()
    };
    let c = f.client();
    assert_eq!(c.prices(&f.xlm, &10), Some(vec![&f.env, r5, r4, r3]));
    assert_eq!(c.prices(&f.xlm, &2), Some(vec![&f.env, r5, r4]));
    assert_eq!(c.prices(&f.xlm, &0), Some(Vec::new(&f.env)));
    assert_eq!(c.lastprice(&f.xlm), Some(r5));
    assert_eq!(c.price(&f.xlm, &r3.timestamp), Some(r3));
    assert_eq!(c.price(&f.xlm, &r2.timestamp), None);
    assert_eq!(c.price(&f.xlm, &r1.timestamp), None);
}

#[test]
fn price_lookup_skips_intervals_without_a_record() {
    let f = Feed::new(8);
    f.publish(&f.xlm, USD);
    f.advance(2 * RESOLUTION as u64);
    f.publish(&f.xlm, 2 * USD);
    f.advance(RESOLUTION as u64);
    f.publish(&f.xlm, 3 * USD);
    let (t0, t2, t3) = (START_ROUNDED, START_ROUNDED + 600, START_ROUNDED + 900);
    let c = f.client();
    assert_eq!(c.price(&f.xlm, &(t0 + 1)), Some(record(USD, t0)));
    assert_eq!(c.price(&f.xlm, &(t0 + 300)), None);
    assert_eq!(c.price(&f.xlm, &t2), Some(record(2 * USD, t2)));
    assert_eq!(c.price(&f.xlm, &(t3 + 10)), Some(record(3 * USD, t3)));
    assert_eq!(c.price(&f.xlm, &(t3 + 300)), None);
    assert_eq!(c.price(&f.xlm, &(t0 - 1)), None);
}

#[test]
fn reads_of_an_unknown_asset_are_none_and_sep40_clients_work() {
    let f = Feed::new(8);
    f.publish(&f.btc, 7 * USD);
    let sep40 = Sep40Client::new(&f.env, &f.id);
    let doge = Asset::Other(symbol_short!("DOGE"));
    assert_eq!(sep40.lastprice(&doge), None);
    assert_eq!(sep40.prices(&doge, &1), None);
    assert_eq!(sep40.price(&doge, &START), None);
    assert_eq!(
        sep40.lastprice(&f.btc),
        Some(record(7 * USD, START_ROUNDED))
    );
    assert_eq!(sep40.assets(), vec![&f.env, f.xlm.clone(), f.btc.clone()]);
    assert_eq!(
        (sep40.decimals(), sep40.resolution()),
        (DECIMALS, RESOLUTION)
    );
    assert_eq!(sep40.base(), usd(&f.env));
}

#[test]
fn guardian_pauses_updates_and_only_the_admin_resumes_them() {
    let f = Feed::new(8);
    let c = f.client();
    f.sign_as(&f.reporter, "pause", ().into_val(&f.env));
    assert!(c.try_pause().is_err());
    f.env.mock_all_auths();

    c.pause();
    f.assert_auth(&f.guardian, "pause", ().into_val(&f.env));
    let paused = FeedPaused {
        guardian: f.guardian.clone(),
    };
    assert_eq!(f.events(), std::vec![paused.to_xdr(&f.env, &f.id)]);
    assert!(c.paused());
    let updates = vec![&f.env, (f.xlm.clone(), USD)];
    assert_eq!(c.try_set_prices(&updates, &START), Err(Ok(Error::Paused)));
    c.pause();
    assert_eq!(f.events(), std::vec![]);

    f.sign_as(&f.guardian, "unpause", ().into_val(&f.env));
    assert!(c.try_unpause().is_err());
    f.env.mock_all_auths();
    c.unpause();
    f.assert_auth(&f.admin, "unpause", ().into_val(&f.env));
    let unpaused = FeedUnpaused {
        admin: f.admin.clone(),
    };
    assert_eq!(f.events(), std::vec![unpaused.to_xdr(&f.env, &f.id)]);
    c.set_prices(&updates, &START);
    assert_eq!(c.lastprice(&f.xlm), Some(record(USD, START_ROUNDED)));
}

#[test]
fn reporter_change_is_timelocked() {
    let f = Feed::new(8);
    let c = f.client();
    let new_reporter = Address::generate(&f.env);
    let eta = c.queue_reporter(&new_reporter);
    assert_eq!(eta, f.now() + MIN_DELAY);
    f.assert_auth(
        &f.admin,
        "queue_reporter",
        (&new_reporter,).into_val(&f.env),
    );
    assert_eq!(c.try_apply_reporter(), Err(Ok(Error::TooEarly)));
    assert_eq!(
        c.try_queue_reporter(&new_reporter),
        Err(Ok(Error::AlreadyQueued))
    );

    f.advance(MIN_DELAY);
    c.apply_reporter();
    assert_eq!(f.env.auths(), std::vec![]);
    let changed = ReporterChanged {
        old_reporter: f.reporter.clone(),
        new_reporter: new_reporter.clone(),
    };
    assert_eq!(f.events().last(), Some(&changed.to_xdr(&f.env, &f.id)));
    assert_eq!(c.reporter(), new_reporter);

    let updates = vec![&f.env, (f.xlm.clone(), USD)];
    f.sign_as(
        &f.reporter,
        "set_prices",
        (updates.clone(), f.now()).into_val(&f.env),
    );
    assert!(c.try_set_prices(&updates, &f.now()).is_err());
    f.env.mock_all_auths();
    c.set_prices(&updates, &f.now());
    f.assert_auth(
        &new_reporter,
        "set_prices",
        (updates, f.now()).into_val(&f.env),
    );
}

#[test]
fn reporter_change_can_be_cancelled() {
    let f = Feed::new(8);
    let c = f.client();
    c.queue_reporter(&Address::generate(&f.env));
    c.cancel_reporter();
    f.assert_auth(&f.admin, "cancel_reporter", ().into_val(&f.env));
    f.advance(MIN_DELAY);
    assert_eq!(c.try_apply_reporter(), Err(Ok(Error::NotQueued)));
    assert_eq!(c.try_cancel_reporter(), Err(Ok(Error::NotQueued)));
    assert_eq!(c.reporter(), f.reporter);
}

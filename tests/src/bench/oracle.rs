//! SEP-40 price feed, oracle-adapter and the governance entry points every contract shares.
//!
//! The adapter reads the real `price-feed` contract here (one feed per asset), so the pull-path
//! rows are what a deployment with one feed per asset pays.

use oracle_adapter::{Feed, OracleAdapterClient, SourceConfig};
use price_feed::PriceFeedClient;
use sep40::{Asset, Sep40Client};
use soroban_sdk::testutils::{Address as _, Ledger as _};
use soroban_sdk::{vec, Address, Bytes, Env, IntoVal, Symbol, Val, Vec};

use super::{Cost, Table};
use crate::fixture::{usd, ADAPTER_DECIMALS, DELAY, RATIO_ONE, RESOLUTION, START_TIME};
use crate::wasm;

/// Records each feed keeps.
const HISTORY: u32 = 32;
/// 1 USD at 14 decimals.
const USD: i128 = 100_000_000_000_000;
/// Asset counts of the `quotes` rows.
pub const QUOTE_COUNTS: [usize; 4] = [1, 4, 8, 16];

/// An adapter over one real price feed per token, all sources applied and priced.
pub struct OracleBench {
    pub env: Env,
    pub admin: Address,
    pub guardian: Address,
    pub feed: PriceFeedClient<'static>,
    pub adapter: OracleAdapterClient<'static>,
    pub tokens: std::vec::Vec<Address>,
}

impl OracleBench {
    /// `n` tokens, each quoted by its own asset on one shared price feed.
    pub fn new(n: usize) -> Self {
        let env = Env::default();
        env.mock_all_auths();
        env.ledger().set_timestamp(START_TIME);
        // Setup is not measured; lift the test host's shadow budget (see `Cost::measure`).
        env.cost_estimate().budget().reset_unlimited();
        let admin = Address::generate(&env);
        let guardian = Address::generate(&env);
        let reporter = Address::generate(&env);
        let feed_args = (
            &admin,
            &guardian,
            DELAY,
            &reporter,
            usd(),
            ADAPTER_DECIMALS,
            RESOLUTION,
            HISTORY,
        );
        let feed_id = env.register(wasm::load("price-feed").as_slice(), feed_args);
        let feed = PriceFeedClient::new(&env, &feed_id);
        let adapter_args = (
            &admin,
            &guardian,
            DELAY,
            usd(),
            ADAPTER_DECIMALS,
            RESOLUTION,
        );
        let adapter_id = env.register(wasm::load("oracle-adapter").as_slice(), adapter_args);
        let adapter = OracleAdapterClient::new(&env, &adapter_id);
        let tokens: std::vec::Vec<Address> = (0..n)
            .map(|_| {
                env.register_stellar_asset_contract_v2(admin.clone())
                    .address()
            })
            .collect();
        let bench = OracleBench {
            env,
            admin,
            guardian,
            feed,
            adapter,
            tokens,
        };
        bench.feed.add_assets(&bench.assets(n));
        for t in &bench.tokens {
            bench.adapter.queue_source(t, &bench.config(t));
        }
        bench.advance(DELAY);
        for t in &bench.tokens {
            bench.adapter.apply_source(t);
        }
        bench.publish(USD);
        bench
    }

    /// A one-feed source for `token`: max_age 600 s, deviation 2 %, no TWAP, jump 10 %.
    pub fn config(&self, token: &Address) -> SourceConfig {
        SourceConfig {
            feeds: vec![
                &self.env,
                Feed {
                    contract: self.feed.address.clone(),
                    asset: Asset::Stellar(token.clone()),
                },
            ],
            max_age: 600,
            max_deviation: RATIO_ONE / 50,
            twap_records: 0,
            max_jump: RATIO_ONE / 10,
            jump_confirm: 900,
        }
    }

    /// The first `n` tokens as SEP-40 assets.
    pub fn assets(&self, n: usize) -> Vec<Asset> {
        let mut out = Vec::new(&self.env);
        for t in self.tokens.iter().take(n) {
            out.push_back(Asset::Stellar(t.clone()));
        }
        out
    }

    /// The first `n` tokens.
    pub fn token_vec(&self, n: usize) -> Vec<Address> {
        let mut out = Vec::new(&self.env);
        for t in self.tokens.iter().take(n) {
            out.push_back(t.clone());
        }
        out
    }

    pub fn advance(&self, seconds: u64) {
        let now = self.env.ledger().timestamp();
        self.env.ledger().set_timestamp(now + seconds);
    }

    /// A new record for every token at `price`, timestamped now.
    pub fn publish(&self, price: i128) {
        let mut updates = Vec::new(&self.env);
        for a in self.assets(self.tokens.len()).iter() {
            updates.push_back((a, price));
        }
        self.feed
            .set_prices(&updates, &self.env.ledger().timestamp());
    }

    /// The next resolution interval with a new record everywhere, so cached quotes are outdated.
    pub fn next_interval(&self, price: i128) {
        self.advance(RESOLUTION as u64);
        self.publish(price);
    }
}

/// `quotes` over `n` assets on the pull path (new records) then the cached path.
pub fn quotes_costs(b: &OracleBench, n: usize) -> (Cost, Cost) {
    b.next_interval(USD);
    let assets = b.token_vec(n);
    let (_, pull) = Cost::measure(&b.env, || b.adapter.quotes(&assets));
    let (_, cached) = Cost::measure(&b.env, || b.adapter.quotes(&assets));
    (pull, cached)
}

/// The price feed's entry points.
pub fn feed_table() -> Table {
    let b = OracleBench::new(16);
    let env = &b.env;
    let mut t = Table::new("price-feed (SEP-40)");
    t.note(format!(
        "One feed quoting 16 assets, {HISTORY} records kept per asset."
    ));
    let one = b.assets(1).get_unchecked(0);
    for n in [1usize, 16] {
        b.advance(RESOLUTION as u64);
        let mut updates = Vec::new(env);
        for a in b.assets(n).iter() {
            updates.push_back((a, USD));
        }
        let now = env.ledger().timestamp();
        t.push(
            "set_prices",
            format!("{n} assets"),
            Cost::measure(env, || b.feed.set_prices(&updates, &now)).1,
        );
    }
    let reads = Sep40Client::new(env, &b.feed.address);
    let now = env.ledger().timestamp();
    t.push(
        "lastprice",
        "",
        Cost::measure(env, || reads.lastprice(&one)).1,
    );
    t.push(
        "price",
        "at a timestamp",
        Cost::measure(env, || reads.price(&one, &now)).1,
    );
    for n in [1u32, HISTORY] {
        t.push(
            "prices",
            format!("{n} records"),
            Cost::measure(env, || reads.prices(&one, &n)).1,
        );
    }
    t.push("decimals", "", Cost::measure(env, || reads.decimals()).1);
    t.push(
        "resolution",
        "",
        Cost::measure(env, || reads.resolution()).1,
    );
    t.push("base", "", Cost::measure(env, || reads.base()).1);
    t.push(
        "assets",
        "16 assets",
        Cost::measure(env, || reads.assets()).1,
    );
    let new_asset = vec![env, Asset::Other(Symbol::new(env, "NEW"))];
    t.push(
        "add_assets",
        "1 asset",
        Cost::measure(env, || b.feed.add_assets(&new_asset)).1,
    );
    t.push("pause", "", Cost::measure(env, || b.feed.pause()).1);
    t.push("unpause", "", Cost::measure(env, || b.feed.unpause()).1);
    let reporter = Address::generate(env);
    t.push(
        "queue_reporter",
        "",
        Cost::measure(env, || b.feed.queue_reporter(&reporter)).1,
    );
    t.push(
        "cancel_reporter",
        "",
        Cost::measure(env, || b.feed.cancel_reporter()).1,
    );
    b.feed.queue_reporter(&reporter);
    b.advance(DELAY);
    t.push(
        "apply_reporter",
        "",
        Cost::measure(env, || b.feed.apply_reporter()).1,
    );
    t.push("reporter", "", Cost::measure(env, || b.feed.reporter()).1);
    t.push("paused", "", Cost::measure(env, || b.feed.paused()).1);
    t.push(
        "history_length",
        "",
        Cost::measure(env, || b.feed.history_length()).1,
    );
    t
}

/// The adapter's entry points, `quotes` for 1, 4, 8, 16 assets on both paths.
pub fn adapter_table() -> Table {
    let b = OracleBench::new(16);
    let env = &b.env;
    let mut t = Table::new("oracle-adapter");
    t.note(
        "`quotes` cached: every asset's record is still the feed's newest (SPEC §4), served from \
         the adapter's own storage with no cross-contract call. Pull: a new record on every feed, \
         read with one `lastprice` call per feed. Target: cached 16 assets ≤ 2,000,000 \
         instructions and ≤ 4 MB.",
    );
    for n in QUOTE_COUNTS {
        let (pull, cached) = quotes_costs(&b, n);
        t.push("quotes", format!("{n} assets, cached"), cached);
        t.push("quotes", format!("{n} assets, pull from feeds"), pull);
    }
    for n in [1usize, 16] {
        b.next_interval(USD);
        let assets = b.token_vec(n);
        t.push(
            "refresh",
            format!("{n} assets, new records"),
            Cost::measure(env, || b.adapter.refresh(&assets)).1,
        );
        t.push(
            "refresh",
            format!("{n} assets, unchanged"),
            Cost::measure(env, || b.adapter.refresh(&assets)).1,
        );
    }
    let token = b.tokens[0].clone();
    let asset = Asset::Stellar(token.clone());
    t.push(
        "lastprice",
        "",
        Cost::measure(env, || b.adapter.lastprice(&asset)).1,
    );
    t.push(
        "decimals",
        "",
        Cost::measure(env, || b.adapter.decimals()).1,
    );
    t.push("base", "", Cost::measure(env, || b.adapter.base()).1);
    t.push(
        "resolution",
        "",
        Cost::measure(env, || b.adapter.resolution()).1,
    );
    t.push(
        "assets",
        "16 assets",
        Cost::measure(env, || b.adapter.assets()).1,
    );
    t.push(
        "source",
        "",
        Cost::measure(env, || b.adapter.source(&token)).1,
    );
    t.push(
        "price_state",
        "",
        Cost::measure(env, || b.adapter.price_state(&token)).1,
    );
    let guardian = b.guardian.clone();
    t.push(
        "trip",
        "guardian",
        Cost::measure(env, || b.adapter.trip(&guardian, &token)).1,
    );
    t.push(
        "clear",
        "guardian",
        Cost::measure(env, || b.adapter.clear(&guardian, &token)).1,
    );
    let config = b.config(&token);
    t.push("cancel_source", "", {
        b.adapter.queue_source(&token, &config);
        Cost::measure(env, || b.adapter.cancel_source(&token)).1
    });
    t.push(
        "queue_source",
        "1 feed",
        Cost::measure(env, || b.adapter.queue_source(&token, &config)).1,
    );
    b.advance(DELAY);
    t.push(
        "apply_source",
        "1 feed",
        Cost::measure(env, || b.adapter.apply_source(&token)).1,
    );
    t
}

/// The `Governed` entry points, on the oracle-adapter (the same library code runs in every
/// contract; only the contract's wasm size changes the figures).
pub fn governance_table() -> Table {
    let b = OracleBench::new(1);
    let env = &b.env;
    let a = &b.adapter;
    let mut t = Table::new("Governance (`Governed`, on oracle-adapter)");
    t.push("admin", "", Cost::measure(env, || a.admin()).1);
    t.push("guardian", "", Cost::measure(env, || a.guardian()).1);
    t.push(
        "timelock_delay",
        "",
        Cost::measure(env, || a.timelock_delay()).1,
    );
    let kind = Symbol::new(env, "source");
    let subject: Val = b.tokens[0].clone().into_val(env);
    t.push(
        "change_eta",
        "",
        Cost::measure(env, || a.change_eta(&kind, &subject)).1,
    );
    let new_admin = Address::generate(env);
    t.push(
        "propose_admin",
        "",
        Cost::measure(env, || a.propose_admin(&new_admin)).1,
    );
    t.push(
        "cancel_admin",
        "",
        Cost::measure(env, || a.cancel_admin()).1,
    );
    a.propose_admin(&new_admin);
    let guardian = Address::generate(env);
    t.push(
        "queue_guardian",
        "",
        Cost::measure(env, || a.queue_guardian(&guardian)).1,
    );
    t.push(
        "cancel_guardian",
        "",
        Cost::measure(env, || a.cancel_guardian()).1,
    );
    a.queue_guardian(&guardian);
    let delay = DELAY * 2;
    t.push(
        "queue_delay",
        "",
        Cost::measure(env, || a.queue_delay(&delay)).1,
    );
    t.push(
        "cancel_delay",
        "",
        Cost::measure(env, || a.cancel_delay()).1,
    );
    a.queue_delay(&delay);
    let wasm = env
        .deployer()
        .upload_contract_wasm(Bytes::from_slice(env, &wasm::load("oracle-adapter")));
    t.push(
        "queue_upgrade",
        "",
        Cost::measure(env, || a.queue_upgrade(&wasm)).1,
    );
    t.push(
        "cancel_upgrade",
        "",
        Cost::measure(env, || a.cancel_upgrade()).1,
    );
    a.queue_upgrade(&wasm);
    b.advance(DELAY);
    t.push(
        "accept_admin",
        "",
        Cost::measure(env, || a.accept_admin()).1,
    );
    t.push(
        "apply_guardian",
        "",
        Cost::measure(env, || a.apply_guardian()).1,
    );
    t.push("apply_delay", "", Cost::measure(env, || a.apply_delay()).1);
    t.push(
        "apply_upgrade",
        "same code",
        Cost::measure(env, || a.apply_upgrade()).1,
    );
    t
}

//! The protocol deployed in WASM inside one `Env::default()`: today the oracle side (mock feeds
//! and oracle-adapter) and the tokens it prices; vaults, margin-account and the auction extend it.
//!
//! Every contract runs from its optimised build (`scripts/build-wasm.sh`), so calls pay real VM,
//! storage and cross-contract costs under the mainnet limits `Env::default()` enforces. Auths are
//! mocked (`mock_all_auths`) and asserted through `env.auths()` by the tests.

use oracle_adapter::{Feed, OracleAdapterClient, SourceConfig};
use sep40::{Asset, PriceData};
use soroban_sdk::testutils::{Address as _, Ledger as _};
use soroban_sdk::{contractclient, symbol_short, vec, Address, Env, Vec};

use crate::wasm;

/// Ledger time the fixture starts at (a realistic timestamp, so `now - max_age` never wraps).
pub const START_TIME: u64 = 1_750_000_000;
/// Timelock delay of the fixture's contracts (governance's floor, 24 h).
pub const DELAY: u64 = governance::MIN_DELAY;
/// Adapter and default feed resolution, as Reflector: 300 s.
pub const RESOLUTION: u32 = 300;
/// Adapter price decimals (SPEC §2 default).
pub const ADAPTER_DECIMALS: u32 = 14;
/// 1.0 as a 7-decimal ratio (the ABI convention, SPEC §2).
pub use risk_core::oracle::RATIO_ONE;

/// The mock feed's setters (`tests/contracts/mock-feed`); its reads are `sep40::Sep40Client`.
#[contractclient(name = "MockFeedClient")]
pub trait MockFeed {
    fn set_failing(env: Env, failing: bool);
    fn set_decimals(env: Env, decimals: u32);
    fn set_resolution(env: Env, resolution: u32);
    fn push(env: Env, asset: Asset, price: i128, timestamp: u64);
    fn set_records(env: Env, asset: Asset, records: Vec<PriceData>);
}

/// Mock feeds, the adapter and tokens to price.
pub struct OracleFixture<'a> {
    pub env: Env,
    pub admin: Address,
    pub guardian: Address,
    pub adapter: OracleAdapterClient<'a>,
    /// Stellar asset contracts the tests quote.
    pub tokens: std::vec::Vec<Address>,
}

impl<'a> OracleFixture<'a> {
    /// An adapter (14 decimals, 300 s resolution, USD base) and `n_tokens` tokens, no feeds yet.
    pub fn new(n_tokens: usize) -> Self {
        let env = Env::default();
        // The test host meters every call of an `Env` against one cumulative budget (and charges
        // its debug events to it); deploying the whole protocol alone can exhaust it. Lift it:
        // the mainnet per-transaction limits stay enforced on every invocation.
        env.cost_estimate().budget().reset_unlimited();
        env.mock_all_auths();
        env.ledger().set_timestamp(START_TIME);
        let admin = Address::generate(&env);
        let guardian = Address::generate(&env);
        let args = (
            admin.clone(),
            guardian.clone(),
            DELAY,
            usd(),
            ADAPTER_DECIMALS,
            RESOLUTION,
        );
        let adapter_id = env.register(wasm::load("oracle-adapter").as_slice(), args);
        let adapter = OracleAdapterClient::new(&env, &adapter_id);
        let tokens = (0..n_tokens)
            .map(|_| {
                env.register_stellar_asset_contract_v2(admin.clone())
                    .address()
            })
            .collect();
        OracleFixture {
            env,
            admin,
            guardian,
            adapter,
            tokens,
        }
    }

    /// Deploys a mock feed with `decimals` and `resolution`.
    pub fn new_feed(&self, decimals: u32, resolution: u32) -> Address {
        let args = (usd(), decimals, resolution);
        self.env.register(wasm::load("mock-feed").as_slice(), args)
    }

    /// The mock feed's setter client.
    pub fn feed(&self, feed: &Address) -> MockFeedClient<'a> {
        MockFeedClient::new(&self.env, feed)
    }

    /// Publishes `price` for `token` on `feed`, timestamped now.
    pub fn push(&self, feed: &Address, token: &Address, price: i128) {
        self.push_at(feed, token, price, self.now());
    }

    /// Publishes `price` for `token` on `feed` at `timestamp` (unchecked: may be in the future).
    pub fn push_at(&self, feed: &Address, token: &Address, price: i128, timestamp: u64) {
        self.feed(feed)
            .push(&Asset::Stellar(token.clone()), &price, &timestamp);
    }

    pub fn now(&self) -> u64 {
        self.env.ledger().timestamp()
    }

    /// Moves ledger time forward by `seconds`.
    pub fn advance(&self, seconds: u64) {
        self.env.ledger().set_timestamp(self.now() + seconds);
    }

    /// A config over `feeds` (each quoting `token` as `Asset::Stellar(token)`) with the fixture's
    /// defaults: max_age 600 s, max_deviation 2%, no TWAP, max_jump 10% per interval,
    /// jump_confirm 900 s.
    pub fn config(&self, token: &Address, feeds: &[&Address]) -> SourceConfig {
        let mut list = Vec::new(&self.env);
        for f in feeds {
            list.push_back(Feed {
                contract: (*f).clone(),
                asset: Asset::Stellar(token.clone()),
            });
        }
        SourceConfig {
            feeds: list,
            max_age: 600,
            max_deviation: RATIO_ONE / 50,
            twap_records: 0,
            max_jump: RATIO_ONE / 10,
            jump_confirm: 900,
        }
    }

    /// Queues `config` for `token`, waits out the timelock, applies it. Ledger time advances by
    /// the delay.
    pub fn set_source(&self, token: &Address, config: &SourceConfig) {
        self.adapter.queue_source(token, config);
        self.advance(DELAY);
        self.adapter.apply_source(token);
    }

    /// For each token: one fresh `decimals`-decimal feed at `price` (whole units scaled), source
    /// applied, prices pushed at the current (post-timelock) time. Returns the feeds.
    pub fn list_with_one_feed(&self, price: i128, decimals: u32) -> std::vec::Vec<Address> {
        let feeds: std::vec::Vec<Address> = self
            .tokens
            .iter()
            .map(|_| self.new_feed(decimals, RESOLUTION))
            .collect();
        for (token, feed) in self.tokens.iter().zip(&feeds) {
            self.adapter
                .queue_source(token, &self.config(token, &[feed]));
        }
        self.advance(DELAY);
        for (token, feed) in self.tokens.iter().zip(&feeds) {
            self.adapter.apply_source(token);
            self.push(feed, token, price);
        }
        feeds
    }

    /// The tokens as a soroban `Vec`, for `quotes` and `refresh`.
    pub fn token_vec(&self, n: usize) -> Vec<Address> {
        let mut out = vec![&self.env];
        for t in self.tokens.iter().take(n) {
            out.push_back(t.clone());
        }
        out
    }
}

/// The fixture's base asset.
pub fn usd() -> Asset {
    Asset::Other(symbol_short!("USD"))
}

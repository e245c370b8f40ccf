//! The production `price-feed` contract in the protocol fixture: deployed from its WASM build
//! with a reporter, quoting protocol tokens, and wired as the oracle-adapter's only source of a
//! token in place of the fixture's mock feed. Tests then push prices the way a reporter would,
//! through `set_prices`, and read what the adapter and margin-account make of them.

use oracle_adapter::{Feed, SourceConfig};
use price_feed::PriceFeedClient;
use sep40::Asset;
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{vec, Address, Env};

use crate::fixture::{usd, DELAY, RESOLUTION};
use crate::protocol_fixture::Protocol;
use crate::wasm;

/// Records a feed keeps per asset in these fixtures.
pub const HISTORY: u32 = 16;

/// Deploys a price-feed (base USD, `decimals`, the fixture's resolution) whose reporter is
/// `reporter`, governed by `admin` and `guardian`.
pub fn deploy<'a>(
    env: &Env,
    admin: &Address,
    guardian: &Address,
    reporter: &Address,
    decimals: u32,
) -> PriceFeedClient<'a> {
    let args = (
        admin.clone(),
        guardian.clone(),
        DELAY,
        reporter.clone(),
        usd(),
        decimals,
        RESOLUTION,
        HISTORY,
    );
    let id = env.register(wasm::load("price-feed").as_slice(), args);
    PriceFeedClient::new(env, &id)
}

/// A price-feed quoting token `i` of `p` and made its only adapter source.
pub struct WiredFeed<'a> {
    pub feed: PriceFeedClient<'a>,
    pub reporter: Address,
    pub token: Address,
}

impl<'a> WiredFeed<'a> {
    /// Deploys a `decimals`-decimal feed for token `i`, publishes `price` (at the feed's
    /// decimals) now, and replaces the token's adapter source with it (timelock waited: time moves by the delay, every other
    /// price re-published). The source keeps the token's limits (in the protocol fixture:
    /// max_age [`crate::protocol_fixture::MAX_AGE`], max_jump 100 %). The mock feed the fixture
    /// re-publishes to is no longer read: the test publishes through [`WiredFeed::publish`].
    pub fn replace_source(p: &Protocol<'a>, i: usize, decimals: u32, price: i128) -> Self {
        let env = &p.env;
        let reporter = Address::generate(env);
        let feed = deploy(env, &p.admin, &p.guardian, &reporter, decimals);
        let token = p.tokens[i].clone();
        feed.add_assets(&vec![env, Asset::Stellar(token.clone())]);
        // The token's current limits, with the new feed as its only feed.
        let current = p
            .oracle
            .adapter
            .source(&token)
            .expect("the token has a source");
        let feeds = vec![
            env,
            Feed {
                contract: feed.address.clone(),
                asset: Asset::Stellar(token.clone()),
            },
        ];
        let config = SourceConfig {
            feeds,
            max_age: current.max_age,
            max_deviation: current.max_deviation,
            twap_records: current.twap_records,
            max_jump: current.max_jump,
            jump_confirm: current.jump_confirm,
        };
        p.oracle.adapter.queue_source(&token, &config);
        p.advance(DELAY);
        let wired = WiredFeed {
            feed,
            reporter,
            token,
        };
        wired.publish(price, p.now());
        p.oracle.adapter.apply_source(&wired.token);
        wired
    }

    /// The reporter publishes `price` for the token, observed at `timestamp`.
    pub fn publish(&self, price: i128, timestamp: u64) {
        let env = self.feed.env.clone();
        let update = (Asset::Stellar(self.token.clone()), price);
        self.feed.set_prices(&vec![&env, update], &timestamp);
    }
}

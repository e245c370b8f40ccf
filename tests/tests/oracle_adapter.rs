//! oracle-adapter against WASM mock feeds (SPEC §4): every pricing rule, the circuit breaker,
//! source configuration through the timelock, and the cost of `quotes`.
//!
//! Prices in comments are in whole USD; `usd(x)` is `x` at the adapter's 14 decimals.

#[path = "oracle_adapter/breaker.rs"]
mod breaker;
#[path = "oracle_adapter/config.rs"]
mod config;
#[path = "oracle_adapter/cost.rs"]
mod cost;
#[path = "oracle_adapter/packed.rs"]
mod packed;
#[path = "oracle_adapter/prices.rs"]
mod prices;

use oracle_adapter::{Error, Quote};
use protocol_tests::fixture::OracleFixture;
use soroban_sdk::testutils::Events as _;
use soroban_sdk::{vec, xdr, Address, Event};

/// `x` whole USD at 14 decimals.
pub fn usd(x: i128) -> i128 {
    x * 100_000_000_000_000
}

/// `quotes([token])` as a single result.
pub fn quote(f: &OracleFixture, token: &Address) -> Result<Quote, Error> {
    match f.adapter.try_quotes(&vec![&f.env, token.clone()]) {
        Ok(Ok(q)) => Ok(q.get_unchecked(0)),
        Err(Ok(e)) => Err(e),
        other => panic!("unexpected quotes outcome {other:?}"),
    }
}

/// The events the adapter published in the last call.
pub fn adapter_events(f: &OracleFixture) -> std::vec::Vec<xdr::ContractEvent> {
    f.env
        .events()
        .all()
        .filter_by_contract(&f.adapter.address)
        .events()
        .to_vec()
}

/// `event` as the adapter would publish it.
pub fn ev(f: &OracleFixture, event: &impl Event) -> xdr::ContractEvent {
    event.to_xdr(&f.env, &f.adapter.address)
}

/// A fixture with one token and `feeds` fresh mock feeds (decimals 7, resolution 300) at the given
/// prices (whole USD x 100, i.e. cents), source applied with `tweak`ed defaults.
pub fn setup(
    cents: &[i128],
    tweak: impl FnOnce(&mut oracle_adapter::SourceConfig),
) -> (OracleFixture<'static>, Address, std::vec::Vec<Address>) {
    let f = OracleFixture::new(1);
    let token = f.tokens[0].clone();
    let feeds: std::vec::Vec<Address> = cents.iter().map(|_| f.new_feed(7, 300)).collect();
    let refs: std::vec::Vec<&Address> = feeds.iter().collect();
    let mut config = f.config(&token, &refs);
    tweak(&mut config);
    f.set_source(&token, &config);
    for (feed, c) in feeds.iter().zip(cents) {
        f.push(feed, &token, c * 100_000);
    }
    (f, token, feeds)
}

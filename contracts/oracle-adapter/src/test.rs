//! Unit tests of the pure parts (breaker decisions, the stored layout) and of the constructor's
//! checks. The contract's behaviour against WASM feeds is tested in
//! `tests/tests/oracle_adapter.rs`.

extern crate std;

use soroban_sdk::testutils::Address as _;
use soroban_sdk::{symbol_short, Address, Env, Vec};

use crate::breaker::{judge, Verdict};
use crate::feeds::Candidate;
use crate::types::{Breaker, FeedInfo, JumpPending, PriceState, Source};
use crate::{codec, OracleAdapter};

const TEN_PCT: i128 = 1_000_000;

fn source(env: &Env) -> Source {
    let feed = FeedInfo {
        contract: Address::generate(env),
        asset: sep40::Asset::Other(symbol_short!("XLM")),
        decimals: 7,
        resolution: 300,
    };
    Source {
        feeds: Vec::from_array(env, [feed]),
        max_age: 600,
        max_deviation: TEN_PCT,
        twap_records: 0,
        max_jump: TEN_PCT,
        jump_confirm: 900,
    }
}

fn state(spot: i128, timestamp: u64, breaker: Breaker) -> PriceState {
    PriceState {
        spot,
        low: spot,
        high: spot,
        timestamp,
        valid_until: 0,
        breaker,
    }
}

fn candidate(spot: i128, timestamp: u64) -> Candidate {
    Candidate {
        spot,
        low: spot,
        high: spot,
        timestamp,
        valid_until: timestamp + 300,
    }
}

#[test]
fn breaker_decisions_follow_the_state_machine() {
    let env = Env::default();
    let src = source(&env);
    let closed = state(1_000, 0, Breaker::Closed);
    let cases = [
        (PriceState::empty(), candidate(5_000, 0), Verdict::Accept),
        (closed, candidate(1_100, 300), Verdict::Accept),
        (
            closed,
            candidate(1_101, 300),
            Verdict::Trip { reference: 1_000 },
        ),
        (closed, candidate(1_200, 301), Verdict::Accept), // two intervals
        (
            state(1_000, 0, Breaker::Manual),
            candidate(1_000, 300),
            Verdict::Open,
        ),
        (
            state(1_000, 0, Breaker::Cleared),
            candidate(9_000, 300),
            Verdict::Accept,
        ),
    ];
    for (s, c, expected) in cases {
        assert_eq!(judge(&s, &c, &src), Ok(expected), "{s:?} {c:?}");
    }
    let jumped = state(
        1_000,
        0,
        Breaker::Jump(JumpPending {
            price: 1_500,
            since: 300,
        }),
    );
    assert_eq!(
        judge(&jumped, &candidate(1_510, 900), &src),
        Ok(Verdict::Hold)
    );
    assert_eq!(
        judge(&jumped, &candidate(1_490, 1_200), &src),
        Ok(Verdict::Confirm { since: 300 })
    );
    assert_eq!(
        judge(&jumped, &candidate(1_000, 600), &src),
        Ok(Verdict::Restart)
    );
}

#[test]
fn the_stored_layout_round_trips_every_breaker() {
    let pending = JumpPending {
        price: i128::MAX,
        since: u64::MAX,
    };
    for breaker in [
        Breaker::Closed,
        Breaker::Cleared,
        Breaker::Manual,
        Breaker::Jump(pending),
    ] {
        let s = PriceState {
            spot: 1,
            low: -2,
            high: i128::MIN,
            timestamp: 7,
            valid_until: u64::MAX,
            breaker,
        };
        assert_eq!(codec::decode(&codec::encode(&s)), Some(s));
    }
    let mut bad = codec::encode(&PriceState::empty());
    bad[codec::TAG_AT] = 9;
    assert_eq!(codec::decode(&bad), None);
    bad[codec::TAG_AT] = 0;
    assert_eq!(codec::decode(&bad), Some(PriceState::empty()));
    bad[codec::VERSION_AT] = codec::VERSION + 1;
    assert_eq!(codec::decode(&bad), None);
}

fn deploy(decimals: u32, resolution: u32) {
    let env = Env::default();
    let args = (
        Address::generate(&env),
        Address::generate(&env),
        governance::MIN_DELAY,
        sep40::Asset::Other(symbol_short!("USD")),
        decimals,
        resolution,
    );
    env.register(OracleAdapter, args);
}

#[test]
#[should_panic(expected = "Error(Contract, #120)")]
fn the_constructor_refuses_more_than_18_decimals() {
    deploy(19, 300);
}

#[test]
#[should_panic(expected = "Error(Contract, #121)")]
fn the_constructor_refuses_a_zero_resolution() {
    deploy(14, 0);
}

#[test]
#[should_panic(expected = "Error(Contract, #502)")]
fn the_constructor_refuses_a_delay_below_the_floor() {
    let env = Env::default();
    let args = (
        Address::generate(&env),
        Address::generate(&env),
        governance::MIN_DELAY - 1,
        sep40::Asset::Other(symbol_short!("USD")),
        14u32,
        300u32,
    );
    env.register(OracleAdapter, args);
}

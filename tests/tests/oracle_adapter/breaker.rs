//! The jump circuit breaker: trips, scaling by elapsed intervals, confirmation, restart, the
//! guardian's trip and clear, and `refresh` statuses.
//!
//! Defaults: max_jump 10% per 300 s interval, jump_confirm 900 s, one 7-decimal feed at 100.

use oracle_adapter::{
    Breaker, BreakerCleared, BreakerConfirmed, BreakerForced, BreakerPending, BreakerTripped,
    Error, JumpPending, PriceAccepted, RefreshStatus,
};
use soroban_sdk::testutils::{Address as _, AuthorizedFunction, AuthorizedInvocation};
use soroban_sdk::{vec, Address, IntoVal, Symbol};

use crate::{adapter_events, ev, quote, setup, usd};

/// 7-decimal feed price of `cents`.
fn px(cents: i128) -> i128 {
    cents * 100_000
}

/// A feed at 100 whose price was accepted; returns after `advance(300)`.
fn accepted_at_100() -> (
    protocol_tests::fixture::OracleFixture<'static>,
    Address,
    Address,
) {
    let (f, token, feeds) = setup(&[10_000], |_| {});
    quote(&f, &token).unwrap();
    f.advance(300);
    (f, token, feeds[0].clone())
}

fn refresh(f: &protocol_tests::fixture::OracleFixture, token: &Address) -> RefreshStatus {
    f.adapter
        .refresh(&vec![&f.env, token.clone()])
        .get_unchecked(0)
}

#[test]
fn a_jump_fails_quotes_without_a_trace_and_refresh_trips_the_breaker() {
    let (f, token, feed) = accepted_at_100();
    f.push(&feed, &token, px(11_100)); // +11% in one interval
    let before = f.adapter.price_state(&token).unwrap();
    assert_eq!(quote(&f, &token), Err(Error::CircuitOpen));
    assert_eq!(f.adapter.price_state(&token).unwrap(), before);

    assert_eq!(refresh(&f, &token), RefreshStatus::Tripped);
    let tripped = BreakerTripped {
        asset: token.clone(),
        reference: usd(100),
        price: usd(111),
        timestamp: f.now(),
    };
    assert_eq!(adapter_events(&f), [ev(&f, &tripped)]);
    let pending = JumpPending {
        price: usd(111),
        since: f.now(),
    };
    let state = f.adapter.price_state(&token).unwrap();
    assert_eq!(state.breaker, Breaker::Jump(pending));
    assert_eq!(state.spot, usd(100)); // the last accepted price is kept
    assert_eq!(quote(&f, &token), Err(Error::CircuitOpen));
}

#[test]
fn the_jump_allowance_grows_with_the_intervals_elapsed() {
    let (f, token, feed) = accepted_at_100();
    f.advance(1); // 301 s: two intervals, 20% allowed
    f.push(&feed, &token, px(11_900));
    assert_eq!(quote(&f, &token).unwrap().spot, usd(119));
    f.advance(300);
    f.push(&feed, &token, px(10_800)); // -9.2% in one interval
    assert_eq!(refresh(&f, &token), RefreshStatus::Accepted);
}

#[test]
fn a_jumped_level_that_holds_for_jump_confirm_is_accepted() {
    let (f, token, feed) = accepted_at_100();
    f.push(&feed, &token, px(11_100));
    assert_eq!(refresh(&f, &token), RefreshStatus::Tripped);
    let since = f.now();
    for cents in [11_200, 11_100] {
        f.advance(300);
        f.push(&feed, &token, px(cents));
        assert_eq!(refresh(&f, &token), RefreshStatus::Pending);
        assert!(adapter_events(&f).is_empty()); // holding changes nothing
    }
    f.advance(300);
    f.push(&feed, &token, px(11_150)); // 900 s at the level
    assert_eq!(refresh(&f, &token), RefreshStatus::Confirmed);
    let p = usd(11_150) / 100;
    let confirmed = BreakerConfirmed {
        asset: token.clone(),
        price: p,
        since,
        timestamp: f.now(),
    };
    let accepted = PriceAccepted {
        asset: token.clone(),
        spot: p,
        low: p,
        high: p,
        timestamp: f.now(),
        valid_until: f.now() + 300,
    };
    assert_eq!(adapter_events(&f), [ev(&f, &confirmed), ev(&f, &accepted)]);
    assert_eq!(quote(&f, &token).unwrap().spot, p);
}

#[test]
fn a_level_that_moves_again_restarts_the_confirmation() {
    let (f, token, feed) = accepted_at_100();
    f.push(&feed, &token, px(11_100));
    refresh(&f, &token);
    f.advance(300);
    f.push(&feed, &token, px(15_000)); // +35% from the pending level
    assert_eq!(refresh(&f, &token), RefreshStatus::Pending);
    let restarted = BreakerPending {
        asset: token.clone(),
        price: usd(150),
        since: f.now(),
    };
    assert_eq!(adapter_events(&f), [ev(&f, &restarted)]);
    f.advance(600);
    f.push(&feed, &token, px(15_000));
    assert_eq!(refresh(&f, &token), RefreshStatus::Pending); // 600 s < 900 s since restart
    f.advance(300);
    f.push(&feed, &token, px(15_000));
    assert_eq!(refresh(&f, &token), RefreshStatus::Confirmed);
}

fn auth_of(
    f: &protocol_tests::fixture::OracleFixture,
    who: &Address,
    f_name: &str,
    asset: &Address,
) {
    let args = (who.clone(), asset.clone()).into_val(&f.env);
    let invocation = AuthorizedInvocation {
        function: AuthorizedFunction::Contract((
            f.adapter.address.clone(),
            Symbol::new(&f.env, f_name),
            args,
        )),
        sub_invocations: std::vec![],
    };
    assert_eq!(f.env.auths(), std::vec![(who.clone(), invocation)]);
}

#[test]
fn the_guardian_trips_and_clears_and_the_next_price_skips_the_jump_check() {
    let (f, token, feed) = accepted_at_100();
    let g = f.guardian.clone();
    f.adapter.trip(&g, &token);
    auth_of(&f, &g, "trip", &token);
    let forced = BreakerForced {
        asset: token.clone(),
        caller: g.clone(),
    };
    assert_eq!(adapter_events(&f), [ev(&f, &forced)]);
    f.push(&feed, &token, px(10_000));
    assert_eq!(quote(&f, &token), Err(Error::CircuitOpen));
    assert_eq!(refresh(&f, &token), RefreshStatus::CircuitOpen);

    f.push(&feed, &token, px(20_000)); // +100%: accepted once cleared
    f.adapter.clear(&g, &token);
    auth_of(&f, &g, "clear", &token);
    let cleared = BreakerCleared {
        asset: token.clone(),
        caller: g,
    };
    assert_eq!(adapter_events(&f), [ev(&f, &cleared)]);
    assert_eq!(quote(&f, &token).unwrap().spot, usd(200));
    assert_eq!(
        f.adapter.price_state(&token).unwrap().breaker,
        Breaker::Closed
    );
}

#[test]
fn the_admin_may_clear_a_jump_and_nobody_else_may_trip_or_clear() {
    let (f, token, feed) = accepted_at_100();
    f.push(&feed, &token, px(13_000));
    refresh(&f, &token);
    let state = f.adapter.price_state(&token).unwrap();
    let stranger = Address::generate(&f.env);
    assert_eq!(
        f.adapter.try_trip(&stranger, &token),
        Err(Ok(Error::Unauthorized))
    );
    assert_eq!(
        f.adapter.try_clear(&stranger, &token),
        Err(Ok(Error::Unauthorized))
    );
    assert_eq!(f.adapter.price_state(&token).unwrap(), state);

    f.adapter.clear(&f.admin, &token);
    auth_of(&f, &f.admin, "clear", &token);
    assert_eq!(
        f.adapter.try_clear(&f.admin, &token),
        Err(Ok(Error::BreakerNotOpen))
    );
    assert_eq!(quote(&f, &token).unwrap().spot, usd(130));
    assert_eq!(
        f.adapter.try_clear(&f.guardian, &token),
        Err(Ok(Error::BreakerNotOpen))
    );
    f.adapter.trip(&f.guardian, &token);
    assert_eq!(
        f.adapter.try_trip(&f.admin, &token),
        Err(Ok(Error::BreakerAlreadyOpen))
    );
    let unknown = Address::generate(&f.env);
    assert_eq!(
        f.adapter.try_trip(&f.guardian, &unknown),
        Err(Ok(Error::NoSource))
    );
}

#[test]
fn a_manual_trip_over_a_jump_does_not_confirm_by_itself() {
    let (f, token, feed) = accepted_at_100();
    f.push(&feed, &token, px(13_000));
    refresh(&f, &token);
    f.adapter.trip(&f.guardian, &token);
    for _ in 0..4 {
        f.advance(300);
        f.push(&feed, &token, px(13_000));
        assert_eq!(refresh(&f, &token), RefreshStatus::CircuitOpen);
    }
}

#[test]
fn refresh_reports_each_asset_and_never_fails_as_a_whole() {
    let f = protocol_tests::fixture::OracleFixture::new(3);
    let feeds = f.list_with_one_feed(px(10_000), 7);
    let t = &f.tokens;
    f.feed(&feeds[1]).set_failing(&true);
    let unknown = Address::generate(&f.env);
    let assets = vec![&f.env, t[0].clone(), t[1].clone(), unknown, t[2].clone()];
    let first = f.adapter.refresh(&assets);
    let expected = vec![
        &f.env,
        RefreshStatus::Accepted,
        RefreshStatus::FeedFailed,
        RefreshStatus::NoSource,
        RefreshStatus::Accepted,
    ];
    assert_eq!(first, expected);
    assert_eq!(adapter_events(&f).len(), 2);
    let second = f.adapter.refresh(&assets);
    assert_eq!(second.get_unchecked(0), RefreshStatus::Unchanged);
    assert_eq!(second.get_unchecked(3), RefreshStatus::Unchanged);
    assert!(adapter_events(&f).is_empty());
}

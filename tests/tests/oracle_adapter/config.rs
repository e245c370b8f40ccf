//! Source configuration: validation (bad input queues nothing), the timelock paths, and what
//! `apply_source` reads from the feeds.

use governance::{ChangeCancelled, ChangeQueued};
use oracle_adapter::{Error, Feed, SourceConfig, KIND_SOURCE};
use protocol_tests::fixture::{OracleFixture, DELAY, RATIO_ONE};
use sep40::Asset;
use soroban_sdk::testutils::{AuthorizedFunction, AuthorizedInvocation};
use soroban_sdk::{Address, IntoVal, Symbol, Val};

use crate::{adapter_events, ev, quote};

fn eta(f: &OracleFixture, token: &Address) -> Option<u64> {
    let subject: Val = token.into_val(&f.env);
    f.adapter.change_eta(&KIND_SOURCE, &subject)
}

#[test]
fn invalid_configs_are_refused_and_queue_nothing() {
    let f = OracleFixture::new(1);
    let token = f.tokens[0].clone();
    let (a, b, c, d) = (
        f.new_feed(7, 300),
        f.new_feed(7, 300),
        f.new_feed(7, 300),
        f.new_feed(7, 300),
    );
    let base = f.config(&token, &[&a]);
    let with = |edit: &dyn Fn(&mut SourceConfig)| {
        let mut cfg = base.clone();
        edit(&mut cfg);
        cfg
    };
    let cases: std::vec::Vec<(SourceConfig, Error)> = std::vec![
        (f.config(&token, &[]), Error::InvalidFeeds),
        (f.config(&token, &[&a, &b, &c, &d]), Error::InvalidFeeds),
        (f.config(&token, &[&a, &b, &a]), Error::InvalidFeeds),
        (f.config(&token, &[&f.adapter.address]), Error::InvalidFeeds),
        (with(&|c| c.max_age = 0), Error::InvalidMaxAge),
        (
            with(&|c| c.max_age = oracle_adapter::MAX_AGE_LIMIT + 1),
            Error::InvalidMaxAge
        ),
        (with(&|c| c.max_deviation = -1), Error::InvalidMaxDeviation),
        (
            with(&|c| c.max_deviation = RATIO_ONE + 1),
            Error::InvalidMaxDeviation
        ),
        (
            with(&|c| c.twap_records = oracle_adapter::MAX_TWAP_RECORDS + 1),
            Error::InvalidTwapRecords
        ),
        (with(&|c| c.max_jump = 0), Error::InvalidMaxJump),
        (with(&|c| c.max_jump = RATIO_ONE + 1), Error::InvalidMaxJump),
        (with(&|c| c.jump_confirm = 0), Error::InvalidJumpConfirm),
        (
            with(&|c| c.jump_confirm = oracle_adapter::MAX_JUMP_CONFIRM + 1),
            Error::InvalidJumpConfirm
        ),
    ];
    for (cfg, err) in cases {
        assert_eq!(f.adapter.try_queue_source(&token, &cfg), Err(Ok(err)));
        assert_eq!(eta(&f, &token), None);
    }
    // the same asset on a second feed contract is not a duplicate
    let two = f.config(&token, &[&a, &b]);
    assert!(f.adapter.try_queue_source(&token, &two).is_ok());
}

#[test]
fn a_source_goes_live_only_through_the_timelock() {
    let f = OracleFixture::new(1);
    let token = f.tokens[0].clone();
    let feed = f.new_feed(7, 300);
    let cfg = f.config(&token, &[&feed]);
    let eta_at = f.adapter.queue_source(&token, &cfg);
    assert_eq!(eta_at, f.now() + DELAY);
    let queued = ChangeQueued {
        kind: KIND_SOURCE,
        subject: token.into_val(&f.env),
        value: cfg.clone().into_val(&f.env),
        eta: eta_at,
    };
    assert_eq!(adapter_events(&f), [ev(&f, &queued)]);
    let invocation = AuthorizedInvocation {
        function: AuthorizedFunction::Contract((
            f.adapter.address.clone(),
            Symbol::new(&f.env, "queue_source"),
            (token.clone(), cfg.clone()).into_val(&f.env),
        )),
        sub_invocations: std::vec![],
    };
    assert_eq!(f.env.auths(), std::vec![(f.admin.clone(), invocation)]);

    assert_eq!(
        f.adapter.try_queue_source(&token, &cfg),
        Err(Ok(Error::AlreadyQueued))
    );
    f.advance(DELAY - 1);
    assert_eq!(f.adapter.try_apply_source(&token), Err(Ok(Error::TooEarly)));
    assert_eq!(f.adapter.source(&token), None);
    assert_eq!(quote(&f, &token), Err(Error::NoSource));
    f.advance(1);
    f.adapter.apply_source(&token); // anyone may apply
    assert!(f.env.auths().is_empty());
    let live = f.adapter.source(&token).unwrap();
    assert_eq!(
        (
            live.feeds.get_unchecked(0).decimals,
            live.feeds.get_unchecked(0).resolution
        ),
        (7, 300)
    );
    assert_eq!(
        f.adapter.try_apply_source(&token),
        Err(Ok(Error::NotQueued))
    );
}

#[test]
fn the_admin_cancels_a_queued_source() {
    let f = OracleFixture::new(1);
    let token = f.tokens[0].clone();
    let feed = f.new_feed(7, 300);
    f.adapter.queue_source(&token, &f.config(&token, &[&feed]));
    f.adapter.cancel_source(&token);
    let cancelled = ChangeCancelled {
        kind: KIND_SOURCE,
        subject: token.into_val(&f.env),
    };
    assert_eq!(adapter_events(&f), [ev(&f, &cancelled)]);
    assert_eq!(f.env.auths()[0].0, f.admin);
    assert_eq!(eta(&f, &token), None);
    f.advance(DELAY);
    assert_eq!(
        f.adapter.try_apply_source(&token),
        Err(Ok(Error::NotQueued))
    );
    assert_eq!(
        f.adapter.try_cancel_source(&token),
        Err(Ok(Error::NotQueued))
    );
}

#[test]
fn apply_reads_the_feeds_and_a_bad_feed_keeps_the_change_queued() {
    let f = OracleFixture::new(1);
    let token = f.tokens[0].clone();
    let feed = f.new_feed(19, 300);
    f.adapter.queue_source(&token, &f.config(&token, &[&feed]));
    f.advance(DELAY);
    assert_eq!(
        f.adapter.try_apply_source(&token),
        Err(Ok(Error::InvalidFeedDecimals))
    );
    f.feed(&feed).set_decimals(&18);
    f.feed(&feed).set_resolution(&0);
    assert_eq!(
        f.adapter.try_apply_source(&token),
        Err(Ok(Error::InvalidFeedResolution))
    );
    f.feed(&feed).set_resolution(&60);
    f.feed(&feed).set_failing(&true);
    assert_eq!(
        f.adapter.try_apply_source(&token),
        Err(Ok(Error::FeedFailed))
    );
    assert!(eta(&f, &token).is_some());
    assert_eq!(f.adapter.source(&token), None);
    f.feed(&feed).set_failing(&false);
    f.adapter.apply_source(&token);
    let info = f.adapter.source(&token).unwrap().feeds.get_unchecked(0);
    assert_eq!((info.decimals, info.resolution), (18, 60));
}

#[test]
fn a_new_source_keeps_the_reference_and_drops_the_cache() {
    let (f, token, feeds) = crate::setup(&[10_000], |_| {});
    quote(&f, &token).unwrap();
    let other = f.new_feed(7, 300);
    let mut cfg = f.config(&token, &[&other]);
    cfg.feeds.push_back(Feed {
        contract: feeds[0].clone(),
        asset: Asset::Stellar(token.clone()),
    });
    f.set_source(&token, &cfg);
    let state = f.adapter.price_state(&token).unwrap();
    assert_eq!((state.spot, state.valid_until), (crate::usd(100), 0));
}

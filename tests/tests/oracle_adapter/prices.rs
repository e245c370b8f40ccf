//! Pricing rules: freshness, bad records, failing feeds, median, deviation, TWAP band, decimals,
//! the cache, batch errors and the SEP-40 reads.

use oracle_adapter::{Error, PriceAccepted, Quote};
use protocol_tests::fixture::{usd as usd_asset, OracleFixture, RESOLUTION};
use sep40::{Asset, PriceData};
use soroban_sdk::{vec, Vec};

use crate::{adapter_events, ev, quote, setup, usd};

#[test]
fn one_fresh_feed_is_the_price_and_the_band_is_flat() {
    let (f, token, _) = setup(&[10_050], |_| {}); // 100.50
    let q = quote(&f, &token).unwrap();
    let p = usd(10_050) / 100;
    let expected = Quote {
        spot: p,
        low: p,
        high: p,
        timestamp: f.now(),
    };
    assert_eq!(q, expected);
    assert_eq!(
        adapter_events(&f),
        [ev(
            &f,
            &PriceAccepted {
                asset: token.clone(),
                spot: p,
                low: p,
                high: p,
                timestamp: f.now(),
                valid_until: f.now() + u64::from(RESOLUTION),
            }
        )]
    );
}

#[test]
fn feeds_of_every_decimals_from_0_to_18_normalise_to_14() {
    for d in 0u32..=18 {
        let f = OracleFixture::new(1);
        let token = f.tokens[0].clone();
        let feed = f.new_feed(d, 300);
        f.set_source(&token, &f.config(&token, &[&feed]));
        // 2 USD at d decimals; at 14 decimals 2e14 exactly.
        f.push(&feed, &token, 2 * 10i128.pow(d));
        assert_eq!(quote(&f, &token).unwrap().spot, usd(2), "decimals {d}");
    }
}

#[test]
fn prices_finer_than_14_decimals_round_to_nearest() {
    let f = OracleFixture::new(2);
    let (a, b) = (f.tokens[0].clone(), f.tokens[1].clone());
    let feed = f.new_feed(18, 300);
    f.adapter.queue_source(&a, &f.config(&a, &[&feed]));
    f.adapter.queue_source(&b, &f.config(&b, &[&feed]));
    f.advance(protocol_tests::fixture::DELAY);
    f.adapter.apply_source(&a);
    f.adapter.apply_source(&b);
    f.push(&feed, &a, 1_234_567_890_123_456_789); // 1.2345678901234567|89 -> ...68
    f.push(&feed, &b, 1); // 1e-18 rounds to zero at 14 decimals: no price, not zero
    assert_eq!(quote(&f, &a).unwrap().spot, 123_456_789_012_346);
    assert_eq!(quote(&f, &b), Err(Error::InvalidPrice));
}

#[test]
fn spot_is_the_median_of_three_and_the_mean_of_two() {
    let (f, token, feeds) = setup(&[10_000, 10_100, 10_050], |c| c.max_deviation = 200_000);
    assert_eq!(quote(&f, &token).unwrap().spot, usd(10_050) / 100);
    // the 101.00 feed fails; once the others publish again (the cache ends with the
    // interval), the spot is the mean of 100.00 and 100.50
    f.feed(&feeds[1]).set_failing(&true);
    f.advance(300);
    f.push(&feeds[0], &token, 1_000_000_000);
    f.push(&feeds[2], &token, 1_005_000_000);
    assert_eq!(quote(&f, &token).unwrap().spot, usd(10_025) / 100);
}

#[test]
fn a_stale_record_is_no_price() {
    let (f, token, feeds) = setup(&[10_000], |_| {});
    f.advance(600);
    assert!(quote(&f, &token).is_ok()); // exactly max_age old: fresh
    f.advance(1);
    assert_eq!(quote(&f, &token), Err(Error::Stale));
    f.push(&feeds[0], &token, 1_000_000_000);
    assert_eq!(quote(&f, &token).unwrap().spot, usd(100));
}

#[test]
fn a_stale_feed_is_left_out_of_the_median() {
    let (f, token, feeds) = setup(&[10_000, 10_100, 10_050], |c| c.max_deviation = 200_000);
    f.advance(400);
    f.push(&feeds[0], &token, 1_000_000_000);
    f.push(&feeds[2], &token, 1_010_000_000);
    f.advance(300); // feed 1 is 700 s old
    assert_eq!(quote(&f, &token).unwrap().spot, usd(10_050) / 100);
}

#[test]
fn future_timestamps_zero_and_negative_prices_are_no_price_never_zero() {
    let (f, token, feeds) = setup(&[10_000], |_| {});
    let feed = &feeds[0];
    f.push_at(feed, &token, 1_000_000_000, f.now() + 1);
    assert_eq!(quote(&f, &token), Err(Error::FutureTimestamp));
    f.push(feed, &token, 0);
    assert_eq!(quote(&f, &token), Err(Error::InvalidPrice));
    f.push(feed, &token, -1_000_000_000);
    assert_eq!(quote(&f, &token), Err(Error::InvalidPrice));
}

#[test]
fn a_failing_feed_is_no_price_and_the_others_still_count() {
    let (f, token, feeds) = setup(&[10_000, 10_000], |_| {});
    f.feed(&feeds[0]).set_failing(&true);
    assert_eq!(quote(&f, &token).unwrap().spot, usd(100));
    f.feed(&feeds[1]).set_failing(&true);
    assert_eq!(quote(&f, &token), Err(Error::FeedFailed));
}

#[test]
fn no_fresh_feed_reports_the_most_telling_reason() {
    // stale beats failing: the operator should look at the slow feed first
    let (f, token, feeds) = setup(&[10_000, 10_000], |_| {});
    f.feed(&feeds[0]).set_failing(&true);
    f.advance(601);
    assert_eq!(quote(&f, &token), Err(Error::Stale));
    // a feed without any record for the asset
    let (f, token, feeds) = setup(&[10_000], |_| {});
    f.feed(&feeds[0])
        .set_records(&Asset::Stellar(token.clone()), &Vec::new(&f.env));
    assert_eq!(quote(&f, &token), Err(Error::NoPrice));
}

#[test]
fn feeds_disagreeing_beyond_max_deviation_give_no_price() {
    // (102.01 - 100) / 100 = 2.01% > 2%
    let (f, token, _) = setup(&[10_000, 10_201], |_| {});
    assert_eq!(quote(&f, &token), Err(Error::Deviation));
    // exactly 2%: a price, widened by the spread ratio r = 1.02
    let (f, token, _) = setup(&[10_000, 10_200], |_| {});
    let q = quote(&f, &token).unwrap();
    assert_eq!(q.spot, usd(101));
    assert_eq!(q.low, 9_901_960_784_313_725); // floor(101 / 1.02)
    assert_eq!(q.high, usd(10_302) / 100); // ceil(101 * 1.02)
}

#[test]
fn twap_bounds_the_band_from_the_past_records() {
    let (f, token, feeds) = setup(&[10_000], |c| c.twap_records = 3);
    let asset = Asset::Stellar(token.clone());
    let now = f.now();
    let records = vec![
        &f.env,
        PriceData {
            price: 1_200_000_000,
            timestamp: now,
        }, // 120, stands 300 s
        PriceData {
            price: 1_000_000_000,
            timestamp: now - 300,
        }, // 100, stood 300 s
        PriceData {
            price: 800_000_000,
            timestamp: now - 900,
        }, // 80, stood 600 s
    ];
    f.feed(&feeds[0]).set_records(&asset, &records);
    let q = quote(&f, &token).unwrap();
    // twap = (120*300 + 100*300 + 80*600) / 1200 = 95
    assert_eq!(
        q,
        Quote {
            spot: usd(120),
            low: usd(95),
            high: usd(120),
            timestamp: now
        }
    );
}

#[test]
fn the_cached_quote_is_what_the_pull_computes_until_the_next_record() {
    let (f, token, feeds) = setup(&[10_000, 10_100, 10_050], |c| c.max_deviation = 200_000);
    let pulled = quote(&f, &token).unwrap();
    assert_eq!(adapter_events(&f).len(), 1); // accepted and cached
    f.advance(299);
    assert_eq!(quote(&f, &token).unwrap(), pulled);
    assert!(adapter_events(&f).is_empty()); // served from the cache
                                            // the same records pulled again by refresh give the same quote
    let state = f.adapter.price_state(&token).unwrap();
    assert_eq!(state.quote(), pulled);
    f.advance(1); // a feed may now publish: the adapter pulls again
    f.push(&feeds[0], &token, 1_002_000_000);
    let next = quote(&f, &token).unwrap();
    assert_eq!(next.spot, usd(10_050) / 100);
    assert!(next.low > pulled.low); // the lowest feed rose: the spread, and so the band, shrank
    assert_eq!(adapter_events(&f).len(), 1);
}

#[test]
fn a_quote_with_a_feed_left_out_is_never_cached() {
    let (f, token, feeds) = setup(&[10_000, 10_000], |_| {});
    f.feed(&feeds[1]).set_failing(&true);
    quote(&f, &token).unwrap();
    assert_eq!(f.adapter.price_state(&token).unwrap().valid_until, 0);
    quote(&f, &token).unwrap();
    assert_eq!(adapter_events(&f).len(), 1); // pulled again
}

#[test]
fn batch_quotes_fail_with_the_first_failing_assets_reason() {
    let f = OracleFixture::new(4);
    let feeds = f.list_with_one_feed(1_000_000_000, 7);
    let t = &f.tokens;
    f.feed(&feeds[1]).set_failing(&true);
    f.push(&feeds[2], &t[2], 0);
    let all = f.token_vec(4);
    assert_eq!(f.adapter.try_quotes(&all), Err(Ok(Error::FeedFailed)));
    let later = vec![
        &f.env,
        t[0].clone(),
        t[3].clone(),
        t[2].clone(),
        t[1].clone(),
    ];
    assert_eq!(f.adapter.try_quotes(&later), Err(Ok(Error::InvalidPrice)));
    let unknown = <soroban_sdk::Address as soroban_sdk::testutils::Address>::generate(&f.env);
    let with_unknown = vec![&f.env, t[0].clone(), unknown];
    assert_eq!(
        f.adapter.try_quotes(&with_unknown),
        Err(Ok(Error::NoSource))
    );
    let ok = vec![&f.env, t[3].clone(), t[0].clone()];
    assert_eq!(f.adapter.quotes(&ok).len(), 2);
}

#[test]
fn sep40_reads_serve_the_last_accepted_spot() {
    let (f, token, _) = setup(&[10_000], |_| {});
    let asset = Asset::Stellar(token.clone());
    assert_eq!(f.adapter.lastprice(&asset), None); // nothing accepted yet
    quote(&f, &token).unwrap();
    let last = PriceData {
        price: usd(100),
        timestamp: f.now(),
    };
    assert_eq!(f.adapter.lastprice(&asset), Some(last));
    assert_eq!(f.adapter.prices(&asset, &5), Some(vec![&f.env, last]));
    assert_eq!(f.adapter.price(&asset, &f.now()), Some(last));
    assert_eq!(f.adapter.decimals(), 14);
    assert_eq!(f.adapter.resolution(), RESOLUTION);
    assert_eq!(f.adapter.base(), usd_asset());
    assert_eq!(f.adapter.assets(), vec![&f.env, asset]);
    assert_eq!(f.adapter.lastprice(&usd_asset()), None);
}

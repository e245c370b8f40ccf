//! `quotes_packed`: the same quotes as `quotes`, 64 bytes each (`spot ‖ low ‖ high` as
//! big-endian `i128`, `timestamp` and `valid_until` as big-endian `u64`), and the same error for
//! the same first failing asset, on the cached path, the pull path and every failure;
//! `valid_until` is the adapter's own cache bound for the quote.

use oracle_adapter::{Error, Quote};
use protocol_tests::fixture::OracleFixture;
use soroban_sdk::{vec, Address, Bytes, Vec};

use crate::setup;

/// Decodes `quotes_packed` output: the quotes and their `valid_until`.
fn unpack(bytes: &Bytes) -> std::vec::Vec<(Quote, u64)> {
    let raw: std::vec::Vec<u8> = bytes.iter().collect();
    assert_eq!(raw.len() % 64, 0, "whole records");
    raw.chunks(64)
        .map(|r| {
            let quote = Quote {
                spot: i128::from_be_bytes(r[0..16].try_into().unwrap()),
                low: i128::from_be_bytes(r[16..32].try_into().unwrap()),
                high: i128::from_be_bytes(r[32..48].try_into().unwrap()),
                timestamp: u64::from_be_bytes(r[48..56].try_into().unwrap()),
            };
            (quote, u64::from_be_bytes(r[56..64].try_into().unwrap()))
        })
        .collect()
}

/// `quotes_packed`, checking that each `valid_until` is the adapter's cache bound for the asset.
fn packed(f: &OracleFixture, assets: &Vec<Address>) -> Result<std::vec::Vec<Quote>, Error> {
    match f.adapter.try_quotes_packed(assets) {
        Ok(Ok(b)) => {
            let out = unpack(&b);
            for (asset, (_, valid_until)) in assets.iter().zip(&out) {
                let state = f.adapter.price_state(&asset).expect("priced asset");
                assert_eq!(*valid_until, state.valid_until);
            }
            Ok(out.into_iter().map(|(q, _)| q).collect())
        }
        Err(Ok(e)) => Err(e),
        other => panic!("unexpected quotes_packed outcome {other:?}"),
    }
}

fn typed(f: &OracleFixture, assets: &Vec<Address>) -> Result<std::vec::Vec<Quote>, Error> {
    match f.adapter.try_quotes(assets) {
        Ok(Ok(q)) => Ok(q.iter().collect()),
        Err(Ok(e)) => Err(e),
        other => panic!("unexpected quotes outcome {other:?}"),
    }
}

/// Both entry points on the same state (each call is rolled back on error, and a successful
/// pull is cached by the first, so the second serves it from the cache: both paths compared).
fn assert_same(f: &OracleFixture, assets: &Vec<Address>) -> Result<std::vec::Vec<Quote>, Error> {
    let p = packed(f, assets);
    let q = typed(f, assets);
    assert_eq!(p, q);
    q
}

#[test]
fn packed_quotes_equal_quotes_on_the_pull_and_cached_paths_for_up_to_17_assets() {
    let f = OracleFixture::new(17);
    let feeds = f.list_with_one_feed(1_234_567_890, 7);
    for n in [0usize, 1, 3, 4, 5, 8, 16, 17] {
        f.advance(300);
        for (i, (token, feed)) in f.tokens.iter().zip(&feeds).enumerate() {
            f.push(feed, token, 1_234_567_890 + i as i128 * 1_000);
        }
        let assets = f.token_vec(n);
        // pull by quotes_packed, then cached for quotes
        let pulled = packed(&f, &assets).unwrap();
        assert_eq!(pulled, typed(&f, &assets).unwrap());
        assert_eq!(pulled.len(), n);
        if n > 0 {
            // one feed publishing every resolution: reusable until the next record is due
            let state = f.adapter.price_state(&assets.get(0).unwrap()).unwrap();
            assert!(state.valid_until > f.now());
        }
        // both cached
        assert_same(&f, &assets).unwrap();
    }
    // an asset twice, in any order
    let (a, b) = (f.tokens[0].clone(), f.tokens[5].clone());
    let q = assert_same(&f, &vec![&f.env, b.clone(), a.clone(), b.clone()]).unwrap();
    assert_eq!(q[0], q[2]);
    // pulled by quotes, then cached for quotes_packed
    f.advance(300);
    for (token, feed) in f.tokens.iter().zip(&feeds) {
        f.push(feed, token, 1_300_000_000);
    }
    let all = f.token_vec(17);
    let pulled = typed(&f, &all).unwrap();
    assert_eq!(packed(&f, &all).unwrap(), pulled);
}

#[test]
fn packed_quotes_fail_with_the_same_error_as_quotes() {
    // unknown asset
    let (f, token, feeds) = setup(&[10_000], |_| {});
    let stranger = <Address as soroban_sdk::testutils::Address>::generate(&f.env);
    let list = vec![&f.env, token.clone(), stranger.clone()];
    assert_eq!(assert_same(&f, &list), Err(Error::NoSource));
    let one = vec![&f.env, token.clone()];
    assert!(assert_same(&f, &one).is_ok()); // 100 USD accepted

    // stale
    f.advance(10_000);
    assert_eq!(assert_same(&f, &one), Err(Error::Stale));

    // a jump the breaker has not recorded yet, then a manual trip
    f.push(&feeds[0], &token, 100_000 * 100_000);
    assert_eq!(assert_same(&f, &one), Err(Error::CircuitOpen));
    f.adapter.trip(&f.guardian, &token);
    assert_eq!(assert_same(&f, &one), Err(Error::CircuitOpen));
    f.adapter.clear(&f.guardian, &token);
    assert!(assert_same(&f, &one).is_ok());

    // deviation between two feeds
    let (f, token, _) = setup(&[10_000, 20_000], |_| {});
    assert_eq!(assert_same(&f, &vec![&f.env, token]), Err(Error::Deviation));
}

//! margin-account's quote cache (`contracts/margin-account/src/quote_cache.rs`): within a feed
//! resolution of a pull, calls are priced without entering the oracle-adapter, with exactly the
//! quotes the adapter would serve; a guardian trip or a source change reaches margin-account in
//! the same transaction, so nothing the adapter refuses is ever served from the cache.

use margin_account::quote_cache::QuotesDropped;
use margin_account::Error;
use oracle_adapter::{Error as AdapterError, SubscriberNotified, SubscriberSet};
use protocol_tests::bench::breakdown::Breakdown;
use protocol_tests::fixture::RESOLUTION;
use protocol_tests::protocol_fixture::{Protocol, UNIT, USD};
use soroban_sdk::testutils::{Address as _, Events as _};
use soroban_sdk::{Address, Event as _, IntoVal};

/// Three tokens at 1 USD; an account `(owner, 1)` with 10,000 of token 0 and 100 of token 1
/// borrowed. Returns the protocol and the owner.
fn levered() -> (Protocol<'static>, Address) {
    let p = Protocol::uniform(3);
    let owner = p.account_with(0, 10_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
    (p, owner)
}

/// VM instances a `borrow` of one unit of token 1 enters (and its result).
fn borrow_instances(p: &Protocol, owner: &Address) -> (Result<(), Error>, u64) {
    let (r, _, b) = Breakdown::measure(&p.env, || {
        p.margin
            .try_borrow(owner, &1, &p.tokens[1], &UNIT, owner)
            .map(|_| ())
            .map_err(|e| e.expect("a contract error"))
    });
    (r, b.instances)
}

#[test]
fn the_admin_registers_margin_account_once_and_the_first_notice_turns_the_cache_on() {
    let p = Protocol::uniform(2);
    // The fixture registered margin-account; the notice reached it.
    assert_eq!(
        p.oracle.adapter.subscriber(),
        Some(p.margin.address.clone())
    );
    let again = p.oracle.adapter.try_set_subscriber(&p.margin.address);
    assert_eq!(again, Err(Ok(AdapterError::SubscriberAlreadySet)));

    // On a fresh adapter: the admin's auth, the events of both contracts.
    let o = protocol_tests::fixture::OracleFixture::new(1);
    let subscriber = Address::generate(&o.env);
    o.adapter.set_subscriber(&subscriber);
    let auths = o.env.auths();
    assert_eq!(auths.len(), 1);
    assert_eq!(auths[0].0, o.admin);
    let events = o.env.events().all().filter_by_contract(&o.adapter.address);
    // A subscriber that is not a contract cannot take the notice: reported, not fatal.
    assert_eq!(
        events,
        [
            SubscriberSet {
                subscriber: subscriber.clone()
            }
            .to_xdr(&o.env, &o.adapter.address),
            SubscriberNotified {
                subscriber,
                delivered: false
            }
            .to_xdr(&o.env, &o.adapter.address),
        ]
    );
}

#[test]
fn within_a_resolution_calls_are_priced_from_the_cache_with_the_adapters_quotes() {
    let (p, owner) = levered();
    p.advance(RESOLUTION as u64);
    // The first call after a new resolution pulls: margin-account, adapter, two feeds, vault.
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 5));
    // The next ones are priced from margin-account's copies: margin-account and the vault.
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 2));
    let cached = p.margin.health(&owner, &1);
    // The same health as the adapter's own quotes give (a view pulls nothing and writes nothing:
    // compare with the adapter's `quotes` for the account's assets).
    let quotes = p.oracle.adapter.quotes(&p.token_vec(&[0, 1]));
    assert_eq!(quotes.get(0).unwrap().spot, USD);
    assert_eq!(quotes.get(1).unwrap().spot, USD);
    assert!(cached.init > 0 && cached.init < i128::MAX);
    // Past the resolution the copies have expired: the call pulls again.
    p.advance(RESOLUTION as u64);
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 5));
}

#[test]
fn a_guardian_trip_drops_the_cache_at_once() {
    let (p, owner) = levered();
    p.advance(RESOLUTION as u64);
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 5));
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 2));

    // The guardian trips token 0 (the collateral) within the resolution.
    p.oracle.adapter.trip(&p.guardian, &p.tokens[0]);
    let margin_events = p.margin_events();
    assert_eq!(
        margin_events,
        [QuotesDropped {
            adapter: p.oracle.adapter.address.clone()
        }
        .to_xdr(&p.env, &p.margin.address)]
    );
    // No risk-raising call is priced any more, although the copy had not expired.
    let before = p.books(&[&owner], &[(&owner, 1)]);
    let (r, _) = borrow_instances(&p, &owner);
    assert_eq!(r, Err(Error::PriceUnavailable));
    assert_eq!(p.books(&[&owner], &[(&owner, 1)]), before);
    // Risk-lowering calls still go through.
    p.mint(1, &owner, UNIT);
    p.margin.repay(&owner, &owner, &1, &p.tokens[1], &UNIT);
    // Cleared: priced again (pulled, then cached).
    p.oracle.adapter.clear(&p.guardian, &p.tokens[0]);
    let (r, n) = borrow_instances(&p, &owner);
    assert_eq!(r, Ok(()));
    assert!(n >= 3, "{n}");
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 2));
}

#[test]
fn a_source_change_drops_the_cache() {
    let (p, owner) = levered();
    let source = p.oracle.adapter.source(&p.tokens[0]).expect("listed");
    let config = oracle_adapter::SourceConfig {
        feeds: source
            .feeds
            .iter()
            .map(|f| oracle_adapter::Feed {
                contract: f.contract,
                asset: f.asset,
            })
            .fold(soroban_sdk::Vec::new(&p.env), |mut v, f| {
                v.push_back(f);
                v
            }),
        max_age: source.max_age,
        max_deviation: source.max_deviation,
        twap_records: source.twap_records,
        max_jump: source.max_jump,
        jump_confirm: source.jump_confirm,
    };
    p.oracle.adapter.queue_source(&p.tokens[0], &config);
    p.advance(protocol_tests::fixture::DELAY);
    // After a day: a pull, and the vault cache refresh (`sync_interval`).
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 6));
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 2));
    p.oracle.adapter.apply_source(&p.tokens[0]);
    let dropped = QuotesDropped {
        adapter: p.oracle.adapter.address.clone(),
    };
    assert_eq!(
        p.margin_events(),
        [dropped.to_xdr(&p.env, &p.margin.address)]
    );
    // The next call pulls (the adapter re-prices the new source).
    let (r, n) = borrow_instances(&p, &owner);
    assert_eq!(r, Ok(()));
    assert!(n >= 3, "{n}");
}

#[test]
fn each_asset_keeps_its_own_slot() {
    let (p, owner) = levered();
    p.advance(RESOLUTION as u64);
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 5));
    // Another account on token 2 pulls token 2 only; token 0 and 1 stay cached.
    let other = p.account_with(2, 10_000 * UNIT, 1);
    p.margin
        .borrow(&other, &1, &p.tokens[1], &(100 * UNIT), &other);
    assert_eq!(borrow_instances(&p, &owner), (Ok(()), 2));
}

#[test]
fn only_the_adapter_can_drop_the_cache() {
    let p = Protocol::uniform(1);
    p.env.set_auths(&[]);
    let r = p.margin.try_quotes_changed();
    assert!(r.is_err(), "{r:?}");
    p.env.mock_all_auths();
    // With every auth mocked the call is the adapter's: it goes through.
    p.margin.quotes_changed();
    assert_eq!(
        p.env.auths()[0].1.function,
        soroban_sdk::testutils::AuthorizedFunction::Contract((
            p.margin.address.clone(),
            soroban_sdk::Symbol::new(&p.env, "quotes_changed"),
            ().into_val(&p.env),
        ))
    );
    assert_eq!(p.env.auths()[0].0, p.oracle.adapter.address);
}

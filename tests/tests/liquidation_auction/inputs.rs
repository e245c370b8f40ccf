//! Auths and events of `start` and `take`, and bad inputs: typed errors, nothing changed.

use super::*;
use liquidation_auction::AuctionStarted;
use soroban_sdk::testutils::{Address as _, MockAuth, MockAuthInvoke};
use soroban_sdk::{IntoVal, Val, Vec};

#[test]
fn start_needs_only_the_keepers_auth_and_publishes_its_sizing() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(0);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let aid = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    let auths = f.env().auths();
    let events = f.raw_events();
    let args: Vec<Val> =
        (keeper.clone(), owner.clone(), 0u32, t0.clone(), t1.clone()).into_val(f.env());
    let call = f.p.call(&f.auction.address, "start", args, vec![]);
    assert_eq!(auths, [(keeper.clone(), call)]);
    let a = f.auction.auction(&aid);
    let bonus = f.p.balance(0, &keeper);
    let shares = f.event_values_in(&events, "auction_started", "shares")[0];
    let started = AuctionStarted {
        auction_id: aid,
        owner: owner.clone(),
        id: 0,
        keeper: keeper.clone(),
        collateral: t0,
        debt: t1,
        lot: a.lot,
        shares,
        debt_to_cover: a.debt_to_cover,
        tab: a.tab,
        top: a.top,
    };
    assert!(events.contains(&f.xdr(&started)));
    assert_eq!(
        f.event_values_in(&events, "keeper_paid", "collateral"),
        [bonus]
    );
    assert!(bonus > 0);
}

#[test]
fn take_needs_only_the_keepers_auth() {
    let (f, _owner, keeper, aid) = started(|_| {});
    let (price, _) = f.auction.price(&aid);
    f.auction.take(&keeper, &aid, &UNIT, &price, &keeper, &None);
    let auths = f.env().auths();
    let args: Vec<Val> = (
        keeper.clone(),
        aid,
        UNIT,
        price,
        keeper.clone(),
        None::<soroban_sdk::Bytes>,
    )
        .into_val(f.env());
    let call = f.p.call(&f.auction.address, "take", args, vec![]);
    assert_eq!(auths, [(keeper, call)]);
}

#[test]
fn bad_take_and_reset_inputs_get_typed_errors_and_change_nothing() {
    let (f, owner, keeper, aid) = started(|_| {});
    let a = f.auction.auction(&aid);
    let before = f.p.books(&[&keeper, &owner], &[(&owner, 0)]);
    let (price, _) = f.auction.price(&aid);
    let try_take = |id: u64, max: i128, max_price: i128| {
        f.auction
            .try_take(&keeper, &id, &max, &max_price, &keeper, &None)
    };
    assert_eq!(
        try_take(aid + 7, UNIT, price),
        Err(Ok(Error::UnknownAuction))
    );
    assert_eq!(try_take(aid, 0, price), Err(Ok(Error::ZeroAmount)));
    assert_eq!(try_take(aid, -1, price), Err(Ok(Error::NegativeAmount)));
    assert_eq!(try_take(aid, UNIT, 0), Err(Ok(Error::ZeroAmount)));
    assert_eq!(try_take(aid, UNIT, -5), Err(Ok(Error::NegativeAmount)));
    assert_eq!(
        f.auction.try_reset(&keeper, &(aid + 7)),
        Err(Ok(Error::UnknownAuction))
    );
    assert_eq!(
        f.auction.try_auction(&(aid + 7)),
        Err(Ok(Error::UnknownAuction))
    );
    assert_eq!(
        f.auction.try_price(&(aid + 7)),
        Err(Ok(Error::UnknownAuction))
    );
    let t = (&f.p.tokens[0], &f.p.tokens[1]);
    let start = |c: &Address, d: &Address| f.auction.try_start(&keeper, &owner, &0, c, d);
    assert_eq!(start(t.0, t.0), Err(Ok(Error::SameAsset)));
    assert_eq!(start(t.0, t.1), Err(Ok(Error::AuctionLive)));
    let stranger = Address::generate(f.env());
    assert_eq!(
        f.auction.try_start(&keeper, &stranger, &0, t.0, t.1),
        Err(Ok(Error::AccountUnavailable))
    );
    assert_eq!(
        f.auction.try_fund_insurance(&keeper, t.1, &0),
        Err(Ok(Error::ZeroAmount))
    );
    assert_eq!(
        f.auction.try_fund_insurance(&keeper, t.1, &-1),
        Err(Ok(Error::NegativeAmount))
    );
    assert_eq!(f.p.books(&[&keeper, &owner], &[(&owner, 0)]), before);
    assert_eq!(f.auction.auction(&aid), a);
}

#[test]
fn governance_entry_points_refuse_the_wrong_caller() {
    let f = AuctionFixture::new();
    let stranger = Address::generate(f.env());
    assert_eq!(
        f.auction.try_set_stopped(&stranger, &1),
        Err(Ok(Error::NotGuardian))
    );
    assert_eq!(
        f.auction.try_set_stopped(&f.p.guardian, &4),
        Err(Ok(Error::InvalidStopLevel))
    );
    f.auction.set_stopped(&f.p.guardian, &2);
    assert_eq!(
        f.auction.try_set_stopped(&f.p.guardian, &1),
        Err(Ok(Error::InvalidStopLevel)),
        "the guardian only raises it"
    );
    f.auction.set_stopped(&f.p.admin, &0);
    assert_eq!(f.auction.stopped(), 0);
    // Parameters and insurance moves need the admin's signature: a stranger's is refused.
    let params = default_params();
    let invoke = MockAuthInvoke {
        contract: &f.auction.address,
        fn_name: "queue_params",
        args: (params.clone(),).into_val(f.env()),
        sub_invokes: &[],
    };
    let r = f
        .auction
        .mock_auths(&[MockAuth {
            address: &stranger,
            invoke: &invoke,
        }])
        .try_queue_params(&params);
    assert!(matches!(r, Err(Err(_))), "{r:?}");
    let t1 = f.p.tokens[1].clone();
    let invoke = MockAuthInvoke {
        contract: &f.auction.address,
        fn_name: "queue_insurance",
        args: (t1.clone(), UNIT, stranger.clone()).into_val(f.env()),
        sub_invokes: &[],
    };
    let r = f
        .auction
        .mock_auths(&[MockAuth {
            address: &stranger,
            invoke: &invoke,
        }])
        .try_queue_insurance(&t1, &UNIT, &stranger);
    assert!(matches!(r, Err(Err(_))), "{r:?}");
    f.env().mock_all_auths();
    let mut bad = default_params();
    bad.cusp = 0;
    assert_eq!(
        f.auction.try_queue_params(&bad),
        Err(Ok(Error::InvalidParams))
    );
    assert_eq!(
        f.auction.try_queue_insurance(&t1, &0, &stranger),
        Err(Ok(Error::ZeroAmount))
    );
    assert_eq!(f.auction.try_apply_params(), Err(Ok(Error::NotQueued)));
}

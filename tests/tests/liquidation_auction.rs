//! liquidation-auction on the WASM builds: lifecycle, prices, dust, resets, stops, bad debt.

use liquidation_auction::Error;
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{UNIT, USD};

const NO_LIMIT: i128 = i128::MAX;

#[test]
fn healthy_account_cannot_be_started() {
    let f = AuctionFixture::new();
    let owner = f.levered_account(1_000, 330);
    let keeper = f.funded_keeper(0);
    let r = f
        .auction
        .try_start(&keeper, &owner, &0, &f.p.tokens[0], &f.p.tokens[1]);
    assert_eq!(r, Err(Ok(Error::Healthy)));
}

#[test]
fn lifecycle_start_take_all_returns_rest_of_lot() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let before = f.p.margin.positions(&owner, &0);
    let aid = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    let a = f.auction.auction(&aid);
    assert!(a.tab > 0 && a.lot > 0);
    assert!(
        f.p.balance(0, &keeper) > 0,
        "start bonus paid in collateral tokens"
    );
    let (price, reset) = f.auction.price(&aid);
    assert!(!reset);
    let (slice, owe) = f
        .auction
        .take(&keeper, &aid, &NO_LIMIT, &price, &keeper, &None);
    assert_eq!(owe, a.tab);
    assert!(slice > 0);
    assert_eq!(f.auction.auctions_of(&owner, &0).len(), 0);
    let after = f.p.margin.positions(&owner, &0);
    assert!(after.get(t1.clone()).unwrap() > before.get(t1).unwrap());
    assert!(after.get(t0.clone()).unwrap() < before.get(t0.clone()).unwrap());
    assert!(f.auction.insurance(&f.p.tokens[1]) > 0);
    let _ = USD;
}

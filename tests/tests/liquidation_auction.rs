//! liquidation-auction on the WASM builds (SPEC §7): lifecycle, curve prices to the stroop,
//! takes and the dust rules, resets and their bonus, caps, `stopped` levels, bad debt, flash
//! takes, the keeper receiver, auths, bad inputs, a property test and a crash scenario.

#[path = "liquidation_auction/bad_debt.rs"]
mod bad_debt;
#[path = "liquidation_auction/inputs.rs"]
mod inputs;
#[path = "liquidation_auction/prices.rs"]
mod prices;
#[path = "liquidation_auction/props.rs"]
mod props;
#[path = "liquidation_auction/resets.rs"]
mod resets;
#[path = "liquidation_auction/takes.rs"]
mod takes;

use liquidation_auction::{default_params, AuctionParams, Error};
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::UNIT;
use risk_core::{AuctionPrice, PairUnits, Rounding, TokenUnit};
use soroban_sdk::Address;

pub const NO_LIMIT: i128 = i128::MAX;

/// A fixture with `tweak`ed default parameters, an account at 75 cents (maint health ~0.93), a
/// keeper holding 10,000 debt tokens approved for the auction, and an auction started on it.
pub fn started(
    tweak: impl FnOnce(&mut AuctionParams),
) -> (AuctionFixture<'static>, Address, Address, u64) {
    let (f, owner, _, keeper, aid) = started_two(tweak);
    (f, owner, keeper, aid)
}

/// As [`started`], with a second account `other` in the same state and no auction on it.
pub fn started_two(
    tweak: impl FnOnce(&mut AuctionParams),
) -> (AuctionFixture<'static>, Address, Address, Address, u64) {
    let mut params = default_params();
    tweak(&mut params);
    let mut f = AuctionFixture::with_params(params);
    let other = f.levered_account(1_000, 330);
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(10_000 * UNIT);
    let aid = f
        .auction
        .start(&keeper, &owner, &0, &f.p.tokens[0], &f.p.tokens[1]);
    (f, owner, other, keeper, aid)
}

/// The 7-decimal/7-decimal pair's units.
pub fn units() -> PairUnits {
    let u = TokenUnit::new(7).unwrap();
    PairUnits::new(u, u).unwrap()
}

/// A price as the auction's ABI shows it (14 decimals, rounded up).
pub fn abi(p: AuctionPrice) -> i128 {
    let bits = p.to_bits() as u128;
    let num = bits * 100_000_000_000_000;
    let den = 1u128 << risk_core::FRAC_BITS;
    num.div_ceil(den) as i128
}

/// `price(now)` of auction `aid`, computed natively from its stored `top` and the parameters.
pub fn native_price(f: &AuctionFixture, aid: u64) -> AuctionPrice {
    let a = f.auction.auction(&aid);
    let curve = f.auction.params().curve.curve().unwrap();
    let top = AuctionPrice::from_bits(a.top).unwrap();
    risk_core::price(top, &curve, f.p.now() - a.start).unwrap()
}

/// `owe` for `slice` at `p`, as risk-core's take rounds it (up).
pub fn owe_for(slice: i128, p: AuctionPrice) -> i128 {
    units().debt_for(slice as u128, p, Rounding::Ceil).unwrap() as i128
}

/// Takes as `keeper` (receiver: the keeper, no callback) at most `max` collateral at `price(now)`.
pub fn take(
    f: &AuctionFixture,
    keeper: &Address,
    aid: u64,
    max: i128,
) -> Result<(i128, i128), Error> {
    let (price, _) = f.auction.price(&aid);
    match f
        .auction
        .try_take(keeper, &aid, &max, &price, keeper, &None)
    {
        Ok(Ok(r)) => Ok(r),
        Err(Ok(e)) => Err(e),
        other => panic!("take failed outside the contract's errors: {other:?}"),
    }
}

#[test]
fn healthy_account_cannot_be_started() {
    let f = AuctionFixture::new();
    let owner = f.levered_account(1_000, 330);
    let keeper = f.funded_keeper(0);
    let before = f.p.books(&[&keeper, &owner], &[(&owner, 0)]);
    let r = f
        .auction
        .try_start(&keeper, &owner, &0, &f.p.tokens[0], &f.p.tokens[1]);
    assert_eq!(r, Err(Ok(Error::Healthy)));
    assert_eq!(f.p.books(&[&keeper, &owner], &[(&owner, 0)]), before);
}

#[test]
fn lifecycle_start_take_all_returns_rest_of_lot() {
    let (f, owner, keeper, aid) = started(|_| {});
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let a = f.auction.auction(&aid);
    assert!(a.tab > 0 && a.lot > 0);
    assert!(
        f.p.balance(0, &keeper) > 0,
        "start bonus paid in collateral"
    );
    let before = f.p.margin.positions(&owner, &0);
    let (slice, owe) = take(&f, &keeper, aid, NO_LIMIT).unwrap();
    assert_eq!(owe, a.tab);
    assert!(slice > 0);
    assert_eq!(f.event_values("auction_closed", "tab_left"), [0]);
    assert_eq!(f.auction.auctions_of(&owner, &0).len(), 0);
    assert_eq!(f.auction.try_auction(&aid), Err(Ok(Error::UnknownAuction)));
    let after = f.p.margin.positions(&owner, &0);
    let repaid = after.get(t1.clone()).unwrap() - before.get(t1).unwrap();
    assert!(
        (repaid - a.debt_to_cover).abs() <= 1,
        "debt repaid (ceil-rounded views)"
    );
    assert!(
        after.get(t0.clone()).unwrap() > before.get(t0).unwrap(),
        "rest of the lot back"
    );
    assert_eq!(f.auction.insurance(&f.p.tokens[1]), owe - a.debt_to_cover);
    assert_eq!(f.auction.debt_under_auction(&f.p.tokens[0]), (0, 0));
}

//! Curve prices to the stroop (SPEC §7.3), the `max_price` guard, the start's sizing.

use super::*;
use liquidation_auction::{AuctionTaken, CurveConfig};
use protocol_tests::protocol_fixture::USD;
use risk_core::{top_price, Quote, Ratio};

/// Takes one whole token at each of `times` (seconds after the start) and checks the price view,
/// the take's `owe` and its event against risk-core's `price` computed natively.
fn takes_follow_the_curve(curve: CurveConfig, times: &[u64]) {
    let (f, _owner, keeper, aid) = started(|p| {
        p.curve = curve;
        p.cusp = 1; // no cusp reset: the whole curve is takeable
        p.tail = 100_000;
    });
    let a = f.auction.auction(&aid);
    // top = spot(collateral) / spot(debt) * buf, from the same inputs as the contract.
    let q = |price: i128| Quote::from_adapter(price, price, price, 14).unwrap();
    let buf = Ratio::from_abi(f.auction.params().buf, Rounding::Ceil).unwrap();
    let top = top_price(&q(USD * 75 / 100), &q(2 * USD), buf).unwrap();
    assert_eq!(a.top, top.to_bits());
    let risk_curve = curve.curve().unwrap();
    for &t in times {
        let now = f.p.now();
        if a.start + t > now {
            f.p.advance(a.start + t - now);
        }
        let expected = risk_core::price(top, &risk_curve, t).unwrap();
        let (view, reset) = f.auction.price(&aid);
        assert_eq!((view, reset), (abi(expected), false), "price at {t} s");
        let before = f.auction.auction(&aid);
        let (slice, owe) = take(&f, &keeper, aid, UNIT).unwrap();
        let events = f.raw_events();
        assert_eq!(
            (slice, owe),
            (UNIT, owe_for(UNIT, expected)),
            "take at {t} s"
        );
        let after = f.auction.auction(&aid);
        let event = AuctionTaken {
            auction_id: aid,
            keeper: keeper.clone(),
            receiver: keeper.clone(),
            price: abi(expected),
            slice,
            owe,
            repaid: owe,
            to_insurance: 0,
            lot: after.lot,
            tab: after.tab,
        };
        assert!(events.contains(&f.xdr(&event)), "AuctionTaken at {t} s");
        assert_eq!(after.tab, before.tab - owe);
    }
}

#[test]
fn stairstep_takes_reproduce_the_curve_to_the_stroop() {
    let curve = CurveConfig::StairstepExp(9_900_000, 30);
    takes_follow_the_curve(curve, &[0, 29, 30, 301, 899, 1_800, 3_000]);
}

#[test]
fn linear_takes_reproduce_the_curve_to_the_stroop() {
    let curve = CurveConfig::Linear(3_600);
    takes_follow_the_curve(curve, &[0, 1, 17, 600, 1_799, 2_700, 3_599]);
}

#[test]
fn take_above_max_price_fails_and_changes_nothing() {
    let (f, owner, keeper, aid) = started(|_| {});
    let (price, _) = f.auction.price(&aid);
    let before = f.p.books(&[&keeper, &owner], &[(&owner, 0)]);
    let a = f.auction.auction(&aid);
    let r = f
        .auction
        .try_take(&keeper, &aid, &NO_LIMIT, &(price - 1), &keeper, &None);
    assert_eq!(r, Err(Ok(Error::PriceAboveMax)));
    assert_eq!(f.p.books(&[&keeper, &owner], &[(&owner, 0)]), before);
    assert_eq!(f.auction.auction(&aid), a);
    // One step later the price is below the same guard.
    f.p.advance(30);
    assert!(f
        .auction
        .try_take(&keeper, &aid, &UNIT, &(price - 1), &keeper, &None)
        .is_ok());
}

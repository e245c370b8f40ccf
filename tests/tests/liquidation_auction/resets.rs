//! Resets on `tail` and `cusp` and the reset bonus rule (SPEC §7.2, §7.5), the `stopped`
//! levels, the auction caps.

use super::*;
use liquidation_auction::{AuctionReset, KeeperPaid};
use protocol_tests::protocol_fixture::{ABI_USD, USD};

#[test]
fn reset_on_tail_restarts_from_a_fresh_spot() {
    let (mut f, _owner, keeper, aid) = started(|p| {
        p.cusp = 1;
        p.tail = 600;
    });
    let a = f.auction.auction(&aid);
    assert_eq!(
        f.auction.try_reset(&keeper, &aid),
        Err(Ok(Error::NotResettable))
    );
    f.p.advance(a.start + 600 - f.p.now());
    assert!(!f.auction.price(&aid).1, "tail is exclusive");
    f.p.set_price(0, USD * 70 / 100);
    assert!(f.auction.price(&aid).1);
    assert_eq!(take(&f, &keeper, aid, UNIT), Err(Error::NeedsReset));
    f.auction.reset(&keeper, &aid);
    let b = f.auction.auction(&aid);
    assert_eq!(b.start, f.p.now());
    assert!(b.top < a.top, "fresh spot: the collateral fell");
    assert!(!f.auction.price(&aid).1);
    assert!(take(&f, &keeper, aid, UNIT).is_ok());
}

#[test]
fn reset_on_cusp_pays_the_bonus_above_dust() {
    let (f, _owner, keeper, aid) = started(|_| {});
    let a = f.auction.auction(&aid);
    // cut 0.99 per 30 s: 0.99^50 = 0.605 >= cusp 0.6 > 0.99^51.
    f.p.advance(a.start + 50 * 30 - f.p.now());
    assert_eq!(
        f.auction.try_reset(&keeper, &aid),
        Err(Ok(Error::NotResettable))
    );
    f.p.advance(30);
    assert!(f.auction.price(&aid).1);
    let coll_before = f.p.balance(0, &keeper);
    f.auction.reset(&keeper, &aid);
    let events = f.raw_events();
    let paid = f.event_values("keeper_paid", "collateral");
    assert_eq!(paid.len(), 1);
    assert!(paid[0] > 0);
    let reduction = f.event_values("keeper_paid", "tab_reduction")[0];
    assert_eq!(f.p.balance(0, &keeper) - coll_before, paid[0]);
    let b = f.auction.auction(&aid);
    assert_eq!(b.tab, a.tab - reduction);
    assert_eq!(b.lot, a.lot - paid[0]);
    let ev = AuctionReset {
        auction_id: aid,
        keeper: keeper.clone(),
        top: b.top,
        dust_tab: b.dust_tab,
    };
    let bonus = KeeperPaid {
        auction_id: aid,
        keeper,
        collateral: paid[0],
        tab_reduction: reduction,
    };
    assert_eq!(events, [f.xdr(&bonus), f.xdr(&ev)]);
}

#[test]
fn reset_pays_no_bonus_when_the_tab_is_below_dust() {
    let (mut f, _owner, keeper, aid) = started(|_| {});
    // Trim the tab to exactly dust (rule 1), then let the debt token fall 10 %: the tab is
    // worth 9 USD < dust 10 USD.
    let a = f.auction.auction(&aid);
    let p = native_price(&f, aid);
    let max = units()
        .collateral_for((a.tab - a.dust_tab / 2) as u128, p, Rounding::Ceil)
        .unwrap() as i128;
    take(&f, &keeper, aid, max).unwrap();
    assert_eq!(f.auction.auction(&aid).tab, a.dust_tab);
    f.p.set_price(1, USD * 18 / 10);
    f.p.advance(3_600);
    let coll_before = f.p.balance(0, &keeper);
    f.auction.reset(&keeper, &aid);
    assert!(f.event_values("keeper_paid", "collateral").is_empty());
    assert_eq!(f.event_values("auction_reset", "dust_tab").len(), 1);
    assert_eq!(f.p.balance(0, &keeper), coll_before);
    assert_eq!(f.auction.auction(&aid).tab, a.dust_tab);
}

#[test]
fn stopped_levels_block_starts_then_resets_then_takes() {
    let (f, owner, other, keeper, aid) = started_two(|p| p.tail = 60);
    f.stop(1);
    let t = (&f.p.tokens[0], &f.p.tokens[1]);
    assert_eq!(
        f.auction.try_start(&keeper, &other, &0, t.0, t.1),
        Err(Ok(Error::Stopped))
    );
    assert!(take(&f, &keeper, aid, UNIT).is_ok());
    f.stop(2);
    f.p.advance(61);
    assert_eq!(f.auction.try_reset(&keeper, &aid), Err(Ok(Error::Stopped)));
    f.stop(0);
    f.auction.reset(&keeper, &aid);
    f.stop(3);
    let before = f.p.books(&[&keeper, &owner], &[(&owner, 0)]);
    assert_eq!(take(&f, &keeper, aid, UNIT), Err(Error::Stopped));
    assert_eq!(f.p.books(&[&keeper, &owner], &[(&owner, 0)]), before);
    f.stop(0);
    assert!(take(&f, &keeper, aid, UNIT).is_ok());
}

/// Starts on two accounts under `max_auction_debt` / `max_asset_debt` of `cap` USD.
fn cap_binds(global: bool) {
    let cap = 100 * ABI_USD;
    let (f, _owner, other, keeper, aid) = started_two(|p| {
        if global {
            p.max_auction_debt = cap;
        } else {
            p.max_asset_debt = cap;
        }
    });
    let a = f.auction.auction(&aid);
    // Sized down: the debt under auction is the cap (the account alone would need more).
    assert!(
        a.cap_value <= cap && a.cap_value > cap - ABI_USD,
        "{}",
        a.cap_value
    );
    // debt_to_cover at 2 USD a token is worth the cap.
    assert!(
        (a.debt_to_cover * 2 - cap).abs() <= 2,
        "{}",
        a.debt_to_cover
    );
    assert_eq!(
        f.auction.debt_under_auction(&f.p.tokens[0]),
        (a.cap_value, a.cap_value)
    );
    let t = (&f.p.tokens[0], &f.p.tokens[1]);
    let r = f.auction.try_start(&keeper, &other, &0, t.0, t.1);
    if a.cap_value == cap {
        assert_eq!(r, Err(Ok(Error::CapReached)), "nothing fits");
    } else {
        // A sliver of room is left: the second start is sized into it.
        let b = f.auction.auction(&r.unwrap().unwrap());
        assert!(a.cap_value + b.cap_value <= cap);
    }
}

#[test]
fn global_cap_sizes_down_then_refuses() {
    cap_binds(true);
}

#[test]
fn per_asset_cap_sizes_down_then_refuses() {
    cap_binds(false);
}

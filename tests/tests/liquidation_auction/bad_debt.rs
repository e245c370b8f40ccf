//! Bad debt (SPEC §7.6): insurance fund first, then the vault's write-off, each in events; and
//! the crash scenario.

use super::*;
use liquidation_auction::BadDebtSettled;
use protocol_tests::protocol_fixture::USD;

/// An account whose whole collateral was auctioned and sold while debt remains: 1000 token 0
/// against 330 token 1, token 0 crashed to 30 cents. Returns the fixture, owner and its debt.
fn underwater() -> (AuctionFixture<'static>, Address, i128) {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(30);
    let keeper = f.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let aid = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    assert_eq!(
        f.p.margin
            .positions(&owner, &0)
            .get(t0.clone())
            .unwrap_or(0),
        0
    );
    // Fifteen minutes down the curve (0.99^30 of top, below spot): the lot cannot pay the tab.
    f.p.advance(900);
    take(&f, &keeper, aid, NO_LIMIT).unwrap();
    let left = f.event_values("auction_closed", "tab_left");
    assert!(
        left.len() == 1 && left[0] > 0,
        "the lot ran out first: {left:?}"
    );
    assert_eq!(f.p.margin.positions(&owner, &0).get(t0).unwrap_or(0), 0);
    let debt = -f.p.margin.positions(&owner, &0).get(t1).unwrap();
    assert!(debt > 0);
    (f, owner, debt)
}

/// Settles with `fund` tokens in the insurance fund; checks the waterfall and its events.
fn settle_with_fund(fund: i128) {
    let (f, owner, debt) = underwater();
    let t1 = f.p.tokens[1].clone();
    if fund > 0 {
        let donor = f.p.funded(1, fund);
        f.auction.fund_insurance(&donor, &t1, &fund);
    }
    let assets_before = f.p.vaults[1].total_assets();
    let written = f.auction.settle_bad_debt(&owner, &0);
    let events = f.raw_events();
    let paid = fund.min(debt);
    assert_eq!(written, debt - paid);
    let settled = BadDebtSettled {
        owner: owner.clone(),
        asset: t1.clone(),
        id: 0,
        debt,
        insurance_paid: paid,
        written_off: debt - paid,
    };
    assert!(events.contains(&f.xdr(&settled)), "BadDebtSettled");
    let insurance = f.event_values("insurance_changed", "amount");
    assert_eq!(insurance, if paid > 0 { vec![-paid] } else { vec![] });
    assert_eq!(f.auction.insurance(&t1), fund - paid);
    // Lenders lose exactly the write-off (the vault's assets also accrue, up to rounding).
    let loss = assets_before - f.p.vaults[1].total_assets();
    assert!(
        (loss - (debt - paid)).abs() <= 1,
        "{loss} vs {}",
        debt - paid
    );
    assert_eq!(f.p.margin.positions(&owner, &0).get(t1).unwrap_or(0), 0);
    assert_eq!(
        f.auction.try_settle_bad_debt(&owner, &0),
        Err(Ok(Error::NoDebt))
    );
}

#[test]
fn bad_debt_paid_in_full_by_the_insurance_fund() {
    settle_with_fund(1_000 * UNIT);
}

#[test]
fn bad_debt_paid_partly_by_insurance_then_written_off() {
    settle_with_fund(20 * UNIT);
}

#[test]
fn bad_debt_with_an_empty_fund_is_written_off() {
    settle_with_fund(0);
}

#[test]
fn settle_refuses_an_account_with_collateral_or_live_auctions() {
    let (f, owner, keeper, aid) = started(|_| {});
    assert_eq!(
        f.auction.try_settle_bad_debt(&owner, &0),
        Err(Ok(Error::NotBadDebt))
    );
    take(&f, &keeper, aid, NO_LIMIT).unwrap();
    assert_eq!(
        f.auction.try_settle_bad_debt(&owner, &0),
        Err(Ok(Error::NotBadDebt))
    );
}

/// SPEC §7 crash: token 0 falls 50 % in 10 minutes while keepers are away for 30. A start at
/// the first drop; when keepers return the auction needs a reset, so nothing clears at the
/// stale curve's dust prices; it restarts at the fresh spot, and the bad debt left is settled,
/// every unit of it in events.
#[test]
fn crash_auctions_reset_rather_than_clear_at_dust_and_bad_debt_is_accounted() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let aid = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    for minute in 1..=10 {
        // 0.75 -> 0.375 over ten minutes, linearly.
        f.p.prices[0] = USD * (750 - 375 * minute / 10) / 1_000;
        f.p.advance(60);
    }
    f.p.advance(20 * 60);
    let a = f.auction.auction(&aid);
    let (stale, needs) = f.auction.price(&aid);
    assert!(needs, "30 minutes at cut 0.99/30 s is below cusp");
    assert_eq!(take(&f, &keeper, aid, NO_LIMIT), Err(Error::NeedsReset));
    f.auction.reset(&keeper, &aid);
    let b = f.auction.auction(&aid);
    let (fresh, _) = f.auction.price(&aid);
    // The restart is at the fresh spot ratio times buf, not the stale curve's floor.
    assert_eq!(fresh, abi(AuctionPrice::from_bits(b.top).unwrap()));
    assert!(b.top < a.top && b.start == f.p.now() && stale > 0);
    let spot_ratio = USD * 375 / 1_000 * 100_000_000_000_000 / (2 * USD);
    assert!(fresh >= spot_ratio, "{fresh} vs spot {spot_ratio}");
    // Keepers clear the lot at the fresh curve (the lot runs out before the tab), then auction
    // the rest of the collateral the same way until none is left.
    let mut id = aid;
    for round in 0..6 {
        f.p.advance(900);
        take(&f, &keeper, id, NO_LIMIT).unwrap();
        let price = f.event_values("auction_taken", "price")[0];
        assert!(
            price >= spot_ratio * 6 / 10,
            "round {round}: {price} is a dust price"
        );
        if f.p
            .margin
            .positions(&owner, &0)
            .get(t0.clone())
            .unwrap_or(0)
            == 0
        {
            break;
        }
        id = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    }
    assert_eq!(
        f.p.margin
            .positions(&owner, &0)
            .get(t0.clone())
            .unwrap_or(0),
        0
    );
    let debt =
        -f.p.margin
            .positions(&owner, &0)
            .get(t1.clone())
            .unwrap_or(0);
    assert!(
        debt > 0,
        "a 50 % crash on a 0.93-health account leaves bad debt"
    );
    let insurance = f.auction.insurance(&t1);
    let assets_before = f.p.vaults[1].total_assets();
    let written = f.auction.settle_bad_debt(&owner, &0);
    let d = f.event_values("bad_debt_settled", "debt");
    let ins = f.event_values("bad_debt_settled", "insurance_paid");
    let w = f.event_values("bad_debt_settled", "written_off");
    assert_eq!((d, w.clone()), (vec![debt], vec![written]));
    assert_eq!(
        ins[0],
        insurance.min(debt),
        "the penalties collected pay first"
    );
    assert_eq!(ins[0] + w[0], debt, "every unit of bad debt in events");
    let loss = assets_before - f.p.vaults[1].total_assets();
    assert!((loss - written).abs() <= 1);
}

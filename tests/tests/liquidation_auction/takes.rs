//! Partial takes and the dust rules, the owner repaying under a live auction, flash takes
//! (a receiver that does not pay, the keeper receiver on the AMM).

use super::*;
use protocol_tests::wasm;
use soroban_sdk::xdr::ToXdr;

#[test]
fn partial_takes_then_dust_trim_then_dust_remainder_then_buy_all() {
    let (f, owner, keeper, aid) = started(|_| {});
    let a = f.auction.auction(&aid);
    // A plain partial take leaves tab - owe, well above dust.
    let (slice, owe) = take(&f, &keeper, aid, 10 * UNIT).unwrap();
    assert_eq!(slice, 10 * UNIT);
    let a1 = f.auction.auction(&aid);
    assert_eq!(a1.tab, a.tab - owe);
    // Rule 1: a take that would leave less than dust is trimmed to leave exactly dust.
    let p = native_price(&f, aid);
    let want = a1.tab - a1.dust_tab / 2;
    let max = units()
        .collateral_for(want as u128, p, Rounding::Ceil)
        .unwrap() as i128;
    let (slice, owe) = take(&f, &keeper, aid, max).unwrap();
    assert_eq!(owe, a1.tab - a1.dust_tab);
    assert_eq!(
        slice,
        units()
            .collateral_for(owe as u128, p, Rounding::Floor)
            .unwrap() as i128
    );
    let a2 = f.auction.auction(&aid);
    assert_eq!(a2.tab, a2.dust_tab);
    // Rule 2: with the tab at dust, a partial take is refused; buying it all closes.
    assert_eq!(take(&f, &keeper, aid, UNIT), Err(Error::DustRemainder));
    let (_, owe) = take(&f, &keeper, aid, NO_LIMIT).unwrap();
    assert_eq!(owe, a2.dust_tab);
    assert!(f.auction.auctions_of(&owner, &0).is_empty());
}

#[test]
fn owner_repaying_all_debt_under_auction_lets_the_take_close_it() {
    let (f, owner, keeper, aid) = started(|_| {});
    let t1 = f.p.tokens[1].clone();
    let a = f.auction.auction(&aid);
    f.p.mint(1, &owner, 100 * UNIT);
    f.p.margin.repay(&owner, &owner, &0, &t1, &(1_000 * UNIT));
    assert!(
        f.p.margin
            .positions(&owner, &0)
            .get(t1.clone())
            .unwrap_or(0)
            >= 0
    );
    let insurance = f.auction.insurance(&t1);
    let (slice, owe) = take(&f, &keeper, aid, 100 * UNIT).unwrap();
    assert!(slice > 0 && owe > 0);
    let penalty = a.tab - a.debt_left;
    assert_eq!(f.event_values("auction_taken", "repaid"), [0]);
    assert_eq!(f.event_values("auction_taken", "to_insurance"), [penalty]);
    assert_eq!(f.event_values("auction_closed", "tab_left"), [0]);
    assert_eq!(f.auction.insurance(&t1), insurance + penalty);
    // The rest of the proceeds is the account's: deposited back as collateral.
    let pos = f.p.margin.positions(&owner, &0).get(t1).unwrap();
    assert!(
        (pos - (owe - penalty)).abs() <= 1,
        "{pos} vs {}",
        owe - penalty
    );
    assert!(f.auction.auctions_of(&owner, &0).is_empty());
    assert_eq!(f.auction.debt_under_auction(&f.p.tokens[0]), (0, 0));
}

#[test]
fn owner_repaying_part_of_the_debt_caps_the_repayment() {
    let (f, owner, keeper, aid) = started(|_| {});
    let t1 = f.p.tokens[1].clone();
    let a = f.auction.auction(&aid);
    let debt = -f.p.margin.positions(&owner, &0).get(t1.clone()).unwrap();
    // Leave 10 tokens of debt, less than the auction's debt_left.
    f.p.margin
        .repay(&owner, &owner, &0, &t1, &(debt - 10 * UNIT));
    let (_, owe) = take(&f, &keeper, aid, NO_LIMIT).unwrap();
    let repaid = f.event_values("auction_taken", "repaid")[0];
    assert!((repaid - 10 * UNIT).abs() <= 1, "{repaid}");
    let penalty = a.tab - a.debt_left;
    assert_eq!(f.event_values("auction_taken", "to_insurance"), [penalty]);
    assert!(owe > repaid + penalty);
    assert_eq!(
        f.p.margin
            .positions(&owner, &0)
            .get(t1.clone())
            .unwrap()
            .min(0),
        0
    );
    assert!(f.auction.auctions_of(&owner, &0).is_empty());
}

#[test]
fn flash_take_whose_callback_does_not_pay_changes_nothing() {
    let (f, owner, _keeper, aid) = started(|_| {});
    let bad = f.env().register(wasm::load("bad-receiver").as_slice(), ());
    let broke = f.p.funded(1, 0);
    let (price, _) = f.auction.price(&aid);
    let a = f.auction.auction(&aid);
    let who = [&broke, &bad, &owner];
    let before = f.p.books(&who, &[(&owner, 0)]);
    let data = Some(soroban_sdk::Bytes::from_slice(f.env(), b"x"));
    let r = f
        .auction
        .try_take(&broke, &aid, &NO_LIMIT, &price, &bad, &data);
    assert!(r.is_err(), "{r:?}");
    assert_eq!(f.p.books(&who, &[(&owner, 0)]), before);
    assert_eq!(f.auction.auction(&aid), a);
    assert_eq!(f.p.balance(0, &bad), 0);
}

#[test]
fn keeper_receiver_liquidates_with_no_capital_through_the_amm() {
    let (f, owner, _keeper, aid) = started(|_| {});
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let pool = f.p.pool(0, 1);
    let r = &f.receiver;
    let k = &f.keeper_owner;
    // The keeper holds nothing: a standing allowance to the auction is all it needs.
    let expiry = f.env().ledger().sequence() + 10_000;
    f.p.token(1)
        .approve(k, &f.auction.address, &(1_000_000 * UNIT), &expiry);
    // The pool is seeded at 1 USD : 2 USD; the discount pays once the curve is below it.
    f.p.advance(600);
    let (price, _) = f.auction.price(&aid);
    let data = Some((pool, t0.clone(), t1.clone()).to_xdr(f.env()));
    let (slice, owe) = f
        .auction
        .take(k, &aid, &NO_LIMIT, &price, &r.address, &data);
    assert!(slice > 0 && owe > 0);
    assert!(f.auction.auctions_of(&owner, &0).is_empty());
    assert_eq!((f.p.balance(0, k), f.p.balance(1, k)), (0, 0));
    assert_eq!(f.p.balance(0, &r.address), 0, "the slice was sold");
    let profit = f.p.balance(1, &r.address);
    assert!(profit > 0, "the discount stays with the receiver");
    r.withdraw(&t1, &profit, k);
    assert_eq!(f.p.balance(1, k), profit);
}

#[test]
fn keeper_receiver_sells_only_for_its_owner() {
    let (f, owner, keeper, aid) = started(|_| {});
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let data = Some((f.p.pool(0, 1), t0, t1).to_xdr(f.env()));
    let (price, _) = f.auction.price(&aid);
    let before = f.p.books(&[&keeper, &owner], &[(&owner, 0)]);
    let r = f
        .auction
        .try_take(&keeper, &aid, &NO_LIMIT, &price, &f.receiver.address, &data);
    assert!(r.is_err(), "{r:?}");
    assert_eq!(f.p.books(&[&keeper, &owner], &[(&owner, 0)]), before);
}

/// The rest of the lot is the account's own collateral: the take that pays the tab deposits it
/// back even when governance froze the asset (no new collateral may come in otherwise).
#[test]
fn the_rest_of_the_lot_returns_to_a_frozen_collateral_position() {
    let (f, owner, keeper, aid) = started(|_| {});
    let t0 = f.p.tokens[0].clone();
    f.p.margin
        .set_mode(&t0, &margin_account::types::AssetMode::Frozen);
    let before = f.p.margin.positions(&owner, &0).get(t0.clone()).unwrap();
    let (slice, _) = take(&f, &keeper, aid, NO_LIMIT).unwrap();
    let returned = f.event_values("auction_closed", "returned")[0];
    assert!(returned > 0 && slice > 0);
    let after = f.p.margin.positions(&owner, &0).get(t0).unwrap();
    // Deposited as vault shares: at most one base unit lost to the vault's rounding.
    assert!(
        (after - (before + returned)).abs() <= 1,
        "{after} vs {before} + {returned}"
    );
    assert_eq!(f.p.balance(0, &f.auction.address), 0);
    assert!(f.auction.auctions_of(&owner, &0).is_empty());
}

/// When the account cannot take the rest of the lot back (here the collateral vault's own
/// deposit cap was lowered under its assets), the take still closes the auction: the proceeds
/// repay the debt and the owner receives the rest of the lot as tokens.
#[test]
fn a_lot_the_account_cannot_take_back_goes_to_its_owner() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    set_vault_params(&f, 0, |p| p.deposit_cap = 1);
    let aid = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    let a = f.auction.auction(&aid);
    let wallet = f.p.balance(0, &owner);
    let debt_before = f.p.margin.positions(&owner, &0).get(f.p.tokens[1].clone());
    let coll_before = f.p.margin.positions(&owner, &0).get(t0.clone());
    let (_, owe) = take(&f, &keeper, aid, NO_LIMIT).unwrap();
    let returned = f.event_values("auction_closed", "returned")[0];
    assert_eq!(f.event_values("auction_taken", "repaid"), [a.debt_left]);
    assert!(returned > 0);
    assert_eq!(f.p.balance(0, &owner), wallet + returned);
    assert!(owe >= a.debt_left);
    let debt_after = f.p.margin.positions(&owner, &0).get(f.p.tokens[1].clone());
    assert!(debt_after.unwrap_or(0) > debt_before.unwrap());
    assert_eq!(f.p.balance(0, &f.auction.address), 0);
    assert!(f.auction.auctions_of(&owner, &0).is_empty());
    assert_eq!(f.p.margin.positions(&owner, &0).get(t0), coll_before);
}

/// A start needs the collateral vault to pay the lot out in cash: when borrowers hold the cash,
/// the start fails with the vault's error and changes nothing (a keeper retries later).
#[test]
fn a_start_without_vault_cash_changes_nothing() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(0);
    // Someone borrows all of token 0's cash against a large token 1 deposit (governance first
    // allows 100 % utilisation).
    set_vault_params(&f, 0, |p| p.max_utilization = 10_000_000);
    let whale = f.p.funded(1, 0);
    f.p.mint(1, &whale, 10_000_000 * UNIT);
    f.p.margin
        .deposit(&whale, &0, &f.p.tokens[1], &(10_000_000 * UNIT));
    let cash = f.p.vaults[0].pool_state().cash;
    f.p.margin.borrow(&whale, &0, &f.p.tokens[0], &cash, &whale);
    let before = protocol_tests::snapshot::Snapshot::take(f.env());
    let r = f
        .auction
        .try_start(&keeper, &owner, &0, &f.p.tokens[0], &f.p.tokens[1]);
    assert!(r.is_err(), "{r:?}");
    before.assert_unchanged(f.env(), "start without vault cash");
}

/// Changes vault `i`'s parameters through its timelock (queue, wait the delay, apply).
fn set_vault_params(f: &AuctionFixture, i: usize, tweak: impl FnOnce(&mut vault::VaultParams)) {
    let vault = &f.p.vaults[i];
    let mut params = vault.config().params;
    tweak(&mut params);
    vault.queue_params(&params);
    f.p.advance(protocol_tests::fixture::DELAY);
    vault.apply_params();
}

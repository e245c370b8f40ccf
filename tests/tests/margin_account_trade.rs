//! `trade` and `submit` on the WASM fixture: swaps through a listed AMM pool, the oracle check of
//! the realised price, leverage, deleveraging of an unhealthy account, and netting.

use amm_pool::AmmPoolClient;
use margin_account::{Deposit, Error, Request, TradeRequest};
use protocol_tests::protocol_fixture::{
    default_config, Protocol, ABI_USD, MAX_AGE, RATIO_ONE, UNIT,
};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{vec, Address, Event as _};

fn quote(p: &Protocol, i: usize, j: usize, amount_in: i128) -> i128 {
    AmmPoolClient::new(&p.env, &p.pool(i, j)).quote_exact_in(&p.tokens[i], &amount_in)
}

#[test]
fn trade_sells_collateral_and_credits_what_it_buys() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    let venue = p.pool(0, 1);
    let expected = quote(&p, 0, 1, 100 * UNIT);
    let out = p.margin.trade(
        &owner,
        &1,
        &p.tokens[0],
        &p.tokens[1],
        &(100 * UNIT),
        &0,
        &venue,
    );
    assert_eq!(out, expected);
    let pos = p.margin.positions(&owner, &1);
    assert_eq!(pos.get(p.tokens[0].clone()), Some(900 * UNIT));
    assert_eq!(pos.get(p.tokens[1].clone()), Some(out));
    assert_eq!(p.balance(0, &p.margin.address), 0);
    assert_eq!(p.balance(1, &p.margin.address), 0);
}

#[test]
fn a_leveraged_trade_borrows_the_sell_asset() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    let venue = p.pool(0, 1);
    let out = p.margin.trade(
        &owner,
        &1,
        &p.tokens[1],
        &p.tokens[0],
        &(200 * UNIT),
        &0,
        &venue,
    );
    let pos = p.margin.positions(&owner, &1);
    assert_eq!(pos.get(p.tokens[1].clone()), Some(-200 * UNIT));
    assert_eq!(pos.get(p.tokens[0].clone()), Some(1_000 * UNIT + out));
    // assets_init = (1,000 + out) * 1 USD * 0.8; liabs_init = 200 * 2 USD * 1.2.
    let h = p.margin.health(&owner, &1);
    assert!(h.liabs_init >= 480 * ABI_USD && h.liabs_init <= 480 * ABI_USD + 4);
    assert!(
        h.assets_init <= (1_000 * UNIT + out) * 8 / 10
            && h.assets_init >= (1_000 * UNIT + out) * 8 / 10 - 4
    );
    // Beyond init health the trade is refused.
    let r = p.margin.try_trade(
        &owner,
        &1,
        &p.tokens[1],
        &p.tokens[0],
        &(2_000 * UNIT),
        &0,
        &venue,
    );
    assert_eq!(r, Err(Ok(Error::InitHealthTooLow)));
}

#[test]
fn an_unhealthy_account_can_still_sell_collateral_to_repay_debt() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(300 * UNIT), &owner);
    // Init weight cut to 0.3: init health 300 / 720 < 1 at once.
    let mut c = default_config(&p.vaults[0].address);
    c.asset_weight_init = RATIO_ONE * 3 / 10;
    p.reconfigure(0, &c);
    assert!(p.margin.health(&owner, &1).init < ABI_USD);
    let venue = p.pool(0, 1);
    let r = p.margin.try_trade(
        &owner,
        &1,
        &p.tokens[1],
        &p.tokens[0],
        &(10 * UNIT),
        &0,
        &venue,
    );
    assert_eq!(r, Err(Ok(Error::InitHealthTooLow)));
    // Selling collateral to repay debt lowers risk and raises init health: allowed below 1.
    let out = p.margin.trade(
        &owner,
        &1,
        &p.tokens[0],
        &p.tokens[1],
        &(100 * UNIT),
        &0,
        &venue,
    );
    let debt = p
        .margin
        .positions(&owner, &1)
        .get(p.tokens[1].clone())
        .unwrap();
    // 300 borrowed plus a day of interest (2 % a year), minus what the trade bought.
    assert!(
        debt <= -300 * UNIT + out && debt > -300 * UNIT * 1_001 / 1_000 + out,
        "{debt}"
    );
}

#[test]
fn a_manipulated_pool_cannot_be_used_to_move_value_out() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    let venue = p.pool(0, 1);
    // A whale dumps token 0 into the pool: its price there falls by ~10 %.
    let whale = p.funded(0, 60_000 * UNIT);
    AmmPoolClient::new(&p.env, &venue).swap(
        &whale,
        &p.tokens[0],
        &p.tokens[1],
        &(50_000 * UNIT),
        &0,
        &whale,
    );
    let before = p.books(&[&owner], &[(&owner, 1)]);
    let r = p.margin.try_trade(
        &owner,
        &1,
        &p.tokens[0],
        &p.tokens[1],
        &(100 * UNIT),
        &0,
        &venue,
    );
    assert_eq!(r, Err(Ok(Error::PriceDeviation)));
    assert_eq!(p.books(&[&owner], &[(&owner, 1)]), before);
}

#[test]
fn bad_trades_get_their_typed_errors_and_change_nothing() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    let venue = p.pool(0, 1);
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let unlisted = Address::generate(&p.env);
    let before = p.books(&[&owner], &[(&owner, 1)]);
    let m = &p.margin;
    let expected = quote(&p, 0, 1, 100 * UNIT);
    let cases = [
        (
            m.try_trade(&owner, &1, &t0, &t1, &(100 * UNIT), &(expected + 1), &venue),
            Error::MinAmountOut,
        ),
        (
            m.try_trade(&owner, &1, &t0, &t1, &(100 * UNIT), &0, &unlisted),
            Error::VenueNotListed,
        ),
        (
            m.try_trade(&owner, &1, &t0, &t0, &(100 * UNIT), &0, &venue),
            Error::SameAsset,
        ),
        (
            m.try_trade(&owner, &1, &t0, &t1, &0, &0, &venue),
            Error::ZeroAmount,
        ),
        (
            m.try_trade(&owner, &1, &t0, &t1, &UNIT, &-1, &venue),
            Error::NegativeAmount,
        ),
        (
            m.try_trade(&owner, &2, &t0, &t1, &UNIT, &0, &venue),
            Error::UnknownAccount,
        ),
    ];
    for (r, e) in cases {
        assert_eq!(r, Err(Ok(e)));
        assert_eq!(p.books(&[&owner], &[(&owner, 1)]), before);
    }
    p.advance_stale(MAX_AGE + 1);
    let r = m.try_trade(&owner, &1, &t0, &t1, &(100 * UNIT), &0, &venue);
    assert_eq!(r, Err(Ok(Error::StalePrice)));
}

#[test]
fn submit_nets_the_owners_flows_and_checks_health_once() {
    let p = Protocol::two_assets();
    let owner = p.funded(0, 1_000 * UNIT);
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let venue = p.pool(0, 1);
    let trade = TradeRequest {
        sell_asset: t1.clone(),
        buy_asset: t0.clone(),
        amount_in: 100 * UNIT,
        min_amount_out: 0,
        venue: venue.clone(),
    };
    let requests = vec![
        &p.env,
        Request::Deposit(t0.clone(), 1_000 * UNIT),
        Request::Withdraw(t0.clone(), 300 * UNIT, owner.clone()),
        Request::Trade(trade),
        Request::Borrow(t1.clone(), 50 * UNIT, owner.clone()),
    ];
    p.margin.submit(&owner, &1, &requests);
    // One net deposit of 700 for token 0.
    let deposits: std::vec::Vec<_> = p.margin_events().events().to_vec();
    let net = Deposit {
        owner: owner.clone(),
        asset: t0.clone(),
        id: 1,
        from: owner.clone(),
        amount: 700 * UNIT,
        repaid: 0,
        position: 700 * UNIT,
    };
    assert!(deposits.contains(&net.to_xdr(&p.env, &p.margin.address)));
    assert_eq!(p.balance(0, &owner), 300 * UNIT);
    assert_eq!(p.balance(1, &owner), 50 * UNIT);
    let pos = p.margin.positions(&owner, &1);
    assert_eq!(pos.get(t1.clone()), Some(-150 * UNIT));
    assert!(pos.get(t0.clone()).unwrap() > 700 * UNIT + 190 * UNIT);
    assert!(p.margin.health(&owner, &1).init >= ABI_USD);
    // A submit whose end state is under init health changes nothing.
    let before = p.books(&[&owner], &[(&owner, 1)]);
    let greedy = vec![
        &p.env,
        Request::Borrow(t1.clone(), 500 * UNIT, owner.clone()),
    ];
    assert_eq!(
        p.margin.try_submit(&owner, &1, &greedy),
        Err(Ok(Error::InitHealthTooLow))
    );
    assert_eq!(p.books(&[&owner], &[(&owner, 1)]), before);
    let empty = vec![&p.env];
    assert_eq!(
        p.margin.try_submit(&owner, &1, &empty),
        Err(Ok(Error::InvalidRequests))
    );
}

#[test]
fn a_submit_that_only_lowers_risk_needs_no_prices() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
    p.advance_stale(MAX_AGE + 1);
    p.mint(0, &owner, 10 * UNIT);
    let requests = vec![
        &p.env,
        Request::Deposit(p.tokens[0].clone(), 10 * UNIT),
        Request::Repay(p.tokens[1].clone(), 40 * UNIT),
    ];
    p.margin.submit(&owner, &1, &requests);
    // 100 borrowed, 40 repaid, plus interest over the 601 s (2 % a year: under 0.01 token).
    let debt = -p
        .margin
        .positions(&owner, &1)
        .get(p.tokens[1].clone())
        .unwrap();
    assert!(
        (60 * UNIT..60 * UNIT + UNIT / 100).contains(&debt),
        "{debt}"
    );
    let risky = vec![
        &p.env,
        Request::Borrow(p.tokens[1].clone(), 10 * UNIT, owner.clone()),
    ];
    assert_eq!(
        p.margin.try_submit(&owner, &1, &risky),
        Err(Ok(Error::StalePrice))
    );
}

#[test]
fn a_trade_publishes_its_legs_and_needs_only_the_owners_auth() {
    use margin_account::{Trade, Withdraw};
    use soroban_sdk::IntoVal;
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    let venue = p.pool(0, 1);
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let out = p
        .margin
        .trade(&owner, &1, &t0, &t1, &(100 * UNIT), &0, &venue);
    let (auths, events) = (p.env.auths(), p.margin_events());
    let args = (
        owner.clone(),
        1u32,
        t0.clone(),
        t1.clone(),
        100 * UNIT,
        0i128,
        venue.clone(),
    );
    let root = p.call(
        &p.margin.address,
        "trade",
        args.into_val(&p.env),
        std::vec![],
    );
    assert_eq!(auths, std::vec![(owner.clone(), root)]);
    let m = &p.margin.address;
    let sell = Withdraw {
        owner: owner.clone(),
        asset: t0.clone(),
        id: 1,
        to: venue.clone(),
        amount: 100 * UNIT,
        borrowed: 0,
        position: 900 * UNIT,
    };
    let buy = Deposit {
        owner: owner.clone(),
        asset: t1.clone(),
        id: 1,
        from: m.clone(),
        amount: out,
        repaid: 0,
        position: out,
    };
    let trade = Trade {
        owner,
        id: 1,
        venue,
        sell_asset: t0,
        buy_asset: t1,
        amount_in: 100 * UNIT,
        amount_out: out,
    };
    assert_eq!(
        events,
        [
            sell.to_xdr(&p.env, m),
            buy.to_xdr(&p.env, m),
            trade.to_xdr(&p.env, m)
        ]
    );
}

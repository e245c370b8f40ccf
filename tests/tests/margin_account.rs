//! margin-account on the WASM protocol fixture: health exactly as SPEC §3 writes it, the wallet
//! entry points with their auths and events, and the risk rules of SPEC §3.

use margin_account::{AccountOpened, Deposit, Error, Withdraw};
use protocol_tests::protocol_fixture::{
    assert_ceil, assert_floor, Protocol, ABI_USD, MAX_AGE, UNIT, USD,
};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{vec, Address, Event as _, IntoVal};

/// Weights of the fixture's config, in percent: init/maint collateral 80/90, debt 120/110.
const AWI: i128 = 80;
const AWM: i128 = 90;
const LWI: i128 = 120;
const LWM: i128 = 110;

/// One health row: deposits and borrows as `(token, whole tokens)`.
struct Case {
    name: &'static str,
    deposits: &'static [(usize, i128)],
    borrows: &'static [(usize, i128)],
}

/// Prices of the table's tokens: 1, 2 and 0.5 USD (spot = low = high with one feed, no TWAP).
const PRICES_CENTS: [i128; 3] = [100, 200, 50];

#[test]
fn health_is_the_weighted_sums_of_spec_section_3() {
    let cases = [
        Case {
            name: "one collateral",
            deposits: &[(0, 1_000)],
            borrows: &[],
        },
        Case {
            name: "collateral and debt",
            deposits: &[(0, 1_000)],
            borrows: &[(1, 300)],
        },
        Case {
            name: "two collaterals, two debts",
            deposits: &[(0, 500), (2, 2_000)],
            borrows: &[(1, 100), (2, 0)],
        },
        Case {
            name: "debt in a collateral asset uses the collateral first",
            deposits: &[(0, 1_000), (1, 50)],
            borrows: &[(1, 150)],
        },
    ];
    let prices: std::vec::Vec<i128> = PRICES_CENTS.iter().map(|c| c * USD / 100).collect();
    for case in cases {
        let p = Protocol::new(&prices, &[], 0);
        let owner = Address::generate(&p.env);
        let mut held = [0i128; 3];
        for &(i, n) in case.deposits {
            p.mint(i, &owner, n * UNIT);
            p.margin.deposit(&owner, &1, &p.tokens[i], &(n * UNIT));
            held[i] += n;
        }
        for &(i, n) in case.borrows.iter().filter(|(_, n)| *n > 0) {
            p.margin
                .borrow(&owner, &1, &p.tokens[i], &(n * UNIT), &owner);
            held[i] -= n;
        }
        // value(n, P) = |n| * P; assets_T = sum over n > 0 of value * asset_weight_T,
        // liabs_T = sum over n < 0 of value * liab_weight_T (7 decimals: ABI_USD per dollar).
        let value = |i: usize| held[i].abs() * PRICES_CENTS[i] * ABI_USD / 100;
        let collateral = |w: i128| {
            (0..3)
                .filter(|&i| held[i] > 0)
                .map(|i| value(i) * w / 100)
                .sum::<i128>()
        };
        let debt = |w: i128| {
            (0..3)
                .filter(|&i| held[i] < 0)
                .map(|i| value(i) * w / 100)
                .sum::<i128>()
        };
        let h = p.margin.health(&owner, &1);
        assert_floor(h.assets_init, collateral(AWI));
        assert_floor(h.assets_maint, collateral(AWM));
        assert_ceil(h.liabs_init, debt(LWI));
        assert_ceil(h.liabs_maint, debt(LWM));
        if debt(LWI) == 0 {
            assert_eq!((h.init, h.maint), (i128::MAX, i128::MAX), "{}", case.name);
        } else {
            // health_factor(T) = assets_T / liabs_T, 7 decimals, rounded down.
            assert_floor(h.init, collateral(AWI) * ABI_USD / debt(LWI));
            assert_floor(h.maint, collateral(AWM) * ABI_USD / debt(LWM));
            assert!(h.init <= h.maint, "{}", case.name);
        }
    }
}

#[test]
fn first_deposit_opens_the_account_with_the_owners_auth_and_events() {
    let p = Protocol::two_assets();
    let owner = p.funded(0, 1_000 * UNIT);
    let amount = 1_000 * UNIT;
    p.margin.deposit(&owner, &7, &p.tokens[0], &amount);
    let (auths, events) = (p.env.auths(), p.margin_events());

    let vault = p.vaults[0].address.clone();
    let vault_deposit = p.call(
        &vault,
        "deposit",
        (
            amount,
            p.margin.address.clone(),
            owner.clone(),
            owner.clone(),
        )
            .into_val(&p.env),
        std::vec![p.transfer_call(0, &owner, &vault, amount)],
    );
    let args = (owner.clone(), 7u32, p.tokens[0].clone(), amount).into_val(&p.env);
    let root = p.call(&p.margin.address, "deposit", args, std::vec![vault_deposit]);
    assert_eq!(auths, std::vec![(owner.clone(), root)]);
    // The vault's share price is 1: the shares are the amount.
    let opened = AccountOpened {
        owner: owner.clone(),
        id: 7,
    };
    let deposit = Deposit {
        owner: owner.clone(),
        asset: p.tokens[0].clone(),
        id: 7,
        from: owner.clone(),
        amount,
        repaid: 0,
        position: amount,
    };
    let m = &p.margin.address;
    assert_eq!(
        events,
        [opened.to_xdr(&p.env, m), deposit.to_xdr(&p.env, m)]
    );
    assert_eq!(p.margin.accounts(&owner), vec![&p.env, 7u32]);
    assert_eq!(p.balance(0, &owner), 0);
    assert_eq!(
        p.margin.positions(&owner, &7).get(p.tokens[0].clone()),
        Some(amount)
    );
}

#[test]
fn borrow_needs_init_health_and_only_the_owners_auth() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    let to = Address::generate(&p.env);
    // 1,000 USD of collateral at 0.8 = 800; 300 tokens at 2 USD at 1.2 = 720.
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(300 * UNIT), &to);
    let (auths, events) = (p.env.auths(), p.margin_events());
    let args = (
        owner.clone(),
        1u32,
        p.tokens[1].clone(),
        300 * UNIT,
        to.clone(),
    )
        .into_val(&p.env);
    assert_eq!(
        auths,
        std::vec![(
            owner.clone(),
            p.call(&p.margin.address, "borrow", args, std::vec![])
        )]
    );
    let w = Withdraw {
        owner: owner.clone(),
        asset: p.tokens[1].clone(),
        id: 1,
        to: to.clone(),
        amount: 300 * UNIT,
        borrowed: 300 * UNIT,
        position: -300 * UNIT,
    };
    assert_eq!(events, [w.to_xdr(&p.env, &p.margin.address)]);
    assert_eq!(p.balance(1, &to), 300 * UNIT);
    assert_eq!(
        p.margin.positions(&owner, &1).get(p.tokens[1].clone()),
        Some(-300 * UNIT)
    );
    // 34 more (68 USD * 1.2 = 81.6 > the 80 left) is refused and changes nothing.
    let before = p.books(&[&owner, &to], &[(&owner, 1)]);
    let r = p
        .margin
        .try_borrow(&owner, &1, &p.tokens[1], &(34 * UNIT), &to);
    assert_eq!(r, Err(Ok(Error::InitHealthTooLow)));
    assert_eq!(p.books(&[&owner, &to], &[(&owner, 1)]), before);
    // 33 more (79.2 <= 80) is allowed.
    p.margin.borrow(&owner, &1, &p.tokens[1], &(33 * UNIT), &to);
    assert!(p.margin.health(&owner, &1).init >= ABI_USD);
}

#[test]
fn withdraw_is_limited_to_the_collateral_and_to_init_health() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
    // Debt 200 USD * 1.2 = 240 needs 300 of collateral at 0.8: at most 700 may leave (exactly
    // 700 fails by the rounding in the protocol's favour).
    let r = p
        .margin
        .try_withdraw(&owner, &1, &p.tokens[0], &(700 * UNIT), &owner);
    assert_eq!(r, Err(Ok(Error::InitHealthTooLow)));
    p.margin
        .withdraw(&owner, &1, &p.tokens[0], &(699 * UNIT), &owner);
    assert_eq!(p.balance(0, &owner), 699 * UNIT);
    // Withdrawing from a debt position or beyond the collateral is refused.
    let r = p
        .margin
        .try_withdraw(&owner, &1, &p.tokens[1], &UNIT, &owner);
    assert_eq!(r, Err(Ok(Error::InsufficientCollateral)));
    let r = p
        .margin
        .try_withdraw(&owner, &1, &p.tokens[0], &(302 * UNIT), &owner);
    assert_eq!(r, Err(Ok(Error::InsufficientCollateral)));
}

#[test]
fn repay_never_goes_past_zero_and_anyone_may_repay() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
    p.advance(30 * 86_400);
    let debt = -p
        .margin
        .positions(&owner, &1)
        .get(p.tokens[1].clone())
        .unwrap();
    assert!(debt > 100 * UNIT, "interest accrued: {debt}");
    let friend = p.funded(1, 1_000 * UNIT);
    let repaid = p
        .margin
        .repay(&friend, &owner, &1, &p.tokens[1], &(1_000 * UNIT));
    assert_eq!(repaid, debt);
    assert_eq!(p.balance(1, &friend), 1_000 * UNIT - debt);
    assert_eq!(
        p.margin.positions(&owner, &1).get(p.tokens[1].clone()),
        None
    );
    assert_eq!(p.vaults[1].pool_state().debt_shares, 0);
    let r = p.margin.try_repay(&friend, &owner, &1, &p.tokens[1], &UNIT);
    assert_eq!(r, Err(Ok(Error::NoDebt)));
}

#[test]
fn risk_lowering_calls_work_with_stale_prices_and_unhealthy_accounts() {
    let mut p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(300 * UNIT), &owner);
    // Collateral falls 30 %: 700 * 0.9 = 630 < 600 * 1.1 = 660, liquidatable.
    p.set_price(0, USD * 7 / 10);
    assert!(p.margin.health(&owner, &1).maint < ABI_USD);
    p.advance_stale(MAX_AGE + 1);
    assert_eq!(p.margin.try_health(&owner, &1), Err(Ok(Error::StalePrice)));
    // Deposits and repayments go through without prices.
    p.mint(0, &owner, 100 * UNIT);
    p.margin.deposit(&owner, &1, &p.tokens[0], &(100 * UNIT));
    p.margin
        .repay(&owner, &owner, &1, &p.tokens[1], &(50 * UNIT));
    // Risk-raising calls need fresh prices.
    let r = p
        .margin
        .try_withdraw(&owner, &1, &p.tokens[0], &UNIT, &owner);
    assert_eq!(r, Err(Ok(Error::StalePrice)));
    let r = p.margin.try_borrow(&owner, &1, &p.tokens[1], &UNIT, &owner);
    assert_eq!(r, Err(Ok(Error::StalePrice)));
}

#[test]
fn deposit_into_a_debt_repays_it_first() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
    p.mint(1, &owner, 50 * UNIT);
    p.margin.deposit(&owner, &1, &p.tokens[1], &(150 * UNIT));
    // 100 repaid (no time passed), 50 deposited.
    assert_eq!(
        p.margin.positions(&owner, &1).get(p.tokens[1].clone()),
        Some(50 * UNIT)
    );
    assert_eq!(p.vaults[1].pool_state().debt_shares, 0);
}

#[test]
fn bad_input_gets_its_typed_error_and_changes_nothing() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(10 * UNIT), &owner);
    let stranger = p.funded(0, 10 * UNIT);
    let unknown = p
        .env
        .register_stellar_asset_contract_v2(p.admin.clone())
        .address();
    let t0 = p.tokens[0].clone();
    let m = &p.margin;
    let before = p.books(&[&owner, &stranger], &[(&owner, 1)]);
    let check = |r: Result<Result<(), _>, Result<Error, _>>, e: Error| {
        assert_eq!(r, Err(Ok(e)));
        assert_eq!(p.books(&[&owner, &stranger], &[(&owner, 1)]), before);
    };
    check(m.try_deposit(&owner, &1, &t0, &0), Error::ZeroAmount);
    check(m.try_deposit(&owner, &1, &t0, &-5), Error::NegativeAmount);
    check(
        m.try_withdraw(&owner, &1, &t0, &0, &owner),
        Error::ZeroAmount,
    );
    check(
        m.try_borrow(&owner, &1, &t0, &-1, &owner),
        Error::NegativeAmount,
    );
    check(
        m.try_deposit(&owner, &1, &unknown, &UNIT),
        Error::UnknownAsset,
    );
    check(
        m.try_borrow(&owner, &1, &unknown, &UNIT, &owner),
        Error::UnknownAsset,
    );
    check(
        m.try_deposit_for(&stranger, &owner, &2, &t0, &UNIT),
        Error::UnknownAccount,
    );
    check(
        m.try_withdraw(&owner, &9, &t0, &UNIT, &owner),
        Error::UnknownAccount,
    );
    check(
        m.try_withdraw(&stranger, &1, &t0, &UNIT, &stranger),
        Error::UnknownAccount,
    );
    let r = m.try_repay(&stranger, &owner, &1, &t0, &UNIT);
    assert_eq!(r, Err(Ok(Error::NoDebt)));
    // 2 tokens of debt at 2 USD = 4 USD < the 10 USD minimum debt.
    let fresh = p.account_with(0, 100 * UNIT, 3);
    let r = m.try_borrow(&fresh, &3, &p.tokens[1], &(2 * UNIT), &fresh);
    assert_eq!(r, Err(Ok(Error::DebtBelowMinimum)));
}

#[test]
fn accounts_of_one_owner_are_isolated() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.mint(0, &owner, 10 * UNIT);
    p.margin.deposit(&owner, &2, &p.tokens[0], &(10 * UNIT));
    assert_eq!(p.margin.accounts(&owner), vec![&p.env, 1u32, 2u32]);
    // Account 2's 10 USD carry 8 USD of init value: 100 USD of debt is refused there...
    let r = p
        .margin
        .try_borrow(&owner, &2, &p.tokens[1], &(50 * UNIT), &owner);
    assert_eq!(r, Err(Ok(Error::InitHealthTooLow)));
    // ...and allowed in account 1.
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(50 * UNIT), &owner);
    assert_eq!(p.margin.health(&owner, &2).liabs_init, 0);
}

#[test]
fn an_account_without_debt_withdraws_without_prices() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.advance_stale(MAX_AGE + 1);
    // No liabilities: init health is unbounded whatever the prices.
    p.margin
        .withdraw(&owner, &1, &p.tokens[0], &(400 * UNIT), &owner);
    assert_eq!(p.balance(0, &owner), 400 * UNIT);
    let r = p
        .margin
        .try_borrow(&owner, &1, &p.tokens[1], &(10 * UNIT), &owner);
    assert_eq!(r, Err(Ok(Error::StalePrice)));
}

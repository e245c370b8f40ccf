//! Every bad input returns its typed error and changes nothing: the pool totals, the asset and
//! share balances of everyone involved are compared before and after each failed call.

use protocol_tests::vault_fixture::{default_params, VaultFixture, UNIT};
use soroban_sdk::testutils::{Address as _, MockAuth, MockAuthInvoke};
use soroban_sdk::{Address, IntoVal};
use vault::{VaultError, VaultParams};

use crate::support::snapshot;

/// A vault with 100 lent by `lender` and 60 borrowed, plus a funded `other` address.
fn busy_vault() -> (VaultFixture<'static>, Address, Address) {
    let f = VaultFixture::new();
    let (lender, _) = f.lender(100 * UNIT);
    f.borrow(60 * UNIT);
    let other = f.funded(1_000 * UNIT);
    (f, lender, other)
}

/// Runs `call` expecting `error`, and checks that nothing changed.
fn refused<T: std::fmt::Debug>(
    f: &VaultFixture,
    who: &[&Address],
    error: VaultError,
    call: impl FnOnce() -> Result<T, Result<VaultError, soroban_sdk::InvokeError>>,
) {
    let before = snapshot(f, who);
    let result = call();
    assert_eq!(result.err(), Some(Ok(error)));
    assert_eq!(snapshot(f, who), before, "state changed on {error:?}");
}

#[test]
fn zero_and_negative_amounts_are_refused() {
    let (f, l, o) = busy_vault();
    let (v, b) = (&f.vault, &f.borrower);
    for (amount, error) in [
        (0, VaultError::ZeroAmount),
        (-1, VaultError::NegativeAmount),
    ] {
        refused(&f, &[&l, &o], error, || v.try_deposit(&amount, &o, &o, &o));
        refused(&f, &[&l, &o], error, || v.try_mint(&amount, &o, &o, &o));
        refused(&f, &[&l, &o], error, || v.try_withdraw(&amount, &l, &l, &l));
        refused(&f, &[&l, &o], error, || v.try_redeem(&amount, &l, &l, &l));
        refused(&f, &[&l, &o], error, || v.try_borrow(&amount, b));
        refused(&f, &[&l, &o], error, || v.try_repay(b, &amount));
        refused(&f, &[&l, &o], error, || v.try_write_off(&amount));
        refused(&f, &[&l, &o], error, || v.try_transfer(&l, &o, &amount));
        refused(&f, &[&l, &o], error, || v.try_burn(&l, &amount));
        refused(&f, &[&l, &o], error, || v.try_preview_deposit(&amount));
        refused(&f, &[&l, &o], error, || {
            v.try_queue_claim_reserves(&amount, &o)
        });
    }
    let error = VaultError::NegativeAmount;
    refused(&f, &[&l, &o], error, || v.try_convert_to_shares(&-1));
}

#[test]
fn only_the_registered_borrower_draws_on_the_credit_line() {
    let (f, l, o) = busy_vault();
    // A stranger signing for themselves does not satisfy the borrower's auth.
    let before = snapshot(&f, &[&l, &o]);
    let stranger = Address::generate(&f.env);
    let invoke = MockAuthInvoke {
        contract: &f.vault_id,
        fn_name: "borrow",
        args: (UNIT, stranger.clone()).into_val(&f.env),
        sub_invokes: &[],
    };
    let auth = MockAuth {
        address: &stranger,
        invoke: &invoke,
    };
    let result = f.vault.mock_auths(&[auth]).try_borrow(&UNIT, &stranger);
    assert!(matches!(result, Err(Err(_))), "{result:?}");
    assert_eq!(snapshot(&f, &[&l, &o]), before);
    f.env.mock_all_auths();

    // Without a registered borrower there is nobody to borrow, repay or write off.
    let g = VaultFixture::deploy(default_params());
    let (lender, _) = g.lender(10 * UNIT);
    let stranger = g.funded(UNIT);
    refused(&g, &[&lender], VaultError::NoBorrower, || {
        g.vault.try_borrow(&UNIT, &lender)
    });
    refused(&g, &[&stranger], VaultError::NoBorrower, || {
        g.vault.try_repay(&stranger, &UNIT)
    });
    refused(&g, &[&lender], VaultError::NoBorrower, || {
        g.vault.try_write_off(&UNIT)
    });
}

#[test]
fn operators_need_an_allowance() {
    let (f, l, o) = busy_vault();
    let operator = Address::generate(&f.env);
    let (v, e) = (&f.vault, VaultError::InsufficientAllowance);
    refused(&f, &[&l, &o, &operator], e, || {
        v.try_deposit(&UNIT, &operator, &o, &operator)
    });
    refused(&f, &[&l, &o, &operator], e, || {
        v.try_mint(&UNIT, &operator, &o, &operator)
    });
    refused(&f, &[&l, &o, &operator], e, || {
        v.try_withdraw(&UNIT, &operator, &l, &operator)
    });
    refused(&f, &[&l, &o, &operator], e, || {
        v.try_redeem(&UNIT, &operator, &l, &operator)
    });
    refused(&f, &[&l, &o, &operator], e, || {
        v.try_transfer_from(&operator, &l, &o, &UNIT)
    });
    refused(&f, &[&l, &o, &operator], e, || {
        v.try_burn_from(&operator, &l, &UNIT)
    });
    // An allowance smaller than the shares to burn is not enough either.
    f.vault.approve(
        &l,
        &operator,
        &(UNIT - 1),
        &(f.env.ledger().sequence() + 10),
    );
    refused(&f, &[&l, &o, &operator], e, || {
        v.try_withdraw(&UNIT, &operator, &l, &operator)
    });
}

#[test]
fn caps_and_balances_bound_deposits_and_exits() {
    let params = VaultParams {
        deposit_cap: 150 * UNIT,
        borrow_cap: 70 * UNIT,
        ..default_params()
    };
    let f = VaultFixture::with_params(params);
    let (l, shares) = f.lender(100 * UNIT);
    f.borrow(60 * UNIT);
    let o = f.funded(1_000 * UNIT);
    let v = &f.vault;
    let cap = VaultError::DepositCapExceeded;
    refused(&f, &[&l, &o], cap, || {
        v.try_deposit(&(50 * UNIT + 1), &o, &o, &o)
    });
    refused(&f, &[&l, &o], cap, || {
        v.try_mint(&(50 * UNIT + 1), &o, &o, &o)
    });
    let balance = VaultError::InsufficientBalance;
    refused(&f, &[&l, &o], balance, || {
        v.try_redeem(&(shares / 10 + 1), &o, &o, &o)
    });
    refused(&f, &[&l, &o], balance, || {
        v.try_transfer(&l, &o, &(shares + 1))
    });
    refused(&f, &[&l, &o], balance, || v.try_burn(&o, &1));
    let cash = VaultError::InsufficientCash;
    refused(&f, &[&l, &o], cash, || {
        v.try_withdraw(&(40 * UNIT + 1), &l, &l, &l)
    });
    refused(&f, &[&l, &o], cash, || {
        v.try_redeem(&(40 * UNIT + 1), &l, &l, &l)
    });
    refused(&f, &[&l, &o], cash, || {
        v.try_borrow(&(40 * UNIT + 1), &f.borrower)
    });
    let cap = VaultError::BorrowCapExceeded;
    refused(&f, &[&l, &o], cap, || {
        v.try_borrow(&(10 * UNIT + 1), &f.borrower)
    });
}

#[test]
fn borrowing_stops_at_max_utilization_and_repayments_at_the_debt() {
    let (f, l, o) = busy_vault();
    let v = &f.vault;
    // 95 % of 100: 35 more would leave 95 borrowed; one unit more is refused.
    let max = VaultError::MaxUtilizationExceeded;
    refused(&f, &[&l, &o], max, || {
        v.try_borrow(&(35 * UNIT + 1), &f.borrower)
    });
    v.borrow(&(35 * UNIT), &f.borrower);
    f.fund(&f.borrower, 100 * UNIT);
    let debt = VaultError::ExceedsDebt;
    refused(&f, &[&l, &o], debt, || {
        v.try_repay(&f.borrower, &(95 * UNIT + 1))
    });
    refused(&f, &[&l, &o], debt, || v.try_write_off(&(95 * UNIT + 1)));
}

#[test]
fn dust_that_would_mint_or_pay_nothing_is_refused() {
    let (f, l, o) = busy_vault();
    f.advance(365 * 86_400);
    // The price is above 1: one asset unit buys no share.
    refused(&f, &[&l, &o], VaultError::ZeroShares, || {
        f.vault.try_deposit(&1, &o, &o, &o)
    });
    // After a write-off the price is below 1: one share pays nothing.
    f.vault.write_off(&(50 * UNIT));
    refused(&f, &[&l, &o], VaultError::ZeroAssets, || {
        f.vault.try_redeem(&1, &l, &l, &l)
    });
}

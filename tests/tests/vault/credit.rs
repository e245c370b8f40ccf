//! The credit line of the registered borrower: borrow, repay, write-off.

use protocol_tests::vault_fixture::{VaultFixture, UNIT};
use risk_core::interest::{debt_for_shares, BorrowIndex};
use risk_core::Rounding;
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{Address, Event as _, IntoVal};
use vault::events::{Borrow, Repay, WriteOff};

use crate::support::{asset_transfer, call, price, price_at_least, vault_events};

#[test]
fn borrow_lends_cash_to_the_receiver_on_the_borrowers_auth() {
    let f = VaultFixture::new();
    f.lender(100 * UNIT);
    let to = Address::generate(&f.env);

    let debt_shares = f.vault.borrow(&(40 * UNIT), &to);
    let (auths, events) = (f.env.auths(), vault_events(&f));

    assert_eq!(debt_shares, 40 * UNIT);
    assert_eq!(f.token.balance(&to), 40 * UNIT);
    assert_eq!(f.vault.total_debt(), 40 * UNIT);
    assert_eq!(f.vault.debt_index(), BorrowIndex::ONE.to_bits());
    assert_eq!(f.vault.total_assets(), 100 * UNIT);
    let args = (40 * UNIT, to.clone()).into_val(&f.env);
    assert_eq!(
        auths,
        [(
            f.borrower.clone(),
            call(&f, &f.vault_id, "borrow", args, vec![])
        )]
    );
    assert_eq!(
        events,
        [Borrow {
            borrower: f.borrower.clone(),
            to,
            amount: 40 * UNIT,
            debt_shares
        }
        .to_xdr(&f.env, &f.vault_id)]
    );
}

#[test]
fn repaying_the_rounded_up_debt_burns_every_debt_share() {
    let f = VaultFixture::new();
    f.lender(100 * UNIT);
    let shares = f.borrow(40 * UNIT);
    f.advance(30 * 86_400);
    let index = BorrowIndex::from_bits(f.vault.debt_index()).unwrap();
    let debt = debt_for_shares(shares, index, Rounding::Ceil).unwrap();
    assert_eq!(f.vault.total_debt(), debt);
    assert!(debt > 40 * UNIT);
    let payer = f.funded(debt);

    let burned = f.vault.repay(&payer, &debt);
    let (auths, events) = (f.env.auths(), vault_events(&f));

    assert_eq!(burned, shares);
    assert_eq!(f.vault.total_debt(), 0);
    assert_eq!(f.vault.pool_state().debt_shares, 0);
    let args: soroban_sdk::Vec<soroban_sdk::Val> = (payer.clone(), debt).into_val(&f.env);
    let pull = asset_transfer(&f, &payer, &f.vault_id, debt);
    assert_eq!(
        auths,
        [
            (
                f.borrower.clone(),
                call(&f, &f.vault_id, "repay", args.clone(), vec![])
            ),
            (
                payer.clone(),
                call(&f, &f.vault_id, "repay", args, vec![pull])
            ),
        ]
    );
    let repay = Repay {
        borrower: f.borrower.clone(),
        from: payer,
        amount: debt,
        debt_shares: burned,
    };
    assert_eq!(
        events.events().last(),
        Some(&repay.to_xdr(&f.env, &f.vault_id))
    );
}

#[test]
fn write_off_lowers_the_share_price_and_says_so() {
    let f = VaultFixture::new();
    let (lender, shares) = f.lender(100 * UNIT);
    f.borrow(40 * UNIT);
    let before = price(&f);

    let burned = f.vault.write_off(&(10 * UNIT));
    let (auths, events) = (f.env.auths(), vault_events(&f));

    assert_eq!(burned, 10 * UNIT);
    assert_eq!(f.vault.total_debt(), 30 * UNIT);
    assert_eq!(f.vault.total_assets(), 90 * UNIT);
    assert!(!price_at_least(price(&f), before));
    // 10^7 * (90e7 + 1) / (100e7 + 1) = 9,000,000.001, rounded down.
    let share_price = 9_000_000;
    assert_eq!(
        events,
        [WriteOff {
            borrower: f.borrower.clone(),
            amount: 10 * UNIT,
            debt_shares: burned,
            share_price
        }
        .to_xdr(&f.env, &f.vault_id)]
    );
    assert_eq!(
        auths,
        [(
            f.borrower.clone(),
            call(
                &f,
                &f.vault_id,
                "write_off",
                (10 * UNIT,).into_val(&f.env),
                vec![]
            )
        )]
    );
    // shares * (90e7 + 1) / (100e7 + 1), rounded down.
    assert_eq!(f.vault.convert_to_assets(&shares), 90 * UNIT);
    assert_eq!(f.vault.max_withdraw(&lender), 60 * UNIT);
}

#[test]
fn writing_off_all_debt_caps_the_reserve_at_what_the_pool_holds() {
    let f = VaultFixture::new();
    f.lender(100 * UNIT);
    f.borrow(95 * UNIT);
    f.advance(2 * 365 * 86_400);
    let debt = f.vault.total_debt();
    let reserves = f.vault.pool_state().reserves;
    assert!(reserves > 0);
    f.vault.write_off(&debt);
    let state = f.vault.pool_state();
    assert_eq!(state.debt_shares, 0);
    assert!(state.reserves <= state.cash);
    assert_eq!(f.vault.total_assets(), state.cash - state.reserves);
}

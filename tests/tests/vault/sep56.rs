//! SEP-56 entry points: deposit, mint, withdraw, redeem (self and operator), previews, limits
//! and conversions. Previews are compared with the real call's result.

use protocol_tests::vault_fixture::{default_params, VaultFixture, RATIO_ONE, UNIT};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{Address, Event as _, IntoVal};
use vault::events::{Deposit, Withdraw};
use vault::token_events::{Burn, MintWithAmountOnly};
use vault::VaultParams;

use crate::support::{asset_transfer, call, vault_events};

#[test]
fn deposit_into_an_empty_vault_mints_one_share_per_unit() {
    let f = VaultFixture::new();
    let lender = f.funded(100 * UNIT);
    let assets = 40 * UNIT;
    assert_eq!(f.vault.preview_deposit(&assets), assets);

    let shares = f.vault.deposit(&assets, &lender, &lender, &lender);

    assert_eq!(shares, assets);
    assert_eq!(
        f.env.auths(),
        [(
            lender.clone(),
            call(
                &f,
                &f.vault_id,
                "deposit",
                (assets, lender.clone(), lender.clone(), lender.clone()).into_val(&f.env),
                vec![asset_transfer(&f, &lender, &f.vault_id, assets)],
            )
        )]
    );
    assert_eq!(
        vault_events(&f),
        [
            MintWithAmountOnly {
                to: lender.clone(),
                amount: shares
            }
            .to_xdr(&f.env, &f.vault_id),
            Deposit {
                operator: lender.clone(),
                from: lender.clone(),
                receiver: lender.clone(),
                assets,
                shares,
            }
            .to_xdr(&f.env, &f.vault_id),
        ]
    );
    assert_eq!(f.vault.balance(&lender), shares);
    assert_eq!(f.vault.total_supply(), shares);
    assert_eq!(f.vault.total_assets(), assets);
    assert_eq!(f.token.balance(&lender), 60 * UNIT);
    assert_eq!(f.token.balance(&f.vault_id), assets);
}

/// A vault whose share price is above 1 (a year of interest on half the cash lent), with no
/// utilization ceiling.
fn vault_with_interest() -> (VaultFixture<'static>, Address) {
    let params = VaultParams {
        max_utilization: RATIO_ONE,
        ..default_params()
    };
    let f = VaultFixture::with_params(params);
    let (lender, _) = f.lender(1_000 * UNIT);
    f.borrow(500 * UNIT);
    f.advance(365 * 86_400);
    f.fund(&f.borrower, 1_000 * UNIT);
    let debt = f.vault.total_debt();
    f.vault.repay(&f.borrower, &debt);
    (f, lender)
}

#[test]
fn previews_equal_the_real_calls_when_the_price_is_not_one() {
    let (f, lender) = vault_with_interest();
    assert!(f.vault.total_assets() > f.vault.total_supply());
    let other = f.funded(1_000 * UNIT);

    let shares = f.vault.preview_deposit(&(77 * UNIT + 3));
    assert_eq!(
        f.vault.deposit(&(77 * UNIT + 3), &other, &other, &other),
        shares
    );
    let assets = f.vault.preview_mint(&(55 * UNIT + 1));
    assert_eq!(
        f.vault.mint(&(55 * UNIT + 1), &other, &other, &other),
        assets
    );
    let burned = f.vault.preview_withdraw(&(33 * UNIT + 7));
    assert_eq!(
        f.vault
            .withdraw(&(33 * UNIT + 7), &lender, &lender, &lender),
        burned
    );
    let paid = f.vault.preview_redeem(&(21 * UNIT + 5));
    assert_eq!(
        f.vault.redeem(&(21 * UNIT + 5), &lender, &lender, &lender),
        paid
    );
}

#[test]
fn conversions_round_in_the_vaults_favour() {
    let (f, _) = vault_with_interest();
    let amount = 10 * UNIT + 1;
    // Assets in: shares minted round down, assets taken for a mint round up.
    let shares = f.vault.convert_to_shares(&amount);
    assert!(f.vault.preview_mint(&shares) <= amount);
    assert!(f.vault.preview_mint(&(shares + 1)) > amount);
    // Assets out: shares burned round up, assets paid round down.
    let burned = f.vault.preview_withdraw(&amount);
    assert!(f.vault.preview_redeem(&burned) >= amount);
    assert!(f.vault.preview_redeem(&(burned - 1)) < amount);
    assert_eq!(
        f.vault.convert_to_assets(&shares),
        f.vault.preview_redeem(&shares)
    );
}

#[test]
fn mint_takes_the_rounded_up_price_of_exact_shares() {
    let (f, _) = vault_with_interest();
    let buyer = f.funded(100 * UNIT);
    let shares = 10 * UNIT;
    let assets = f.vault.mint(&shares, &buyer, &buyer, &buyer);
    let events = vault_events(&f);
    assert_eq!(f.vault.balance(&buyer), shares);
    assert_eq!(f.token.balance(&buyer), 100 * UNIT - assets);
    assert!(assets > shares);
    let topics = (buyer.clone(), buyer.clone(), buyer.clone());
    let expected = Deposit {
        operator: topics.0,
        from: topics.1,
        receiver: topics.2,
        assets,
        shares,
    };
    assert_eq!(
        events.events().last(),
        Some(&expected.to_xdr(&f.env, &f.vault_id))
    );
}

#[test]
fn withdraw_and_redeem_pay_the_receiver_and_burn_the_owner() {
    let f = VaultFixture::new();
    let (lender, shares) = f.lender(100 * UNIT);
    let receiver = Address::generate(&f.env);

    let burned = f.vault.withdraw(&(30 * UNIT), &receiver, &lender, &lender);
    assert_eq!(burned, 30 * UNIT);
    assert_eq!(
        f.env.auths(),
        [(
            lender.clone(),
            call(
                &f,
                &f.vault_id,
                "withdraw",
                (30 * UNIT, receiver.clone(), lender.clone(), lender.clone()).into_val(&f.env),
                vec![],
            )
        )]
    );
    assert_eq!(
        vault_events(&f),
        [
            Burn {
                from: lender.clone(),
                amount: burned
            }
            .to_xdr(&f.env, &f.vault_id),
            Withdraw {
                operator: lender.clone(),
                receiver: receiver.clone(),
                owner: lender.clone(),
                assets: 30 * UNIT,
                shares: burned,
            }
            .to_xdr(&f.env, &f.vault_id),
        ]
    );

    let paid = f
        .vault
        .redeem(&(shares - burned), &receiver, &lender, &lender);
    assert_eq!(paid, 70 * UNIT);
    assert_eq!(f.token.balance(&receiver), 100 * UNIT);
    assert_eq!(f.vault.balance(&lender), 0);
    assert_eq!(f.vault.total_supply(), 0);
    assert_eq!(f.token.balance(&f.vault_id), 0);
}

#[test]
fn an_operator_deposits_from_an_asset_allowance() {
    let f = VaultFixture::new();
    let owner = f.funded(100 * UNIT);
    let operator = Address::generate(&f.env);
    let receiver = Address::generate(&f.env);
    f.token.approve(&owner, &operator, &(50 * UNIT), &2_000_000);

    let shares = f.vault.deposit(&(50 * UNIT), &receiver, &owner, &operator);
    let auths = f.env.auths();

    assert_eq!(f.vault.balance(&receiver), shares);
    assert_eq!(f.token.balance(&owner), 50 * UNIT);
    assert_eq!(f.token.allowance(&owner, &operator), 0);
    let pull = (
        operator.clone(),
        owner.clone(),
        f.vault_id.clone(),
        50 * UNIT,
    );
    let args = (50 * UNIT, receiver.clone(), owner.clone(), operator.clone());
    let transfer_from = call(&f, &f.asset, "transfer_from", pull.into_val(&f.env), vec![]);
    assert_eq!(
        auths,
        [(
            operator.clone(),
            call(
                &f,
                &f.vault_id,
                "deposit",
                args.into_val(&f.env),
                vec![transfer_from]
            )
        )]
    );
}

#[test]
fn an_operator_redeems_on_a_share_allowance() {
    let f = VaultFixture::new();
    let (owner, shares) = f.lender(100 * UNIT);
    let operator = Address::generate(&f.env);
    f.vault.approve(&owner, &operator, &shares, &2_000_000);

    let paid = f.vault.redeem(&shares, &operator, &owner, &operator);
    let auths = f.env.auths();

    assert_eq!(paid, 100 * UNIT);
    assert_eq!(f.token.balance(&operator), 100 * UNIT);
    assert_eq!(f.vault.allowance(&owner, &operator), 0);
    let args = (shares, operator.clone(), owner.clone(), operator.clone());
    assert_eq!(
        auths,
        [(
            operator.clone(),
            call(&f, &f.vault_id, "redeem", args.into_val(&f.env), vec![])
        )]
    );
}

#[test]
fn limits_follow_caps_cash_and_balances() {
    let mut params = default_params();
    params.deposit_cap = 1_000 * UNIT;
    let f = VaultFixture::with_params(params);
    let (lender, shares) = f.lender(400 * UNIT);
    let anyone = Address::generate(&f.env);
    assert_eq!(f.vault.max_deposit(&anyone), 600 * UNIT);
    assert_eq!(f.vault.max_mint(&anyone), 600 * UNIT);
    assert_eq!(f.vault.max_withdraw(&lender), 400 * UNIT);
    assert_eq!(f.vault.max_redeem(&lender), shares);
    f.borrow(300 * UNIT);
    // Only 100 of cash is left: withdrawals stop there, however many shares the lender has.
    assert_eq!(f.vault.max_withdraw(&lender), 100 * UNIT);
    assert_eq!(f.vault.max_redeem(&lender), 100 * UNIT);
    assert_eq!(f.vault.max_withdraw(&anyone), 0);
    assert_eq!(f.vault.query_asset(), f.asset);
}

#[test]
fn max_redeem_is_exact_when_the_price_is_not_one() {
    let (f, lender) = vault_with_interest();
    f.borrow(f.token.balance(&f.vault_id) - 1_234_567);
    let max = f.vault.max_redeem(&lender);
    assert!(f.vault.preview_redeem(&max) <= 1_234_567);
    assert_eq!(
        f.vault.try_preview_redeem(&(max + 1)),
        Err(Ok(vault::VaultError::InsufficientCash))
    );
    let max_assets = f.vault.max_withdraw(&lender);
    assert_eq!(max_assets, 1_234_567);
    f.vault.withdraw(&max_assets, &lender, &lender, &lender);
}

//! The share token's SEP-41 interface.

use protocol_tests::vault_fixture::{VaultFixture, UNIT};
use soroban_sdk::testutils::{Address as _, Ledger as _};
use soroban_sdk::{Address, Event as _, IntoVal, String};
use vault::token_events::{Approve, Burn, TransferWithAmountOnly};
use vault::VaultError;

use crate::support::{call, price, price_at_least, vault_events};

#[test]
fn metadata_names_the_share_token_with_the_assets_decimals() {
    let f = VaultFixture::new();
    assert_eq!(f.vault.decimals(), 7);
    assert_eq!(f.vault.name(), String::from_str(&f.env, "Vault USDC"));
    assert_eq!(f.vault.symbol(), String::from_str(&f.env, "vUSDC"));
}

#[test]
fn transfer_moves_shares_with_the_holders_auth() {
    let f = VaultFixture::new();
    let (from, shares) = f.lender(10 * UNIT);
    let to = Address::generate(&f.env);

    f.vault.transfer(&from, &to, &(4 * UNIT));
    let (auths, events) = (f.env.auths(), vault_events(&f));

    assert_eq!(f.vault.balance(&from), shares - 4 * UNIT);
    assert_eq!(f.vault.balance(&to), 4 * UNIT);
    let args = (from.clone(), to.clone(), 4 * UNIT).into_val(&f.env);
    assert_eq!(
        auths,
        [(
            from.clone(),
            call(&f, &f.vault_id, "transfer", args, vec![])
        )]
    );
    assert_eq!(
        events,
        [TransferWithAmountOnly {
            from,
            to,
            amount: 4 * UNIT
        }
        .to_xdr(&f.env, &f.vault_id)]
    );
}

#[test]
fn approve_then_transfer_from_spends_the_allowance() {
    let f = VaultFixture::new();
    let (from, _) = f.lender(10 * UNIT);
    let spender = Address::generate(&f.env);
    let to = Address::generate(&f.env);
    let until = f.env.ledger().sequence() + 100;

    f.vault.approve(&from, &spender, &(5 * UNIT), &until);
    assert_eq!(
        vault_events(&f),
        [Approve {
            from: from.clone(),
            spender: spender.clone(),
            amount: 5 * UNIT,
            expiration_ledger: until
        }
        .to_xdr(&f.env, &f.vault_id)]
    );
    assert_eq!(f.vault.allowance(&from, &spender), 5 * UNIT);

    f.vault.transfer_from(&spender, &from, &to, &(2 * UNIT));
    let args = (spender.clone(), from.clone(), to.clone(), 2 * UNIT).into_val(&f.env);
    let expected = call(&f, &f.vault_id, "transfer_from", args, vec![]);
    assert_eq!(f.env.auths(), [(spender.clone(), expected)]);
    assert_eq!(f.vault.allowance(&from, &spender), 3 * UNIT);
    assert_eq!(f.vault.balance(&to), 2 * UNIT);

    // An expired allowance reads as zero and cannot be spent.
    f.env.ledger().set_sequence_number(until + 1);
    assert_eq!(f.vault.allowance(&from, &spender), 0);
    let res = f.vault.try_transfer_from(&spender, &from, &to, &1);
    assert_eq!(res, Err(Ok(VaultError::InsufficientAllowance)));
}

#[test]
fn approvals_reject_past_or_too_distant_expirations() {
    let f = VaultFixture::new();
    let (from, _) = f.lender(10 * UNIT);
    let spender = Address::generate(&f.env);
    let now = f.env.ledger().sequence();
    let past = f.vault.try_approve(&from, &spender, &1, &(now - 1));
    assert_eq!(past, Err(Ok(VaultError::InvalidExpiration)));
    let far = now + vault::storage::MAX_ALLOWANCE_LEDGERS + 1;
    assert_eq!(
        f.vault.try_approve(&from, &spender, &1, &far),
        Err(Ok(VaultError::InvalidExpiration))
    );
    assert_eq!(
        f.vault.try_approve(&from, &spender, &-1, &now),
        Err(Ok(VaultError::NegativeAmount))
    );
    // Revoking with an old ledger is fine.
    f.vault.approve(&from, &spender, &0, &0);
}

#[test]
fn burning_shares_forfeits_their_value_to_the_reserve_without_moving_the_price() {
    let f = VaultFixture::new();
    let (a, _) = f.lender(10 * UNIT);
    let (_, shares_b) = f.lender(10 * UNIT);
    let before = price(&f);

    f.vault.burn(&a, &(5 * UNIT));

    assert_eq!(
        vault_events(&f),
        [Burn {
            from: a.clone(),
            amount: 5 * UNIT
        }
        .to_xdr(&f.env, &f.vault_id)]
    );
    assert_eq!(f.vault.total_supply(), 15 * UNIT);
    assert_eq!(f.vault.pool_state().reserves, 5 * UNIT);
    assert_eq!(f.vault.convert_to_assets(&shares_b), 10 * UNIT);
    assert!(price_at_least(price(&f), before) && price_at_least(before, price(&f)));
}

#[test]
fn burn_from_spends_the_allowance() {
    let f = VaultFixture::new();
    let (from, shares) = f.lender(10 * UNIT);
    let spender = Address::generate(&f.env);
    f.vault
        .approve(&from, &spender, &UNIT, &(f.env.ledger().sequence() + 10));
    f.vault.burn_from(&spender, &from, &UNIT);
    let args = (spender.clone(), from.clone(), UNIT).into_val(&f.env);
    assert_eq!(
        f.env.auths(),
        [(
            spender.clone(),
            call(&f, &f.vault_id, "burn_from", args, vec![])
        )]
    );
    assert_eq!(f.vault.balance(&from), shares - UNIT);
    assert_eq!(f.vault.allowance(&from, &spender), 0);
}

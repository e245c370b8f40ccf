//! Governance: parameters, borrower and reserve claims through the timelock; first wiring of the
//! borrower; guardian pauses that never block redemptions or repayments.

use protocol_tests::vault_fixture::{default_params, VaultFixture, DELAY, RATIO_ONE, UNIT};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{Address, Event as _, IntoVal};
use vault::events::{BorrowerSet, ParamsSet, PauseSet, ReservesClaimed};
use vault::{VaultError, VaultParams};

use crate::support::{call, snapshot, vault_events};

#[test]
fn roles_and_delay_are_exported() {
    let f = VaultFixture::new();
    assert_eq!(f.vault.admin(), f.admin);
    assert_eq!(f.vault.guardian(), f.guardian);
    assert_eq!(f.vault.timelock_delay(), DELAY);
    let config = f.vault.config();
    assert_eq!(config.borrower, Some(f.borrower.clone()));
    assert_eq!(config.params, default_params());
}

#[test]
fn params_change_only_after_the_delay_and_accrue_first() {
    let f = VaultFixture::new();
    f.lender(1_000 * UNIT);
    f.borrow(500 * UNIT);
    let params = VaultParams {
        base_rate: RATIO_ONE / 10,
        ..default_params()
    };

    f.vault.queue_params(&params);
    let args = (params.clone(),).into_val(&f.env);
    let queued = call(&f, &f.vault_id, "queue_params", args, vec![]);
    assert_eq!(f.env.auths(), [(f.admin.clone(), queued)]);
    assert_eq!(f.vault.try_apply_params(), Err(Ok(VaultError::TooEarly)));

    f.advance(DELAY);
    f.vault.apply_params();
    let events = vault_events(&f);
    assert_eq!(f.vault.config().params, params);
    // The day under the old curve was booked at its rate before the switch:
    // 500 * (0.02 + 0.08 * 0.5 / 0.8) / 365 = 0.0958904 (the new curve would give 0.2054795).
    let interest = f.vault.total_debt() - 500 * UNIT;
    assert!((958_904..=958_906).contains(&interest), "{interest}");
    let set = ParamsSet {
        params: params.clone(),
    };
    assert_eq!(
        events.events().last(),
        Some(&set.to_xdr(&f.env, &f.vault_id))
    );
    assert_eq!(f.vault.try_apply_params(), Err(Ok(VaultError::NotQueued)));
}

#[test]
fn a_cancelled_change_cannot_be_applied() {
    let f = VaultFixture::new();
    f.vault.queue_params(&default_params());
    f.vault.cancel_params();
    f.advance(DELAY);
    assert_eq!(f.vault.try_apply_params(), Err(Ok(VaultError::NotQueued)));
}

#[test]
fn invalid_params_are_refused_with_typed_errors() {
    let f = VaultFixture::new();
    let p = default_params;
    let cases = [
        (VaultParams { kink: 0, ..p() }, VaultError::InvalidRateCurve),
        (
            VaultParams {
                kink: RATIO_ONE + 1,
                ..p()
            },
            VaultError::InvalidRateCurve,
        ),
        (
            VaultParams { slope2: -1, ..p() },
            VaultError::InvalidRateCurve,
        ),
        (
            VaultParams {
                slope2: 11 * RATIO_ONE,
                ..p()
            },
            VaultError::InvalidRateCurve,
        ),
        (
            VaultParams {
                reserve_factor: RATIO_ONE + 1,
                ..p()
            },
            VaultError::InvalidReserveFactor,
        ),
        (
            VaultParams {
                max_utilization: 0,
                ..p()
            },
            VaultError::InvalidMaxUtilization,
        ),
        (
            VaultParams {
                deposit_cap: -1,
                ..p()
            },
            VaultError::InvalidCap,
        ),
        (
            VaultParams {
                borrow_cap: -1,
                ..p()
            },
            VaultError::InvalidCap,
        ),
    ];
    for (params, error) in cases {
        assert_eq!(
            f.vault.try_queue_params(&params),
            Err(Ok(error)),
            "{params:?}"
        );
    }
}

#[test]
fn the_admin_wires_the_first_borrower_once_then_only_through_the_timelock() {
    let f = VaultFixture::deploy(default_params());
    f.lender(100 * UNIT);
    assert_eq!(
        f.vault.try_borrow(&UNIT, &f.borrower),
        Err(Ok(VaultError::NoBorrower))
    );

    f.vault.set_borrower(&f.borrower);
    let args = (f.borrower.clone(),).into_val(&f.env);
    let set = call(&f, &f.vault_id, "set_borrower", args, vec![]);
    assert_eq!(f.env.auths(), [(f.admin.clone(), set)]);
    assert_eq!(
        vault_events(&f),
        [BorrowerSet {
            borrower: f.borrower.clone()
        }
        .to_xdr(&f.env, &f.vault_id)]
    );
    let other = Address::generate(&f.env);
    assert_eq!(
        f.vault.try_set_borrower(&other),
        Err(Ok(VaultError::BorrowerAlreadySet))
    );

    f.vault.queue_borrower(&f.admin);
    f.vault.cancel_borrower();
    f.vault.queue_borrower(&other);
    assert_eq!(f.vault.try_apply_borrower(), Err(Ok(VaultError::TooEarly)));
    f.advance(DELAY);
    f.vault.apply_borrower();
    assert_eq!(f.vault.config().borrower, Some(other));
}

#[test]
fn the_guardian_pauses_deposits_and_borrows_but_not_exits() {
    let f = VaultFixture::new();
    let (lender, shares) = f.lender(100 * UNIT);
    f.borrow(10 * UNIT);

    f.vault.pause(&true, &true);
    let pause = call(
        &f,
        &f.vault_id,
        "pause",
        (true, true).into_val(&f.env),
        vec![],
    );
    assert_eq!(f.env.auths(), [(f.guardian.clone(), pause)]);
    let flags = PauseSet {
        deposits_paused: true,
        borrows_paused: true,
    };
    let events = vault_events(&f);
    assert_eq!(events, [flags.to_xdr(&f.env, &f.vault_id)]);

    let newcomer = f.funded(10 * UNIT);
    let before = snapshot(&f, &[&newcomer]);
    let deposit = f.vault.try_deposit(&UNIT, &newcomer, &newcomer, &newcomer);
    assert_eq!(deposit, Err(Ok(VaultError::DepositsPaused)));
    let mint = f.vault.try_mint(&UNIT, &newcomer, &newcomer, &newcomer);
    assert_eq!(mint, Err(Ok(VaultError::DepositsPaused)));
    assert_eq!(
        f.vault.try_borrow(&UNIT, &f.borrower),
        Err(Ok(VaultError::BorrowsPaused))
    );
    assert_eq!(snapshot(&f, &[&newcomer]), before);
    assert_eq!(f.vault.max_deposit(&newcomer), 0);
    assert_eq!(f.vault.max_mint(&newcomer), 0);

    // Exits and repayments stay open; so do the borrower's (margin-account's) deposits.
    f.vault.repay(&f.borrower, &(5 * UNIT));
    f.vault.redeem(&(shares / 2), &lender, &lender, &lender);
    f.vault
        .deposit(&UNIT, &f.borrower, &f.borrower, &f.borrower);

    f.vault.unpause(&true, &false);
    assert!(!f.vault.config().deposits_paused);
    assert!(f.vault.config().borrows_paused);
    f.vault.deposit(&UNIT, &newcomer, &newcomer, &newcomer);
}

#[test]
fn reserves_are_claimed_through_the_timelock() {
    let f = VaultFixture::new();
    f.lender(1_000 * UNIT);
    f.borrow(500 * UNIT);
    f.advance(365 * 86_400);
    f.fund(&f.borrower, 100 * UNIT);
    f.vault.repay(&f.borrower, &(100 * UNIT));
    let reserves = f.vault.pool_state().reserves;
    let treasury = Address::generate(&f.env);

    f.vault.queue_claim_reserves(&(reserves * 10), &treasury);
    f.advance(DELAY);
    assert_eq!(
        f.vault.try_apply_claim_reserves(),
        Err(Ok(VaultError::ExceedsReserves))
    );
    f.vault.cancel_claim_reserves();

    f.vault.queue_claim_reserves(&reserves, &treasury);
    f.advance(DELAY);
    let assets_before = f.vault.total_assets();
    f.vault.apply_claim_reserves();
    let events = vault_events(&f);
    assert_eq!(f.token.balance(&treasury), reserves);
    assert!(f.vault.total_assets() >= assets_before);
    let claimed = ReservesClaimed {
        to: treasury,
        amount: reserves,
    };
    assert_eq!(
        events.events().last(),
        Some(&claimed.to_xdr(&f.env, &f.vault_id))
    );
}

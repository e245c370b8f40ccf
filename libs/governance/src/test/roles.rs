//! Roles, two-step admin transfer, guardian and delay changes, and upgrades through `Governed`.

extern crate std;

use soroban_sdk::testutils::{Address as _, Events as _, MockAuth, MockAuthInvoke};
use soroban_sdk::{Address, BytesN, Env, Event, IntoVal, Val, Vec as SorobanVec};

use super::{Fixture, TestContract};
use crate::{
    AdminAccepted, AdminProposed, ChangeApplied, ChangeCancelled, ChangeQueued, DelayChanged,
    GovernanceError, GovernanceInitialized, GuardianChanged, GRACE_PERIOD, KIND_ADMIN, KIND_DELAY,
    KIND_GUARDIAN, KIND_UPGRADE, MAX_DELAY, MIN_DELAY,
};

/// Mocks the auth of `signer` alone for one call of `fn_name(args)`.
fn sign_as(f: &Fixture, signer: &Address, fn_name: &str, args: SorobanVec<Val>) {
    f.env.mock_auths(&[MockAuth {
        address: signer,
        invoke: &MockAuthInvoke {
            contract: &f.id,
            fn_name,
            args,
            sub_invokes: &[],
        },
    }]);
}

#[test]
fn constructor_sets_roles_and_delay() {
    let f = Fixture::new();
    assert_eq!(f.client().admin(), f.admin);
    assert_eq!(f.client().guardian(), f.guardian);
    assert_eq!(f.client().timelock_delay(), MIN_DELAY);
}

#[test]
fn constructor_publishes_the_roles() {
    let env = Env::default();
    let admin = Address::generate(&env);
    let guardian = Address::generate(&env);
    let id = env.register(TestContract, (&admin, &guardian, MIN_DELAY));
    let event = GovernanceInitialized {
        admin,
        guardian,
        delay: MIN_DELAY,
    };
    assert_eq!(env.events().all(), std::vec![event.to_xdr(&env, &id)]);
}

#[test]
#[should_panic(expected = "Error(Contract, #502)")]
fn constructor_refuses_a_delay_below_the_floor() {
    let env = Env::default();
    let admin = Address::generate(&env);
    env.register(TestContract, (&admin, &admin, MIN_DELAY - 1));
}

#[test]
#[should_panic(expected = "Error(Contract, #503)")]
fn constructor_refuses_a_delay_above_the_ceiling() {
    let env = Env::default();
    let admin = Address::generate(&env);
    env.register(TestContract, (&admin, &admin, MAX_DELAY + 1));
}

#[test]
fn init_twice_is_refused() {
    let f = Fixture::new();
    let other = Address::generate(&f.env);
    f.env.as_contract(&f.id, || {
        assert_eq!(
            crate::init(&f.env, &other, &other, MIN_DELAY),
            Err(GovernanceError::AlreadyInitialized)
        );
    });
    assert_eq!(f.client().admin(), f.admin);
}

#[test]
fn require_guardian_takes_the_guardians_auth_only() {
    let f = Fixture::new();
    assert_eq!(f.client().guardian_action(), f.guardian);
    f.assert_auth(&f.guardian, "guardian_action", f.no_args());

    sign_as(&f, &f.admin, "guardian_action", f.no_args());
    assert!(f.client().try_guardian_action().is_err());
}

#[test]
fn admin_transfer_takes_two_steps_and_the_delay() {
    let f = Fixture::new();
    let new_admin = Address::generate(&f.env);
    let eta = f.client().propose_admin(&new_admin);
    assert_eq!(eta, f.now() + MIN_DELAY);
    f.assert_auth(&f.admin, "propose_admin", (&new_admin,).into_val(&f.env));
    let queued = ChangeQueued {
        kind: KIND_ADMIN,
        subject: ().into_val(&f.env),
        value: new_admin.to_val(),
        eta,
    };
    let proposed = AdminProposed {
        admin: f.admin.clone(),
        new_admin: new_admin.clone(),
        eta,
    };
    assert_eq!(
        f.env.events().all(),
        std::vec![queued.to_xdr(&f.env, &f.id), proposed.to_xdr(&f.env, &f.id)]
    );

    // Too early, even for the right acceptor.
    f.advance(MIN_DELAY - 1);
    assert_eq!(
        f.client().try_accept_admin(),
        Err(Ok(GovernanceError::TooEarly))
    );
    f.advance(1);
    // The wrong acceptor (here: the current admin) cannot take it.
    sign_as(&f, &f.admin, "accept_admin", f.no_args());
    assert!(f.client().try_accept_admin().is_err());
    assert_eq!(f.client().admin(), f.admin);

    f.env.mock_all_auths();
    f.client().accept_admin();
    f.assert_auth(&new_admin, "accept_admin", f.no_args());
    let applied = ChangeApplied {
        kind: KIND_ADMIN,
        subject: ().into_val(&f.env),
        value: new_admin.to_val(),
    };
    let accepted = AdminAccepted {
        old_admin: f.admin.clone(),
        new_admin: new_admin.clone(),
    };
    assert_eq!(
        f.env.events().all(),
        std::vec![
            applied.to_xdr(&f.env, &f.id),
            accepted.to_xdr(&f.env, &f.id)
        ]
    );
    assert_eq!(f.client().admin(), new_admin);

    // The old admin has lost its powers.
    sign_as(&f, &f.admin, "queue_delay", (MIN_DELAY,).into_val(&f.env));
    assert!(f.client().try_queue_delay(&MIN_DELAY).is_err());
}

#[test]
fn admin_proposal_by_a_non_admin_fails() {
    let f = Fixture::new();
    let stranger = Address::generate(&f.env);
    sign_as(
        &f,
        &stranger,
        "propose_admin",
        (&stranger,).into_val(&f.env),
    );
    assert!(f.client().try_propose_admin(&stranger).is_err());
    assert_eq!(
        f.client().change_eta(&KIND_ADMIN, &().into_val(&f.env)),
        None
    );
}

#[test]
fn admin_proposal_can_be_cancelled_and_not_replaced_while_live() {
    let f = Fixture::new();
    let first = Address::generate(&f.env);
    let second = Address::generate(&f.env);
    f.client().propose_admin(&first);
    assert_eq!(
        f.client().try_propose_admin(&second),
        Err(Ok(GovernanceError::AlreadyQueued))
    );

    f.client().cancel_admin();
    f.assert_auth(&f.admin, "cancel_admin", f.no_args());
    let cancelled = ChangeCancelled {
        kind: KIND_ADMIN,
        subject: ().into_val(&f.env),
    };
    assert_eq!(
        f.env.events().all(),
        std::vec![cancelled.to_xdr(&f.env, &f.id)]
    );
    f.advance(MIN_DELAY);
    assert_eq!(
        f.client().try_accept_admin(),
        Err(Ok(GovernanceError::NotQueued))
    );
    assert_eq!(f.client().admin(), f.admin);
}

#[test]
fn admin_proposal_expires_after_the_grace_period() {
    let f = Fixture::new();
    let new_admin = Address::generate(&f.env);
    f.client().propose_admin(&new_admin);
    f.advance(MIN_DELAY + GRACE_PERIOD + 1);
    assert_eq!(
        f.client().try_accept_admin(),
        Err(Ok(GovernanceError::Expired))
    );
    assert_eq!(f.client().admin(), f.admin);
}

#[test]
fn guardian_change_is_timelocked_and_applied_by_anyone() {
    let f = Fixture::new();
    let new_guardian = Address::generate(&f.env);
    f.client().queue_guardian(&new_guardian);
    f.assert_auth(
        &f.admin,
        "queue_guardian",
        (&new_guardian,).into_val(&f.env),
    );
    assert_eq!(
        f.client().try_apply_guardian(),
        Err(Ok(GovernanceError::TooEarly))
    );

    f.advance(MIN_DELAY);
    f.client().apply_guardian();
    assert_eq!(f.env.auths(), std::vec![]);
    let applied = ChangeApplied {
        kind: KIND_GUARDIAN,
        subject: ().into_val(&f.env),
        value: new_guardian.to_val(),
    };
    let changed = GuardianChanged {
        old_guardian: f.guardian.clone(),
        new_guardian: new_guardian.clone(),
    };
    assert_eq!(
        f.env.events().all(),
        std::vec![applied.to_xdr(&f.env, &f.id), changed.to_xdr(&f.env, &f.id)]
    );
    assert_eq!(f.client().guardian(), new_guardian);
    assert_eq!(f.client().guardian_action(), new_guardian);
}

#[test]
fn guardian_change_can_be_cancelled() {
    let f = Fixture::new();
    let new_guardian = Address::generate(&f.env);
    f.client().queue_guardian(&new_guardian);
    f.client().cancel_guardian();
    f.assert_auth(&f.admin, "cancel_guardian", f.no_args());
    f.advance(MIN_DELAY);
    assert_eq!(
        f.client().try_apply_guardian(),
        Err(Ok(GovernanceError::NotQueued))
    );
    assert_eq!(f.client().guardian(), f.guardian);
}

#[test]
fn delay_changes_respect_floor_and_ceiling() {
    let f = Fixture::new();
    assert_eq!(
        f.client().try_queue_delay(&(MIN_DELAY - 1)),
        Err(Ok(GovernanceError::DelayTooShort))
    );
    assert_eq!(
        f.client().try_queue_delay(&(MAX_DELAY + 1)),
        Err(Ok(GovernanceError::DelayTooLong))
    );
    assert_eq!(
        f.client().change_eta(&KIND_DELAY, &().into_val(&f.env)),
        None
    );
}

#[test]
fn a_longer_delay_applies_after_the_current_one_and_governs_later_changes() {
    let f = Fixture::new();
    let two_days = 2 * MIN_DELAY;
    f.client().queue_delay(&two_days);
    f.assert_auth(&f.admin, "queue_delay", (two_days,).into_val(&f.env));
    f.advance(MIN_DELAY);
    f.client().apply_delay();
    let changed = DelayChanged {
        old_delay: MIN_DELAY,
        new_delay: two_days,
    };
    assert_eq!(
        f.env.events().all().events().last(),
        Some(&changed.to_xdr(&f.env, &f.id))
    );
    assert_eq!(f.client().timelock_delay(), two_days);

    let eta = f.client().queue_guardian(&Address::generate(&f.env));
    assert_eq!(eta, f.now() + two_days);
}

#[test]
fn delay_change_can_be_cancelled() {
    let f = Fixture::new();
    f.client().queue_delay(&(2 * MIN_DELAY));
    f.client().cancel_delay();
    f.assert_auth(&f.admin, "cancel_delay", f.no_args());
    f.advance(MIN_DELAY);
    assert_eq!(
        f.client().try_apply_delay(),
        Err(Ok(GovernanceError::NotQueued))
    );
    assert_eq!(f.client().timelock_delay(), MIN_DELAY);
}

#[test]
fn upgrade_is_queued_by_the_admin_and_can_be_cancelled() {
    let f = Fixture::new();
    let hash = BytesN::from_array(&f.env, &[7; 32]);
    let eta = f.client().queue_upgrade(&hash);
    f.assert_auth(&f.admin, "queue_upgrade", (&hash,).into_val(&f.env));
    assert_eq!(
        f.client().change_eta(&KIND_UPGRADE, &().into_val(&f.env)),
        Some(eta)
    );
    assert_eq!(
        f.client().try_apply_upgrade(),
        Err(Ok(GovernanceError::TooEarly))
    );
    f.client().cancel_upgrade();
    f.assert_auth(&f.admin, "cancel_upgrade", f.no_args());
    f.advance(MIN_DELAY);
    assert_eq!(
        f.client().try_apply_upgrade(),
        Err(Ok(GovernanceError::NotQueued))
    );
}

#[test]
fn upgrade_to_a_wasm_never_uploaded_fails_and_stays_queued() {
    let f = Fixture::new();
    let hash = BytesN::from_array(&f.env, &[7; 32]);
    let eta = f.client().queue_upgrade(&hash);
    f.advance(MIN_DELAY);
    assert!(f.client().try_apply_upgrade().is_err());
    assert_eq!(
        f.client().change_eta(&KIND_UPGRADE, &().into_val(&f.env)),
        Some(eta)
    );
}

#[test]
fn the_guardian_cannot_act_as_the_admin() {
    let f = Fixture::new();
    let c = f.client();
    let other = Address::generate(&f.env);
    let hash = BytesN::from_array(&f.env, &[7; 32]);
    // Each admin power, signed by the guardian alone: refused, nothing queued.
    sign_as(&f, &f.guardian, "propose_admin", (&other,).into_val(&f.env));
    assert!(c.try_propose_admin(&other).is_err());
    sign_as(
        &f,
        &f.guardian,
        "queue_guardian",
        (&other,).into_val(&f.env),
    );
    assert!(c.try_queue_guardian(&other).is_err());
    let delay = MIN_DELAY * 2;
    sign_as(&f, &f.guardian, "queue_delay", (delay,).into_val(&f.env));
    assert!(c.try_queue_delay(&delay).is_err());
    sign_as(&f, &f.guardian, "queue_upgrade", (&hash,).into_val(&f.env));
    assert!(c.try_queue_upgrade(&hash).is_err());
    let unit: Val = ().into_val(&f.env);
    for kind in [KIND_ADMIN, KIND_GUARDIAN, KIND_DELAY, KIND_UPGRADE] {
        assert_eq!(c.change_eta(&kind, &unit), None);
    }
    // Nor can it cancel what the admin queued.
    f.env.mock_all_auths();
    c.queue_upgrade(&hash);
    sign_as(&f, &f.guardian, "cancel_upgrade", ().into_val(&f.env));
    assert!(c.try_cancel_upgrade().is_err());
    assert!(c.change_eta(&KIND_UPGRADE, &unit).is_some());
    assert_eq!(
        (c.admin(), c.guardian()),
        (f.admin.clone(), f.guardian.clone())
    );
}

//! The generic timelock through the test contract's `param` (subject: an address, value: u32).

extern crate std;

use soroban_sdk::testutils::{Address as _, Events as _, MockAuth, MockAuthInvoke};
use soroban_sdk::{Address, Event, IntoVal};

use super::{Fixture, KIND_PARAM};
use crate::{
    ChangeApplied, ChangeCancelled, ChangeQueued, GovernanceError, GRACE_PERIOD, MIN_DELAY,
};

#[test]
fn queue_records_the_change_with_eta_now_plus_delay() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    let eta = f.client().queue_param(&subject, &7);

    assert_eq!(eta, f.now() + MIN_DELAY);
    f.assert_auth(&f.admin, "queue_param", (&subject, 7u32).into_val(&f.env));
    let event = ChangeQueued {
        kind: KIND_PARAM,
        subject: subject.to_val(),
        value: 7u32.into(),
        eta,
    };
    assert_eq!(f.env.events().all(), std::vec![event.to_xdr(&f.env, &f.id)]);
    assert_eq!(
        f.client().change_eta(&KIND_PARAM, &subject.to_val()),
        Some(eta)
    );
}

#[test]
fn apply_before_eta_is_too_early_and_changes_nothing() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    let eta = f.client().queue_param(&subject, &7);
    f.advance(MIN_DELAY - 1);

    let result = f.client().try_apply_param(&subject);
    assert_eq!(result, Err(Ok(GovernanceError::TooEarly)));
    assert_eq!(f.client().param(&subject), None);
    assert_eq!(
        f.client().change_eta(&KIND_PARAM, &subject.to_val()),
        Some(eta)
    );
}

#[test]
fn apply_at_eta_by_anyone_makes_the_value_live_and_removes_the_entry() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    f.client().queue_param(&subject, &7);
    f.advance(MIN_DELAY);

    assert_eq!(f.client().apply_param(&subject), 7);
    assert_eq!(f.env.auths(), std::vec![]);
    let event = ChangeApplied {
        kind: KIND_PARAM,
        subject: subject.to_val(),
        value: 7u32.into(),
    };
    assert_eq!(f.env.events().all(), std::vec![event.to_xdr(&f.env, &f.id)]);
    assert_eq!(f.client().param(&subject), Some(7));
    assert_eq!(f.client().change_eta(&KIND_PARAM, &subject.to_val()), None);
    assert_eq!(
        f.client().try_apply_param(&subject),
        Err(Ok(GovernanceError::NotQueued))
    );
}

#[test]
fn apply_on_the_last_second_of_grace_succeeds() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    f.client().queue_param(&subject, &7);
    f.advance(MIN_DELAY + GRACE_PERIOD);

    assert_eq!(f.client().apply_param(&subject), 7);
}

#[test]
fn apply_after_grace_is_expired_and_a_new_queue_replaces_the_expired_entry() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    let eta = f.client().queue_param(&subject, &7);
    f.advance(MIN_DELAY + GRACE_PERIOD + 1);

    assert_eq!(
        f.client().try_apply_param(&subject),
        Err(Ok(GovernanceError::Expired))
    );
    assert_eq!(f.client().param(&subject), None);
    // The expired entry is still funded and readable, and a new queue replaces it.
    assert_eq!(
        f.client().change_eta(&KIND_PARAM, &subject.to_val()),
        Some(eta)
    );
    let new_eta = f.client().queue_param(&subject, &8);
    assert_eq!(new_eta, f.now() + MIN_DELAY);
    f.advance(MIN_DELAY);
    assert_eq!(f.client().apply_param(&subject), 8);
}

#[test]
fn a_second_queue_of_a_live_change_is_refused() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    let other = Address::generate(&f.env);
    let eta = f.client().queue_param(&subject, &7);

    assert_eq!(
        f.client().try_queue_param(&subject, &8),
        Err(Ok(GovernanceError::AlreadyQueued))
    );
    // Another subject of the same kind is independent.
    assert_eq!(f.client().queue_param(&other, &9), eta);
    f.advance(MIN_DELAY);
    assert_eq!(f.client().apply_param(&subject), 7);
    assert_eq!(f.client().apply_param(&other), 9);
}

#[test]
fn cancel_drops_the_change() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    f.client().queue_param(&subject, &7);

    f.client().cancel_param(&subject);
    f.assert_auth(&f.admin, "cancel_param", (&subject,).into_val(&f.env));
    let event = ChangeCancelled {
        kind: KIND_PARAM,
        subject: subject.to_val(),
    };
    assert_eq!(f.env.events().all(), std::vec![event.to_xdr(&f.env, &f.id)]);
    f.advance(MIN_DELAY);
    assert_eq!(
        f.client().try_apply_param(&subject),
        Err(Ok(GovernanceError::NotQueued))
    );
    assert_eq!(
        f.client().try_cancel_param(&subject),
        Err(Ok(GovernanceError::NotQueued))
    );
}

#[test]
fn queue_and_cancel_by_a_non_admin_fail_and_change_nothing() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    let stranger = Address::generate(&f.env);

    f.env.mock_auths(&[MockAuth {
        address: &stranger,
        invoke: &MockAuthInvoke {
            contract: &f.id,
            fn_name: "queue_param",
            args: (&subject, 7u32).into_val(&f.env),
            sub_invokes: &[],
        },
    }]);
    assert!(f.client().try_queue_param(&subject, &7).is_err());
    assert_eq!(f.client().change_eta(&KIND_PARAM, &subject.to_val()), None);

    f.env.mock_all_auths();
    f.client().queue_param(&subject, &7);
    f.env.mock_auths(&[MockAuth {
        address: &stranger,
        invoke: &MockAuthInvoke {
            contract: &f.id,
            fn_name: "cancel_param",
            args: (&subject,).into_val(&f.env),
            sub_invokes: &[],
        },
    }]);
    assert!(f.client().try_cancel_param(&subject).is_err());
    assert!(f
        .client()
        .change_eta(&KIND_PARAM, &subject.to_val())
        .is_some());
}

#[test]
fn a_value_read_as_the_wrong_type_is_a_mismatch_and_stays_queued() {
    let f = Fixture::new();
    let subject = Address::generate(&f.env);
    f.client().queue_param(&subject, &7);
    f.advance(MIN_DELAY);

    assert_eq!(
        f.client().try_apply_param_as_address(&subject),
        Err(Ok(GovernanceError::ValueMismatch))
    );
    assert_eq!(f.client().apply_param(&subject), 7);
}

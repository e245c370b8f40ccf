//! Auths on margin-account (SPEC §12.7: no state change without the auth of the party whose
//! funds or powers it uses): exact `env.auths()` trees and refusals, on the WASM fixture.

use margin_account::Deposit;
use protocol_tests::protocol_fixture::{Protocol, UNIT};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{Address, Event as _, IntoVal};

#[test]
fn someone_elses_account_needs_the_owners_auth() {
    use soroban_sdk::testutils::{MockAuth, MockAuthInvoke};
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    let thief = Address::generate(&p.env);
    let before = p.books(&[&owner, &thief], &[(&owner, 1)]);
    let args = (
        owner.clone(),
        1u32,
        p.tokens[0].clone(),
        UNIT,
        thief.clone(),
    );
    let invoke = MockAuthInvoke {
        contract: &p.margin.address,
        fn_name: "withdraw",
        args: args.clone().into_val(&p.env),
        sub_invokes: &[],
    };
    let auth = MockAuth {
        address: &thief,
        invoke: &invoke,
    };
    let r = p
        .margin
        .mock_auths(&[auth])
        .try_withdraw(&args.0, &args.1, &args.2, &args.3, &args.4);
    assert!(matches!(r, Err(Err(_))), "{r:?}");
    assert_eq!(p.books(&[&owner, &thief], &[(&owner, 1)]), before);
    p.env.mock_all_auths();
}

#[test]
fn repay_needs_the_payers_auth_for_the_call_and_the_transfer() {
    let p = Protocol::two_assets();
    let owner = p.account_with(0, 1_000 * UNIT, 1);
    p.margin
        .borrow(&owner, &1, &p.tokens[1], &(100 * UNIT), &owner);
    let friend = p.funded(1, 40 * UNIT);
    let repaid = p
        .margin
        .repay(&friend, &owner, &1, &p.tokens[1], &(40 * UNIT));
    let (auths, events) = (p.env.auths(), p.margin_events());
    assert_eq!(repaid, 40 * UNIT);
    let vault = p.vaults[1].address.clone();
    let args = (
        friend.clone(),
        owner.clone(),
        1u32,
        p.tokens[1].clone(),
        40 * UNIT,
    );
    // The payer's tree runs through the vault's `repay`, which moves the payer's tokens.
    let vault_repay = p.call(
        &vault,
        "repay",
        (friend.clone(), 40 * UNIT).into_val(&p.env),
        std::vec![p.transfer_call(1, &friend, &vault, 40 * UNIT)],
    );
    let root = p.call(
        &p.margin.address,
        "repay",
        args.into_val(&p.env),
        std::vec![vault_repay],
    );
    assert_eq!(auths, std::vec![(friend.clone(), root)]);
    let d = Deposit {
        owner: owner.clone(),
        asset: p.tokens[1].clone(),
        id: 1,
        from: friend,
        amount: 40 * UNIT,
        repaid: 40 * UNIT,
        position: -60 * UNIT,
    };
    assert_eq!(events, [d.to_xdr(&p.env, &p.margin.address)]);
}

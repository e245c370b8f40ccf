//! Random sequences of deposits, mints, withdrawals, redemptions, share transfers, borrows,
//! repayments, write-offs and time passing, checked after every step (SPEC §12.1):
//! - cash + debt covers what every lender can redeem, and the vault holds its booked cash;
//! - the share price never falls, except on a write-off;
//! - share balances sum to the total supply;
//! - a call that fails changes nothing.

use proptest::prelude::*;
use protocol_tests::vault_fixture::{VaultFixture, UNIT};
use soroban_sdk::Address;

use crate::support::{price, price_at_least, snapshot};

#[derive(Clone, Debug)]
enum Step {
    Deposit(usize, i128),
    Mint(usize, i128),
    Withdraw(usize, i128),
    Redeem(usize, i128),
    Transfer(usize, usize, i128),
    Borrow(i128),
    Repay(i128),
    WriteOff(i128),
    Wait(u64),
}

fn step() -> impl Strategy<Value = Step> {
    let who = 0usize..3;
    let amount = prop_oneof![1i128..1_000, 1i128..10_000 * UNIT];
    prop_oneof![
        3 => (who.clone(), amount.clone()).prop_map(|(w, a)| Step::Deposit(w, a)),
        2 => (who.clone(), amount.clone()).prop_map(|(w, a)| Step::Mint(w, a)),
        2 => (who.clone(), amount.clone()).prop_map(|(w, a)| Step::Withdraw(w, a)),
        2 => (who.clone(), amount.clone()).prop_map(|(w, a)| Step::Redeem(w, a)),
        1 => (who.clone(), who, amount.clone()).prop_map(|(a, b, x)| Step::Transfer(a, b, x)),
        3 => amount.clone().prop_map(Step::Borrow),
        2 => amount.clone().prop_map(Step::Repay),
        1 => amount.prop_map(Step::WriteOff),
        3 => (1u64..90 * 86_400).prop_map(Step::Wait),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Failed,
    Done,
    WroteOff,
}

/// Runs one step.
fn run(f: &VaultFixture, lenders: &[Address], s: &Step) -> Outcome {
    let v = &f.vault;
    let ok = match s.clone() {
        Step::Deposit(i, a) => v
            .try_deposit(&a, &lenders[i], &lenders[i], &lenders[i])
            .is_ok(),
        Step::Mint(i, a) => v
            .try_mint(&a, &lenders[i], &lenders[i], &lenders[i])
            .is_ok(),
        Step::Withdraw(i, a) => v
            .try_withdraw(&a, &lenders[i], &lenders[i], &lenders[i])
            .is_ok(),
        Step::Redeem(i, a) => v
            .try_redeem(&a, &lenders[i], &lenders[i], &lenders[i])
            .is_ok(),
        Step::Transfer(i, j, a) => v.try_transfer(&lenders[i], &lenders[j], &a).is_ok(),
        Step::Borrow(a) => v.try_borrow(&a, &f.borrower).is_ok(),
        Step::Repay(a) => v.try_repay(&f.borrower, &a).is_ok(),
        Step::WriteOff(a) if v.try_write_off(&a).is_ok() => return Outcome::WroteOff,
        Step::WriteOff(_) => false,
        Step::Wait(t) => {
            f.advance(t);
            true
        }
    };
    if ok {
        Outcome::Done
    } else {
        Outcome::Failed
    }
}

fn check_invariants(f: &VaultFixture, lenders: &[Address]) -> Result<(), TestCaseError> {
    let state = f.vault.pool_state();
    let debt = f.vault.total_debt();
    let redeemable: i128 = lenders
        .iter()
        .map(|l| f.vault.convert_to_assets(&f.vault.balance(l)))
        .sum();
    prop_assert!(
        state.cash + debt >= redeemable + state.reserves,
        "{state:?} {debt} {redeemable}"
    );
    prop_assert!(f.token.balance(&f.vault_id) >= state.cash);
    let shares: i128 = lenders.iter().map(|l| f.vault.balance(l)).sum();
    prop_assert_eq!(shares, state.total_supply);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_the_vault_solvent_and_fair(steps in prop::collection::vec(step(), 1..24)) {
        let f = VaultFixture::new();
        let lenders: std::vec::Vec<Address> = (0..3).map(|_| f.funded(1_000_000 * UNIT)).collect();
        f.fund(&f.borrower, 1_000_000 * UNIT);
        for s in &steps {
            let before_price = price(&f);
            let mut who: std::vec::Vec<&Address> = lenders.iter().collect();
            who.push(&f.borrower);
            let before = snapshot(&f, &who);
            let outcome = run(&f, &lenders, s);
            if outcome == Outcome::Failed {
                prop_assert_eq!(snapshot(&f, &who), before, "failed {:?} changed state", s);
            }
            check_invariants(&f, &lenders)?;
            if outcome != Outcome::WroteOff {
                prop_assert!(price_at_least(price(&f), before_price), "price fell on {s:?}");
            }
        }
    }
}

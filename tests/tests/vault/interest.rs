//! Interest: a year at fixed utilization pays the configured borrow APR and the supply APR
//! `borrow_rate * utilization * (1 - reserve_factor)`; the reserve collects the rest.

use protocol_tests::vault_fixture::{default_params, VaultFixture, RATIO_ONE, UNIT};
use soroban_sdk::Event as _;
use vault::events::InterestAccrued;

use crate::support::vault_events;

const YEAR: u64 = 365 * 86_400;

/// `|measured - expected| <= expected / 10_000` (0.01 % of the rate), rates in 7 decimals.
fn assert_close(measured: i128, expected: i128, what: &str) {
    let tolerance = expected / 10_000;
    assert!(
        (measured - expected).abs() <= tolerance,
        "{what}: measured {measured}, expected {expected} (tolerance {tolerance})"
    );
}

/// Deposits 1,000, borrows `borrowed`, lets a year pass, and returns the measured
/// `(borrow_apr, supply_apr)` in 7 decimals.
fn one_year_at(borrowed: i128) -> (i128, i128) {
    let f = VaultFixture::new();
    let (lender, shares) = f.lender(1_000 * UNIT);
    f.borrow(borrowed);
    f.advance(YEAR);
    let debt = f.vault.total_debt();
    let lender_assets = f.vault.convert_to_assets(&shares);
    assert_eq!(f.vault.max_withdraw(&lender), 1_000 * UNIT - borrowed);
    let borrow_apr = (debt - borrowed) * RATIO_ONE / borrowed;
    let supply_apr = (lender_assets - 1_000 * UNIT) * RATIO_ONE / (1_000 * UNIT);
    (borrow_apr, supply_apr)
}

#[test]
fn a_year_below_the_kink_pays_the_configured_rates() {
    // u = 0.5: borrow = 0.02 + 0.08 * 0.5 / 0.8 = 0.07; supply = 0.07 * 0.5 * (1 - 0.1) = 0.0315.
    let (borrow_apr, supply_apr) = one_year_at(500 * UNIT);
    assert_close(borrow_apr, 700_000, "borrow APR");
    assert_close(supply_apr, 315_000, "supply APR");
}

#[test]
fn a_year_above_the_kink_pays_the_steep_slope() {
    // u = 0.9: borrow = 0.02 + 0.08 + 1.0 * (0.9 - 0.8) / 0.2 = 0.60; supply = 0.6 * 0.9 * 0.9.
    let (borrow_apr, supply_apr) = one_year_at(900 * UNIT);
    assert_close(borrow_apr, 6_000_000, "borrow APR");
    assert_close(supply_apr, 4_860_000, "supply APR");
}

#[test]
fn accrual_is_recorded_with_an_event_and_feeds_the_reserve() {
    let f = VaultFixture::new();
    let (lender, _) = f.lender(1_000 * UNIT);
    f.borrow(500 * UNIT);
    f.advance(YEAR);

    f.vault.redeem(&UNIT, &lender, &lender, &lender);
    let events = vault_events(&f);

    let state = f.vault.pool_state();
    // 500 * 0.07 = 35 of interest, 10 % of it to the reserve.
    let interest = f.vault.total_debt() - 500 * UNIT;
    assert_close(interest, 35 * UNIT, "interest");
    assert!((state.reserves - interest / 10).abs() <= 1);
    let accrued = InterestAccrued {
        interest,
        reserves_added: state.reserves,
        borrow_index: state.borrow_index,
    };
    assert_eq!(events.events()[0], accrued.to_xdr(&f.env, &f.vault_id));
}

#[test]
fn without_debt_nothing_accrues() {
    let f = VaultFixture::with_params(default_params());
    let (_, shares) = f.lender(1_000 * UNIT);
    f.advance(YEAR);
    assert_eq!(f.vault.convert_to_assets(&shares), 1_000 * UNIT);
    assert_eq!(
        f.vault.debt_index(),
        risk_core::interest::BorrowIndex::ONE.to_bits()
    );
}

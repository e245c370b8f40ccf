//! `credit_state`: the one view margin-account's vault cache needs, equal to what `pool_state`,
//! `config`, `debt_index`, `total_assets` and `total_supply` report at the same instant.

use protocol_tests::vault_fixture::{default_params, VaultFixture, RATIO_ONE, UNIT};
use risk_core::interest::{debt_for_shares, utilization, BorrowIndex};
use risk_core::Rounding;

/// `credit_state` against the other views, now.
fn assert_matches_the_views(f: &VaultFixture) {
    let now = f.env.ledger().timestamp();
    let (total_assets, total_supply, index, max_rate, timestamp) = f.vault.credit_state();
    let pool = f.vault.pool_state();
    let params = f.vault.config().params;
    let debt = debt_for_shares(
        pool.debt_shares,
        BorrowIndex::from_bits(pool.borrow_index).unwrap(),
        Rounding::Ceil,
    )
    .unwrap();
    assert_eq!(total_assets, pool.cash + debt - pool.reserves);
    assert_eq!(total_assets, f.vault.total_assets());
    assert_eq!(total_supply, pool.total_supply);
    assert_eq!(total_supply, f.vault.total_supply());
    assert_eq!(index, pool.borrow_index);
    assert_eq!(index, f.vault.debt_index());
    assert_eq!(
        max_rate,
        params.base_rate + params.slope1 + params.slope2,
        "kink below 1: the top of the curve"
    );
    assert_eq!(timestamp, now);
    assert_eq!(pool.last_accrual, now);
}

#[test]
fn credit_state_equals_the_other_views_as_interest_accrues() {
    let f = VaultFixture::new();
    assert_matches_the_views(&f); // empty vault
    f.lender(1_000 * UNIT);
    f.borrow(900 * UNIT); // above the 80 % kink
    assert_matches_the_views(&f);
    for seconds in [1, 3_600, 30 * 86_400, 365 * 86_400] {
        f.advance(seconds);
        assert_matches_the_views(&f);
    }
    // The view accrues in memory only: it writes nothing.
    f.advance(86_400);
    f.vault.credit_state();
    assert_eq!(f.env.cost_estimate().resources().write_entries, 0);
}

#[test]
fn max_borrow_rate_is_the_curves_rate_at_full_utilization() {
    // Kink below 1: the rate at 100 % is base + slope1 + slope2, and it is what the vault charges
    // a fully utilized pool (the index over one year grows by it, up to rounding).
    let f = VaultFixture::new();
    let p = default_params();
    let (_, _, _, max_rate, _) = f.vault.credit_state();
    assert_eq!(max_rate, p.base_rate + p.slope1 + p.slope2);
    let full = utilization(1, 1).unwrap();
    let rate = p.curve().unwrap().borrow_rate(full).unwrap();
    let bits_7dec = rate.to_bits() * RATIO_ONE / (1i128 << 48);
    assert_eq!(
        bits_7dec, max_rate,
        "fixed-point curve at 100 %, truncated to 7 decimals"
    );

    // Kink at 1: the steep slope never applies.
    let flat = vault::VaultParams {
        kink: RATIO_ONE,
        ..default_params()
    };
    let f = VaultFixture::with_params(flat.clone());
    let (_, _, _, max_rate, _) = f.vault.credit_state();
    assert_eq!(max_rate, flat.base_rate + flat.slope1);
    let rate = flat.curve().unwrap().borrow_rate(full).unwrap();
    assert_eq!(rate.to_bits() * RATIO_ONE / (1i128 << 48), max_rate);
}

#[test]
fn credit_state_costs_less_than_the_two_views_it_replaces() {
    let f = VaultFixture::new();
    f.lender(20_000 * UNIT);
    f.borrow(10_000 * UNIT);
    f.env.cost_estimate().budget().reset_unlimited();
    let cost = |name: &str, call: &dyn Fn()| {
        f.advance(3_600);
        call();
        let r = f.env.cost_estimate().resources();
        println!(
            "| {name:<12} | {:>9} | {:>9} |",
            r.instructions, r.mem_bytes
        );
        r.instructions
    };
    let pool_state = cost("pool_state", &|| {
        f.vault.pool_state();
    });
    let config = cost("config", &|| {
        f.vault.config();
    });
    let credit_state = cost("credit_state", &|| {
        f.vault.credit_state();
    });
    assert!(credit_state < pool_state + config);
}

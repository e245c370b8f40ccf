//! Construction and liquidity: first and later deposits, withdrawals, the locked minimum, fees
//! accruing to providers, and bad inputs.

use amm_pool::{Error, LiquidityAdded, LiquidityRemoved, PoolCreated, MINIMUM_LIQUIDITY};
use soroban_sdk::testutils::{Address as _, Events as _};
use soroban_sdk::{Address, Env, Event, IntoVal};

use super::{assert_error, deploy, PoolFixture, FEE};

#[test]
fn constructor_fixes_the_pair_and_fee_and_publishes_them() {
    let env = Env::default();
    let (a, b) = (Address::generate(&env), Address::generate(&env));
    let id = deploy(&env, &a, &b, FEE);
    let created = PoolCreated {
        token_a: a.clone(),
        token_b: b.clone(),
        fee: FEE,
    };
    assert_eq!(
        env.events().all().events().last(),
        Some(&created.to_xdr(&env, &id))
    );
    let pool = amm_pool::AmmPoolClient::new(&env, &id);
    assert_eq!(pool.tokens(), (a, b));
    assert_eq!(pool.fee(), FEE);
    assert_eq!(pool.reserves(), (0, 0));
    assert_eq!(pool.total_shares(), 0);
}

#[test]
#[should_panic(expected = "Error(Contract, #651)")]
fn constructor_refuses_the_same_token_twice() {
    let env = Env::default();
    let a = Address::generate(&env);
    deploy(&env, &a, &a, FEE);
}

#[test]
#[should_panic(expected = "Error(Contract, #650)")]
fn constructor_refuses_a_fee_above_the_maximum() {
    let env = Env::default();
    deploy(
        &env,
        &Address::generate(&env),
        &Address::generate(&env),
        amm_pool::MAX_FEE + 1,
    );
}

#[test]
#[should_panic(expected = "Error(Contract, #650)")]
fn constructor_refuses_a_negative_fee() {
    let env = Env::default();
    deploy(&env, &Address::generate(&env), &Address::generate(&env), -1);
}

#[test]
fn first_deposit_mints_the_root_of_the_product_less_the_locked_minimum() {
    let f = PoolFixture::new(FEE);
    f.mint_a(&f.lp, 1_000_000);
    f.mint_b(&f.lp, 4_000_000);

    // sqrt(1_000_000 * 4_000_000) - 1_000.
    let expected = 2_000_000 - MINIMUM_LIQUIDITY;
    let shares = f
        .pool
        .add_liquidity(&f.lp, &1_000_000, &4_000_000, &expected);

    assert_eq!(shares, expected);
    let transfers = std::vec![
        f.transfer(&f.a(), &f.lp, &f.id, 1_000_000),
        f.transfer(&f.b(), &f.lp, &f.id, 4_000_000),
    ];
    let args = (&f.lp, 1_000_000i128, 4_000_000i128, expected).into_val(&f.env);
    let add = f.invocation(&f.id, "add_liquidity", args, transfers);
    assert_eq!(f.env.auths(), std::vec![(f.lp.clone(), add)]);
    let event = LiquidityAdded {
        provider: f.lp.clone(),
        amount_a: 1_000_000,
        amount_b: 4_000_000,
        shares: expected,
        reserve_a: 1_000_000,
        reserve_b: 4_000_000,
        total_shares: 2_000_000,
    };
    assert_eq!(f.events(), std::vec![event.to_xdr(&f.env, &f.id)]);
    assert_eq!(f.pool.shares(&f.lp), expected);
    assert_eq!(f.pool.total_shares(), 2_000_000);
    assert_eq!(f.pool.reserves(), (1_000_000, 4_000_000));
    assert_eq!(f.balances(&f.id), (1_000_000, 4_000_000));
    assert_eq!(f.balances(&f.lp), (0, 0));
}

#[test]
fn later_deposit_takes_only_what_its_shares_are_worth() {
    let f = PoolFixture::seeded(FEE, 1_000_000, 4_000_000);
    let second = Address::generate(&f.env);
    f.mint_a(&second, 100_000);
    f.mint_b(&second, 1_000_000);

    // shares = min(100_000 * 2e6 / 1e6, 1_000_000 * 2e6 / 4e6) = min(200_000, 500_000);
    // takes (ceil(200_000 * 1e6 / 2e6), ceil(200_000 * 4e6 / 2e6)) = (100_000, 400_000).
    let shares = f
        .pool
        .add_liquidity(&second, &100_000, &1_000_000, &200_000);

    assert_eq!(shares, 200_000);
    let args = (&second, 100_000i128, 1_000_000i128, 200_000i128).into_val(&f.env);
    let transfers = std::vec![
        f.transfer(&f.a(), &second, &f.id, 100_000),
        f.transfer(&f.b(), &second, &f.id, 400_000),
    ];
    let add = f.invocation(&f.id, "add_liquidity", args, transfers);
    assert_eq!(f.env.auths(), std::vec![(second.clone(), add)]);
    assert_eq!(f.balances(&second), (0, 1_000_000 - 400_000));
    assert_eq!(f.pool.reserves(), (1_100_000, 4_400_000));
    assert_eq!(f.pool.total_shares(), 2_200_000);
    assert_eq!(f.pool.shares(&second), 200_000);
}

#[test]
fn remove_liquidity_pays_the_share_of_both_reserves() {
    let f = PoolFixture::seeded(FEE, 1_000_000, 4_000_000);

    // 999_500 of 2_000_000 shares: (999_500 * 1e6 / 2e6, 999_500 * 4e6 / 2e6).
    let (a, b) = f
        .pool
        .remove_liquidity(&f.lp, &999_500, &499_750, &1_999_000);

    assert_eq!((a, b), (499_750, 1_999_000));
    let args = (&f.lp, 999_500i128, 499_750i128, 1_999_000i128).into_val(&f.env);
    let remove = f.invocation(&f.id, "remove_liquidity", args, std::vec![]);
    assert_eq!(f.env.auths(), std::vec![(f.lp.clone(), remove)]);
    let event = LiquidityRemoved {
        provider: f.lp.clone(),
        amount_a: a,
        amount_b: b,
        shares: 999_500,
        reserve_a: 1_000_000 - a,
        reserve_b: 4_000_000 - b,
        total_shares: 2_000_000 - 999_500,
    };
    assert_eq!(f.events(), std::vec![event.to_xdr(&f.env, &f.id)]);
    assert_eq!(f.balances(&f.lp), (a, b));
    assert_eq!(f.pool.shares(&f.lp), 1_999_000 - 999_500);
    assert_eq!(f.balances(&f.id), f.pool.reserves());
}

#[test]
fn removing_every_share_leaves_the_locked_minimum_behind() {
    let f = PoolFixture::seeded(FEE, 1_000_000, 4_000_000);
    let (a, b) = f.pool.remove_liquidity(&f.lp, &1_999_000, &0, &0);

    // 1_999_000 of 2_000_000: (999_500, 3_998_000); the locked 1_000 keep (500, 2_000).
    assert_eq!((a, b), (999_500, 3_998_000));
    assert_eq!(f.pool.reserves(), (500, 2_000));
    assert_eq!(f.pool.total_shares(), MINIMUM_LIQUIDITY);
    assert_eq!(f.pool.shares(&f.lp), 0);

    // The pool still works, at the same price, for the next provider.
    f.mint_a(&f.lp, 1_000);
    f.mint_b(&f.lp, 4_000);
    assert_eq!(f.pool.add_liquidity(&f.lp, &1_000, &4_000, &0), 2_000);
}

#[test]
fn swap_fees_accrue_to_liquidity_providers() {
    let f = PoolFixture::seeded(FEE, 1_000_000, 4_000_000);
    f.mint_a(&f.trader, 100_000);
    let out = f
        .pool
        .swap(&f.trader, &f.a(), &f.b(), &100_000, &0, &f.trader);
    f.pool.swap(&f.trader, &f.b(), &f.a(), &out, &0, &f.trader);

    let (a, b) = f.pool.remove_liquidity(&f.lp, &1_999_000, &0, &0);
    // Without fees the round trip would give back (999_500, 3_998_000) at best; the product
    // only grows.
    assert!(a * b > 999_500 * 3_998_000, "({a}, {b})");
    assert!(f.balances(&f.trader).0 < 100_000);
}

#[test]
fn bad_deposits_are_refused_and_change_nothing() {
    let f = PoolFixture::new(FEE);
    f.mint_a(&f.lp, 2_000_000);
    f.mint_b(&f.lp, 8_000_000);
    let before = f.books();
    // sqrt(1_000 * 1_000) = 1_000 = the locked minimum: nothing for the provider.
    let first_too_small = f.pool.try_add_liquidity(&f.lp, &1_000, &1_000, &0);
    assert_error(first_too_small, Error::AmountTooSmall);
    assert_eq!(f.books(), before);
    f.pool.add_liquidity(&f.lp, &1_000_000, &4_000_000, &0);

    let before = f.books();
    let cases = [
        (0, 4_000_000, 0, Error::InvalidAmount),
        (1_000_000, -1, 0, Error::InvalidAmount),
        (1_000_000, 4_000_000, -1, Error::InvalidAmount),
        // Would mint min(1e6 * 2e6 / 1e6, 4e6 * 2e6 / 4e6) = 2_000_000.
        (1_000_000, 4_000_000, 2_000_001, Error::BelowMinimum),
        // floor(1 * 2e6 / 4e6) = 0 shares from the B side.
        (1_000_000, 1, 0, Error::AmountTooSmall),
    ];
    for (a, b, min_shares, expected) in cases {
        let result = f.pool.try_add_liquidity(&f.lp, &a, &b, &min_shares);
        assert_error(result, expected);
        assert_eq!(f.books(), before, "{expected:?}");
    }
}

#[test]
fn bad_withdrawals_are_refused_and_change_nothing() {
    let f = PoolFixture::seeded(FEE, 1_000_000, 4_000_000);
    let stranger = Address::generate(&f.env);
    let before = f.books();
    let cases = [
        (f.lp.clone(), 0, 0, 0, Error::InvalidAmount),
        (f.lp.clone(), 10, -1, 0, Error::InvalidAmount),
        (f.lp.clone(), 10, 0, -1, Error::InvalidAmount),
        (f.lp.clone(), 1_999_001, 0, 0, Error::InsufficientShares),
        (stranger, 1, 0, 0, Error::InsufficientShares),
        // 1 share of 2e6 on 1e6 A: floor(0.5) = 0.
        (f.lp.clone(), 1, 0, 0, Error::AmountTooSmall),
        // 1_000 shares: (500, 2_000).
        (f.lp.clone(), 1_000, 501, 0, Error::BelowMinimum),
        (f.lp.clone(), 1_000, 0, 2_001, Error::BelowMinimum),
    ];
    for (provider, shares, min_a, min_b, expected) in cases {
        let result = f
            .pool
            .try_remove_liquidity(&provider, &shares, &min_a, &min_b);
        assert_error(result, expected);
        assert_eq!(f.books(), before, "{expected:?}");
    }
}

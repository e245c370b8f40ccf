//! Swaps: the constant product after the fee, the pay-first check, the pulling `swap`, quotes,
//! and bad inputs.

use amm_pool::{Error, Swap};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{Address, Event, IntoVal};

use super::{assert_error, fee_on, PoolFixture, FEE};

/// 1,000,000 A against 4,000,000 B at 30 bps.
fn pool() -> PoolFixture {
    PoolFixture::seeded(FEE, 1_000_000, 4_000_000)
}

#[test]
fn swap_exact_in_pays_the_constant_product_after_the_fee() {
    let f = pool();
    let to = Address::generate(&f.env);
    f.mint_a(&f.trader, 10_000);
    f.pay(&f.trader, &f.a(), 10_000);

    // fee = ceil(10_000 * 0.003) = 30; out = floor(4_000_000 * 9_970 / (1_000_000 + 9_970)).
    let fee_paid = fee_on(10_000, FEE);
    assert_eq!(fee_paid, 30);
    let expected = 4_000_000 * 9_970 / (1_000_000 + 9_970);
    assert_eq!(expected, 39_486);
    let out = f
        .pool
        .swap_exact_in(&f.a(), &f.b(), &10_000, &expected, &to);

    assert_eq!(out, expected);
    assert_eq!(
        f.env.auths(),
        std::vec![],
        "the payment is the authorisation"
    );
    let reserves = (1_010_000, 4_000_000 - expected);
    let event = Swap {
        token_in: f.a(),
        token_out: f.b(),
        amount_in: 10_000,
        amount_out: expected,
        fee_paid,
        to: to.clone(),
        reserve_a: reserves.0,
        reserve_b: reserves.1,
    };
    assert_eq!(f.events(), std::vec![event.to_xdr(&f.env, &f.id)]);
    assert_eq!(f.pool.reserves(), reserves);
    assert_eq!(f.balances(&f.id), reserves);
    assert_eq!(f.balances(&to), (0, expected));
    assert_eq!(f.balances(&f.trader), (0, 0));
}

#[test]
fn swap_exact_in_sells_b_for_a() {
    let f = pool();
    f.mint_b(&f.trader, 40_000);
    f.pay(&f.trader, &f.b(), 40_000);

    // fee = ceil(40_000 * 0.003) = 120; out = floor(1_000_000 * 39_880 / (4_000_000 + 39_880)).
    let expected = 1_000_000 * (40_000 - 120) / (4_000_000 + 40_000 - 120);
    assert_eq!(expected, 9_871);
    let out = f.pool.swap_exact_in(&f.b(), &f.a(), &40_000, &0, &f.trader);

    assert_eq!(out, expected);
    assert_eq!(f.pool.reserves(), (1_000_000 - expected, 4_040_000));
    assert_eq!(f.balances(&f.trader), (expected, 0));
}

#[test]
fn quote_exact_in_is_exactly_what_a_swap_pays() {
    let f = pool();
    for (token_in, token_out, amount) in [(f.a(), f.b(), 123_457), (f.b(), f.a(), 999_999)] {
        let quote = f.pool.quote_exact_in(&token_in, &amount);
        f.mint_a(&f.trader, amount);
        f.mint_b(&f.trader, amount);
        f.pay(&f.trader, &token_in, amount);
        let out = f
            .pool
            .swap_exact_in(&token_in, &token_out, &amount, &quote, &f.trader);
        assert_eq!(out, quote);
    }
}

#[test]
fn swap_pulls_the_input_from_the_trader_under_their_auth() {
    let f = pool();
    f.mint_a(&f.trader, 10_000);

    let out = f
        .pool
        .swap(&f.trader, &f.a(), &f.b(), &10_000, &0, &f.trader);

    assert_eq!(out, 4_000_000 * 9_970 / (1_000_000 + 9_970));
    let transfer = f.transfer(&f.a(), &f.trader, &f.id, 10_000);
    let args = (&f.trader, f.a(), f.b(), 10_000i128, 0i128, &f.trader).into_val(&f.env);
    let swap = f.invocation(&f.id, "swap", args, std::vec![transfer]);
    assert_eq!(f.env.auths(), std::vec![(f.trader.clone(), swap)]);
    assert_eq!(f.balances(&f.trader), (0, out));
    assert_eq!(f.pool.reserves(), (1_010_000, 4_000_000 - out));
}

#[test]
fn swap_without_payment_is_refused_and_changes_nothing() {
    let f = pool();
    let before = f.books();
    let unpaid = f
        .pool
        .try_swap_exact_in(&f.a(), &f.b(), &10_000, &0, &f.trader);
    assert_error(unpaid, Error::InsufficientInput);
    assert_eq!(f.books(), before);

    // One unit short is as unpaid as nothing.
    f.mint_a(&f.trader, 9_999);
    f.pay(&f.trader, &f.a(), 9_999);
    let before = f.books();
    let short = f
        .pool
        .try_swap_exact_in(&f.a(), &f.b(), &10_000, &0, &f.trader);
    assert_error(short, Error::InsufficientInput);
    assert_eq!(f.books(), before);
}

#[test]
fn a_payment_left_for_a_later_transaction_goes_to_whoever_swaps_first() {
    // Why payment and swap must share a transaction: the unaccounted surplus is the only
    // evidence of payment, and anyone may claim it.
    let f = pool();
    f.mint_a(&f.lp, 10_000);
    f.pay(&f.lp, &f.a(), 10_000);
    let taker = Address::generate(&f.env);

    let out = f.pool.swap_exact_in(&f.a(), &f.b(), &10_000, &0, &taker);

    assert_eq!(out, 4_000_000 * 9_970 / (1_000_000 + 9_970));
    assert_eq!(f.balances(&taker), (0, out));
}

#[test]
fn a_surplus_above_the_input_joins_the_reserve() {
    let f = pool();
    // 5_000 donated earlier, then a 10_000 swap: the output counts 10_000 only, and the
    // reserve becomes the whole balance (1_000_000 + 5_000 + 10_000).
    f.mint_a(&f.lp, 5_000);
    f.pay(&f.lp, &f.a(), 5_000);
    f.mint_a(&f.trader, 10_000);
    f.pay(&f.trader, &f.a(), 10_000);

    let out = f.pool.swap_exact_in(&f.a(), &f.b(), &10_000, &0, &f.trader);

    assert_eq!(out, 4_000_000 * 9_970 / (1_000_000 + 9_970));
    assert_eq!(f.pool.reserves(), (1_015_000, 4_000_000 - out));
    assert_eq!(f.balances(&f.id), f.pool.reserves());
}

#[test]
fn bad_swap_inputs_are_refused_and_change_nothing() {
    let f = pool();
    let stranger = Address::generate(&f.env);
    // Paid 10_000 for `swap_exact_in`, and holding 10_000 more for `swap` to pull.
    f.mint_a(&f.trader, 20_000);
    f.pay(&f.trader, &f.a(), 10_000);
    let (a, b, t) = (f.a(), f.b(), f.trader.clone());
    // 10_000 buys 39_486 (see above).
    let cases = [
        (a.clone(), stranger.clone(), 10_000, 0, Error::UnknownToken),
        (stranger.clone(), b.clone(), 10_000, 0, Error::UnknownToken),
        (a.clone(), a.clone(), 10_000, 0, Error::SameToken),
        (a.clone(), b.clone(), 0, 0, Error::InvalidAmount),
        (a.clone(), b.clone(), -10_000, 0, Error::InvalidAmount),
        (a.clone(), b.clone(), 10_000, -1, Error::InvalidAmount),
        (a.clone(), b.clone(), 10_000, 39_487, Error::BelowMinimum),
        // 1 unit pays a 1-unit fee and buys nothing.
        (a.clone(), b.clone(), 1, 0, Error::AmountTooSmall),
    ];
    let before = f.books();
    for (token_in, token_out, amount_in, min_out, expected) in cases {
        let result = f
            .pool
            .try_swap_exact_in(&token_in, &token_out, &amount_in, &min_out, &t);
        assert_error(result, expected);
        let pulled = f
            .pool
            .try_swap(&t, &token_in, &token_out, &amount_in, &min_out, &t);
        assert_error(pulled, expected);
        assert_eq!(f.books(), before, "{expected:?}");
    }
    assert_error(
        f.pool.try_quote_exact_in(&stranger, &10),
        Error::UnknownToken,
    );
    assert_error(f.pool.try_quote_exact_in(&a, &0), Error::InvalidAmount);
}

#[test]
fn an_empty_pool_has_no_liquidity_to_swap() {
    let f = PoolFixture::new(FEE);
    f.mint_a(&f.trader, 10_000);
    f.pay(&f.trader, &f.a(), 10_000);
    let result = f
        .pool
        .try_swap_exact_in(&f.a(), &f.b(), &10_000, &0, &f.trader);
    assert_error(result, Error::InsufficientLiquidity);
    assert_error(
        f.pool.try_quote_exact_in(&f.a(), &10_000),
        Error::InsufficientLiquidity,
    );
}

#[test]
fn huge_reserves_swap_exactly() {
    // 1e30 base units a side: reserve * input = 1e60 is far beyond 128 bits. With no fee,
    // out = 1e30 * 1e30 / (1e30 + 1e30) = 5e29 exactly.
    let r = 10i128.pow(30);
    let f = PoolFixture::seeded(0, r, r);
    f.mint_a(&f.trader, r);
    f.pay(&f.trader, &f.a(), r);
    let out = f.pool.swap_exact_in(&f.a(), &f.b(), &r, &0, &f.trader);
    assert_eq!(out, r / 2);
    assert_eq!(f.pool.reserves(), (2 * r, r / 2));
}

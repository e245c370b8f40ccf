extern crate std;

use super::*;
use num_bigint::BigInt;
use proptest::prelude::*;

const BPS_30: i128 = 30_000;

fn fee(ratio: i128) -> Fee {
    Fee::from_abi(ratio).unwrap()
}

fn big(v: i128) -> BigInt {
    BigInt::from(v)
}

#[test]
fn fee_accepts_zero_to_max_and_refuses_the_rest() {
    assert_eq!(Fee::from_abi(0).map(Fee::to_abi), Ok(0));
    assert_eq!(Fee::from_abi(MAX_FEE).map(Fee::to_abi), Ok(MAX_FEE));
    assert_eq!(Fee::from_abi(-1), Err(Error::InvalidFee));
    assert_eq!(Fee::from_abi(MAX_FEE + 1), Err(Error::InvalidFee));
}

#[test]
fn fee_rounds_up() {
    // ceil(1_000_000 * 0.003) = 3_000 exactly; ceil(1 * 0.003) = 1; a zero fee charges nothing.
    assert_eq!(fee(BPS_30).charged_on(1_000_000), Ok(3_000));
    assert_eq!(fee(BPS_30).charged_on(1), Ok(1));
    assert_eq!(fee(0).charged_on(1_000_000), Ok(0));
}

#[test]
fn swap_out_is_the_constant_product_after_the_fee() {
    // 10_000 in at 30 bps: fee = ceil(10_000 * 0.003) = 30, net = 9_970;
    // out = floor(2_000_000 * 9_970 / (1_000_000 + 9_970)) = floor(19_743.160...) = 19_743.
    let quote = swap_out(10_000, 1_000_000, 2_000_000, fee(BPS_30)).unwrap();
    assert_eq!(quote.fee_paid, 30);
    assert_eq!(quote.amount_out, 2_000_000 * 9_970 / (1_000_000 + 9_970));
    assert_eq!(quote.amount_out, 19_743);
}

#[test]
fn swap_out_handles_reserves_whose_product_exceeds_128_bits() {
    // 1e30 * 1e30 is far beyond u128; the quotient is exact: out = floor(1e30 * 1e27 / (1e30 + 1e27)).
    let (r, net) = (10i128.pow(30), 10i128.pow(27));
    let quote = swap_out(net, r, r, fee(0)).unwrap();
    let expected = big(r) * big(net) / (big(r) + big(net));
    assert_eq!(big(quote.amount_out), expected);
}

#[test]
fn swap_out_refuses_bad_inputs() {
    assert_eq!(swap_out(0, 10, 10, fee(0)), Err(Error::InvalidAmount));
    assert_eq!(swap_out(-5, 10, 10, fee(0)), Err(Error::InvalidAmount));
    assert_eq!(
        swap_out(5, 0, 10, fee(0)),
        Err(Error::InsufficientLiquidity)
    );
    // 1 unit at 30 bps pays a 1-unit fee and buys nothing.
    assert_eq!(
        swap_out(1, 1_000, 1_000, fee(BPS_30)),
        Err(Error::AmountTooSmall)
    );
    assert_eq!(swap_out(1, i128::MAX, 10, fee(0)), Err(Error::Overflow));
}

#[test]
fn k_comparison_is_exact() {
    assert_eq!(k_not_decreased((10, 10), (10, 10)), Ok(true));
    assert_eq!(k_not_decreased((10, 10), (20, 5)), Ok(true));
    assert_eq!(k_not_decreased((10, 10), (20, 4)), Ok(false));
    assert_eq!(k_not_decreased((10, 10), (4, 25)), Ok(true));
    assert_eq!(k_not_decreased((10, 10), (9, 11)), Ok(false));
    assert_eq!(k_not_decreased((10, 10), (9, 9)), Ok(false));
    let big_r = 10i128.pow(35);
    assert_eq!(
        k_not_decreased((big_r, big_r), (big_r + 1, big_r - 1)),
        Ok(false)
    );
    assert_eq!(
        k_not_decreased((big_r, big_r), (2 * big_r, big_r / 2)),
        Ok(true)
    );
}

#[test]
fn first_deposit_mints_the_root_of_the_product_less_the_locked_minimum() {
    // sqrt(1_000_000 * 4_000_000) = 2_000_000, minus 1_000 locked.
    let d = deposit(1_000_000, 4_000_000, (0, 0), 0).unwrap();
    assert_eq!(
        d,
        Deposit {
            shares: 2_000_000 - MINIMUM_LIQUIDITY,
            locked: MINIMUM_LIQUIDITY,
            amount_a: 1_000_000,
            amount_b: 4_000_000,
        }
    );
    // sqrt(1_000 * 1_000) = 1_000: nothing left for the provider.
    assert_eq!(deposit(1_000, 1_000, (0, 0), 0), Err(Error::AmountTooSmall));
}

#[test]
fn later_deposit_takes_only_what_its_shares_are_worth() {
    // reserves (1_000_000, 4_000_000), 2_000_000 shares; offered (100_000, 1_000_000):
    // shares = min(100_000 * 2e6 / 1e6, 1_000_000 * 2e6 / 4e6) = min(200_000, 500_000) = 200_000;
    // takes (ceil(200_000 * 1e6 / 2e6), ceil(200_000 * 4e6 / 2e6)) = (100_000, 400_000).
    let d = deposit(100_000, 1_000_000, (1_000_000, 4_000_000), 2_000_000).unwrap();
    assert_eq!(
        d,
        Deposit {
            shares: 200_000,
            locked: 0,
            amount_a: 100_000,
            amount_b: 400_000,
        }
    );
    // reserves (3, 7), 5 shares; offered (2, 2): shares = min(floor(10/3), floor(10/7)) = 1;
    // takes (ceil(3/5), ceil(7/5)) = (1, 2).
    let d = deposit(2, 2, (3, 7), 5).unwrap();
    assert_eq!((d.shares, d.amount_a, d.amount_b), (1, 1, 2));
    assert_eq!(deposit(1, 1, (10, 10), 5), Err(Error::AmountTooSmall));
    assert_eq!(deposit(0, 1, (10, 10), 5), Err(Error::InvalidAmount));
}

#[test]
fn withdrawal_rounds_down_and_refuses_gifts() {
    // 300 of 1_000 shares on (1_001, 2_000): (floor(300_300 / 1_000), 600) = (300, 600).
    assert_eq!(withdrawal(300, (1_001, 2_000), 1_000), Ok((300, 600)));
    assert_eq!(
        withdrawal(1, (10, 1_000), 1_000),
        Err(Error::AmountTooSmall)
    );
    assert_eq!(
        withdrawal(1_001, (10, 10), 1_000),
        Err(Error::InsufficientShares)
    );
    assert_eq!(withdrawal(0, (10, 10), 1_000), Err(Error::InvalidAmount));
}

#[test]
fn sqrt_product_edges() {
    assert_eq!(sqrt_product(0, 5), Ok(0));
    assert_eq!(sqrt_product(1, 1), Ok(1));
    assert_eq!(sqrt_product(2, 2), Ok(2));
    assert_eq!(sqrt_product(3, 5), Ok(3));
    assert_eq!(sqrt_product(i128::MAX, i128::MAX), Ok(i128::MAX));
    assert_eq!(sqrt_product(-1, 5), Err(Error::InvalidAmount));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sqrt_product_is_the_floor_of_the_root(a in 0..=i128::MAX, b in 0..=i128::MAX) {
        let root = big(sqrt_product(a, b).unwrap());
        let product = big(a) * big(b);
        prop_assert!(&root * &root <= product);
        prop_assert!((&root + 1) * (&root + 1) > product);
    }

    #[test]
    fn swaps_never_decrease_k(
        reserve_in in 1_000i128..1_000_000_000_000_000_000_000,
        reserve_out in 1_000i128..1_000_000_000_000_000_000_000,
        amount_in in 1i128..1_000_000_000_000_000_000_000,
        ratio in 0..=MAX_FEE,
    ) {
        if let Ok(q) = swap_out(amount_in, reserve_in, reserve_out, fee(ratio)) {
            prop_assert!(q.amount_out < reserve_out);
            let new = (reserve_in + amount_in, reserve_out - q.amount_out);
            prop_assert!(big(new.0) * big(new.1) >= big(reserve_in) * big(reserve_out));
            prop_assert_eq!(k_not_decreased((reserve_in, reserve_out), new), Ok(true));
        }
    }

    #[test]
    fn k_comparison_matches_big_integers(
        x0 in 1i128..=i128::MAX, y0 in 1i128..=i128::MAX,
        x1 in 1i128..=i128::MAX, y1 in 1i128..=i128::MAX,
    ) {
        let expected = big(x1) * big(y1) >= big(x0) * big(y0);
        prop_assert_eq!(k_not_decreased((x0, y0), (x1, y1)), Ok(expected));
    }

    #[test]
    fn deposits_never_take_less_than_their_shares_are_worth(
        reserve_a in 1i128..1_000_000_000_000_000,
        reserve_b in 1i128..1_000_000_000_000_000,
        total in 1i128..1_000_000_000_000_000,
        max_a in 1i128..1_000_000_000_000_000,
        max_b in 1i128..1_000_000_000_000_000,
    ) {
        if let Ok(d) = deposit(max_a, max_b, (reserve_a, reserve_b), total) {
            prop_assert!(d.amount_a <= max_a && d.amount_b <= max_b);
            // paid * total >= shares * reserve, per token.
            prop_assert!(big(d.amount_a) * big(total) >= big(d.shares) * big(reserve_a));
            prop_assert!(big(d.amount_b) * big(total) >= big(d.shares) * big(reserve_b));
        }
    }
}

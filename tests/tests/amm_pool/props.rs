//! The constant product over random swap sequences on the WASM build.

use amm_pool::{Error, MAX_FEE};
use proptest::prelude::*;

use super::PoolFixture;

/// One swap: direction and input as a fraction (per mille, 1..=1000) of the input reserve.
fn swaps() -> impl Strategy<Value = std::vec::Vec<(bool, i128)>> {
    prop::collection::vec((any::<bool>(), 1i128..=1_000), 1..8)
}

proptest! {
    // Each case deploys two tokens and the pool: keep the count modest.
    #![proptest_config(ProptestConfig {
        cases: 16,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Reserves stay below 1e16 · 2^8, so `k` fits `i128` in the assertion.
    #[test]
    fn random_swaps_never_decrease_k_and_books_match_balances(
        reserve_a in 10_000i128..10_000_000_000_000_000,
        reserve_b in 10_000i128..10_000_000_000_000_000,
        fee in 0..=MAX_FEE,
        sequence in swaps(),
    ) {
        let f = PoolFixture::seeded(fee, reserve_a, reserve_b);
        let mut k = reserve_a * reserve_b;
        for (a_to_b, per_mille) in sequence {
            let (token_in, token_out) = if a_to_b { (f.a(), f.b()) } else { (f.b(), f.a()) };
            let reserves = f.pool.reserves();
            let reserve_in = if a_to_b { reserves.0 } else { reserves.1 };
            let amount_in = (reserve_in * per_mille / 1_000).max(1);
            // Too small to buy anything: skip without paying (an unspent payment would sit
            // unaccounted, and the books would no longer equal the balances).
            let quote = match f.pool.try_quote_exact_in(&token_in, &amount_in) {
                Ok(Ok(quote)) => quote,
                Err(Ok(Error::AmountTooSmall)) => continue,
                other => return Err(TestCaseError::fail(format!("{other:?}"))),
            };
            f.mint_a(&f.trader, amount_in);
            f.mint_b(&f.trader, amount_in);
            f.pay(&f.trader, &token_in, amount_in);
            let out = f.pool.swap_exact_in(&token_in, &token_out, &amount_in, &quote, &f.trader);
            prop_assert_eq!(out, quote);
            let (a, b) = f.pool.reserves();
            prop_assert!(a > 0 && b > 0);
            prop_assert!(a * b >= k, "k fell from {k} to {}", a * b);
            prop_assert_eq!(f.balances(&f.id), (a, b));
            k = a * b;
        }
    }
}

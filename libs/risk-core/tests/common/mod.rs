//! Exact big-integer references and proptest strategies shared by the risk-core tests.
#![allow(dead_code)]

use num_bigint::BigInt;
use num_traits::{One, Zero};
use proptest::prelude::*;
use risk_core::{
    AssetRisk, Quote, Ratio, RiskWeights, Rounding, DEFAULT_PRICE_DECIMALS, FRAC_BITS,
};

pub fn big(x: impl Into<BigInt>) -> BigInt {
    x.into()
}

pub fn pow10(d: u32) -> BigInt {
    num_traits::pow(big(10), d as usize)
}

pub fn two_pow_frac() -> BigInt {
    BigInt::one() << FRAC_BITS
}

/// floor or ceil of num / den (den > 0).
pub fn div_round(num: &BigInt, den: &BigInt, rounding: Rounding) -> BigInt {
    let q = num / den;
    let r = num - &q * den;
    // BigInt division truncates toward zero.
    match rounding {
        Rounding::Floor if r < BigInt::zero() => q - 1,
        Rounding::Ceil if r > BigInt::zero() => q + 1,
        _ => q,
    }
}

/// A weight set from ABI values, asserted valid.
pub fn weights(awi: i128, awm: i128, lwi: i128, lwm: i128) -> RiskWeights {
    RiskWeights::from_abi(awi, awm, lwi, lwm).expect("valid weights")
}

/// The exact weighted term of one position, in units of 2^-48 USD, as `num / den`.
pub struct ExactTerm {
    pub num: BigInt,
    pub den: BigInt,
}

/// `|amount| * price / 10^(d + pd) * weight` in bits of 2^-48, exactly.
pub fn exact_term(amount: i128, decimals: u32, price: i128, weight: Ratio) -> ExactTerm {
    ExactTerm {
        num: big(amount.unsigned_abs()) * big(price) * big(weight.to_bits()),
        den: pow10(decimals + DEFAULT_PRICE_DECIMALS),
    }
}

/// Upper bound, in bits, of the gap between a computed term and the exact one: the amount and the
/// price each lose under one step of 2^-48 in conversion, then each product one more step.
pub fn term_error_bound(amount: i128, decimals: u32, price: i128, weight: Ratio) -> BigInt {
    let tokens_plus_price = big(amount.unsigned_abs()) * pow10(DEFAULT_PRICE_DECIMALS)
        + big(price) * pow10(decimals)
        + 2 * pow10(decimals + DEFAULT_PRICE_DECIMALS);
    let scaled = tokens_plus_price * big(weight.to_bits());
    let den = pow10(decimals + DEFAULT_PRICE_DECIMALS) * two_pow_frac();
    div_round(&scaled, &den, Rounding::Ceil) + 2
}

/// Weights in ABI form satisfying SPEC §3: awi <= awm <= 1, lwi >= lwm >= 1 (liab up to 3.0).
pub fn weights_strategy() -> impl Strategy<Value = RiskWeights> {
    (
        0i128..=10_000_000,
        0i128..=10_000_000,
        10_000_000i128..=30_000_000,
        10_000_000i128..=30_000_000,
    )
        .prop_map(|(a, b, c, d)| weights(a.min(b), a.max(b), c.max(d), c.min(d)))
}

/// A 14-decimal price between 1e-10 and 1e10 USD, log-spread.
pub fn price_strategy() -> impl Strategy<Value = i128> {
    (0u32..=20, 1i128..10_000).prop_map(|(exp, mantissa)| {
        // 10^exp * mantissa spans 1 .. 1e24 raw, i.e. 1e-14 .. 1e10 USD; clamp to 1e-10.
        (10i128.pow(exp) * mantissa).clamp(10_000, 10i128.pow(24))
    })
}

/// A quote `low <= spot <= high` around a spot from [`price_strategy`].
pub fn quote_strategy() -> impl Strategy<Value = (i128, i128, i128)> {
    (price_strategy(), 0u32..=1_000, 0u32..=1_000).prop_map(|(spot, down, up)| {
        let low = (spot - spot * down as i128 / 10_000).max(1);
        let high = spot + spot * up as i128 / 10_000;
        (spot, low, high)
    })
}

/// A signed amount of a token with `decimals` decimals: up to 1e12 whole tokens and 1e30 base
/// units in magnitude (the protocol's range), log-spread.
pub fn amount_strategy(decimals: u32) -> impl Strategy<Value = i128> {
    let max_exp = (12 + decimals).min(30);
    (0u32..=max_exp, 1i128..10, any::<bool>()).prop_map(move |(exp, mantissa, neg)| {
        let magnitude = (10i128.pow(exp) * mantissa).min(10i128.pow(max_exp));
        if neg {
            -magnitude
        } else {
            magnitude
        }
    })
}

/// One position: amount, decimals, asset parameters and quote.
#[derive(Clone, Debug)]
pub struct Pos {
    pub amount: i128,
    pub decimals: u32,
    pub asset: AssetRisk,
    pub spot: i128,
    pub low: i128,
    pub high: i128,
}

impl Pos {
    pub fn quote(&self) -> Quote {
        Quote::from_adapter(self.spot, self.low, self.high, DEFAULT_PRICE_DECIMALS)
            .expect("valid quote")
    }
}

pub fn position_strategy() -> impl Strategy<Value = Pos> {
    (0u32..=18)
        .prop_flat_map(|d| {
            (
                amount_strategy(d),
                Just(d),
                weights_strategy(),
                quote_strategy(),
            )
        })
        .prop_map(|(amount, decimals, w, (spot, low, high))| Pos {
            amount,
            decimals,
            asset: AssetRisk::new(decimals, w).expect("valid asset"),
            spot,
            low,
            high,
        })
}

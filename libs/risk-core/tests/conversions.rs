//! Conversions between the boundary scales and fixed point, and the directed products and
//! quotients, against exact big-integer references.

mod common;

use common::*;
use num_bigint::BigInt;
use proptest::prelude::*;
use risk_core::{
    token_value, Fx, Price, Quote, Ratio, RiskError, Rounding, TokenUnit, Tokens, Value, ABI_SCALE,
    MAX_DECIMALS,
};

const BOTH: [Rounding; 2] = [Rounding::Floor, Rounding::Ceil];

/// `raw * 2^48 / 10^d`, rounded: the exact bits of a decimal number.
fn exact_bits(raw: i128, decimals: u32, rounding: Rounding) -> BigInt {
    div_round(&(big(raw) * two_pow_frac()), &pow10(decimals), rounding)
}

#[test]
fn abi_one_and_zero_convert_exactly() {
    for r in BOTH {
        assert_eq!(Ratio::from_abi(ABI_SCALE, r), Ok(Ratio::ONE));
        assert_eq!(Ratio::from_abi(0, r), Ok(Ratio::ZERO));
        assert_eq!(Ratio::ONE.to_abi(r), ABI_SCALE);
    }
    // 1e-7 is not a multiple of 2^-48: the two directions bracket it one step apart.
    let (down, up) = (
        Ratio::from_abi(1, Rounding::Floor).unwrap(),
        Ratio::from_abi(1, Rounding::Ceil).unwrap(),
    );
    assert_eq!(up.to_bits() - down.to_bits(), 1);
    assert_eq!(
        (down.to_abi(Rounding::Floor), down.to_abi(Rounding::Ceil)),
        (0, 1)
    );
    assert_eq!(
        (up.to_abi(Rounding::Floor), up.to_abi(Rounding::Ceil)),
        (1, 2)
    );
}

#[test]
fn bad_inputs_get_typed_errors() {
    assert_eq!(
        Ratio::from_abi(-1, Rounding::Floor),
        Err(RiskError::NegativeAmount)
    );
    assert_eq!(
        Value::from_abi(-1, Rounding::Floor),
        Err(RiskError::NegativeAmount)
    );
    assert_eq!(
        Ratio::from_fixed(Fx::from_num(-1)),
        Err(RiskError::NegativeAmount)
    );
    assert_eq!(
        Price::from_adapter(0, 14, Rounding::Floor),
        Err(RiskError::InvalidPrice)
    );
    assert_eq!(
        Price::from_adapter(-5, 14, Rounding::Floor),
        Err(RiskError::InvalidPrice)
    );
    assert_eq!(
        Price::from_adapter(1, MAX_DECIMALS + 1, Rounding::Floor),
        Err(RiskError::InvalidDecimals)
    );
    assert_eq!(TokenUnit::new(19), Err(RiskError::InvalidDecimals));
    assert_eq!(
        Quote::from_adapter(10, 11, 12, 14),
        Err(RiskError::InvalidQuote)
    );
    assert_eq!(
        Quote::from_adapter(10, 9, 9, 14),
        Err(RiskError::InvalidQuote)
    );
    assert_eq!(
        Quote::from_adapter(10, 0, 12, 14),
        Err(RiskError::InvalidPrice)
    );
    assert_eq!(
        Value::ZERO.checked_sub(Value::from_abi(1, Rounding::Ceil).unwrap()),
        Err(RiskError::Underflow)
    );
    assert_eq!(Value::MAX.checked_add(Value::MAX), Err(RiskError::Overflow));
    assert_eq!(
        Value::MAX.ratio_to(Value::ZERO, Rounding::Floor),
        Err(RiskError::DivisionByZero)
    );
    assert_eq!(
        Ratio::MAX.checked_mul(Ratio::MAX, Rounding::Floor),
        Err(RiskError::Overflow)
    );
    // 1e30 base units of a 0-decimal token is 1e30 whole tokens: beyond the range.
    let unit = TokenUnit::new(0).unwrap();
    assert_eq!(
        Tokens::from_base_units(10i128.pow(30), unit, Rounding::Floor),
        Err(RiskError::Overflow)
    );
    assert_eq!(
        Tokens::from_base_units(i128::MIN, unit, Rounding::Ceil),
        Err(RiskError::Overflow)
    );
}

#[test]
fn error_codes_are_stable_and_round_trip() {
    for (i, e) in RiskError::ALL.iter().enumerate() {
        assert_eq!(e.code(), i as u32 + 1);
        assert_eq!(RiskError::from_code(e.code()), Some(*e));
    }
    assert_eq!(RiskError::Overflow.code(), 1);
    assert_eq!(RiskError::DivisionByZero.code(), 2);
    assert_eq!(RiskError::from_code(0), None);
    assert_eq!(RiskError::from_code(100), None);
}

#[test]
fn value_of_one_eth_at_a_fractional_price() {
    // value(n, price) = |n| * price / 10^d = 1.5e18 * 3000.5 / 1e18 = 4500.75 (exact in binary).
    let unit = TokenUnit::new(18).unwrap();
    let price = Price::from_adapter(300_050_000_000_000_000, 14, Rounding::Floor).unwrap();
    for r in BOTH {
        let value = token_value(-1_500_000_000_000_000_000, unit, price, r).unwrap();
        assert_eq!(value.to_abi(r), 45_007_500_000);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Prices of any decimals (0..=24) and size convert to the exact floor/ceil bits, or overflow.
    #[test]
    fn prices_convert_to_exact_directed_bits(raw in 1i128..=i128::MAX, decimals in 0u32..=MAX_DECIMALS) {
        for r in BOTH {
            let expected = exact_bits(raw, decimals, r);
            match Price::from_adapter(raw, decimals, r) {
                Ok(p) => prop_assert_eq!(big(p.to_bits()), expected),
                Err(e) => {
                    prop_assert_eq!(e, RiskError::Overflow);
                    prop_assert!(expected > big(i128::MAX));
                }
            }
        }
    }

    /// Signed token amounts round toward the requested side on the number line.
    #[test]
    fn signed_amounts_convert_to_exact_directed_bits(raw in any::<i128>(), decimals in 0u32..=18) {
        let unit = TokenUnit::new(decimals).unwrap();
        for r in BOTH {
            let expected = exact_bits(raw, decimals, r);
            match Tokens::from_base_units(raw, unit, r) {
                Ok(t) => prop_assert_eq!(big(t.to_fixed().to_bits()), expected),
                Err(e) => {
                    prop_assert_eq!(e, RiskError::Overflow);
                    prop_assert!(expected.magnitude() >= &(num_bigint::BigUint::from(1u8) << 127u32));
                }
            }
        }
    }

    /// Back to base units: floor never pays out more than the amount, ceil never collects less.
    #[test]
    fn base_units_round_trip_in_the_protocols_favour(raw in -(10i128.pow(30))..10i128.pow(30), decimals in 0u32..=18) {
        let unit = TokenUnit::new(decimals).unwrap();
        prop_assume!(raw.unsigned_abs() / 10u128.pow(decimals) < 1 << 78);
        let down = Tokens::from_base_units(raw, unit, Rounding::Floor).unwrap();
        let up = Tokens::from_base_units(raw, unit, Rounding::Ceil).unwrap();
        prop_assert!(down.to_base_units(unit, Rounding::Floor).unwrap() <= raw);
        prop_assert!(up.to_base_units(unit, Rounding::Ceil).unwrap() >= raw);
    }

    /// ABI ratios and values: both directions bracket the exact decimal.
    #[test]
    fn abi_conversions_bracket_the_exact_value(raw in 0i128..10i128.pow(30)) {
        let down = Value::from_abi(raw, Rounding::Floor).unwrap();
        let up = Value::from_abi(raw, Rounding::Ceil).unwrap();
        prop_assert_eq!(big(down.to_bits()), exact_bits(raw, 7, Rounding::Floor));
        prop_assert_eq!(big(up.to_bits()), exact_bits(raw, 7, Rounding::Ceil));
        prop_assert_eq!(down.to_abi(Rounding::Ceil), raw);
        prop_assert_eq!(up.to_abi(Rounding::Floor), raw);
    }

    /// Products and quotients are the exact floor/ceil of the real result.
    #[test]
    fn products_and_quotients_are_exactly_directed(a in 0i128..=i128::MAX, b in 0i128..(1i128 << 100)) {
        let (va, rb) = (Value::from_bits(a).unwrap(), Ratio::from_bits(b).unwrap());
        for r in BOTH {
            let product = div_round(&(big(a) * big(b)), &two_pow_frac(), r);
            match va.mul_ratio(rb, r) {
                Ok(v) => prop_assert_eq!(big(v.to_bits()), product),
                Err(e) => prop_assert!(e == RiskError::Overflow && product > big(i128::MAX)),
            }
            if b == 0 {
                continue;
            }
            let quotient = div_round(&(big(a) * two_pow_frac()), &big(b), r);
            match va.ratio_to(Value::from_bits(b).unwrap(), r) {
                Ok(q) => prop_assert_eq!(big(q.to_bits()), quotient),
                Err(e) => prop_assert!(e == RiskError::Overflow && quotient > big(i128::MAX)),
            }
        }
    }
}

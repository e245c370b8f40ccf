//! A live auction's price computed natively, as liquidation-auction's `price` view computes it
//! (SPEC §7.3, §7.5): `risk_core::price` on the auction's start price and the governance curve,
//! `risk_core::needs_reset` against `tail` and `cusp`, and the ABI form (debt tokens per
//! collateral token, 14 decimals, rounded up).
//!
//! What it needs is read once: the curve, `tail` and `cusp` from the `params` view (again after a
//! `params_set` event), and an auction's start price and start time from its `auction` view
//! (again after an `auction_reset` event). A keeper then prices every live auction each step
//! without a contract call.

use risk_core::{interest::mul_div, AuctionPrice, Curve, Ratio, RiskError, Rounding, FRAC_BITS};

use super::config::PRICE_ONE;
use crate::val::Val;

/// The auction parameters the price depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurveParams {
    /// The price curve.
    pub curve: Curve,
    /// An auction older than this (seconds) needs a reset.
    pub tail: u64,
    /// An auction whose price fell below `cusp * top` needs a reset.
    pub cusp: Ratio,
}

impl CurveParams {
    /// From the value of the `params` view (`AuctionParams`: `curve` is `Linear(tau)` or
    /// `StairstepExp(cut, step)`, `cusp` and `cut` 7-decimal ratios, read rounded down as the
    /// contract reads them).
    ///
    /// # Errors
    ///
    /// A field is missing or of the wrong type, or the curve is invalid.
    pub fn from_abi(params: &Val) -> Result<Self, String> {
        let field = |name: &str| {
            params
                .field(name)
                .ok_or_else(|| format!("params: no {name}"))
        };
        let (kind, args) = field("curve")?
            .variant()
            .ok_or("params: curve is not an enum value")?;
        let curve = match (kind, args) {
            ("Linear", [tau]) => Curve::Linear {
                tau: tau.as_u64().ok_or("params: Linear tau")?,
            },
            ("StairstepExp", [cut, step]) => Curve::StairstepExp {
                cut: ratio(cut.as_i128().ok_or("params: StairstepExp cut")?)?,
                step: step.as_u64().ok_or("params: StairstepExp step")?,
            },
            _ => return Err(format!("params: unknown curve {kind}")),
        };
        curve.validate().map_err(|e| format!("params: {e:?}"))?;
        Ok(CurveParams {
            curve,
            tail: field("tail")?.as_u64().ok_or("params: tail")?,
            cusp: ratio(field("cusp")?.as_i128().ok_or("params: cusp")?)?,
        })
    }

    /// The `price` view's answer for an auction started (or last reset) at `start` with start
    /// price `top`, at ledger time `now`: the price in ABI form and whether it needs a reset.
    ///
    /// # Errors
    ///
    /// The risk core's (an invalid curve), or an ABI price beyond `i128`.
    pub fn price(&self, clock: &AuctionClock, now: u64) -> Result<(i128, bool), RiskError> {
        let elapsed = now.saturating_sub(clock.start);
        let p = risk_core::price(clock.top, &self.curve, elapsed)?;
        let reset = risk_core::needs_reset(elapsed, p, clock.top, self.tail, self.cusp);
        Ok((price_to_abi(p)?, reset))
    }
}

fn ratio(raw: i128) -> Result<Ratio, String> {
    Ratio::from_abi(raw, Rounding::Floor).map_err(|e| format!("params: ratio {raw}: {e:?}"))
}

/// When an auction's price started falling, and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuctionClock {
    /// The start price (of the start or the last reset).
    pub top: AuctionPrice,
    /// The ledger time of the start or the last reset (unix seconds).
    pub start: u64,
}

impl AuctionClock {
    /// From the value of the `auction` view (`top` as raw price bits, `start` in seconds).
    ///
    /// # Errors
    ///
    /// A field is missing or of the wrong type, or `top` is not a price.
    pub fn from_abi(auction: &Val) -> Result<Self, String> {
        let top = auction
            .field("top")
            .and_then(Val::as_i128)
            .ok_or("auction: no top")?;
        let start = auction
            .field("start")
            .and_then(Val::as_u64)
            .ok_or("auction: no start")?;
        Ok(AuctionClock {
            top: AuctionPrice::from_bits(top).map_err(|e| format!("auction: top: {e:?}"))?,
            start,
        })
    }
}

/// A price in the ABI form: debt tokens per collateral token with 14 decimals, rounded up (the
/// form of the auction's `price` view and of a take's `max_price`).
///
/// # Errors
///
/// [`RiskError::Overflow`] beyond `i128`.
pub fn price_to_abi(p: AuctionPrice) -> Result<i128, RiskError> {
    let abi = mul_div(
        p.to_bits().unsigned_abs(),
        PRICE_ONE as u128,
        1 << FRAC_BITS,
        Rounding::Ceil,
    )?;
    i128::try_from(abi).map_err(|_| RiskError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val_map(fields: Vec<(&str, Val)>) -> Val {
        Val::Map(
            fields
                .into_iter()
                .map(|(k, v)| (Val::Symbol(k.to_owned()), v))
                .collect(),
        )
    }

    fn params(curve: Val) -> Val {
        val_map(vec![
            ("curve", curve),
            ("tail", Val::U64(3_600)),
            ("cusp", Val::I128(6_000_000)),
        ])
    }

    #[test]
    fn both_curve_kinds_are_read_from_the_params_view() {
        let linear = Val::Vec(vec![Val::Symbol("Linear".into()), Val::U64(600)]);
        let p = CurveParams::from_abi(&params(linear)).unwrap();
        assert_eq!(p.curve, Curve::Linear { tau: 600 });
        assert_eq!(p.tail, 3_600);
        assert_eq!(p.cusp, Ratio::from_abi(6_000_000, Rounding::Floor).unwrap());

        let stair = Val::Vec(vec![
            Val::Symbol("StairstepExp".into()),
            Val::I128(9_900_000),
            Val::U64(30),
        ]);
        let p = CurveParams::from_abi(&params(stair)).unwrap();
        assert_eq!(
            p.curve,
            Curve::StairstepExp {
                cut: Ratio::from_abi(9_900_000, Rounding::Floor).unwrap(),
                step: 30
            }
        );
    }

    #[test]
    fn a_malformed_or_invalid_curve_is_refused() {
        let zero_tau = Val::Vec(vec![Val::Symbol("Linear".into()), Val::U64(0)]);
        assert!(CurveParams::from_abi(&params(zero_tau)).is_err());
        let unknown = Val::Vec(vec![Val::Symbol("Cliff".into()), Val::U64(5)]);
        assert!(CurveParams::from_abi(&params(unknown)).is_err());
        assert!(CurveParams::from_abi(&Val::Void).is_err());
    }

    #[test]
    fn a_linear_price_falls_to_zero_at_tau_and_needs_a_reset_past_the_cusp() {
        let p = CurveParams {
            curve: Curve::Linear { tau: 1_000 },
            tail: 3_600,
            cusp: Ratio::from_abi(6_000_000, Rounding::Floor).unwrap(),
        };
        // top = 2.0 debt tokens per collateral token.
        let clock = AuctionClock {
            top: AuctionPrice::from_bits(2 << FRAC_BITS).unwrap(),
            start: 10_000,
        };
        assert_eq!(p.price(&clock, 10_000).unwrap(), (2 * PRICE_ONE, false));
        assert_eq!(p.price(&clock, 10_250).unwrap(), (3 * PRICE_ONE / 2, false));
        // 0.6 of top at 400 s: not below the cusp yet; just after, below.
        assert!(!p.price(&clock, 10_400).unwrap().1);
        assert!(p.price(&clock, 10_401).unwrap().1);
        assert_eq!(p.price(&clock, 11_000).unwrap(), (0, true));
    }

    #[test]
    fn the_abi_price_rounds_up() {
        let tiny = AuctionPrice::from_bits(1).unwrap();
        assert_eq!(price_to_abi(tiny).unwrap(), 1);
        let one = AuctionPrice::from_bits(1 << FRAC_BITS).unwrap();
        assert_eq!(price_to_abi(one).unwrap(), PRICE_ONE);
    }
}

//! Dutch-auction arithmetic of liquidation-auction (SPEC §7.2–7.5): the start price, the price
//! curves, the reset test, the take and the keeper bonus. Pure and host-free, so the contract,
//! the keeper and the simulator price every take identically.
//!
//! ## Prices
//!
//! An [`AuctionPrice`] is whole debt tokens per whole collateral token, in fixed point: the
//! ratio of two USD prices, free of the tokens' decimals, so it keeps the 2^-48 resolution of
//! [`Fx`] whatever the decimals are (a per-base-unit price of an 18-decimal collateral against a
//! 6-decimal debt would be `1e-12` of it and lose most digits). Decimals enter once, in
//! [`PairUnits`], when a take turns collateral base units into debt base units with one exact
//! 256-bit product and one rounding.
//!
//! ## Rounding
//!
//! Everything a keeper pays rounds up (the start price, the curve, `owe`); everything it
//! receives rounds down (a slice capped by the tab, the bonus). So `owe >= slice * price(now)`
//! holds exactly, and no keeper buys below the curve (SPEC §12.5).

use core::num::{NonZeroU128, NonZeroU64};

use crate::interest::mul_div;
use crate::math::{mul_bits, wide_mul};
use crate::newtype::non_negative_fixed;
use crate::{pow10, Fx, Quote, Ratio, RiskError, Rounding, TokenUnit};
use crate::{FRAC_BITS, MAX_TOKEN_DECIMALS};

mod bonus;

pub use bonus::{keeper_bonus, reset_bonus_due, Bonus, BonusBasis};

/// `1.0` in bits.
const ONE_BITS: u128 = 1 << FRAC_BITS;

/// Largest stairstep `cut`: `1 - 2^-16` (about 0.99998). Closer to 1, the rounding error of the
/// power could exceed one step's fall and the curve would lose its monotonicity.
pub const MAX_CUT_BITS: i128 = (1 << FRAC_BITS) - (1 << (FRAC_BITS - 16));

/// Fraction of `top` (`2^-24`, about `6e-8`) at which the stairstep curve stops falling: below
/// it a power's relative rounding error is no longer small against one step, and such a price
/// sells collateral for nothing anyway (the `cusp` reset comes long before).
const STAIRSTEP_FLOOR_BITS: u128 = 1 << (FRAC_BITS - 24);

/// Default `buf`: the start price is 5 % above the spot ratio (7-decimal ABI form).
pub const DEFAULT_BUF_ABI: i128 = 10_500_000;
/// Default stairstep `cut` per step: 0.99 (7-decimal ABI form).
pub const DEFAULT_CUT_ABI: i128 = 9_900_000;
/// Default stairstep `step`: 30 seconds.
pub const DEFAULT_STEP: u64 = 30;
/// Default `tail`: an auction older than one hour needs a reset.
pub const DEFAULT_TAIL: u64 = 3_600;
/// Default `cusp`: an auction whose price fell below 60 % of `top` needs a reset (ABI form).
pub const DEFAULT_CUSP_ABI: i128 = 6_000_000;

/// Whole debt tokens per whole collateral token (SPEC §7.3), non-negative fixed point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuctionPrice(Fx);

non_negative_fixed!(AuctionPrice, "auction price");

/// The decimals of an auction's two tokens, folded into the two integer factors a take needs:
/// `debt = collateral * price * up / down` with `up = 10^max(0, d_debt - d_coll)` and
/// `down = 2^48 * 10^max(0, d_coll - d_debt)` (below `2^108`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PairUnits {
    up: NonZeroU128,
    down: u128,
}

impl PairUnits {
    /// The units of a collateral/debt pair.
    ///
    /// # Arguments
    /// * `collateral`, `debt` - the two tokens' units.
    ///
    /// # Errors
    /// * [`RiskError::InvalidDecimals`] - a decimals count above 18 (not reachable through
    ///   [`TokenUnit::new`]).
    pub fn new(collateral: TokenUnit, debt: TokenUnit) -> Result<PairUnits, RiskError> {
        let (dc, dd) = (collateral.decimals(), debt.decimals());
        if dc > MAX_TOKEN_DECIMALS || dd > MAX_TOKEN_DECIMALS {
            return Err(RiskError::InvalidDecimals);
        }
        let up = NonZeroU128::new(pow10(dd.saturating_sub(dc))?).ok_or(RiskError::Overflow)?;
        let down = pow10(dc.saturating_sub(dd))? << FRAC_BITS;
        Ok(PairUnits { up, down })
    }

    /// `collateral * price` in debt base units, rounded: one exact product, one rounding.
    ///
    /// # Errors
    /// * [`RiskError::Overflow`] - the result exceeds `u128`.
    pub fn debt_for(
        &self,
        collateral: u128,
        price: AuctionPrice,
        rounding: Rounding,
    ) -> Result<u128, RiskError> {
        let scaled = collateral
            .checked_mul(self.up.get())
            .ok_or(RiskError::Overflow)?;
        mul_div(scaled, price.magnitude(), self.down, rounding)
    }

    /// `debt / price` in collateral base units, rounded (nested floors or ceilings of positive
    /// integers by integers are exact, so this is one rounding too).
    ///
    /// # Errors
    /// * [`RiskError::InvalidPrice`] - `price` is zero.
    /// * [`RiskError::Overflow`] - the result exceeds `u128`.
    pub fn collateral_for(
        &self,
        debt: u128,
        price: AuctionPrice,
        rounding: Rounding,
    ) -> Result<u128, RiskError> {
        if price.is_zero() {
            return Err(RiskError::InvalidPrice);
        }
        let scaled = mul_div(debt, self.down, price.magnitude(), rounding)?;
        let up = self.up;
        let rem = (rounding == Rounding::Ceil && scaled % up != 0) as u128;
        // up = 1 leaves no remainder, and up >= 10 leaves room for the carry: cannot wrap.
        Ok((scaled / up).wrapping_add(rem))
    }
}

/// The price curve of an auction (SPEC §7.3), chosen by governance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    /// `price = top * (tau - elapsed) / tau`, zero from `tau` seconds on.
    Linear {
        /// Seconds until the price reaches zero (> 0).
        tau: u64,
    },
    /// `price = top * cut^floor(elapsed / step)`.
    StairstepExp {
        /// Factor per step, in `(0, 1 - 2^-16]` (default 0.99).
        cut: Ratio,
        /// Seconds per step (> 0, default 30).
        step: u64,
    },
}

impl Curve {
    /// Checks the curve's parameters.
    ///
    /// # Errors
    /// * [`RiskError::InvalidCurve`] - `tau` or `step` is zero, or `cut` is outside
    ///   `(0, 1 - 2^-16]` ([`MAX_CUT_BITS`]).
    pub fn validate(&self) -> Result<(), RiskError> {
        let ok = match *self {
            Curve::Linear { tau } => tau > 0,
            Curve::StairstepExp { cut, step } => {
                step > 0 && !cut.is_zero() && cut.to_bits() <= MAX_CUT_BITS
            }
        };
        if ok {
            Ok(())
        } else {
            Err(RiskError::InvalidCurve)
        }
    }
}

/// The start price `top = spot(collateral) / spot(debt) * buf` (SPEC §7.3), rounded up.
///
/// # Arguments
/// * `collateral`, `debt` - the two assets' quotes; the spot prices are taken rounded up
///   (collateral) and down (debt), so `top` is never below the exact ratio times `buf`.
/// * `buf` - the start premium (default 1.05, [`DEFAULT_BUF_ABI`]).
///
/// # Errors
/// * [`RiskError::Overflow`] - `top` exceeds [`AuctionPrice::MAX`].
/// * [`RiskError::InvalidPrice`] - the debt's spot is below `2^-48` USD.
///
/// # Notes
/// One 256-bit product and one division, no fixed-point division.
pub fn top_price(collateral: &Quote, debt: &Quote, buf: Ratio) -> Result<AuctionPrice, RiskError> {
    let coll = collateral.spot(Rounding::Ceil)?;
    let debt = debt.spot(Rounding::Floor)?;
    if debt.is_zero() {
        return Err(RiskError::InvalidPrice);
    }
    let bits = mul_div(
        coll.to_bits() as u128,
        buf.to_bits() as u128,
        debt.to_bits() as u128,
        Rounding::Ceil,
    )?;
    AuctionPrice::from_bits(i128::try_from(bits).map_err(|_| RiskError::Overflow)?)
}

/// The auction price `elapsed` seconds after the start: `top * curve(elapsed)`, rounded up.
///
/// ```text
/// Linear:        price = ceil(top * max(tau - elapsed, 0) / tau)
/// StairstepExp:  price = ceil(top * max(cut^k, 2^-24)),  k = floor(elapsed / step)
/// ```
///
/// # Arguments
/// * `top` - the start price ([`top_price`]).
/// * `curve` - the governance-chosen curve.
/// * `elapsed` - seconds since the start (or the last reset).
///
/// # Errors
/// * [`RiskError::InvalidCurve`] - as [`Curve::validate`].
///
/// # Notes
/// The stairstep power is computed by squaring with every product rounded up (at most two
/// products per bit of `k`, and it stops once a power falls below the `2^-24` floor, so at most
/// about 40 for any `cut`), an upper bound of the exact power. Both curves are non-increasing in
/// `elapsed`: for the stairstep, `cut <= 1 - 2^-16` keeps the accumulated relative error
/// (below `2^-18` above the floor) smaller than one step's fall.
pub fn price(top: AuctionPrice, curve: &Curve, elapsed: u64) -> Result<AuctionPrice, RiskError> {
    curve.validate()?;
    let top_bits = top.magnitude();
    let bits = match *curve {
        Curve::Linear { tau } => {
            let left = tau.saturating_sub(elapsed) as u128;
            mul_div(top_bits, left, tau as u128, Rounding::Ceil)?
        }
        Curve::StairstepExp { cut, step } => {
            let step = NonZeroU64::new(step).ok_or(RiskError::InvalidCurve)?;
            let factor = stairstep_factor(cut.to_bits() as u128, elapsed / step)?;
            mul_bits(top_bits, factor, Rounding::Ceil)?
        }
    };
    Ok(AuctionPrice::from_magnitude(bits))
}

/// `max(cut^steps, 2^-24)` as bits, an upper bound of the exact power (square-and-multiply with
/// every product rounded up). Every value is at most 1, so no product overflows.
fn stairstep_factor(cut: u128, steps: u64) -> Result<u128, RiskError> {
    let (mut factor, mut base, mut k) = (ONE_BITS, cut, steps);
    while k != 0 {
        if k & 1 == 1 {
            factor = mul_bits(factor, base, Rounding::Ceil)?;
        }
        k >>= 1;
        if factor < STAIRSTEP_FLOOR_BITS {
            return Ok(STAIRSTEP_FLOOR_BITS);
        }
        if k != 0 {
            base = mul_bits(base, base, Rounding::Ceil)?;
            // A higher bit of k is set, so the exact power is at most this upper bound of
            // cut^(2^j): already below the floor.
            if base < STAIRSTEP_FLOOR_BITS {
                return Ok(STAIRSTEP_FLOOR_BITS);
            }
        }
    }
    Ok(factor)
}

/// Whether an auction needs a reset (SPEC §7.5): `elapsed > tail` or `price / top < cusp`,
/// decided as `price * 1 < top * cusp` on exact 256-bit products (no division).
///
/// # Arguments
/// * `elapsed` - seconds since the start (or the last reset).
/// * `price` - the current price ([`price`]); `top` - the start price.
/// * `tail` - the longest an auction runs (default 1 h, [`DEFAULT_TAIL`]).
/// * `cusp` - the lowest fraction of `top` it sells at (default 0.6, [`DEFAULT_CUSP_ABI`]).
pub fn needs_reset(
    elapsed: u64,
    price: AuctionPrice,
    top: AuctionPrice,
    tail: u64,
    cusp: Ratio,
) -> bool {
    let floor = wide_mul(top.magnitude(), cusp.to_bits() as u128);
    elapsed > tail || wide_mul(price.magnitude(), ONE_BITS) < floor
}

/// The outcome of a take, in base units: the keeper receives `slice` collateral and pays `owe`
/// debt; the auction keeps `lot_after` and `tab_after`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Take {
    /// Collateral sold (base units).
    pub slice: i128,
    /// Debt paid (base units).
    pub owe: i128,
    /// Tab left (debt base units).
    pub tab_after: i128,
    /// Lot left (collateral base units).
    pub lot_after: i128,
}

/// A take's arithmetic (SPEC §7.4), at the price `price(now)`.
///
/// ```text
/// slice = min(max_collateral, lot);  owe = ceil(slice * price)
/// owe >= tab:                          owe = tab;        slice = min(slice, floor(tab / price))
/// else slice < lot, tab - owe < dust:  owe = tab - dust; slice = floor(owe / price)
///                                      (DustRemainder when tab <= dust)
/// ```
///
/// So `slice * price <= owe <= tab` exactly. The dust rule: a partial take (collateral left in
/// the lot) may not leave a tab below `dust`; when the tab is larger than `dust` the take is
/// trimmed to leave exactly `dust`, and when it is not the take must buy the whole tab (a larger
/// `max_collateral`). A take that empties the lot keeps whatever tab is left.
///
/// # Arguments
/// * `lot`, `tab` - what the auction still holds (collateral) and is owed (debt), base units.
/// * `price` - `price(now)`, non-zero.
/// * `max_collateral` - the keeper's limit (collateral base units).
/// * `dust` - the smallest tab a partial take may leave (debt base units; the contract converts
///   its `dust` value at spot).
/// * `units` - the pair's decimals.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - a negative argument.
/// * [`RiskError::EmptyTake`] - zero `lot`, `tab` or `max_collateral`, or a dust trim that
///   leaves less than one collateral base unit.
/// * [`RiskError::InvalidPrice`] - `price` is zero.
/// * [`RiskError::DustRemainder`] - as described above.
/// * [`RiskError::Overflow`] - a result exceeds `i128`.
///
/// # Notes
/// When the tab is worth less than one collateral base unit, `slice` may be 0 with
/// `owe = tab`: paying that last fraction finishes the auction without selling below the curve.
pub fn take(
    lot: i128,
    tab: i128,
    price: AuctionPrice,
    max_collateral: i128,
    dust: i128,
    units: &PairUnits,
) -> Result<Take, RiskError> {
    let [lot, tab, max, dust] = [lot, tab, max_collateral, dust]
        .map(|x| u128::try_from(x).map_err(|_| RiskError::NegativeAmount));
    let (lot, tab, max, dust) = (lot?, tab?, max?, dust?);
    if lot == 0 || tab == 0 || max == 0 {
        return Err(RiskError::EmptyTake);
    }
    if price.is_zero() {
        return Err(RiskError::InvalidPrice);
    }
    let mut slice = max.min(lot);
    // An overflow here means `owe` is beyond any tab: it is capped below.
    let mut owe = units
        .debt_for(slice, price, Rounding::Ceil)
        .unwrap_or(u128::MAX);
    if owe >= tab {
        owe = tab;
        // Overflow: the tab buys more than any slice, which then stays as it is.
        let affordable = units.collateral_for(tab, price, Rounding::Floor);
        slice = slice.min(affordable.unwrap_or(u128::MAX));
    } else if slice < lot && tab.wrapping_sub(owe) < dust {
        // owe < tab on this branch, so the subtraction above cannot wrap.
        if tab <= dust {
            return Err(RiskError::DustRemainder);
        }
        owe = tab.wrapping_sub(dust);
        slice = units.collateral_for(owe, price, Rounding::Floor)?;
        if slice == 0 {
            return Err(RiskError::EmptyTake);
        }
    }
    // slice <= lot and owe <= tab on every path, all below 2^127: nothing wraps.
    Ok(Take {
        slice: slice as i128,
        owe: owe as i128,
        tab_after: tab.wrapping_sub(owe) as i128,
        lot_after: lot.wrapping_sub(slice) as i128,
    })
}

/// One token of an auction with its quote (for the bonus, which is paid at spot).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AuctionAsset {
    /// The token's unit.
    pub unit: TokenUnit,
    /// Its prices from oracle-adapter.
    pub quote: Quote,
}

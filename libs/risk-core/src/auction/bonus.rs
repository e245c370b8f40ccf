//! The keeper bonus (SPEC §7.2): paid in collateral at spot, funded by the liquidation penalty.

use crate::auction::AuctionAsset;
use crate::interest::mul_div;
use crate::{token_value, Ratio, RiskError, Rounding, Value};

/// The state of an auction that a keeper bonus is computed from (base units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BonusBasis {
    /// The auction's tab (debt).
    pub tab: i128,
    /// The part of the penalty not yet spent on bonuses (debt): what can still fund one.
    pub penalty_left: i128,
    /// The auction's lot (collateral).
    pub lot: i128,
    /// The collateral token.
    pub collateral: AuctionAsset,
    /// The debt token.
    pub debt: AuctionAsset,
}

/// A keeper bonus: `collateral` from the lot to the keeper, and the same value taken off the
/// tab's penalty part (`tab_reduction`, debt base units), so the penalty pays it, not lenders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Bonus {
    /// Collateral paid to the keeper (base units).
    pub collateral: i128,
    /// Debt base units to take off the tab and off `penalty_left`.
    pub tab_reduction: i128,
}

/// The keeper bonus (SPEC §7.2), paid in collateral at spot and funded by the penalty.
///
/// ```text
/// value        = min(tip + chip * value(tab, P_debt), value(penalty_left, P_debt))
/// collateral   = min(floor(value / P_coll), lot)               (collateral base units)
/// tab_reduction = floor(value(collateral, P_coll) / P_debt)     (debt base units)
/// ```
///
/// `tab_reduction <= penalty_left`: the contract lowers the tab by it, so the account's total
/// charge stays `debt_to_cover * (1 + penalty)` and the insurance fund receives the penalty net
/// of bonuses; the debt itself is always repaid in full.
///
/// # Arguments
/// * `tip` - flat part (base currency); `chip` - share of the tab's value.
/// * `basis` - the auction's tab, unspent penalty, lot and quotes.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - a negative amount in `basis`.
/// * [`RiskError::Overflow`] - a value exceeds its range.
///
/// # Notes
/// Values round down, the collateral spot rounds up and the debt spot down: a bonus never
/// exceeds its formula. For a reset, pay it only if [`reset_bonus_due`].
pub fn keeper_bonus(tip: Value, chip: Ratio, basis: &BonusBasis) -> Result<Bonus, RiskError> {
    if basis.tab < 0 || basis.penalty_left < 0 || basis.lot < 0 {
        return Err(RiskError::NegativeAmount);
    }
    let (coll, debt) = (&basis.collateral, &basis.debt);
    let debt_spot = debt.quote.spot(Rounding::Floor)?;
    let tab_value = token_value(basis.tab, debt.unit, debt_spot, Rounding::Floor)?;
    let wanted = tip.checked_add(tab_value.mul_ratio(chip, Rounding::Floor)?)?;
    let fund = token_value(basis.penalty_left, debt.unit, debt_spot, Rounding::Floor)?;
    let value = wanted.min(fund);
    let coll_ceil = coll.quote.spot(Rounding::Ceil)?;
    let collateral = mul_div(
        value.to_bits() as u128,
        coll.unit.base_units_per_token(),
        coll_ceil.to_bits() as u128,
        Rounding::Floor,
    )?
    .min(basis.lot as u128);
    let paid = token_value(
        collateral as i128,
        coll.unit,
        coll.quote.spot(Rounding::Floor)?,
        Rounding::Floor,
    )?;
    let debt_ceil = debt.quote.spot(Rounding::Ceil)?;
    let tab_reduction = mul_div(
        paid.to_bits() as u128,
        debt.unit.base_units_per_token(),
        debt_ceil.to_bits() as u128,
        Rounding::Floor,
    )?
    .min(basis.penalty_left as u128);
    Ok(Bonus {
        collateral: collateral as i128,
        tab_reduction: tab_reduction as i128,
    })
}

/// Whether a reset pays its keeper the bonus (SPEC §7.2): the remaining tab and lot are each
/// worth at least `dust` at spot (values rounded down).
///
/// # Arguments
/// * `basis` - the auction after the reset's fresh prices (`penalty_left` is not used).
/// * `dust` - the auction's dust value (base currency).
///
/// # Errors
/// * [`RiskError::Overflow`] - a value exceeds [`Value::MAX`].
pub fn reset_bonus_due(basis: &BonusBasis, dust: Value) -> Result<bool, RiskError> {
    let (coll, debt) = (&basis.collateral, &basis.debt);
    let tab_value = token_value(
        basis.tab.max(0),
        debt.unit,
        debt.quote.spot(Rounding::Floor)?,
        Rounding::Floor,
    )?;
    let lot_value = token_value(
        basis.lot.max(0),
        coll.unit,
        coll.quote.spot(Rounding::Floor)?,
        Rounding::Floor,
    )?;
    Ok(tab_value >= dust && lot_value >= dust)
}

//! Liquidation sizing (SPEC §3 target, §7.1 start) and the distance to liquidation that the
//! keeper's `watch` mode reports.
//!
//! Sizing works on the account's [`HealthType::LiquidationEnd`](crate::HealthType) sums (init
//! weights, spot prices). An account with live auctions is sized after them: the caller passes
//! sums of the state those auctions end in (each one's `debt_to_cover` repaid and its tab's worth
//! of collateral gone at spot), not of the state with their lots in escrow.
//!
//! Divisions are 256-bit integer `mul_div`s with one rounding each, not fixed-point divisions
//! (about 42,000 instructions each in WASM): sizing a start costs a handful of products.

use crate::auction::AuctionAsset;
use crate::interest::mul_div;
use crate::math::mul_bits;
use crate::{
    token_value, AssetRisk, HealthType, Quote, Ratio, RiskError, Rounding, Value, WeightedSums,
};

/// One side of the liquidated pair: the account's position in it, its risk parameters and
/// its quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizingLeg<'a> {
    /// The position's magnitude in base units (what is owed, or what is held), `>= 0`.
    pub position: i128,
    /// The asset's unit and weights.
    pub asset: &'a AssetRisk,
    /// The asset's prices (spot is used).
    pub quote: &'a Quote,
}

/// Liquidation parameters of a start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizingParams {
    /// The debt asset's `liquidation_penalty` `p`: `tab = debt_to_cover * (1 + p)`.
    pub liquidation_penalty: Ratio,
    /// `liquidation_target_buffer` `b`: the target health is `1 + b` (default 0.02).
    pub target_buffer: Ratio,
    /// Room left under the auction caps (SPEC §7.5), as debt value at spot (base currency).
    pub cap: Value,
    /// The debt asset's `min_debt_value`: a smaller remainder is covered too.
    pub min_debt_value: Value,
}

/// What bounded a [`Cover`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoverLimit {
    /// The least amount reaching the target (0: the account is already there).
    Target,
    /// The whole debt position, because the target amount would leave a dust remainder.
    Dust,
    /// The whole debt position, short of the target.
    DebtPosition,
    /// What the collateral position can pay for, tab included, at spot.
    CollateralPosition,
    /// The auction caps (0: nothing fits).
    Cap,
}

/// The size of an auction: `debt_to_cover` and `tab` in debt base units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cover {
    /// Debt to repay from the auction's proceeds.
    pub debt_to_cover: i128,
    /// `ceil(debt_to_cover * (1 + liquidation_penalty))`.
    pub tab: i128,
    /// What bounded `debt_to_cover`.
    pub limit: CoverLimit,
}

/// The least debt whose repayment, with the collateral it releases (its tab at spot), brings
/// the account's LiquidationEnd health to `1 + b` (SPEC §3, §7.1).
///
/// With `A`, `L` the LiquidationEnd sums, `P_d` the debt's spot, `w_d` its `liab_weight_init`,
/// `w_c` the collateral's `asset_weight_init`, `p` the penalty and `x` whole debt tokens:
///
/// ```text
/// A - x P_d (1+p) w_c  >=  (1+b) (L - x P_d w_d)
/// x  >=  ((1+b) L - A) / (P_d ((1+b) w_d - (1+p) w_c))
/// x_cover = min(ceil(x * 10^d_d), debt position, collateral cap, auction cap)
/// collateral cap = floor(value(collateral position) / (P_d (1+p)) * 10^d_d)
/// auction cap    = floor(cap / P_d * 10^d_d)
/// ```
///
/// The denominator is positive under the config rules: `w_d >= 1` and `b >= 0` give
/// `(1+b) w_d >= 1`, while `w_c <= asset_weight_maint` and `asset_weight_maint (1+p) < 1`
/// give `(1+p) w_c < 1`. If the debt left after `x_cover` is worth less than `min_debt_value`
/// (spot, rounded up) and the whole position fits both caps, the whole position is covered.
///
/// # Arguments
/// * `end` - the account's LiquidationEnd sums, after its live auctions.
/// * `debt`, `collateral` - the pair's positions, risk parameters and quotes.
/// * `params` - penalty, target buffer, cap room and minimum debt.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - a negative position.
/// * [`RiskError::TargetUnreachable`] - the denominator is not positive.
/// * [`RiskError::InvalidPrice`] - the debt's spot is below `2^-48` USD.
/// * [`RiskError::Overflow`] - a result exceeds its range.
///
/// # Notes
/// Rounding is toward covering more where the target binds (`(1+b) L` up, `(1+b) w_d` down,
/// `(1+p) w_c` up, `P_d` down, the quotient up), so the exact end health of the given sums is
/// at least `1 + b`; and toward less where a position or cap binds, so none is exceeded.
pub fn debt_to_cover(
    end: &WeightedSums,
    debt: &SizingLeg,
    collateral: &SizingLeg,
    params: &SizingParams,
) -> Result<Cover, RiskError> {
    let (n_d, n_c) = (magnitude(debt.position)?, magnitude(collateral.position)?);
    let one_p = Ratio::ONE.checked_add(params.liquidation_penalty)?;
    let target = target_cover(end, debt, collateral.asset, one_p, params.target_buffer)?;
    let debt_units = debt.asset.unit().base_units_per_token();
    let p_d_ceil = debt.quote.spot(Rounding::Ceil)?.to_bits() as u128;
    let coll_value = token_value(
        n_c as i128,
        collateral.asset.unit(),
        collateral.quote.spot(Rounding::Floor)?,
        Rounding::Floor,
    )?;
    let tab_price = mul_bits(p_d_ceil, one_p.to_bits() as u128, Rounding::Ceil)?;
    let coll_cap = bits_div(coll_value.to_bits(), debt_units, tab_price, Rounding::Floor)?;
    let auction_cap = bits_div(params.cap.to_bits(), debt_units, p_d_ceil, Rounding::Floor)?;
    let (mut x, mut limit) = (target, CoverLimit::Target);
    for (bound, why) in [
        (n_d, CoverLimit::DebtPosition),
        (coll_cap, CoverLimit::CollateralPosition),
        (auction_cap, CoverLimit::Cap),
    ] {
        if bound < x {
            (x, limit) = (bound, why);
        }
    }
    if x > 0 && x < n_d && n_d <= coll_cap.min(auction_cap) {
        let rest = token_value(
            n_d.wrapping_sub(x) as i128, // x < n_d < 2^127
            debt.asset.unit(),
            debt.quote.spot(Rounding::Ceil)?,
            Rounding::Ceil,
        )?;
        if rest < params.min_debt_value {
            (x, limit) = (n_d, CoverLimit::Dust);
        }
    }
    let tab = mul_bits(x, one_p.to_bits() as u128, Rounding::Ceil)?;
    Ok(Cover {
        debt_to_cover: x as i128,
        tab: i128::try_from(tab).map_err(|_| RiskError::Overflow)?,
        limit,
    })
}

/// `ceil(((1+b) L - A) / (P_d ((1+b) w_d - (1+p) w_c)) * 10^d_d)` in debt base units, or
/// `u128::MAX` when it does not fit (any position caps it).
fn target_cover(
    end: &WeightedSums,
    debt: &SizingLeg,
    collateral: &AssetRisk,
    one_p: Ratio,
    buffer: Ratio,
) -> Result<u128, RiskError> {
    let one_b = Ratio::ONE.checked_add(buffer)?;
    let need = end.liabs.mul_ratio(one_b, Rounding::Ceil)?;
    if end.assets >= need {
        return Ok(0);
    }
    let gap = need.checked_sub(end.assets)?.to_bits() as u128;
    let w_d = debt.asset.weights().liab_weight_init();
    let w_c = collateral.weights().asset_weight_init();
    let gain = one_b.checked_mul(w_d, Rounding::Floor)?;
    let loss = one_p.checked_mul(w_c, Rounding::Ceil)?;
    if gain <= loss {
        return Err(RiskError::TargetUnreachable);
    }
    let per_value = gain.checked_sub(loss)?.to_bits() as u128;
    let p_d = debt.quote.spot(Rounding::Floor)?.to_bits() as u128;
    if p_d == 0 {
        return Err(RiskError::InvalidPrice);
    }
    let units = debt.asset.unit().base_units_per_token();
    // Value of debt to cover, then whole tokens in base units: two roundings, both up.
    let covered = mul_div(gap, 1 << crate::FRAC_BITS, per_value, Rounding::Ceil)
        .and_then(|value| mul_div(value, units, p_d, Rounding::Ceil));
    match covered {
        Err(RiskError::Overflow) => Ok(u128::MAX),
        other => other,
    }
}

/// `bits * units / price_bits`: a value (bits) at a price (bits) in base units.
fn bits_div(bits: i128, units: u128, price: u128, rounding: Rounding) -> Result<u128, RiskError> {
    match mul_div(bits as u128, units, price, rounding) {
        Err(RiskError::DivisionByZero) => Err(RiskError::InvalidPrice),
        other => other,
    }
}

fn magnitude(amount: i128) -> Result<u128, RiskError> {
    u128::try_from(amount).map_err(|_| RiskError::NegativeAmount)
}

/// The lot of a start (SPEC §7.1): enough collateral to cover the tab at spot with a `margin`,
/// capped by the position.
///
/// ```text
/// lot = min(collateral position, ceil(value(tab, P_d) * margin / P_c * 10^d_c))
/// ```
///
/// The lot covers the tab at every auction price `>= (P_c / P_d) / margin`. `margin = buf`
/// (1.05) covers it down to about 4.8 % below the spot ratio; `margin = 1 / (cusp * buf)`
/// covers it at every price before the `cusp` reset, at the cost of escrowing more. What is
/// not sold returns to the account when the tab is paid.
///
/// # Arguments
/// * `tab` - the auction's tab (debt base units).
/// * `margin` - `>= 1` in practice (see above).
/// * `collateral_position` - the account's collateral (base units).
/// * `collateral`, `debt` - the two tokens with their quotes.
///
/// # Errors
/// * [`RiskError::NegativeAmount`] - a negative `tab` or position.
/// * [`RiskError::InvalidPrice`] - the collateral's spot is below `2^-48` USD.
/// * [`RiskError::Overflow`] - a value exceeds its range.
pub fn lot_size(
    tab: i128,
    margin: Ratio,
    collateral_position: i128,
    collateral: &AuctionAsset,
    debt: &AuctionAsset,
) -> Result<i128, RiskError> {
    let (_, position) = (magnitude(tab)?, magnitude(collateral_position)?);
    let tab_value = token_value(
        tab,
        debt.unit,
        debt.quote.spot(Rounding::Ceil)?,
        Rounding::Ceil,
    )?;
    let wanted = tab_value.mul_ratio(margin, Rounding::Ceil)?;
    let p_c = collateral.quote.spot(Rounding::Floor)?.to_bits() as u128;
    let units = collateral.unit.base_units_per_token();
    let lot = match bits_div(wanted.to_bits(), units, p_c, Rounding::Ceil) {
        Err(RiskError::Overflow) => position,
        other => other?.min(position),
    };
    Ok(lot as i128)
}

/// The factor `m` by which one asset's spot price must move for the account's maint health to
/// be exactly 1 (keeper margin calls, SPEC §3, issue 8). With `A`, `L` the maint sums and `a`
/// (`l`) the asset's maint-weighted collateral (debt) term:
///
/// ```text
/// collateral:  A - a + m a = L   =>  m = (L - (A - a)) / a     liquidatable when P' < m P
/// debt:        A = L - l + m l   =>  m = (A - (L - l)) / l     liquidatable when P' > m P
/// ```
///
/// `m < 1` for a healthy account's collateral means a fall of `1 - m`; `m > 1` for its debt a
/// rise of `m - 1`. `None` when no such factor exists: a zero term, collateral whose loss
/// still leaves `A - a >= L`, debt already too large at any price (`A < L - l`), or `m` beyond
/// [`Ratio::MAX`].
///
/// # Arguments
/// * `maint` - the account's maint sums (including this position).
/// * `amount`, `asset`, `quote` - the position (signed base units), its parameters and quote.
///
/// # Errors
/// * [`RiskError::Underflow`] - the position's term exceeds its sum (inconsistent inputs).
/// * [`RiskError::Overflow`] - the position's value exceeds [`Value::MAX`].
///
/// # Notes
/// One fixed-point division, meant for native use. `m` rounds toward liquidation (up for
/// collateral, down for debt), so a margin call is never late.
pub fn price_move_to_liquidation(
    maint: &WeightedSums,
    amount: i128,
    asset: &AssetRisk,
    quote: &Quote,
) -> Result<Option<Ratio>, RiskError> {
    let mut own = WeightedSums::ZERO;
    own.add_position(HealthType::Maint, amount, asset, quote)?;
    let (term, gap, rounding) = if amount > 0 {
        let rest = maint.assets.checked_sub(own.assets)?;
        match maint.liabs.checked_sub(rest) {
            Ok(gap) if !gap.is_zero() => (own.assets, gap, Rounding::Ceil),
            _ => return Ok(None),
        }
    } else {
        let rest = maint.liabs.checked_sub(own.liabs)?;
        match maint.assets.checked_sub(rest) {
            Ok(gap) => (own.liabs, gap, Rounding::Floor),
            Err(_) => return Ok(None),
        }
    };
    if term.is_zero() {
        return Ok(None);
    }
    Ok(gap.ratio_to(term, rounding).ok())
}

/// The factor `r` by which every collateral price must move against every debt price (all
/// collateral prices times `r`, debt prices fixed) for maint health to be exactly 1:
/// `r = L / A`, rounded up (toward liquidation). A healthy account has `r <= 1`: a joint fall
/// of `1 - r`. `None` without liabilities (never liquidatable), without collateral (liquidatable
/// at any ratio), or when `r` exceeds [`Ratio::MAX`].
///
/// # Arguments
/// * `maint` - the account's maint sums.
///
/// # Notes
/// One fixed-point division; cannot fail.
pub fn collateral_move_to_liquidation(maint: &WeightedSums) -> Option<Ratio> {
    if maint.liabs.is_zero() || maint.assets.is_zero() {
        return None;
    }
    maint.liabs.ratio_to(maint.assets, Rounding::Ceil).ok()
}

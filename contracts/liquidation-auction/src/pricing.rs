//! Conversions between margin-account's view, the adapter's quotes and risk-core's types.

use risk_core::{
    token_value, AssetRisk, AuctionAsset, Quote, Ratio, RiskWeights, Rounding, TokenUnit, Tokens,
    Value,
};

use crate::clients::{self, PairLeg};
use crate::Error;

/// The risk-core quote of an adapter quote.
pub fn quote(q: &clients::Quote, decimals: u32) -> Result<Quote, Error> {
    Ok(Quote::from_adapter(q.spot, q.low, q.high, decimals)?)
}

/// The leg's unit and weights.
pub fn asset_risk(leg: &PairLeg) -> Result<AssetRisk, Error> {
    let weights = RiskWeights::new(
        Ratio::from_bits(leg.asset_weight_init)?,
        Ratio::from_bits(leg.asset_weight_maint)?,
        Ratio::from_bits(leg.liab_weight_init)?,
        Ratio::from_bits(leg.liab_weight_maint)?,
    )?;
    Ok(AssetRisk::new(leg.decimals, weights)?)
}

/// A token with its quote.
pub fn auction_asset(decimals: u32, quote: Quote) -> Result<AuctionAsset, Error> {
    Ok(AuctionAsset {
        unit: TokenUnit::new(decimals)?,
        quote,
    })
}

/// `value` in base units of `asset` at spot, rounded up (the dust tab).
pub fn value_to_units(value: Value, asset: &AuctionAsset) -> Result<i128, Error> {
    let price = asset.quote.spot(Rounding::Floor)?;
    let tokens = Tokens::for_value(value, price, Rounding::Ceil)?;
    Ok(tokens.to_base_units(asset.unit, Rounding::Ceil)?)
}

/// `amount` base units of `asset` valued at spot.
pub fn units_value(amount: i128, asset: &AuctionAsset, rounding: Rounding) -> Result<Value, Error> {
    let price = asset.quote.spot(rounding)?;
    Ok(token_value(amount, asset.unit, price, rounding)?)
}

/// Tokens worth `shares` vault shares at `rate` (bits), rounded down.
pub fn shares_to_tokens(shares: i128, rate: i128) -> Result<i128, Error> {
    mul_div_i(shares, rate, 1 << risk_core::FRAC_BITS, Rounding::Floor)
}

/// Shares for `tokens` at `rate` (bits), rounded up.
pub fn tokens_to_shares(tokens: i128, rate: i128) -> Result<i128, Error> {
    if rate <= 0 {
        return Err(Error::InvalidPrice);
    }
    mul_div_i(tokens, 1 << risk_core::FRAC_BITS, rate, Rounding::Ceil)
}

/// `a * b / c` on non-negative `i128`s with one rounding.
pub fn mul_div_i(a: i128, b: i128, c: i128, rounding: Rounding) -> Result<i128, Error> {
    let [a, b, c] = [a, b, c].map(|x| u128::try_from(x).map_err(|_| Error::NegativeAmount));
    let r = risk_core::interest::mul_div(a?, b?, c?, rounding)?;
    i128::try_from(r).map_err(|_| Error::Overflow)
}

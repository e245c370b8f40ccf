//! `start` (SPEC §7.1–7.3): size the auction after the account's live ones, escrow the lot (the
//! account's vault shares, redeemed to this contract as tokens), pay the keeper's bonus from it,
//! set the start price.

use risk_core::liquidation::{debt_to_cover, lot_size, SizingLeg, SizingParams};
use risk_core::{
    keeper_bonus, top_price, BonusBasis, CoverLimit, Ratio, Rounding, Value, WeightedSums,
};
use soroban_sdk::{Address, Env};

use crate::clients::{LiquidationView, MarginClient};
use crate::events::AuctionStarted;
use crate::pricing::{self, asset_risk, auction_asset, quote, units_value, value_to_units};
use crate::types::{Auction, AuctionParams};
use crate::{payout, storage, Error};

/// The account's LiquidationEnd sums after its live auctions complete: each one's remaining
/// share of its recorded effect (debt repaid, collateral beyond the tab returned) is added.
fn end_sums(
    env: &Env,
    v: &LiquidationView,
    owner: &Address,
    id: u32,
    pair: (&Address, &Address),
) -> Result<WeightedSums, Error> {
    let mut end = WeightedSums {
        assets: Value::from_bits(v.end_assets)?,
        liabs: Value::from_bits(v.end_liabs)?,
    };
    for auction_id in storage::account_auctions(env, owner, id, true).iter() {
        let a = storage::auction(env, auction_id, true)?;
        if a.collateral == *pair.0 && a.debt == *pair.1 {
            return Err(Error::AuctionLive);
        }
        let part = |bits: i128| {
            pricing::mul_div_i(bits, a.debt_left, a.debt_to_cover.max(1), Rounding::Floor)
        };
        end.assets = end
            .assets
            .checked_add(Value::from_bits(part(a.end_assets)?)?)?;
        let repaid = Value::from_bits(part(a.end_liabs)?)?;
        end.liabs = end.liabs.checked_sub(repaid).unwrap_or(Value::ZERO);
    }
    Ok(end)
}

/// Room left under both caps, as a value.
fn cap_room(env: &Env, p: &AuctionParams, collateral: &Address) -> Result<Value, Error> {
    let global = p.max_auction_debt - storage::total_debt(env);
    let asset = p.max_asset_debt - storage::asset_debt(env, collateral);
    let room = global.min(asset);
    if room <= 0 {
        return Err(Error::CapReached);
    }
    Ok(Value::from_abi(room, Rounding::Floor)?)
}

/// Starts an auction; see `LiquidationAuction::start`.
pub fn start(
    env: &Env,
    keeper: &Address,
    owner: &Address,
    id: u32,
    collateral: &Address,
    debt: &Address,
) -> Result<u64, Error> {
    if storage::stopped(env) >= 1 {
        return Err(Error::Stopped);
    }
    if collateral == debt {
        return Err(Error::SameAsset);
    }
    let p = storage::params(env)?;
    let margin = MarginClient::new(env, &storage::margin(env)?);
    let v = match margin.try_liquidation_view(owner, &id, collateral, debt) {
        Ok(Ok(raw)) => LiquidationView::decode(raw).ok_or(Error::AccountUnavailable)?,
        _ => return Err(Error::AccountUnavailable),
    };
    if v.maint_assets >= v.maint_liabs {
        return Err(Error::Healthy);
    }
    if v.debt.tokens >= 0 {
        return Err(Error::NoDebt);
    }
    if v.collateral.shares <= 0 {
        return Err(Error::NoCollateral);
    }
    let end = end_sums(env, &v, owner, id, (collateral, debt))?;
    let (coll_q, debt_q) = (
        quote(&v.collateral.quote, v.price_decimals)?,
        quote(&v.debt.quote, v.price_decimals)?,
    );
    let (coll_risk, debt_risk) = (asset_risk(&v.collateral)?, asset_risk(&v.debt)?);
    let params = SizingParams {
        liquidation_penalty: Ratio::from_abi(v.liquidation_penalty, Rounding::Ceil)?,
        target_buffer: Ratio::from_abi(p.target_buffer, Rounding::Ceil)?,
        cap: cap_room(env, &p, collateral)?,
        min_debt_value: Value::from_abi(v.min_debt_value, Rounding::Floor)?,
    };
    let debt_leg = SizingLeg {
        position: -v.debt.tokens,
        asset: &debt_risk,
        quote: &debt_q,
    };
    let coll_leg = SizingLeg {
        position: v.collateral.tokens,
        asset: &coll_risk,
        quote: &coll_q,
    };
    let cover = debt_to_cover(&end, &debt_leg, &coll_leg, &params)?;
    if cover.debt_to_cover == 0 {
        return Err(match cover.limit {
            CoverLimit::Cap => Error::CapReached,
            _ => Error::AtTarget,
        });
    }
    let (ca, da) = (
        auction_asset(v.collateral.decimals, coll_q)?,
        auction_asset(v.debt.decimals, debt_q)?,
    );
    let margin_ratio = Ratio::from_abi(p.lot_margin, Rounding::Ceil)?;
    let lot_tokens = lot_size(cover.tab, margin_ratio, v.collateral.tokens, &ca, &da)?;
    let lot_shares = if lot_tokens >= v.collateral.tokens {
        v.collateral.shares
    } else {
        pricing::tokens_to_shares(lot_tokens, v.collateral.rate)?.min(v.collateral.shares)
    };
    let basis = BonusBasis {
        tab: cover.tab,
        penalty_left: cover.tab - cover.debt_to_cover,
        lot: lot_tokens,
        collateral: ca,
        debt: da,
    };
    let tip = Value::from_abi(p.tip, Rounding::Floor)?;
    let bonus = keeper_bonus(tip, Ratio::from_abi(p.chip, Rounding::Floor)?, &basis)?;
    let dtc_value = units_value(cover.debt_to_cover, &da, Rounding::Ceil)?;
    let tab_value = units_value(cover.tab, &da, Rounding::Ceil)?;
    let lot_value = units_value(lot_tokens, &ca, Rounding::Floor)?;
    let w_c = coll_risk.weights().asset_weight_init();
    let w_d = debt_risk.weights().liab_weight_init();
    let returned = lot_value.checked_sub(tab_value).unwrap_or(Value::ZERO);
    let mut a = Auction {
        owner: owner.clone(),
        id,
        collateral: collateral.clone(),
        debt: debt.clone(),
        vault: v.collateral.vault.clone(),
        debt_vault: v.debt.vault.clone(),
        collateral_decimals: v.collateral.decimals,
        debt_decimals: v.debt.decimals,
        lot: 0,
        tab: cover.tab,
        debt_left: cover.debt_to_cover,
        debt_to_cover: cover.debt_to_cover,
        top: top_price(&coll_q, &debt_q, Ratio::from_abi(p.buf, Rounding::Ceil)?)?.to_bits(),
        start: env.ledger().timestamp(),
        dust_tab: value_to_units(Value::from_abi(p.dust, Rounding::Ceil)?, &da)?,
        cap_value: dtc_value.to_abi(Rounding::Ceil),
        end_assets: returned.mul_ratio(w_c, Rounding::Floor)?.to_bits(),
        end_liabs: dtc_value.mul_ratio(w_d, Rounding::Floor)?.to_bits(),
    };
    // The lot is redeemed to this contract at once: the bonus and the slices are then plain
    // token transfers.
    a.lot = margin.seize(owner, &id, collateral, &lot_shares);
    let auction_id = storage::next_id(env)?;
    payout::bonus(env, auction_id, &mut a, keeper, &bonus)?;
    storage::add_cap_value(env, collateral, a.cap_value)?;
    let mut ids = storage::account_auctions(env, owner, id, false);
    ids.push_back(auction_id);
    storage::set_account_auctions(env, owner, id, &ids);
    storage::set_auction(env, auction_id, &a);
    AuctionStarted {
        auction_id,
        owner: owner.clone(),
        id,
        keeper: keeper.clone(),
        collateral: collateral.clone(),
        debt: debt.clone(),
        lot: a.lot,
        shares: lot_shares,
        debt_to_cover: a.debt_to_cover,
        tab: a.tab,
        top: a.top,
    }
    .publish(env);
    Ok(auction_id)
}

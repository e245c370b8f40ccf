//! The actions shared by the single-action entry points, `submit` and the liquidator seam, each
//! with its event; and the end of a call: the checks, then the write-back.

use risk_core::{AssetRisk, HealthSums, Quote, Ratio, Rounding, WeightedSums};
use soroban_sdk::token::TokenClient;
use soroban_sdk::Address;

use crate::account::Positions;
use crate::clients::VenueClient;
use crate::events::{Deposit, Trade, Withdraw};
use crate::health::{self, Snapshot};
use crate::session::{check_amount, Credit, Session};
use crate::types::TradeRequest;
use crate::{storage, Error};

/// Most trades one call checks against the oracle.
pub const MAX_TRADES: usize = 8;

/// A completed swap, checked against the oracle's spot ratio at the end of the call.
#[derive(Clone, Debug)]
pub struct Swap {
    pub sell: Address,
    pub buy: Address,
    pub sell_decimals: u32,
    pub buy_decimals: u32,
    pub amount_in: i128,
    pub amount_out: i128,
    /// The stricter `max_trade_slippage` of the two assets (7 decimals).
    pub slippage: i128,
    /// Risk parameters of the sold and bought assets (weights and decimals), for the deleveraging
    /// check of a trade that only repays debt.
    pub sell_risk: AssetRisk,
    pub buy_risk: AssetRisk,
}

/// Tokens in: `from` pays up to `repay_max + deposit_max` (see [`Session::credit`]).
pub fn put(
    s: &mut Session,
    asset: &Address,
    from: &Address,
    repay_max: i128,
    deposit_max: i128,
) -> Result<Credit, Error> {
    let slot = s.market(asset)?;
    let c = s.credit(slot, from, repay_max, deposit_max)?;
    Deposit {
        owner: s.owner.clone(),
        asset: asset.clone(),
        id: s.id,
        from: from.clone(),
        amount: c.repaid + c.deposited,
        repaid: c.repaid,
        position: s.position(slot),
    }
    .publish(&s.env);
    Ok(c)
}

/// Tokens out: `amount` to `to`, from collateral, then (with `borrow`) on credit. Returns the
/// amount borrowed.
pub fn take(
    s: &mut Session,
    asset: &Address,
    to: &Address,
    amount: i128,
    borrow: bool,
) -> Result<i128, Error> {
    check_amount(amount)?;
    let slot = s.market(asset)?;
    let borrowed = s.debit(slot, to, amount, borrow)?;
    Withdraw {
        owner: s.owner.clone(),
        asset: asset.clone(),
        id: s.id,
        to: to.clone(),
        amount,
        borrowed,
        position: s.position(slot),
    }
    .publish(&s.env);
    Ok(borrowed)
}

/// A trade (SPEC §6.2): the sell leg pays the venue (withdrawing, then borrowing), the venue
/// swaps to margin-account, the buy leg repays debt and deposits the rest. A trade that borrows
/// nothing and only repays debt may leave the account below init health, but only if it raises
/// init health ([`check_deleverage`], SPEC §3); the oracle check of the price always runs.
///
/// # Errors
/// `NegativeAmount`, `ZeroAmount`, `SameAsset`, `VenueNotListed`, `MinAmountOut`, `ZeroOut`,
/// `VenueShortfall` (the venue delivered less than it reported), and the errors of the legs.
pub fn trade(s: &mut Session, t: &TradeRequest) -> Result<Swap, Error> {
    check_amount(t.amount_in)?;
    if t.min_amount_out < 0 {
        return Err(Error::NegativeAmount);
    }
    if t.sell_asset == t.buy_asset {
        return Err(Error::SameAsset);
    }
    if !storage::venue_listed(&s.env, &t.venue) {
        return Err(Error::VenueNotListed);
    }
    storage::touch_venue(&s.env, &t.venue);
    let raised_before = s.raised_risk;
    let buy_slot = s.market(&t.buy_asset)?;
    let buy_before = s.position(buy_slot);
    let borrowed = take(s, &t.sell_asset, &t.venue, t.amount_in, true)?;
    let venue = VenueClient::new(&s.env, &t.venue);
    let me = s.me.clone();
    // What the venue delivers is measured, not taken from its return value.
    let bought = TokenClient::new(&s.env, &t.buy_asset);
    let held = bought.balance(&me);
    let out = venue.swap_exact_in(&t.sell_asset, &t.buy_asset, &t.amount_in, &0, &me);
    if out <= 0 {
        return Err(Error::ZeroOut);
    }
    if bought
        .balance(&me)
        .checked_sub(held)
        .ok_or(Error::Overflow)?
        < out
    {
        return Err(Error::VenueShortfall);
    }
    if out < t.min_amount_out {
        return Err(Error::MinAmountOut);
    }
    let c = put(s, &t.buy_asset, &me, 0, out)?;
    let lowers_risk = borrowed == 0 && c.deposited == 0 && buy_before < 0;
    s.raised_risk = raised_before || !lowers_risk;
    Trade {
        owner: s.owner.clone(),
        id: s.id,
        venue: t.venue.clone(),
        sell_asset: t.sell_asset.clone(),
        buy_asset: t.buy_asset.clone(),
        amount_in: t.amount_in,
        amount_out: out,
    }
    .publish(&s.env);
    let sell_slot = s.market(&t.sell_asset)?;
    let sell = &s.markets.get(sell_slot).rec;
    let buy = &s.markets.get(buy_slot).rec;
    let sell_risk = sell.hot(false, s.now)?.asset_risk()?;
    let buy_risk = buy.hot(true, s.now)?.asset_risk()?;
    Ok(Swap {
        sell: t.sell_asset.clone(),
        buy: t.buy_asset.clone(),
        sell_decimals: sell.decimals,
        buy_decimals: buy.decimals,
        amount_in: t.amount_in,
        amount_out: out,
        slippage: sell.max_trade_slippage.min(buy.max_trade_slippage),
        sell_risk,
        buy_risk,
    })
}

/// SPEC §3: a trade that only repays debt is allowed below init health only if it raises init
/// health. The init sums before the trades are the sums after plus the legs (each sold amount as
/// collateral at its low price and asset weight, each repaid amount as debt at its high price and
/// liability weight); the health after, rounded down, must be at least the health before,
/// rounded up.
///
/// # Errors
/// `InitHealthTooLow`, `PriceUnavailable`, the risk-core errors.
fn check_deleverage(snap: &Snapshot, swaps: &[Option<Swap>]) -> Result<(), Error> {
    let after = snap.sums.init;
    if after.liabs.is_zero() || after.meets(Ratio::ONE)? {
        return Ok(());
    }
    // Init sums through the contract's one per-position routine (the maint half is unused).
    let mut sums = HealthSums {
        init: after,
        maint: WeightedSums::ZERO,
    };
    for w in swaps.iter().flatten() {
        let (sell_q, buy_q) = (quote(snap, &w.sell)?, quote(snap, &w.buy)?);
        health::add_tokens(&mut sums, w.amount_in, &w.sell_risk, &sell_q)?;
        health::add_tokens(&mut sums, -w.amount_out, &w.buy_risk, &buy_q)?;
    }
    let before = sums.init;
    let health_after = after.assets.ratio_to(after.liabs, Rounding::Floor)?;
    let health_before = before.assets.ratio_to(before.liabs, Rounding::Ceil)?;
    if health_after < health_before {
        return Err(Error::InitHealthTooLow);
    }
    Ok(())
}

/// The risk-core quote of a priced asset.
fn quote(snap: &Snapshot, asset: &Address) -> Result<Quote, Error> {
    let q = snap.quote(asset).ok_or(Error::PriceUnavailable)?;
    Ok(Quote::from_adapter(
        q.spot,
        q.low,
        q.high,
        snap.price_decimals,
    )?)
}

/// `value_out` within `max_trade_slippage` of `value_in`, both at the oracle's spot.
///
/// # Errors
/// `PriceDeviation`.
fn check_swap(snap: &Snapshot, w: &Swap) -> Result<(), Error> {
    let value_in = snap.spot_value(&w.sell, w.sell_decimals, w.amount_in, Rounding::Floor)?;
    let value_out = snap.spot_value(&w.buy, w.buy_decimals, w.amount_out, Rounding::Floor)?;
    let slip = Ratio::from_abi(w.slippage, Rounding::Floor)?;
    let low = value_in.mul_ratio(slip.complement()?, Rounding::Floor)?;
    let high = value_in.mul_ratio(Ratio::ONE.checked_add(slip)?, Rounding::Ceil)?;
    if value_out < low || value_out > high {
        return Err(Error::PriceDeviation);
    }
    Ok(())
}

/// Ends a call: a risk-raising call on an account with debt prices the whole account once and
/// must meet init health (and the minimum debt); the swaps are checked against the same quotes.
/// Deleveraging trades on an account with debt price it too and must raise init health.
/// Otherwise (risk lowered without trades, or no debt left: init health is unbounded) only the
/// swapped assets are priced. Then the account and the touched assets are written back.
pub fn close(s: &Session, swaps: &[Option<Swap>]) -> Result<(), Error> {
    let swaps = &swaps[..swaps.iter().take_while(|w| w.is_some()).count()];
    let mut extra: [&Address; 2 * MAX_TRADES] = [&s.me; 2 * MAX_TRADES];
    for (i, w) in swaps.iter().flatten().enumerate() {
        extra[2 * i] = &w.sell;
        extra[2 * i + 1] = &w.buy;
    }
    let extra = &extra[..2 * swaps.len()];
    // Without any debt, init health is unbounded: no prices are needed for it.
    let has_debt = s.positions.iter().any(|(_, shares)| shares < 0);
    if s.raised_risk && has_debt {
        let snap = health::evaluate(&s.env, s.now, s.positions, Some(s.markets), extra, true)?;
        health::check_end(s, &snap)?;
        swaps
            .iter()
            .flatten()
            .try_for_each(|w| check_swap(&snap, w))?;
    } else if has_debt && !swaps.is_empty() {
        // Only deleveraging trades: the whole account is priced to check they raised health.
        let snap = health::evaluate(&s.env, s.now, s.positions, Some(s.markets), extra, true)?;
        swaps
            .iter()
            .flatten()
            .try_for_each(|w| check_swap(&snap, w))?;
        check_deleverage(&snap, swaps)?;
    } else if !swaps.is_empty() {
        let none = Positions::new(&s.env);
        let snap = health::evaluate(&s.env, s.now, &none, Some(s.markets), extra, true)?;
        swaps
            .iter()
            .flatten()
            .try_for_each(|w| check_swap(&snap, w))?;
    }
    s.finish();
    Ok(())
}

//! `take` (SPEC §7.4): the flash take. The slice goes to `receiver` first, then the optional
//! `on_auction_take` callback, then `owe` is pulled from `keeper` with `transfer_from` (the
//! auction as spender: a keeper approves the auction, or a receiver contract approves it inside
//! its callback). Proceeds repay the debt first; the rest (the penalty) goes to the insurance
//! fund. When the tab is paid, or the lot is gone, the auction closes.

use risk_core::{
    needs_reset, price, take as take_math, AuctionPrice, PairUnits, Ratio, Rounding, TokenUnit,
};
use soroban_sdk::{token::TokenClient, Address, Bytes, Env};

use crate::clients::{MarginClient, ReceiverClient};
use crate::events::AuctionTaken;
use crate::types::Auction;
use crate::{payout, pricing, storage, Error};

/// `price(now)` of an auction and whether it needs a reset.
pub fn current_price(env: &Env, a: &Auction) -> Result<(AuctionPrice, bool), Error> {
    let p = storage::params(env)?;
    let elapsed = env.ledger().timestamp().saturating_sub(a.start);
    let top = AuctionPrice::from_bits(a.top)?;
    let now = price(top, &p.curve.curve()?, elapsed)?;
    let cusp = Ratio::from_abi(p.cusp, Rounding::Floor)?;
    Ok((now, needs_reset(elapsed, now, top, p.tail, cusp)))
}

/// A price as the ABI shows it: debt tokens per collateral token with 14 decimals, rounded up.
pub fn price_to_abi(p: AuctionPrice) -> Result<i128, Error> {
    pricing::mul_div_i(
        p.to_bits(),
        100_000_000_000_000,
        1 << risk_core::FRAC_BITS,
        Rounding::Ceil,
    )
}

/// The arguments of a take.
pub struct TakeArgs {
    pub keeper: Address,
    pub auction_id: u64,
    pub max_collateral: i128,
    pub max_price: i128,
    pub receiver: Address,
    pub data: Option<Bytes>,
}

/// Takes from an auction; see `LiquidationAuction::take`.
pub fn take(env: &Env, t: &TakeArgs) -> Result<(i128, i128), Error> {
    if storage::stopped(env) >= 3 {
        return Err(Error::Stopped);
    }
    if t.max_collateral <= 0 || t.max_price <= 0 {
        return Err(if t.max_collateral < 0 || t.max_price < 0 {
            Error::NegativeAmount
        } else {
            Error::ZeroAmount
        });
    }
    let mut a = storage::auction(env, t.auction_id, true)?;
    let (p_now, reset) = current_price(env, &a)?;
    if reset {
        return Err(Error::NeedsReset);
    }
    if price_to_abi(p_now)? > t.max_price {
        return Err(Error::PriceAboveMax);
    }
    let units = PairUnits::new(
        TokenUnit::new(a.collateral_decimals)?,
        TokenUnit::new(a.debt_decimals)?,
    )?;
    let lot_tokens = pricing::shares_to_tokens(a.lot, a.share_price)?;
    let r = take_math(
        lot_tokens,
        a.tab,
        p_now,
        t.max_collateral,
        a.dust_tab,
        &units,
    )?;
    let shares = payout::pay_out(env, &mut a, &t.receiver, r.slice, r.lot_after == 0)?;
    if let Some(data) = &t.data {
        ReceiverClient::new(env, &t.receiver).on_auction_take(
            &t.keeper,
            &t.auction_id,
            &r.slice,
            &r.owe,
            data,
        );
    }
    let me = env.current_contract_address();
    TokenClient::new(env, &a.debt).transfer_from(&me, &t.keeper, &me, &r.owe);
    let margin = MarginClient::new(env, &storage::margin(env)?);
    let to_debt = r.owe.min(a.debt_left);
    let repaid = if to_debt > 0 {
        payout::repay_for(
            env,
            &margin,
            (&a.owner, a.id),
            &a.debt,
            &a.debt_vault,
            to_debt,
        )
    } else {
        0
    };
    let to_insurance = r.owe - repaid;
    if to_insurance > 0 {
        let balance = storage::insurance(env, &a.debt) + to_insurance;
        storage::set_insurance(env, &a.debt, balance);
        crate::events::InsuranceChanged {
            asset: a.debt.clone(),
            amount: to_insurance,
            balance,
            counterparty: t.keeper.clone(),
        }
        .publish(env);
    }
    release_cap(env, &mut a, to_debt)?;
    a.tab = r.tab_after;
    AuctionTaken {
        auction_id: t.auction_id,
        keeper: t.keeper.clone(),
        receiver: t.receiver.clone(),
        price: price_to_abi(p_now)?,
        slice: r.slice,
        shares,
        owe: r.owe,
        repaid,
        to_insurance,
        lot: a.lot,
        tab: a.tab,
    }
    .publish(env);
    if a.tab == 0 || a.lot == 0 {
        payout::close(env, &margin, t.auction_id, &a)?;
    } else {
        storage::set_auction(env, t.auction_id, &a);
    }
    Ok((r.slice, r.owe))
}

/// Lowers `debt_left` by `repaid` and the capped value in proportion.
fn release_cap(env: &Env, a: &mut Auction, repaid: i128) -> Result<(), Error> {
    let left = a.debt_left - repaid;
    let value = pricing::mul_div_i(a.cap_value, left, a.debt_left.max(1), Rounding::Ceil)?;
    storage::add_cap_value(env, &a.collateral, value - a.cap_value)?;
    a.cap_value = value;
    a.debt_left = left;
    Ok(())
}

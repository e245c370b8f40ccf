//! `take` (SPEC §7.4): the flash take. The slice goes to `receiver` first, then the optional
//! `on_auction_take` callback, then `owe` is pulled from `keeper` with `transfer_from` (the
//! auction as spender: a keeper approves the auction, or a receiver contract approves it inside
//! its callback). Proceeds repay the debt first; the rest (the penalty) goes to the insurance
//! fund. When the tab is paid, or the lot is gone, the auction closes. The lot is held as
//! collateral tokens, so the slice is a token transfer, and the repayment and the return of the
//! rest of the lot are one margin-account `settle` call.

use risk_core::{
    needs_reset, price, take as take_math, AuctionPrice, PairUnits, Ratio, Rounding, TokenUnit,
};
use soroban_sdk::{token::TokenClient, Address, Bytes, Env};

use crate::clients::{MarginClient, ReceiverClient};
use crate::events::AuctionTaken;
use crate::payout::Settlement;
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
    let r = take_math(a.lot, a.tab, p_now, t.max_collateral, a.dust_tab, &units)?;
    payout::pay_out(env, &mut a, &t.receiver, r.slice)?;
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
    // The usual case in one margin-account call: the repayment, and the rest of the lot when
    // this take pays the tab (a slice that empties the lot leaves nothing to return).
    let returned = if r.tab_after == 0 { a.lot } else { 0 };
    let settlement = Settlement {
        owner: &a.owner,
        id: a.id,
        debt: &a.debt,
        debt_vault: &a.debt_vault,
        repay: to_debt,
        collateral: &a.collateral,
        vault: &a.vault,
        returned,
    };
    let settled = if to_debt > 0 || returned > 0 {
        payout::try_settle(env, &margin, &settlement)
    } else {
        Some(0)
    };
    let (repaid, to_account, returned) = match settled {
        Some(repaid) => {
            a.lot -= returned;
            (repaid, 0, returned)
        }
        None => {
            let (repaid, to_account) = apply_proceeds(env, &margin, &a, to_debt, r.owe)?;
            (repaid, to_account, 0)
        }
    };
    let to_insurance = r.owe - repaid - to_account;
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
    if to_account > 0 || repaid < to_debt {
        // The account owes no more of this asset: nothing is left to collect.
        let all = a.debt_left;
        release_cap(env, &mut a, all)?;
        a.tab = 0;
    } else {
        release_cap(env, &mut a, to_debt)?;
        a.tab = r.tab_after;
    }
    AuctionTaken {
        auction_id: t.auction_id,
        keeper: t.keeper.clone(),
        receiver: t.receiver.clone(),
        price: price_to_abi(p_now)?,
        slice: r.slice,
        owe: r.owe,
        repaid,
        to_insurance,
        lot: a.lot,
        tab: a.tab,
    }
    .publish(env);
    if a.tab == 0 || a.lot == 0 {
        payout::close(env, &margin, t.auction_id, &a, returned)?;
    } else {
        storage::set_auction(env, t.auction_id, &a);
    }
    Ok((r.slice, r.owe))
}

/// Applies a take's proceeds `owe`: `to_debt` repays the account's debt. Returns `(repaid,
/// to_account)`; the rest of `owe` is the penalty (the insurance fund's).
///
/// The account's debt may have fallen below the auction's `debt_left` by another route (the
/// owner repaid): margin-account then repays less than the amount authorised here, or refuses
/// (`NoDebt`), and the first attempt fails with nothing changed. The repayment is then capped at
/// the account's exact debt; the penalty still due (`tab - debt_left`, what the start charged)
/// goes to the insurance fund and the rest of the proceeds — the account's own collateral sold
/// beyond its debt — is deposited back into the account (or, if the asset takes no deposits,
/// sent to the owner). The caller then closes the auction.
fn apply_proceeds(
    env: &Env,
    margin: &MarginClient,
    a: &Auction,
    to_debt: i128,
    owe: i128,
) -> Result<(i128, i128), Error> {
    if to_debt <= 0 {
        return Ok((0, 0));
    }
    let account = (&a.owner, a.id);
    let owed = match margin.try_positions(&a.owner, &a.id) {
        // Looked up through the map's two vectors (see `bad_debt::settle` for why).
        Ok(Ok(p)) => p
            .keys()
            .first_index_of(&a.debt)
            .and_then(|i| p.values().get(i))
            .unwrap_or(0)
            .min(0)
            .unsigned_abs() as i128,
        _ => return Err(Error::AccountUnavailable),
    };
    if owed >= to_debt {
        // The account owes enough: the refusal came from elsewhere (the rest of the lot could not
        // go back as a deposit). Repay alone; the lot goes back when the auction closes.
        let repaid = payout::repay(env, margin, account, &a.debt, &a.debt_vault, to_debt)?;
        return Ok((repaid, 0));
    }
    let repaid = if owed > 0 {
        payout::repay(env, margin, account, &a.debt, &a.debt_vault, owed)?
    } else {
        0
    };
    let penalty = (a.tab - a.debt_left).clamp(0, owe - repaid);
    let to_account = owe - repaid - penalty;
    payout::give_back(env, margin, a, &a.debt, &a.debt_vault, to_account);
    Ok((repaid, to_account))
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

//! `reset` (SPEC §7.5) and the reset bonus (SPEC §7.2).

use risk_core::{keeper_bonus, reset_bonus_due, top_price, BonusBasis, Ratio, Rounding, Value};
use soroban_sdk::{vec, Address, Env};

use crate::clients::AdapterClient;
use crate::events::AuctionReset;
use crate::pricing::{auction_asset, quote, value_to_units};
use crate::take::current_price;
use crate::{payout, storage, Error};

/// Restarts an auction from a fresh spot; see `LiquidationAuction::reset`.
pub fn reset(env: &Env, keeper: &Address, auction_id: u64) -> Result<(), Error> {
    if storage::stopped(env) >= 2 {
        return Err(Error::Stopped);
    }
    let mut a = storage::auction(env, auction_id, true)?;
    if !current_price(env, &a)?.1 {
        return Err(Error::NotResettable);
    }
    let p = storage::params(env)?;
    let adapter = AdapterClient::new(env, &storage::adapter(env)?);
    let quotes = adapter.quotes(&vec![env, a.collateral.clone(), a.debt.clone()]);
    let decimals = adapter.decimals();
    let (cq, dq) = (
        quote(&quotes.get(0).ok_or(Error::InvalidQuote)?, decimals)?,
        quote(&quotes.get(1).ok_or(Error::InvalidQuote)?, decimals)?,
    );
    let (ca, da) = (
        auction_asset(a.collateral_decimals, cq)?,
        auction_asset(a.debt_decimals, dq)?,
    );
    a.top = top_price(&cq, &dq, Ratio::from_abi(p.buf, Rounding::Ceil)?)?.to_bits();
    a.start = env.ledger().timestamp();
    let dust = Value::from_abi(p.dust, Rounding::Ceil)?;
    a.dust_tab = value_to_units(dust, &da)?;
    let basis = BonusBasis {
        tab: a.tab,
        penalty_left: (a.tab - a.debt_left).max(0),
        lot: a.lot,
        collateral: ca,
        debt: da,
    };
    if reset_bonus_due(&basis, dust)? {
        let tip = Value::from_abi(p.tip, Rounding::Floor)?;
        let b = keeper_bonus(tip, Ratio::from_abi(p.chip, Rounding::Floor)?, &basis)?;
        payout::bonus(env, auction_id, &mut a, keeper, &b)?;
    }
    storage::set_auction(env, auction_id, &a);
    AuctionReset {
        auction_id,
        keeper: keeper.clone(),
        top: a.top,
        dust_tab: a.dust_tab,
    }
    .publish(env);
    Ok(())
}

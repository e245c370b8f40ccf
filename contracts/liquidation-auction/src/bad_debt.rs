//! `settle_bad_debt` (SPEC §7.6): an account with no collateral left (none held, none in escrow)
//! that still owes has each debt paid from that asset's insurance fund as far as it goes, and the
//! rest written off by the vault through margin-account. Every step emits `BadDebtSettled`.

use soroban_sdk::{Address, Env};

use crate::clients::MarginClient;
use crate::events::{BadDebtSettled, InsuranceChanged};
use crate::{payout, storage, Error};

/// Settles an account's bad debt; returns the total written off (base units summed over assets).
pub fn settle(env: &Env, owner: &Address, id: u32) -> Result<i128, Error> {
    if !storage::account_auctions(env, owner, id, false).is_empty() {
        return Err(Error::NotBadDebt);
    }
    let margin = MarginClient::new(env, &storage::margin(env)?);
    let positions = match margin.try_positions(owner, &id) {
        Ok(Ok(p)) => p,
        _ => return Err(Error::AccountUnavailable),
    };
    // The map read as its two vectors (`map_keys`, `map_values`) rather than entry by entry: two
    // host imports instead of five (`map_len`, `map_key_by_pos`, `map_val_by_pos`, `map_has`,
    // `map_get`), and every import costs every instantiation of this contract.
    let (assets, amounts) = (positions.keys(), positions.values());
    if amounts.iter().any(|n| n > 0) {
        return Err(Error::NotBadDebt);
    }
    let mut total = 0i128;
    let mut any = false;
    for (asset, n) in assets.iter().zip(amounts.iter()) {
        if n >= 0 {
            continue;
        }
        any = true;
        let debt = -n;
        let fund = storage::insurance(env, &asset);
        let pay = fund.min(debt);
        let mut paid = 0;
        if pay > 0 {
            let vault = match margin.try_asset_config(&asset) {
                Ok(Ok(c)) => c.vault,
                _ => return Err(Error::AccountUnavailable),
            };
            paid = payout::repay(env, &margin, (owner, id), &asset, &vault, pay)?;
            let balance = fund - paid;
            storage::set_insurance(env, &asset, balance);
            InsuranceChanged {
                asset: asset.clone(),
                amount: -paid,
                balance,
                counterparty: owner.clone(),
            }
            .publish(env);
        }
        let written_off = match margin.try_write_off_debt(owner, &id, &asset) {
            Ok(Ok(w)) => w,
            _ => 0,
        };
        total = total.checked_add(written_off).ok_or(Error::Overflow)?;
        BadDebtSettled {
            owner: owner.clone(),
            asset,
            id,
            debt,
            insurance_paid: paid,
            written_off,
        }
        .publish(env);
    }
    if !any {
        return Err(Error::NoDebt);
    }
    Ok(total)
}

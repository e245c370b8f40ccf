//! Asset configuration (SPEC §6.3, §8): validation, listing, and the update rule with haircut
//! ramps.
//!
//! Ramp rule: when an applied config lowers `asset_weight_maint` or raises `liab_weight_maint`
//! below/above its **current ramped value**, that weight moves linearly from the current value to
//! the new one over `ramp_duration`; a loosened maint weight and both init weights change at
//! once. Init never exceeds maint during a ramp: the new init weights are ordered against the new
//! targets, and a ramp only moves from a looser value toward its target.

use risk_core::{Ratio, RiskWeights, ABI_SCALE};
use soroban_sdk::{token::TokenClient, Address, Env};

use crate::clients::VaultClient;
use crate::markets::{self, Market};
use crate::record::AssetRecord;
use crate::types::AssetConfig;
use crate::{storage, Error};

/// Most assets margin-account lists (bounds the registry in instance storage).
pub const MAX_ASSETS: u32 = 64;

/// Checks an asset config.
///
/// # Errors
/// `NegativeAmount`, `InvalidWeight`, `WeightOrder` (weights), `InvalidPenalty`,
/// `InvalidSlippage`, `InvalidLimit`.
pub fn validate(c: &AssetConfig) -> Result<RiskWeights, Error> {
    let weights = RiskWeights::from_abi(
        c.asset_weight_init,
        c.asset_weight_maint,
        c.liab_weight_init,
        c.liab_weight_maint,
    )?;
    let penalty_ok = (0..=ABI_SCALE).contains(&c.liquidation_penalty)
        && c.asset_weight_maint * (ABI_SCALE + c.liquidation_penalty) < ABI_SCALE * ABI_SCALE;
    if !penalty_ok {
        return Err(Error::InvalidPenalty);
    }
    if c.max_trade_slippage <= 0 || c.max_trade_slippage >= ABI_SCALE {
        return Err(Error::InvalidSlippage);
    }
    if c.min_debt_value < 0 || c.deposit_cap < 0 || c.borrow_cap < 0 {
        return Err(Error::InvalidLimit);
    }
    Ok(weights)
}

fn bits(r: Ratio) -> i128 {
    r.to_bits()
}

/// Lists `asset` with `config`: a new registry index, the token's decimals, a first sync of the
/// vault cache.
///
/// # Errors
/// `TooManyAssets`, `VaultMismatch`, `InvalidDecimals`.
pub fn list(
    env: &Env,
    asset: &Address,
    c: &AssetConfig,
    w: &RiskWeights,
) -> Result<AssetRecord, Error> {
    let mut registry = storage::assets(env);
    if registry.len() >= MAX_ASSETS {
        return Err(Error::TooManyAssets);
    }
    if VaultClient::new(env, &c.vault).query_asset() != *asset {
        return Err(Error::VaultMismatch);
    }
    let decimals = TokenClient::new(env, asset).decimals();
    if decimals > risk_core::MAX_TOKEN_DECIMALS {
        return Err(Error::InvalidDecimals);
    }
    let now = env.ledger().timestamp();
    let rec = AssetRecord {
        index: registry.len(),
        decimals,
        mode: c.mode,
        asset_weight_init: bits(w.asset_weight_init()),
        liab_weight_init: bits(w.liab_weight_init()),
        asset_weight_maint_from: bits(w.asset_weight_maint()),
        asset_weight_maint_to: bits(w.asset_weight_maint()),
        liab_weight_maint_from: bits(w.liab_weight_maint()),
        liab_weight_maint_to: bits(w.liab_weight_maint()),
        ramp_start: now,
        ramp_end: now,
        share_price: 0,
        debt_index: 0,
        max_rate: 0,
        synced_at: 0,
        total_shares: 0,
        total_debt_shares: 0,
        min_debt_value: c.min_debt_value,
        max_trade_slippage: c.max_trade_slippage,
        deposit_cap: c.deposit_cap,
        borrow_cap: c.borrow_cap,
    };
    let mut m = Market {
        asset: asset.clone(),
        vault: c.vault.clone(),
        rec,
        dirty: true,
    };
    markets::refresh(env, &mut m, now)?;
    registry.push_back(asset.clone());
    storage::set_assets(env, &registry);
    storage::set_vault(env, asset, &c.vault);
    Ok(m.rec)
}

/// Applies `config` to a listed asset's record with the ramp rule (module docs).
///
/// # Errors
/// `VaultChange`.
pub fn update(
    rec: &mut AssetRecord,
    vault: &Address,
    c: &AssetConfig,
    w: &RiskWeights,
    now: u64,
    ramp_duration: u64,
) -> Result<(), Error> {
    if *vault != c.vault {
        return Err(Error::VaultChange);
    }
    let (awm_now, lwm_now) = rec.maint_weights(now);
    let (awm, lwm) = (bits(w.asset_weight_maint()), bits(w.liab_weight_maint()));
    rec.asset_weight_maint_from = awm_now.max(awm);
    rec.asset_weight_maint_to = awm;
    rec.liab_weight_maint_from = lwm_now.min(lwm);
    rec.liab_weight_maint_to = lwm;
    rec.ramp_start = now;
    rec.ramp_end = now.checked_add(ramp_duration).ok_or(Error::TimeOverflow)?;
    rec.asset_weight_init = bits(w.asset_weight_init());
    rec.liab_weight_init = bits(w.liab_weight_init());
    rec.mode = c.mode;
    rec.min_debt_value = c.min_debt_value;
    rec.max_trade_slippage = c.max_trade_slippage;
    rec.deposit_cap = c.deposit_cap;
    rec.borrow_cap = c.borrow_cap;
    Ok(())
}

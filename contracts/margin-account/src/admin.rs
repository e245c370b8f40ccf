//! Governance of margin-account (SPEC §8): asset listing and configuration, venue listing, global
//! parameters and the liquidator go through the timelock (`queue_*` by the admin, `apply_*` by
//! anyone after the delay, `cancel_*` by the admin); the guardian tightens asset modes at once.
//!
//! **First wiring.** liquidation-auction is deployed after margin-account (SPEC §1), so the admin
//! may name the liquidator once, directly, while none is set (as the vault does for its
//! borrower): without a liquidator nothing can be escrowed, so the first choice surprises no one.

use governance::{timelock, ttl, Governed};
use soroban_sdk::{contractimpl, symbol_short, Address, Env, Symbol};

use crate::account::MAX_POSITIONS_LIMIT;
use crate::events::{AssetConfigured, LiquidatorSet, ModeSet, ParamsSet, VenueSet};
use crate::types::{AssetConfig, AssetMode, Params};
use crate::{config, storage, Error};
use crate::{MarginAccount, MarginAccountArgs, MarginAccountClient};

/// Timelock kind of an asset listing or config change (subject: the asset; value
/// [`AssetConfig`]).
pub const KIND_ASSET: Symbol = symbol_short!("asset");
/// Timelock kind of a venue listing (subject: the venue; value `bool`, listed or not).
pub const KIND_VENUE: Symbol = symbol_short!("venue");
/// Timelock kind of a global parameter change (subject `()`; value [`Params`]).
pub const KIND_PARAMS: Symbol = symbol_short!("params");
/// Timelock kind of a liquidator change (subject `()`; value the liquidator).
pub const KIND_LIQUIDATOR: Symbol = symbol_short!("liquidatr");

/// Longest haircut ramp: 90 days.
pub const MAX_RAMP_DURATION: u64 = 90 * 86_400;
/// Longest interval between vault-cache refreshes on touch: 1 day.
pub const MAX_SYNC_INTERVAL: u64 = 86_400;

/// Checks global parameters.
///
/// # Errors
/// `InvalidParams`.
pub fn validate_params(p: &Params) -> Result<(), Error> {
    let ok = (1..=MAX_POSITIONS_LIMIT).contains(&p.max_positions)
        && p.ramp_duration <= MAX_RAMP_DURATION
        && p.sync_interval <= MAX_SYNC_INTERVAL;
    if !ok {
        return Err(Error::InvalidParams);
    }
    Ok(())
}

/// Makes `params` live.
pub fn set_params(env: &Env, params: &Params) {
    storage::set_params(env, params);
    ParamsSet {
        params: params.clone(),
    }
    .publish(env);
}

fn set_liquidator_in(env: &Env, liquidator: Address) {
    storage::set_liquidator(env, &liquidator);
    LiquidatorSet { liquidator }.publish(env);
}

#[contractimpl(contracttrait)]
impl Governed for MarginAccount {}

#[contractimpl]
impl MarginAccount {
    /// Queues the listing of `asset`, or a new config for it. Returns the eta.
    ///
    /// # Errors
    /// The config validation errors, `AlreadyQueued`.
    ///
    /// # Notes
    /// Admin auth.
    pub fn queue_asset(env: Env, asset: Address, config: AssetConfig) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        config::validate(&config)?;
        Ok(timelock::queue(&env, KIND_ASSET, &asset, &config)?)
    }

    /// Makes the queued config of `asset` live: lists the asset, or updates it with the ramp rule
    /// (see [`crate::config`]). Anyone may call it after the delay.
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`, the validation errors, `TooManyAssets`,
    /// `VaultMismatch`, `VaultChange`, `InvalidDecimals`.
    ///
    /// # Events
    /// `ChangeApplied`, `VaultSynced` (listing), `AssetConfigured`.
    pub fn apply_asset(env: Env, asset: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let cfg: AssetConfig = timelock::apply(&env, KIND_ASSET, &asset)?;
        let weights = config::validate(&cfg)?;
        let now = env.ledger().timestamp();
        let rec = match storage::record(&env, &asset) {
            Ok((vault, mut rec)) => {
                let ramp = storage::ramp_duration(&env)?;
                config::update(&mut rec, &vault, &cfg, &weights, now, ramp)?;
                rec
            }
            Err(Error::UnknownAsset) => config::list(&env, &asset, &cfg, &weights)?,
            Err(e) => return Err(e),
        };
        storage::set_record(&env, &asset, &rec);
        storage::set_config(&env, &asset, &cfg);
        AssetConfigured {
            asset,
            index: rec.index,
            config: cfg,
            ramp_end: rec.ramp_end,
        }
        .publish(&env);
        Ok(())
    }

    /// Drops the queued config of `asset`. Admin auth.
    pub fn cancel_asset(env: Env, asset: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        Ok(timelock::cancel(&env, KIND_ASSET, &asset)?)
    }

    /// Guardian: tightens the mode of a listed asset at once (`Active` → `ReduceOnly` →
    /// `Frozen`). Loosening goes through `queue_asset`.
    ///
    /// # Errors
    /// `UnknownAsset`, `ModeNotTighter`.
    ///
    /// # Events
    /// `ModeSet`.
    pub fn set_mode(env: Env, asset: Address, mode: AssetMode) -> Result<(), Error> {
        ttl::extend_instance(&env);
        governance::require_guardian(&env);
        let (_, mut rec) = storage::record(&env, &asset)?;
        if mode <= rec.mode {
            return Err(Error::ModeNotTighter);
        }
        rec.mode = mode;
        storage::set_record(&env, &asset, &rec);
        if let Some(mut cfg) = storage::config(&env, &asset) {
            cfg.mode = mode;
            storage::set_config(&env, &asset, &cfg);
        }
        ModeSet { asset, mode }.publish(&env);
        Ok(())
    }

    /// Queues listing (`listed`) or delisting a swap venue. Returns the eta. Admin auth.
    pub fn queue_venue(env: Env, venue: Address, listed: bool) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        Ok(timelock::queue(&env, KIND_VENUE, &venue, &listed)?)
    }

    /// Applies the queued venue change. Anyone, after the delay.
    ///
    /// # Events
    /// `ChangeApplied`, `VenueSet`.
    pub fn apply_venue(env: Env, venue: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let listed: bool = timelock::apply(&env, KIND_VENUE, &venue)?;
        storage::set_venue(&env, &venue, listed);
        VenueSet { venue, listed }.publish(&env);
        Ok(())
    }

    /// Drops the queued venue change. Admin auth.
    pub fn cancel_venue(env: Env, venue: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        Ok(timelock::cancel(&env, KIND_VENUE, &venue)?)
    }

    /// Queues new global parameters. Returns the eta. Admin auth.
    ///
    /// # Errors
    /// `InvalidParams`, `AlreadyQueued`.
    pub fn queue_params(env: Env, params: Params) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        validate_params(&params)?;
        Ok(timelock::queue(&env, KIND_PARAMS, &(), &params)?)
    }

    /// Applies the queued parameters. Anyone, after the delay.
    ///
    /// # Events
    /// `ChangeApplied`, `ParamsSet`.
    pub fn apply_params(env: Env) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let params: Params = timelock::apply(&env, KIND_PARAMS, &())?;
        validate_params(&params)?;
        set_params(&env, &params);
        Ok(())
    }

    /// Drops the queued parameter change. Admin auth.
    pub fn cancel_params(env: Env) -> Result<(), Error> {
        ttl::extend_instance(&env);
        Ok(timelock::cancel(&env, KIND_PARAMS, &())?)
    }

    /// First wiring: the admin names the liquidator at once while none is set.
    ///
    /// # Errors
    /// `LiquidatorAlreadySet` (use `queue_liquidator`).
    ///
    /// # Events
    /// `LiquidatorSet`.
    pub fn set_liquidator(env: Env, liquidator: Address) -> Result<(), Error> {
        ttl::extend_instance(&env);
        governance::require_admin(&env);
        if storage::liquidator(&env).is_some() {
            return Err(Error::LiquidatorAlreadySet);
        }
        set_liquidator_in(&env, liquidator);
        Ok(())
    }

    /// Queues a new liquidator. Returns the eta. Admin auth.
    pub fn queue_liquidator(env: Env, liquidator: Address) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        Ok(timelock::queue(&env, KIND_LIQUIDATOR, &(), &liquidator)?)
    }

    /// Applies the queued liquidator. Anyone, after the delay.
    ///
    /// # Events
    /// `ChangeApplied`, `LiquidatorSet`.
    pub fn apply_liquidator(env: Env) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let liquidator: Address = timelock::apply(&env, KIND_LIQUIDATOR, &())?;
        set_liquidator_in(&env, liquidator);
        Ok(())
    }

    /// Drops the queued liquidator change. Admin auth.
    pub fn cancel_liquidator(env: Env) -> Result<(), Error> {
        ttl::extend_instance(&env);
        Ok(timelock::cancel(&env, KIND_LIQUIDATOR, &())?)
    }
}

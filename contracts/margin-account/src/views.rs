//! The read-only entry points. Views extend no TTL (that would make a read a write).

use risk_core::interest::{debt_for_shares, shares_to_assets, BorrowIndex};
use risk_core::Rounding;
use soroban_sdk::{contractimpl, Address, Env, Map, Vec};

use crate::account::Positions;
use crate::clients::VaultClient;
use crate::health;
use crate::types::{AssetConfig, Health, Params, VaultCache};
use crate::{storage, Error};
use crate::{MarginAccount, MarginAccountArgs, MarginAccountClient};

fn positions_of(env: &Env, owner: &Address, id: u32) -> Result<Positions, Error> {
    let entry = storage::account(env, owner, id).ok_or(Error::UnknownAccount)?;
    Positions::decode(env, entry)
}

#[contractimpl]
impl MarginAccount {
    /// The account's health (SPEC §3) exactly as a risk-raising call computes it: fresh quotes,
    /// positions valued through the vault caches. Factors are `i128::MAX` without liabilities.
    ///
    /// # Errors
    /// `UnknownAccount`, `StalePrice`, `PriceUnavailable`, `SyncRequired`.
    pub fn health(env: Env, owner: Address, id: u32) -> Result<Health, Error> {
        let positions = positions_of(&env, &owner, id)?;
        let now = env.ledger().timestamp();
        let snap = health::evaluate(&env, now, &positions, None, &[], false)?;
        Ok(snap.to_abi())
    }

    /// The account's positions in token units, signed, with interest: each vault is asked for its
    /// totals now (exact, as a redemption or repayment would be; collateral rounded down, debt
    /// up). One vault call per position: for clients, not for contracts.
    ///
    /// # Errors
    /// `UnknownAccount`.
    pub fn positions(env: Env, owner: Address, id: u32) -> Result<Map<Address, i128>, Error> {
        let positions = positions_of(&env, &owner, id)?;
        let mut out = Map::new(&env);
        for (i, (_, shares)) in positions.iter().enumerate() {
            let asset = positions.assets().get_unchecked(i as u32);
            let (vault, _) = storage::record(&env, &asset)?;
            let (total, supply, index_bits, _, _) = VaultClient::new(&env, &vault).credit_state();
            let amount = if shares >= 0 {
                shares_to_assets(shares, total, supply, Rounding::Floor)?
            } else {
                let index = BorrowIndex::from_bits(index_bits)?;
                -debt_for_shares(-shares, index, Rounding::Ceil)?
            };
            out.set(asset, amount);
        }
        Ok(out)
    }

    /// The account's positions as stored: signed vault shares (collateral) and debt shares.
    ///
    /// # Errors
    /// `UnknownAccount`.
    pub fn position_shares(env: Env, owner: Address, id: u32) -> Result<Map<Address, i128>, Error> {
        let positions = positions_of(&env, &owner, id)?;
        let mut out = Map::new(&env);
        for (i, (_, shares)) in positions.iter().enumerate() {
            out.set(positions.assets().get_unchecked(i as u32), shares);
        }
        Ok(out)
    }

    /// The ids of `owner`'s accounts, in the order they were opened.
    pub fn accounts(env: Env, owner: Address) -> Vec<u32> {
        storage::owner_accounts(&env, &owner)
    }

    /// The asset's config as last applied (the guardian's mode included).
    ///
    /// # Errors
    /// `UnknownAsset`.
    pub fn asset_config(env: Env, asset: Address) -> Result<AssetConfig, Error> {
        storage::config(&env, &asset).ok_or(Error::UnknownAsset)
    }

    /// The asset's maintenance weights now, ramp included (7 decimals, rounded toward the
    /// tighter side): `(asset_weight_maint, liab_weight_maint)`.
    ///
    /// # Errors
    /// `UnknownAsset`.
    pub fn maint_weights(env: Env, asset: Address) -> Result<(i128, i128), Error> {
        let (_, rec) = storage::record(&env, &asset)?;
        let (a, l) = rec.maint_weights(env.ledger().timestamp());
        let a = risk_core::Ratio::from_bits(a)?.to_abi(Rounding::Floor);
        let l = risk_core::Ratio::from_bits(l)?.to_abi(Rounding::Ceil);
        Ok((a, l))
    }

    /// The asset's vault cache and totals.
    ///
    /// # Errors
    /// `UnknownAsset`.
    pub fn vault_cache(env: Env, asset: Address) -> Result<VaultCache, Error> {
        let (_, r) = storage::record(&env, &asset)?;
        Ok(VaultCache {
            share_price: r.share_price,
            debt_index: r.debt_index,
            max_rate: r.max_rate,
            synced_at: r.synced_at,
            total_shares: r.total_shares,
            total_debt_shares: r.total_debt_shares,
        })
    }

    /// The listed assets, in registry order.
    pub fn assets(env: Env) -> Vec<Address> {
        storage::assets(&env)
    }

    /// The global parameters.
    ///
    /// # Errors
    /// `NotInitialized`.
    pub fn params(env: Env) -> Result<Params, Error> {
        Ok(Params {
            max_positions: storage::max_positions(&env)?,
            ramp_duration: storage::ramp_duration(&env)?,
            sync_interval: storage::sync_interval(&env)?,
        })
    }

    /// Whether `venue` is a listed swap venue.
    pub fn venue_listed(env: Env, venue: Address) -> bool {
        storage::venue_listed(&env, &venue)
    }

    /// The registered liquidator, if any.
    pub fn liquidator(env: Env) -> Option<Address> {
        storage::liquidator(&env)
    }

    /// The oracle-adapter.
    ///
    /// # Errors
    /// `NotInitialized`.
    pub fn adapter(env: Env) -> Result<Address, Error> {
        storage::adapter(&env)
    }
}

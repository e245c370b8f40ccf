//! The keeper's config file (JSON) for the `run`, `watch` and `once` commands.
//!
//! ```json
//! {
//!   "rpc_url": "https://soroban-testnet.stellar.org",
//!   "network_passphrase": "Test SDF Network ; September 2015",
//!   "margin_account": "C...", "auction": "C...", "oracle": "C...",
//!   "state_file": "keeper-state.json",
//!   "start_ledger": 0,
//!   "min_profit": 0.01,
//!   "patient_extra": 0.0,
//!   "interval_secs": 6,
//!   "reaction_delay_secs": 0,
//!   "max_slice": 1.0,
//!   "refresh_above": 8,
//!   "refresh_chunk": 8,
//!   "secret_file": "keeper.seed",
//!   "flash": { "receiver": "C...", "pools": [ { "collateral": "C...", "debt": "C...", "pool": "C..." } ] }
//! }
//! ```
//!
//! `start_ledger` 0 means the RPC's latest ledger at the first start. `refresh_above` and
//! `refresh_chunk`: before a start on an account of more than `refresh_above` assets, the
//! adapter's stale quotes of its assets are refreshed in transactions of at most
//! `refresh_chunk` assets ([`crate::logic::refresh`]). The secret comes from
//! `--secret`, else `KEEPER_SECRET`, else `secret_file` (a file holding the `S...` seed).

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::keys::{ContractId, SecretKey};
use crate::logic::config::{FixedPrices, FlashTake, KeeperConfig, Strategy, Tuning, ONE};

/// One pool of a flash take.
#[derive(Debug, Clone, Deserialize)]
pub struct PoolEntry {
    /// Collateral asset.
    pub collateral: String,
    /// Debt asset.
    pub debt: String,
    /// The AMM pool selling collateral for debt.
    pub pool: String,
}

/// Flash takes through keeper-receiver.
#[derive(Debug, Clone, Deserialize)]
pub struct FlashEntry {
    /// The keeper's keeper-receiver contract.
    pub receiver: String,
    /// Pools per pair.
    pub pools: Vec<PoolEntry>,
}

/// The file's contents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Stellar RPC endpoint.
    pub rpc_url: String,
    /// Network passphrase.
    pub network_passphrase: String,
    /// margin-account contract id.
    pub margin_account: String,
    /// liquidation-auction contract id.
    pub auction: String,
    /// oracle-adapter contract id.
    pub oracle: String,
    /// Where the state is saved.
    pub state_file: PathBuf,
    /// First ledger to read events from (0: the latest at the first start).
    #[serde(default)]
    pub start_ledger: u32,
    /// Minimum discount under the reference, as a fraction (0.01 = 1 %).
    #[serde(default = "default_min_profit")]
    pub min_profit: f64,
    /// Extra discount a patient keeper waits for, as a fraction.
    #[serde(default)]
    pub patient_extra: f64,
    /// Seconds between steps of `run` and passes of `watch --follow`.
    #[serde(default = "default_interval")]
    pub interval_secs: u64,
    /// Seconds an opportunity must have been seen before the keeper acts on it.
    #[serde(default)]
    pub reaction_delay_secs: u64,
    /// Share of the remaining lot one take asks for, in (0, 1].
    #[serde(default = "default_max_slice")]
    pub max_slice: f64,
    /// Accounts of more than this many assets get the adapter's stale quotes of their assets
    /// refreshed before a start.
    #[serde(default = "default_refresh_above")]
    pub refresh_above: usize,
    /// Assets per `refresh` transaction at most, at least 1.
    #[serde(default = "default_refresh_chunk")]
    pub refresh_chunk: usize,
    /// A file holding the secret seed.
    #[serde(default)]
    pub secret_file: Option<PathBuf>,
    /// Flash takes.
    #[serde(default)]
    pub flash: Option<FlashEntry>,
}

fn default_min_profit() -> f64 {
    0.01
}

fn default_interval() -> u64 {
    6
}

fn default_max_slice() -> f64 {
    1.0
}

fn default_refresh_above() -> usize {
    crate::logic::refresh::REFRESH_ABOVE
}

fn default_refresh_chunk() -> usize {
    crate::logic::refresh::REFRESH_CHUNK
}

fn contract(what: &str, s: &str) -> Result<ContractId, String> {
    s.parse()
        .map_err(|e| format!("config {what}: not a contract id ({e:?})"))
}

fn fraction(what: &str, f: f64) -> Result<i128, String> {
    if (0.0..1.0).contains(&f) {
        Ok((f * ONE as f64).round() as i128)
    } else {
        Err(format!("config {what}: {f} is not in [0, 1)"))
    }
}

impl FileConfig {
    /// Parses the file's text.
    ///
    /// # Errors
    ///
    /// Not JSON or not this shape (the message names the field).
    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("config: {e}"))
    }

    /// The seed from `secret_file`, if set.
    ///
    /// # Errors
    ///
    /// The file cannot be read or holds no valid seed (the message never contains it).
    pub fn secret(&self) -> Result<Option<SecretKey>, String> {
        let Some(path) = &self.secret_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("secret_file {}: {e}", path.display()))?;
        SecretKey::from_strkey(text.trim())
            .map(Some)
            .map_err(|e| format!("secret_file {}: {e}", path.display()))
    }

    /// The keeper's configuration, acting as `keeper` (strkey), reading from `start_ledger`.
    ///
    /// # Errors
    ///
    /// A contract id that is not one, a fraction out of range, or a `refresh_chunk` of 0.
    pub fn keeper_config(&self, keeper: String, start_ledger: u32) -> Result<KeeperConfig, String> {
        let extra = fraction("patient_extra", self.patient_extra)?;
        if !(self.max_slice > 0.0 && self.max_slice <= 1.0) {
            return Err(format!(
                "config max_slice: {} is not in (0, 1]",
                self.max_slice
            ));
        }
        if self.refresh_chunk == 0 {
            return Err("config refresh_chunk: 0 is not at least 1".into());
        }
        let flash = match &self.flash {
            Some(f) => {
                let mut pools = HashMap::new();
                for p in &f.pools {
                    pools.insert(
                        (p.collateral.clone(), p.debt.clone()),
                        contract("flash.pools.pool", &p.pool)?,
                    );
                }
                Some(FlashTake {
                    receiver: contract("flash.receiver", &f.receiver)?,
                    pools,
                })
            }
            None => None,
        };
        Ok(KeeperConfig {
            keeper,
            margin_account: contract("margin_account", &self.margin_account)?,
            auction: contract("auction", &self.auction)?,
            oracle: contract("oracle", &self.oracle)?,
            strategy: if extra > 0 {
                Strategy::Patient { extra }
            } else {
                Strategy::Eager
            },
            min_profit: fraction("min_profit", self.min_profit)?,
            reference: Box::new(FixedPrices::default()),
            flash,
            state_path: Some(self.state_file.clone()),
            start_ledger,
            tuning: Tuning {
                reaction_delay: self.reaction_delay_secs,
                max_slice: ((self.max_slice * ONE as f64).round() as i128).clamp(1, ONE),
                refresh_above: self.refresh_above,
                refresh_chunk: self.refresh_chunk,
                ..Tuning::default()
            },
        })
    }
}

//! The current parameters a proposal starts from: the deployment config that
//! `scripts/deploy.sh` reads (`scripts/deploy/testnet.json`, format in docs/GOVERNANCE.md).
//!
//! A `queue_*` call takes the **whole** new value, so the proposal copies every field the
//! calibration does not set (vault, caps, `min_debt_value`, keeper pay, ...) from here, and
//! reports old -> new for the fields it does set.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::CalibrationError;

/// `i128` fields as JSON strings (stellar-cli's form; JSON numbers lose digits above 2^53).
pub(crate) mod i128_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not an i128 string")))
    }
}

/// margin-account's `AssetConfig` without `vault` (the deployment config's `assets.SYM.risk`),
/// in the contract's field order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // the SPEC §6.3 names, documented on margin-account's `AssetConfig`
pub struct RiskConfig {
    #[serde(with = "i128_string")]
    pub asset_weight_init: i128,
    #[serde(with = "i128_string")]
    pub asset_weight_maint: i128,
    #[serde(with = "i128_string")]
    pub liab_weight_init: i128,
    #[serde(with = "i128_string")]
    pub liab_weight_maint: i128,
    #[serde(with = "i128_string")]
    pub liquidation_penalty: i128,
    #[serde(with = "i128_string")]
    pub min_debt_value: i128,
    #[serde(with = "i128_string")]
    pub max_trade_slippage: i128,
    #[serde(with = "i128_string")]
    pub deposit_cap: i128,
    #[serde(with = "i128_string")]
    pub borrow_cap: i128,
    /// `AssetMode` as a number (0 Active, 1 ReduceOnly, 2 Frozen).
    pub mode: u32,
}

/// The auction curve as stellar-cli writes an enum with data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CurveConfig {
    /// `(cut, step)`: the price falls by `cut` every `step` seconds.
    StairstepExp(#[serde(with = "i128_string")] i128, u64),
    /// The price falls linearly to zero over `tau` seconds.
    Linear(u64),
}

/// liquidation-auction's `AuctionParams`, in the contract's field order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // the SPEC §7 names, documented on liquidation-auction's `AuctionParams`
pub struct AuctionParams {
    #[serde(with = "i128_string")]
    pub buf: i128,
    pub curve: CurveConfig,
    pub tail: u64,
    #[serde(with = "i128_string")]
    pub cusp: i128,
    #[serde(with = "i128_string")]
    pub tip: i128,
    #[serde(with = "i128_string")]
    pub chip: i128,
    #[serde(with = "i128_string")]
    pub dust: i128,
    #[serde(with = "i128_string")]
    pub max_auction_debt: i128,
    #[serde(with = "i128_string")]
    pub max_asset_debt: i128,
    #[serde(with = "i128_string")]
    pub target_buffer: i128,
    #[serde(with = "i128_string")]
    pub lot_margin: i128,
}

/// margin-account's global `Params`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarginParams {
    /// Most positions per account.
    pub max_positions: u32,
    /// Seconds over which a tightened maint weight ramps to its new value.
    pub ramp_duration: u64,
    /// Longest interval between vault-cache refreshes.
    pub sync_interval: u64,
}

/// What a proposal needs from a deployment config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentBase {
    /// Where it was read from (for the proposal's description).
    pub source: String,
    /// margin-account's global parameters (the ramp duration).
    pub margin_params: MarginParams,
    /// Each listed asset's current risk config, by symbol.
    pub assets: BTreeMap<String, RiskConfig>,
    /// The current auction parameters.
    pub auction: AuctionParams,
}

fn field<'a>(
    v: &'a serde_json::Value,
    path: &[&str],
    source: &str,
) -> Result<&'a serde_json::Value, CalibrationError> {
    path.iter().try_fold(v, |v, key| {
        v.get(key).ok_or_else(|| {
            CalibrationError::InvalidConfig(format!(
                "{source}: no \"{}\" (a deployment config as in docs/GOVERNANCE.md)",
                path.join(".")
            ))
        })
    })
}

fn typed<T: for<'de> Deserialize<'de>>(
    v: &serde_json::Value,
    what: &str,
    source: &str,
) -> Result<T, CalibrationError> {
    T::deserialize(v).map_err(|e| CalibrationError::InvalidConfig(format!("{source}: {what}: {e}")))
}

impl DeploymentBase {
    /// Parses a deployment config's text; `source` names it in errors.
    ///
    /// # Errors
    /// * [`CalibrationError::InvalidConfig`] - not JSON, or a section missing or ill-formed
    ///   (the message names the file and the section).
    pub fn parse(source: &str, text: &str) -> Result<DeploymentBase, CalibrationError> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            CalibrationError::InvalidConfig(format!("{source}: not valid JSON: {e}"))
        })?;
        let margin_params = typed(
            field(&v, &["margin_account", "params"], source)?,
            "margin_account.params",
            source,
        )?;
        let auction = typed(
            field(&v, &["liquidation_auction", "params"], source)?,
            "liquidation_auction.params",
            source,
        )?;
        let listed = field(&v, &["assets"], source)?.as_object().ok_or_else(|| {
            CalibrationError::InvalidConfig(format!("{source}: \"assets\" is not an object"))
        })?;
        let mut assets = BTreeMap::new();
        for (symbol, asset) in listed {
            let what = format!("assets.{symbol}.risk");
            let risk = typed(field(asset, &["risk"], source)?, &what, source)?;
            assets.insert(symbol.clone(), risk);
        }
        Ok(DeploymentBase {
            source: source.to_string(),
            margin_params,
            assets,
            auction,
        })
    }

    /// Reads and parses a deployment config file.
    ///
    /// # Errors
    /// * [`CalibrationError::InvalidConfig`] - unreadable, or as [`DeploymentBase::parse`].
    pub fn load(path: impl AsRef<Path>) -> Result<DeploymentBase, CalibrationError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| CalibrationError::InvalidConfig(format!("{name}: {e}")))?;
        DeploymentBase::parse(&name, &text)
    }

    /// The listed symbol a series stands for: `explicit` if given (it must be listed), else the
    /// longest listed symbol the series name starts with, ignoring case
    /// (`ETHUSDT_perp_1m_...` -> `ETH`).
    ///
    /// # Errors
    /// * [`CalibrationError::InvalidConfig`] - the symbol is not listed, or none matches.
    pub fn symbol_for(
        &self,
        series_name: &str,
        explicit: Option<&str>,
    ) -> Result<String, CalibrationError> {
        let listed: Vec<&str> = self.assets.keys().map(String::as_str).collect();
        if let Some(s) = explicit {
            return if self.assets.contains_key(s) {
                Ok(s.to_string())
            } else {
                Err(CalibrationError::InvalidConfig(format!(
                    "{}: no asset {s:?} (listed: {})",
                    self.source,
                    listed.join(", ")
                )))
            };
        }
        let upper = series_name.to_ascii_uppercase();
        listed
            .iter()
            .filter(|s| upper.starts_with(&s.to_ascii_uppercase()))
            .max_by_key(|s| s.len())
            .map(|s| s.to_string())
            .ok_or_else(|| {
                CalibrationError::InvalidConfig(format!(
                    "series {series_name:?} names no asset of {} (listed: {}); give --symbols",
                    self.source,
                    listed.join(", ")
                ))
            })
    }
}

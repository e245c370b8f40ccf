//! The proposal as a governance file that `scripts/governance.sh queue|apply|cancel --proposal
//! FILE` issues through the timelocks (format: docs/GOVERNANCE.md).
//!
//! Changes, in the order they are queued and applied:
//! 1. `margin-params` (only when a ramp duration other than the current one is asked for):
//!    applied first, so the asset changes after it ramp over the new duration.
//! 2. One `asset-config` per calibrated asset: the whole `AssetConfig` (SPEC §6.3), the five
//!    calibrated figures replacing the current ones, every other field (vault, caps,
//!    `min_debt_value`, `max_trade_slippage`, mode) copied from the deployment config.
//! 3. One `auction-params`: `buf`, the stairstep `(cut, step)`, `tail` and `cusp` calibrated,
//!    keeper pay, dust, caps and target buffer copied; `lot_margin` at least `buf` (the lot must
//!    cover the tab at the curve's top).
//!
//! Haircut ramps are not a change of their own: margin-account ramps a lowered
//! `asset_weight_maint` (or a raised `liab_weight_maint`) linearly over `ramp_duration` from the
//! moment `apply_asset` runs (contracts/margin-account/src/config.rs); init weights change at
//! once. Each summary says which weights ramp and over how long. An asset whose figures equal
//! the current ones gets no change.

pub mod base;

use serde::Serialize;

pub use base::{AuctionParams, CurveConfig, DeploymentBase, MarginParams, RiskConfig};

use crate::error::CalibrationError;
use crate::proposal::abi::{from_abi, ABI_ONE};
use crate::proposal::{AssetProposal, Proposal};

/// liquidation-auction refuses a `buf` above 2.0 (`AuctionParams::validate`).
pub const MAX_BUF_ABI: i128 = 2 * ABI_ONE;

/// Named arguments of one call, serialised in the entry point's parameter order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[allow(missing_docs)] // the Rust parameter names of the entry points
pub enum Args {
    AssetConfig {
        asset: String,
        config: AssetConfigArg,
    },
    Asset {
        asset: String,
    },
    AuctionParams {
        params: AuctionParams,
    },
    MarginParams {
        params: MarginParams,
    },
    None {},
}

/// margin-account's whole `AssetConfig`: the vault reference, then the risk fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssetConfigArg {
    /// `@vault:SYM`, resolved from the deployment file by the script.
    pub vault: String,
    /// Every other field, in the contract's order.
    #[serde(flatten)]
    pub risk: RiskConfig,
}

/// One step of a change: the entry point and its arguments.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Call {
    /// Entry point.
    pub function: String,
    /// Named arguments.
    pub args: Args,
}

/// One timelocked change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Deployment name of the contract.
    pub contract: String,
    /// Change kind (docs/GOVERNANCE.md).
    pub change: String,
    /// Old -> new, and the ramps.
    pub summary: String,
    /// Queue step.
    pub queue: Call,
    /// Apply step.
    pub apply: Call,
    /// Cancel step.
    pub cancel: Call,
}

/// A proposal file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProposalFile {
    /// One line.
    pub title: String,
    /// The inputs and every figure's reasoning.
    pub description: String,
    /// The changes, in queue/apply order.
    pub changes: Vec<Change>,
}

impl ProposalFile {
    /// Pretty JSON with a final newline, as committed under docs/calibration/.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("plain data serialises");
        text.push('\n');
        text
    }
}

/// Options of [`proposal_file`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileOptions {
    /// A new `ramp_duration` in seconds (`None` keeps the deployment's).
    pub ramp_duration: Option<u64>,
    /// Where the prices came from (for the description).
    pub sources: Vec<String>,
}

/// A 7-decimal ratio without trailing zeros (`8500000` -> `0.85`).
pub fn ratio(x: i128) -> String {
    let text = format!("{:.7}", from_abi(x));
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn days(seconds: u64) -> String {
    let d = seconds as f64 / 86_400.0;
    format!("{} days", ratio((d * ABI_ONE as f64).round() as i128))
}

fn call(function: &str, args: Args) -> Call {
    Call {
        function: function.to_string(),
        args,
    }
}

/// Builds the governance file for `proposal`, one symbol per proposed asset.
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - a symbol count that does not match, or a symbol
///   missing from the deployment config.
/// * [`CalibrationError::RuleViolation`] - nothing would change (an empty proposal).
pub fn proposal_file(
    proposal: &Proposal,
    base: &DeploymentBase,
    symbols: &[String],
    options: &FileOptions,
) -> Result<ProposalFile, CalibrationError> {
    if symbols.len() != proposal.assets.len() {
        return Err(CalibrationError::InvalidConfig(format!(
            "{} symbols for {} calibrated assets",
            symbols.len(),
            proposal.assets.len()
        )));
    }
    let mut changes = Vec::new();
    let mut ramp = base.margin_params.ramp_duration;
    if let Some(new) = options.ramp_duration.filter(|r| *r != ramp) {
        changes.push(margin_params_change(&base.margin_params, new));
        ramp = new;
    }
    for (asset, symbol) in proposal.assets.iter().zip(symbols) {
        let current = base.assets.get(symbol).ok_or_else(|| {
            CalibrationError::InvalidConfig(format!("{}: no asset {symbol:?}", base.source))
        })?;
        if let Some(c) = asset_change(asset, symbol, current, ramp) {
            changes.push(c);
        }
    }
    if let Some(c) = auction_change(proposal, &base.auction) {
        changes.push(c);
    }
    if changes.is_empty() {
        return Err(CalibrationError::RuleViolation(
            "the calibrated parameters equal the current ones: nothing to propose".into(),
        ));
    }
    let names: Vec<&str> = symbols.iter().map(String::as_str).collect();
    let c = &proposal.config;
    Ok(ProposalFile {
        title: format!(
            "Calibrated risk parameters for {} and the auction ({}% {}, {} s liquidation horizon)",
            names.join(", "),
            c.confidence * 100.0,
            c.measure.name(),
            c.horizon.total_seconds()
        ),
        description: description(proposal, base, symbols, options),
        changes,
    })
}

fn margin_params_change(current: &MarginParams, ramp_duration: u64) -> Change {
    let params = MarginParams {
        ramp_duration,
        ..current.clone()
    };
    Change {
        contract: "margin-account".into(),
        change: "margin-params".into(),
        summary: format!(
            "ramp_duration {} -> {} (applied before the asset changes, so their haircut ramps \
             use it); max_positions and sync_interval unchanged",
            days(current.ramp_duration),
            days(ramp_duration)
        ),
        queue: call("queue_params", Args::MarginParams { params }),
        apply: call("apply_params", Args::None {}),
        cancel: call("cancel_params", Args::None {}),
    }
}

/// `name old -> new` with what the contract does with the change.
fn weight_note(name: &str, old: i128, new: i128, ramps: bool, ramp: u64) -> String {
    let how = if old == new {
        return format!("{name} {} (unchanged)", ratio(old));
    } else if ramps && ramp > 0 {
        format!(
            " (tightened: ramps linearly over ramp_duration {})",
            days(ramp)
        )
    } else if ramps {
        " (tightened at once: ramp_duration is 0)".to_string()
    } else {
        String::new()
    };
    format!("{name} {} -> {}{how}", ratio(old), ratio(new))
}

fn asset_change(a: &AssetProposal, symbol: &str, cur: &RiskConfig, ramp: u64) -> Option<Change> {
    let w = &a.weights.abi;
    let risk = RiskConfig {
        asset_weight_init: w.asset_weight_init,
        asset_weight_maint: w.asset_weight_maint,
        liab_weight_init: w.liab_weight_init,
        liab_weight_maint: w.liab_weight_maint,
        liquidation_penalty: w.liquidation_penalty,
        ..cur.clone()
    };
    if risk == *cur {
        return None;
    }
    let notes = [
        weight_note(
            "asset_weight_init",
            cur.asset_weight_init,
            risk.asset_weight_init,
            false,
            ramp,
        ),
        weight_note(
            "asset_weight_maint",
            cur.asset_weight_maint,
            risk.asset_weight_maint,
            risk.asset_weight_maint < cur.asset_weight_maint,
            ramp,
        ),
        weight_note(
            "liab_weight_init",
            cur.liab_weight_init,
            risk.liab_weight_init,
            false,
            ramp,
        ),
        weight_note(
            "liab_weight_maint",
            cur.liab_weight_maint,
            risk.liab_weight_maint,
            risk.liab_weight_maint > cur.liab_weight_maint,
            ramp,
        ),
        weight_note(
            "liquidation_penalty",
            cur.liquidation_penalty,
            risk.liquidation_penalty,
            false,
            ramp,
        ),
    ];
    let asset = format!("@token:{symbol}");
    Some(Change {
        contract: "margin-account".into(),
        change: "asset-config".into(),
        summary: format!("{symbol} (from {}): {}", a.risk.name, notes.join(", ")),
        queue: call(
            "queue_asset",
            Args::AssetConfig {
                asset: asset.clone(),
                config: AssetConfigArg {
                    vault: format!("@vault:{symbol}"),
                    risk,
                },
            },
        ),
        apply: call(
            "apply_asset",
            Args::Asset {
                asset: asset.clone(),
            },
        ),
        cancel: call("cancel_asset", Args::Asset { asset }),
    })
}

/// The calibrated auction parameters on top of `current`.
pub fn calibrated_auction(proposal: &Proposal, current: &AuctionParams) -> AuctionParams {
    let a = &proposal.auction.abi;
    let buf = a.buf.min(MAX_BUF_ABI);
    AuctionParams {
        buf,
        curve: CurveConfig::StairstepExp(a.cut, a.step),
        tail: a.tail,
        cusp: a.cusp,
        lot_margin: current.lot_margin.max(buf),
        ..current.clone()
    }
}

fn curve_text(c: &CurveConfig) -> String {
    match c {
        CurveConfig::StairstepExp(cut, step) => format!("cut {} every {step} s", ratio(*cut)),
        CurveConfig::Linear(tau) => format!("linear to zero over {tau} s"),
    }
}

fn auction_change(proposal: &Proposal, current: &AuctionParams) -> Option<Change> {
    let params = calibrated_auction(proposal, current);
    if params == *current {
        return None;
    }
    let capped = if proposal.auction.abi.buf > MAX_BUF_ABI {
        format!(
            " (capped at liquidation-auction's limit {}; calibrated {})",
            ratio(MAX_BUF_ABI),
            ratio(proposal.auction.abi.buf)
        )
    } else {
        String::new()
    };
    let summary = format!(
        "auction (from {}): buf {} -> {}{capped}, {} -> {}, tail {} s -> {} s, cusp {} -> {}, \
         lot_margin {} -> {}; tip, chip, dust, caps and target_buffer unchanged",
        proposal.auction.driven_by,
        ratio(current.buf),
        ratio(params.buf),
        curve_text(&current.curve),
        curve_text(&params.curve),
        current.tail,
        params.tail,
        ratio(current.cusp),
        ratio(params.cusp),
        ratio(current.lot_margin),
        ratio(params.lot_margin),
    );
    Some(Change {
        contract: "liquidation-auction".into(),
        change: "auction-params".into(),
        summary,
        queue: call("queue_params", Args::AuctionParams { params }),
        apply: call("apply_params", Args::None {}),
        cancel: call("cancel_params", Args::None {}),
    })
}

fn description(
    proposal: &Proposal,
    base: &DeploymentBase,
    symbols: &[String],
    options: &FileOptions,
) -> String {
    let mut lines = vec![
        format!(
            "Generated by `calibrate` from {}; fields the calibration does not set are copied \
             from {}. Format: docs/GOVERNANCE.md.",
            if options.sources.is_empty() {
                "the given series".to_string()
            } else {
                options.sources.join(", ")
            },
            base.source
        ),
        "Tightened maint weights ramp over margin-account's ramp_duration from apply_asset; \
         init weights and the penalty change at once."
            .to_string(),
    ];
    lines.extend(proposal.reasoning.iter().cloned());
    for (a, symbol) in proposal.assets.iter().zip(symbols) {
        lines.extend(a.weights.reasoning.iter().map(|r| format!("{symbol}: {r}")));
    }
    lines.extend(
        proposal
            .auction
            .reasoning
            .iter()
            .map(|r| format!("auction: {r}")),
    );
    lines.join("\n")
}

//! The parameter sets a backtest compares: the proposal, tighter and looser versions of it, and
//! optionally the config in force.
//!
//! An alternative scales the proposal's **haircuts** by `k`: `1 - aw' = k (1 - aw)` for both asset
//! weights and `lw' - 1 = k (lw - 1)` for both liability weights, so `k > 1` is tighter (less
//! borrowing power, more room for the price to fall before a liquidation loses money) and
//! `k < 1` looser. The penalty and the auction stay the proposal's: the frontier isolates the
//! haircut choice. Scaled weights are clamped to the SPEC rules (`0 <= awi <= awm`,
//! `awm (1 + penalty) < 1`, `lwi >= lwm >= 1`) and rounded in the protocol's favour.

use crate::proposal::abi::{AbiAssetConfig, AbiAuction, ABI_ONE};
use crate::Proposal;

/// Where a candidate comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Role {
    /// The calibrated proposal.
    Proposal,
    /// The proposal's haircuts times `k`.
    Scaled(f64),
    /// The parameters in force (the deployment config).
    Current,
}

/// A parameter set to backtest: one asset config per calibrated asset (input order) and the
/// auction.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Row label.
    pub label: String,
    /// Its origin.
    pub role: Role,
    /// Asset configs in ABI form.
    pub assets: Vec<AbiAssetConfig>,
    /// Auction parameters in ABI form.
    pub auction: AbiAuction,
}

impl Candidate {
    /// The proposal itself.
    pub fn proposal(p: &Proposal) -> Candidate {
        Candidate {
            label: "proposal".into(),
            role: Role::Proposal,
            assets: p.assets.iter().map(|a| a.weights.abi).collect(),
            auction: p.auction.abi,
        }
    }

    /// The same parameters with asset `i`'s config as the collateral (the backtest's asset 0):
    /// how a multi-asset proposal is backtested one series at a time. `None` if there is no
    /// asset `i`.
    pub fn for_asset(&self, i: usize) -> Option<Candidate> {
        Some(Candidate {
            assets: vec![*self.assets.get(i)?],
            ..self.clone()
        })
    }

    /// Whether this is the proposal (the frontier marks it).
    pub fn is_proposal(&self) -> bool {
        self.role == Role::Proposal
    }
}

/// `k * x` for an ABI integer `x >= 0`, rounded up; a product within `1e-6` of an integer is
/// that integer (`2 * 3000000` must not become `6000001` through `f64` noise).
fn scaled_up(x: i128, k: f64) -> i128 {
    let v = k * x as f64;
    if (v - v.round()).abs() < 1e-6 {
        v.round() as i128
    } else {
        v.ceil() as i128
    }
}

/// `k` times the haircut of an asset weight: `1 - k (1 - w)`, at least 0, rounded down.
fn scale_asset_weight(w: i128, k: f64) -> i128 {
    (ABI_ONE - scaled_up(ABI_ONE - w, k)).max(0)
}

/// `k` times the excess of a liability weight: `1 + k (w - 1)`, at least 1, rounded up.
fn scale_liab_weight(w: i128, k: f64) -> i128 {
    ABI_ONE + scaled_up(w - ABI_ONE, k).max(0)
}

/// One asset config with its haircuts scaled by `k` (module docs), kept within the SPEC rules.
pub fn scale_config(c: &AbiAssetConfig, k: f64) -> AbiAssetConfig {
    let p = c.liquidation_penalty;
    let mut awm = scale_asset_weight(c.asset_weight_maint, k);
    // awm (1 + p) < 1 on the integers, as margin-account checks it.
    while awm > 0 && awm * (ABI_ONE + p) >= ABI_ONE * ABI_ONE {
        awm -= 1;
    }
    let awi = scale_asset_weight(c.asset_weight_init, k).min(awm);
    let lwm = scale_liab_weight(c.liab_weight_maint, k);
    let lwi = scale_liab_weight(c.liab_weight_init, k).max(lwm);
    AbiAssetConfig {
        asset_weight_init: awi,
        asset_weight_maint: awm,
        liab_weight_init: lwi,
        liab_weight_maint: lwm,
        liquidation_penalty: p,
    }
}

/// The proposal and one alternative per scale (`k > 1` tighter, `k < 1` looser), ordered from
/// the loosest to the tightest; a scale of 1 is the proposal and is not repeated.
pub fn alternatives(p: &Proposal, scales: &[f64]) -> Vec<Candidate> {
    let base = Candidate::proposal(p);
    let mut ks: Vec<f64> = scales
        .iter()
        .copied()
        .filter(|k| k.is_finite() && *k > 0.0 && *k != 1.0)
        .chain(std::iter::once(1.0))
        .collect();
    ks.sort_by(f64::total_cmp);
    ks.dedup();
    ks.into_iter()
        .map(|k| {
            if k == 1.0 {
                return base.clone();
            }
            let side = if k > 1.0 { "tighter" } else { "looser" };
            Candidate {
                label: format!("{side} x{k}"),
                role: Role::Scaled(k),
                assets: base.assets.iter().map(|c| scale_config(c, k)).collect(),
                auction: base.auction,
            }
        })
        .collect()
}

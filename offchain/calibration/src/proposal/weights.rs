//! The asset-config rules: penalty, asset weights, liability weights (rules in
//! [`crate::proposal`] module docs).

use std::f64::consts::PI;

use super::abi::{ceil_abi, floor_abi, from_abi, AbiAssetConfig, ABI_ONE};
use super::{pct, ProposalConfig};
use crate::asset::{AssetRisk, TailSources};
use crate::error::CalibrationError;
use crate::tail::Side;

/// An asset's proposed risk config with the estimates it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightProposal {
    /// Downside tail over the liquidation horizon.
    pub downside_horizon: TailSources,
    /// Upside tail over the liquidation horizon.
    pub upside_horizon: TailSources,
    /// Downside tail over the margin-call window.
    pub downside_window: TailSources,
    /// Upside tail over the margin-call window.
    pub upside_window: TailSources,
    /// The config in ABI form; the figures below are these integers read back.
    pub abi: AbiAssetConfig,
    /// One line per figure: the rule, the inputs, the result.
    pub reasoning: Vec<String>,
}

/// Largest liability weight proposed (ABI form, 10.0). A debt needing more than ten times its
/// value in collateral is not meaningfully borrowable: the reasoning then says to disable
/// borrowing (`borrow_cap` 0 or mode `ReduceOnly`) instead of publishing an absurd weight.
pub const MAX_LIAB_WEIGHT_ABI: i128 = 100_000_000;

/// Derives penalty and weights for one asset.
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - a confidence outside `(0, 1)`.
/// * [`CalibrationError::RuleViolation`] - the result breaks SPEC §3/§6.3 (a bug guard).
pub fn propose_weights(
    risk: &AssetRisk,
    config: &ProposalConfig,
) -> Result<WeightProposal, CalibrationError> {
    let (c, h, w) = (
        config.confidence,
        config.horizon.total_seconds(),
        config.margin_call_window_seconds,
    );
    let down_h = risk.tails(Side::Downside, h, c)?;
    let up_h = risk.tails(Side::Upside, h, c)?;
    let down_w = risk.tails(Side::Downside, w, c)?;
    let up_w = risk.tails(Side::Upside, w, c)?;
    let mut reasoning = Vec::new();
    let (penalty, why) = penalty(risk, config);
    reasoning.push(why);
    let (awm, awi) = asset_weights(&down_h, &down_w, penalty, config, &mut reasoning);
    let (lwm, lwi) = liab_weights(&up_h, &up_w, config, &mut reasoning);
    let abi = AbiAssetConfig {
        asset_weight_init: awi,
        asset_weight_maint: awm,
        liab_weight_init: lwi,
        liab_weight_maint: lwm,
        liquidation_penalty: penalty,
    };
    abi.check()?;
    Ok(WeightProposal {
        downside_horizon: down_h,
        upside_horizon: up_h,
        downside_window: down_w,
        upside_window: up_w,
        abi,
        reasoning,
    })
}

/// `penalty = keeper_bonus + swap_cost + sqrt(2/pi) * sigma * sqrt(T_clear)`, rounded up.
fn penalty(risk: &AssetRisk, config: &ProposalConfig) -> (i128, String) {
    let clear = config.horizon.auction_clearing_seconds;
    let sigma = risk.stressed_vol();
    let slippage = (2.0 / PI).sqrt() * sigma.over(clear as f64);
    let raw = config.keeper_bonus + config.swap_cost + slippage;
    let abi = ceil_abi(raw);
    let why = format!(
        "liquidation_penalty = keeper bonus + swap cost + expected move while the auction clears \
         = {} + {} + sqrt(2/pi) * {} * sqrt({clear} s / year) = {} -> {:.7} ({abi}); stressed vol \
         = max(realised {}, peak EWMA {}); the mean absolute move sqrt(2/pi) * s is the slippage \
         a keeper expects between the oracle price and its fill",
        pct(config.keeper_bonus),
        pct(config.swap_cost),
        pct(sigma.annualised()),
        pct(raw),
        from_abi(abi),
        pct(risk.realised.annualised()),
        pct(risk.ewma.peak.annualised()),
    );
    (abi, why)
}

/// `awm = (1 - L_h) / (1 + penalty)` rounded down (kept strictly under `1 / (1 + penalty)`),
/// `awi = awm * (1 - L_w)` rounded down.
fn asset_weights(
    down_h: &TailSources,
    down_w: &TailSources,
    penalty: i128,
    config: &ProposalConfig,
    reasoning: &mut Vec<String>,
) -> (i128, i128) {
    let (c, m) = (config.confidence, config.measure);
    let (h, w) = (down_h.horizon_seconds, down_w.horizon_seconds);
    let p = from_abi(penalty);
    let (l_h, src) = down_h.worst(m);
    let mut awm = floor_abi(((1.0 - l_h) / (1.0 + p)).max(0.0));
    // Floor rounding cannot reach 1/(1+p) exactly unless l_h = 0; keep the rule strict anyway.
    while awm > 0 && awm * (ABI_ONE + penalty) >= ABI_ONE * ABI_ONE {
        awm -= 1;
    }
    reasoning.push(format!(
        "asset_weight_maint = (1 - L) / (1 + penalty) = (1 - {}) / (1 + {}) -> {:.7} ({awm}): \
         L = {}% {} of the fall over the {h} s liquidation horizon, {src}; a position at \
         maintenance still covers its debt plus the penalty after that fall",
        pct(l_h),
        pct(p),
        from_abi(awm),
        c * 100.0,
        m.name(),
    ));
    let (l_w, src) = down_w.worst(m);
    let awi = floor_abi(from_abi(awm) * (1.0 - l_w).max(0.0));
    reasoning.push(format!(
        "asset_weight_init = asset_weight_maint * (1 - L_w) = {:.7} * (1 - {}) -> {:.7} ({awi}): \
         L_w = {}% {} of the fall over the {w} s margin-call window, {src}; a position opened \
         at init health stays above maintenance through that window",
        from_abi(awm),
        pct(l_w),
        from_abi(awi),
        c * 100.0,
        m.name(),
    ));
    (awm, awi)
}

/// `lwm = 1 + U_h` rounded up, `lwi = lwm * (1 + U_w)` rounded up.
fn liab_weights(
    up_h: &TailSources,
    up_w: &TailSources,
    config: &ProposalConfig,
    reasoning: &mut Vec<String>,
) -> (i128, i128) {
    let (c, m) = (config.confidence, config.measure);
    let (h, w) = (up_h.horizon_seconds, up_w.horizon_seconds);
    let (u_h, src) = up_h.worst(m);
    let lwm = ceil_abi(1.0 + u_h.max(0.0)).max(ABI_ONE);
    reasoning.push(format!(
        "liab_weight_maint = 1 + U = 1 + {} -> {:.7} ({lwm}): U = {}% {} of the rise over the \
         {h} s horizon, {src}; the debt's rise during a liquidation is covered (its penalty is \
         carried by the collateral's weight)",
        pct(u_h),
        from_abi(lwm),
        c * 100.0,
        m.name(),
    ));
    let (u_w, src) = up_w.worst(m);
    let lwi = ceil_abi(from_abi(lwm) * (1.0 + u_w.max(0.0))).max(lwm);
    reasoning.push(format!(
        "liab_weight_init = liab_weight_maint * (1 + U_w) = {:.7} * (1 + {}) -> {:.7} ({lwi}): \
         U_w = {}% {} of the rise over the {w} s margin-call window, {src}",
        from_abi(lwm),
        pct(u_w),
        from_abi(lwi),
        c * 100.0,
        m.name(),
    ));
    if lwi > MAX_LIAB_WEIGHT_ABI {
        reasoning.push(format!(
            "liability weights capped at {:.1}: a rise this large cannot be covered by any \
             sensible collateral; list the asset with borrowing disabled (borrow_cap 0 or mode \
             ReduceOnly)",
            from_abi(MAX_LIAB_WEIGHT_ABI)
        ));
    }
    (lwm.min(MAX_LIAB_WEIGHT_ABI), lwi.min(MAX_LIAB_WEIGHT_ABI))
}

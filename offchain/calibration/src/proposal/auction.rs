//! The auction rules: `buf`, `cut`/`step`, `cusp`, `tail` (rules in [`crate::proposal`] module
//! docs).

use super::abi::{ceil_abi, floor_abi, from_abi, AbiAuction, MAX_CUT_ABI};
use super::{pct, ProposalConfig};
use crate::error::CalibrationError;
use crate::normal;
use crate::vol::Volatility;

/// Smallest `buf`: 1%, so the first steps never sell under spot when the feed lags by a tick.
pub const MIN_BUF: f64 = 1.01;

/// Longest `tail`: one day. With little volatility the time for the market to reach `cusp`
/// grows without bound, and an auction should not outlive a day of news without a fresh spot.
pub const MAX_TAIL_SECONDS: u64 = 86_400;

/// Proposed stairstep auction parameters with their reasoning.
#[derive(Clone, Debug, PartialEq)]
pub struct AuctionProposal {
    /// The asset whose volatility set them.
    pub driven_by: String,
    /// The (stressed) volatility used.
    pub vol: Volatility,
    /// The parameters in ABI form.
    pub abi: AbiAuction,
    /// One line per parameter.
    pub reasoning: Vec<String>,
}

/// What the auction rules read: the volatility, the horizon's parts and the two quantiles.
struct Inputs {
    vol: Volatility,
    c: f64,
    c_hi: f64,
    z: f64,
    z_hi: f64,
    stale: u64,
    clear: u64,
    horizon: u64,
    step: u64,
    swap: f64,
}

/// Derives the auction parameters from one asset's stressed volatility.
///
/// # Errors
/// * [`CalibrationError::InvalidConfig`] - confidence outside `(0, 1)` or a zero step.
/// * [`CalibrationError::RuleViolation`] - the result breaks SPEC §7 (a bug guard).
pub fn propose_auction(
    name: &str,
    vol: Volatility,
    config: &ProposalConfig,
) -> Result<AuctionProposal, CalibrationError> {
    let c = config.confidence;
    if !(c > 0.0 && c < 1.0) || config.auction_step_seconds == 0 {
        return Err(CalibrationError::InvalidConfig(
            "confidence must be in (0, 1) and the auction step positive".into(),
        ));
    }
    let c_hi = 1.0 - (1.0 - c) / 10.0;
    let x = Inputs {
        vol,
        c,
        c_hi,
        z: normal::quantile(c),
        z_hi: normal::quantile(c_hi),
        stale: config.horizon.staleness_seconds(),
        clear: config.horizon.auction_clearing_seconds,
        horizon: config.horizon.total_seconds(),
        step: config.auction_step_seconds,
        swap: config.swap_cost,
    };
    let mut reasoning = Vec::new();
    let buf = buf(&x, &mut reasoning);
    let (cut, steps) = cut(&x, buf, &mut reasoning);
    let cusp = cusp(&x, buf, cut, steps, &mut reasoning);
    let min_tail = x.clear + x.step;
    let tail = tail_seconds(from_abi(cusp) * from_abi(buf), x.z, vol, min_tail);
    reasoning.push(format!(
        "tail = (ln(cusp * buf) / (z sigma))^2 -> {tail} s (within [{min_tail}, \
         {MAX_TAIL_SECONDS}]): the time in which the market can move, at {}% confidence, as far \
         as the cusp price; after it the start spot is too old to anchor the curve",
        c * 100.0,
    ));
    let abi = AbiAuction {
        buf,
        cut,
        step: x.step,
        tail,
        cusp,
    };
    abi.check()?;
    Ok(AuctionProposal {
        driven_by: name.to_string(),
        vol,
        abi,
        reasoning,
    })
}

/// `buf = max(1 + U_s, MIN_BUF)`, rounded up.
fn buf(x: &Inputs, reasoning: &mut Vec<String>) -> i128 {
    let up = (x.z * x.vol.over(x.stale as f64)).exp_m1();
    let buf = ceil_abi((1.0 + up).max(MIN_BUF));
    reasoning.push(format!(
        "buf = max(1 + U_s, {MIN_BUF}) = max(1 + {}, {MIN_BUF}) -> {:.7} ({buf}): U_s = {}% \
         parametric VaR of the rise over oracle resolution + keeper latency ({} s) at vol {}; \
         the auction starts above any price the stale spot plausibly hides",
        pct(up),
        from_abi(buf),
        x.c * 100.0,
        x.stale,
        pct(x.vol.annualised()),
    ));
    buf
}

/// `cut = (f / buf)^(1/n)`, rounded down and capped at [`MAX_CUT_ABI`]; returns `(cut, n)`.
fn cut(x: &Inputs, buf: i128, reasoning: &mut Vec<String>) -> (i128, u64) {
    let low = -(-x.z * x.vol.over(x.stale as f64)).exp_m1();
    let target = (1.0 - low) * (1.0 - x.swap);
    let steps = (x.clear / x.step).max(1);
    let cut = floor_abi((target / from_abi(buf)).powf(1.0 / steps as f64)).min(MAX_CUT_ABI);
    reasoning.push(format!(
        "cut = (f / buf)^(1 / n) = ({target:.5} / {:.7})^(1/{steps}) -> {:.7} ({cut}) every \
         step = {} s: f = (1 - L_s)(1 - swap cost) = (1 - {})(1 - {}) is the lowest plausible \
         spot net of the keeper's swap cost, reached within the {} s clearing target ({steps} \
         steps), so the curve crosses the whole plausible range in time",
        from_abi(buf),
        from_abi(cut),
        x.step,
        pct(low),
        pct(x.swap),
        x.clear,
    ));
    (cut, steps)
}

/// `cusp = min(exp(-z' s_h)(1 - swap) / buf, cut^(n+1))`, rounded down.
fn cusp(x: &Inputs, buf: i128, cut: i128, steps: u64, reasoning: &mut Vec<String>) -> i128 {
    let deep = (-x.z_hi * x.vol.over(x.horizon as f64)).exp() * (1.0 - x.swap) / from_abi(buf);
    let after_target = from_abi(cut).powi(steps as i32 + 1);
    let cusp = floor_abi(deep.min(after_target));
    reasoning.push(format!(
        "cusp = min(exp(-z' s_h)(1 - swap cost) / buf, cut^(n+1)) = min({deep:.5}, \
         {after_target:.5}) -> {:.7} ({cusp}): exp(-z' s_h) is the {}% low over the whole {} s \
         horizon (z' = {:.4}); below it the curve sells under any plausible market price, so \
         the auction restarts from a fresh spot; cut^(n+1) keeps it one step below the clearing \
         target",
        from_abi(cusp),
        x.c_hi * 100.0,
        x.horizon,
        x.z_hi,
    ));
    cusp
}

/// Seconds for a `z`-sigma move to reach the price ratio `ratio` (< 1) of spot, clamped to
/// `[min, MAX_TAIL_SECONDS]` and rounded down.
fn tail_seconds(ratio: f64, z: f64, vol: Volatility, min: u64) -> u64 {
    let per_sqrt_second = vol.over(1.0);
    if per_sqrt_second <= 0.0 || ratio >= 1.0 {
        return MAX_TAIL_SECONDS.max(min);
    }
    let t = (ratio.ln() / (z * per_sqrt_second)).powi(2);
    let t = if t.is_finite() {
        t.floor() as u64
    } else {
        MAX_TAIL_SECONDS
    };
    t.clamp(min, MAX_TAIL_SECONDS.max(min))
}

//! `watch` mode: margin calls as JSON lines for a wallet backend.
//!
//! Each line is one account: its health factors, whether it is in the margin-call zone
//! (`init < 1 <= maint`: it can no longer add risk and is one move from liquidation), and the
//! price moves that would make it liquidatable: per position, the factor its price must be
//! multiplied by with the others fixed (`< 1` a fall, `> 1` a rise), and the joint factor of
//! all collateral prices against the debt.

use serde_json::{json, Value};

use super::market::{factor, Market};
use super::protocol::AccountKey;

/// One account's margin-call line.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginCall {
    /// The account.
    pub account: AccountKey,
    /// Init health factor; `None` when unbounded (no debt).
    pub init: Option<f64>,
    /// Maint health factor.
    pub maint: Option<f64>,
    /// `init < 1 <= maint`.
    pub margin_call: bool,
    /// Per asset: the price factor that makes the account liquidatable.
    pub price_moves: Vec<(String, f64)>,
    /// All collateral prices jointly against the debt.
    pub collateral_move: Option<f64>,
}

impl MarginCall {
    /// The JSON line.
    pub fn to_json(&self) -> Value {
        json!({
            "owner": self.account.0,
            "id": self.account.1,
            "init_health": self.init,
            "maint_health": self.maint,
            "margin_call": self.margin_call,
            "price_moves": self.price_moves.iter().map(|(asset, m)| json!({
                "asset": asset,
                "factor": m,
                "change_pct": (m - 1.0) * 100.0,
            })).collect::<Vec<_>>(),
            "collateral_move": self.collateral_move,
        })
    }
}

/// Every account in the margin-call zone, then the `nearest` other healthy accounts with the
/// lowest maint health; each group most urgent (lowest maint health) first. Liquidatable
/// accounts are the keeper's business, not a margin call; accounts without debt never appear.
pub fn margin_calls(
    market: &Market,
    snapshot: &super::engine::Snapshot,
    nearest: usize,
) -> Vec<MarginCall> {
    let mut zone = Vec::new();
    let mut others = Vec::new();
    for (account, positions) in snapshot {
        let Ok(health) = market.health(positions) else {
            continue;
        };
        let abi = health.to_abi();
        let (init, maint) = (factor(abi.init), factor(abi.maint));
        let Some(maint_f) = maint else {
            continue;
        };
        if maint_f < 1.0 {
            continue;
        }
        let Ok(distance) = market.distance(positions) else {
            continue;
        };
        let call = MarginCall {
            account: account.clone(),
            init,
            maint,
            margin_call: init.is_some_and(|i| i < 1.0),
            price_moves: distance.per_asset,
            collateral_move: distance.collateral_move,
        };
        if call.margin_call {
            zone.push(call);
        } else {
            others.push(call);
        }
    }
    let by_maint = |a: &MarginCall, b: &MarginCall| {
        a.maint
            .unwrap_or(f64::MAX)
            .total_cmp(&b.maint.unwrap_or(f64::MAX))
    };
    zone.sort_by(by_maint);
    others.sort_by(by_maint);
    others.truncate(nearest);
    zone.extend(others);
    zone
}

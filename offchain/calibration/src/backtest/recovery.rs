//! Unnecessary liquidations: an account whose auction started at `t` is counted unnecessary when
//! its positions **as they stood at `t`**, left alone and revalued along the price path, are back
//! at maintenance (`health_factor(maint) >= 1`) at some price point in `(t, t + horizon]`.
//!
//! Health is computed natively with risk-core, the same code margin-account runs, so the answer
//! is the contract's answer for those positions and prices (spot quotes, maint weights, collateral
//! rounded down and debt up). Interest accrued over the horizon is ignored: over minutes to hours
//! it moves health by far less than the price does.

use risk_core::{compute_health, AssetRisk, Quote, RiskError, RiskWeights, DEFAULT_PRICE_DECIMALS};

use crate::proposal::abi::AbiAssetConfig;

/// How one asset's positions are valued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Valuation {
    /// Token decimals of its base units.
    pub decimals: u32,
    /// Its config (the maint weights are the ones that count).
    pub config: AbiAssetConfig,
}

/// Prices per asset (USD per whole token) on a regular grid, the grid the simulator ran on.
#[derive(Clone, Debug, PartialEq)]
pub struct PricePaths {
    /// Seconds between points.
    pub step_seconds: u64,
    /// `prices[asset][i]` at `i * step_seconds` after the run's start.
    pub prices: Vec<Vec<f64>>,
}

impl PricePaths {
    /// Points per asset (the shortest path).
    pub fn len(&self) -> usize {
        self.prices.iter().map(Vec::len).min().unwrap_or(0)
    }

    /// Whether there is no price point.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn quote(price: f64) -> Result<Quote, RiskError> {
    let scaled = (price * 10f64.powi(DEFAULT_PRICE_DECIMALS as i32)).round();
    if !(scaled.is_finite() && scaled >= 1.0 && scaled < i128::MAX as f64) {
        return Err(RiskError::InvalidPrice);
    }
    Quote::flat(scaled as i128, DEFAULT_PRICE_DECIMALS)
}

/// The asset risks of `valuations` as risk-core takes them.
///
/// # Errors
/// * [`RiskError`] - weights or decimals margin-account would refuse.
pub fn asset_risks(valuations: &[Valuation]) -> Result<Vec<AssetRisk>, RiskError> {
    valuations
        .iter()
        .map(|v| {
            let c = &v.config;
            let w = RiskWeights::from_abi(
                c.asset_weight_init,
                c.asset_weight_maint,
                c.liab_weight_init,
                c.liab_weight_maint,
            )?;
            AssetRisk::new(v.decimals, w)
        })
        .collect()
}

/// Whether `positions` (asset index, signed base units) are liquidatable at point `i`.
///
/// # Errors
/// * [`RiskError`] - an asset index without a valuation or price, a bad price, an overflow.
pub fn liquidatable_at(
    positions: &[(usize, i128)],
    risks: &[AssetRisk],
    paths: &PricePaths,
    i: usize,
) -> Result<bool, RiskError> {
    let quotes = positions
        .iter()
        .map(|(a, _)| {
            let price = paths
                .prices
                .get(*a)
                .and_then(|p| p.get(i))
                .ok_or(RiskError::InvalidPrice)?;
            quote(*price)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut items = Vec::with_capacity(positions.len());
    for ((a, amount), q) in positions.iter().zip(&quotes) {
        items.push((*amount, risks.get(*a).ok_or(RiskError::InvalidPrice)?, q));
    }
    Ok(compute_health(items)?.is_liquidatable())
}

/// Whether the positions, untouched from `start_seconds`, recover to maintenance at a price point
/// in `(start, start + horizon]` (module docs). Points past the path's end do not count.
///
/// # Errors
/// As [`liquidatable_at`].
pub fn recovers(
    positions: &[(usize, i128)],
    risks: &[AssetRisk],
    paths: &PricePaths,
    start_seconds: u64,
    horizon_seconds: u64,
) -> Result<bool, RiskError> {
    if paths.is_empty() {
        return Ok(false);
    }
    let step = paths.step_seconds.max(1);
    let first = start_seconds / step + 1;
    let last = ((start_seconds + horizon_seconds) / step).min(paths.len() as u64 - 1);
    for i in first..=last {
        if !liquidatable_at(positions, risks, paths, i as usize)? {
            return Ok(true);
        }
    }
    Ok(false)
}

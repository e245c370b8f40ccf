//! Native health with the shared risk core (`risk-core`): the same fixed-point code the
//! contracts run, fed with the account's positions (token units, from margin-account's
//! `positions` view), the asset configs (`asset_config`, ramped `maint_weights`), the tokens'
//! decimals and the adapter's quotes.

use std::collections::BTreeMap;

use risk_core::{
    collateral_move_to_liquidation, price_move_to_liquidation, AssetRisk, Health, HealthSums,
    Quote, RiskError, RiskWeights, Rounding, DEFAULT_PRICE_DECIMALS,
};

/// One asset's risk inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetInfo {
    /// Token decimals.
    pub decimals: u32,
    /// Weights (maint ramped to now) and unit.
    pub risk: AssetRisk,
    /// The adapter's quote.
    pub quote: Quote,
    /// The quote's spot, 14 decimals (USD per whole token).
    pub spot: i128,
}

impl AssetInfo {
    /// From the ABI values: weights 7 decimals, prices 14 decimals.
    ///
    /// # Errors
    ///
    /// Invalid weights, decimals or prices.
    pub fn from_abi(
        decimals: u32,
        weights: [i128; 4],
        spot: i128,
        low: i128,
        high: i128,
    ) -> Result<AssetInfo, RiskError> {
        let [ai, am, li, lm] = weights;
        let w = RiskWeights::from_abi(ai, am, li, lm)?;
        Ok(AssetInfo {
            decimals,
            risk: AssetRisk::new(decimals, w)?,
            quote: Quote::from_adapter(spot, low, high, DEFAULT_PRICE_DECIMALS)?,
            spot,
        })
    }
}

/// The risk inputs of every asset the keeper has seen, by asset strkey.
#[derive(Debug, Clone, Default)]
pub struct Market {
    /// Asset strkey to its inputs.
    pub assets: BTreeMap<String, AssetInfo>,
}

/// How far an account is from liquidation.
#[derive(Debug, Clone, PartialEq)]
pub struct Distance {
    /// Per position: the factor its price must be multiplied by (others fixed) for maint
    /// health 1, when one exists.
    pub per_asset: Vec<(String, f64)>,
    /// The factor every collateral price must move by jointly, debt prices fixed.
    pub collateral_move: Option<f64>,
}

fn ratio_f64(r: risk_core::Ratio) -> f64 {
    r.to_abi(Rounding::Floor) as f64 / 1e7
}

/// A health factor (7-decimal ABI or unbounded) as a float; `None` when unbounded.
pub fn factor(abi: i128) -> Option<f64> {
    (abi != i128::MAX).then(|| abi as f64 / 1e7)
}

impl Market {
    /// The account's health from its positions (`(asset, signed token units)`).
    ///
    /// # Errors
    ///
    /// An asset without inputs ([`RiskError::InvalidPrice`]), or the risk core's overflow.
    pub fn health(&self, positions: &[(String, i128)]) -> Result<Health, RiskError> {
        Ok(self.sums(positions)?.health())
    }

    /// The account's four weighted sums: enough to decide liquidatable (`assets_maint <
    /// liabs_maint`) without a division; the keeper's screen of every account.
    ///
    /// # Errors
    ///
    /// As [`Market::health`].
    pub fn sums(&self, positions: &[(String, i128)]) -> Result<HealthSums, RiskError> {
        let mut sums = HealthSums::ZERO;
        for (asset, amount) in positions {
            let info = self.assets.get(asset).ok_or(RiskError::InvalidPrice)?;
            sums.add_position(*amount, &info.risk, &info.quote)?;
        }
        Ok(sums)
    }

    /// The price moves that make the account liquidatable (see
    /// [`risk_core::price_move_to_liquidation`]).
    ///
    /// # Errors
    ///
    /// As [`Market::health`].
    pub fn distance(&self, positions: &[(String, i128)]) -> Result<Distance, RiskError> {
        let health = self.health(positions)?;
        let maint = health.sums.maint;
        let mut per_asset = Vec::new();
        for (asset, amount) in positions {
            let info = self.assets.get(asset).ok_or(RiskError::InvalidPrice)?;
            if let Some(m) = price_move_to_liquidation(&maint, *amount, &info.risk, &info.quote)? {
                per_asset.push((asset.clone(), ratio_f64(m)));
            }
        }
        Ok(Distance {
            per_asset,
            collateral_move: collateral_move_to_liquidation(&maint).map(ratio_f64),
        })
    }

    /// The value (base currency, floating) of `amount` of `asset` at spot, for ranking.
    pub fn spot_value(&self, asset: &str, amount: i128) -> f64 {
        match self.assets.get(asset) {
            Some(info) => {
                amount.unsigned_abs() as f64 / 10f64.powi(info.decimals as i32) * info.spot as f64
                    / 1e14
            }
            None => 0.0,
        }
    }
}

/// The market indexed for the per-account screen: assets by position in a vector, so an
/// account's positions, resolved once, are valued without a name lookup.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    infos: Vec<AssetInfo>,
    index: BTreeMap<String, u32>,
}

impl Screen {
    /// Indexes `market`.
    pub fn new(market: &Market) -> Self {
        let mut screen = Screen::default();
        for (name, info) in &market.assets {
            screen.index.insert(name.clone(), screen.infos.len() as u32);
            screen.infos.push(info.clone());
        }
        screen
    }

    /// The positions with asset indices; `None` if an asset has no inputs.
    pub fn resolve(&self, positions: &[(String, i128)]) -> Option<Vec<(u32, i128)>> {
        positions
            .iter()
            .map(|(a, n)| Some((*self.index.get(a)?, *n)))
            .collect()
    }

    /// The weighted sums of resolved positions (see [`Market::sums`]).
    ///
    /// # Errors
    ///
    /// An index out of range ([`RiskError::InvalidPrice`]), or the risk core's overflow.
    #[inline]
    pub fn sums(&self, positions: &[(u32, i128)]) -> Result<HealthSums, RiskError> {
        let mut sums = HealthSums::ZERO;
        for &(i, amount) in positions {
            let info = self.infos.get(i as usize).ok_or(RiskError::InvalidPrice)?;
            sums.add_position(amount, &info.risk, &info.quote)?;
        }
        Ok(sums)
    }
}

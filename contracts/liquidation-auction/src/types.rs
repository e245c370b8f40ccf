//! The ABI types: governance parameters and the stored auction.

use risk_core::{Curve, Ratio, Rounding};
use soroban_sdk::{contracttype, Address};

use crate::Error;

/// The price curve as governance sets it (SPEC §7.3).
#[contracttype]
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum CurveConfig {
    /// Linear to zero at `tau` seconds.
    Linear(u64),
    /// `(cut, step)`: the price is multiplied by `cut` (7 decimals) every `step` seconds.
    StairstepExp(i128, u64),
}

impl CurveConfig {
    /// The risk-core curve.
    ///
    /// # Errors
    /// `InvalidCurve` (as `risk_core::Curve::validate`), the ratio conversion errors.
    pub fn curve(&self) -> Result<Curve, Error> {
        let curve = match *self {
            CurveConfig::Linear(tau) => Curve::Linear { tau },
            CurveConfig::StairstepExp(cut, step) => Curve::StairstepExp {
                cut: Ratio::from_abi(cut, Rounding::Floor)?,
                step,
            },
        };
        curve.validate()?;
        Ok(curve)
    }
}

/// Auction parameters (timelocked). Ratios and values with 7 decimals (`10_000_000` = 1.0 or
/// 1 USD); times in seconds.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct AuctionParams {
    /// Start premium: `top = spot ratio * buf` (`>= 1`, default 1.05).
    pub buf: i128,
    pub curve: CurveConfig,
    /// An auction older than `tail` needs a reset (default 1 h).
    pub tail: u64,
    /// An auction whose price fell below `cusp * top` needs a reset (in `(0, 1)`, default 0.6).
    pub cusp: i128,
    /// Flat keeper bonus (base currency).
    pub tip: i128,
    /// Keeper bonus share of the tab's value.
    pub chip: i128,
    /// Smallest tab a partial take may leave, and the reset-bonus floor (base currency).
    pub dust: i128,
    /// Most debt value under auction, all auctions together (base currency).
    pub max_auction_debt: i128,
    /// Most debt value under auction per collateral asset (base currency).
    pub max_asset_debt: i128,
    /// `liquidation_target_buffer`: the target health is `1 + buffer` (default 0.02).
    pub target_buffer: i128,
    /// Lot margin: the lot covers the tab at spot times this (`>= 1`, default `buf`).
    pub lot_margin: i128,
}

/// Default parameters: SPEC §7 defaults, tip 1 USD, chip 0.1 %, dust 10 USD, caps 10M and 5M USD.
pub fn default_params() -> AuctionParams {
    use risk_core::auction::{
        DEFAULT_BUF_ABI, DEFAULT_CUSP_ABI, DEFAULT_CUT_ABI, DEFAULT_STEP, DEFAULT_TAIL,
    };
    AuctionParams {
        buf: DEFAULT_BUF_ABI,
        curve: CurveConfig::StairstepExp(DEFAULT_CUT_ABI, DEFAULT_STEP),
        tail: DEFAULT_TAIL,
        cusp: DEFAULT_CUSP_ABI,
        tip: ONE,
        chip: ONE / 1_000,
        dust: 10 * ONE,
        max_auction_debt: 10_000_000 * ONE,
        max_asset_debt: 5_000_000 * ONE,
        target_buffer: ONE / 50,
        lot_margin: DEFAULT_BUF_ABI,
    }
}

/// 1.0 (or 1 USD) at 7 decimals.
pub const ONE: i128 = 10_000_000;

impl AuctionParams {
    /// Checks the parameters.
    ///
    /// # Errors
    /// `InvalidParams` (a value out of range), `InvalidCurve`.
    pub fn validate(&self) -> Result<(), Error> {
        self.curve.curve()?;
        let ok = self.buf >= ONE
            && self.buf <= 2 * ONE
            && self.tail > 0
            && self.cusp > 0
            && self.cusp < ONE
            && self.tip >= 0
            && (0..=ONE / 10).contains(&self.chip)
            && self.dust >= 0
            && self.max_auction_debt > 0
            && self.max_asset_debt > 0
            && (0..=ONE).contains(&self.target_buffer)
            && self.lot_margin >= ONE
            && self.lot_margin <= 3 * ONE;
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidParams)
        }
    }
}

/// A live auction (persistent entry `Auction(auction_id)`). Amounts in base units; `lot` in
/// collateral tokens held by this contract; fixed-point fields are raw `I80F48` bits.
#[contracttype]
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct Auction {
    pub owner: Address,
    pub id: u32,
    pub collateral: Address,
    pub debt: Address,
    /// The collateral's vault (where an unsold lot is deposited back for the account).
    pub vault: Address,
    /// The debt asset's vault (where proceeds repay the account).
    pub debt_vault: Address,
    pub collateral_decimals: u32,
    pub debt_decimals: u32,
    /// Collateral tokens in escrow.
    pub lot: i128,
    /// Debt base units still to collect.
    pub tab: i128,
    /// The part of `tab` that repays the account's debt (the rest is the penalty).
    pub debt_left: i128,
    /// `debt_to_cover` at the start.
    pub debt_to_cover: i128,
    /// Start price (`AuctionPrice` bits) and time of the start or last reset.
    pub top: i128,
    pub start: u64,
    /// `dust` in debt base units at the spot of the start or last reset.
    pub dust_tab: i128,
    /// Debt value counted against the caps (7 decimals).
    pub cap_value: i128,
    /// What this auction changes in the account's LiquidationEnd sums when it completes
    /// (`Value` bits): collateral returned beyond the tab, and debt repaid (weighted).
    pub end_assets: i128,
    pub end_liabs: i128,
}

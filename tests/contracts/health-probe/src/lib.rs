//! A test-only contract that runs `risk-core`'s health computation inside the Soroban host, so
//! `tests/tests/health_cost.rs` can measure what it costs per position on the optimised WASM
//! build (SPEC §10). It is not deployed with the protocol.
//!
//! - [`HealthProbe::repeat`] adds one position `n` times: `(cost(16) - cost(1)) / 15` is the
//!   marginal math cost of a position, free of call, decoding and health-factor overheads.
//! - [`HealthProbe::positions`] decodes a `Vec` of positions and computes health over them: the
//!   realistic cost a contract pays per position, argument decoding included.
//!
//! Every probe uses one fixed set of weights (init 0.8 / 1.25, maint 0.9 / 1.1), converted once
//! per call as a contract converts its asset config once.
#![no_std]

use risk_core::{AssetRisk, HealthAbi, HealthSums, Quote, RiskError, RiskWeights};
use soroban_sdk::{contract, contracterror, contractimpl, contracttype, Env, Vec};

/// Weights of the probe, 7 decimals.
const ASSET_WEIGHT_INIT: i128 = 8_000_000;
const ASSET_WEIGHT_MAINT: i128 = 9_000_000;
const LIAB_WEIGHT_INIT: i128 = 12_500_000;
const LIAB_WEIGHT_MAINT: i128 = 11_000_000;

/// The probe's errors mirror `RiskError` (shared range 1–99, same names and codes).
#[contracterror]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ProbeError {
    Overflow = 1,
    DivisionByZero = 2,
    NegativeAmount = 3,
    InvalidDecimals = 4,
    InvalidPrice = 5,
    InvalidQuote = 6,
    InvalidWeight = 7,
    WeightOrder = 8,
    Underflow = 9,
    InvalidCurve = 10,
    EmptyTake = 11,
    DustRemainder = 12,
    TargetUnreachable = 13,
}

risk_core::mirror_risk_errors!(ProbeError);

/// One position with its token decimals and its adapter quote (14-decimal prices).
#[contracttype]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbePosition {
    pub amount: i128,
    pub decimals: u32,
    pub spot: i128,
    pub low: i128,
    pub high: i128,
}

/// `risk_core::HealthAbi` at the ABI: 7 decimals, factors `i128::MAX` without liabilities.
#[contracttype]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeHealth {
    pub init: i128,
    pub maint: i128,
    pub assets_init: i128,
    pub liabs_init: i128,
    pub assets_maint: i128,
    pub liabs_maint: i128,
}

impl From<HealthAbi> for ProbeHealth {
    fn from(h: HealthAbi) -> Self {
        ProbeHealth {
            init: h.init,
            maint: h.maint,
            assets_init: h.assets_init,
            liabs_init: h.liabs_init,
            assets_maint: h.assets_maint,
            liabs_maint: h.liabs_maint,
        }
    }
}

fn weights() -> Result<RiskWeights, RiskError> {
    RiskWeights::from_abi(
        ASSET_WEIGHT_INIT,
        ASSET_WEIGHT_MAINT,
        LIAB_WEIGHT_INIT,
        LIAB_WEIGHT_MAINT,
    )
}

fn quote_of(p: &ProbePosition) -> Result<Quote, RiskError> {
    Quote::from_adapter(p.spot, p.low, p.high, risk_core::DEFAULT_PRICE_DECIMALS)
}

#[contract]
pub struct HealthProbe;

#[contractimpl]
impl HealthProbe {
    /// Health of an account holding `position` `n` times over (the same asset and quote each
    /// time; the amount is hidden from the optimiser so every iteration does the full work).
    pub fn repeat(_env: Env, position: ProbePosition, n: u32) -> Result<ProbeHealth, ProbeError> {
        let asset = AssetRisk::new(position.decimals, weights()?)?;
        let quote = quote_of(&position)?;
        let mut sums = HealthSums::ZERO;
        for _ in 0..n {
            let amount = core::hint::black_box(position.amount);
            sums.add_position(amount, &asset, &quote)?;
        }
        Ok(sums.health().to_abi().into())
    }

    /// Health of an account holding `positions`, each with its own decimals and quote.
    pub fn positions(_env: Env, positions: Vec<ProbePosition>) -> Result<ProbeHealth, ProbeError> {
        let weights = weights()?;
        let mut sums = HealthSums::ZERO;
        for p in positions.iter() {
            let asset = AssetRisk::new(p.decimals, weights)?;
            sums.add_position(p.amount, &asset, &quote_of(&p)?)?;
        }
        Ok(sums.health().to_abi().into())
    }
}

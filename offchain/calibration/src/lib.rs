//! Risk calibration for the margin protocol (issue 7): from price histories, estimate each
//! asset's volatility and the tail of its price move over the liquidation horizon, then propose
//! the asset config and auction parameters governance sets (SPEC §3, §6.3, §7), every number with
//! its reasoning and its 7-decimal ABI form.
//!
//! - [`vol`]: realised and EWMA volatility, annualised.
//! - [`tail`]: historical and parametric VaR / Expected Shortfall, downside and upside.
//! - [`normal`]: the standard normal distribution (AS 241 quantile).
//! - [`asset`]: one asset's estimates over any horizon ([`AssetRisk`]).
//! - [`portfolio`]: correlation, basket tail, the diversification benefit of cross-margin.
//! - [`proposal`]: the rules that turn estimates into parameters ([`propose`]).
//! - [`backtest`]: the proposal and alternatives through the simulator, the frontier chart.
//! - [`governance`]: the proposal as a file `scripts/governance.sh` queues through the timelocks.
//!
//! Host-free std Rust, `f64` throughout; figures become integers only at the ABI boundary, each
//! rounded in the protocol's favour ([`proposal::abi`]).

#![warn(missing_docs)]

pub mod asset;
pub mod backtest;
pub mod error;
pub mod governance;
pub mod normal;
pub mod portfolio;
pub mod proposal;
pub mod tail;
pub mod vol;

pub use asset::{AssetRisk, TailSources};
pub use error::CalibrationError;
pub use portfolio::{portfolio_risk, Diversification, PortfolioRisk};
pub use proposal::{propose, AssetProposal, AuctionProposal, Proposal, ProposalConfig};
pub use tail::{Side, TailEstimate, TailMeasure};
pub use vol::{Ewma, Volatility};

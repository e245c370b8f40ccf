//! Price series for the protocol's off-chain tools: the simulator replays them through the price
//! feeds, and the calibration command estimates volatility and tails from them.
//!
//! - [`load_csv`] / [`parse_csv`]: real prices from CSV (`timestamp,close`, or the
//!   `timestamp_unix,open,high,low,close` candles of `shared/data`), every row validated, errors
//!   naming the file, the line and the reason ([`CsvError`]). Bad high/low prints are replaced
//!   and reported, closes never altered (see [`csv`](crate::csv) module docs).
//! - [`Shape`]: seeded synthetic paths (crash, crash and recovery, slow bleed, oracle attack,
//!   geometric Brownian motion), driven by the [`Rng`] defined here.
//! - [`PriceSeries`]: resampling to an oracle resolution, log returns, overlapping horizon
//!   returns; [`JointSeries`]: several assets inner-joined on timestamp.
//!
//! Host-free std Rust; prices are `f64` here because this is estimation, not accounting: the
//! contracts' fixed-point rules apply where figures cross the ABI (see the calibration crate).

#![warn(missing_docs)]

pub mod align;
pub mod csv;
pub mod error;
pub mod rng;
pub mod series;
pub mod shapes;

pub use align::JointSeries;
pub use csv::{load_csv, load_csv_with, parse_csv, CsvOptions};
pub use error::{CsvError, CsvErrorKind, SeriesError};
pub use rng::Rng;
pub use series::{horizon_log_returns, BadPrint, PricePoint, PriceSeries};
pub use shapes::{PathParams, Shape};

/// Seconds in the year used to annualise volatility: 365 days, because the assets trade around
/// the clock (no 252-trading-day convention).
pub const SECONDS_PER_YEAR: f64 = 365.0 * 86_400.0;

//! The keeper's logic over [`crate::Backend`]: tracking from events, native health with the
//! shared risk core, the start / take / reset / settle decisions (and the adapter refresh before
//! a start on a many-asset account), the persisted state, and the `watch` margin calls.

pub mod config;
pub mod curve;
pub mod engine;
pub mod market;
pub mod protocol;
pub mod refresh;
pub mod state;
pub mod watch;

pub use config::{FixedPrices, FlashTake, KeeperConfig, ReferencePrices, Strategy, Tuning};
pub use curve::{AuctionClock, CurveParams};
pub use engine::{Decision, Keeper, StepReport};
pub use market::{AssetInfo, Market};
pub use protocol::AccountKey;
pub use state::{KeeperState, TrackedAuction};
pub use watch::MarginCall;

//! Entry points. Each state-changing one does: extend the instance TTL → require auth → logic →
//! event.

mod reads;

use governance::{timelock, ttl, Governed};
use sep40::{Asset, PriceData};
use soroban_sdk::{contract, contractimpl, symbol_short, Address, Env, Symbol, Vec};

use crate::events::{
    AssetAdded, FeedConfigured, FeedPaused, FeedUnpaused, PricesSet, ReporterChanged,
};
use crate::storage::{self, FeedConfig};
use crate::{history, Error, MAX_ASSETS, MAX_DECIMALS, MAX_HISTORY};

/// Timelock kind of a reporter change (subject `()`, value: the new reporter).
pub const KIND_REPORTER: Symbol = symbol_short!("reporter");

#[contract]
pub struct PriceFeed;

/// The code version, exported only by the `upgrade-v2` build that the upgrade tests install over
/// the normal one (`tests/tests/upgrades.rs`).
#[cfg(feature = "upgrade-v2")]
#[contractimpl]
impl PriceFeed {
    /// 2: this is the second build.
    pub fn version() -> u32 {
        2
    }
}

#[contractimpl]
impl PriceFeed {
    /// Deploys a feed quoting no asset yet.
    ///
    /// # Arguments
    /// * `admin`, `guardian`, `delay` - governance roles and timelock delay (seconds).
    /// * `reporter` - the only account allowed to publish prices.
    /// * `base` - the asset prices are quoted in.
    /// * `decimals` - decimals of every price, at most [`MAX_DECIMALS`].
    /// * `resolution` - seconds between records (timestamps are rounded down to it), not zero.
    /// * `history` - records kept per asset, 1 to [`MAX_HISTORY`].
    ///
    /// # Errors
    /// `InvalidResolution`, `InvalidHistory`, `InvalidDecimals`, `DelayTooShort`, `DelayTooLong`.
    ///
    /// # Events
    /// `GovernanceInitialized`, `FeedConfigured`.
    #[allow(clippy::too_many_arguments)]
    pub fn __constructor(
        env: Env,
        admin: Address,
        guardian: Address,
        delay: u64,
        reporter: Address,
        base: Asset,
        decimals: u32,
        resolution: u32,
        history: u32,
    ) -> Result<(), Error> {
        if resolution == 0 {
            return Err(Error::InvalidResolution);
        }
        if history == 0 || history > MAX_HISTORY {
            return Err(Error::InvalidHistory);
        }
        if decimals > MAX_DECIMALS {
            return Err(Error::InvalidDecimals);
        }
        governance::init(&env, &admin, &guardian, delay)?;
        let config = FeedConfig {
            base,
            decimals,
            resolution,
            history,
        };
        storage::set_config(&env, &config);
        storage::set_reporter(&env, &reporter);
        ttl::extend_instance(&env);
        FeedConfigured {
            reporter,
            base: config.base,
            decimals,
            resolution,
            history,
        }
        .publish(&env);
        Ok(())
    }

    /// Publishes one record per asset at `timestamp` rounded down to the resolution. All or
    /// nothing: one bad update fails the whole call.
    ///
    /// # Arguments
    /// * `updates` - `(asset, price)` pairs; prices at [`sep40::Sep40::decimals`].
    /// * `timestamp` - when the prices were observed (ledger seconds), not in the future.
    ///
    /// # Errors
    /// `Paused`, `NothingToDo` (empty), `FutureTimestamp`, `InvalidPrice` (`<= 0`),
    /// `UnknownAsset`, `NotNewer` (not after the asset's newest record, or an asset twice).
    ///
    /// # Events
    /// `PricesSet { timestamp (rounded), updates }`.
    ///
    /// # Notes
    /// Requires the reporter's auth.
    pub fn set_prices(env: Env, updates: Vec<(Asset, i128)>, timestamp: u64) -> Result<(), Error> {
        ttl::extend_instance(&env);
        storage::reporter(&env).require_auth();
        if storage::paused(&env) {
            return Err(Error::Paused);
        }
        if updates.is_empty() {
            return Err(Error::NothingToDo);
        }
        if timestamp > env.ledger().timestamp() {
            return Err(Error::FutureTimestamp);
        }
        let config = storage::config(&env);
        let timestamp = history::round_down(timestamp, config.resolution);
        for (asset, price) in updates.iter() {
            record_price(&env, &asset, price, timestamp, config.history)?;
        }
        PricesSet { timestamp, updates }.publish(&env);
        Ok(())
    }

    /// Starts quoting `assets`. Not timelocked: a newly quoted asset affects no one until an
    /// oracle-adapter source (itself timelocked) points at it.
    ///
    /// # Errors
    /// `NothingToDo` (empty), `AssetExists` (already quoted or listed twice), `TooManyAssets`.
    ///
    /// # Events
    /// `AssetAdded { asset }` per asset.
    ///
    /// # Notes
    /// Requires the admin's auth.
    pub fn add_assets(env: Env, assets: Vec<Asset>) -> Result<(), Error> {
        ttl::extend_instance(&env);
        governance::require_admin(&env);
        if assets.is_empty() {
            return Err(Error::NothingToDo);
        }
        let mut quoted = storage::assets(&env);
        for asset in assets.iter() {
            if storage::history(&env, &asset).is_some() {
                return Err(Error::AssetExists);
            }
            quoted.push_back(asset.clone());
            if quoted.len() > MAX_ASSETS {
                return Err(Error::TooManyAssets);
            }
            storage::set_history(&env, &asset, &Vec::new(&env));
            AssetAdded { asset }.publish(&env);
        }
        storage::set_assets(&env, &quoted);
        Ok(())
    }

    /// Queues `reporter` as the next reporter. Returns the eta.
    ///
    /// # Errors
    /// `AlreadyQueued`.
    ///
    /// # Events
    /// `ChangeQueued { kind: "reporter" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    pub fn queue_reporter(env: Env, reporter: Address) -> Result<u64, Error> {
        ttl::extend_instance(&env);
        Ok(timelock::queue(&env, KIND_REPORTER, &(), &reporter)?)
    }

    /// Makes the queued reporter live. Anyone may call it.
    ///
    /// # Errors
    /// `NotQueued`, `TooEarly`, `Expired`.
    ///
    /// # Events
    /// `ChangeApplied { kind: "reporter" }`, `ReporterChanged { old_reporter, new_reporter }`.
    pub fn apply_reporter(env: Env) -> Result<(), Error> {
        ttl::extend_instance(&env);
        let new_reporter: Address = timelock::apply(&env, KIND_REPORTER, &())?;
        let old_reporter = storage::reporter(&env);
        storage::set_reporter(&env, &new_reporter);
        ReporterChanged {
            old_reporter,
            new_reporter,
        }
        .publish(&env);
        Ok(())
    }

    /// Drops the queued reporter change.
    ///
    /// # Errors
    /// `NotQueued`.
    ///
    /// # Events
    /// `ChangeCancelled { kind: "reporter" }`.
    ///
    /// # Notes
    /// Requires the admin's auth.
    pub fn cancel_reporter(env: Env) -> Result<(), Error> {
        ttl::extend_instance(&env);
        Ok(timelock::cancel(&env, KIND_REPORTER, &())?)
    }

    /// Stops price updates at once (a tightening: consumers see the feed go stale). A no-op when
    /// already paused.
    ///
    /// # Events
    /// `FeedPaused { guardian }` when it pauses.
    ///
    /// # Notes
    /// Requires the guardian's auth.
    pub fn pause(env: Env) {
        ttl::extend_instance(&env);
        let guardian = governance::require_guardian(&env);
        if !storage::paused(&env) {
            storage::set_paused(&env, true);
            FeedPaused { guardian }.publish(&env);
        }
    }

    /// Resumes price updates. A no-op when not paused.
    ///
    /// # Events
    /// `FeedUnpaused { admin }` when it resumes.
    ///
    /// # Notes
    /// Requires the admin's auth.
    pub fn unpause(env: Env) {
        ttl::extend_instance(&env);
        let admin = governance::require_admin(&env);
        if storage::paused(&env) {
            storage::set_paused(&env, false);
            FeedUnpaused { admin }.publish(&env);
        }
    }

    /// The account allowed to publish prices.
    pub fn reporter(env: Env) -> Address {
        storage::reporter(&env)
    }

    /// Whether price updates are paused.
    pub fn paused(env: Env) -> bool {
        storage::paused(&env)
    }

    /// Records kept per asset.
    pub fn history_length(env: Env) -> u32 {
        storage::config(&env).history
    }
}

#[contractimpl(contracttrait)]
impl Governed for PriceFeed {}

/// Appends one record to an asset's history and makes it the asset's last price.
fn record_price(
    env: &Env,
    asset: &Asset,
    price: i128,
    timestamp: u64,
    capacity: u32,
) -> Result<(), Error> {
    if price <= 0 {
        return Err(Error::InvalidPrice);
    }
    let mut records = storage::history(env, asset).ok_or(Error::UnknownAsset)?;
    if let Some(newest) = records.first() {
        if timestamp <= newest.timestamp {
            return Err(Error::NotNewer);
        }
    }
    let record = PriceData { price, timestamp };
    history::push(&mut records, record, capacity);
    storage::set_history(env, asset, &records);
    storage::set_last(env, asset, &record);
    Ok(())
}

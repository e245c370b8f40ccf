//! Source configuration: validation at queue time, and activation at apply time (reading each
//! feed's decimals and resolution once).

use risk_core::oracle::{MAX_DECIMALS, MAX_FEEDS, RATIO_ONE};
use sep40::Sep40Client;
use soroban_sdk::{Address, Env, Vec};

use crate::error::Error;
use crate::events::SourceActivated;
use crate::feeds::MAX_TWAP_RECORDS;
use crate::storage::{self, Book};
use crate::types::{FeedInfo, PriceState, Source, SourceConfig};

/// Longest accepted `max_age`: one day. Older prices are not prices.
pub const MAX_AGE_LIMIT: u64 = 86_400;
/// Longest accepted `jump_confirm`: one week.
pub const MAX_JUMP_CONFIRM: u64 = 7 * 86_400;

/// Checks a queued config on its own (everything that does not need the feeds).
///
/// # Errors
/// [`Error::InvalidFeeds`] (not 1–3 feeds, a `(contract, asset)` pair twice, or the adapter
/// itself), [`Error::InvalidMaxAge`] (`0` or above [`MAX_AGE_LIMIT`]),
/// [`Error::InvalidMaxDeviation`] (outside `[0, 1.0]`), [`Error::InvalidTwapRecords`] (above
/// [`MAX_TWAP_RECORDS`]), [`Error::InvalidMaxJump`] (outside `(0, 1.0]`),
/// [`Error::InvalidJumpConfirm`] (`0` or above [`MAX_JUMP_CONFIRM`]).
pub fn validate(env: &Env, config: &SourceConfig) -> Result<(), Error> {
    let n = config.feeds.len() as usize;
    if n == 0 || n > MAX_FEEDS {
        return Err(Error::InvalidFeeds);
    }
    let this = env.current_contract_address();
    for (i, feed) in config.feeds.iter().enumerate() {
        if feed.contract == this {
            return Err(Error::InvalidFeeds);
        }
        if config.feeds.iter().skip(i + 1).any(|other| other == feed) {
            return Err(Error::InvalidFeeds);
        }
    }
    if config.max_age == 0 || config.max_age > MAX_AGE_LIMIT {
        return Err(Error::InvalidMaxAge);
    }
    if !(0..=RATIO_ONE).contains(&config.max_deviation) {
        return Err(Error::InvalidMaxDeviation);
    }
    if config.twap_records > MAX_TWAP_RECORDS {
        return Err(Error::InvalidTwapRecords);
    }
    if config.max_jump <= 0 || config.max_jump > RATIO_ONE {
        return Err(Error::InvalidMaxJump);
    }
    if config.jump_confirm == 0 || config.jump_confirm > MAX_JUMP_CONFIRM {
        return Err(Error::InvalidJumpConfirm);
    }
    Ok(())
}

/// Reads one feed's `decimals()` and `resolution()`.
///
/// # Errors
/// [`Error::FeedFailed`] when a call fails, [`Error::InvalidFeedDecimals`] above 18,
/// [`Error::InvalidFeedResolution`] for zero.
fn feed_info(env: &Env, contract: Address, asset: sep40::Asset) -> Result<FeedInfo, Error> {
    let client = Sep40Client::new(env, &contract);
    let Ok(Ok(decimals)) = client.try_decimals() else {
        return Err(Error::FeedFailed);
    };
    let Ok(Ok(resolution)) = client.try_resolution() else {
        return Err(Error::FeedFailed);
    };
    if decimals > MAX_DECIMALS {
        return Err(Error::InvalidFeedDecimals);
    }
    if resolution == 0 {
        return Err(Error::InvalidFeedResolution);
    }
    Ok(FeedInfo {
        contract,
        asset,
        decimals,
        resolution,
    })
}

/// Makes `config` the live source of `asset`.
///
/// The last accepted price and the breaker are kept (a new source does not reset the jump
/// reference or clear a trip), but the cache is invalidated so the next quote pulls the new
/// feeds.
///
/// # Errors
/// [`validate`]'s (rechecked: limits may have changed with an upgrade) and [`feed_info`]'s.
///
/// # Events
/// [`SourceActivated`] `{ asset, source }`.
pub fn activate(env: &Env, asset: &Address, config: SourceConfig) -> Result<(), Error> {
    validate(env, &config)?;
    let mut feeds = Vec::new(env);
    for feed in config.feeds.iter() {
        feeds.push_back(feed_info(env, feed.contract, feed.asset)?);
    }
    let source = Source {
        feeds,
        max_age: config.max_age,
        max_deviation: config.max_deviation,
        twap_records: config.twap_records,
        max_jump: config.max_jump,
        jump_confirm: config.jump_confirm,
    };
    let mut book = Book::load(env);
    let slot = match book.slot(asset) {
        Some(slot) => slot,
        None => book.push(asset),
    };
    let state = match book.state(slot) {
        Some(state) => PriceState {
            valid_until: 0,
            ..state
        },
        None => PriceState::empty(),
    };
    storage::set_source(env, asset, &source);
    book.set(slot, &state);
    book.save();
    SourceActivated {
        asset: asset.clone(),
        source,
    }
    .publish(env);
    crate::subscriber::notify(env);
    Ok(())
}

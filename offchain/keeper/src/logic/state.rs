//! The keeper's persisted state: the event cursor and the accounts and auctions it tracks.
//!
//! Saved as JSON after every step (written to a temporary file and renamed, so a crash never
//! leaves a half-written file); a restart resumes from the cursor, so no event is applied twice
//! and no account is lost.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::curve::AuctionClock;
use crate::backend::EventCursor;

pub use super::protocol::AccountKey;

/// A live auction the keeper follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedAuction {
    /// The liquidated account.
    pub account: AccountKey,
    /// Collateral asset strkey.
    pub collateral: String,
    /// Debt asset strkey.
    pub debt: String,
    /// Collateral tokens in the lot at the start (from `auction_started`; 0 in a state saved
    /// before this was tracked: the keeper then takes whole lots).
    #[serde(default)]
    pub lot_start: i128,
    /// Collateral tokens left in the lot after the last take seen (`auction_taken`).
    #[serde(default)]
    pub lot_left: i128,
    /// Its start price and start time (of the start or the last reset), from the `auction`
    /// view: what the keeper prices it from natively. `None` until read, and again after a reset
    /// event; not saved (a restarted keeper reads it again).
    #[serde(skip)]
    pub clock: Option<AuctionClock>,
}

impl TrackedAuction {
    /// Collateral tokens left in the lot, from the events (the auction holds the lot as
    /// tokens); `None` when unknown.
    pub fn tokens_left(&self) -> Option<i128> {
        (self.lot_left > 0).then_some(self.lot_left)
    }
}

/// What the keeper remembers between steps and restarts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeeperState {
    /// `Some(ledger)` before the first batch, then the opaque cursor.
    pub cursor_ledger: Option<u32>,
    /// The cursor after the last batch read.
    pub cursor_after: Option<String>,
    /// Accounts seen in events.
    pub accounts: BTreeSet<AccountKey>,
    /// Live auctions by id.
    pub auctions: BTreeMap<u64, TrackedAuction>,
    /// Transactions sent but not confirmed: action key (`start:owner:id`, `take:7`, ...) to the
    /// unix time until which the transaction may still land. No replacement is sent before.
    pub pending: BTreeMap<String, u64>,
    /// Accounts whose last start or settle the chain refused; retried only after a new event
    /// for the account (its state changed), so a refusal is never retried forever.
    pub refused: BTreeSet<AccountKey>,
}

impl KeeperState {
    /// The cursor to read from: the saved one, else `start_ledger`.
    pub fn cursor(&self, start_ledger: u32) -> EventCursor {
        match (&self.cursor_after, self.cursor_ledger) {
            (Some(after), _) => EventCursor::After(after.clone()),
            (None, Some(ledger)) => EventCursor::Ledger(ledger),
            (None, None) => EventCursor::Ledger(start_ledger),
        }
    }

    /// Records the cursor to continue from.
    pub fn set_cursor(&mut self, cursor: &EventCursor) {
        match cursor {
            EventCursor::After(after) => {
                self.cursor_after = Some(after.clone());
                self.cursor_ledger = None;
            }
            EventCursor::Ledger(ledger) => {
                self.cursor_after = None;
                self.cursor_ledger = Some(*ledger);
            }
        }
    }

    /// Loads the state from `path`; a missing file is a fresh state.
    ///
    /// # Errors
    ///
    /// The file exists but cannot be read or is not a keeper state.
    pub fn load(path: &Path) -> Result<Self, String> {
        match fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| format!("state file {}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("state file {}: {e}", path.display())),
        }
    }

    /// Saves the state to `path` atomically (temporary file, then rename).
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        let tmp = path.with_extension("tmp");
        fs::write(&tmp, text).map_err(|e| format!("state file {}: {e}", tmp.display()))?;
        fs::rename(&tmp, path).map_err(|e| format!("state file {}: {e}", path.display()))
    }
}

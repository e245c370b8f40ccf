//! Time-to-live constants and helpers shared by every contract (SPEC §10).
//!
//! Soroban charges rent for every ledger entry and archives an entry whose TTL runs out. Archived
//! persistent and instance entries are not lost (anyone can restore them), but a call that needs
//! one fails until it is restored, so the protocol keeps live state well funded:
//!
//! - Extensions are bumped **to** 30 days, but only when the remaining TTL has fallen **under** 29
//!   days. Extending costs a write fee proportional to the ledgers added; with a one-day window a
//!   busy contract pays for the extension about once a day instead of on every call, and a contract
//!   left untouched for a month is still live.
//! - The same window serves instance storage (config, roles: read by every call) and persistent
//!   entries (accounts, auctions, pending governance changes, price history).
//! - A pending timelock change is extended at queue time to outlive its whole window, delay plus
//!   [`crate::GRACE_PERIOD`], so it cannot be archived before it can expire
//!   ([`ledgers_for`]).

use soroban_sdk::{Env, IntoVal, Val};

/// Target ledger close time in seconds (Stellar mainnet closes a ledger about every 5 s).
pub const LEDGER_SECONDS: u32 = 5;
/// Ledgers per day at [`LEDGER_SECONDS`]: 86_400 / 5.
pub const DAY_IN_LEDGERS: u32 = 17_280;

/// Instance storage is extended to this many ledgers (30 days)...
pub const INSTANCE_BUMP_AMOUNT: u32 = 30 * DAY_IN_LEDGERS;
/// ...whenever its TTL is under this many (29 days): at most one extension per day.
pub const INSTANCE_LIFETIME_THRESHOLD: u32 = INSTANCE_BUMP_AMOUNT - DAY_IN_LEDGERS;

/// Persistent entries are extended to this many ledgers (30 days)...
pub const PERSISTENT_BUMP_AMOUNT: u32 = 30 * DAY_IN_LEDGERS;
/// ...whenever their TTL is under this many (29 days).
pub const PERSISTENT_LIFETIME_THRESHOLD: u32 = PERSISTENT_BUMP_AMOUNT - DAY_IN_LEDGERS;

/// Extends the current contract's instance (and code) TTL per the constants above.
pub fn extend_instance(env: &Env) {
    env.storage()
        .instance()
        .extend_ttl(INSTANCE_LIFETIME_THRESHOLD, INSTANCE_BUMP_AMOUNT);
}

/// Extends one persistent entry's TTL per the constants above. The entry must exist.
pub fn extend_persistent<K>(env: &Env, key: &K)
where
    K: IntoVal<Env, Val>,
{
    env.storage().persistent().extend_ttl(
        key,
        PERSISTENT_LIFETIME_THRESHOLD,
        PERSISTENT_BUMP_AMOUNT,
    );
}

/// Ledgers covering `seconds` at [`LEDGER_SECONDS`] per ledger, plus one day of margin for
/// ledgers closing faster than the target, capped at `u32::MAX`.
pub fn ledgers_for(seconds: u64) -> u32 {
    let ledgers = seconds / LEDGER_SECONDS as u64 + DAY_IN_LEDGERS as u64;
    u32::try_from(ledgers).unwrap_or(u32::MAX)
}

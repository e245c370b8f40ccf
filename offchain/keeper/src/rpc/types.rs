//! Request and response types of the read methods, in the RPC's documented JSON format
//! (camelCase names, XDR as base64 strings).

use serde::{Deserialize, Deserializer, Serialize};

/// Deserializes an integer the RPC documents as a string (`"1714000000"`), accepting a JSON
/// number too: the docs and the server have disagreed on some of these fields over time.
pub(crate) fn int_or_string<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr + TryFrom<i64>,
    T::Err: std::fmt::Display,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(i64),
        Text(String),
    }
    match Raw::deserialize(de)? {
        Raw::Number(n) => T::try_from(n).map_err(|_| serde::de::Error::custom("out of range")),
        Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
    }
}

/// Like [`int_or_string`] for an optional field.
pub(crate) fn opt_int_or_string<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr + TryFrom<i64>,
    T::Err: std::fmt::Display,
{
    #[derive(Deserialize)]
    struct Wrap<T>(#[serde(deserialize_with = "int_or_string")] T)
    where
        T: std::str::FromStr + TryFrom<i64>,
        T::Err: std::fmt::Display;
    Ok(Option::<Wrap<T>>::deserialize(de)?.map(|w| w.0))
}

/// `getHealth` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// `"healthy"` when the node is in sync.
    pub status: String,
    /// Most recent ledger known to the node.
    pub latest_ledger: u32,
    /// Oldest ledger the node still serves.
    pub oldest_ledger: u32,
    /// Number of ledgers of history the node keeps.
    pub ledger_retention_window: u32,
}

/// `getNetwork` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Network {
    /// Network passphrase: its SHA-256 is the network id that signatures cover.
    pub passphrase: String,
    /// Protocol version of the latest ledger.
    pub protocol_version: u32,
    /// Friendbot URL, on test networks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendbot_url: Option<String>,
}

/// `getLatestLedger` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LatestLedger {
    /// Hash of the latest ledger, hex.
    pub id: String,
    /// Protocol version of the latest ledger.
    pub protocol_version: u32,
    /// Sequence number of the latest ledger.
    pub sequence: u32,
}

/// `getLedgerEntries` params.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetLedgerEntriesParams {
    /// Base64 XDR `LedgerKey`s (at most 200).
    pub keys: Vec<String>,
}

/// `getLedgerEntries` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntries {
    /// The entries found; keys that do not exist are simply absent.
    #[serde(default)]
    pub entries: Vec<LedgerEntryResult>,
    /// Latest ledger at the time of the request.
    pub latest_ledger: u32,
}

/// One entry of a `getLedgerEntries` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntryResult {
    /// The requested `LedgerKey`, base64 XDR.
    pub key: String,
    /// The entry's current `LedgerEntryData`, base64 XDR.
    pub xdr: String,
    /// Ledger of the last change to the entry.
    pub last_modified_ledger_seq: u32,
    /// Last ledger the entry is live in (Soroban entries only; absent if archived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_until_ledger_seq: Option<u32>,
}

/// `getEvents` params: either `start_ledger` or `pagination.cursor`, never both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct GetEventsParams {
    /// First ledger to scan (inclusive); omitted when a cursor is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_ledger: Option<u32>,
    /// Filters, OR-ed together (at most 5).
    pub filters: Vec<EventFilter>,
    /// Cursor and page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

/// One `getEvents` filter: an event matches if it matches the type, one of the contract ids
/// and one of the topic filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EventFilter {
    /// Comma-separated event types (`"contract"`, `"system"`); omitted means all.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Contract strkeys (`C...`, at most 5).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contract_ids: Vec<String>,
    /// Topic filters (at most 5), each a list of segment matchers: a base64 `ScVal`, `"*"` for
    /// exactly one segment or, last, `"**"` for any number.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Vec<String>>,
}

/// `getEvents` pagination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Pagination {
    /// Resume strictly after this cursor (an event id or a previous page's `cursor`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size (1 to 10,000; the node's default is 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// `getEvents` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Events {
    /// The matching events, oldest first.
    #[serde(default)]
    pub events: Vec<EventInfo>,
    /// Where the next page starts: the last event returned, or the end of the scanned window.
    #[serde(default)]
    pub cursor: String,
    /// Latest ledger known to the node.
    pub latest_ledger: u32,
    /// Oldest ledger the node still serves.
    #[serde(default)]
    pub oldest_ledger: u32,
}

/// One event of a `getEvents` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventInfo {
    /// `"contract"`, `"system"` or `"diagnostic"`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Ledger the event was emitted in.
    pub ledger: u32,
    /// ISO-8601 close time of that ledger.
    pub ledger_closed_at: String,
    /// Strkey of the emitting contract.
    pub contract_id: String,
    /// Unique, ordered event id; also a valid pagination cursor.
    pub id: String,
    /// Hash of the transaction that emitted the event, hex.
    pub tx_hash: String,
    /// Topics, each a base64 XDR `ScVal`.
    #[serde(default)]
    pub topic: Vec<String>,
    /// Event data, a base64 XDR `ScVal`.
    pub value: String,
}

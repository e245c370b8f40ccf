//! A generic, owned form of `ScVal` that the keeper logic maps to typed events and results.
//!
//! Soroban encodes a `#[contracttype]` struct as a map with symbol keys and an enum variant as
//! a vector whose first element is the variant's symbol; [`Val::field`] and [`Val::variant`]
//! read those shapes without knowing the type.

use serde_json::{json, Value};
use stellar_xdr::{
    Int128Parts, Int256Parts, ScError, ScMap, ScMapEntry, ScSymbol, ScVal, ScVec, UInt128Parts,
    UInt256Parts,
};

use crate::keys::ContractId;

/// A decoded contract value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// `()`.
    Void,
    /// A boolean.
    Bool(bool),
    /// A `u32`.
    U32(u32),
    /// An `i32`.
    I32(i32),
    /// A `u64`.
    U64(u64),
    /// An `i64`.
    I64(i64),
    /// A ledger timestamp, unix seconds.
    Timepoint(u64),
    /// A duration in seconds.
    Duration(u64),
    /// A `u128`.
    U128(u128),
    /// An `i128` (token amounts, prices).
    I128(i128),
    /// A `u256`, big-endian bytes.
    U256([u8; 32]),
    /// An `i256`, big-endian two's complement bytes.
    I256([u8; 32]),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// A string (invalid UTF-8 is replaced with U+FFFD).
    String(String),
    /// A symbol.
    Symbol(String),
    /// An address as its strkey (`G...` or `C...`).
    Address(String),
    /// A vector.
    Vec(Vec<Val>),
    /// A map, in the (sorted) order stored on chain.
    Map(Vec<(Val, Val)>),
    /// A contract or host error.
    Error(ScError),
    /// A value the keeper never needs in generic form (contract instances, nonce keys).
    Other(Box<ScVal>),
}

impl From<&ScVal> for Val {
    fn from(v: &ScVal) -> Self {
        match v {
            ScVal::Void => Val::Void,
            ScVal::Bool(b) => Val::Bool(*b),
            ScVal::U32(n) => Val::U32(*n),
            ScVal::I32(n) => Val::I32(*n),
            ScVal::U64(n) => Val::U64(*n),
            ScVal::I64(n) => Val::I64(*n),
            ScVal::Timepoint(t) => Val::Timepoint(t.0),
            ScVal::Duration(d) => Val::Duration(d.0),
            ScVal::U128(p) => Val::U128(u128::from(p)),
            ScVal::I128(p) => Val::I128(i128::from(p)),
            ScVal::U256(p) => Val::U256(u256_bytes(p)),
            ScVal::I256(p) => Val::I256(i256_bytes(p)),
            ScVal::Bytes(b) => Val::Bytes(b.to_vec()),
            ScVal::String(s) => Val::String(String::from_utf8_lossy(s.as_slice()).into_owned()),
            ScVal::Symbol(s) => Val::Symbol(String::from_utf8_lossy(s.as_slice()).into_owned()),
            ScVal::Address(a) => Val::Address(a.to_string()),
            ScVal::Vec(Some(items)) => Val::Vec(items.iter().map(Val::from).collect()),
            ScVal::Vec(None) => Val::Vec(Vec::new()),
            ScVal::Map(Some(map)) => Val::Map(
                map.iter()
                    .map(|e| (Val::from(&e.key), Val::from(&e.val)))
                    .collect(),
            ),
            ScVal::Map(None) => Val::Map(Vec::new()),
            ScVal::Error(e) => Val::Error(e.clone()),
            other => Val::Other(Box::new(other.clone())),
        }
    }
}

impl TryFrom<&Val> for ScVal {
    type Error = String;

    /// Encodes back to XDR. Fails only on values XDR cannot hold (a symbol with characters
    /// outside `[a-zA-Z0-9_]` or over 32 bytes, an invalid address strkey, oversize bytes).
    fn try_from(v: &Val) -> Result<Self, String> {
        Ok(match v {
            Val::Void => ScVal::Void,
            Val::Bool(b) => ScVal::Bool(*b),
            Val::U32(n) => ScVal::U32(*n),
            Val::I32(n) => ScVal::I32(*n),
            Val::U64(n) => ScVal::U64(*n),
            Val::I64(n) => ScVal::I64(*n),
            Val::Timepoint(t) => ScVal::Timepoint(stellar_xdr::TimePoint(*t)),
            Val::Duration(d) => ScVal::Duration(stellar_xdr::Duration(*d)),
            Val::U128(n) => ScVal::U128(UInt128Parts {
                hi: (*n >> 64) as u64,
                lo: *n as u64,
            }),
            Val::I128(n) => ScVal::I128(Int128Parts {
                hi: (*n >> 64) as i64,
                lo: *n as u64,
            }),
            Val::U256(b) => ScVal::U256(u256_parts(b)),
            Val::I256(b) => ScVal::I256(i256_parts(b)),
            Val::Bytes(b) => ScVal::Bytes(b.clone().try_into().map_err(err_str)?),
            Val::String(s) => ScVal::String(s.as_bytes().to_vec().try_into().map_err(err_str)?),
            Val::Symbol(s) => ScVal::Symbol(symbol(s)?),
            Val::Address(a) => ScVal::Address(a.parse().map_err(err_str)?),
            Val::Vec(items) => ScVal::Vec(Some(ScVec(
                items
                    .iter()
                    .map(ScVal::try_from)
                    .collect::<Result<Vec<_>, _>>()?
                    .try_into()
                    .map_err(err_str)?,
            ))),
            Val::Map(entries) => ScVal::Map(Some(map_to_xdr(entries)?)),
            Val::Error(e) => ScVal::Error(e.clone()),
            Val::Other(v) => (**v).clone(),
        })
    }
}

impl Val {
    /// The symbol's text, if this is a symbol.
    pub fn as_symbol(&self) -> Option<&str> {
        match self {
            Val::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// Any integer variant as an `i128`, if it fits.
    pub fn as_i128(&self) -> Option<i128> {
        match *self {
            Val::U32(n) => Some(n.into()),
            Val::I32(n) => Some(n.into()),
            Val::U64(n) | Val::Timepoint(n) | Val::Duration(n) => Some(n.into()),
            Val::I64(n) => Some(n.into()),
            Val::U128(n) => i128::try_from(n).ok(),
            Val::I128(n) => Some(n),
            _ => None,
        }
    }

    /// Any non-negative integer variant as a `u64`, if it fits.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_i128().and_then(|n| u64::try_from(n).ok())
    }

    /// The address strkey, if this is an address.
    pub fn as_address(&self) -> Option<&str> {
        match self {
            Val::Address(a) => Some(a),
            _ => None,
        }
    }

    /// The contract, if this is a contract address.
    pub fn as_contract(&self) -> Option<ContractId> {
        self.as_address()?.parse().ok()
    }

    /// The elements, if this is a vector.
    pub fn as_vec(&self) -> Option<&[Val]> {
        match self {
            Val::Vec(items) => Some(items),
            _ => None,
        }
    }

    /// The value under symbol key `name` of a map (how a `#[contracttype]` struct is stored).
    pub fn field(&self, name: &str) -> Option<&Val> {
        match self {
            Val::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_symbol() == Some(name))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The variant name and payload of a `#[contracttype]` enum value (a vector starting with a
    /// symbol).
    pub fn variant(&self) -> Option<(&str, &[Val])> {
        let (name, payload) = self.as_vec()?.split_first()?;
        Some((name.as_symbol()?, payload))
    }

    /// A JSON rendering for logs and JSON-lines output: 64-bit and wider integers become
    /// decimal strings (JSON readers commonly lose precision above 2^53), bytes become hex, and
    /// maps whose keys are all symbols become objects.
    pub fn to_json(&self) -> Value {
        match self {
            Val::Void => Value::Null,
            Val::Bool(b) => json!(b),
            Val::U32(n) => json!(n),
            Val::I32(n) => json!(n),
            Val::U64(n) | Val::Timepoint(n) | Val::Duration(n) => json!(n.to_string()),
            Val::I64(n) => json!(n.to_string()),
            Val::U128(n) => json!(n.to_string()),
            Val::I128(n) => json!(n.to_string()),
            Val::U256(b) | Val::I256(b) => json!(format!("0x{}", hex::encode(b))),
            Val::Bytes(b) => json!(hex::encode(b)),
            Val::String(s) | Val::Symbol(s) | Val::Address(s) => json!(s),
            Val::Vec(items) => Value::Array(items.iter().map(Val::to_json).collect()),
            Val::Map(entries) => map_to_json(entries),
            Val::Error(e) => json!(format!("{e:?}")),
            Val::Other(v) => json!(format!("{v:?}")),
        }
    }
}

/// Encodes `s` as a Soroban symbol: at most 32 characters from `[a-zA-Z0-9_]` (the host
/// rejects anything else, so this fails before a transaction is built rather than on chain).
///
/// # Errors
///
/// A message naming `s` if it is not a valid symbol.
pub fn symbol(s: &str) -> Result<ScSymbol, String> {
    let valid_chars = s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    match ScSymbol::try_from(s) {
        Ok(symbol) if valid_chars => Ok(symbol),
        _ => Err(format!(
            "{s:?} is not a symbol (at most 32 of [a-zA-Z0-9_])"
        )),
    }
}

fn map_to_json(entries: &[(Val, Val)]) -> Value {
    if entries.iter().all(|(k, _)| k.as_symbol().is_some()) {
        let object = entries
            .iter()
            .filter_map(|(k, v)| Some((k.as_symbol()?.to_owned(), v.to_json())))
            .collect();
        Value::Object(object)
    } else {
        let pairs = entries
            .iter()
            .map(|(k, v)| json!([k.to_json(), v.to_json()]));
        Value::Array(pairs.collect())
    }
}

fn map_to_xdr(entries: &[(Val, Val)]) -> Result<ScMap, String> {
    let entries = entries
        .iter()
        .map(|(k, v)| {
            Ok(ScMapEntry {
                key: ScVal::try_from(k)?,
                val: ScVal::try_from(v)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(ScMap(entries.try_into().map_err(err_str)?))
}

fn err_str(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn words_to_bytes(words: [u64; 4]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(8).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn bytes_to_words(bytes: &[u8; 32]) -> [u64; 4] {
    let mut words = [0u64; 4];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut be = [0u8; 8];
        be.copy_from_slice(chunk);
        *word = u64::from_be_bytes(be);
    }
    words
}

fn u256_bytes(p: &UInt256Parts) -> [u8; 32] {
    words_to_bytes([p.hi_hi, p.hi_lo, p.lo_hi, p.lo_lo])
}

fn i256_bytes(p: &Int256Parts) -> [u8; 32] {
    words_to_bytes([p.hi_hi as u64, p.hi_lo, p.lo_hi, p.lo_lo])
}

fn u256_parts(b: &[u8; 32]) -> UInt256Parts {
    let [hi_hi, hi_lo, lo_hi, lo_lo] = bytes_to_words(b);
    UInt256Parts {
        hi_hi,
        hi_lo,
        lo_hi,
        lo_lo,
    }
}

fn i256_parts(b: &[u8; 32]) -> Int256Parts {
    let [hi_hi, hi_lo, lo_hi, lo_lo] = bytes_to_words(b);
    Int256Parts {
        hi_hi: hi_hi as i64,
        hi_lo,
        lo_hi,
        lo_lo,
    }
}

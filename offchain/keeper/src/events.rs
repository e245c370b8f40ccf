//! Contract events in generic form.
//!
//! A `#[contractevent]` is published with its name (and any `#[topic]` fields) as topics and
//! its other fields as a map in the data; [`ChainEvent`] keeps both as [`Val`]s so the keeper
//! logic can map them to typed protocol events.

use stellar_xdr::{ContractEvent, ContractEventBody, ScVal};

use crate::keys::ContractId;
use crate::rpc::{EventInfo, RpcError};
use crate::val::Val;
use crate::xdr::decode_base64;

/// One contract event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainEvent {
    /// Unique id, ordered like the chain (ledger, transaction, operation, index).
    pub id: String,
    /// Ledger the event was emitted in.
    pub ledger: u32,
    /// The emitting contract.
    pub contract: ContractId,
    /// Hash of the emitting transaction, hex (empty when the backend has no transactions).
    pub tx_hash: String,
    /// Topics; the first is the event name for `#[contractevent]` events.
    pub topics: Vec<Val>,
    /// The event data.
    pub data: Val,
}

impl ChainEvent {
    /// The event name: the first topic, when it is a symbol.
    pub fn name(&self) -> Option<&str> {
        self.topics.first()?.as_symbol()
    }

    /// Decodes an event of a `getEvents` answer.
    ///
    /// # Errors
    ///
    /// [`RpcError::Decode`] if the contract id is not a strkey or a topic or the value is not
    /// base64 XDR of an `ScVal`.
    pub fn from_rpc(info: &EventInfo) -> Result<Self, RpcError> {
        let contract = info
            .contract_id
            .parse()
            .map_err(|e| RpcError::decode("event contractId", e))?;
        let topics = info
            .topic
            .iter()
            .map(|t| decode_base64::<ScVal>(t, "event topic").map(|v| Val::from(&v)))
            .collect::<Result<Vec<_>, _>>()?;
        let data: ScVal = decode_base64(&info.value, "event value")?;
        Ok(ChainEvent {
            id: info.id.clone(),
            ledger: info.ledger,
            contract,
            tx_hash: info.tx_hash.clone(),
            topics,
            data: Val::from(&data),
        })
    }

    /// Builds an event from an XDR `ContractEvent` (as found in transaction meta or host
    /// events), given its position. Returns `None` for events without a contract id.
    pub fn from_xdr(
        event: &ContractEvent,
        id: String,
        ledger: u32,
        tx_hash: String,
    ) -> Option<Self> {
        let contract = ContractId(event.contract_id.as_ref()?.0 .0);
        let ContractEventBody::V0(body) = &event.body;
        Some(ChainEvent {
            id,
            ledger,
            contract,
            tx_hash,
            topics: body.topics.iter().map(Val::from).collect(),
            data: Val::from(&body.data),
        })
    }

    /// A JSON rendering for logs and JSON-lines output (see [`Val::to_json`]).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "ledger": self.ledger,
            "contract": self.contract.to_string(),
            "txHash": self.tx_hash,
            "topics": self.topics.iter().map(Val::to_json).collect::<Vec<_>>(),
            "data": self.data.to_json(),
        })
    }
}

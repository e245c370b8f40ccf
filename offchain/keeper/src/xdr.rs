//! XDR helpers: ledger keys for the entries the keeper reads, and decoding of the base64 XDR
//! the RPC returns.

use stellar_xdr::{
    AccountId, ContractDataDurability, LedgerEntryData, LedgerKey, LedgerKeyAccount,
    LedgerKeyContractData, Limits, ReadXdr, ScMap, ScVal, TransactionMeta,
};

use crate::keys::ContractId;
use crate::rpc::{LedgerEntryResult, RpcError};

/// Decodes one base64 XDR value; `what` names it in the error.
///
/// # Errors
///
/// [`RpcError::Decode`] if `b64` is not base64 of a `T`.
pub fn decode_base64<T: ReadXdr>(b64: &str, what: &str) -> Result<T, RpcError> {
    T::from_xdr_base64(b64, Limits::none()).map_err(|e| RpcError::decode(what, e))
}

/// The ledger key of a classic account (its sequence number lives there).
pub fn account_key(account: &AccountId) -> LedgerKey {
    LedgerKey::Account(LedgerKeyAccount {
        account_id: account.clone(),
    })
}

/// The ledger key of a contract's instance entry (its code reference and instance storage,
/// where the protocol keeps its configuration).
pub fn contract_instance_key(contract: &ContractId) -> LedgerKey {
    contract_data_key(
        contract,
        ScVal::LedgerKeyContractInstance,
        ContractDataDurability::Persistent,
    )
}

/// The ledger key of one of a contract's persistent entries (an account or an auction), keyed
/// by the same `ScVal` the contract uses as its storage key.
pub fn persistent_key(contract: &ContractId, key: ScVal) -> LedgerKey {
    contract_data_key(contract, key, ContractDataDurability::Persistent)
}

/// The ledger key of a contract data entry of any durability.
pub fn contract_data_key(
    contract: &ContractId,
    key: ScVal,
    durability: ContractDataDurability,
) -> LedgerKey {
    LedgerKey::ContractData(LedgerKeyContractData {
        contract: contract.to_sc_address(),
        key,
        durability,
    })
}

/// A ledger entry as read from the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its key.
    pub key: LedgerKey,
    /// Its current value.
    pub data: LedgerEntryData,
    /// Ledger of the last change to the entry.
    pub last_modified_ledger: u32,
    /// Last ledger the entry is live in, for Soroban entries (`None` if archived or classic).
    pub live_until_ledger: Option<u32>,
}

impl Entry {
    /// The value of a contract data entry.
    pub fn contract_value(&self) -> Option<&ScVal> {
        match &self.data {
            LedgerEntryData::ContractData(data) => Some(&data.val),
            _ => None,
        }
    }

    /// The instance storage of a contract instance entry.
    pub fn instance_storage(&self) -> Option<&ScMap> {
        match self.contract_value()? {
            ScVal::ContractInstance(instance) => instance.storage.as_ref(),
            _ => None,
        }
    }

    /// The sequence number of an account entry.
    pub fn account_sequence(&self) -> Option<i64> {
        match &self.data {
            LedgerEntryData::Account(account) => Some(account.seq_num.0),
            _ => None,
        }
    }
}

/// Decodes a `getLedgerEntries` entry (`key` is a `LedgerKey`, `xdr` a `LedgerEntryData`).
///
/// # Errors
///
/// [`RpcError::Decode`] if either field is not the documented XDR.
pub fn decode_entry(raw: &LedgerEntryResult) -> Result<Entry, RpcError> {
    Ok(Entry {
        key: decode_base64(&raw.key, "ledger entry key")?,
        data: decode_base64(&raw.xdr, "ledger entry data")?,
        last_modified_ledger: raw.last_modified_ledger_seq,
        live_until_ledger: raw.live_until_ledger_seq,
    })
}

/// The contract's return value from transaction meta (v3 before protocol 23, v4 after).
pub fn meta_return_value(meta: &TransactionMeta) -> Option<ScVal> {
    match meta {
        TransactionMeta::V3(v3) => v3.soroban_meta.as_ref().map(|m| m.return_value.clone()),
        TransactionMeta::V4(v4) => v4.soroban_meta.as_ref()?.return_value.clone(),
        _ => None,
    }
}

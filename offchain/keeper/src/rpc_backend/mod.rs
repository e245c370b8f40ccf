//! [`Backend`] over a Soroban RPC endpoint.

mod submit;

use std::time::Duration;

use stellar_xdr::{LedgerKey, Limits, MuxedAccount, Uint256, WriteXdr};

use crate::backend::{Backend, BackendError, EventBatch, EventCursor, SimResult, TxResult};
use crate::events::ChainEvent;
use crate::keys::{ContractId, SecretKey};
use crate::rpc::{
    ClientConfig, EventFilter, GetEventsParams, Pagination, PollConfig, RpcClient, RpcError,
    MAX_LEDGER_KEYS,
};
use crate::tx::{self, ContractCall};
use crate::val::Val;
use crate::xdr::{decode_entry, Entry};

/// Most contract ids in one `getEvents` filter, and most filters in one request.
const MAX_IDS_PER_FILTER: usize = 5;
const MAX_FILTERS: usize = 5;

/// Settings of an [`RpcBackend`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcConfig {
    /// The RPC endpoint.
    pub url: String,
    /// The network passphrase; checked against `getNetwork` on connect.
    pub network_passphrase: String,
    /// HTTP timeout and transport retries.
    pub client: ClientConfig,
    /// How long to wait for a submitted transaction.
    pub poll: PollConfig,
    /// Inclusion fee offered per transaction, stroops (on top of the resource fee).
    pub inclusion_fee: u32,
    /// Time bound of each transaction, from the moment it is built.
    pub tx_lifetime: Duration,
    /// Extra instructions asked of the simulation, for state that moves between simulation and
    /// inclusion (auction prices decay with time).
    pub instruction_leeway: Option<u64>,
    /// `getEvents` page size.
    pub event_page_limit: u32,
    /// Most pages read by one `events_since` call (bounds memory after a long pause).
    pub max_event_pages: u32,
}

impl RpcConfig {
    /// Defaults for `url` on the network with `network_passphrase`.
    pub fn new(url: impl Into<String>, network_passphrase: impl Into<String>) -> Self {
        RpcConfig {
            url: url.into(),
            network_passphrase: network_passphrase.into(),
            client: ClientConfig::default(),
            poll: PollConfig {
                interval: Duration::from_secs(2),
                timeout: Duration::from_secs(90),
            },
            inclusion_fee: 100,
            tx_lifetime: Duration::from_secs(60),
            instruction_leeway: None,
            event_page_limit: 1_000,
            max_event_pages: 50,
        }
    }
}

/// A [`Backend`] backed by Stellar RPC.
pub struct RpcBackend {
    client: RpcClient,
    config: RpcConfig,
    network_id: [u8; 32],
    key: Option<SecretKey>,
}

impl RpcBackend {
    /// Connects to `config.url` and checks that it serves the configured network. Without a
    /// `key` the backend can read and simulate but not submit.
    ///
    /// # Errors
    ///
    /// [`BackendError::Invalid`] if the node's passphrase differs from the configured one;
    /// [`BackendError::Unavailable`] if the node cannot be reached.
    pub fn connect(config: RpcConfig, key: Option<SecretKey>) -> Result<Self, BackendError> {
        let client = RpcClient::new(config.url.clone(), config.client);
        let network = client.get_network()?;
        if network.passphrase != config.network_passphrase {
            return Err(BackendError::Invalid(format!(
                "{} serves network {:?}, not {:?}",
                config.url, network.passphrase, config.network_passphrase
            )));
        }
        Ok(RpcBackend {
            network_id: tx::network_id(&config.network_passphrase),
            client,
            config,
            key,
        })
    }

    /// The underlying RPC client.
    pub fn client(&self) -> &RpcClient {
        &self.client
    }

    /// The transaction source for simulations: the keeper's account if it has a key, else an
    /// all-zero account (simulation checks neither signatures nor sequence numbers).
    fn simulation_source(&self) -> MuxedAccount {
        match &self.key {
            Some(key) => key.muxed_account(),
            None => MuxedAccount::Ed25519(Uint256([0; 32])),
        }
    }

    fn event_filters(contracts: &[ContractId]) -> Result<Vec<EventFilter>, BackendError> {
        if contracts.is_empty() {
            return Err(BackendError::Invalid(
                "no contracts to read events of".into(),
            ));
        }
        if contracts.len() > MAX_IDS_PER_FILTER * MAX_FILTERS {
            return Err(BackendError::Invalid(format!(
                "{} contracts: getEvents takes at most {}",
                contracts.len(),
                MAX_IDS_PER_FILTER * MAX_FILTERS
            )));
        }
        Ok(contracts
            .chunks(MAX_IDS_PER_FILTER)
            .map(|chunk| EventFilter {
                event_type: Some("contract".into()),
                contract_ids: chunk.iter().map(ContractId::to_string).collect(),
                topics: Vec::new(),
            })
            .collect())
    }

    fn events_params(&self, cursor: &EventCursor, filters: &[EventFilter]) -> GetEventsParams {
        let (start_ledger, after) = match cursor {
            EventCursor::Ledger(ledger) => (Some(*ledger), None),
            EventCursor::After(position) => (None, Some(position.clone())),
        };
        GetEventsParams {
            start_ledger,
            filters: filters.to_vec(),
            pagination: Some(Pagination {
                cursor: after,
                limit: Some(self.config.event_page_limit),
            }),
        }
    }
}

impl From<RpcError> for BackendError {
    fn from(err: RpcError) -> Self {
        match &err {
            // Transient HTTP statuses (429, 5xx) are already `Transport`; another status means a
            // wrong URL or a proxy in the way.
            RpcError::Transport { .. } => BackendError::Unavailable(err.to_string()),
            RpcError::Http { .. } => BackendError::Invalid(err.to_string()),
            // -32603 internal error and the -32000..-32099 server range: the node's state, not
            // the request (an unhealthy node answers this way).
            RpcError::JsonRpc { code, .. }
                if *code == -32603 || (-32099..=-32000).contains(code) =>
            {
                BackendError::Unavailable(err.to_string())
            }
            RpcError::JsonRpc { .. } | RpcError::Decode(_) => {
                BackendError::Invalid(err.to_string())
            }
        }
    }
}

impl Backend for RpcBackend {
    fn latest_ledger(&mut self) -> Result<u32, BackendError> {
        Ok(self.client.get_latest_ledger()?.sequence)
    }

    fn events_since(
        &mut self,
        cursor: &EventCursor,
        contracts: &[ContractId],
    ) -> Result<EventBatch, BackendError> {
        let filters = Self::event_filters(contracts)?;
        let mut next = cursor.clone();
        let mut events = Vec::new();
        let mut latest_ledger = 0;
        for _ in 0..self.config.max_event_pages {
            let page = self
                .client
                .get_events(&self.events_params(&next, &filters))?;
            latest_ledger = page.latest_ledger;
            for info in &page.events {
                events.push(ChainEvent::from_rpc(info)?);
            }
            // The node returns where the scan stopped even for an empty page, so an idle
            // window is not scanned twice; fall back to the last event id if it does not.
            if !page.cursor.is_empty() {
                next = EventCursor::After(page.cursor.clone());
            } else if let Some(last) = page.events.last() {
                next = EventCursor::After(last.id.clone());
            }
            if page.events.len() < self.config.event_page_limit as usize {
                break;
            }
        }
        Ok(EventBatch {
            events,
            next,
            latest_ledger,
        })
    }

    fn read_entries(&mut self, keys: &[LedgerKey]) -> Result<Vec<Option<Entry>>, BackendError> {
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(MAX_LEDGER_KEYS) {
            let answer = self.client.get_ledger_entries(chunk)?;
            let entries = answer
                .entries
                .iter()
                .map(decode_entry)
                .collect::<Result<Vec<_>, _>>()?;
            found.extend(
                chunk
                    .iter()
                    .map(|k| entries.iter().find(|e| &e.key == k).cloned()),
            );
        }
        Ok(found)
    }

    fn simulate(&mut self, call: &ContractCall) -> Result<SimResult, BackendError> {
        let source = tx::TxSource {
            account: self.simulation_source(),
            sequence: 0,
            inclusion_fee: self.config.inclusion_fee,
            max_time: 0,
        };
        let sim = self.simulate_call(call, &source)?;
        let value = tx::simulated_return(&sim).map_err(submit::tx_error)?;
        let instructions = match sim.transaction_data.as_deref() {
            Some(b64) => {
                let data: stellar_xdr::SorobanTransactionData =
                    crate::xdr::decode_base64(b64, "transactionData")?;
                data.resources.instructions
            }
            None => 0,
        };
        Ok(SimResult {
            value: Val::from(&value),
            min_resource_fee: sim.min_resource_fee.unwrap_or(0),
            instructions,
            latest_ledger: sim.latest_ledger,
        })
    }

    fn submit(&mut self, call: &ContractCall) -> Result<TxResult, BackendError> {
        self.submit_call(call)
    }
}

/// Base64 of a ledger key, for error messages.
fn key_b64(key: &LedgerKey) -> String {
    key.to_xdr_base64(Limits::none())
        .unwrap_or_else(|e| format!("<unencodable key: {e}>"))
}

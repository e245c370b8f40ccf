//! The embedded-host backend: [`Backend`] on a `soroban_sdk::Env` (the in-process Soroban
//! host, testutils), for the simulator and the strategy tests. Feature `embedded`.
//!
//! - **Events.** The test host keeps only the events of the last top-level invocation, so the
//!   driver records them into a shared [`EventLog`] right after each of its own invocations
//!   ([`EventLog::capture`]); the backend captures after its own submits. Event ids are the
//!   log positions (zero-padded), so a saved cursor resumes exactly.
//! - **Entries.** `read_entries` reads contract data (persistent or temporary) keys from the
//!   host's storage; contract instances and accounts are not served (the keeper reads its
//!   state through views).
//! - **Simulate.** The call runs inside a test frame that is then failed on purpose, so every
//!   storage write and event of the call is rolled back. Auth is mocked for the simulation. The
//!   frame belongs to a Stellar Asset Contract the backend registers once at creation.
//! - **Submit.** A real invocation, with auth mocked for the keeper's address only, for this
//!   one root call (`Env::mock_auths`); afterwards the env returns to `mock_all_auths` when
//!   [`EmbeddedBackend::restore_mock_all_auths`] is set (the protocol fixture's mode).
//!
//! Several keepers share one env and one log: clone the `Env` and the [`EventLog`].

use std::cell::RefCell;
use std::rc::Rc;

use soroban_sdk::testutils::{Address as _, Events as _, MockAuth, MockAuthInvoke};
use soroban_sdk::xdr::{
    ContractDataDurability, ContractEvent, Hash, LedgerEntryData, LedgerKey, ScErrorCode,
    ScErrorType, ScVal,
};
use soroban_sdk::{Address, Env, Symbol, TryFromVal, Val as SdkVal, Vec as SdkVec};

use crate::backend::{Backend, BackendError, EventBatch, EventCursor, SimResult, TxResult};
use crate::events::ChainEvent;
use crate::keys::ContractId;
use crate::tx::ContractCall;
use crate::val::Val;
use crate::xdr::Entry;

/// Events recorded from the host, shared by the driver and every embedded keeper.
#[derive(Clone, Default)]
pub struct EventLog(Rc<RefCell<Vec<ChainEvent>>>);

impl EventLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the contract events of the env's last invocation (call once after each
    /// invocation; events of failed calls are not included).
    pub fn capture(&self, env: &Env) {
        let ledger = env.ledger().sequence();
        let events: std::vec::Vec<ContractEvent> = env.events().all().events().to_vec();
        let mut log = self.0.borrow_mut();
        for e in events {
            let id = format!("{:012}", log.len());
            if let Some(ev) = ChainEvent::from_xdr(&e, id, ledger, String::new()) {
                log.push(ev);
            }
        }
    }

    /// Number of events recorded.
    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the recorded events.
    pub fn events(&self) -> std::vec::Vec<ChainEvent> {
        self.0.borrow().clone()
    }

    /// A copy of the events recorded from position `from` on (a driver's own cursor).
    pub fn since(&self, from: usize) -> std::vec::Vec<ChainEvent> {
        self.0.borrow().get(from..).unwrap_or(&[]).to_vec()
    }
}

/// What one submitted call cost on the host (`Env::cost_estimate` of the invocation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallCost {
    /// The contract function.
    pub function: String,
    /// Whether the call succeeded.
    pub ok: bool,
    /// CPU instructions and memory bytes metered.
    pub instructions: i64,
    pub mem_bytes: i64,
}

/// The embedded backend of one keeper.
pub struct EmbeddedBackend {
    env: Env,
    keeper: Address,
    log: EventLog,
    /// Return to `mock_all_auths` after each submit (default true).
    pub restore_mock_all_auths: bool,
    /// Most events returned by one `events_since`.
    pub page_limit: usize,
    submitted: u64,
    /// The cost of every submit since the last [`EmbeddedBackend::take_costs`].
    costs: std::vec::Vec<CallCost>,
    /// An existing contract whose test frame hosts simulations (a frame needs a contract
    /// instance; the callee itself would count as re-entry).
    frame: ContractId,
}

fn failed(e: impl std::fmt::Debug) -> BackendError {
    BackendError::CallFailed(format!("{e:?}"))
}

impl EmbeddedBackend {
    /// A backend acting as `keeper` on `env`, reading events from `log`.
    pub fn new(env: &Env, keeper: &Address, log: &EventLog) -> Self {
        EmbeddedBackend {
            env: env.clone(),
            keeper: keeper.clone(),
            log: log.clone(),
            restore_mock_all_auths: true,
            page_limit: 1_000,
            submitted: 0,
            costs: std::vec::Vec::new(),
            frame: contract_id(
                &env.register_stellar_asset_contract_v2(Address::generate(env))
                    .address(),
            ),
        }
    }

    /// The cost of each submit since the last call, in order (the simulator's per-entry-point
    /// resource report).
    pub fn take_costs(&mut self) -> std::vec::Vec<CallCost> {
        std::mem::take(&mut self.costs)
    }

    /// Continues on `env`, a fresh host over the same ledger (the simulator's storage
    /// compaction): the keeper's address is rebound to it by strkey.
    pub fn rebind(&mut self, env: &Env) {
        self.keeper = Address::from_str(env, &address_strkey(&self.keeper));
        self.env = env.clone();
    }

    /// The env.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The keeper's address, as its strkey (the `keeper` of [`crate::logic::KeeperConfig`]).
    pub fn keeper_strkey(&self) -> String {
        address_strkey(&self.keeper)
    }

    fn args(&self, call: &ContractCall) -> Result<(Address, Symbol, SdkVec<SdkVal>), BackendError> {
        let contract = contract_address(&self.env, &call.contract);
        let function = Symbol::new(&self.env, &call.function);
        let mut args = SdkVec::new(&self.env);
        for a in &call.args {
            let v = SdkVal::try_from_val(&self.env, a)
                .map_err(|e| BackendError::Invalid(format!("{e:?}")))?;
            args.push_back(v);
        }
        Ok((contract, function, args))
    }

    fn invoke(
        &self,
        contract: &Address,
        function: &Symbol,
        args: SdkVec<SdkVal>,
    ) -> Result<Val, BackendError> {
        let out = self
            .env
            .try_invoke_contract::<SdkVal, soroban_sdk::Error>(contract, function, args);
        match out {
            Ok(Ok(v)) => {
                let sc = ScVal::try_from_val(&self.env, &v).map_err(failed)?;
                Ok(Val::from(&sc))
            }
            Ok(Err(e)) => Err(failed(e)),
            Err(Ok(e)) => Err(failed(e)),
            Err(Err(e)) => Err(failed(e)),
        }
    }
}

/// A strkey of an sdk address.
pub fn address_strkey(a: &Address) -> String {
    a.to_string().to_string()
}

/// The sdk address of a contract id.
pub fn contract_address(env: &Env, id: &ContractId) -> Address {
    Address::from_str(env, &id.to_string())
}

/// The contract id of an sdk contract address.
///
/// # Panics
///
/// Never for a contract address; an account address is a caller bug (test code).
pub fn contract_id(a: &Address) -> ContractId {
    address_strkey(a).parse().unwrap_or(ContractId([0; 32]))
}

impl Backend for EmbeddedBackend {
    fn latest_ledger(&mut self) -> Result<u32, BackendError> {
        Ok(self.env.ledger().sequence())
    }

    fn now(&mut self) -> u64 {
        self.env.ledger().timestamp()
    }

    fn events_since(
        &mut self,
        cursor: &EventCursor,
        contracts: &[ContractId],
    ) -> Result<EventBatch, BackendError> {
        if contracts.is_empty() {
            return Err(BackendError::Invalid("no contracts to watch".into()));
        }
        let log = self.log.0.borrow();
        let from = match cursor {
            EventCursor::Ledger(l) => log.iter().position(|e| e.ledger >= *l).unwrap_or(log.len()),
            EventCursor::After(id) => {
                let n: usize = id
                    .parse()
                    .map_err(|_| BackendError::Invalid(format!("cursor {id}")))?;
                n + 1
            }
        };
        let end = log.len().min(from.saturating_add(self.page_limit));
        let scanned = log.get(from..end).unwrap_or(&[]);
        let events = scanned
            .iter()
            .filter(|e| contracts.contains(&e.contract))
            .cloned()
            .collect();
        let next = match scanned.last() {
            Some(last) => EventCursor::After(last.id.clone()),
            None => cursor.clone(),
        };
        Ok(EventBatch {
            events,
            next,
            latest_ledger: self.env.ledger().sequence(),
        })
    }

    fn read_entries(&mut self, keys: &[LedgerKey]) -> Result<Vec<Option<Entry>>, BackendError> {
        let env = &self.env;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let LedgerKey::ContractData(k) = key else {
                return Err(BackendError::Invalid("only contract data entries".into()));
            };
            if matches!(k.key, ScVal::LedgerKeyContractInstance) {
                return Err(BackendError::Invalid(
                    "contract instances are not served".into(),
                ));
            }
            let contract = Address::try_from_val(env, &k.contract).map_err(failed)?;
            let sk = SdkVal::try_from_val(env, &k.key).map_err(failed)?;
            let value: Option<SdkVal> = env.as_contract(&contract, || match k.durability {
                ContractDataDurability::Persistent => env.storage().persistent().get(&sk),
                ContractDataDurability::Temporary => env.storage().temporary().get(&sk),
            });
            out.push(match value {
                Some(v) => {
                    let val = ScVal::try_from_val(env, &v).map_err(failed)?;
                    Some(Entry {
                        key: key.clone(),
                        data: LedgerEntryData::ContractData(soroban_sdk::xdr::ContractDataEntry {
                            ext: soroban_sdk::xdr::ExtensionPoint::V0,
                            contract: k.contract.clone(),
                            key: k.key.clone(),
                            durability: k.durability,
                            val,
                        }),
                        last_modified_ledger: env.ledger().sequence(),
                        live_until_ledger: None,
                    })
                }
                None => None,
            });
        }
        Ok(out)
    }

    fn simulate(&mut self, call: &ContractCall) -> Result<SimResult, BackendError> {
        let (contract, function, args) = self.args(call)?;
        let mut result = None;
        self.env.mock_all_auths_allowing_non_root_auth();
        let frame = self.frame;
        let host = self.env.host();
        let _rolled_back = host.with_test_contract_frame(
            soroban_sdk::xdr::ContractId(Hash(frame.0)),
            soroban_sdk::symbol_short!("simulate").to_symbol_val(),
            || {
                result = Some(self.invoke(&contract, &function, args));
                Err(soroban_sdk::Error::from_type_and_code(
                    ScErrorType::Context,
                    ScErrorCode::InternalError,
                )
                .into())
            },
        );
        if self.restore_mock_all_auths {
            self.env.mock_all_auths();
        }
        let value = result
            .unwrap_or_else(|| Err(BackendError::Invalid("simulation did not run".into())))?;
        Ok(SimResult {
            value,
            min_resource_fee: 0,
            instructions: 0,
            latest_ledger: self.env.ledger().sequence(),
        })
    }

    fn submit(&mut self, call: &ContractCall) -> Result<TxResult, BackendError> {
        let (contract, function, args) = self.args(call)?;
        let fn_name = call.function.clone();
        self.env.mock_auths(&[MockAuth {
            address: &self.keeper,
            invoke: &MockAuthInvoke {
                contract: &contract,
                fn_name: &fn_name,
                args: args.clone(),
                sub_invokes: &[],
            },
        }]);
        let out = self.invoke(&contract, &function, args);
        let used = self.env.cost_estimate().resources();
        self.costs.push(CallCost {
            function: fn_name,
            ok: out.is_ok(),
            instructions: used.instructions,
            mem_bytes: used.mem_bytes,
        });
        if out.is_ok() {
            self.log.capture(&self.env);
        }
        if self.restore_mock_all_auths {
            self.env.mock_all_auths();
        }
        let value = out?;
        self.submitted += 1;
        Ok(TxResult {
            hash: format!("embedded-{}", self.submitted),
            ledger: self.env.ledger().sequence(),
            value,
            fee_charged: 0,
        })
    }
}

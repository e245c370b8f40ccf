//! The keeper loop: read events, track accounts and auctions, evaluate health natively, act.
//!
//! One [`Keeper::step`]:
//! 1. reads every event since the saved cursor and updates the tracked accounts and auctions,
//!    then saves the state (cursor included);
//! 2. reads positions (`positions` view) of the accounts that need it (touched by events, near
//!    liquidation, new, or every `tuning.refresh_every` steps, [`FULL_REFRESH_STEPS`] by
//!    default; the rest from a cache) and the market (quotes of the assets seen, decimals once
//!    per asset, configs and ramped maint weights every step);
//! 3. for each live auction: resets it when stale, takes it (the whole lot, or
//!    `tuning.max_slice` of what is left) when the price is under the reference by the
//!    strategy's discount, else holds. The price is computed natively from the auction's start
//!    price and time and the curve ([`super::curve`]; each read once, again after a reset or a
//!    parameter change): a hold costs no contract call, a take or a reset is decided on the
//!    `price` view's answer, as is every auction while the keeper is behind on events;
//! 4. for each tracked account without a live auction: values it natively with the risk core and
//!    starts an auction when liquidatable (largest collateral against largest debt), or settles
//!    bad debt when it owes with no collateral left. Before the start of an account whose
//!    positions span more than `tuning.refresh_above` assets (8 by default), it refreshes the
//!    adapter's quotes of the account's assets that are not current (the adapter's book, read
//!    once in the step that needs it: [`super::refresh`]), in `refresh` transactions of at most
//!    `tuning.refresh_chunk` assets (8), so that the start prices from the book rather than
//!    pulling every feed itself; a refresh that fails is logged and the start still follows.
//!
//! With a `tuning.reaction_delay`, steps 3 and 4 act on an auction or a liquidatable account
//! only once the keeper has seen it for that many seconds of chain time (a slower keeper in a
//! race): until then the decision is `wait`.
//!
//! Every action is simulated first and only sent when the simulation succeeds, so a step re-run
//! after a crash (state not saved, events re-read) does nothing twice: the chain refuses what is
//! already done (the account is at its target, the auction is gone) and the simulation says so.
//! A sent-but-unconfirmed transaction is remembered with its deadline and not replaced before
//! (a refresh under one key per asset, `refresh:<asset>`: an asset whose refresh may still land
//! is left out of the next chunks; a refresh of current records only answers `Unchanged`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use serde_json::{json, Value};

use super::config::{KeeperConfig, ONE, PRICE_ONE};
use super::curve::{AuctionClock, CurveParams};
use super::market::{AssetInfo, Market, Screen};
use super::protocol::{self, AccountKey, Calls, ProtocolEvent};
use super::refresh::{self, AdapterBook};
use super::state::{KeeperState, TrackedAuction};
use crate::backend::{Backend, BackendError};
use crate::tx::ContractCall;
use crate::val::Val;

/// Every tracked account with its positions (`(asset, signed token units)`).
pub type Snapshot = Vec<(AccountKey, Vec<(String, i128)>)>;

/// An action about to be simulated and sent.
struct Intent {
    action: &'static str,
    account: Option<AccountKey>,
    auction_id: Option<u64>,
    /// The pending-transaction keys: one for most actions, one per asset for a refresh.
    keys: Vec<String>,
}

/// What a step knows of the adapter's records, for the refreshes before starts.
#[derive(Default)]
struct AdapterStep {
    /// The book as read in this step: `None` before the first start that needs it, then the
    /// book or why it could not be read (every asset then counts as not current).
    book: Option<Result<AdapterBook, String>>,
    /// Assets a refresh was attempted for in this step (sent or refused): not again for another
    /// account in the same step.
    attempted: BTreeSet<String>,
}

/// Positions of an account untouched by events are re-read at least every this many steps
/// (interest moves them slowly); accounts near liquidation and touched ones every step.
pub const FULL_REFRESH_STEPS: u64 = 20;

/// An account whose maint collateral is under this multiple of its maint liabilities (7
/// decimals: 1.10) is near liquidation and re-read every step (the default of
/// [`super::config::Tuning::near_liquidation`]).
pub const NEAR_LIQUIDATION: i128 = 11_000_000;

/// Event pages read per step at most (the rest next step).
const MAX_EVENT_PAGES: usize = 50;

/// One decision of a step, logged as one JSON line.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// `start`, `take`, `reset`, `settle`, `refresh`, `hold`, `wait`, `skip`, `error`.
    pub action: &'static str,
    /// The account concerned, if any.
    pub account: Option<AccountKey>,
    /// The auction concerned, if any.
    pub auction_id: Option<u64>,
    /// Whether a transaction was applied.
    pub sent: bool,
    /// Figures and reasons.
    pub detail: Value,
}

impl Decision {
    /// The JSON line.
    pub fn to_json(&self) -> Value {
        json!({
            "action": self.action,
            "owner": self.account.as_ref().map(|a| a.0.clone()),
            "id": self.account.as_ref().map(|a| a.1),
            "auction_id": self.auction_id,
            "sent": self.sent,
            "detail": self.detail,
        })
    }
}

/// What a step did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepReport {
    /// Events read.
    pub events: usize,
    /// Accounts evaluated natively.
    pub evaluated: usize,
    /// Decisions, in order.
    pub decisions: Vec<Decision>,
}

/// The keeper over a backend.
pub struct Keeper<B: Backend> {
    backend: B,
    config: KeeperConfig,
    state: KeeperState,
    market: Market,
    log: Box<dyn Write>,
    /// Positions as last read, by account (rebuilt after a restart).
    cache: BTreeMap<AccountKey, Vec<(String, i128)>>,
    /// Accounts whose positions changed since they were read (from events).
    dirty: BTreeSet<AccountKey>,
    /// Accounts near liquidation at the last screen: re-read every step.
    near: BTreeSet<AccountKey>,
    /// Opportunities (`account:owner:id` liquidatable, `auction:id` live) and the chain time
    /// the keeper first saw them, for the reaction delay. In memory: a restart waits again.
    seen: BTreeMap<String, u64>,
    /// The auction's curve, `tail` and `cusp` (the `params` view), read when first needed and
    /// again after a `params_set` event.
    params: Option<CurveParams>,
    /// Whether the last [`Keeper::sync`] read every event there was (not stopped by
    /// `MAX_EVENT_PAGES`): only then are the tracked auctions and parameters current, and
    /// auction prices computed natively.
    caught_up: bool,
    /// The adapter's records as read in the current step (reset at each step's start).
    adapter: AdapterStep,
    /// Chain time at the start of the current step.
    now: u64,
    steps: u64,
}

/// The pending-transaction key of a refresh of `asset`.
fn refresh_key(asset: &str) -> String {
    format!("refresh:{asset}")
}

fn invalid(e: impl std::fmt::Display) -> BackendError {
    BackendError::Invalid(e.to_string())
}

impl<B: Backend> Keeper<B> {
    /// A keeper resuming from `config.state_path` (fresh when the file does not exist), logging
    /// one JSON line per decision to stderr.
    ///
    /// # Errors
    ///
    /// The state file exists but cannot be read.
    pub fn new(backend: B, config: KeeperConfig) -> Result<Self, String> {
        let state = match &config.state_path {
            Some(path) => KeeperState::load(path)?,
            None => KeeperState::default(),
        };
        Ok(Keeper {
            backend,
            config,
            state,
            market: Market::default(),
            log: Box::new(std::io::stderr()),
            cache: BTreeMap::new(),
            dirty: BTreeSet::new(),
            near: BTreeSet::new(),
            seen: BTreeMap::new(),
            params: None,
            caught_up: false,
            adapter: AdapterStep::default(),
            now: 0,
            steps: 0,
        })
    }

    /// Sends the decision log somewhere else (a file, a buffer, `std::io::sink()`).
    pub fn with_log(mut self, log: Box<dyn Write>) -> Self {
        self.log = log;
        self
    }

    /// The backend (the simulator drives the embedded host through it between steps).
    pub fn backend(&mut self) -> &mut B {
        &mut self.backend
    }

    /// The configuration (the simulator updates reference prices between steps).
    pub fn config_mut(&mut self) -> &mut KeeperConfig {
        &mut self.config
    }

    /// The tracked state.
    pub fn state(&self) -> &KeeperState {
        &self.state
    }

    /// The market as last read.
    pub fn market(&self) -> &Market {
        &self.market
    }

    fn calls(&self) -> Calls<'_> {
        Calls {
            margin: &self.config.margin_account,
            auction: &self.config.auction,
            oracle: &self.config.oracle,
        }
    }

    fn save(&self) -> Result<(), BackendError> {
        match &self.config.state_path {
            Some(path) => self.state.save(path).map_err(BackendError::Invalid),
            None => Ok(()),
        }
    }

    /// Reads all new events and updates the tracked accounts and auctions; saves the state.
    /// Returns the number of events read.
    ///
    /// # Errors
    ///
    /// The backend's errors; the state is saved up to the last complete page.
    pub fn sync(&mut self) -> Result<usize, BackendError> {
        let contracts = [self.config.margin_account, self.config.auction];
        let mut total = 0;
        self.caught_up = false;
        for _ in 0..MAX_EVENT_PAGES {
            let cursor = self.state.cursor(self.config.start_ledger);
            let batch = self.backend.events_since(&cursor, &contracts)?;
            let n = batch.events.len();
            for e in &batch.events {
                self.apply(protocol::decode(
                    e,
                    &self.config.margin_account,
                    &self.config.auction,
                ));
            }
            self.state.set_cursor(&batch.next);
            self.save()?;
            total += n;
            if n == 0 || batch.next == cursor {
                self.caught_up = true;
                return Ok(total);
            }
        }
        Ok(total)
    }

    fn apply(&mut self, event: ProtocolEvent) {
        match event {
            ProtocolEvent::Account(a) | ProtocolEvent::BadDebtSettled(a) => {
                self.state.refused.remove(&a);
                self.dirty.insert(a.clone());
                self.state.accounts.insert(a);
            }
            ProtocolEvent::AuctionStarted {
                auction_id,
                account,
                collateral,
                debt,
                lot,
            } => {
                self.state.accounts.insert(account.clone());
                self.dirty.insert(account.clone());
                self.state.auctions.insert(
                    auction_id,
                    TrackedAuction {
                        account,
                        collateral,
                        debt,
                        lot_start: lot,
                        lot_left: lot,
                        clock: None,
                    },
                );
            }
            ProtocolEvent::AuctionTaken { auction_id, lot } => {
                if let Some(a) = self.state.auctions.get_mut(&auction_id) {
                    a.lot_left = lot;
                }
            }
            ProtocolEvent::AuctionClosed {
                auction_id,
                account,
            } => {
                self.state.auctions.remove(&auction_id);
                self.seen.remove(&format!("auction:{auction_id}"));
                self.state.refused.remove(&account);
                self.dirty.insert(account);
            }
            ProtocolEvent::AuctionReset { auction_id } => {
                if let Some(a) = self.state.auctions.get_mut(&auction_id) {
                    a.clock = None;
                }
            }
            ProtocolEvent::AuctionParamsSet => self.params = None,
            ProtocolEvent::Other => {}
        }
    }

    fn view(&mut self, call: Result<ContractCall, String>) -> Result<Val, BackendError> {
        let call = call.map_err(invalid)?;
        Ok(self.backend.simulate(&call)?.value)
    }

    /// Reads quotes for every asset seen in the tracked accounts' positions and their configs.
    fn read_market(&mut self, assets: &BTreeSet<String>) -> Result<(), BackendError> {
        if assets.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = assets.iter().cloned().collect();
        let quotes = self.view(self.calls().quotes(&list))?;
        let quotes = quotes
            .as_vec()
            .ok_or_else(|| invalid("quotes: not a vector"))?;
        for (asset, q) in list.iter().zip(quotes) {
            let num = |f: &str| q.field(f).and_then(Val::as_i128);
            let (Some(spot), Some(low), Some(high)) = (num("spot"), num("low"), num("high")) else {
                return Err(invalid("quote without spot/low/high"));
            };
            let decimals = match self.market.assets.get(asset) {
                Some(info) => info.decimals,
                None => {
                    let d = self.view(self.calls().decimals(asset))?;
                    d.as_u64().ok_or_else(|| invalid("decimals"))? as u32
                }
            };
            let config = self.view(self.calls().asset_config(asset))?;
            let w = |f: &str| config.field(f).and_then(Val::as_i128);
            let maint = self.view(self.calls().maint_weights(asset))?;
            let maint = maint.as_vec().unwrap_or(&[]);
            let (Some(ai), Some(li), Some(am), Some(lm)) = (
                w("asset_weight_init"),
                w("liab_weight_init"),
                maint.first().and_then(Val::as_i128),
                maint.get(1).and_then(Val::as_i128),
            ) else {
                return Err(invalid("asset config without weights"));
            };
            let info = AssetInfo::from_abi(decimals, [ai, am, li, lm], spot, low, high)
                .map_err(|e| invalid(format!("asset {asset}: {e:?}")))?;
            self.market.assets.insert(asset.clone(), info);
        }
        Ok(())
    }

    /// An account's positions (`positions` view), `(asset, signed token units)`.
    ///
    /// # Errors
    ///
    /// The backend's errors.
    pub fn positions(&mut self, a: &AccountKey) -> Result<Vec<(String, i128)>, BackendError> {
        let v = self.view(self.calls().positions(a))?;
        match v {
            Val::Map(entries) => Ok(entries
                .iter()
                .filter_map(|(k, v)| Some((k.as_address()?.to_owned(), v.as_i128()?)))
                .collect()),
            _ => Err(invalid("positions: not a map")),
        }
    }

    /// Positions of every tracked account, and the market read for their assets. Positions are
    /// re-read for accounts touched by events, near liquidation, new to this process, and for
    /// every account each [`FULL_REFRESH_STEPS`] steps; the others come from the cache.
    /// `after_call` runs after each `positions` read (see [`Keeper::step_with`]).
    fn snapshot(&mut self, after_call: &mut dyn FnMut(&mut B)) -> Result<Snapshot, BackendError> {
        let full = self
            .steps
            .is_multiple_of(self.config.tuning.refresh_every.max(1));
        self.steps += 1;
        let accounts: Vec<AccountKey> = self.state.accounts.iter().cloned().collect();
        let mut out = Vec::with_capacity(accounts.len());
        let mut assets = BTreeSet::new();
        for a in accounts {
            let fresh = full
                || self.dirty.contains(&a)
                || self.near.contains(&a)
                || !self.cache.contains_key(&a);
            if fresh {
                let read = self.positions(&a);
                after_call(&mut self.backend);
                match read {
                    Ok(p) => {
                        self.cache.insert(a.clone(), p);
                    }
                    Err(BackendError::CallFailed(_)) => {
                        self.cache.remove(&a);
                    }
                    Err(e) => return Err(e),
                }
            }
            if let Some(p) = self.cache.get(&a) {
                assets.extend(p.iter().map(|(asset, _)| asset.clone()));
                out.push((a, p.clone()));
            }
        }
        self.dirty.clear();
        self.read_market(&assets)?;
        Ok(out)
    }

    fn log(&mut self, d: Decision, report: &mut StepReport) {
        // The log is best effort: a full disk must not stop liquidations.
        let _ = writeln!(self.log, "{}", d.to_json());
        report.decisions.push(d);
    }

    /// Whether a transaction sent under `key` may still land at `now`.
    fn pending_until(&self, key: &str, now: u64) -> Option<u64> {
        self.state
            .pending
            .get(key)
            .copied()
            .filter(|until| *until >= now)
    }

    /// Simulates, then sends `call` unless an earlier transaction for one of `keys` may still
    /// land; an unconfirmed transaction is remembered under every key.
    fn act(&mut self, keys: &[String], call: &ContractCall) -> Result<Val, String> {
        let now = self.backend.now();
        if let Some(until) = keys.iter().find_map(|k| self.pending_until(k, now)) {
            return Err(format!("transaction pending until {until}"));
        }
        self.backend.simulate(call).map_err(|e| e.to_string())?;
        match self.backend.submit(call) {
            Ok(tx) => {
                for key in keys {
                    self.state.pending.remove(key);
                }
                Ok(tx.value)
            }
            Err(BackendError::Unconfirmed { hash, valid_until }) => {
                for key in keys {
                    self.state.pending.insert(key.clone(), valid_until);
                }
                Err(format!("transaction {hash} unconfirmed"))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    fn decide(
        &mut self,
        report: &mut StepReport,
        after_call: &mut dyn FnMut(&mut B),
        intent: Intent,
        call: Result<ContractCall, String>,
        detail: Value,
    ) -> bool {
        let Intent {
            action,
            account,
            auction_id,
            keys,
        } = intent;
        let result = call.and_then(|c| self.act(&keys, &c));
        let (sent, detail, action) = match result {
            Ok(value) => (
                true,
                json!({ "why": detail, "result": value.to_json() }),
                action,
            ),
            Err(e) => (false, json!({ "why": detail, "refused": e }), "skip"),
        };
        self.log(
            Decision {
                action,
                account,
                auction_id,
                sent,
                detail,
            },
            report,
        );
        // Saved after every action: a crash right after it re-reads from here.
        let _ = self.save();
        // Also after a refused simulation: the in-process host may have loaded entries for it.
        after_call(&mut self.backend);
        sent
    }

    /// The reference price of `collateral` in `debt` (debt tokens per collateral token, 14
    /// decimals): the configured table, else the adapter's spot ratio.
    fn reference(&self, collateral: &str, debt: &str) -> Option<i128> {
        if let Some(p) = self.config.reference.price(collateral, debt) {
            return Some(p);
        }
        let c = self.market.assets.get(collateral)?;
        let d = self.market.assets.get(debt)?;
        c.spot.checked_mul(PRICE_ONE)?.checked_div(d.spot)
    }

    fn auctions_step(
        &mut self,
        report: &mut StepReport,
        after_call: &mut dyn FnMut(&mut B),
    ) -> Result<(), BackendError> {
        let live: Vec<(u64, TrackedAuction)> = self
            .state
            .auctions
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        let keeper = self.config.keeper.clone();
        for (auction_id, a) in live {
            // Between auctions (a hold's reads of `params` and `auction`, a `price` view, a
            // take's probe) and after the last.
            after_call(&mut self.backend);
            if let Err(left) = self.due(&format!("auction:{auction_id}")) {
                self.wait(report, Some(a.account.clone()), Some(auction_id), left);
                continue;
            }
            let limit = self.reference(&a.collateral, &a.debt).map(|reference| {
                let discount = self
                    .config
                    .strategy
                    .required_discount(self.config.min_profit);
                (reference, reference.saturating_mul(ONE - discount) / ONE)
            });
            // A hold needs no contract call: the price as the `price` view would answer, computed
            // natively. A take or a reset rests on the view's own answer, read below.
            if let (Some((p, false)), Some((reference, limit))) =
                (self.native_price(auction_id)?, limit)
            {
                if p > limit {
                    self.hold(report, &a, auction_id, p, reference, limit);
                    continue;
                }
            }
            let price = match self.backend.simulate(&self.calls().price(auction_id)) {
                Ok(sim) => sim.value,
                Err(BackendError::CallFailed(_)) => {
                    // Gone (closed in a ledger whose events are not read yet): re-read the
                    // account next step, as its close event would have it.
                    self.state.auctions.remove(&auction_id);
                    self.dirty.insert(a.account.clone());
                    continue;
                }
                Err(e) => return Err(e),
            };
            let items = price.as_vec().unwrap_or(&[]);
            let (Some(p), Some(Val::Bool(stale))) =
                (items.first().and_then(Val::as_i128), items.get(1))
            else {
                return Err(invalid("price: not (i128, bool)"));
            };
            if *stale {
                let call = self.calls().reset(&keeper, auction_id);
                self.decide(
                    report,
                    after_call,
                    Intent {
                        action: "reset",
                        account: Some(a.account.clone()),
                        auction_id: Some(auction_id),
                        keys: vec![format!("reset:{auction_id}")],
                    },
                    call,
                    json!({ "price": p, "reason": "tail or cusp reached" }),
                );
                continue;
            }
            let Some((reference, limit)) = limit else {
                continue;
            };
            if p > limit {
                self.hold(report, &a, auction_id, p, reference, limit);
                continue;
            }
            let (receiver, data) = match &self.config.flash {
                Some(flash) => {
                    let pool = flash
                        .pools
                        .get(&(a.collateral.clone(), a.debt.clone()))
                        .map(ToString::to_string);
                    match pool {
                        Some(pool) => (
                            flash.receiver.to_string(),
                            protocol::flash_data(&pool, &a.collateral, &a.debt).ok(),
                        ),
                        None => (keeper.clone(), None),
                    }
                }
                None => (keeper.clone(), None),
            };
            // A slice of the lot; when the auction refuses it (it would leave dust), the rest.
            let mut slice = self.slice(&a);
            if let Some(n) = slice {
                let probe =
                    self.calls()
                        .take(&keeper, auction_id, Some(n), p, &receiver, data.clone());
                if probe.is_err() || probe.is_ok_and(|c| self.backend.simulate(&c).is_err()) {
                    slice = None;
                }
            }
            let figures =
                json!({ "price": p, "reference": reference, "limit": limit, "slice": slice });
            let call = self
                .calls()
                .take(&keeper, auction_id, slice, p, &receiver, data);
            self.decide(
                report,
                after_call,
                Intent {
                    action: "take",
                    account: Some(a.account.clone()),
                    auction_id: Some(auction_id),
                    keys: vec![format!("take:{auction_id}")],
                },
                call,
                figures,
            );
        }
        after_call(&mut self.backend);
        Ok(())
    }

    fn hold(
        &mut self,
        report: &mut StepReport,
        a: &TrackedAuction,
        auction_id: u64,
        price: i128,
        reference: i128,
        limit: i128,
    ) {
        self.log(
            Decision {
                action: "hold",
                account: Some(a.account.clone()),
                auction_id: Some(auction_id),
                sent: false,
                detail: json!({ "price": price, "reference": reference, "limit": limit }),
            },
            report,
        );
    }

    /// A live auction's price and whether it needs a reset, as its `price` view would answer
    /// now, computed natively ([`super::curve`]); `None` when it cannot be: the keeper is behind
    /// on events (the auction may be gone, reset, or the parameters changed), or a read or
    /// decode of `params` or `auction` failed (the caller then reads the `price` view).
    ///
    /// # Errors
    ///
    /// The backend's read errors other than a failed call.
    fn native_price(&mut self, auction_id: u64) -> Result<Option<(i128, bool)>, BackendError> {
        if !self.caught_up {
            return Ok(None);
        }
        let params = match self.params {
            Some(p) => p,
            None => {
                let read = self.backend.simulate(&self.calls().auction_params());
                let Some(p) = Self::decoded(read, CurveParams::from_abi)? else {
                    return Ok(None);
                };
                self.params = Some(p);
                p
            }
        };
        let Some(tracked) = self.state.auctions.get(&auction_id) else {
            return Ok(None);
        };
        let clock = match tracked.clock {
            Some(c) => c,
            None => {
                let read = self.backend.simulate(&self.calls().auction(auction_id));
                let Some(c) = Self::decoded(read, AuctionClock::from_abi)? else {
                    return Ok(None);
                };
                if let Some(a) = self.state.auctions.get_mut(&auction_id) {
                    a.clock = Some(c);
                }
                c
            }
        };
        Ok(params.price(&clock, self.now).ok())
    }

    /// A view's value decoded; `None` when the call failed or the value does not decode.
    fn decoded<T>(
        read: Result<crate::backend::SimResult, BackendError>,
        decode: impl Fn(&Val) -> Result<T, String>,
    ) -> Result<Option<T>, BackendError> {
        match read {
            Ok(sim) => Ok(decode(&sim.value).ok()),
            Err(BackendError::CallFailed(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `Ok` when the opportunity `key` has been seen for the reaction delay (recording it the
    /// first time), else the seconds left.
    fn due(&mut self, key: &str) -> Result<(), u64> {
        let delay = self.config.tuning.reaction_delay;
        if delay == 0 {
            return Ok(());
        }
        let first = *self.seen.entry(key.to_owned()).or_insert(self.now);
        let waited = self.now.saturating_sub(first);
        if waited >= delay {
            Ok(())
        } else {
            Err(delay - waited)
        }
    }

    fn wait(
        &mut self,
        report: &mut StepReport,
        account: Option<AccountKey>,
        auction_id: Option<u64>,
        left: u64,
    ) {
        self.log(
            Decision {
                action: "wait",
                account,
                auction_id,
                sent: false,
                detail: json!({ "reason": "reaction delay", "seconds_left": left }),
            },
            report,
        );
    }

    /// Collateral tokens one take asks for under [`super::config::Tuning::max_slice`]; `None`
    /// for the whole lot (also when the lot is not known from events).
    fn slice(&self, a: &TrackedAuction) -> Option<i128> {
        let share = self.config.tuning.max_slice;
        if share >= ONE {
            return None;
        }
        let left = a.tokens_left()?;
        Some((left.saturating_mul(share) / ONE).max(1))
    }

    fn accounts_step(
        &mut self,
        report: &mut StepReport,
        after_call: &mut dyn FnMut(&mut B),
        snapshot: Snapshot,
    ) {
        let busy: BTreeSet<AccountKey> = self
            .state
            .auctions
            .values()
            .map(|a| a.account.clone())
            .collect();
        let keeper = self.config.keeper.clone();
        let screen = Screen::new(&self.market);
        for (account, positions) in snapshot {
            report.evaluated += 1;
            if busy.contains(&account) || self.state.refused.contains(&account) {
                // Nothing to decide until an event changes it: the auction's close, or any
                // event of the account for a refusal (each marks it dirty, so it is re-read
                // then; a take moves it too, but it stays busy until the close).
                self.seen
                    .remove(&format!("account:{}:{}", account.0, account.1));
                self.near.remove(&account);
                continue;
            }
            let has_collateral = positions.iter().any(|(_, n)| *n > 0);
            let debt = positions.iter().filter(|(_, n)| *n < 0).max_by(|x, y| {
                self.market
                    .spot_value(&x.0, x.1)
                    .total_cmp(&self.market.spot_value(&y.0, y.1))
            });
            let Some((debt_asset, _)) = debt.cloned() else {
                continue;
            };
            if !has_collateral {
                let call = self.calls().settle_bad_debt(&account);
                let sent = self.decide(
                    report,
                    after_call,
                    Intent {
                        action: "settle",
                        account: Some(account.clone()),
                        auction_id: None,
                        keys: vec![format!("settle:{}:{}", account.0, account.1)],
                    },
                    call,
                    json!({ "reason": "debt without collateral" }),
                );
                if !sent {
                    self.state.refused.insert(account);
                }
                continue;
            }
            // The screen: four weighted sums, no division (see the keeper-bench binary).
            let sums = screen
                .resolve(&positions)
                .ok_or(risk_core::RiskError::InvalidPrice)
                .and_then(|p| screen.sums(&p));
            let sums = match sums {
                Ok(s) => s,
                Err(e) => {
                    self.log(
                        Decision {
                            action: "error",
                            account: Some(account),
                            auction_id: None,
                            sent: false,
                            detail: json!({ "risk_core": format!("{e:?}") }),
                        },
                        report,
                    );
                    continue;
                }
            };
            let (assets, liabs) = (
                sums.maint.assets.to_abi(risk_core::Rounding::Floor),
                sums.maint.liabs.to_abi(risk_core::Rounding::Ceil),
            );
            let near = self.config.tuning.near_liquidation;
            if assets.saturating_mul(ONE) < liabs.saturating_mul(near) {
                self.near.insert(account.clone());
            } else {
                self.near.remove(&account);
            }
            let seen_key = format!("account:{}:{}", account.0, account.1);
            if !sums.is_liquidatable() {
                self.seen.remove(&seen_key);
                continue;
            }
            if let Err(left) = self.due(&seen_key) {
                self.wait(report, Some(account), None, left);
                continue;
            }
            let health = sums.health();
            let collateral = positions
                .iter()
                .filter(|(_, n)| *n > 0)
                .max_by(|x, y| {
                    self.market
                        .spot_value(&x.0, x.1)
                        .total_cmp(&self.market.spot_value(&y.0, y.1))
                })
                .map(|(a, _)| a.clone())
                .unwrap_or_default();
            let abi = health.to_abi();
            let start_key = format!("start:{}:{}", account.0, account.1);
            // A start that may still land needs no refresh: its own `act` is refused below.
            if self.pending_until(&start_key, self.now).is_none() {
                self.refresh_before_start(report, after_call, &account, &positions);
            }
            let call = self
                .calls()
                .start(&keeper, &account, &collateral, &debt_asset);
            self.decide(
                report,
                after_call,
                Intent {
                    action: "start",
                    account: Some(account.clone()),
                    auction_id: None,
                    keys: vec![start_key],
                },
                call,
                json!({
                    "maint_health": abi.maint,
                    "init_health": abi.init,
                    "collateral": collateral,
                    "debt": debt_asset,
                }),
            );
        }
    }

    /// Refreshes the adapter's quotes of `account`'s assets that are not current, in chunks of
    /// at most `tuning.refresh_chunk`, when its positions span more than `tuning.refresh_above`
    /// assets (see [`super::refresh`]). Each chunk is one `refresh` transaction, simulated then
    /// sent, logged as `refresh` with the assets and the account whose start it precedes (or
    /// `skip` with the reason). Never fails: the start follows whatever happens here.
    fn refresh_before_start(
        &mut self,
        report: &mut StepReport,
        after_call: &mut dyn FnMut(&mut B),
        account: &AccountKey,
        positions: &[(String, i128)],
    ) {
        let assets: Vec<String> = positions.iter().map(|(a, _)| a.clone()).collect();
        let above = self.config.tuning.refresh_above;
        if assets.len() <= above {
            return;
        }
        self.read_adapter_book(after_call);
        let now = self.now;
        let book = self.adapter.book.as_ref();
        let unread = book.and_then(|b| b.as_ref().err().cloned());
        let book = book.and_then(|b| b.as_ref().ok());
        let stale = refresh::to_refresh(&assets, above, book, now, |a| {
            self.adapter.attempted.contains(a) || self.pending_until(&refresh_key(a), now).is_some()
        });
        let current = assets.len() - stale.len();
        for chunk in stale.chunks(self.config.tuning.refresh_chunk.max(1)) {
            self.adapter.attempted.extend(chunk.iter().cloned());
            let call = self.calls().refresh(chunk);
            let mut why = json!({
                "assets": chunk,
                "before": "start",
                "account_assets": assets.len(),
                "current": current,
            });
            if let Some(e) = &unread {
                why["book"] = json!(e);
            }
            self.decide(
                report,
                after_call,
                Intent {
                    action: "refresh",
                    account: Some(account.clone()),
                    auction_id: None,
                    keys: chunk.iter().map(|a| refresh_key(a)).collect(),
                },
                call,
                why,
            );
        }
    }

    /// Reads the adapter's book on the step's first need (one `read_entries` call), keeping
    /// it or why it could not be read for the rest of the step.
    fn read_adapter_book(&mut self, after_call: &mut dyn FnMut(&mut B)) {
        if self.adapter.book.is_some() {
            return;
        }
        let book = AdapterBook::key(&self.config.oracle).and_then(|key| {
            let entry = self.backend.read_entry(&key).map_err(|e| e.to_string());
            // The in-process host may have loaded the entry.
            after_call(&mut self.backend);
            AdapterBook::from_entry(&entry?.ok_or("no book entry")?)
        });
        self.adapter.book = Some(book);
    }

    /// One full step (see the module docs).
    ///
    /// # Errors
    ///
    /// The backend's read errors (the step stops; the next one resumes from the saved state).
    pub fn step(&mut self) -> Result<StepReport, BackendError> {
        self.step_with(&mut |_| {})
    }

    /// [`Keeper::step`], calling `after_call` with the backend after every transaction it
    /// applied or simulated, after every `positions` read and between live auctions (the
    /// simulator compacts its in-process host there, whose storage map also grows by what reads
    /// load; the keeper holds nothing of the backend across the call but the chain).
    ///
    /// # Errors
    ///
    /// As [`Keeper::step`].
    pub fn step_with(
        &mut self,
        after_call: &mut dyn FnMut(&mut B),
    ) -> Result<StepReport, BackendError> {
        self.now = self.backend.now();
        self.adapter = AdapterStep::default();
        let mut report = StepReport {
            events: self.sync()?,
            ..StepReport::default()
        };
        let snapshot = self.snapshot(after_call)?;
        self.auctions_step(&mut report, after_call)?;
        // Auctions started by this step's takes or by others are in the next step's events;
        // the simulation refuses a second start on a pair already live.
        self.accounts_step(&mut report, after_call, snapshot);
        self.save()?;
        Ok(report)
    }

    /// Accounts in the margin-call zone (init health < 1 <= maint health) and the `nearest`
    /// healthy accounts closest to liquidation, most urgent first (see [`super::watch`]).
    ///
    /// # Errors
    ///
    /// The backend's read errors.
    pub fn watch(&mut self, nearest: usize) -> Result<Vec<super::watch::MarginCall>, BackendError> {
        self.sync()?;
        let snapshot = self.snapshot(&mut |_| {})?;
        Ok(super::watch::margin_calls(&self.market, &snapshot, nearest))
    }
}

//! The simulator's keepers are the keeper program (`offchain/keeper`): one
//! [`keeper::logic::Keeper`] per [`KeeperSpec`] over the embedded-host backend, sharing the
//! world's event log. Each keeper tracks accounts from margin-account's and the auction's events,
//! screens them natively with the shared risk core and acts through the auction's entry points
//! (`start`, `take`, `reset`, `settle_bad_debt`), simulating every call first.
//!
//! A spec's latency is the keeper's reaction delay (it acts on a liquidatable account, or a live
//! auction, once it has seen it for that many seconds of ledger time), its margin the discount
//! under the market it demands before taking (`min_profit`, eager strategy), its slice the share
//! of the remaining lot one take asks for. Keepers step in order of latency, the fastest first,
//! so among keepers due on the same opportunity the fastest acts first; a slicer leaves the rest
//! of the lot to the others. The reference price a keeper takes against is the market it sells
//! into, not the oracle, which lags it by up to a resolution interval: the market's price at the
//! start of a step, then, once a keeper has sold in the step, the AMM pool's price after that
//! sale. A keeper sells each take's slice on the AMM right after the take, so its next take (and
//! the next keeper's) is priced against the pool its own sales moved: thousands of takes in one
//! crash step would otherwise all be judged against the price before the first sale.
//!
//! What the report says about auctions comes from the chain: the events of the auction contract
//! (`auction_started`, `auction_taken`, `auction_reset`, `auction_closed`, `bad_debt_settled`),
//! read from the shared log after each keeper's step.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use keeper::embedded::{address_strkey, contract_id, EmbeddedBackend};
use keeper::logic::config::{ReferencePrices, ONE, PRICE_ONE};
use keeper::logic::{FixedPrices, Keeper, KeeperConfig, Strategy, Tuning};
use keeper::{ChainEvent, ContractId, Val};
use protocol_tests::protocol_fixture::UNIT;
use soroban_sdk::testutils::Address as _;
use soroban_sdk::Address;

use crate::world::World;
use crate::{BadDebt, Liquidation, Report, Take};

/// One keeper's behaviour.
#[derive(Clone, Debug, PartialEq)]
pub struct KeeperSpec {
    pub name: String,
    /// Seconds between an opportunity appearing and the keeper acting on it.
    pub latency: u64,
    /// Fraction below the market price the auction price must reach before it takes (0.01 = 1 %).
    pub min_margin: f64,
    /// Share of the remaining lot it takes at once, in (0, 1].
    pub max_slice: f64,
}

impl KeeperSpec {
    /// A keeper taking whole lots at a 1 % discount after `latency` seconds.
    pub fn new(latency: u64) -> Self {
        KeeperSpec {
            name: format!("keeper-{latency}s"),
            latency,
            min_margin: 0.01,
            max_slice: 1.0,
        }
    }

    /// Three competing strategies: a fast keeper that waits for a 3 % discount and takes whole
    /// lots, a slicer that takes a quarter of the lot at 1 % after a minute, and a slow keeper
    /// that takes at the market price after five minutes.
    pub fn default_set() -> Vec<KeeperSpec> {
        vec![
            KeeperSpec {
                name: "fast-greedy".into(),
                latency: 0,
                min_margin: 0.03,
                max_slice: 1.0,
            },
            KeeperSpec {
                name: "slicer".into(),
                latency: 60,
                min_margin: 0.01,
                max_slice: 0.25,
            },
            KeeperSpec {
                name: "slow".into(),
                latency: 300,
                min_margin: 0.0,
                max_slice: 1.0,
            },
        ]
    }

    /// The keeper program's tuning for this spec.
    fn tuning(&self) -> Tuning {
        Tuning {
            reaction_delay: self.latency,
            max_slice: ((self.max_slice * ONE as f64).round() as i128).clamp(1, ONE),
            refresh_every: REFRESH_EVERY,
            near_liquidation: NEAR_LIQUIDATION,
            ..Tuning::default()
        }
    }
}

/// The adapter's spot and the market's prices (USD) of the two assets.
pub type Prices = ([f64; 2], [f64; 2]);

/// The keepers' state across steps.
#[derive(Default)]
pub struct Keepers {
    specs: Vec<KeeperSpec>,
    pub addresses: Vec<Address>,
    engines: Vec<Keeper<EmbeddedBackend>>,
    /// Keeper indexes by latency, the fastest first.
    order: Vec<usize>,
    /// Keeper strkey → index.
    keeper_index: HashMap<String, usize>,
    /// The auction contract and the token strkeys (asset index = position).
    auction: Option<ContractId>,
    tokens: Vec<String>,
    /// The simulator's position in the shared event log.
    cursor: usize,
    /// Live auction id → its liquidation record.
    open: BTreeMap<u64, usize>,
    /// Penalties paid into the insurance funds (USD at the take's spot).
    pub penalty_usd: f64,
    /// Keeper steps that failed on a read (the keeper resumes next step).
    pub failed_steps: usize,
    /// The reference prices every keeper takes against (see the module docs).
    reference: Rc<RefCell<FixedPrices>>,
    /// The takes sold so far.
    sales: Sales,
}

/// [`Keepers::reference`] as the keeper program reads it.
struct SharedPrices(Rc<RefCell<FixedPrices>>);

impl ReferencePrices for SharedPrices {
    fn price(&self, collateral: &str, debt: &str) -> Option<i128> {
        self.0.borrow().price(collateral, debt)
    }
}

/// The keepers' sales of what they take: the position in the shared event log up to which every
/// take is sold, and each auction's `(collateral, debt)` asset indexes, learnt from its start.
#[derive(Default)]
struct Sales {
    sold_to: usize,
    pairs: HashMap<u64, (usize, usize)>,
}

impl Sales {
    /// Sells on the AMM the slice of every take logged since the last call, each by the keeper
    /// that took it, and then sets `reference` for the pair to the pool's price after the sales.
    fn sell_new(
        &mut self,
        w: &mut World,
        auction: Option<ContractId>,
        tokens: &[String],
        keepers: (&HashMap<String, usize>, &[Address]),
        reference: &RefCell<FixedPrices>,
    ) {
        let events = w.log.since(self.sold_to);
        self.sold_to += events.len();
        let asset = |v: Option<&Val>| {
            let a = v?.as_address()?;
            tokens.iter().position(|t| t == a)
        };
        let mut sold = false;
        for e in events.iter().filter(|e| Some(e.contract) == auction) {
            let Some(id) = e.topics.get(1).and_then(Val::as_u64) else {
                continue;
            };
            match e.name() {
                Some("auction_started") => {
                    if let (Some(c), Some(d)) = (
                        asset(e.data.field("collateral")),
                        asset(e.data.field("debt")),
                    ) {
                        self.pairs.insert(id, (c, d));
                    }
                }
                Some("auction_taken") => {
                    let keeper = e.data.field("keeper").and_then(Val::as_address);
                    let index = keeper.and_then(|k| keepers.0.get(k)).copied();
                    let slice = e.data.field("slice").and_then(Val::as_i128).unwrap_or(0);
                    if let (Some(k), Some(&(c, d))) = (index, self.pairs.get(&id)) {
                        if slice > 0 {
                            w.sell(&keepers.1[k], c, d, slice);
                            sold = true;
                        }
                    }
                }
                Some("auction_closed") => {
                    self.pairs.remove(&id);
                }
                _ => {}
            }
        }
        if let (true, Some((a, b))) = (sold, w.amm_reserves()) {
            let mut r = reference.borrow_mut();
            for (c, d, price) in [(0, 1, b as f64 / a as f64), (1, 0, a as f64 / b as f64)] {
                r.set(
                    &tokens[c],
                    &tokens[d],
                    (price * PRICE_ONE as f64).round() as i128,
                );
            }
        }
    }
}

/// What each keeper is given of each token (and approves the auction for).
pub const FLOAT: i128 = 100_000_000 * UNIT;

/// Positions of accounts no event touched are re-read by each keeper every this many steps:
/// only interest moves them, slowly (hours of accrual at the vaults' rates move health by far
/// less than the near band).
const REFRESH_EVERY: u64 = 60;

/// Accounts within 2 % of maintenance (maint collateral under 1.02 times maint liabilities) are
/// re-read every step; the market is read every step, so a price move is seen at once.
const NEAR_LIQUIDATION: i128 = 10_200_000;

impl Keepers {
    pub fn new(w: &World, specs: &[KeeperSpec]) -> (Self, i128) {
        let f = &w.f;
        let env = f.env();
        let expiry = env.ledger().sequence() + 3_000_000;
        let mut keepers = Keepers {
            specs: specs.to_vec(),
            auction: Some(contract_id(&f.auction.address)),
            tokens: f.p.tokens.iter().map(address_strkey).collect(),
            ..Keepers::default()
        };
        for (n, spec) in specs.iter().enumerate() {
            let k = Address::generate(env);
            for i in 0..2 {
                f.p.mint(i, &k, FLOAT);
                f.p.token(i)
                    .approve(&k, &f.auction.address, &FLOAT, &expiry);
            }
            let backend = EmbeddedBackend::new(env, &k, &w.log);
            let config = KeeperConfig {
                keeper: address_strkey(&k),
                margin_account: contract_id(&f.p.margin.address),
                auction: contract_id(&f.auction.address),
                oracle: contract_id(&f.p.oracle.adapter.address),
                strategy: Strategy::Eager,
                min_profit: (spec.min_margin * ONE as f64).round() as i128,
                reference: Box::new(SharedPrices(keepers.reference.clone())),
                flash: None,
                state_path: None,
                start_ledger: 0,
                tuning: spec.tuning(),
            };
            let engine = match Keeper::new(backend, config) {
                Ok(e) => e.with_log(Box::new(std::io::sink())),
                // Without a state file there is nothing to load.
                Err(e) => unreachable!("a keeper without a state file: {e}"),
            };
            keepers.keeper_index.insert(address_strkey(&k), n);
            keepers.addresses.push(k);
            keepers.engines.push(engine);
        }
        keepers.order = (0..specs.len()).collect();
        keepers.order.sort_by_key(|&k| (specs[k].latency, k));
        (keepers, FLOAT * specs.len() as i128)
    }

    /// One step at run time `t` with the adapter's spot and the market prices: every keeper
    /// steps once, the fastest first; after each, the auctions' events update the report and the
    /// keeper sells what it bought. The host's storage is compacted once it has grown past the
    /// threshold: checked before each keeper's step, inside it after each of its reads and
    /// transactions ([`Keeper::step_with`]'s hook), and after each event read and sale (in a
    /// crash every account is read each step, and reads load entries too: a map left to grow
    /// over a step's reads made a step cost the square of the accounts).
    pub fn step(&mut self, w: &mut World, t: u64, prices: Prices, report: &mut Report) {
        let (_, market) = prices;
        let mut reference = FixedPrices::default();
        for (c, d) in [(0, 1), (1, 0)] {
            // Both tokens have 7 decimals: base units per base unit is the USD ratio.
            let p = market[c] / market[d] * PRICE_ONE as f64;
            reference.set(&self.tokens[c], &self.tokens[d], p.round() as i128);
        }
        *self.reference.borrow_mut() = reference;
        for n in 0..self.order.len() {
            // The previous keeper's reads and the report's reads of its events loaded entries.
            self.compact(w);
            let k = self.order[n];
            let (before, rest) = self.engines.split_at_mut(k);
            let (engine, after) = rest.split_first_mut().expect("k is an engine's index");
            let addresses = &mut self.addresses;
            let (sales, shared) = (&mut self.sales, &self.reference);
            let (auction, tokens, index) = (self.auction, &self.tokens, &self.keeper_index);
            // After every read and transaction: a take's slice is sold at once (the next take
            // is priced against the pool after the sale); and the host is compacted when it has
            // grown past the threshold (a crash step reads every account and starts and takes
            // auctions by the thousand): this keeper's backend, the others' and every address
            // move to the fresh host.
            let step = engine.step_with(&mut |backend| {
                sales.sell_new(w, auction, tokens, (index, addresses), shared);
                if let Some(env) = w.maybe_compact_world() {
                    backend.rebind(&env);
                    for other in before.iter_mut().chain(after.iter_mut()) {
                        other.backend().rebind(&env);
                    }
                    for a in addresses.iter_mut() {
                        *a = crate::compact::rebind(&env, a);
                    }
                }
            });
            let engine = &mut self.engines[k];
            for c in engine.backend().take_costs() {
                w.add_sample(
                    &format!("auction.{}", c.function),
                    c.ok,
                    c.instructions,
                    c.mem_bytes,
                );
            }
            let mut start_health = HashMap::new();
            match step {
                Ok(r) => {
                    for d in r.decisions.iter().filter(|d| d.action == "start" && d.sent) {
                        let maint = d.detail["why"]["maint_health"].as_f64();
                        if let (Some(a), Some(m)) = (&d.account, maint) {
                            start_health.insert(a.0.clone(), m / ONE as f64);
                        }
                    }
                }
                Err(_) => self.failed_steps += 1,
            }
            let keepers = (&self.keeper_index, &self.addresses[..]);
            self.sales
                .sell_new(w, self.auction, &self.tokens, keepers, &self.reference);
            self.read_events(w, t, prices, report, &start_health);
        }
    }

    /// Applies the auction contract's events since the last read to the report.
    fn read_events(
        &mut self,
        w: &mut World,
        t: u64,
        (spot, market): Prices,
        report: &mut Report,
        start_health: &HashMap<String, f64>,
    ) {
        let events = w.log.since(self.cursor);
        self.cursor += events.len();
        let auction = self.auction;
        for e in events.iter().filter(|e| Some(e.contract) == auction) {
            let id = e.topics.get(1).and_then(Val::as_u64);
            match (e.name(), id) {
                (Some("auction_started"), Some(id)) => {
                    self.started(w, t, e, id, spot, report, start_health);
                    // A crash step starts thousands: each re-read of the account loads entries.
                    self.compact(w);
                }
                (Some("auction_taken"), Some(id)) => {
                    self.taken(e, id, t, spot, market, report);
                }
                (Some("auction_reset"), Some(id)) => {
                    if let Some(&l) = self.open.get(&id) {
                        report.liquidations[l].resets += 1;
                    }
                }
                (Some("auction_closed"), Some(id)) => {
                    if let Some(l) = self.open.remove(&id) {
                        let i = report.liquidations[l].account as usize;
                        w.traders[i].in_auction = self.open.values().any(|&o| {
                            report.liquidations[o].account == report.liquidations[l].account
                        });
                        w.refresh_positions(i);
                        self.compact(w);
                    }
                }
                (Some("bad_debt_settled"), _) => {
                    self.settled(w, t, e, spot, report);
                    self.compact(w);
                }
                _ => {}
            }
        }
    }

    /// Compacts the host's storage when it has grown past the threshold, rebinding every keeper.
    fn compact(&mut self, w: &mut World) {
        if let Some(env) = w.maybe_compact_world() {
            self.rebind(&env);
        }
    }

    fn asset(&self, v: Option<&Val>) -> Option<usize> {
        let a = v?.as_address()?;
        self.tokens.iter().position(|t| t == a)
    }

    #[allow(clippy::too_many_arguments)]
    fn started(
        &mut self,
        w: &mut World,
        t: u64,
        e: &ChainEvent,
        auction_id: u64,
        spot: [f64; 2],
        report: &mut Report,
        start_health: &HashMap<String, f64>,
    ) {
        let Some(owner) = e.topics.get(2).and_then(Val::as_address) else {
            return;
        };
        let Some(i) = w.trader_index(owner) else {
            return;
        };
        let (Some(c), Some(d)) = (
            self.asset(e.data.field("collateral")),
            self.asset(e.data.field("debt")),
        ) else {
            return;
        };
        let starter = e
            .data
            .field("keeper")
            .and_then(Val::as_address)
            .and_then(|k| self.keeper_index.get(k).copied())
            .unwrap_or(usize::MAX);
        let tr = &mut w.traders[i];
        tr.in_auction = true;
        // Collateralisation at the market (the oracle lags it by up to a resolution).
        let equity = tr.equity(w.market);
        let debt_usd = tr.debt_usd(w.market);
        tr.start_equity_ratio.get_or_insert(equity / debt_usd);
        report.liquidations.push(Liquidation {
            account: i as u32,
            auction_id,
            time: t,
            collateral: c,
            debt: d,
            positions: tr
                .positions
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .map(|(a, v)| (a, *v))
                .collect(),
            maint_health: start_health
                .get(owner)
                .copied()
                .or_else(|| tr.maint_estimate(spot, w.maint))
                .unwrap_or(f64::NAN),
            equity,
            prices: spot.to_vec(),
            starter,
            takes: Vec::new(),
            resets: 0,
        });
        self.open.insert(auction_id, report.liquidations.len() - 1);
        w.refresh_positions(i);
    }

    /// Records a take; returns the sale the taker makes of the collateral.
    fn taken(
        &mut self,
        e: &ChainEvent,
        auction_id: u64,
        t: u64,
        spot: [f64; 2],
        market: [f64; 2],
        report: &mut Report,
    ) {
        let Some(&l) = self.open.get(&auction_id) else {
            return;
        };
        let Some(keeper) = e
            .data
            .field("keeper")
            .and_then(Val::as_address)
            .and_then(|k| self.keeper_index.get(k).copied())
        else {
            return;
        };
        let num = |f: &str| e.data.field(f).and_then(Val::as_i128).unwrap_or(0);
        let (slice, owe, to_insurance) = (num("slice"), num("owe"), num("to_insurance"));
        let (c, d) = (
            report.liquidations[l].collateral,
            report.liquidations[l].debt,
        );
        self.penalty_usd += to_insurance.max(0) as f64 / UNIT as f64 * spot[d];
        report.liquidations[l].takes.push(Take {
            time: t,
            keeper,
            collateral: slice,
            paid: owe,
            clearing_price: owe as f64 / slice.max(1) as f64,
            oracle_price: spot[c] / spot[d],
            market_price: market[c] / market[d],
        });
    }

    fn settled(
        &mut self,
        w: &mut World,
        t: u64,
        e: &ChainEvent,
        spot: [f64; 2],
        report: &mut Report,
    ) {
        let (Some(owner), Some(asset)) = (
            e.topics.get(1).and_then(Val::as_address),
            self.asset(e.topics.get(2)),
        ) else {
            return;
        };
        let Some(i) = w.trader_index(owner) else {
            return;
        };
        let num = |f: &str| e.data.field(f).and_then(Val::as_i128).unwrap_or(0);
        let written_off = num("written_off");
        let tr = &w.traders[i];
        report.bad_debts.push(BadDebt {
            account: i as u32,
            time: t,
            asset,
            shortfall: num("debt"),
            insurance_paid: num("insurance_paid"),
            written_off,
            worst_equity: tr.worst_equity,
            start_equity_ratio: tr.start_equity_ratio.unwrap_or(f64::NAN),
        });
        report.bad_debt_usd += written_off as f64 / UNIT as f64 * spot[asset];
        w.refresh_positions(i);
    }

    /// Each keeper's profit in USD at `spot`: what it holds beyond its float.
    pub fn profits(&self, w: &World, spot: [f64; 2]) -> Vec<f64> {
        self.addresses
            .iter()
            .map(|k| {
                (0..2)
                    .map(|i| (w.f.p.balance(i, k) - FLOAT) as f64 / UNIT as f64 * spot[i])
                    .sum()
            })
            .collect()
    }

    /// Rebinds the keepers' addresses and backends to a fresh host after a compaction.
    pub fn rebind(&mut self, env: &soroban_sdk::Env) {
        for k in &mut self.addresses {
            *k = crate::compact::rebind(env, k);
        }
        for e in &mut self.engines {
            e.backend().rebind(env);
        }
    }

    pub fn names(&self) -> Vec<String> {
        self.specs.iter().map(|s| s.name.clone()).collect()
    }
}

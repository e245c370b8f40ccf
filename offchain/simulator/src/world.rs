//! The deployed protocol and the step loop: prices published, governance applied when due, the
//! AMM arbitraged to the market, accounts revalued, keepers run, costs recorded.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use keeper::embedded::{address_strkey, EventLog};
use liquidation_auction::{default_params, AuctionParams, CurveConfig};
use margin_account::{AssetConfig, Params};
use market_data::Rng;
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::fixture::DELAY;
use protocol_tests::protocol_fixture::{Protocol, UNIT, USD};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{xdr, Address};

use crate::compact::{self, rebind, Ledger};
use crate::keepers::Keepers;
use crate::{
    AssetOverride, Cost, GovernanceRecord, Report, Scenario, SimError, StepRecord, TokenBooks,
};

/// `f64` USD to the adapter's 14 decimals.
pub fn to_oracle(usd: f64) -> i128 {
    (usd * USD as f64).round() as i128
}

fn ratio(x: i128) -> f64 {
    x as f64 / 1e7
}

/// One trader's account `(owner, 0)`.
pub struct Trader {
    pub owner: Address,
    /// Positions per asset (token base units, signed) as last read from the contract.
    pub positions: [i128; 2],
    /// Worst unweighted equity at spot seen while not in an auction (USD).
    pub worst_equity: f64,
    /// An auction of this account is live (its lot is in escrow, not in `positions`).
    pub in_auction: bool,
    /// Equity over debt at spot when its first auction started.
    pub start_equity_ratio: Option<f64>,
}

impl Trader {
    /// Maint health from the cached positions at `spot` with maint weights `w` (SPEC §3);
    /// `None` without debt.
    pub fn maint_estimate(&self, spot: [f64; 2], w: [(f64, f64); 2]) -> Option<f64> {
        let (mut assets, mut liabs) = (0.0, 0.0);
        for i in 0..2 {
            let v = self.positions[i] as f64 / UNIT as f64 * spot[i];
            if v > 0.0 {
                assets += v * w[i].0;
            } else {
                liabs -= v * w[i].1;
            }
        }
        (liabs > 0.0).then(|| assets / liabs)
    }

    /// Debt at spot (USD).
    pub fn debt_usd(&self, spot: [f64; 2]) -> f64 {
        (0..2)
            .map(|i| (-self.positions[i]).max(0) as f64 / UNIT as f64 * spot[i])
            .sum()
    }

    pub fn equity(&self, spot: [f64; 2]) -> f64 {
        (0..2)
            .map(|i| self.positions[i] as f64 / UNIT as f64 * spot[i])
            .sum()
    }
}

pub struct World<'a> {
    pub f: AuctionFixture<'a>,
    pub traders: Vec<Trader>,
    /// Trader owner strkey → index in `traders`.
    trader_index: HashMap<String, usize>,
    /// Every contract event of the run (captured after each successful call), shared with the
    /// keepers: the test host keeps only the last invocation's events.
    pub log: EventLog,
    /// Current maint weights `(asset, liability)` per asset.
    pub maint: [(f64, f64); 2],
    /// This step's market prices (USD).
    pub market: [f64; 2],
    keepers: Keepers,
    arbitrageur: Address,
    attacker: Option<usize>,
    samples: BTreeMap<String, Vec<(i64, i64)>>,
    failures: BTreeMap<String, usize>,
    /// Tokens minted by the simulator since the start snapshot.
    minted: [i128; 2],
    start_supply: Option<[i128; 2]>,
    governance: Option<(GovernanceRecord, AssetConfig)>,
    report: Report,
    rng: Rng,
    /// The ledger outside the host, and the host map size above which the world compacts
    /// (see [`crate::compact`]; 0: never).
    ledger: Rc<Ledger>,
    compact_above: usize,
    pub compactions: usize,
}

fn auction_params(s: &Scenario) -> AuctionParams {
    let mut p = default_params();
    let o = &s.auction;
    if let Some(b) = o.buf {
        p.buf = b;
        p.lot_margin = p.lot_margin.max(b);
    }
    if let Some((cut, step)) = o.cut_step {
        p.curve = CurveConfig::StairstepExp(cut, step);
    }
    if let Some(tau) = o.linear_tau {
        p.curve = CurveConfig::Linear(tau);
    }
    if let Some(t) = o.tail {
        p.tail = t;
    }
    if let Some(c) = o.cusp {
        p.cusp = c;
    }
    p
}

fn price_at(s: &Scenario, asset: usize, step: usize) -> f64 {
    match s.prices.get(asset) {
        Some(series) => series[step.min(series.len() - 1)],
        None => 1.0,
    }
}

fn with_override(mut cfg: AssetConfig, o: &AssetOverride) -> AssetConfig {
    cfg.asset_weight_init = o.asset_weight_init.unwrap_or(cfg.asset_weight_init);
    cfg.asset_weight_maint = o.asset_weight_maint.unwrap_or(cfg.asset_weight_maint);
    cfg.liab_weight_init = o.liab_weight_init.unwrap_or(cfg.liab_weight_init);
    cfg.liab_weight_maint = o.liab_weight_maint.unwrap_or(cfg.liab_weight_maint);
    cfg.liquidation_penalty = o.liquidation_penalty.unwrap_or(cfg.liquidation_penalty);
    cfg
}

/// Unwraps a `try_` client call's double result.
macro_rules! tried {
    ($name:expr, $call:expr) => {
        match $call {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(SimError::Call($name.into(), format!("{e:?}"))),
            Err(e) => Err(SimError::Call($name.into(), format!("{e:?}"))),
        }
    };
}

impl<'a> World<'a> {
    pub fn new(s: &Scenario, compact_above: usize) -> Result<Self, SimError> {
        let p0 = price_at(s, 0, 0);
        let prices = [to_oracle(p0), to_oracle(price_at(s, 1, 0))];
        // Pool depth: at least 50 M USD, and 2 000 USD per trader, of asset 0.
        let depth_usd = (50e6f64).max(2_000.0 * s.traders as f64);
        let depth = ((depth_usd / p0).ceil() as i128).max(1_000);
        let p = Protocol::new(&prices, &[(0, 1)], depth);
        let f = AuctionFixture::on(p, auction_params(s));
        let start_supply = s
            .check_conservation
            .then(|| supplies(&f.p.tokens, &ledger_entries_of(&f.p.env)));
        let arbitrageur = Address::generate(&f.p.env);
        let mut w = World {
            f,
            traders: Vec::new(),
            trader_index: HashMap::new(),
            log: EventLog::new(),
            maint: [(0.0, 0.0); 2],
            market: [p0, price_at(s, 1, 0)],
            keepers: Keepers::default(),
            arbitrageur,
            attacker: None,
            samples: BTreeMap::new(),
            failures: BTreeMap::new(),
            minted: [0; 2],
            start_supply,
            governance: None,
            report: Report {
                seed: s.seed,
                step_seconds: s.step_seconds,
                lenders: s.lenders,
                min_open_init_health: f64::INFINITY,
                ..Report::default()
            },
            rng: Rng::seed_from_u64(s.seed),
            ledger: Rc::new(Ledger::default()),
            compact_above,
            compactions: 0,
        };
        w.configure(s)?;
        let (keepers, float) = Keepers::new(&w, &s.keepers);
        w.minted = [float, float];
        w.report.keeper_names = keepers.names();
        w.keepers = keepers;
        w.open_lenders(s);
        w.open_traders(s);
        Ok(w)
    }

    /// The scenario's config overrides and the ramp duration through the timelock, then the
    /// governance change queued so that its earliest apply falls at `apply_at` into the run.
    ///
    /// The overrides are the run's starting parameters, set before any account opens: they are
    /// applied in a round of their own with `ramp_duration` 0, so a tightened maint weight is in
    /// force from the first step instead of ramping in over the fixture's 7 days (a backtest of
    /// candidate weights would otherwise run on the fixture's). The ramp duration is then set to
    /// the governance change's (or back to the fixture's) for the rest of the run.
    fn configure(&mut self, s: &Scenario) -> Result<(), SimError> {
        let m = &self.f.p.margin;
        let before = tried!("params", m.try_params())?;
        let mut overridden = Vec::new();
        for (i, o) in s.overrides.iter().enumerate() {
            let cfg = tried!("asset_config", m.try_asset_config(&self.f.p.tokens[i]))?;
            let new = with_override(cfg.clone(), o);
            if new != cfg {
                tried!(
                    "queue_asset (override)",
                    m.try_queue_asset(&self.f.p.tokens[i], &new)
                )?;
                overridden.push(i);
            }
        }
        if !overridden.is_empty() {
            let at_once = Params {
                ramp_duration: 0,
                ..before.clone()
            };
            tried!("queue_params (no ramp)", m.try_queue_params(&at_once))?;
            self.f.p.advance(DELAY);
            tried!("apply_params (no ramp)", m.try_apply_params())?;
            for &i in &overridden {
                tried!(
                    "apply_asset (override)",
                    m.try_apply_asset(&self.f.p.tokens[i])
                )?;
            }
        }
        let params = Params {
            ramp_duration: s
                .governance
                .as_ref()
                .map_or(before.ramp_duration, |g| g.ramp_seconds),
            ..before
        };
        if params != tried!("params", m.try_params())? {
            tried!("queue_params", m.try_queue_params(&params))?;
            self.f.p.advance(DELAY);
            tried!("apply_params", m.try_apply_params())?;
        }
        if let Some(g) = &s.governance {
            let token = self.f.p.tokens[g.asset].clone();
            let old = tried!("asset_config", m.try_asset_config(&token))?;
            let new = AssetConfig {
                asset_weight_init: g.asset_weight_init,
                asset_weight_maint: g.asset_weight_maint,
                ..old.clone()
            };
            let queued_at = self.f.p.now();
            let earliest = tried!("queue_asset (governance)", m.try_queue_asset(&token, &new))?;
            // The proposal was queued before the run so that its delay ends `apply_at` into it.
            self.f.p.advance(DELAY.saturating_sub(g.apply_at));
            let t0 = self.f.p.now() as i64;
            self.governance = Some((
                GovernanceRecord {
                    queued_at: queued_at as i64 - t0,
                    earliest_apply: earliest as i64 - t0,
                    applied_at: None,
                    asset: g.asset,
                    old: (old.asset_weight_init, old.asset_weight_maint),
                    new: (new.asset_weight_init, new.asset_weight_maint),
                    ramp_seconds: g.ramp_seconds,
                },
                new,
            ));
        }
        self.read_maint_weights();
        Ok(())
    }

    /// Lenders on both vaults (the fixture's first lender already funded each), sized to what
    /// the traders can borrow.
    fn open_lenders(&mut self, s: &Scenario) {
        let per_asset = (s.lenders as f64 / 2.0).ceil().max(1.0);
        for i in 0..s.lenders {
            let asset = i % 2;
            let price = self.f.p.prices[asset] as f64 / USD as f64;
            // Traders open 1-10 kUSD and borrow at most about twice that.
            let usd = 25_000.0 * s.traders as f64 / per_asset;
            let amount = ((usd / price).ceil() as i128).max(1_000) * UNIT;
            let lender = self.f.p.funded(asset, amount);
            self.minted[asset] += amount;
            let r = self.f.p.vaults[asset].try_deposit(&amount, &lender, &lender, &lender);
            self.record("vault.deposit", matches!(r, Ok(Ok(_))));
        }
    }

    /// The adapter's `(spot, low, high)` per asset in USD, `None` when it refuses to quote.
    fn quotes(&mut self) -> Option<[(f64, f64, f64); 2]> {
        let assets = self.f.p.token_vec(&[0, 1]);
        let r = self.f.p.oracle.adapter.try_quotes(&assets);
        let ok = matches!(r, Ok(Ok(_)));
        self.record("adapter.quotes", ok);
        let q = r.ok()?.ok()?;
        let usd = |x: i128| x as f64 / USD as f64;
        let a = q.get(0)?;
        let b = q.get(1)?;
        Some([
            (usd(a.spot), usd(a.low), usd(a.high)),
            (usd(b.spot), usd(b.low), usd(b.high)),
        ])
    }

    fn read_maint_weights(&mut self) {
        for i in 0..2 {
            if let Ok(Ok((a, l))) = self.f.p.margin.try_maint_weights(&self.f.p.tokens[i]) {
                self.maint[i] = (ratio(a), ratio(l));
            }
        }
    }

    /// Traders: 1,000–10,000 USD of collateral; long (deposit asset 0, borrow asset 1) or short
    /// (deposit asset 1, borrow asset 0); the debt is a random fraction (the scenario's leverage
    /// range) of the most that keeps init health at 1 after selling it on the AMM for more
    /// collateral, at the adapter's conservative prices, the weights of the two assets and the
    /// pool's fee and impact. `trade` borrows what it sells (SPEC §6.2).
    fn open_traders(&mut self, s: &Scenario) {
        // Weights only: the configs' addresses belong to the host at the start (compaction).
        let weights: Vec<(i128, i128)> = (0..2)
            .map(|i| {
                let c = self.f.p.margin.asset_config(&self.f.p.tokens[i]);
                (c.asset_weight_init, c.liab_weight_init)
            })
            .collect();
        let mut lev_sum = 0.0;
        for n in 0..s.traders {
            if n % 25 == 0 {
                let mut keepers = std::mem::take(&mut self.keepers);
                self.maybe_compact(&mut keepers);
                self.keepers = keepers;
                self.arbitrage(self.f.p.prices[0] as f64 / USD as f64, 1.0);
            }
            let Some(q) = self.quotes() else {
                self.report
                    .failed_opens
                    .push("adapter refused to quote".into());
                continue;
            };
            let long = self.rng.next_f64() < s.long_share;
            let (c, d) = if long { (0, 1) } else { (1, 0) };
            let usd = 1_000.0 + 9_000.0 * self.rng.next_f64();
            let (lo, hi) = s.leverage;
            let lev = lo + (hi - lo) * self.rng.next_f64();
            let (spot_c, low_c, _) = q[c];
            let (spot_d, _, high_d) = q[d];
            let coll = (usd / spot_c * UNIT as f64) as i128;
            let owner = self.f.p.funded(c, coll);
            self.minted[c] += coll;
            let r = self
                .f
                .p
                .margin
                .try_deposit(&owner, &0, &self.f.p.tokens[c], &coll);
            self.record("margin.deposit", matches!(r, Ok(Ok(_))));
            // Debt D (USD at spot) keeps init health >= 1 while
            //   awi_c * (V * lc + D * (1 - s) * lc) >= lwi_d * D * hd
            // with lc = low_c / spot_c, hd = high_d / spot_d and s the pool's fee and impact.
            let (awi, lwi) = (ratio(weights[c].0), ratio(weights[d].1));
            let (lc, hd, slip) = (low_c / spot_c, high_d / spot_d, 0.01);
            let d_max = awi * usd * lc / (lwi * hd - awi * (1.0 - slip) * lc);
            let debt_usd = lev * d_max;
            let debt = (debt_usd / spot_d * UNIT as f64) as i128;
            let pool = self.f.p.pool(0, 1);
            let t = (self.f.p.tokens[d].clone(), self.f.p.tokens[c].clone());
            let r = self
                .f
                .p
                .margin
                .try_trade(&owner, &0, &t.0, &t.1, &debt, &0, &pool);
            let ok = matches!(r, Ok(Ok(_)));
            self.record("margin.trade", ok);
            if !ok {
                self.report
                    .failed_opens
                    .push(format!("trader {n}: trade failed: {r:?}"));
            }
            let i = self.add_trader(owner);
            if ok {
                if let Some(h) = self.health(i) {
                    self.report.min_open_init_health =
                        self.report.min_open_init_health.min(ratio(h.init));
                }
                self.report.accounts += 1;
                self.report.longs += usize::from(long);
                lev_sum += (usd + debt_usd) / usd;
            }
        }
        self.report.mean_leverage = lev_sum / self.report.accounts.max(1) as f64;
    }

    /// Tracks the account `(owner, 0)`; returns its index.
    fn add_trader(&mut self, owner: Address) -> usize {
        self.trader_index
            .insert(address_strkey(&owner), self.traders.len());
        self.traders.push(Trader {
            owner,
            positions: [0; 2],
            worst_equity: f64::INFINITY,
            in_auction: false,
            start_equity_ratio: None,
        });
        let i = self.traders.len() - 1;
        self.refresh_positions(i);
        i
    }

    /// The contract's health of trader `i`'s account (recorded).
    pub fn health(&mut self, i: usize) -> Option<margin_account::Health> {
        let r = self.f.p.margin.try_health(&self.traders[i].owner, &0);
        let ok = matches!(r, Ok(Ok(_)));
        self.record("margin.health", ok);
        r.ok()?.ok()
    }

    /// Re-reads trader `i`'s positions from the contract.
    pub fn refresh_positions(&mut self, i: usize) {
        let r = self.f.p.margin.try_positions(&self.traders[i].owner, &0);
        self.record("margin.positions", matches!(r, Ok(Ok(_))));
        let mut pos = [0i128; 2];
        if let Ok(Ok(map)) = r {
            for (a, v) in map.iter() {
                if let Some(k) = self.f.p.tokens.iter().position(|t| *t == a) {
                    pos[k] = v;
                }
            }
        }
        self.traders[i].positions = pos;
    }

    /// Moves the host's storage out to the ledger and continues on a fresh host when the host
    /// holds more than `compact_above` entries (see [`crate::compact`]); rebinds every address
    /// and client of the world and the keepers.
    pub fn maybe_compact(&mut self, keepers: &mut Keepers) {
        if let Some(env) = self.maybe_compact_world() {
            keepers.rebind(&env);
        }
    }

    /// [`World::maybe_compact`] without the keepers: returns the fresh `Env` when it compacted,
    /// and every keeper's address and backend must then be rebound to it (what
    /// [`Keepers::rebind`] does) before it is used again.
    pub fn maybe_compact_world(&mut self) -> Option<soroban_sdk::Env> {
        if self.compact_above == 0 || compact::hot_entries(&self.f.p.env) <= self.compact_above {
            return None;
        }
        let env = compact::compact(&self.f.p.env, &self.ledger);
        let a = |x: &Address| rebind(&env, x);
        let p = &mut self.f.p;
        p.oracle.admin = a(&p.oracle.admin);
        p.oracle.guardian = a(&p.oracle.guardian);
        p.oracle.adapter =
            oracle_adapter::OracleAdapterClient::new(&env, &a(&p.oracle.adapter.address));
        p.oracle.tokens = p.oracle.tokens.iter().map(a).collect();
        p.oracle.env = env.clone();
        p.admin = a(&p.admin);
        p.guardian = a(&p.guardian);
        p.tokens = p.tokens.iter().map(a).collect();
        p.feeds = p.feeds.iter().map(a).collect();
        p.vaults = p
            .vaults
            .iter()
            .map(|v| vault::VaultClient::new(&env, &a(&v.address)))
            .collect();
        p.margin = margin_account::MarginAccountClient::new(&env, &a(&p.margin.address));
        p.pools = p.pools.iter().map(|(i, j, x)| (*i, *j, a(x))).collect();
        p.env = env.clone();
        self.f.auction =
            liquidation_auction::LiquidationAuctionClient::new(&env, &a(&self.f.auction.address));
        self.f.keeper_owner = a(&self.f.keeper_owner);
        self.f.receiver =
            keeper_receiver::KeeperReceiverClient::new(&env, &a(&self.f.receiver.address));
        for t in &mut self.traders {
            t.owner = a(&t.owner);
        }
        self.arbitrageur = a(&self.arbitrageur);
        self.compactions += 1;
        Some(env)
    }

    /// Every ledger entry of the run now (the compacted ledger and the host's entries).
    pub fn ledger_entries(&self) -> Vec<(xdr::LedgerKey, compact::Entry)> {
        self.ledger.all_entries(&self.f.p.env)
    }

    /// The index of the trader whose account owner is `owner` (strkey).
    pub fn trader_index(&self, owner: &str) -> Option<usize> {
        self.trader_index.get(owner).copied()
    }

    /// Records the last top-level call's cost under `name` (failed calls are counted, not
    /// measured) and captures its events into the log.
    pub fn record(&mut self, name: &str, ok: bool) {
        let r = self.f.p.env.cost_estimate().resources();
        self.add_sample(name, ok, r.instructions, r.mem_bytes);
        if ok {
            self.log.capture(&self.f.p.env);
        }
        self.f.p.fresh_budget();
    }

    /// Adds one call's measured cost under `name` (a keeper's submit).
    pub fn add_sample(&mut self, name: &str, ok: bool, instructions: i64, mem_bytes: i64) {
        if ok {
            self.samples
                .entry(name.to_string())
                .or_default()
                .push((instructions, mem_bytes));
        } else {
            *self.failures.entry(name.to_string()).or_default() += 1;
        }
    }

    /// A keeper sells `amount` of asset `from` for asset `to` on the AMM pool.
    pub fn sell(&mut self, keeper: &Address, from: usize, to: usize, amount: i128) {
        let pool = self.f.p.pool(0, 1);
        let client = amm_pool::AmmPoolClient::new(&self.f.p.env, &pool);
        let t = self.f.p.tokens.clone();
        let r = client.try_swap(keeper, &t[from], &t[to], &amount, &0, keeper);
        self.record("amm.swap", matches!(r, Ok(Ok(_))));
    }

    /// The AMM pool's reserves of asset 0 and asset 1.
    pub fn amm_reserves(&self) -> Option<(i128, i128)> {
        let pool = self.f.p.pool(0, 1);
        let client = amm_pool::AmmPoolClient::new(&self.f.p.env, &pool);
        match client.try_reserves() {
            Ok(Ok((a, b))) if a > 0 && b > 0 => Some((a, b)),
            _ => None,
        }
    }

    /// Moves the AMM pool's price to the market's with one swap (an arbitrageur's trade).
    fn arbitrage(&mut self, market0: f64, market1: f64) {
        let pool = self.f.p.pool(0, 1);
        let client = amm_pool::AmmPoolClient::new(&self.f.p.env, &pool);
        let Ok(Ok((a, b))) = client.try_reserves() else {
            return;
        };
        let target = market0 / market1;
        let k = a as f64 * b as f64;
        let target_a = (k / target).sqrt();
        // Sell token 0 when the pool prices it above the market, token 1 otherwise; the fee is
        // ignored (a residual gap of the fee is what a real arbitrageur leaves too).
        let (i, amount) = if target_a > a as f64 {
            (0, (target_a - a as f64) as i128)
        } else {
            (1, ((k * target).sqrt() - b as f64) as i128)
        };
        if amount <= 0 || (amount as f64) < 1e-4 * [a, b][i] as f64 {
            return;
        }
        let who = self.arbitrageur.clone();
        self.f.p.mint(i, &who, amount);
        self.minted[i] += amount;
        let t = self.f.p.tokens.clone();
        let r = client.try_swap(&who, &t[i], &t[1 - i], &amount, &0, &who);
        self.record("amm.swap", matches!(r, Ok(Ok(_))));
    }

    /// The thin-asset attack: while asset 0's market is pumped the attacker deposits asset 0 and
    /// tries to borrow asset 1 against it at the oracle's price.
    fn attack(&mut self, s: &Scenario, step: usize, q: Option<[(f64, f64, f64); 2]>) {
        if !s.attacker || price_at(s, 0, step) < 2.0 * price_at(s, 0, 0) {
            return;
        }
        if self.report.attack_successes > 0 {
            return;
        }
        let i = match self.attacker {
            Some(i) => i,
            None => {
                // 100 kUSD of asset 0 at the pre-attack price.
                let amount = (100_000.0 / price_at(s, 0, 0) * UNIT as f64) as i128;
                let owner = self.f.p.funded(0, amount);
                self.minted[0] += amount;
                let r = self
                    .f
                    .p
                    .margin
                    .try_deposit(&owner, &0, &self.f.p.tokens[0], &amount);
                self.record("margin.deposit", matches!(r, Ok(Ok(_))));
                let i = self.add_trader(owner);
                self.attacker = Some(i);
                i
            }
        };
        self.report.attack_attempts += 1;
        // Without a quote the attacker borrows as if the pumped price were served.
        let (low0, high1) = q.map_or((price_at(s, 0, step), 1.0), |q| (q[0].1, q[1].2));
        let cfg0 = self.f.p.margin.asset_config(&self.f.p.tokens[0]);
        let cfg1 = self.f.p.margin.asset_config(&self.f.p.tokens[1]);
        let value = self.traders[i].positions[0] as f64 / UNIT as f64 * low0;
        let usd = 0.95 * value * ratio(cfg0.asset_weight_init) / ratio(cfg1.liab_weight_init);
        let amount = (usd / high1 * UNIT as f64) as i128;
        let owner = self.traders[i].owner.clone();
        let r = self
            .f
            .p
            .margin
            .try_borrow(&owner, &0, &self.f.p.tokens[1], &amount, &owner);
        let ok = matches!(r, Ok(Ok(_)));
        self.record("margin.borrow", ok);
        if ok {
            self.report.attack_successes += 1;
            self.refresh_positions(i);
        }
    }

    fn apply_governance(&mut self, t: u64) {
        let Some((rec, _)) = &self.governance else {
            return;
        };
        if rec.applied_at.is_some() || (t as i64) < rec.earliest_apply {
            return;
        }
        let token = self.f.p.tokens[rec.asset].clone();
        let r = self.f.p.margin.try_apply_asset(&token);
        let ok = matches!(r, Ok(Ok(())));
        self.record("margin.apply_asset", ok);
        if ok {
            if let Some((rec, _)) = &mut self.governance {
                rec.applied_at = Some(t);
            }
        }
    }

    pub fn run(
        mut self,
        s: &Scenario,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Report, SimError> {
        let steps = s.prices[0].len();
        let mut keepers = std::mem::take(&mut self.keepers);
        let mut report = std::mem::take(&mut self.report);
        let mut last_spot = [price_at(s, 0, 0), price_at(s, 1, 0)];
        for step in 0..steps {
            let t = step as u64 * s.step_seconds;
            let market = [price_at(s, 0, step), price_at(s, 1, step)];
            self.market = market;
            self.f.p.prices = market.iter().map(|&p| to_oracle(p)).collect();
            if step == 0 {
                self.f.p.refresh();
            } else {
                self.f.p.advance(s.step_seconds);
            }
            self.apply_governance(t);
            let q = self.quotes();
            self.arbitrage(market[0], market[1]);
            self.read_maint_weights();
            self.attack(s, step, q);
            let oracle = q.map(|q| [q[0].0, q[1].0]);
            if let Some(spot) = oracle {
                last_spot = spot;
                for tr in self.traders.iter_mut().filter(|t| !t.in_auction) {
                    tr.worst_equity = tr.worst_equity.min(tr.equity(market));
                }
                keepers.step(&mut self, t, (spot, market), &mut report);
            } else {
                report.oracle_outages += 1;
            }
            let health = self
                .traders
                .iter()
                .filter(|tr| !tr.in_auction)
                .filter_map(|tr| tr.maint_estimate(last_spot, self.maint))
                .collect();
            let insurance_usd = (0..2)
                .map(|i| {
                    self.f.auction.insurance(&self.f.p.tokens[i]) as f64 / UNIT as f64
                        * last_spot[i]
                })
                .collect();
            report.steps.push(StepRecord {
                time: t,
                market: market.to_vec(),
                oracle: oracle.map(|o| o.to_vec()),
                health,
                share_prices: self.f.p.vaults.iter().map(share_price).collect(),
                insurance_usd,
                bad_debt_usd: report.bad_debt_usd,
                keeper_profit: keepers.profits(&self, last_spot),
                maint_weights: self.maint[self.governance.as_ref().map_or(0, |g| g.0.asset)],
            });
            self.maybe_compact(&mut keepers);
            progress(step, steps);
        }
        // The attacker counts into the world's own report while the run's is out.
        report.attack_attempts = self.report.attack_attempts;
        report.attack_successes = self.report.attack_successes;
        self.finish(&keepers, &mut report, last_spot);
        Ok(report)
    }

    fn finish(&mut self, keepers: &Keepers, report: &mut Report, spot: [f64; 2]) {
        let coll = self.f.p.margin.asset_config(&self.f.p.tokens[0]);
        let debt = self.f.p.margin.asset_config(&self.f.p.tokens[1]);
        report.borrowing_power = ratio(coll.asset_weight_init) / ratio(debt.liab_weight_init);
        report.insurance_usd = report
            .steps
            .last()
            .map(|s| s.insurance_usd.clone())
            .unwrap_or_default();
        report.penalty_to_insurance_usd = keepers.penalty_usd;
        report.keeper_profit = keepers.profits(self, spot);
        report.governance = self.governance.as_ref().map(|g| g.0.clone());
        let mut costs: Vec<Cost> = self
            .samples
            .iter()
            .map(|(name, v)| summarise(name, v))
            .collect();
        for (name, &n) in &self.failures {
            match costs.iter_mut().find(|c| &c.name == name) {
                Some(c) => c.failed = n,
                None => costs.push(Cost {
                    name: name.clone(),
                    failed: n,
                    ..Cost::default()
                }),
            }
        }
        costs.sort_by(|a, b| a.name.cmp(&b.name));
        report.costs = costs;
        if let Some(start) = self.start_supply {
            for i in 0..self.traders.len() {
                self.refresh_positions(i);
            }
            let end = supplies(&self.f.p.tokens, &self.ledger_entries());
            report.books = (0..2)
                .map(|i| TokenBooks {
                    asset: i,
                    start_supply: start[i],
                    minted: self.minted[i],
                    end_supply: end[i],
                    account_debt: self.traders.iter().map(|t| (-t.positions[i]).max(0)).sum(),
                    vault_debt: self.f.p.vaults[i].total_debt(),
                })
                .collect();
        }
    }
}

fn share_price(v: &vault::VaultClient) -> f64 {
    v.convert_to_assets(&UNIT) as f64 / UNIT as f64
}

fn summarise(name: &str, v: &[(i64, i64)]) -> Cost {
    let mut ins: Vec<i64> = v.iter().map(|x| x.0).collect();
    let mut mem: Vec<i64> = v.iter().map(|x| x.1).collect();
    ins.sort_unstable();
    mem.sort_unstable();
    Cost {
        name: name.to_string(),
        calls: v.len(),
        median_instructions: ins[ins.len() / 2],
        worst_instructions: *ins.last().unwrap_or(&0),
        median_memory: mem[mem.len() / 2],
        worst_memory: *mem.last().unwrap_or(&0),
        ..Cost::default()
    }
}

/// The ledger entries of a host that was never compacted.
fn ledger_entries_of(env: &soroban_sdk::Env) -> Vec<(xdr::LedgerKey, compact::Entry)> {
    Ledger::default().all_entries(env)
}

/// Every token's supply: the sum of all balance entries of its contract in the ledger.
fn supplies(tokens: &[Address], entries: &[(xdr::LedgerKey, compact::Entry)]) -> [i128; 2] {
    let ids: Vec<xdr::ScAddress> = tokens.iter().map(xdr::ScAddress::from).collect();
    let mut out = [0i128; 2];
    for (_, (entry, _)) in entries {
        let xdr::LedgerEntryData::ContractData(d) = &entry.data else {
            continue;
        };
        let Some(i) = ids.iter().position(|a| *a == d.contract) else {
            continue;
        };
        let xdr::ScVal::Vec(Some(key)) = &d.key else {
            continue;
        };
        let is_balance = matches!(key.first(), Some(xdr::ScVal::Symbol(s)) if s.to_utf8_string_lossy() == "Balance");
        if !is_balance {
            continue;
        }
        if let xdr::ScVal::Map(Some(m)) = &d.val {
            for e in m.iter() {
                if matches!(&e.key, xdr::ScVal::Symbol(s) if s.to_utf8_string_lossy() == "amount") {
                    if let xdr::ScVal::I128(v) = &e.val {
                        out[i] += ((v.hi as i128) << 64) | v.lo as i128;
                    }
                }
            }
        }
    }
    out
}

//! The deployed protocol and the step loop: prices published, the AMM arbitraged to the oracle,
//! accounts' health sampled, keepers run, costs recorded.

use std::collections::BTreeMap;

use liquidation_auction::{default_params, AuctionParams, CurveConfig};
use market_data::Rng;
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{default_config, Protocol, LENDER_TOKENS, UNIT, USD};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::Address;

use crate::keepers::Keepers;
use crate::{Cost, Report, Scenario, SimError};

/// `f64` USD to the adapter's 14 decimals.
pub fn to_oracle(usd: f64) -> i128 {
    (usd * USD as f64).round() as i128
}

/// One trader's account `(owner, 0)`.
pub struct Trader {
    pub owner: Address,
    /// Collateral asset index (the other one is borrowed).
    pub collateral: usize,
}

pub struct World<'a> {
    pub f: AuctionFixture<'a>,
    pub traders: Vec<Trader>,
    pub keepers: Keepers,
    arbitrageur: Address,
    samples: BTreeMap<String, Vec<(i64, i64)>>,
    pub step: usize,
}

fn auction_params(s: &Scenario) -> AuctionParams {
    let mut p = default_params();
    if let Some(b) = s.buf {
        p.buf = b;
        p.lot_margin = p.lot_margin.max(b);
    }
    if let Some((cut, step)) = s.cut_step {
        p.curve = CurveConfig::StairstepExp(cut, step);
    }
    if let Some(tau) = s.linear_tau {
        p.curve = CurveConfig::Linear(tau);
    }
    if let Some(t) = s.tail {
        p.tail = t;
    }
    if let Some(c) = s.cusp {
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

impl<'a> World<'a> {
    pub fn new(s: &Scenario) -> Result<Self, SimError> {
        let prices = [to_oracle(price_at(s, 0, 0)), to_oracle(price_at(s, 1, 0))];
        let p = Protocol::new(&prices, &[(0, 1)], 2 * LENDER_TOKENS);
        let f = AuctionFixture::on(p, auction_params(s));
        let mut cfg = default_config(&f.p.vaults[0].address);
        cfg.asset_weight_init = s.asset_weight_init.unwrap_or(cfg.asset_weight_init);
        cfg.asset_weight_maint = s.asset_weight_maint.unwrap_or(cfg.asset_weight_maint);
        cfg.liab_weight_init = s.liab_weight_init.unwrap_or(cfg.liab_weight_init);
        cfg.liab_weight_maint = s.liab_weight_maint.unwrap_or(cfg.liab_weight_maint);
        cfg.liquidation_penalty = s.liquidation_penalty.unwrap_or(cfg.liquidation_penalty);
        if cfg != default_config(&f.p.vaults[0].address) {
            f.p.margin
                .try_queue_asset(&f.p.tokens[0], &cfg)
                .map_err(|e| SimError::Call("queue_asset".into(), format!("{e:?}")))?
                .map_err(|e| SimError::Call("queue_asset".into(), format!("{e:?}")))?;
            f.p.advance(protocol_tests::fixture::DELAY);
            f.p.margin.apply_asset(&f.p.tokens[0]);
        }
        let arbitrageur = Address::generate(&f.p.env);
        let keepers = Keepers::new(&f, &s.keepers);
        let mut w = World {
            f,
            traders: Vec::new(),
            keepers,
            arbitrageur,
            samples: BTreeMap::new(),
            step: 0,
        };
        w.open_lenders(s);
        w.open_traders(s);
        Ok(w)
    }

    /// Extra lenders on both vaults (the fixture's first lender already funded each).
    fn open_lenders(&mut self, s: &Scenario) {
        for i in 0..s.lenders {
            let asset = i % 2;
            let amount = 100_000 * UNIT;
            let lender = self.f.p.funded(asset, amount);
            self.f.p.vaults[asset].deposit(&amount, &lender, &lender, &lender);
            self.record("vault.deposit");
        }
    }

    /// Traders: 1,000–10,000 USD of collateral, leverage 1.5–4.5 of init borrowing power, long
    /// (collateral asset 0, debt asset 1) or short; the borrowed tokens are sold on the AMM for
    /// more collateral through `trade`.
    fn open_traders(&mut self, s: &Scenario) {
        let mut rng = Rng::seed_from_u64(s.seed);
        let pool = self.f.p.pool(0, 1);
        for _ in 0..s.traders {
            let long = rng.next_f64() < 0.7;
            let (c, d) = if long { (0, 1) } else { (1, 0) };
            let usd = 1_000.0 + 9_000.0 * rng.next_f64();
            let lev = 0.5 + 0.45 * rng.next_f64();
            let pc = self.f.p.prices[c] as f64 / USD as f64;
            let pd = self.f.p.prices[d] as f64 / USD as f64;
            let coll = (usd / pc * UNIT as f64) as i128;
            let owner = self.f.p.account_with(c, coll, 0);
            self.record("margin.deposit");
            // Borrow a fraction `lev` of what init health allows, then buy collateral with it.
            let power = usd * 0.8 / 1.2 / (1.0 - 0.8 / 1.2 * 0.98);
            let debt = (power * lev / pd * UNIT as f64) as i128;
            let (t, m) = (self.f.p.tokens.clone(), self.f.p.margin.address.clone());
            let margin = &self.f.p.margin;
            // A trade that sells more than the account holds borrows the rest (SPEC §4).
            if margin
                .try_trade(&owner, &0, &t[d], &t[c], &debt, &0, &pool)
                .is_ok()
            {
                self.record("margin.trade");
            } else if margin.try_borrow(&owner, &0, &t[d], &debt, &owner).is_ok() {
                self.record("margin.borrow");
            }
            let _ = m;
            self.traders.push(Trader {
                owner,
                collateral: c,
            });
        }
    }

    /// Records the last top-level call's cost under `name`.
    pub fn record(&mut self, name: &str) {
        let r = self.f.p.env.cost_estimate().resources();
        self.samples
            .entry(name.to_string())
            .or_default()
            .push((r.instructions, r.mem_bytes));
        self.f.p.fresh_budget();
    }

    /// Moves the AMM pool's price to the oracle's with one swap (an arbitrageur's trade).
    fn arbitrage(&mut self) {
        let pool = self.f.p.pool(0, 1);
        let client = amm_pool::AmmPoolClient::new(&self.f.p.env, &pool);
        let (a, b) = client.reserves();
        let ratio = self.f.p.prices[0] as f64 / self.f.p.prices[1] as f64;
        let k = a as f64 * b as f64;
        let target_a = (k / ratio).sqrt();
        let (i, amount) = if target_a > a as f64 {
            (0, (target_a - a as f64) as i128)
        } else {
            (1, ((k * ratio).sqrt() - b as f64) as i128)
        };
        if amount <= 0 {
            return;
        }
        let t = &self.f.p.tokens;
        self.f.p.mint(i, &self.arbitrageur, amount);
        let who = self.arbitrageur.clone();
        let out = client.try_swap(&who, &t[i], &t[1 - i], &amount, &0, &who);
        if out.is_ok() {
            self.record("amm.swap");
        }
    }

    pub fn run(
        mut self,
        s: &Scenario,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Report, SimError> {
        let steps = s.prices[0].len();
        let mut report = Report {
            accounts: s.traders,
            ..Report::default()
        };
        for step in 0..steps {
            self.step = step;
            self.f.p.prices[0] = to_oracle(price_at(s, 0, step));
            self.f.p.prices[1] = to_oracle(price_at(s, 1, step));
            self.f.p.advance(s.step_seconds);
            self.arbitrage();
            report.price_path.push(price_at(s, 0, step));
            report.health.push(self.sample_health());
            report
                .share_prices
                .push(self.f.p.vaults.iter().map(|v| share_price(v)).collect());
            let t = step as u64 * s.step_seconds;
            let keepers = std::mem::take(&mut self.keepers);
            let keepers = keepers.step(&mut self, t, &mut report)?;
            self.keepers = keepers;
            progress(step);
        }
        self.finish(&mut report);
        Ok(report)
    }

    fn sample_health(&self) -> Vec<f64> {
        let m = &self.f.p.margin;
        self.traders
            .iter()
            .filter_map(|tr| m.try_health(&tr.owner, &0).ok().and_then(|h| h.ok()))
            .filter(|h| h.liabs_maint > 0)
            .map(|h| h.maint as f64 / 1e7)
            .collect()
    }

    fn finish(&self, report: &mut Report) {
        let coll = self.f.p.margin.asset_config(&self.f.p.tokens[0]);
        let debt = self.f.p.margin.asset_config(&self.f.p.tokens[1]);
        report.borrowing_power = coll.asset_weight_init as f64 / debt.liab_weight_init as f64;
        report.insurance_fund = self.f.auction.insurance(&self.f.p.tokens[1]) as f64 / UNIT as f64;
        report.costs = self
            .samples
            .iter()
            .map(|(name, v)| summarise(name, v))
            .collect();
        report.keeper_profit = self.keepers.profits(&self.f);
        report.bad_debt = self.keepers.bad_debt as f64 / UNIT as f64;
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
    }
}

//! The simulator's keepers, on liquidation-auction's public entry points (`start`, `take`,
//! `reset`, `settle_bad_debt`). Each keeper has a latency (it acts on an account once it has been
//! liquidatable, or its auction open, for that many seconds) and a strategy: the discount below
//! the oracle it demands before taking, and the share of the lot it takes at once. Among the
//! keepers eligible for an opportunity the fastest acts first; a slicer leaves the rest of the lot
//! to the others.
//!
//! Keepers find candidates by revaluing each account natively from its positions (as a real
//! keeper does from events and the shared risk core) and confirm with the contract's `health`
//! before starting: the contract is the authority, the native figure only saves calls.

use std::collections::BTreeMap;

use protocol_tests::protocol_fixture::{UNIT, USD};
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
    /// Fraction below the oracle price the auction price must reach before it takes (0.01 = 1 %).
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
    /// that takes at the oracle price after five minutes.
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
}

/// The adapter's spot and the market's prices (USD) of the two assets.
pub type Prices = ([f64; 2], [f64; 2]);

struct Open {
    auction_id: u64,
    trader: usize,
    started: u64,
    liquidation: usize,
}

/// The keepers' state across steps.
#[derive(Default)]
pub struct Keepers {
    specs: Vec<KeeperSpec>,
    pub addresses: Vec<Address>,
    /// Trader index → time it was first seen liquidatable.
    seen: BTreeMap<usize, u64>,
    open: Vec<Open>,
    /// Insurance fund balance per asset as last read.
    insurance: [i128; 2],
    /// Penalties paid into the insurance funds (USD at the take's spot).
    pub penalty_usd: f64,
}

/// What each keeper is given of each token (and approves the auction for).
pub const FLOAT: i128 = 100_000_000 * UNIT;

impl Keepers {
    pub fn new(w: &World, specs: &[KeeperSpec]) -> (Self, i128) {
        let f = &w.f;
        let expiry = f.env().ledger().sequence() + 3_000_000;
        let addresses = specs
            .iter()
            .map(|_| {
                let k = Address::generate(f.env());
                for i in 0..2 {
                    f.p.mint(i, &k, FLOAT);
                    f.p.token(i)
                        .approve(&k, &f.auction.address, &FLOAT, &expiry);
                }
                k
            })
            .collect();
        let keepers = Keepers {
            specs: specs.to_vec(),
            addresses,
            ..Keepers::default()
        };
        (keepers, FLOAT * specs.len() as i128)
    }

    /// Keepers eligible after `waited` seconds, the fastest first.
    fn eligible(&self, waited: u64) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.specs.len())
            .filter(|&k| self.specs[k].latency <= waited)
            .collect();
        idx.sort_by_key(|&k| (self.specs[k].latency, k));
        idx
    }

    /// One step at run time `t` with the adapter's spot prices: starts auctions on liquidatable
    /// accounts, resets stale ones, takes, and settles bad debt of closed ones.
    pub fn step(&mut self, w: &mut World, t: u64, prices: Prices, report: &mut Report) {
        self.start_auctions(w, t, prices.0, report);
        let open = std::mem::take(&mut self.open);
        for o in open {
            if self.work_one(w, t, &o, prices, report) {
                self.open.push(o);
            } else {
                w.traders[o.trader].in_auction = false;
                w.refresh_positions(o.trader);
                self.settle(w, t, o.trader, prices.0, report);
            }
        }
    }

    fn start_auctions(&mut self, w: &mut World, t: u64, spot: [f64; 2], report: &mut Report) {
        for i in 0..w.traders.len() {
            if w.traders[i].in_auction {
                continue;
            }
            // The native revaluation screens; the contract's view confirms.
            match w.traders[i].maint_estimate(spot, w.maint) {
                Some(h) if h < 1.02 => {}
                _ => {
                    self.seen.remove(&i);
                    continue;
                }
            }
            let Some(h) = w.health(i) else { continue };
            if h.liabs_maint == 0 || h.maint >= 10_000_000 {
                self.seen.remove(&i);
                continue;
            }
            let first = *self.seen.entry(i).or_insert(t);
            let Some(&k) = self.eligible(t - first).first() else {
                continue;
            };
            let tr = &w.traders[i];
            let (c, d, owner) = (tr.collateral, tr.debt, tr.owner.clone());
            let (tc, td) = (w.f.p.tokens[c].clone(), w.f.p.tokens[d].clone());
            let started =
                w.f.auction
                    .try_start(&self.addresses[k], &owner, &0, &tc, &td);
            let ok = matches!(started, Ok(Ok(_)));
            w.record("auction.start", ok);
            let Ok(Ok(auction_id)) = started else {
                continue;
            };
            self.seen.remove(&i);
            w.traders[i].in_auction = true;
            // Collateralisation at the market (the oracle lags it by up to a resolution).
            let equity = w.traders[i].equity(w.market);
            let debt_usd = w.traders[i].debt_usd(w.market);
            w.traders[i]
                .start_equity_ratio
                .get_or_insert(equity / debt_usd);
            report.liquidations.push(Liquidation {
                account: i as u32,
                auction_id,
                time: t,
                collateral: c,
                debt: d,
                positions: w.traders[i]
                    .positions
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v != 0)
                    .map(|(a, v)| (a, *v))
                    .collect(),
                maint_health: h.maint as f64 / 1e7,
                equity: w.traders[i].equity(w.market),
                prices: spot.to_vec(),
                starter: k,
                takes: Vec::new(),
                resets: 0,
            });
            self.open.push(Open {
                auction_id,
                trader: i,
                started: t,
                liquidation: report.liquidations.len() - 1,
            });
            w.refresh_positions(i);
        }
    }

    /// Resets or takes one auction; returns whether it is still open.
    fn work_one(
        &mut self,
        w: &mut World,
        t: u64,
        o: &Open,
        (spot, market): Prices,
        report: &mut Report,
    ) -> bool {
        let Ok(Ok(auction)) = w.f.auction.try_auction(&o.auction_id) else {
            return false;
        };
        let Ok(Ok((price, needs_reset))) = w.f.auction.try_price(&o.auction_id) else {
            return true;
        };
        let l = &report.liquidations[o.liquidation];
        let (c, d) = (l.collateral, l.debt);
        let oracle = spot[c] / spot[d];
        // The reference a keeper takes against is the market it sells into, not the oracle
        // (which lags by up to a resolution interval).
        let reference = market[c] / market[d];
        let eligible = self.eligible(t - o.started);
        if needs_reset {
            if let Some(&k) = eligible.first() {
                let r = w.f.auction.try_reset(&self.addresses[k], &o.auction_id);
                let ok = matches!(r, Ok(Ok(())));
                w.record("auction.reset", ok);
                if ok {
                    report.liquidations[o.liquidation].resets += 1;
                }
            }
            return true;
        }
        let auction_price = price as f64 / USD as f64;
        let lot_tokens = w.f.p.vaults[c].convert_to_assets(&auction.lot);
        for k in eligible {
            if auction_price > reference * (1.0 - self.specs[k].min_margin) {
                continue;
            }
            let slice = if self.specs[k].max_slice >= 1.0 {
                lot_tokens.saturating_mul(2)
            } else {
                ((lot_tokens as f64 * self.specs[k].max_slice) as i128).max(1)
            };
            let keeper = self.addresses[k].clone();
            let r =
                w.f.auction
                    .try_take(&keeper, &o.auction_id, &slice, &price, &keeper, &None);
            let ok = matches!(r, Ok(Ok(_)));
            w.record("auction.take", ok);
            if let Ok(Ok((coll, paid))) = r {
                let ins = w.f.auction.insurance(&w.f.p.tokens[d]);
                self.penalty_usd += (ins - self.insurance[d]).max(0) as f64 / UNIT as f64 * spot[d];
                self.insurance[d] = ins;
                w.sell(&keeper, c, d, coll);
                report.liquidations[o.liquidation].takes.push(Take {
                    time: t,
                    keeper: k,
                    collateral: coll,
                    paid,
                    clearing_price: paid as f64 / coll.max(1) as f64,
                    oracle_price: oracle,
                    market_price: reference,
                });
                if !matches!(w.f.auction.try_auction(&o.auction_id), Ok(Ok(_))) {
                    return false;
                }
            }
        }
        true
    }

    /// After an auction closed: writes off what the account still owes with no collateral left.
    fn settle(
        &mut self,
        w: &mut World,
        t: u64,
        trader: usize,
        spot: [f64; 2],
        report: &mut Report,
    ) {
        let tr = &w.traders[trader];
        if tr.positions.iter().any(|&p| p > 0) || tr.positions.iter().all(|&p| p >= 0) {
            return;
        }
        if self.open.iter().any(|o| o.trader == trader) {
            return;
        }
        let owner = tr.owner.clone();
        let debts = tr.positions;
        let worst_equity = tr.worst_equity;
        let start_equity_ratio = tr.start_equity_ratio.unwrap_or(f64::NAN);
        let before: Vec<i128> = (0..2)
            .map(|i| w.f.auction.insurance(&w.f.p.tokens[i]))
            .collect();
        let r = w.f.auction.try_settle_bad_debt(&owner, &0);
        let ok = matches!(r, Ok(Ok(_)));
        w.record("auction.settle_bad_debt", ok);
        let Ok(Ok(written_off)) = r else {
            return;
        };
        for (asset, &p) in debts.iter().enumerate() {
            if p < 0 {
                let after = w.f.auction.insurance(&w.f.p.tokens[asset]);
                self.insurance[asset] = after;
                let insurance_paid = before[asset] - after;
                // One debt asset per account here: the write-off is all of this asset's.
                let written = (-p - insurance_paid).clamp(0, written_off);
                report.bad_debts.push(BadDebt {
                    account: trader as u32,
                    time: t,
                    asset,
                    shortfall: -p,
                    insurance_paid,
                    written_off: written,
                    worst_equity,
                    start_equity_ratio,
                });
                report.bad_debt_usd += written as f64 / UNIT as f64 * spot[asset];
            }
        }
        w.refresh_positions(trader);
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

    pub fn names(&self) -> Vec<String> {
        self.specs.iter().map(|s| s.name.clone()).collect()
    }
}

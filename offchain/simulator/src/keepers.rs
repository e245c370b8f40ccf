//! The simulator's keepers, on liquidation-auction's public entry points (`start`, `take`,
//! `reset`, `settle_bad_debt`). Each keeper has a latency (it acts on an account only once it has
//! been liquidatable, or its auction open, for that many seconds) and a strategy (the margin
//! below the oracle price it demands before taking); the fastest eligible keeper wins.

use std::collections::BTreeMap;

use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{UNIT, USD};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::Address;

use crate::world::World;
use crate::{Liquidation, Report, SimError};

/// One keeper's behaviour.
#[derive(Clone, Debug)]
pub struct KeeperSpec {
    /// Seconds between an opportunity appearing and the keeper acting on it.
    pub latency: u64,
    /// Fraction below the oracle price the auction price must reach before it takes (0.01 = 1 %).
    pub min_margin: f64,
}

impl KeeperSpec {
    pub fn new(latency: u64) -> Self {
        KeeperSpec {
            latency,
            min_margin: 0.01,
        }
    }
}

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
    addresses: Vec<Address>,
    /// Trader index → time it was first seen liquidatable.
    seen: BTreeMap<usize, u64>,
    open: Vec<Open>,
    /// Per keeper: USD gained (collateral at oracle minus what it paid, plus bonuses).
    pnl: Vec<f64>,
    /// Debt written off, debt-token base units.
    pub bad_debt: i128,
}

const FLOAT: i128 = 10_000_000 * UNIT;

impl Keepers {
    pub fn new(f: &AuctionFixture, specs: &[KeeperSpec]) -> Self {
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
        Keepers {
            specs: specs.to_vec(),
            addresses,
            pnl: vec![0.0; specs.len()],
            ..Keepers::default()
        }
    }

    /// Keepers in order of latency (the fastest first) that are eligible after `waited` seconds.
    fn eligible(&self, waited: u64) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.specs.len())
            .filter(|&k| self.specs[k].latency <= waited)
            .collect();
        idx.sort_by_key(|&k| (self.specs[k].latency, k));
        idx
    }

    /// Starts auctions on liquidatable accounts, then takes, resets and settles.
    pub fn step(mut self, w: &mut World, t: u64, report: &mut Report) -> Result<Self, SimError> {
        self.start_auctions(w, t, report);
        self.take_auctions(w, t, report);
        Ok(self)
    }

    fn start_auctions(&mut self, w: &mut World, t: u64, report: &mut Report) {
        for i in 0..w.traders.len() {
            if self.open.iter().any(|o| o.trader == i) {
                continue;
            }
            let tr = &w.traders[i];
            let Some(h) =
                w.f.p
                    .margin
                    .try_health(&tr.owner, &0)
                    .ok()
                    .and_then(|h| h.ok())
            else {
                continue;
            };
            if h.liabs_maint == 0 || h.maint >= 10_000_000 {
                self.seen.remove(&i);
                continue;
            }
            let first = *self.seen.entry(i).or_insert(t);
            let Some(&k) = self.eligible(t - first).first() else {
                continue;
            };
            let (c, d) = (tr.collateral, 1 - tr.collateral);
            let owner = tr.owner.clone();
            let positions = positions(w, &owner);
            let (tc, td) = (w.f.p.tokens[c].clone(), w.f.p.tokens[d].clone());
            let started =
                w.f.auction
                    .try_start(&self.addresses[k], &owner, &0, &tc, &td);
            w.record("auction.start");
            if let Ok(Ok(auction_id)) = started {
                self.seen.remove(&i);
                report.liquidations.push(Liquidation {
                    account: i as u32,
                    time: t,
                    positions,
                    prices: w
                        .f
                        .p
                        .prices
                        .iter()
                        .map(|p| *p as f64 / USD as f64)
                        .collect(),
                    clearing_prices: Vec::new(),
                    oracle_at_takes: Vec::new(),
                    keeper: k,
                });
                self.open.push(Open {
                    auction_id,
                    trader: i,
                    started: t,
                    liquidation: report.liquidations.len() - 1,
                });
            }
        }
    }

    fn take_auctions(&mut self, w: &mut World, t: u64, report: &mut Report) {
        let open = std::mem::take(&mut self.open);
        for o in open {
            if self.take_one(w, t, &o, report) {
                self.open.push(o);
            }
        }
    }

    /// Returns whether the auction is still open.
    fn take_one(&mut self, w: &mut World, t: u64, o: &Open, report: &mut Report) -> bool {
        let Ok(Ok(auction)) = w.f.auction.try_auction(&o.auction_id) else {
            self.settle(w, o);
            return false;
        };
        let Ok(Ok((price, needs_reset))) = w.f.auction.try_price(&o.auction_id) else {
            return true;
        };
        let c = usize::from(auction.collateral == w.f.p.tokens[1]);
        let d = 1 - c;
        let oracle = w.f.p.prices[c] as f64 / w.f.p.prices[d] as f64;
        let eligible = self.eligible(t - o.started);
        if needs_reset {
            if let Some(&k) = eligible.first() {
                let _ = w.f.auction.try_reset(&self.addresses[k], &o.auction_id);
                w.record("auction.reset");
            }
            return true;
        }
        let auction_price = price as f64 / USD as f64;
        for k in eligible {
            if auction_price > oracle * (1.0 - self.specs[k].min_margin) {
                continue;
            }
            let keeper = self.addresses[k].clone();
            let max = auction.lot.saturating_mul(2);
            let r =
                w.f.auction
                    .try_take(&keeper, &o.auction_id, &max, &price, &keeper, &None);
            w.record("auction.take");
            if let Ok(Ok((coll, paid))) = r {
                let usd = |amount: i128, i: usize| {
                    amount as f64 / UNIT as f64 * w.f.p.prices[i] as f64 / USD as f64
                };
                self.pnl[k] += usd(coll, c) - usd(paid, d);
                let l = &mut report.liquidations[o.liquidation];
                l.clearing_prices.push(paid as f64 / coll.max(1) as f64);
                l.oracle_at_takes.push(oracle);
                break;
            }
        }
        true
    }

    /// After the auction closed: writes off what the account still owes with no collateral left.
    fn settle(&mut self, w: &mut World, o: &Open) {
        let owner = w.traders[o.trader].owner.clone();
        if let Ok(Ok(amount)) = w.f.auction.try_settle_bad_debt(&owner, &0) {
            w.record("auction.settle_bad_debt");
            self.bad_debt += amount;
        }
    }

    /// Each keeper's profit in USD.
    pub fn profits(&self, _f: &AuctionFixture) -> Vec<f64> {
        self.pnl.clone()
    }
}

fn positions(w: &World, owner: &Address) -> Vec<(usize, i128)> {
    let Ok(Ok(map)) = w.f.p.margin.try_positions(owner, &0) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(a, v)| w.f.p.tokens.iter().position(|t| *t == a).map(|i| (i, v)))
        .collect()
}

//! margin-account's entry points on the WASM protocol fixture, for accounts holding 1, 2, 4, 8 and
//! 16 positions; `trade` including the AMM swap; `submit` with three actions against the three
//! calls made separately; and the split of a health check between the quote, the storage and the
//! math (SPEC §10, issue 4 targets).
//!
//! An account of `n` positions holds collateral in tokens `0..n-1` and a debt in token `n-1`
//! (`n = 1`: collateral only), every token at 1 USD. Each row is one call, measured after a
//! warm-up call of the same kind, so caches (the adapter's quote cache, the vault caches) are in
//! their steady state.

use margin_account::{MarginAccountClient, Request, TradeRequest};
use soroban_sdk::{vec, Address};

use super::{footprint, Cost, Table};
use crate::fixture::RESOLUTION;
use crate::protocol_fixture::{Protocol, UNIT, USD};

/// Position counts measured (2: the "1 collateral and 1 liability" target).
pub const COUNTS: [usize; 5] = [1, 2, 4, 8, 16];

struct Bench<'a> {
    p: Protocol<'a>,
}

impl Bench<'_> {
    fn new() -> Self {
        let prices = std::vec![USD; 17];
        Bench {
            p: Protocol::new(
                &prices,
                &[(0, 16), (0, 1), (0, 3), (0, 7), (0, 15)],
                1_000_000,
            ),
        }
    }

    /// An account of `n` positions (see the module docs), funded for more.
    fn account(&self, n: usize) -> Address {
        let p = &self.p;
        let owner = p.funded(0, 0);
        let collateral = if n == 1 { 1 } else { n - 1 };
        for i in 0..collateral {
            p.mint(i, &owner, 100_000 * UNIT);
            p.mint(16, &owner, 100_000 * UNIT);
            p.margin.deposit(&owner, &1, &p.tokens[i], &(10_000 * UNIT));
        }
        if n > 1 {
            p.margin
                .borrow(&owner, &1, &p.tokens[n - 1], &(100 * UNIT), &owner);
        }
        p.fresh_budget();
        owner
    }

    /// One warm-up call, then the measured one.
    fn measure(&self, call: impl Fn()) -> Cost {
        call();
        Cost::measure(&self.p.env, call).1
    }
}

/// The rows of one account size.
fn account_rows(b: &Bench, n: usize, t: &mut Table) {
    let p = &b.p;
    let owner = b.account(n);
    let case = format!("{n} positions");
    let (t0, debt) = (p.tokens[0].clone(), p.tokens[n.max(2) - 1].clone());
    let m = &p.margin;
    t.push(
        "deposit",
        &case,
        b.measure(|| m.deposit(&owner, &1, &t0, &UNIT)),
    );
    t.push(
        "deposit_for",
        &case,
        b.measure(|| m.deposit_for(&owner, &owner, &1, &t0, &UNIT)),
    );
    t.push(
        "withdraw",
        &case,
        b.measure(|| m.withdraw(&owner, &1, &t0, &UNIT, &owner)),
    );
    if n > 1 {
        t.push(
            "borrow",
            &case,
            b.measure(|| m.borrow(&owner, &1, &debt, &UNIT, &owner)),
        );
        t.push(
            "repay",
            &case,
            b.measure(|| {
                m.repay(&owner, &owner, &1, &debt, &UNIT);
            }),
        );
    }
    // n = 1: sell the collateral for a new asset; otherwise a leveraged trade: borrow more of
    // the debt asset and buy collateral (both legs, full health check).
    let (sell, buy) = if n == 1 { (0, 16) } else { (n - 1, 0) };
    let trade = TradeRequest {
        sell_asset: p.tokens[sell].clone(),
        buy_asset: p.tokens[buy].clone(),
        amount_in: 10 * UNIT,
        min_amount_out: 0,
        venue: p.pool(sell, buy),
    };
    t.push(
        "trade",
        format!("{case}, AMM swap included"),
        b.measure(|| {
            let r = &trade;
            m.trade(
                &owner,
                &1,
                &r.sell_asset,
                &r.buy_asset,
                &r.amount_in,
                &0,
                &r.venue,
            );
        }),
    );
    t.push(
        "health",
        &case,
        b.measure(|| {
            m.health(&owner, &1);
        }),
    );
    t.push(
        "positions",
        &case,
        b.measure(|| {
            m.positions(&owner, &1);
        }),
    );
    submit_rows(b, &owner, n, &case, t);
}

/// `submit` of deposit + withdraw + borrow against the three calls.
fn submit_rows(b: &Bench, owner: &Address, n: usize, case: &str, t: &mut Table) {
    let p = &b.p;
    let m = &p.margin;
    if n == 1 {
        return;
    }
    let (t0, debt) = (p.tokens[0].clone(), p.tokens[n - 1].clone());
    let requests = vec![
        &p.env,
        Request::Deposit(t0.clone(), UNIT),
        Request::Withdraw(t0.clone(), 2 * UNIT, p.admin.clone()),
        Request::Borrow(debt.clone(), UNIT, owner.clone()),
    ];
    let one = b.measure(|| m.submit(owner, &1, &requests));
    let separate = [
        b.measure(|| m.deposit(owner, &1, &t0, &UNIT)),
        b.measure(|| m.withdraw(owner, &1, &t0, &(2 * UNIT), &p.admin)),
        b.measure(|| m.borrow(owner, &1, &debt, &UNIT, owner)),
    ];
    t.push(
        "submit",
        format!("{case}: deposit + withdraw + borrow"),
        one,
    );
    let sum = Cost {
        instructions: separate.iter().map(|c| c.instructions).sum(),
        mem_bytes: separate.iter().map(|c| c.mem_bytes).sum(),
        read_entries: separate.iter().map(|c| c.read_entries).sum(),
        write_entries: separate.iter().map(|c| c.write_entries).sum(),
        read_bytes: separate.iter().map(|c| c.read_bytes).sum(),
        write_bytes: separate.iter().map(|c| c.write_bytes).sum(),
        fee_total: separate.iter().map(|c| c.fee_total).sum(),
        rent: separate.iter().map(|c| c.rent).sum(),
    };
    t.push(
        "3 separate calls",
        format!("{case}: deposit, withdraw, borrow"),
        sum,
    );
}

/// The quote / storage and math split of a health check, from the `health` view of a 1- and a
/// 16-position account measured twice:
/// - with every quote in margin-account's quote cache (the 16-position account's borrow pulls
///   the quotes of all its assets, the 1-position account's among them, before either is
///   measured): the per-position difference is margin-account's own work (storage read, decode,
///   math), what every call of a feed resolution after the first adds;
/// - one resolution later, after a permissionless adapter `refresh` of every asset: the adapter's
///   book is current but margin-account's cache is not, so `health` (a view, which never stores
///   what it pulls) calls the adapter's `quotes_packed` for the account's assets. The
///   per-position difference is what the first call of a resolution adds, the quote included.
fn split_note(b: &Bench, t: &mut Table) {
    let p = &b.p;
    let owners = [b.account(1), b.account(16)];
    let measure_health = |owner: &Address| {
        b.measure(|| {
            p.margin.health(owner, &1);
        })
    };
    // The same call on a fork whose host holds only the entries it touches, as a validator's.
    let on_footprint = |owner: &Address| {
        let (_, cost, _) = footprint::measure(&p.env, |e| {
            let margin = footprint::rebind(e, &p.margin.address);
            MarginAccountClient::new(e, &margin).health(&footprint::rebind(e, owner), &1);
        });
        cost
    };
    let cached = owners.each_ref().map(measure_health);
    let cached_fp = owners.each_ref().map(on_footprint);
    p.advance(u64::from(RESOLUTION));
    let all: std::vec::Vec<usize> = (0..p.tokens.len()).collect();
    p.oracle.adapter.refresh(&p.token_vec(&all));
    p.fresh_budget();
    let first = owners.each_ref().map(measure_health);
    let first_fp = owners.each_ref().map(on_footprint);
    // (16 positions - 1 position) / 15, of instructions and of memory.
    let per = |c: &[Cost; 2]| {
        (
            (c[1].instructions - c[0].instructions) / 15,
            (c[1].mem_bytes - c[0].mem_bytes) / 15,
        )
    };
    let ((own, own_mem), (all_in, all_mem)) = (per(&cached), per(&first));
    let ((own_fp, _), (all_in_fp, _)) = (per(&cached_fp), per(&first_fp));
    t.note(format!(
        "Health check, per extra position (`health` of 16 positions against 1, divided by 15): \
         {own} CPU instructions and {own_mem} bytes of memory with the quotes in margin-account's \
         quote cache (every call of a feed resolution after the first: the storage read, decode \
         and math; risk-core's math alone is about 13,400, `tests/tests/health_cost.rs`); \
         {all_in} instructions and {all_mem} bytes on the first call of a resolution, the \
         adapter's book current (one `quotes_packed` call for all the assets), of which the quote \
         {} instructions. Fixed part (1 position): {} instructions cached, {} on the first call. \
         On the call's footprint only (`tests/src/bench/footprint.rs`: a host holding only the \
         entries the call touches, as a validator's does): {own_fp} instructions per position \
         cached, {all_in_fp} on the first call of a resolution. When no one has refreshed the \
         adapter in the resolution, the first call also pulls every feed (the adapter table's \
         pull rows: about 0.8M per asset).",
        all_in - own,
        cached[0].instructions,
        first[0].instructions,
    ));
}

/// The margin-account table.
pub fn run() -> Table {
    let b = Bench::new();
    let mut t = Table::new("margin-account");
    t.note(
        "Accounts of n positions: collateral in n - 1 tokens and one debt (n = 1: one \
         collateral), every token at 1 USD; each row measured after a warm-up call of the same \
         kind. `trade` includes the AMM swap. `submit` runs deposit + withdraw + borrow with one \
         health check; the last row sums the three separate calls.",
    );
    for n in COUNTS {
        account_rows(&b, n, &mut t);
    }
    // On a protocol of its own: the note's second half moves time a resolution on.
    split_note(&Bench::new(), &mut t);
    t
}

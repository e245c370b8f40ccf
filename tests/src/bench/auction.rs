//! liquidation-auction rows of the benchmark (issue 5 targets): `start` and `take` on an account
//! with one collateral and one liability (targets: at most 2.4M and 3.1M instructions, half of
//! Blend v2's `new_auction` and fill measured in the same host), `reset`, `settle_bad_debt`, the
//! views, and the whole liquidation of a 16-position account — every start and take it needs —
//! compared with 25 % of each per-transaction network limit.

use soroban_sdk::Address;

use super::{limits, Cost, Table};
use crate::auction_fixture::AuctionFixture;
use crate::protocol_fixture::{Protocol, UNIT, USD};
use liquidation_auction::{default_params, Error};

const NO_LIMIT: i128 = i128::MAX;

/// Takes at most `max` at `price(now)` as `keeper`.
fn take_at_price(f: &AuctionFixture, keeper: &Address, aid: u64, max: i128) -> (i128, i128) {
    let (price, _) = f.auction.price(&aid);
    f.auction.take(keeper, &aid, &max, &price, keeper, &None)
}

/// `start`, partial and full `take`, `reset`, the views, on 1 collateral + 1 liability.
fn pair_rows(t: &mut Table) {
    let mut f = AuctionFixture::new();
    let env = f.env().clone();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(100_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let (_, c) = Cost::measure(&env, || f.p.margin.liquidation_view(&owner, &0, &t0, &t1));
    t.push(
        "margin-account `liquidation_view`",
        "what `start` reads, 1 + 1",
        c,
    );
    let (_, c) = Cost::measure(&env, || f.p.oracle.adapter.quotes(&f.p.token_vec(&[0, 1])));
    t.push("oracle-adapter `quotes`", "2 assets", c);
    let (aid, c) = Cost::measure(&env, || f.auction.start(&keeper, &owner, &0, &t0, &t1));
    t.push("start", "1 collateral + 1 liability", c);
    f.p.advance(60);
    let (_, c) = Cost::measure(&env, || take_at_price(&f, &keeper, aid, 10 * UNIT));
    t.push("take", "partial (price view + take)", c);
    let (price, _) = f.auction.price(&aid);
    let (_, c) = Cost::measure(&env, || {
        f.auction
            .take(&keeper, &aid, &(10 * UNIT), &price, &keeper, &None)
    });
    t.push("take", "partial, 1 + 1", c);
    f.p.mint(1, &owner, UNIT);
    let (_, c) = Cost::measure(&env, || f.p.margin.repay(&owner, &owner, &0, &t1, &UNIT));
    t.push(
        "margin-account `repay`",
        "1 + 1 (what a take's repayment costs at least)",
        c,
    );
    let (_, c) = Cost::measure(&env, || f.auction.auction(&aid));
    t.push("auction", "view", c);
    let (_, c) = Cost::measure(&env, || f.auction.price(&aid));
    t.push("price", "view", c);
    let (_, c) = Cost::measure(&env, || f.auction.params());
    t.push("params", "view", c);
    let (_, c) = Cost::measure(&env, || f.auction.auctions_of(&owner, &0));
    t.push("auctions_of", "view", c);
    let (_, c) = Cost::measure(&env, || f.auction.insurance(&t1));
    t.push("insurance", "view", c);
    let (_, c) = Cost::measure(&env, || f.auction.debt_under_auction(&t0));
    t.push("debt_under_auction", "view", c);
    // 0.99^51 < cusp 0.6: a reset above dust (pays the bonus).
    f.p.advance(51 * 30);
    let (_, c) = Cost::measure(&env, || f.auction.reset(&keeper, &aid));
    t.push("reset", "cusp, bonus paid", c);
    let (price, _) = f.auction.price(&aid);
    let (_, c) = Cost::measure(&env, || {
        f.auction
            .take(&keeper, &aid, &NO_LIMIT, &price, &keeper, &None)
    });
    t.push("take", "full: tab paid, rest of lot returned, 1 + 1", c);
}

/// `settle_bad_debt` after a crash: insurance pays part, the vault writes off the rest.
fn bad_debt_rows(t: &mut Table) {
    let mut f = AuctionFixture::new();
    let env = f.env().clone();
    let owner = f.unhealthy_account(30);
    let keeper = f.funded_keeper(100_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let aid = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    f.p.advance(900);
    take_at_price(&f, &keeper, aid, NO_LIMIT);
    let donor = f.p.funded(1, 20 * UNIT);
    let (_, c) = Cost::measure(&env, || f.auction.fund_insurance(&donor, &t1, &(20 * UNIT)));
    t.push("fund_insurance", "", c);
    let (_, c) = Cost::measure(&env, || f.auction.settle_bad_debt(&owner, &0));
    t.push("settle_bad_debt", "insurance then write-off, 1 debt", c);
}

/// Totals of a sequence of calls.
#[derive(Default)]
struct Totals {
    calls: u32,
    sum: Option<Cost>,
    max: Option<Cost>,
}

impl Totals {
    fn add(&mut self, c: &Cost) {
        self.calls += 1;
        let s = self.sum.get_or_insert(Cost::zero());
        s.instructions += c.instructions;
        s.mem_bytes += c.mem_bytes;
        s.read_entries += c.read_entries;
        s.write_entries += c.write_entries;
        s.read_bytes += c.read_bytes;
        s.write_bytes += c.write_bytes;
        s.fee_total += c.fee_total;
        s.rent += c.rent;
        let m = self.max.get_or_insert(Cost::zero());
        m.instructions = m.instructions.max(c.instructions);
        m.mem_bytes = m.mem_bytes.max(c.mem_bytes);
        m.read_entries = m.read_entries.max(c.read_entries);
        m.write_entries = m.write_entries.max(c.write_entries);
        m.read_bytes = m.read_bytes.max(c.read_bytes);
        m.write_bytes = m.write_bytes.max(c.write_bytes);
        m.fee_total = m.fee_total.max(c.fee_total);
        m.rent = m.rent.max(c.rent);
    }
}

impl Cost {
    fn zero() -> Cost {
        Cost {
            instructions: 0,
            mem_bytes: 0,
            read_entries: 0,
            write_entries: 0,
            read_bytes: 0,
            write_bytes: 0,
            fee_total: 0,
            rent: 0,
        }
    }
}

/// A 16-position account (8 collateral tokens, 8 debts, all at 1 USD) whose collateral has
/// fallen to 65 cents, one resolution later: the fixture, the owner and a funded keeper.
fn sixteen_world() -> (AuctionFixture<'static>, Address, Address) {
    let p = Protocol::uniform(16);
    let mut f = AuctionFixture::on(p, default_params());
    let owner = f.p.funded(0, 0);
    for i in 0..8 {
        f.p.mint(i, &owner, 100 * UNIT);
        f.p.margin
            .deposit(&owner, &0, &f.p.tokens[i], &(100 * UNIT));
    }
    for i in 8..16 {
        f.p.margin
            .borrow(&owner, &0, &f.p.tokens[i], &(60 * UNIT), &owner);
    }
    for i in 0..8 {
        f.p.prices[i] = USD * 65 / 100;
    }
    f.p.advance(300);
    let keeper = Address::generate_funded(&f);
    (f, owner, keeper)
}

/// The 16-position account liquidated pair by pair until a start finds it at its target: every
/// start and take measured, after the adapter's `refresh` of the account's 16 assets in two
/// calls of 8 (permissionless, as a keeper does first for a large account). The cold first start,
/// which pulls all 16 feeds itself, is measured on a copy of the world.
fn sixteen_rows(t: &mut Table) -> (Totals, Totals, Totals) {
    {
        let (f, owner, keeper) = sixteen_world();
        let (c, d) = (f.p.tokens[0].clone(), f.p.tokens[8].clone());
        let (_, cold) = Cost::measure(f.env(), || f.auction.start(&keeper, &owner, &0, &c, &d));
        t.push(
            "start",
            "16 positions, first pair, adapter not refreshed (pulls the 16 feeds)",
            cold,
        );
    }
    let (f, owner, keeper) = sixteen_world();
    let env = f.env().clone();
    let mut refreshes = Totals::default();
    for chunk in [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15]] {
        let assets = f.p.token_vec(&chunk);
        let (_, c) = Cost::measure(&env, || f.p.oracle.adapter.refresh(&assets));
        refreshes.add(&c);
        t.push(
            "oracle-adapter `refresh`",
            "8 of the account's assets, before the first start",
            c,
        );
    }
    let (mut starts, mut takes) = (Totals::default(), Totals::default());
    'rounds: for round in 0..4 {
        for k in 0..8 {
            let (c, d) = (f.p.tokens[k].clone(), f.p.tokens[8 + k].clone());
            let r = Cost::measure(&env, || f.auction.try_start(&keeper, &owner, &0, &c, &d));
            let aid = match r.0 {
                Ok(Ok(aid)) => aid,
                Err(Ok(Error::Healthy)) | Err(Ok(Error::AtTarget)) if k == 0 => break 'rounds,
                _ => continue,
            };
            starts.add(&r.1);
            if round == 0 && k == 0 {
                t.push(
                    "start",
                    "16 positions, first pair (adapter refreshed)",
                    r.1.clone(),
                );
            }
            let (price, _) = f.auction.price(&aid);
            let (_, c) = Cost::measure(&env, || {
                f.auction
                    .take(&keeper, &aid, &NO_LIMIT, &price, &keeper, &None)
            });
            takes.add(&c);
            if round == 0 && k == 0 {
                t.push("take", "16 positions, full", c);
            }
        }
    }
    (refreshes, starts, takes)
}

trait Funded {
    fn generate_funded(f: &AuctionFixture) -> Address;
}

impl Funded for Address {
    /// A keeper holding and approving 10,000 of each of tokens 8..16 (the debts).
    fn generate_funded(f: &AuctionFixture) -> Address {
        let keeper = f.p.funded(8, 0);
        let expiry = f.env().ledger().sequence() + 100_000;
        for i in 8..16 {
            f.p.mint(i, &keeper, 10_000 * UNIT);
            f.p.token(i)
                .approve(&keeper, &f.auction.address, &(10_000 * UNIT), &expiry);
        }
        keeper
    }
}

fn pct(x: i64, limit: i64) -> String {
    format!("{:.1} %", x as f64 * 100.0 / limit as f64)
}

fn summary(t: &mut Table, what: &str, n: &Totals) {
    let (Some(s), Some(m)) = (&n.sum, &n.max) else {
        return;
    };
    t.push(
        what,
        format!("16 positions: total of {} calls", n.calls),
        s.clone(),
    );
    t.push(what, "16 positions: largest single call", m.clone());
    let q = |x: i64, limit: i64| pct(x, limit / 4);
    t.note(format!(
        "16-position liquidation, `{what}` ({} calls). Against 25 % of one transaction's \
         limits — total of all calls: instructions {}, memory {}, entries read {}, written {}, \
         bytes written {}; largest single call (each is its own transaction): instructions {}, \
         memory {}, entries read {}, written {}, bytes written {}.",
        n.calls,
        q(s.instructions, limits::INSTRUCTIONS),
        q(s.mem_bytes, limits::MEM_BYTES),
        q(s.read_entries as i64, limits::READ_ENTRIES as i64),
        q(s.write_entries as i64, limits::WRITE_ENTRIES as i64),
        q(s.write_bytes as i64, limits::WRITE_BYTES as i64),
        q(m.instructions, limits::INSTRUCTIONS),
        q(m.mem_bytes, limits::MEM_BYTES),
        q(m.read_entries as i64, limits::READ_ENTRIES as i64),
        q(m.write_entries as i64, limits::WRITE_ENTRIES as i64),
        q(m.write_bytes as i64, limits::WRITE_BYTES as i64),
    ));
}

/// The liquidation-auction table.
pub fn run() -> Table {
    let mut t = Table::new("liquidation-auction");
    t.note(
        "Issue 5 targets for 1 collateral + 1 liability: `start` <= 2.4M and `take` <= 3.1M \
         instructions (half of Blend v2's 4.88M `new_auction` and 6.25M fill in this host). \
         Each start and take is its own transaction; the 16-position totals add them all up. \
         Before the 16-position account's first start the adapter's quotes of its 16 assets are \
         refreshed in two permissionless `refresh` calls of 8 assets (each its own transaction, \
         in the totals as `refresh`): the start then prices from the adapter's book rather than \
         pulling 16 feeds inside the start (the cold start's row: 91 entries read, 45.5 % of the \
         limit).",
    );
    pair_rows(&mut t);
    bad_debt_rows(&mut t);
    let (refreshes, starts, takes) = sixteen_rows(&mut t);
    summary(&mut t, "refresh", &refreshes);
    summary(&mut t, "start", &starts);
    summary(&mut t, "take", &takes);
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn pct_formats_one_decimal() {
        assert_eq!(super::pct(1, 4), "25.0 %");
    }
}

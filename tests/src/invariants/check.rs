//! The invariants of SPEC §12 (and the bookkeeping ones they rest on), evaluated from public
//! views, token balances, the auths and the events of a step.

use soroban_sdk::Address;

use super::actions::Outcome;
use super::world::{World, TOKENS};
use crate::protocol_fixture::RATIO_ONE;

/// The invariants [`check_all`] evaluates, by name.
pub const INVARIANTS: [&str; 11] = [
    "12.1 vault solvency",
    "12.2 risk-raising call ends at init health >= 1",
    "12.3 a healthy account is not auctioned",
    "12.4 escrowed tokens equal the live lots",
    "12.5 a take pays at least price(now) and at most the tab",
    "12.6 losses only through settle_bad_debt, insurance first",
    "12.7 the party whose funds or powers are used authorised the call",
    "tokens conserved across wallets, vaults, pools and contracts",
    "account positions equal margin-account's vault shares and the vaults' debt shares",
    "a refused call changes nothing",
    "insurance funds are held in tokens",
];

/// One broken invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// One of [`INVARIANTS`].
    pub invariant: &'static str,
    pub detail: String,
}

struct Found(std::vec::Vec<Violation>);

impl Found {
    fn check(&mut self, n: usize, ok: bool, detail: impl FnOnce() -> String) {
        if !ok {
            self.0.push(Violation {
                invariant: INVARIANTS[n],
                detail: detail(),
            });
        }
    }
}

/// Evaluates every invariant after a step that reported `out`. Empty when all hold.
pub fn check_all(w: &World, out: &Outcome) -> std::vec::Vec<Violation> {
    let mut f = Found(std::vec::Vec::new());
    solvency(w, &mut f);
    health_after(w, out, &mut f);
    f.check(
        2,
        out.start_maint_before.is_none_or(|m| m < RATIO_ONE),
        || std::format!("started at maint health {:?}", out.start_maint_before),
    );
    escrow(w, &mut f);
    if let Some(t) = &out.take {
        let floor = t.slice * t.price / 100_000_000_000_000;
        f.check(4, t.owe >= floor - 1 && t.owe <= t.tab, || {
            std::format!("{t:?}: owe below slice * price or above the tab")
        });
    }
    losses(w, out, &mut f);
    if out.ok {
        if let Some(actor) = &out.actor {
            f.check(6, out.actor_authorised, || {
                std::format!(
                    "{actor:?} did not authorise; authorisers {:?}",
                    out.authorisers
                )
            });
        }
    }
    f.check(7, w.held() == w.supply, || {
        std::format!("held {:?}, supplied {:?}", w.held(), w.supply)
    });
    positions(w, &mut f);
    f.check(9, out.refused_changed.is_none(), || {
        out.refused_changed.clone().unwrap_or_default()
    });
    let p = w.p();
    let auction = &w.f.auction.address;
    for i in 0..TOKENS {
        let fund = w.f.auction.insurance(&p.tokens[i]);
        let held = p.balance(i, auction);
        // The rest of what the auction holds is the live lots (checked by `escrow`).
        f.check(10, held >= fund && fund >= 0, || {
            std::format!("token {i}: fund {fund}, auction holds {held}")
        });
    }
    f.0
}

/// §12.1: what lenders can redeem is backed by the vault's assets, which are backed by cash and
/// debt; the cash on the books is in the vault's token balance.
fn solvency(w: &World, f: &mut Found) {
    for (i, v) in w.p().vaults.iter().enumerate() {
        let state = v.pool_state();
        let (assets, debt) = (v.total_assets(), v.total_debt());
        let redeemable = v.convert_to_assets(&v.total_supply());
        let balance = w.p().balance(i, &v.address);
        f.check(
            0,
            redeemable <= assets && assets <= state.cash + debt && state.cash <= balance,
            || {
                std::format!(
                    "vault {i}: redeemable {redeemable}, assets {assets}, cash {}, debt {debt}, \
                     balance {balance}",
                    state.cash
                )
            },
        );
    }
}

/// §12.2, with SPEC §3's exception for a trade that only reduces debt and raises init health.
fn health_after(w: &World, out: &Outcome, f: &mut Found) {
    let Some((owner, id)) = out.risk_raised.as_ref().filter(|_| out.ok) else {
        return;
    };
    let h = w.p().margin.try_health(owner, id).ok().and_then(|r| r.ok());
    // Without a price (stale feeds) the view fails; an account without debt is at i128::MAX
    // whatever the prices, and may withdraw then.
    let debt_free = || {
        let pos = w
            .p()
            .margin
            .try_position_shares(owner, id)
            .ok()
            .and_then(|r| r.ok());
        pos.is_some_and(|m| m.values().iter().all(|s| s >= 0))
    };
    let init = h
        .map(|h| h.init)
        .or_else(|| debt_free().then_some(i128::MAX));
    let deleveraged = matches!((out.trade_init_before, init), (Some(b), Some(a)) if a >= b);
    f.check(
        1,
        init.is_some_and(|x| x >= RATIO_ONE) || deleveraged,
        || {
            std::format!(
                "init health {init:?} (before a trade: {:?})",
                out.trade_init_before
            )
        },
    );
}

/// §12.4: the auction holds, per token, exactly its live lots (collateral tokens) plus that
/// asset's insurance fund, and no vault shares.
fn escrow(w: &World, f: &mut Found) {
    let mut lots = [0i128; TOKENS];
    for aid in &w.live {
        if let Ok(Ok(a)) = w.f.auction.try_auction(aid) {
            if let Some(i) = w.p().tokens.iter().position(|t| *t == a.collateral) {
                lots[i] += a.lot;
            }
        }
    }
    let me = &w.f.auction.address;
    for (i, t) in w.p().tokens.iter().enumerate() {
        let held = w.p().token(i).balance(me) - w.f.auction.insurance(t);
        f.check(3, held == lots[i], || {
            std::format!(
                "token {i}: auction holds {held} beyond insurance, live lots {}",
                lots[i]
            )
        });
        let shares = w.p().vaults[i].balance(me);
        f.check(3, shares == 0, || {
            std::format!("vault {i}: auction holds {shares} shares")
        });
    }
}

/// §12.6: no vault's share price falls, except through a settlement whose events add up and
/// which emptied that asset's insurance fund first.
fn losses(w: &World, out: &Outcome, f: &mut Found) {
    let now = w.share_price_now();
    if let Some(s) = &out.settle {
        let drawn: i128 = (0..TOKENS)
            .map(|i| s.insurance_before[i] - s.insurance_after[i])
            .sum();
        f.check(
            5,
            s.debt == s.insurance_paid + s.written_off
                && s.written == s.written_off
                && drawn == s.insurance_paid,
            || std::format!("settlement events do not add up: {s:?}"),
        );
    }
    for (i, (&was, &is)) in w.share_prices.iter().zip(&now).enumerate() {
        if is >= was - 1 {
            continue;
        }
        let settled = out
            .settle
            .as_ref()
            .is_some_and(|s| s.written_off > 0 && s.insurance_after[i] == 0);
        f.check(5, settled, || {
            std::format!("vault {i}: share price {was} -> {is} outside a settlement")
        });
    }
}

/// The accounts' shares are margin-account's vault shares; their debts are the vaults' debt
/// shares; margin-account itself holds no tokens.
fn positions(w: &World, f: &mut Found) {
    let p = w.p();
    let mut coll = [0i128; TOKENS];
    let mut debt = [0i128; TOKENS];
    for (owner, id) in w.accounts() {
        let Some(pos) = p
            .margin
            .try_position_shares(&owner, &id)
            .ok()
            .and_then(|r| r.ok())
        else {
            continue;
        };
        for (i, t) in p.tokens.iter().enumerate() {
            let s = pos.get(t.clone()).unwrap_or(0);
            if s > 0 {
                coll[i] += s;
            } else {
                debt[i] -= s;
            }
        }
    }
    let margin: &Address = &p.margin.address;
    for (i, v) in p.vaults.iter().enumerate() {
        let (shares, owed, cash) = (
            v.balance(margin),
            v.pool_state().debt_shares,
            p.balance(i, margin),
        );
        f.check(8, shares == coll[i] && owed == debt[i] && cash == 0, || {
            std::format!(
                "token {i}: accounts hold {} shares and owe {} debt shares; margin-account \
                     holds {shares} shares and {cash} tokens, the vault counts {owed} debt shares",
                coll[i],
                debt[i]
            )
        });
    }
}

impl World {
    /// Checks every invariant after a step, counts the checks, and prepares the next step.
    pub fn check(&mut self, out: &Outcome) -> std::vec::Vec<Violation> {
        let found = check_all(self, out);
        self.stats.checks += INVARIANTS.len() as u64;
        self.after_check();
        found
    }
}

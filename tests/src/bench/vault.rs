//! Vault rows of the benchmark: every entry point on the optimised WASM, with debt outstanding
//! and an hour of interest to accrue before each state-changing call (the common case on a live
//! vault), plus a new lender's first deposit against a repeat deposit.

use soroban_sdk::testutils::Address as _;
use soroban_sdk::Address;

use super::{Cost, Table};
use crate::vault_fixture::{default_params, VaultFixture, DELAY, UNIT};

const HOUR: u64 = 3_600;

/// A vault with two lenders, half of its cash lent, and the borrower funded to repay.
fn live_vault() -> (VaultFixture<'static>, Address) {
    let f = VaultFixture::new();
    let (lender, _) = f.lender(10_000 * UNIT);
    f.lender(10_000 * UNIT);
    f.borrow(10_000 * UNIT);
    f.fund(&f.borrower, 1_000 * UNIT);
    f.fund(&lender, 1_000 * UNIT);
    f.advance(HOUR);
    (f, lender)
}

/// Measures `call` after an hour passes, as one row.
fn row<T>(t: &mut Table, f: &VaultFixture, name: &str, case: &str, call: impl FnOnce() -> T) {
    f.advance(HOUR);
    let (_, cost) = Cost::measure(&f.env, call);
    t.push(name, case, cost);
}

fn lender_rows(t: &mut Table, f: &VaultFixture, lender: &Address) {
    let v = &f.vault;
    let newcomer = f.funded(100 * UNIT);
    row(t, f, "deposit", "first deposit (new lender)", || {
        v.deposit(&(100 * UNIT), &newcomer, &newcomer, &newcomer)
    });
    row(t, f, "deposit", "repeat deposit", || {
        v.deposit(&(100 * UNIT), lender, lender, lender)
    });
    row(t, f, "mint", "repeat", || {
        v.mint(&(100 * UNIT), lender, lender, lender)
    });
    row(t, f, "withdraw", "partial", || {
        v.withdraw(&(10 * UNIT), lender, lender, lender)
    });
    row(t, f, "redeem", "partial", || {
        v.redeem(&(10 * UNIT), lender, lender, lender)
    });
    let all = v.balance(&newcomer);
    row(t, f, "redeem", "whole balance (entry removed)", || {
        v.redeem(&all, &newcomer, &newcomer, &newcomer)
    });
    let operator = Address::generate(&f.env);
    let until = 2_000_000;
    row(t, f, "approve", "new allowance", || {
        v.approve(lender, &operator, &(50 * UNIT), &until)
    });
    row(t, f, "redeem", "by operator on allowance", || {
        v.redeem(&UNIT, &operator, lender, &operator)
    });
    row(t, f, "transfer", "to a new holder", || {
        v.transfer(lender, &operator, &UNIT)
    });
    row(t, f, "transfer_from", "on allowance", || {
        v.transfer_from(&operator, lender, &operator, &UNIT)
    });
    row(t, f, "burn", "forfeit to reserve", || {
        v.burn(&operator, &UNIT)
    });
    row(t, f, "burn_from", "on allowance", || {
        v.burn_from(&operator, lender, &UNIT)
    });
}

fn credit_rows(t: &mut Table, f: &VaultFixture) {
    let v = &f.vault;
    let b = &f.borrower;
    row(t, f, "borrow", "to the borrower", || {
        v.borrow(&(100 * UNIT), b)
    });
    row(t, f, "repay", "partial, by the borrower", || {
        v.repay(b, &(100 * UNIT))
    });
    row(t, f, "write_off", "partial", || v.write_off(&UNIT));
}

fn view_rows(t: &mut Table, f: &VaultFixture, lender: &Address) {
    let v = &f.vault;
    row(t, f, "total_assets", "accrues in memory", || {
        v.total_assets()
    });
    row(t, f, "total_supply", "", || v.total_supply());
    row(t, f, "total_debt", "accrues in memory", || v.total_debt());
    row(t, f, "debt_index", "accrues in memory", || v.debt_index());
    row(t, f, "pool_state", "accrues in memory", || v.pool_state());
    row(t, f, "config", "", || v.config());
    row(t, f, "query_asset", "", || v.query_asset());
    row(t, f, "convert_to_shares", "", || v.convert_to_shares(&UNIT));
    row(t, f, "convert_to_assets", "", || v.convert_to_assets(&UNIT));
    row(t, f, "max_deposit", "", || v.max_deposit(lender));
    row(t, f, "max_mint", "", || v.max_mint(lender));
    row(t, f, "max_withdraw", "", || v.max_withdraw(lender));
    row(t, f, "max_redeem", "", || v.max_redeem(lender));
    row(t, f, "preview_deposit", "", || v.preview_deposit(&UNIT));
    row(t, f, "preview_mint", "", || v.preview_mint(&UNIT));
    row(t, f, "preview_withdraw", "", || v.preview_withdraw(&UNIT));
    row(t, f, "preview_redeem", "", || v.preview_redeem(&UNIT));
    row(t, f, "balance", "", || v.balance(lender));
    row(t, f, "allowance", "", || v.allowance(lender, &f.borrower));
    row(t, f, "decimals", "", || v.decimals());
    row(t, f, "name", "", || v.name());
    row(t, f, "symbol", "", || v.symbol());
}

fn governance_rows(t: &mut Table, f: &VaultFixture) {
    let v = &f.vault;
    let params = default_params();
    let treasury = Address::generate(&f.env);
    row(t, f, "pause", "guardian, deposits and borrows", || {
        v.pause(&true, &true)
    });
    row(t, f, "unpause", "admin", || v.unpause(&true, &true));
    row(t, f, "queue_params", "", || v.queue_params(&params));
    f.advance(DELAY);
    row(t, f, "apply_params", "after the delay", || v.apply_params());
    row(t, f, "queue_claim_reserves", "", || {
        v.queue_claim_reserves(&UNIT, &treasury)
    });
    f.advance(DELAY);
    row(t, f, "apply_claim_reserves", "after the delay", || {
        v.apply_claim_reserves()
    });
    row(t, f, "queue_borrower", "", || v.queue_borrower(&treasury));
    row(t, f, "cancel_borrower", "", || v.cancel_borrower());
    let fresh = VaultFixture::deploy(params);
    let (_, cost) = Cost::measure(&fresh.env, || fresh.vault.set_borrower(&fresh.borrower));
    t.push("set_borrower", "first wiring", cost);
}

/// The vault table.
pub fn run() -> Table {
    let mut t = Table::new("vault");
    t.note(
        "One vault over a Stellar Asset Contract token, 20,000 lent, 10,000 borrowed; an hour \
         of interest accrues before every row, so state-changing rows include the accrual. \
         Targets (SPEC §10): `deposit` and `redeem` at most 940,000 CPU instructions and \
         1.48 MB of memory.",
    );
    let (f, lender) = live_vault();
    lender_rows(&mut t, &f, &lender);
    credit_rows(&mut t, &f);
    view_rows(&mut t, &f, &lender);
    governance_rows(&mut t, &f);
    t
}

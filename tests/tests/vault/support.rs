//! Helpers shared by the vault tests: state snapshots and invocation builders for `env.auths()`.

use protocol_tests::vault_fixture::VaultFixture;
use soroban_sdk::testutils::{
    AuthorizedFunction, AuthorizedInvocation, ContractEvents, Events as _,
};
use soroban_sdk::{Address, IntoVal, Symbol, Val, Vec};
use vault::PoolState;

/// Everything a failed call must leave unchanged: the pool totals, the asset balances and the
/// share balances of the addresses involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub pool: PoolState,
    pub assets: std::vec::Vec<i128>,
    pub shares: std::vec::Vec<i128>,
}

/// A snapshot of the vault and of `who` (the vault itself and the borrower are always included).
pub fn snapshot(f: &VaultFixture, who: &[&Address]) -> Snapshot {
    let mut all: std::vec::Vec<&Address> = who.to_vec();
    all.push(&f.vault_id);
    all.push(&f.borrower);
    Snapshot {
        pool: f.vault.pool_state(),
        assets: all.iter().map(|a| f.token.balance(a)).collect(),
        shares: all.iter().map(|a| f.vault.balance(a)).collect(),
    }
}

/// An authorized call of `function` on `contract` with `args` and sub-invocations `subs`.
pub fn call(
    f: &VaultFixture,
    contract: &Address,
    function: &str,
    args: Vec<Val>,
    subs: std::vec::Vec<AuthorizedInvocation>,
) -> AuthorizedInvocation {
    AuthorizedInvocation {
        function: AuthorizedFunction::Contract((
            contract.clone(),
            Symbol::new(&f.env, function),
            args,
        )),
        sub_invocations: subs,
    }
}

/// The asset `transfer(from, to, amount)` invocation.
pub fn asset_transfer(
    f: &VaultFixture,
    from: &Address,
    to: &Address,
    amount: i128,
) -> AuthorizedInvocation {
    let args = (from.clone(), to.clone(), amount).into_val(&f.env);
    call(f, &f.asset, "transfer", args, vec![])
}

/// Share price as an exact fraction `(total_assets + 1, total_supply + 1)`.
pub fn price(f: &VaultFixture) -> (i128, i128) {
    (f.vault.total_assets() + 1, f.vault.total_supply() + 1)
}

/// Whether price `a` is at least price `b` (cross-multiplied exactly in 256 bits).
pub fn price_at_least(a: (i128, i128), b: (i128, i128)) -> bool {
    wide(a.0 as u128, b.1 as u128) >= wide(b.0 as u128, a.1 as u128)
}

/// The exact product `x * y` as `(high, low)`.
fn wide(x: u128, y: u128) -> (u128, u128) {
    let (x0, x1) = (x as u64 as u128, x >> 64);
    let (y0, y1) = (y as u64 as u128, y >> 64);
    let (ll, lh, hl, hh) = (x0 * y0, x0 * y1, x1 * y0, x1 * y1);
    let mid = (ll >> 64) + (lh as u64 as u128) + (hl as u64 as u128);
    let high = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
    (high, (ll as u64 as u128) | (mid << 64))
}

/// The events the vault published in the last invocation.
pub fn vault_events(f: &VaultFixture) -> ContractEvents {
    f.env.events().all().filter_by_contract(&f.vault_id)
}

//! amm-pool costs (SPEC §10): every entry point on the optimised WASM build with two Stellar Asset
//! Contract tokens, in the cases that differ in storage work (a provider entry created, updated
//! or removed).

use amm_pool::AmmPoolClient;
use soroban_sdk::testutils::Address as _;
use soroban_sdk::token::{StellarAssetClient, TokenClient};
use soroban_sdk::{Address, Env};

use super::{Cost, Table};
use crate::wasm;

/// 30 bps.
const FEE: i128 = 30_000;
/// One whole token at 7 decimals.
const UNIT: i128 = 10_000_000;

struct Bench {
    env: Env,
    pool: AmmPoolClient<'static>,
    a: Address,
    b: Address,
}

impl Bench {
    fn new() -> Self {
        let env = Env::default();
        env.mock_all_auths();
        let issuer = Address::generate(&env);
        let a = env
            .register_stellar_asset_contract_v2(issuer.clone())
            .address();
        let b = env.register_stellar_asset_contract_v2(issuer).address();
        let id = env.register(wasm::load("amm-pool").as_slice(), (&a, &b, FEE));
        Bench {
            pool: AmmPoolClient::new(&env, &id),
            env,
            a,
            b,
        }
    }

    /// A new account holding `amount` of both tokens.
    fn funded(&self, amount: i128) -> Address {
        let who = Address::generate(&self.env);
        StellarAssetClient::new(&self.env, &self.a).mint(&who, &amount);
        StellarAssetClient::new(&self.env, &self.b).mint(&who, &amount);
        who
    }

    fn add(&self, provider: &Address, a: i128, b: i128) -> Cost {
        Cost::measure(&self.env, || {
            self.pool.add_liquidity(provider, &a, &b, &0);
        })
        .1
    }
}

/// The table of amm-pool costs.
pub fn run() -> Table {
    let s = Bench::new();
    let size = wasm::load("amm-pool").len();
    let mut table = Table::new("amm-pool");
    table.note(format!(
        "Constant-product pool ({size} bytes of WASM) of two Stellar Asset Contract tokens, \
         30 bps fee, reserves of 1,000,000 and 4,000,000 whole tokens (7 decimals). \
         `swap_exact_in` is measured after the caller's payment (a separate transfer, not \
         counted); `swap` includes the pull."
    ));
    let lp = s.funded(10_000_000 * UNIT);
    let cost = s.add(&lp, 1_000_000 * UNIT, 4_000_000 * UNIT);
    table.push("add_liquidity", "first deposit", cost);
    let cost = s.add(&lp, 1_000 * UNIT, 4_000 * UNIT);
    table.push(
        "add_liquidity",
        "later deposit, provider holds shares",
        cost,
    );
    let second = s.funded(10_000 * UNIT);
    let cost = s.add(&second, 1_000 * UNIT, 4_000 * UNIT);
    table.push("add_liquidity", "later deposit, new provider", cost);

    let (_, cost) = Cost::measure(&s.env, || s.pool.quote_exact_in(&s.a, &(100 * UNIT)));
    table.push("quote_exact_in", "100 tokens", cost);

    let trader = s.funded(1_000 * UNIT);
    TokenClient::new(&s.env, &s.a).transfer(&trader, &s.pool.address, &(100 * UNIT));
    let (_, cost) = Cost::measure(&s.env, || {
        s.pool.swap_exact_in(&s.a, &s.b, &(100 * UNIT), &0, &trader)
    });
    table.push("swap_exact_in", "paid first, to an existing holder", cost);
    let (_, cost) = Cost::measure(&s.env, || {
        s.pool.swap(&trader, &s.b, &s.a, &(100 * UNIT), &0, &trader)
    });
    table.push("swap", "pulls the input", cost);

    let shares = s.pool.shares(&second);
    let (_, cost) = Cost::measure(&s.env, || {
        s.pool.remove_liquidity(&second, &(shares / 2), &0, &0)
    });
    table.push("remove_liquidity", "part of a position", cost);
    let (_, cost) = Cost::measure(&s.env, || {
        s.pool
            .remove_liquidity(&second, &(shares - shares / 2), &0, &0)
    });
    table.push("remove_liquidity", "whole position (entry removed)", cost);
    table
}

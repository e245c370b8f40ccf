//! The constant-product pool on its optimised WASM build (SPEC §6.4), with Stellar Asset
//! Contract tokens: construction, liquidity, swaps (paid first and pulled), the payment check,
//! bad inputs, the constant product over random swaps, and the benchmark.
//!
//! Expected amounts are written as the pool's formulas (crate docs of `amm_pool`):
//! `fee_paid = ceil(amount_in * fee)`, `out = floor(r_out * net / (r_in + net))`.

#[path = "amm_pool/liquidity.rs"]
mod liquidity;
#[path = "amm_pool/props.rs"]
mod props;
#[path = "amm_pool/swap.rs"]
mod swap;

use amm_pool::{AmmPoolClient, Error};
use soroban_sdk::testutils::{Address as _, AuthorizedFunction, AuthorizedInvocation, Events as _};
use soroban_sdk::token::{StellarAssetClient, TokenClient};
use soroban_sdk::{xdr, Address, Env, IntoVal, Symbol, Val, Vec};

/// 30 bps as a 7-decimal ratio.
pub const FEE: i128 = 30_000;

pub struct PoolFixture {
    pub env: Env,
    pub id: Address,
    pub pool: AmmPoolClient<'static>,
    pub token_a: TokenClient<'static>,
    pub token_b: TokenClient<'static>,
    /// The first liquidity provider.
    pub lp: Address,
    pub trader: Address,
}

/// Everything a failed call must leave as it was.
#[derive(Debug, PartialEq, Eq)]
pub struct Books {
    pub reserves: (i128, i128),
    pub total_shares: i128,
    pub lp_shares: i128,
    pub pool_balances: (i128, i128),
    pub lp_balances: (i128, i128),
    pub trader_balances: (i128, i128),
}

impl PoolFixture {
    /// An empty pool with `fee`, every auth mocked.
    pub fn new(fee: i128) -> Self {
        let env = Env::default();
        env.mock_all_auths();
        let issuer = Address::generate(&env);
        let token_a = env
            .register_stellar_asset_contract_v2(issuer.clone())
            .address();
        let token_b = env.register_stellar_asset_contract_v2(issuer).address();
        let id = deploy(&env, &token_a, &token_b, fee);
        PoolFixture {
            pool: AmmPoolClient::new(&env, &id),
            token_a: TokenClient::new(&env, &token_a),
            token_b: TokenClient::new(&env, &token_b),
            lp: Address::generate(&env),
            trader: Address::generate(&env),
            id,
            env,
        }
    }

    /// A pool with `fee` holding `(a, b)` from `lp`.
    pub fn seeded(fee: i128, a: i128, b: i128) -> Self {
        let f = Self::new(fee);
        f.mint_a(&f.lp, a);
        f.mint_b(&f.lp, b);
        f.pool.add_liquidity(&f.lp, &a, &b, &0);
        f
    }

    pub fn a(&self) -> Address {
        self.token_a.address.clone()
    }

    pub fn b(&self) -> Address {
        self.token_b.address.clone()
    }

    pub fn mint_a(&self, to: &Address, amount: i128) {
        StellarAssetClient::new(&self.env, &self.a()).mint(to, &amount);
    }

    pub fn mint_b(&self, to: &Address, amount: i128) {
        StellarAssetClient::new(&self.env, &self.b()).mint(to, &amount);
    }

    /// `from` transfers `amount` of `token` to the pool (the pay-first half of a swap).
    pub fn pay(&self, from: &Address, token: &Address, amount: i128) {
        TokenClient::new(&self.env, token).transfer(from, &self.id, &amount);
    }

    pub fn balances(&self, who: &Address) -> (i128, i128) {
        (self.token_a.balance(who), self.token_b.balance(who))
    }

    pub fn books(&self) -> Books {
        Books {
            reserves: self.pool.reserves(),
            total_shares: self.pool.total_shares(),
            lp_shares: self.pool.shares(&self.lp),
            pool_balances: self.balances(&self.id),
            lp_balances: self.balances(&self.lp),
            trader_balances: self.balances(&self.trader),
        }
    }

    /// The events the pool published in the last call.
    pub fn events(&self) -> std::vec::Vec<xdr::ContractEvent> {
        self.env
            .events()
            .all()
            .filter_by_contract(&self.id)
            .events()
            .to_vec()
    }

    /// `contract.fn_name(args)` as an authorised invocation with `subs` below it.
    pub fn invocation(
        &self,
        contract: &Address,
        fn_name: &str,
        args: Vec<Val>,
        subs: std::vec::Vec<AuthorizedInvocation>,
    ) -> AuthorizedInvocation {
        AuthorizedInvocation {
            function: AuthorizedFunction::Contract((
                contract.clone(),
                Symbol::new(&self.env, fn_name),
                args,
            )),
            sub_invocations: subs,
        }
    }

    /// `token.transfer(from, to, amount)` as an authorised invocation.
    pub fn transfer(
        &self,
        token: &Address,
        from: &Address,
        to: &Address,
        amount: i128,
    ) -> AuthorizedInvocation {
        let args = (from, to, amount).into_val(&self.env);
        self.invocation(token, "transfer", args, std::vec![])
    }
}

/// Deploys the pool's WASM build for `(token_a, token_b, fee)`.
pub fn deploy(env: &Env, token_a: &Address, token_b: &Address, fee: i128) -> Address {
    env.register(
        protocol_tests::wasm::load("amm-pool").as_slice(),
        (token_a, token_b, fee),
    )
}

/// `ceil(amount_in * fee / 1.0)`: the fee a swap keeps.
pub fn fee_on(amount_in: i128, fee: i128) -> i128 {
    (amount_in * fee + amm_pool::FEE_ONE - 1) / amm_pool::FEE_ONE
}

/// Asserts a `try_*` call failed with the pool error `expected`.
#[track_caller]
pub fn assert_error<T: core::fmt::Debug, C: core::fmt::Debug>(
    result: Result<Result<T, C>, Result<Error, soroban_sdk::InvokeError>>,
    expected: Error,
) {
    match result {
        Err(Ok(e)) => assert_eq!(e, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

#[test]
fn bench_runs_and_renders() {
    let table = protocol_tests::bench::amm::run();
    let md = table.render();
    assert!(md.contains("swap_exact_in"));
    for row in &table.rows {
        assert!(row.cost.instructions > 0, "{}", row.case);
    }
    println!("{md}");
}

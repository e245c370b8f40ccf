//! The whole protocol deployed from its optimised WASM builds in one `Env::default()` (mainnet
//! limits), wired as SPEC §1: Stellar asset tokens, one mock feed per token, oracle-adapter, one
//! vault per token with margin-account as its borrower, margin-account with every token listed,
//! and constant-product AMM pools listed as venues. Lenders have funded every vault.
//!
//! Auths are mocked (`mock_all_auths`); tests assert them with `env.auths()`.

use margin_account::{AssetConfig, AssetMode, MarginAccountClient, Params};
use oracle_adapter::{Feed, SourceConfig};
use sep40::{Asset, PriceData};
use soroban_sdk::testutils::{
    Address as _, AuthorizedFunction, AuthorizedInvocation, ContractEvents, Events as _,
};
use soroban_sdk::token::{StellarAssetClient, TokenClient};
use soroban_sdk::{vec, Address, Env, IntoVal, Map, String, Symbol, Val, Vec};
use vault::VaultClient;

use crate::fixture::{OracleFixture, ADAPTER_DECIMALS, DELAY, RESOLUTION};
use crate::vault_fixture::default_params;
use crate::wasm;

pub use crate::fixture::RATIO_ONE;

/// One US dollar at the adapter's 14 decimals.
pub const USD: i128 = 100_000_000_000_000;
/// One whole token of a Stellar asset contract (7 decimals).
pub const UNIT: i128 = 10_000_000;
/// One dollar of value at the 7-decimal ABI scale (`min_debt_value`, health sums).
pub const ABI_USD: i128 = 10_000_000;
/// Feed `max_age` in the fixture (seconds).
pub const MAX_AGE: u64 = 600;
/// AMM swap fee: 30 bps.
pub const POOL_FEE: i128 = 30_000;
/// What each vault's lender deposits (whole tokens).
pub const LENDER_TOKENS: i128 = 1_000_000;

/// The fixture's asset config: weights 0.8 / 0.9 / 1.2 / 1.1, 5 % penalty, 10 USD minimum debt,
/// 2 % trade slippage, no caps, `Active`.
pub fn default_config(vault: &Address) -> AssetConfig {
    AssetConfig {
        vault: vault.clone(),
        asset_weight_init: RATIO_ONE * 8 / 10,
        asset_weight_maint: RATIO_ONE * 9 / 10,
        liab_weight_init: RATIO_ONE * 12 / 10,
        liab_weight_maint: RATIO_ONE * 11 / 10,
        liquidation_penalty: RATIO_ONE / 20,
        min_debt_value: 10 * ABI_USD,
        max_trade_slippage: RATIO_ONE / 50,
        deposit_cap: i128::MAX,
        borrow_cap: i128::MAX,
        mode: AssetMode::Active,
    }
}

/// The fixture's global parameters: 16 positions, 7-day ramps, 1 h cache refresh.
pub fn default_params_margin() -> Params {
    Params {
        max_positions: margin_account::DEFAULT_MAX_POSITIONS,
        ramp_duration: margin_account::DEFAULT_RAMP_DURATION,
        sync_interval: margin_account::DEFAULT_SYNC_INTERVAL,
    }
}

/// The deployed protocol.
pub struct Protocol<'a> {
    pub env: Env,
    pub oracle: OracleFixture<'a>,
    pub admin: Address,
    pub guardian: Address,
    pub tokens: std::vec::Vec<Address>,
    pub feeds: std::vec::Vec<Address>,
    /// Current price of each token (adapter decimals), re-published by [`Protocol::refresh`].
    pub prices: std::vec::Vec<i128>,
    pub vaults: std::vec::Vec<VaultClient<'a>>,
    pub margin: MarginAccountClient<'a>,
    /// AMM pools `(token i, token j, pool)`, listed as venues.
    pub pools: std::vec::Vec<(usize, usize, Address)>,
}

impl<'a> Protocol<'a> {
    /// `prices.len()` tokens at `prices` (adapter decimals), listed with [`default_config`], and
    /// an AMM pool for each pair in `pools`, seeded at the oracle ratio with `pool_depth` whole
    /// tokens of the first token.
    pub fn new(prices: &[i128], pools: &[(usize, usize)], pool_depth: i128) -> Self {
        let oracle = OracleFixture::new(prices.len());
        let env = oracle.env.clone();
        let (admin, guardian) = (oracle.admin.clone(), oracle.guardian.clone());
        let tokens = oracle.tokens.clone();
        let feeds = list_sources(&oracle);
        let vaults: std::vec::Vec<VaultClient<'a>> = tokens
            .iter()
            .map(|t| deploy_vault(&env, &admin, &guardian, t))
            .collect();
        let args = (
            admin.clone(),
            guardian.clone(),
            DELAY,
            oracle.adapter.address.clone(),
            default_params_margin(),
        );
        let margin_id = env.register(wasm::load("margin-account").as_slice(), args);
        let margin = MarginAccountClient::new(&env, &margin_id);
        // The adapter announces trips and source changes to margin-account's quote cache.
        oracle.adapter.set_subscriber(&margin_id);
        for (t, v) in tokens.iter().zip(&vaults) {
            v.set_borrower(&margin_id);
            margin.queue_asset(t, &default_config(&v.address));
        }
        let mut p = Protocol {
            env,
            oracle,
            admin,
            guardian,
            tokens,
            feeds,
            prices: prices.to_vec(),
            vaults,
            margin,
            pools: std::vec::Vec::new(),
        };
        for &(i, j) in pools {
            let pool = p.deploy_pool(i, j, pool_depth);
            p.margin.queue_venue(&pool, &true);
            p.pools.push((i, j, pool));
        }
        p.oracle.advance(DELAY);
        for t in &p.tokens {
            p.margin.apply_asset(t);
        }
        for (_, _, pool) in &p.pools {
            p.margin.apply_venue(pool);
        }
        for i in 0..p.tokens.len() {
            let lender = p.funded(i, LENDER_TOKENS * UNIT);
            p.vaults[i].deposit(&(LENDER_TOKENS * UNIT), &lender, &lender, &lender);
        }
        p.refresh();
        p.fresh_budget();
        p
    }

    /// Resets the budget, unlimited. The test host meters every invocation of an `Env` against
    /// one budget, and charges its own diagnostics (debug events with every call's arguments) to
    /// a shadow budget with the same limits, which a `submit` with a trade exceeds although the
    /// call itself uses a tenth of them. So functional tests run unlimited, and the benchmark
    /// (`bench::margin`) measures every call and compares it with the network's limits.
    pub fn fresh_budget(&self) {
        self.env.cost_estimate().budget().reset_unlimited();
    }

    /// Two tokens at 1 USD and 2 USD with one deep pool between them.
    pub fn two_assets() -> Self {
        Self::new(&[USD, 2 * USD], &[(0, 1)], 1_000_000)
    }

    /// `n` tokens at 1 USD, no pool.
    pub fn uniform(n: usize) -> Self {
        Self::new(&std::vec![USD; n], &[], 0)
    }

    fn deploy_pool(&self, i: usize, j: usize, depth: i128) -> Address {
        let args = (self.tokens[i].clone(), self.tokens[j].clone(), POOL_FEE);
        let pool = self.env.register(wasm::load("amm-pool").as_slice(), args);
        let a = depth * UNIT;
        let b = a * self.prices[i] / self.prices[j];
        let lp = Address::generate(&self.env);
        self.mint(i, &lp, a);
        self.mint(j, &lp, b);
        amm_pool::AmmPoolClient::new(&self.env, &pool).add_liquidity(&lp, &a, &b, &0);
        pool
    }

    /// The venue between tokens `i` and `j`.
    pub fn pool(&self, i: usize, j: usize) -> Address {
        self.pools
            .iter()
            .find(|(a, b, _)| (*a, *b) == (i, j) || (*a, *b) == (j, i))
            .map(|(_, _, p)| p.clone())
            .expect("no pool for this pair")
    }

    pub fn now(&self) -> u64 {
        self.oracle.now()
    }

    /// Re-publishes every token's current price at the current time (feeds stay fresh).
    pub fn refresh(&self) {
        let now = self.now();
        for (i, token) in self.tokens.iter().enumerate() {
            let record = PriceData {
                price: self.prices[i],
                timestamp: now,
            };
            self.oracle
                .feed(&self.feeds[i])
                .set_records(&Asset::Stellar(token.clone()), &vec![&self.env, record]);
        }
    }

    /// Moves time forward by `seconds` and re-publishes the prices (fresh quotes).
    pub fn advance(&self, seconds: u64) {
        self.oracle.advance(seconds);
        self.refresh();
        self.fresh_budget();
    }

    /// Moves time forward by `seconds` without publishing: prices may go stale.
    pub fn advance_stale(&self, seconds: u64) {
        self.oracle.advance(seconds);
    }

    /// Sets token `i`'s price and publishes all prices one resolution later (the adapter serves
    /// a cached quote within a resolution interval).
    pub fn set_price(&mut self, i: usize, price: i128) {
        self.prices[i] = price;
        self.advance(RESOLUTION as u64);
    }

    pub fn token(&self, i: usize) -> TokenClient<'a> {
        TokenClient::new(&self.env, &self.tokens[i])
    }

    pub fn mint(&self, i: usize, to: &Address, amount: i128) {
        StellarAssetClient::new(&self.env, &self.tokens[i]).mint(to, &amount);
    }

    /// A new address holding `amount` of token `i`.
    pub fn funded(&self, i: usize, amount: i128) -> Address {
        let who = Address::generate(&self.env);
        self.mint(i, &who, amount);
        who
    }

    /// The tokens `[i, ...]` as a soroban `Vec`.
    pub fn token_vec(&self, idx: &[usize]) -> Vec<Address> {
        let mut out = Vec::new(&self.env);
        for &i in idx {
            out.push_back(self.tokens[i].clone());
        }
        out
    }

    /// Queues `config` for token `i`, waits the delay, applies it (prices re-published).
    pub fn reconfigure(&self, i: usize, config: &AssetConfig) {
        self.margin.queue_asset(&self.tokens[i], config);
        self.advance(DELAY);
        self.margin.apply_asset(&self.tokens[i]);
    }

    /// Token `i`'s balance of `who`.
    pub fn balance(&self, i: usize, who: &Address) -> i128 {
        self.token(i).balance(who)
    }
}

/// One 14-decimal mock feed per token, sources applied (max_jump 100 %, so tests may move prices
/// freely; max_age [`MAX_AGE`]).
fn list_sources(o: &OracleFixture) -> std::vec::Vec<Address> {
    let feeds: std::vec::Vec<Address> = o
        .tokens
        .iter()
        .map(|_| o.new_feed(ADAPTER_DECIMALS, RESOLUTION))
        .collect();
    for (token, feed) in o.tokens.iter().zip(&feeds) {
        let config = SourceConfig {
            feeds: vec![
                &o.env,
                Feed {
                    contract: feed.clone(),
                    asset: Asset::Stellar(token.clone()),
                },
            ],
            max_age: MAX_AGE,
            max_deviation: RATIO_ONE / 50,
            twap_records: 0,
            max_jump: RATIO_ONE,
            jump_confirm: 900,
        };
        o.adapter.queue_source(token, &config);
    }
    o.advance(DELAY);
    for token in &o.tokens {
        o.adapter.apply_source(token);
    }
    feeds
}

fn deploy_vault<'a>(
    env: &Env,
    admin: &Address,
    guardian: &Address,
    token: &Address,
) -> VaultClient<'a> {
    let args = (
        admin.clone(),
        guardian.clone(),
        DELAY,
        token.clone(),
        String::from_str(env, "Vault"),
        String::from_str(env, "vTKN"),
        default_params(),
    );
    let id = env.register(wasm::load("vault").as_slice(), args);
    VaultClient::new(env, &id)
}

/// Everything a failed call must leave unchanged: balances of the given addresses, of the vaults
/// and of margin-account in every token, the vaults' totals and the accounts' positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Books {
    pub balances: std::vec::Vec<std::vec::Vec<i128>>,
    pub vault_states: std::vec::Vec<vault::PoolState>,
    pub positions: std::vec::Vec<Option<Map<Address, i128>>>,
}

impl Protocol<'_> {
    /// The books seen from `who` and the accounts `accounts`.
    pub fn books(&self, who: &[&Address], accounts: &[(&Address, u32)]) -> Books {
        let mut holders: std::vec::Vec<Address> = who.iter().map(|a| (*a).clone()).collect();
        holders.push(self.margin.address.clone());
        holders.extend(self.vaults.iter().map(|v| v.address.clone()));
        holders.extend(self.pools.iter().map(|(_, _, p)| p.clone()));
        Books {
            balances: (0..self.tokens.len())
                .map(|i| holders.iter().map(|h| self.balance(i, h)).collect())
                .collect(),
            vault_states: self.vaults.iter().map(|v| v.pool_state()).collect(),
            positions: accounts
                .iter()
                .map(|(o, id)| {
                    self.margin
                        .try_position_shares(o, id)
                        .ok()
                        .and_then(|r| r.ok())
                })
                .collect(),
        }
    }

    /// The events margin-account published in the last invocation.
    pub fn margin_events(&self) -> ContractEvents {
        self.env
            .events()
            .all()
            .filter_by_contract(&self.margin.address)
    }

    /// An authorised call of `function` on `contract` with `args` and sub-invocations `subs`.
    pub fn call(
        &self,
        contract: &Address,
        function: &str,
        args: Vec<Val>,
        subs: std::vec::Vec<AuthorizedInvocation>,
    ) -> AuthorizedInvocation {
        AuthorizedInvocation {
            function: AuthorizedFunction::Contract((
                contract.clone(),
                Symbol::new(&self.env, function),
                args,
            )),
            sub_invocations: subs,
        }
    }

    /// Token `i`'s `transfer(from, to, amount)` as an authorised invocation.
    pub fn transfer_call(
        &self,
        i: usize,
        from: &Address,
        to: &Address,
        amount: i128,
    ) -> AuthorizedInvocation {
        let args = (from.clone(), to.clone(), amount).into_val(&self.env);
        self.call(&self.tokens[i], "transfer", args, std::vec![])
    }

    /// An owner funded with `amount` of token `i` who deposited it into account `id`.
    pub fn account_with(&self, i: usize, amount: i128, id: u32) -> Address {
        let owner = self.funded(i, amount);
        self.margin.deposit(&owner, &id, &self.tokens[i], &amount);
        owner
    }
}

/// Asserts a collateral-side 7-decimal value: at most `expected`, and less only by the binary
/// rounding of the weights (a few units of the last decimal).
pub fn assert_floor(actual: i128, expected: i128) {
    assert!(
        actual <= expected && actual >= expected - 4,
        "{actual} is not floor({expected})"
    );
}

/// Asserts a liability-side 7-decimal value: at least `expected`, more only by rounding.
pub fn assert_ceil(actual: i128, expected: i128) {
    assert!(
        actual >= expected && actual <= expected + 4,
        "{actual} is not ceil({expected})"
    );
}

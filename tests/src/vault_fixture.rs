//! One vault deployed from its optimised WASM over a Stellar Asset Contract token, inside one
//! `Env::default()` (mainnet limits), with an admin, a guardian and a plain address registered as
//! the borrower (margin-account stands in as an ordinary account in these tests).
//!
//! Auths are mocked (`mock_all_auths`) so that tests can assert `env.auths()` exactly.

use soroban_sdk::testutils::{Address as _, Ledger as _};
use soroban_sdk::token::{StellarAssetClient, TokenClient};
use soroban_sdk::{Address, Env, String};
use vault::{PoolState, VaultClient, VaultParams};

use crate::wasm;

/// Ledger time the fixture starts at.
pub const START_TIME: u64 = 1_750_000_000;
/// Ledger sequence the fixture starts at.
pub const START_LEDGER: u32 = 1_000_000;
/// Timelock delay (governance's floor, 24 h).
pub const DELAY: u64 = governance::MIN_DELAY;
/// 1.0 as a 7-decimal ratio.
pub const RATIO_ONE: i128 = 10_000_000;
/// One whole token of the 7-decimal SAC.
pub const UNIT: i128 = 10_000_000;

/// A vault, its asset, and the roles around it.
pub struct VaultFixture<'a> {
    pub env: Env,
    pub admin: Address,
    pub guardian: Address,
    /// The registered borrower (a plain address standing in for margin-account).
    pub borrower: Address,
    pub asset: Address,
    pub token: TokenClient<'a>,
    pub vault_id: Address,
    pub vault: VaultClient<'a>,
}

/// Default parameters: 2 % base, +8 % to an 80 % kink, +100 % above it, 10 % reserve factor,
/// 95 % max utilization, no caps.
pub fn default_params() -> VaultParams {
    VaultParams {
        base_rate: RATIO_ONE / 50,
        slope1: RATIO_ONE * 8 / 100,
        kink: RATIO_ONE * 8 / 10,
        slope2: RATIO_ONE,
        reserve_factor: RATIO_ONE / 10,
        max_utilization: RATIO_ONE * 95 / 100,
        deposit_cap: i128::MAX,
        borrow_cap: i128::MAX,
    }
}

impl<'a> VaultFixture<'a> {
    /// A vault with [`default_params`] and the borrower registered.
    pub fn new() -> Self {
        Self::with_params(default_params())
    }

    /// A vault with `params` and the borrower registered (first-wiring `set_borrower`).
    pub fn with_params(params: VaultParams) -> Self {
        let f = Self::deploy(params);
        f.vault.set_borrower(&f.borrower);
        f
    }

    /// A vault with `params` and no borrower.
    pub fn deploy(params: VaultParams) -> Self {
        let env = Env::default();
        env.mock_all_auths();
        env.ledger().set_timestamp(START_TIME);
        env.ledger().set_sequence_number(START_LEDGER);
        let admin = Address::generate(&env);
        let guardian = Address::generate(&env);
        let borrower = Address::generate(&env);
        let asset = env
            .register_stellar_asset_contract_v2(admin.clone())
            .address();
        let args = (
            admin.clone(),
            guardian.clone(),
            DELAY,
            asset.clone(),
            String::from_str(&env, "Vault USDC"),
            String::from_str(&env, "vUSDC"),
            params,
        );
        let vault_id = env.register(wasm::load("vault").as_slice(), args);
        VaultFixture {
            token: TokenClient::new(&env, &asset),
            vault: VaultClient::new(&env, &vault_id),
            env,
            admin,
            guardian,
            borrower,
            asset,
            vault_id,
        }
    }

    /// Mints `amount` of the asset to `to`.
    pub fn fund(&self, to: &Address, amount: i128) {
        StellarAssetClient::new(&self.env, &self.asset).mint(to, &amount);
    }

    /// A new address holding `amount` of the asset.
    pub fn funded(&self, amount: i128) -> Address {
        let who = Address::generate(&self.env);
        self.fund(&who, amount);
        who
    }

    /// A new lender who deposited `amount` (for themselves); returns the lender and the shares.
    pub fn lender(&self, amount: i128) -> (Address, i128) {
        let lender = self.funded(amount);
        let shares = self.vault.deposit(&amount, &lender, &lender, &lender);
        (lender, shares)
    }

    /// The borrower draws `amount` to itself.
    pub fn borrow(&self, amount: i128) -> i128 {
        self.vault.borrow(&amount, &self.borrower)
    }

    /// Moves the ledger clock forward by `seconds`. The sequence stays put, so entries are not
    /// archived across simulated years (interest depends on time only).
    pub fn advance(&self, seconds: u64) {
        let now = self.env.ledger().timestamp();
        self.env.ledger().set_timestamp(now + seconds);
    }

    /// The pool totals accrued to now.
    pub fn state(&self) -> PoolState {
        self.vault.pool_state()
    }

    /// The asset balance of `who`.
    pub fn cash_of(&self, who: &Address) -> i128 {
        self.token.balance(who)
    }
}

impl Default for VaultFixture<'_> {
    fn default() -> Self {
        Self::new()
    }
}

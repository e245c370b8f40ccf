//! A malicious token listed by governance (issue #6): a token whose `transfer` reports success
//! without moving anything, as the second asset of a two-asset protocol next to an honest
//! Stellar Asset Contract token. These tests state what it can do (a deposit credited with no
//! token arriving, then a borrow of the honest asset against it) and what stops it (no oracle
//! price, no borrowing power). The trust assumption they support is in SECURITY.md.

use margin_account::Error as MarginError;
use protocol_tests::fixture::{ADAPTER_DECIMALS, DELAY, RESOLUTION};
use protocol_tests::protocol_fixture::{
    assert_floor, default_config, Protocol, ABI_USD, RATIO_ONE, UNIT, USD,
};
use protocol_tests::vault_fixture::default_params;
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{contract, contractimpl, Address, Env, String};
use vault::VaultClient;

/// A token that lies about its transfers: `transfer` and `transfer_from` check the payer's auth
/// and balance, as a real token would, then return success without moving anything. `balance`
/// tells the truth about its own books, so the lie shows: a payer keeps what it paid.
#[contract]
pub struct LyingToken;

#[contractimpl]
impl LyingToken {
    /// Open minting: the attacker deployed the token and prints its own balance.
    pub fn mint(env: Env, to: Address, amount: i128) {
        let b = Self::balance(env.clone(), to.clone());
        env.storage().instance().set(&to, &(b + amount));
    }

    pub fn balance(env: Env, id: Address) -> i128 {
        env.storage().instance().get(&id).unwrap_or(0)
    }

    /// Succeeds if `from` signed and holds `amount`; moves nothing.
    pub fn transfer(env: Env, from: Address, _to: Address, amount: i128) {
        from.require_auth();
        assert!(Self::balance(env, from) >= amount, "insufficient balance");
    }

    /// As `transfer`, for a spender.
    pub fn transfer_from(env: Env, spender: Address, from: Address, _to: Address, amount: i128) {
        spender.require_auth();
        assert!(Self::balance(env, from) >= amount, "insufficient balance");
    }

    pub fn allowance(_env: Env, _from: Address, _spender: Address) -> i128 {
        i128::MAX
    }

    pub fn decimals(_env: Env) -> u32 {
        7
    }

    pub fn name(env: Env) -> String {
        String::from_str(&env, "Liar")
    }

    pub fn symbol(env: Env) -> String {
        String::from_str(&env, "LIE")
    }
}

/// What each deposit of the lying token moves on paper (whole tokens).
const PAID: i128 = 100_000;

/// The protocol with one honest token (index 0, 1 USD, its vault funded with 1,000,000 tokens by
/// a lender) and the lying token listed through the timelocks as index 1: its own feed at 1 USD
/// on the adapter, its own vault with margin-account as borrower, the fixture's asset config.
fn protocol_with_a_lying_token<'a>() -> (Protocol<'a>, LyingTokenClient<'a>) {
    let mut p = Protocol::new(&[USD], &[], 0);
    let env = p.env.clone();
    let liar = LyingTokenClient::new(&env, &env.register(LyingToken, ()));
    let feed = p.oracle.new_feed(ADAPTER_DECIMALS, RESOLUTION);
    p.oracle
        .adapter
        .queue_source(&liar.address, &p.oracle.config(&liar.address, &[&feed]));
    let args = (
        p.admin.clone(),
        p.guardian.clone(),
        DELAY,
        liar.address.clone(),
        String::from_str(&env, "Vault"),
        String::from_str(&env, "vLIE"),
        default_params(),
    );
    let vault = VaultClient::new(
        &env,
        &env.register(protocol_tests::wasm::load("vault").as_slice(), args),
    );
    vault.set_borrower(&p.margin.address);
    p.margin
        .queue_asset(&liar.address, &default_config(&vault.address));
    p.tokens.push(liar.address.clone());
    p.feeds.push(feed);
    p.prices.push(USD);
    p.vaults.push(vault);
    p.advance(DELAY);
    p.oracle.adapter.apply_source(&liar.address);
    p.margin.apply_asset(&liar.address);
    p.refresh();
    p.fresh_budget();
    (p, liar)
}

/// An attacker holding `PAID` lying tokens deposits them `times` times into account 0.
fn deposit_repeatedly(p: &Protocol, liar: &LyingTokenClient, times: i128) -> Address {
    let attacker = Address::generate(&p.env);
    liar.mint(&attacker, &(PAID * UNIT));
    for _ in 0..times {
        p.margin
            .deposit(&attacker, &0, &liar.address, &(PAID * UNIT));
    }
    attacker
}

/// The lying token, priced by an honest feed, drains the honest asset's lenders: 15 deposits of
/// the same 100,000 tokens are credited as 1,500,000 tokens of collateral (the vault mints shares
/// for a `transfer` that moved nothing and never reads its balance), and that collateral borrows
/// the honest vault down to its 95 % utilization cap. The attacker leaves with 950,000 honest
/// tokens and still holds its 100,000 lying ones; the honest vault is left with 50,000 tokens of
/// cash against 1,000,000 owed to its lenders, and its only claim on the rest is a debt
/// backed by a vault that holds no token at all. The honest vault's own books stay true (cash
/// equals its token balance): the loss is a debt that will never be repaid, not a corrupted
/// ledger. No contract check stands in the way; governance's listing is the only guard.
/// (The lying collateral cannot be withdrawn: the token checks the vault's balance, which is 0.)
#[test]
fn a_token_that_lies_about_transfers_borrows_the_honest_asset_dry() {
    let (p, liar) = protocol_with_a_lying_token();
    let (honest, honest_vault, liar_vault) = (&p.tokens[0], &p.vaults[0], &p.vaults[1]);
    let attacker = deposit_repeatedly(&p, &liar, 15);

    // Shares minted without tokens arriving: the books say 1,500,000, the token says 0.
    assert_eq!(liar.balance(&attacker), PAID * UNIT);
    assert_eq!(liar.balance(&liar_vault.address), 0);
    assert_eq!(liar_vault.total_assets(), 15 * PAID * UNIT);
    assert_eq!(liar_vault.pool_state().cash, 15 * PAID * UNIT);
    let shares = liar_vault.balance(&p.margin.address);
    assert_eq!(
        p.margin
            .position_shares(&attacker, &0)
            .get(liar.address.clone()),
        Some(shares)
    );
    // 1,500,000 tokens at 1 USD and asset weight 0.8: 1,200,000 USD of borrowing power.
    let health = p.margin.health(&attacker, &0);
    assert_floor(health.assets_init, 1_200_000 * ABI_USD);
    assert_eq!(health.liabs_init, 0);

    // Cross-margin blast radius: the honest asset is borrowed to the vault's utilization cap.
    let lent = p.balance(0, &honest_vault.address);
    assert_eq!(lent, 1_000_000 * UNIT);
    let drained = lent * 95 / 100;
    p.margin.borrow(&attacker, &0, honest, &drained, &attacker);
    assert_eq!(p.balance(0, &attacker), drained);
    assert_eq!(p.balance(0, &honest_vault.address), lent - drained);
    let state = honest_vault.pool_state();
    assert_eq!(state.cash, lent - drained);
    assert_eq!(state.cash, p.balance(0, &honest_vault.address));
    assert!(
        honest_vault.total_assets() >= lent,
        "lenders are still owed all of it"
    );
    // One more token would exceed 95 % utilization: the vault refuses it (its error aborts the
    // call) though the account's health would allow it. The cap is the blast radius per vault.
    let r = p.margin.try_borrow(&attacker, &0, honest, &UNIT, &attacker);
    assert!(matches!(r, Err(Err(_))), "{r:?}");
    assert!(p.margin.health(&attacker, &0).init > RATIO_ONE);

    // The attacker has no need of its collateral back, and cannot have it: the lying vault
    // holds none of the token, whose own balance check refuses the vault's payout.
    let h = p.margin.health(&attacker, &0);
    let spare = (h.assets_init - h.liabs_init) * 10 / 8 / 2;
    let r = p
        .margin
        .try_withdraw(&attacker, &0, &liar.address, &spare, &attacker);
    assert!(matches!(r, Err(Err(_))), "{r:?}");
    assert_eq!(liar_vault.balance(&p.margin.address), shares);
    assert_eq!(p.balance(0, &attacker), drained);
}

/// The other guard is the lying token's oracle price: with its circuit breaker tripped the same 1,500,000 tokens credited on paper give no borrowing power, so the
/// honest asset cannot be borrowed against them and its lenders lose nothing. The lie still
/// reaches the lying asset's own books (shares minted for nothing), which is all it can do
/// without a price.
#[test]
fn without_a_price_the_lying_tokens_collateral_borrows_nothing() {
    let (p, liar) = protocol_with_a_lying_token();
    let (honest, liar_vault) = (p.tokens[0].clone(), &p.vaults[1]);
    let attacker = deposit_repeatedly(&p, &liar, 15);
    assert_eq!(liar_vault.total_assets(), 15 * PAID * UNIT);
    assert_eq!(liar.balance(&liar_vault.address), 0);

    p.oracle.adapter.trip(&p.guardian, &liar.address);
    let before = p.books(&[&attacker], &[(&attacker, 0)]);
    for tokens in [950_000 * UNIT, 20 * UNIT] {
        let r = p
            .margin
            .try_borrow(&attacker, &0, &honest, &tokens, &attacker);
        assert_eq!(r, Err(Ok(MarginError::PriceUnavailable)), "borrow {tokens}");
    }
    assert_eq!(p.books(&[&attacker], &[(&attacker, 0)]), before);
    assert_eq!(p.balance(0, &attacker), 0);
    assert_eq!(p.balance(0, &p.vaults[0].address), 1_000_000 * UNIT);
}

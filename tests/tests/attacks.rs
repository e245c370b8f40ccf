//! Known attacks replayed against the WASM builds, each asserting the defence (issue #6). The
//! first-depositor inflation attack on a vault is replayed in `tests/tests/vault/attack.rs`.

use liquidation_auction::Error as AuctionError;
use margin_account::{Error as MarginError, Params};
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::fixture::DELAY;
use protocol_tests::invariants::{self, Action};
use protocol_tests::protocol_fixture::{default_params_margin, Protocol, UNIT, USD};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{contract, contractimpl, symbol_short, Address, Bytes, Env};

/// Lists `venue` on margin-account through the timelock.
fn list_venue(p: &Protocol, venue: &Address) {
    p.margin.queue_venue(venue, &true);
    p.advance(DELAY);
    p.margin.apply_venue(venue);
}

/// YieldBlox, February 2026: a thin asset's only feed is pushed about 100x and the inflated
/// collateral borrows the pool dry. Here the jump trips the adapter's circuit breaker, so the
/// thin asset has no price and the account no borrowing power at all; the guardian trips the
/// breaker by hand before the move could be confirmed, and the borrow stays refused after.
#[test]
fn a_thin_assets_feed_pushed_100x_gives_no_borrowing_power() {
    let mut p = Protocol::new(&[USD, 2 * USD, USD / 2], &[(0, 1)], 1_000_000);
    let (thin, stable) = (p.tokens[2].clone(), p.tokens[1].clone());
    let attacker = p.account_with(2, 1_000 * UNIT, 0);
    // Before the push: 1,000 thin tokens (500 USD) borrow at most 333 USD at init weights.
    assert!(p.margin.health(&attacker, &0).assets_init > 0);

    p.set_price(2, 50 * USD);
    let before = p.books(&[&attacker], &[(&attacker, 0)]);
    // What the pushed price would lend (40,000 USD of collateral), and even a small borrow.
    for tokens in [10_000 * UNIT, 10 * UNIT] {
        let r = p
            .margin
            .try_borrow(&attacker, &0, &stable, &tokens, &attacker);
        assert_eq!(r, Err(Ok(MarginError::PriceUnavailable)), "borrow {tokens}");
    }
    assert_eq!(p.books(&[&attacker], &[(&attacker, 0)]), before);

    // The guardian trips the breaker while the move is unconfirmed; fresh records at the pushed
    // price for longer than `jump_confirm` (900 s) do not reopen it.
    p.oracle.adapter.trip(&p.guardian, &thin);
    for _ in 0..4 {
        p.advance(300);
    }
    let r = p
        .margin
        .try_borrow(&attacker, &0, &stable, &(10_000 * UNIT), &attacker);
    assert_eq!(r, Err(Ok(MarginError::PriceUnavailable)));
    assert_eq!(
        p.books(&[&attacker], &[(&attacker, 0)]).balances,
        before.balances
    );
    // Repaying and depositing stay open (SPEC §8): the attacker can only add collateral.
    p.mint(2, &attacker, UNIT);
    p.margin.deposit(&attacker, &0, &thin, &UNIT);
}

/// A pool pushed 10 % off the oracle by a large swap cannot be traded through: the realised
/// price would differ from the oracle's spot by more than `max_trade_slippage` (2 %).
#[test]
fn a_manipulated_amm_pool_cannot_be_traded_through() {
    let p = Protocol::two_assets();
    let (t0, t1, pool) = (p.tokens[0].clone(), p.tokens[1].clone(), p.pool(0, 1));
    let owner = p.account_with(0, 10_000 * UNIT, 0);
    let whale = p.funded(1, 60_000 * UNIT);
    // Selling token 1 into the pool makes token 0 dear there: buying 0 gets less than spot.
    let amm = amm_pool::AmmPoolClient::new(&p.env, &pool);
    amm.swap(&whale, &t1, &t0, &(60_000 * UNIT), &0, &whale);

    // The account borrows token 1 and sells it for token 0 through the skewed pool.
    let before = p.books(&[&owner, &whale], &[(&owner, 0)]);
    let r = p
        .margin
        .try_trade(&owner, &0, &t1, &t0, &(100 * UNIT), &0, &pool);
    assert_eq!(r, Err(Ok(MarginError::PriceDeviation)));
    assert_eq!(p.books(&[&owner, &whale], &[(&owner, 0)]), before);
}

/// Tip farming: a keeper starts an auction (paid once) and tries to be paid again by resetting
/// it at once; a reset is refused until `tail` has passed, and each reset pays at most once per
/// `tail`. Lenders pay nothing: every bonus comes out of the account's lot.
#[test]
fn tip_farming_by_repeated_start_and_reset_is_refused() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let lenders = f.p.vaults[1].total_assets();
    let aid = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    let tip = f.p.balance(0, &keeper);
    assert!(tip > 0, "the starting keeper is paid");

    // An immediate reset and a second start on the same pair pay nothing.
    let books = f.p.books(&[&keeper], &[(&owner, 0)]);
    assert_eq!(
        f.auction.try_reset(&keeper, &aid),
        Err(Ok(AuctionError::NotResettable))
    );
    let again = f.auction.try_start(&keeper, &owner, &0, &t0, &t1);
    assert!(matches!(again, Err(Ok(_))), "{again:?}");
    assert_eq!(f.p.books(&[&keeper], &[(&owner, 0)]), books);

    // After `tail` one reset is paid; the next immediate one is refused again.
    let tail = f.auction.params().tail;
    f.p.advance(tail + 1);
    f.auction.reset(&keeper, &aid);
    let paid = f.p.balance(0, &keeper);
    assert!(
        paid > tip && paid <= 2 * tip + 1,
        "one reset bonus: {tip} -> {paid}"
    );
    assert_eq!(
        f.auction.try_reset(&keeper, &aid),
        Err(Ok(AuctionError::NotResettable))
    );
    assert!(f.p.vaults[1].total_assets() >= lenders);
}

/// Sandwiching a take: the auction's price depends only on its start and the clock, so moving
/// the AMM pool around a keeper's take changes nothing; a front-runner taking first leaves the
/// victim the same price for the rest, and the `max_price` guard refuses a take at a price above
/// what its keeper accepted.
#[test]
fn sandwiching_a_take_does_not_change_its_price() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let victim = f.funded_keeper(10_000 * UNIT);
    let front = f.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let aid = f.auction.start(&victim, &owner, &0, &t0, &t1);
    f.p.advance(600);
    let (price, _) = f.auction.price(&aid);

    let whale = f.p.funded(0, 200_000 * UNIT);
    let amm = amm_pool::AmmPoolClient::new(f.env(), &f.p.pool(0, 1));
    amm.swap(&whale, &t0, &t1, &(200_000 * UNIT), &0, &whale);
    assert_eq!(f.auction.price(&aid).0, price);

    let lot = f.auction.auction(&aid).lot;
    let (s1, o1) = f
        .auction
        .take(&front, &aid, &(lot / 2), &price, &front, &None);
    let (s2, o2) = f
        .auction
        .take(&victim, &aid, &(lot / 4), &price, &victim, &None);
    // Both paid price(now) per token, to the rounding of one base unit.
    for (s, o) in [(s1, o1), (s2, o2)] {
        let at_price = s * price / 100_000_000_000_000;
        assert!(o >= at_price && o <= at_price + 1, "{s} for {o} at {price}");
    }
    // A take whose guard is below price(now) is refused.
    let r = f
        .auction
        .try_take(&victim, &aid, &UNIT, &(price - 1), &victim, &None);
    assert_eq!(r, Err(Ok(AuctionError::PriceAboveMax)));
}

/// A flash-take receiver that keeps the slice and pays nothing (`tests/contracts/bad-receiver`),
/// with a keeper who holds nothing: the pull of `owe` fails, so the whole take does.
#[test]
fn a_receiver_that_keeps_the_slice_and_pays_nothing_fails_the_take() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let starter = f.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let aid = f.auction.start(&starter, &owner, &0, &t0, &t1);
    let bad = f
        .env()
        .register(protocol_tests::wasm::load("bad-receiver").as_slice(), ());
    let broke = Address::generate(f.env());
    let (price, _) = f.auction.price(&aid);
    let auction = f.auction.auction(&aid);
    let books = f.p.books(&[&broke, &bad], &[(&owner, 0)]);
    let data = Some(Bytes::from_slice(f.env(), b"keep it"));
    let r = f
        .auction
        .try_take(&broke, &aid, &auction.lot, &price, &bad, &data);
    assert!(r.is_err(), "{r:?}");
    assert_eq!(f.p.books(&[&broke, &bad], &[(&owner, 0)]), books);
    assert_eq!(f.auction.auction(&aid), auction);
}

/// A venue that lies: it keeps what it is paid, sends nothing and reports three times the input
/// as bought.
#[contract]
pub struct LyingVenue;

#[contractimpl]
impl LyingVenue {
    pub fn swap_exact_in(
        _env: Env,
        _token_in: Address,
        _token_out: Address,
        amount_in: i128,
        min_out: i128,
        _to: Address,
    ) -> i128 {
        amount_in.max(min_out) * 3
    }
}

/// A venue that re-enters margin-account during the swap, withdrawing the victim's collateral.
#[contract]
pub struct ReentrantVenue;

#[contractimpl]
impl ReentrantVenue {
    pub fn __constructor(env: Env, margin: Address, owner: Address) {
        env.storage()
            .instance()
            .set(&symbol_short!("margin"), &margin);
        env.storage()
            .instance()
            .set(&symbol_short!("owner"), &owner);
    }

    pub fn swap_exact_in(
        env: Env,
        token_in: Address,
        _token_out: Address,
        amount_in: i128,
        _min_out: i128,
        to: Address,
    ) -> i128 {
        let get = |k| -> Address { env.storage().instance().get(&k).unwrap() };
        let margin = margin_account::MarginAccountClient::new(&env, &get(symbol_short!("margin")));
        let owner = get(symbol_short!("owner"));
        margin.withdraw(&owner, &0, &token_in, &amount_in, &to);
        amount_in
    }
}

/// A listed venue whose return value lies cannot credit the account with tokens it never sent:
/// the trade is refused and nothing moves.
#[test]
fn a_venue_that_lies_about_its_output_cannot_credit_the_account() {
    let p = Protocol::two_assets();
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let venue = p.env.register(LyingVenue, ());
    list_venue(&p, &venue);
    let owner = p.account_with(0, 1_000 * UNIT, 0);
    let before = p.books(&[&owner, &venue], &[(&owner, 0)]);
    let r = p
        .margin
        .try_trade(&owner, &0, &t0, &t1, &(100 * UNIT), &0, &venue);
    // margin-account measures what it received, not what the venue reports.
    assert_eq!(r, Err(Ok(margin_account::Error::VenueShortfall)));
    assert_eq!(p.books(&[&owner, &venue], &[(&owner, 0)]), before);
}

/// A venue that calls back into margin-account mid-trade is stopped by Soroban's no-re-entry
/// rule: the whole trade fails and the account keeps its collateral.
#[test]
fn a_venue_that_reenters_margin_account_fails_the_trade() {
    let p = Protocol::two_assets();
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let owner = p.account_with(0, 1_000 * UNIT, 0);
    let venue = p
        .env
        .register(ReentrantVenue, (p.margin.address.clone(), owner.clone()));
    list_venue(&p, &venue);
    let before = p.books(&[&owner, &venue], &[(&owner, 0)]);
    let r = p
        .margin
        .try_trade(&owner, &0, &t0, &t1, &(100 * UNIT), &0, &venue);
    assert!(matches!(r, Err(Err(_))), "{r:?}");
    assert_eq!(p.books(&[&owner, &venue], &[(&owner, 0)]), before);
}

/// Blocking liquidation by spreading an account over many tiny positions: a debt below
/// `min_debt_value` (10 USD) cannot be opened, and no account holds more than `max_positions`.
#[test]
fn an_account_cannot_be_spread_over_many_tiny_positions() {
    let p = Protocol::new(&[USD, USD, USD], &[], 0);
    let owner = p.account_with(0, 1_000 * UNIT, 0);
    let before = p.books(&[&owner], &[(&owner, 0)]);
    let r = p
        .margin
        .try_borrow(&owner, &0, &p.tokens[1], &(5 * UNIT), &owner);
    assert_eq!(r, Err(Ok(MarginError::DebtBelowMinimum)));
    assert_eq!(p.books(&[&owner], &[(&owner, 0)]), before);

    let params = Params {
        max_positions: 2,
        ..default_params_margin()
    };
    p.margin.queue_params(&params);
    p.advance(DELAY);
    p.margin.apply_params();
    p.margin
        .borrow(&owner, &0, &p.tokens[1], &(20 * UNIT), &owner);
    p.mint(2, &owner, UNIT);
    let r = p.margin.try_deposit(&owner, &0, &p.tokens[2], &UNIT);
    assert_eq!(r, Err(Ok(MarginError::TooManyPositions)));
    let r = p
        .margin
        .try_borrow(&owner, &0, &p.tokens[2], &(20 * UNIT), &owner);
    assert_eq!(r, Err(Ok(MarginError::TooManyPositions)));
    assert_eq!(p.margin.positions(&owner, &0).len(), 2);
}

/// The crash with absent keepers, through the invariant model: token 0 (everyone's collateral)
/// falls 50 % while keepers are away for two hours; they come back, start, take, reset and
/// settle, and every SPEC §12 invariant holds after each step.
#[test]
fn a_crash_with_absent_keepers_keeps_every_invariant() {
    let mut steps = std::vec![
        Action::Price {
            t: 0,
            permille: -300
        },
        Action::Price {
            t: 0,
            permille: -300
        },
        Action::Advance(7_200),
    ];
    for who in [0, 1] {
        steps.push(Action::Start {
            k: 0,
            who,
            id: 0,
            pick: 32,
        });
    }
    for _ in 0..3 {
        steps.push(Action::Take {
            k: 1,
            a: 0,
            pct: 100,
        });
        steps.push(Action::Take {
            k: 0,
            a: 1,
            pct: 60,
        });
        steps.push(Action::Advance(3_700));
        steps.push(Action::Reset { k: 0, a: 0 });
        steps.push(Action::Reset { k: 1, a: 1 });
    }
    steps.push(Action::Settle { who: 0, id: 0 });
    steps.push(Action::Settle { who: 1, id: 0 });
    let (stats, found) = invariants::run(&steps);
    assert!(found.is_empty(), "violations: {found:#?}");
    assert_eq!(stats.starts, 2, "{stats:?}");
    assert!(stats.takes >= 2, "{stats:?}");
}

/// A flash-take receiver that re-enters the auction from its callback, taking the rest of the
/// lot a second time inside the first take.
#[contract]
pub struct ReentrantReceiver;

#[contractimpl]
impl ReentrantReceiver {
    pub fn __constructor(env: Env, auction: Address) {
        env.storage()
            .instance()
            .set(&symbol_short!("auction"), &auction);
    }

    pub fn on_auction_take(
        env: Env,
        keeper: Address,
        auction_id: u64,
        _slice: i128,
        _owe: i128,
        _data: Bytes,
    ) {
        let auction: Address = env
            .storage()
            .instance()
            .get(&symbol_short!("auction"))
            .unwrap();
        let me = env.current_contract_address();
        liquidation_auction::LiquidationAuctionClient::new(&env, &auction).take(
            &keeper,
            &auction_id,
            &i128::MAX,
            &i128::MAX,
            &me,
            &None,
        );
    }
}

/// A keeper callback that re-enters the auction mid-take is stopped by Soroban's no-re-entry
/// rule: the whole take fails, the auction, the account and every wallet are as they were, and
/// the same keeper's plain take goes through afterwards.
#[test]
fn a_keeper_callback_that_reenters_the_auction_fails_the_take() {
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let aid = f.auction.start(&keeper, &owner, &0, &t0, &t1);
    let receiver = f
        .env()
        .register(ReentrantReceiver, (f.auction.address.clone(),));
    let (price, _) = f.auction.price(&aid);
    let auction = f.auction.auction(&aid);
    let books = f.p.books(&[&keeper, &receiver], &[(&owner, 0)]);
    let data = Some(Bytes::from_slice(f.env(), b"again"));
    let half = auction.lot / 2;
    let r = f
        .auction
        .try_take(&keeper, &aid, &half, &price, &receiver, &data);
    assert!(matches!(r, Err(Err(_))), "{r:?}");
    assert_eq!(f.p.books(&[&keeper, &receiver], &[(&owner, 0)]), books);
    assert_eq!(f.auction.auction(&aid), auction);
    f.p.fresh_budget();
    let (slice, owe) = f.auction.take(&keeper, &aid, &half, &price, &keeper, &None);
    assert!(slice > 0 && owe > 0);
}

/// A token that re-enters the contract that moves it: its `transfer`, once armed with a vault,
/// deposits into that vault again from inside the vault's own pull of the deposit (shares
/// minted twice for one payment if it worked). Balances are kept in its instance storage.
#[contract]
pub struct ReentrantToken;

#[contractimpl]
impl ReentrantToken {
    /// From now on each transfer first deposits `amount` into `vault` from the payer.
    pub fn arm(env: Env, vault: Address) {
        env.storage()
            .instance()
            .set(&symbol_short!("vault"), &vault);
    }

    /// Transfers stop re-entering.
    pub fn disarm(env: Env) {
        env.storage().instance().remove(&symbol_short!("vault"));
    }

    pub fn mint(env: Env, to: Address, amount: i128) {
        let b = Self::balance(env.clone(), to.clone());
        env.storage().instance().set(&to, &(b + amount));
    }

    pub fn balance(env: Env, id: Address) -> i128 {
        env.storage().instance().get(&id).unwrap_or(0)
    }

    pub fn transfer(env: Env, from: Address, to: Address, amount: i128) {
        from.require_auth();
        let vault: Option<Address> = env.storage().instance().get(&symbol_short!("vault"));
        if let Some(vault) = vault {
            vault::VaultClient::new(&env, &vault).deposit(&amount, &from, &from, &from);
        }
        let (fb, tb) = (
            Self::balance(env.clone(), from.clone()),
            Self::balance(env.clone(), to.clone()),
        );
        assert!(fb >= amount, "insufficient balance");
        env.storage().instance().set(&from, &(fb - amount));
        env.storage().instance().set(&to, &(tb + amount));
    }

    pub fn decimals(_env: Env) -> u32 {
        7
    }

    pub fn name(env: Env) -> soroban_sdk::String {
        soroban_sdk::String::from_str(&env, "Re-entrant")
    }

    pub fn symbol(env: Env) -> soroban_sdk::String {
        soroban_sdk::String::from_str(&env, "REE")
    }
}

/// A token whose transfer calls back into the vault pulling it is stopped by Soroban's
/// no-re-entry rule: the deposit fails, no share is minted and the whole ledger is unchanged;
/// disarmed, the same deposit goes through. (A token that lies about a transfer is outside the
/// threat model: tokens are listed by governance, SECURITY.md.)
#[test]
fn a_token_that_reenters_the_vault_fails_the_deposit() {
    use protocol_tests::snapshot::Snapshot;
    let p = Protocol::two_assets();
    let env = &p.env;
    let token = ReentrantTokenClient::new(env, &env.register(ReentrantToken, ()));
    let args = (
        p.admin.clone(),
        p.guardian.clone(),
        DELAY,
        token.address.clone(),
        soroban_sdk::String::from_str(env, "Vault"),
        soroban_sdk::String::from_str(env, "vREE"),
        protocol_tests::vault_fixture::default_params(),
    );
    let vault = vault::VaultClient::new(
        env,
        &env.register(protocol_tests::wasm::load("vault").as_slice(), args),
    );
    let lender = Address::generate(env);
    token.mint(&lender, &(100 * UNIT));
    token.arm(&vault.address);
    let before = Snapshot::take(env);
    p.fresh_budget();
    let r = vault.try_deposit(&(10 * UNIT), &lender, &lender, &lender);
    assert!(matches!(r, Err(Err(_))), "{r:?}");
    before.assert_unchanged(env, "re-entrant deposit");
    assert_eq!(vault.balance(&lender), 0);
    // Disarmed, the same deposit goes through: the refusal was the re-entry.
    token.disarm();
    p.fresh_budget();
    vault.deposit(&(10 * UNIT), &lender, &lender, &lender);
    assert!(vault.balance(&lender) > 0);
    assert_eq!(token.balance(&vault.address), 10 * UNIT);
}

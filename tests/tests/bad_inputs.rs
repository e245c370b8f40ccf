//! The bad-input catalogue (SPEC §9: bad input gets its own typed error and changes nothing),
//! table-driven on the WASM deployment: each row is a call with one bad argument and the code
//! docs/ERRORS.md gives it; the whole ledger (`tests/src/snapshot.rs`) must be unchanged.
//! Prices arrive the production way, through the price-feed contract (`tests/src/feed_fixture.rs`),
//! and odd token decimals through a token that reports what the test sets
//! (`tests/src/odd_token.rs`).

use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{Protocol, MAX_AGE, UNIT};
use protocol_tests::snapshot::Snapshot;
use soroban_sdk::testutils::Address as _;
use soroban_sdk::{Address, Env, IntoVal, InvokeError, Symbol, Val, Vec};

/// `function(args)` on `contract` must fail with contract error `code`.
struct Bad {
    what: &'static str,
    contract: Address,
    function: &'static str,
    args: Vec<Val>,
    code: u32,
}

/// Runs every row (auths mocked: only the input is wrong) and returns how many were tried.
fn run(env: &Env, rows: &[Bad]) -> usize {
    for row in rows {
        let before = Snapshot::take(env);
        let name = Symbol::new(env, row.function);
        let r = env.try_invoke_contract::<Val, InvokeError>(&row.contract, &name, row.args.clone());
        let code = match r {
            Err(Ok(InvokeError::Contract(code))) => Some(code),
            _ => None,
        };
        assert_eq!(
            code,
            Some(row.code),
            "{}: {}: {r:?}",
            row.function,
            row.what
        );
        before.assert_unchanged(env, row.what);
    }
    rows.len()
}

#[test]
fn margin_account_refuses_bad_amounts_assets_and_accounts_without_a_trace() {
    let p = Protocol::two_assets();
    let env = &p.env;
    let owner = p.account_with(0, 1_000 * UNIT, 0);
    p.mint(1, &owner, 100 * UNIT);
    let m = p.margin.address.clone();
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let unlisted = env
        .register_stellar_asset_contract_v2(p.admin.clone())
        .address();
    let stranger = Address::generate(env);
    let row = |what, function, args: Vec<Val>, code| Bad {
        what,
        contract: m.clone(),
        function,
        args,
        code,
    };
    let o = owner.clone();
    let mut rows = std::vec::Vec::new();
    for (amount, code, what) in [
        (0i128, 300u32, "zero amount"),
        (-1, 3, "negative amount"),
        (i128::MIN, 3, "i128::MIN amount"),
    ] {
        rows.push(row(
            what,
            "deposit",
            (o.clone(), 0u32, t0.clone(), amount).into_val(env),
            code,
        ));
        rows.push(row(
            what,
            "withdraw",
            (o.clone(), 0u32, t0.clone(), amount, o.clone()).into_val(env),
            code,
        ));
        rows.push(row(
            what,
            "borrow",
            (o.clone(), 0u32, t1.clone(), amount, o.clone()).into_val(env),
            code,
        ));
    }
    rows.push(row(
        "unknown asset",
        "deposit",
        (o.clone(), 0u32, unlisted.clone(), UNIT).into_val(env),
        301,
    ));
    rows.push(row(
        "unknown asset",
        "borrow",
        (o.clone(), 0u32, unlisted.clone(), UNIT, o.clone()).into_val(env),
        301,
    ));
    rows.push(row(
        "unknown account",
        "withdraw",
        (stranger.clone(), 0u32, t0.clone(), UNIT, stranger.clone()).into_val(env),
        302,
    ));
    rows.push(row(
        "unknown account id",
        "borrow",
        (o.clone(), 9u32, t1.clone(), UNIT, o.clone()).into_val(env),
        302,
    ));
    rows.push(row(
        "withdraw more than the collateral",
        "withdraw",
        (o.clone(), 0u32, t0.clone(), 1_001 * UNIT, o.clone()).into_val(env),
        305,
    ));
    rows.push(row(
        "borrow beyond init health",
        "borrow",
        (o.clone(), 0u32, t1.clone(), 400 * UNIT, o.clone()).into_val(env),
        307,
    ));
    rows.push(row(
        "repay with no debt",
        "repay",
        (o.clone(), o.clone(), 0u32, t1.clone(), UNIT).into_val(env),
        306,
    ));
    let tried = run(env, &rows);
    // Stale prices: a risk-raising call fails with StalePrice once the feeds are older than max_age.
    p.advance_stale(MAX_AGE + 1);
    let stale = [row(
        "stale price",
        "borrow",
        (o.clone(), 0u32, t1.clone(), 10 * UNIT, o.clone()).into_val(env),
        316,
    )];
    let tried = tried + run(env, &stale);
    assert_eq!(tried, 17);
}

#[test]
fn vault_auction_adapter_and_pool_refuse_bad_inputs_without_a_trace() {
    let fx = AuctionFixture::new();
    let p = &fx.p;
    let env = fx.env();
    let owner = fx.levered_account(1_000, 100);
    let lender = p.funded(0, 100 * UNIT);
    let keeper = fx.funded_keeper(100 * UNIT);
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let unlisted = env
        .register_stellar_asset_contract_v2(p.admin.clone())
        .address();
    let vault = p.vaults[0].address.clone();
    let auction = fx.auction.address.clone();
    let adapter = p.oracle.adapter.address.clone();
    let pool = p.pool(0, 1);
    let bad = |what, contract: &Address, function, args: Vec<Val>, code| Bad {
        what,
        contract: contract.clone(),
        function,
        args,
        code,
    };
    let l = lender.clone();
    let k = keeper.clone();
    let rows = [
        bad(
            "zero assets",
            &vault,
            "deposit",
            (0i128, l.clone(), l.clone(), l.clone()).into_val(env),
            200,
        ),
        bad(
            "negative assets",
            &vault,
            "deposit",
            (-1i128, l.clone(), l.clone(), l.clone()).into_val(env),
            3,
        ),
        bad(
            "zero shares",
            &vault,
            "redeem",
            (0i128, l.clone(), l.clone(), l.clone()).into_val(env),
            200,
        ),
        bad(
            "redeem shares never minted",
            &vault,
            "redeem",
            (UNIT, l.clone(), l.clone(), l.clone()).into_val(env),
            204,
        ),
        bad(
            "transfer more shares than held",
            &vault,
            "transfer",
            (l.clone(), k.clone(), UNIT).into_val(env),
            204,
        ),
        bad(
            "unknown auction",
            &auction,
            "take",
            (
                k.clone(),
                99u64,
                UNIT,
                i128::MAX,
                k.clone(),
                Option::<soroban_sdk::Bytes>::None,
            )
                .into_val(env),
            401,
        ),
        bad(
            "reset of an unknown auction",
            &auction,
            "reset",
            (k.clone(), 99u64).into_val(env),
            401,
        ),
        bad(
            "healthy account",
            &auction,
            "start",
            (k.clone(), owner.clone(), 0u32, t0.clone(), t1.clone()).into_val(env),
            402,
        ),
        bad(
            "same asset",
            &auction,
            "start",
            (k.clone(), owner.clone(), 0u32, t0.clone(), t0.clone()).into_val(env),
            405,
        ),
        bad(
            "zero insurance",
            &auction,
            "fund_insurance",
            (k.clone(), t1.clone(), 0i128).into_val(env),
            400,
        ),
        bad(
            "negative insurance",
            &auction,
            "fund_insurance",
            (k.clone(), t1.clone(), -1i128).into_val(env),
            3,
        ),
        bad(
            "stopped level above 3",
            &auction,
            "set_stopped",
            (p.guardian.clone(), 4u32).into_val(env),
            415,
        ),
        bad(
            "quote of an unlisted asset",
            &adapter,
            "quotes",
            (soroban_sdk::vec![env, unlisted.clone()],).into_val(env),
            100,
        ),
        bad(
            "trip of an unlisted asset",
            &adapter,
            "trip",
            (p.guardian.clone(), unlisted.clone()).into_val(env),
            100,
        ),
        bad(
            "clear of a closed breaker",
            &adapter,
            "clear",
            (p.guardian.clone(), t0.clone()).into_val(env),
            132,
        ),
        bad(
            "zero swap",
            &pool,
            "swap",
            (k.clone(), t1.clone(), t0.clone(), 0i128, 0i128, k.clone()).into_val(env),
            653,
        ),
        bad(
            "negative swap",
            &pool,
            "swap",
            (k.clone(), t1.clone(), t0.clone(), -1i128, 0i128, k.clone()).into_val(env),
            653,
        ),
        bad(
            "swap of a foreign token",
            &pool,
            "swap",
            (
                k.clone(),
                unlisted.clone(),
                t0.clone(),
                UNIT,
                0i128,
                k.clone(),
            )
                .into_val(env),
            652,
        ),
        bad(
            "swap a token for itself",
            &pool,
            "swap",
            (k.clone(), t0.clone(), t0.clone(), UNIT, 0i128, k.clone()).into_val(env),
            651,
        ),
        bad(
            "i128::MAX minimum out",
            &pool,
            "swap",
            (
                k.clone(),
                t1.clone(),
                t0.clone(),
                UNIT,
                i128::MAX,
                k.clone(),
            )
                .into_val(env),
            655,
        ),
    ];
    assert_eq!(run(env, &rows), 20);
}

/// Bad prices pushed through the production price-feed (wired as token 0's only adapter source):
/// zero, negative, future-timestamped and out-of-order records are refused by the feed with its
/// typed error and change nothing; a record that ages past `max_age`, or arrives already older
/// than it, reaches the adapter and every risk-raising call fails with `StalePrice`, again
/// without a trace; a fresh record heals it.
#[test]
fn bad_prices_through_the_price_feed_are_refused_without_a_trace() {
    use protocol_tests::feed_fixture::WiredFeed;
    use protocol_tests::fixture::RESOLUTION;
    use protocol_tests::protocol_fixture::USD;
    use sep40::Asset;
    let p = Protocol::two_assets();
    let env = &p.env;
    let wired = WiredFeed::replace_source(&p, 0, 14, USD);
    let owner = p.account_with(0, 1_000 * UNIT, 0);
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    // With debt, a withdrawal needs prices too.
    p.margin.borrow(&owner, &0, &t1, &(100 * UNIT), &owner);
    let feed = wired.feed.address.clone();
    let a0 = Asset::Stellar(t0.clone());
    let now = p.now();
    let push = |what, price: i128, timestamp: u64, code| Bad {
        what,
        contract: feed.clone(),
        function: "set_prices",
        args: (soroban_sdk::vec![env, (a0.clone(), price)], timestamp).into_val(env),
        code,
    };
    let year = 365 * 86_400;
    let rows = [
        push("zero price", 0, now, 606),
        push("negative price", -1, now, 606),
        push("i128::MIN price", i128::MIN, now, 606),
        push("timestamp one second ahead", USD, now + 1, 607),
        push("timestamp a year ahead", USD, now + year, 607),
        push("timestamp u64::MAX", USD, u64::MAX, 607),
        push("the newest record's timestamp again", USD, now, 608),
        push(
            "older than the newest record",
            USD,
            now - RESOLUTION as u64,
            608,
        ),
    ];
    let mut tried = run(env, &rows);
    // The adapter still quotes the last good record.
    let quote = p.oracle.adapter.quotes(&p.token_vec(&[0])).get(0).unwrap();
    assert_eq!(quote.spot, USD);
    let m = p.margin.address.clone();
    let o = owner.clone();
    let stale_rows = |what| {
        [
            Bad {
                what,
                contract: p.oracle.adapter.address.clone(),
                function: "quotes",
                args: (p.token_vec(&[0]),).into_val(env),
                code: 101,
            },
            Bad {
                what,
                contract: m.clone(),
                function: "borrow",
                args: (o.clone(), 0u32, t1.clone(), 10 * UNIT, o.clone()).into_val(env),
                code: 316,
            },
            Bad {
                what,
                contract: m.clone(),
                function: "withdraw",
                args: (o.clone(), 0u32, t0.clone(), 10 * UNIT, o.clone()).into_val(env),
                code: 316,
            },
        ]
    };
    // The record ages past max_age (the other token's mock feed stays fresh).
    p.advance_stale(MAX_AGE + 1);
    p.refresh();
    tried += run(env, &stale_rows("record aged past max_age"));
    // A record published now but observed longer than max_age ago: accepted by the feed (it is
    // newer than the last), refused by the adapter as stale.
    p.advance_stale(MAX_AGE + RESOLUTION as u64);
    p.refresh();
    wired.publish(USD, p.now() - MAX_AGE - RESOLUTION as u64);
    tried += run(env, &stale_rows("record stale on arrival"));
    // A fresh record heals it.
    wired.publish(USD, p.now());
    p.fresh_budget();
    p.margin.borrow(&owner, &0, &t1, &(10 * UNIT), &owner);
    assert_eq!(tried, 8 + 3 + 3);
}

/// Decimals at listing: feeds and tokens at 0 and 18 decimals are listed and scaled exactly; a
/// feed above the adapter's 18 and a token above margin-account's 18 are refused with their
/// typed errors and change nothing.
#[test]
fn extreme_decimals_at_listing() {
    use protocol_tests::feed_fixture::WiredFeed;
    use protocol_tests::fixture::{DELAY, RESOLUTION};
    use protocol_tests::protocol_fixture::{default_config, USD};
    use protocol_tests::{odd_token, vault_fixture, wasm};
    let p = Protocol::two_assets();
    let env = &p.env;
    // A 0-decimal feed quoting 2 (USD) and an 18-decimal one quoting 3 * 10^18: the adapter
    // quotes both at its 14 decimals.
    WiredFeed::replace_source(&p, 0, 0, 2);
    assert_eq!(
        p.oracle
            .adapter
            .quotes(&p.token_vec(&[0]))
            .get(0)
            .unwrap()
            .spot,
        2 * USD
    );
    WiredFeed::replace_source(&p, 1, 18, 3 * 10i128.pow(18));
    assert_eq!(
        p.oracle
            .adapter
            .quotes(&p.token_vec(&[1]))
            .get(0)
            .unwrap()
            .spot,
        3 * USD
    );
    // A feed reporting 19 decimals: refused when its source is applied.
    let t0 = p.tokens[0].clone();
    let feed19 = p.oracle.new_feed(19, RESOLUTION);
    p.oracle
        .adapter
        .queue_source(&t0, &p.oracle.config(&t0, &[&feed19]));
    p.advance(DELAY);
    let mut rows = std::vec![Bad {
        what: "feed above 18 decimals",
        contract: p.oracle.adapter.address.clone(),
        function: "apply_source",
        args: (t0.clone(),).into_val(env),
        code: 116,
    }];
    // Tokens at 0 and 18 decimals get a vault and are listed; one that reports 18 to its vault
    // and 19 by the time margin-account lists it is refused.
    let tokens: std::vec::Vec<_> = [0u32, 18, 18]
        .iter()
        .map(|d| odd_token::deploy(env, *d))
        .collect();
    for t in &tokens {
        let args = (
            p.admin.clone(),
            p.guardian.clone(),
            DELAY,
            t.address.clone(),
            soroban_sdk::String::from_str(env, "Vault"),
            soroban_sdk::String::from_str(env, "vODD"),
            vault_fixture::default_params(),
        );
        let vault = env.register(wasm::load("vault").as_slice(), args);
        p.margin.queue_asset(&t.address, &default_config(&vault));
    }
    tokens[2].set_decimals(&19);
    p.advance(DELAY);
    p.margin.apply_asset(&tokens[0].address);
    p.margin.apply_asset(&tokens[1].address);
    let listed = p.margin.assets();
    assert!(listed.contains(&tokens[0].address) && listed.contains(&tokens[1].address));
    rows.push(Bad {
        what: "token above 18 decimals",
        contract: p.margin.address.clone(),
        function: "apply_asset",
        args: (tokens[2].address.clone(),).into_val(env),
        code: 4,
    });
    assert_eq!(run(env, &rows), 2);
}

/// The world of the amount rows: the auction fixture with a live auction on an unhealthy
/// account; the owner's healthy account `(owner, 0)` (1000 token 0 against 100 token 1) and 500
/// of each token in the owner's wallet; a lender holding vault 0 shares, 10 of which the keeper
/// may move; the keeper holding both tokens and 10 token 1 in the insurance fund; 10 token 0 in
/// the keeper's receiver.
struct Amounts<'a> {
    fx: AuctionFixture<'a>,
    owner: Address,
    lender: Address,
    keeper: Address,
    other: Address,
}

impl Amounts<'_> {
    fn new() -> Self {
        let mut fx = AuctionFixture::new();
        let victim = fx.unhealthy_account(75);
        let starter = fx.funded_keeper(10_000 * UNIT);
        let (t0, t1) = (fx.p.tokens[0].clone(), fx.p.tokens[1].clone());
        fx.auction.start(&starter, &victim, &0, &t0, &t1);
        let p = &fx.p;
        let env = fx.env();
        // After the price fell, an account of 1000 token 0 against 100 token 1 is still healthy.
        let owner = fx.levered_account(1_000, 100);
        p.mint(0, &owner, 500 * UNIT);
        p.mint(1, &owner, 500 * UNIT);
        let lender = p.funded(0, 100 * UNIT);
        p.vaults[0].deposit(&(100 * UNIT), &lender, &lender, &lender);
        let keeper = fx.funded_keeper(100 * UNIT);
        p.mint(0, &keeper, 100 * UNIT);
        fx.auction.fund_insurance(&keeper, &t1, &(10 * UNIT));
        p.mint(0, &fx.receiver.address, 10 * UNIT);
        let expiry = env.ledger().sequence() + 10_000;
        p.vaults[0].approve(&lender, &keeper, &(10 * UNIT), &expiry);
        let other = Address::generate(env);
        p.fresh_budget();
        Amounts {
            fx,
            owner,
            lender,
            keeper,
            other,
        }
    }

    fn env(&self) -> &Env {
        self.fx.env()
    }

    /// Every amount-taking call that moves a quantity, with `amount` as that quantity:
    /// `(what, contract, function, args)`. `add_liquidity` takes two maxima; the second is here,
    /// the first is a row of its own where the test needs it.
    fn calls(
        &self,
        amount: i128,
    ) -> std::vec::Vec<(&'static str, Address, &'static str, Vec<Val>)> {
        use margin_account::Request;
        use soroban_sdk::xdr::ToXdr;
        let p = &self.fx.p;
        let env = self.env();
        let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
        let (m, pool) = (p.margin.address.clone(), p.pool(0, 1));
        let (v0, v1) = (p.vaults[0].address.clone(), p.vaults[1].address.clone());
        let auction = self.fx.auction.address.clone();
        let receiver = self.fx.receiver.address.clone();
        let (o, l, k) = (self.owner.clone(), self.lender.clone(), self.keeper.clone());
        let a = amount;
        let submit = |r: Request| (o.clone(), 0u32, soroban_sdk::vec![env, r]).into_val(env);
        let four = |who: &Address| (a, who.clone(), who.clone(), who.clone()).into_val(env);
        let data = (pool.clone(), t0.clone(), t1.clone()).to_xdr(env);
        std::vec![
            (
                "deposit",
                m.clone(),
                "deposit",
                (o.clone(), 0u32, t0.clone(), a).into_val(env)
            ),
            (
                "deposit_for",
                m.clone(),
                "deposit_for",
                (k.clone(), o.clone(), 0u32, t0.clone(), a).into_val(env),
            ),
            (
                "withdraw",
                m.clone(),
                "withdraw",
                (o.clone(), 0u32, t0.clone(), a, o.clone()).into_val(env),
            ),
            (
                "borrow",
                m.clone(),
                "borrow",
                (o.clone(), 0u32, t1.clone(), a, o.clone()).into_val(env),
            ),
            (
                "trade",
                m.clone(),
                "trade",
                (
                    o.clone(),
                    0u32,
                    t0.clone(),
                    t1.clone(),
                    a,
                    0i128,
                    pool.clone()
                )
                    .into_val(env),
            ),
            (
                "submit Deposit",
                m.clone(),
                "submit",
                submit(Request::Deposit(t0.clone(), a))
            ),
            (
                "submit Withdraw",
                m.clone(),
                "submit",
                submit(Request::Withdraw(t0.clone(), a, o.clone())),
            ),
            (
                "submit Borrow",
                m.clone(),
                "submit",
                submit(Request::Borrow(t1.clone(), a, o.clone())),
            ),
            (
                "seize",
                m.clone(),
                "seize",
                (o.clone(), 0u32, t0.clone(), a).into_val(env)
            ),
            (
                "settle's repayment",
                m.clone(),
                "settle",
                (o.clone(), 0u32, t1.clone(), a, t0.clone(), UNIT).into_val(env),
            ),
            (
                "settle's returned lot",
                m.clone(),
                "settle",
                (o.clone(), 0u32, t1.clone(), UNIT, t0.clone(), a).into_val(env),
            ),
            ("vault deposit", v0.clone(), "deposit", four(&l)),
            ("vault mint", v0.clone(), "mint", four(&l)),
            ("vault withdraw", v0.clone(), "withdraw", four(&l)),
            ("vault redeem", v0.clone(), "redeem", four(&l)),
            (
                "vault transfer",
                v0.clone(),
                "transfer",
                (l.clone(), k.clone(), a).into_val(env)
            ),
            (
                "vault transfer_from",
                v0.clone(),
                "transfer_from",
                (k.clone(), l.clone(), k.clone(), a).into_val(env),
            ),
            (
                "vault burn",
                v0.clone(),
                "burn",
                (l.clone(), a).into_val(env)
            ),
            (
                "vault burn_from",
                v0.clone(),
                "burn_from",
                (k.clone(), l.clone(), a).into_val(env)
            ),
            (
                "vault borrow",
                v1.clone(),
                "borrow",
                (a, k.clone()).into_val(env)
            ),
            (
                "vault repay",
                v1.clone(),
                "repay",
                (m.clone(), a).into_val(env)
            ),
            (
                "vault write_off",
                v1.clone(),
                "write_off",
                (a,).into_val(env)
            ),
            (
                "fund_insurance",
                auction.clone(),
                "fund_insurance",
                (k.clone(), t1.clone(), a).into_val(env),
            ),
            (
                "pool swap",
                pool.clone(),
                "swap",
                (k.clone(), t0.clone(), t1.clone(), a, 0i128, k.clone()).into_val(env),
            ),
            (
                "pool swap_exact_in",
                pool.clone(),
                "swap_exact_in",
                (t0.clone(), t1.clone(), a, 0i128, k.clone()).into_val(env),
            ),
            (
                "pool add_liquidity's second maximum",
                pool.clone(),
                "add_liquidity",
                (k.clone(), UNIT, a, 0i128).into_val(env),
            ),
            (
                "pool remove_liquidity",
                pool.clone(),
                "remove_liquidity",
                (k.clone(), a, 0i128, 0i128).into_val(env),
            ),
            (
                "receiver withdraw",
                receiver.clone(),
                "withdraw",
                (t1.clone(), a, k.clone()).into_val(env),
            ),
            // The receiver's own keeper, selling one unit for at least `amount`.
            (
                "receiver on_auction_take's owe",
                receiver,
                "on_auction_take",
                (self.fx.keeper_owner.clone(), 0u64, UNIT, a, data).into_val(env),
            ),
        ]
    }

    /// [`Self::calls`] with `amount`, each expecting the matching code of `codes`.
    fn rows(&self, amount: i128, codes: &[u32]) -> std::vec::Vec<Bad> {
        let calls = self.calls(amount);
        assert_eq!(calls.len(), codes.len());
        calls
            .into_iter()
            .zip(codes)
            .map(|((what, contract, function, args), code)| Bad {
                what,
                contract,
                function,
                args,
                code: *code,
            })
            .collect()
    }
}

/// `i128::MAX` as the amount of every amount-taking entry point. Where the amount is a quantity
/// to move (margin-account's user calls, its requests and its liquidator seam; the vault's
/// ERC-4626 and share-token calls and its credit line; the auction's insurance fund; the pool;
/// the keeper's receiver), the call is refused with a typed error and changes nothing: the
/// protocol's own or, where the payer simply cannot pay, the Stellar Asset Contract's
/// `BalanceError` (10; the token's code, not risk-core's `InvalidCurve`). Where the amount is a
/// bound, `i128::MAX` means "all I have" and is no bad input: a repay repays the whole debt and
/// takes nothing more, an `add_liquidity` maximum takes only what the shares are worth (`take`'s
/// `max_collateral` and `max_price`: `tests/tests/liquidation_auction/takes.rs`). The admin's
/// queued moves (`queue_claim_reserves`, `queue_insurance`) take any amount; one that exceeds
/// what is there when due is refused at apply, without a trace.
#[test]
fn i128_max_amounts_are_refused_without_a_trace() {
    use protocol_tests::fixture::DELAY;
    let w = Amounts::new();
    let p = &w.fx.p;
    let env = w.env();
    let max = i128::MAX;
    let codes = [
        1,   // deposit: Overflow
        1,   // deposit_for: Overflow
        305, // withdraw: InsufficientCollateral
        206, // borrow: the vault's InsufficientCash
        206, // trade: the vault's InsufficientCash
        1,   // submit Deposit: Overflow
        305, // submit Withdraw: InsufficientCollateral
        206, // submit Borrow: InsufficientCash
        305, // seize: InsufficientCollateral
        10,  // settle's repayment: the token's BalanceError
        1,   // settle's returned lot: Overflow
        1,   // vault deposit: Overflow
        1,   // vault mint: Overflow
        206, // vault withdraw: InsufficientCash
        206, // vault redeem: InsufficientCash
        204, // vault transfer: InsufficientBalance
        203, // vault transfer_from: InsufficientAllowance
        204, // vault burn: InsufficientBalance
        203, // vault burn_from: InsufficientAllowance
        206, // vault borrow: InsufficientCash
        211, // vault repay: ExceedsDebt
        211, // vault write_off: ExceedsDebt
        10,  // fund_insurance: the token's BalanceError
        10,  // pool swap: the token's BalanceError
        654, // pool swap_exact_in: InsufficientInput
        // A maximum, but `amount_b * total_shares / reserve_b` does not fit i128 here (the pool
        // has more shares than token 1 units); the first amount's quotient does.
        659, // pool add_liquidity's second maximum: Overflow
        658, // pool remove_liquidity: InsufficientShares
        10,  // receiver withdraw: the token's BalanceError
        655, // receiver on_auction_take's owe: the pool's BelowMinimum
    ];
    let mut tried = run(env, &w.rows(max, &codes));

    // Bounds: i128::MAX means all.
    let (owner, keeper, other) = (&w.owner, &w.keeper, &w.other);
    let t1 = p.tokens[1].clone();
    let wallet = p.balance(1, owner);
    p.fresh_budget();
    let repaid = p.margin.repay(owner, owner, &0, &t1, &max);
    assert!(repaid >= 100 * UNIT, "{repaid}");
    assert_eq!(p.balance(1, owner), wallet - repaid);
    assert_eq!(
        p.margin.try_repay(owner, owner, &0, &t1, &UNIT),
        Err(Ok(margin_account::Error::NoDebt))
    );
    let pool = p.pool(0, 1);
    let held = (p.balance(0, keeper), p.balance(1, keeper));
    p.fresh_budget();
    let shares = amm_pool::AmmPoolClient::new(env, &pool).add_liquidity(keeper, &max, &UNIT, &0);
    assert!(shares > 0);
    let paid_a = held.0 - p.balance(0, keeper);
    assert!(paid_a > 0 && paid_a <= 100 * UNIT, "{paid_a}");
    assert!(held.1 - p.balance(1, keeper) <= UNIT);

    // The admin's queued moves: accepted at queue, refused when due.
    p.fresh_budget();
    p.vaults[1].queue_claim_reserves(&max, other);
    w.fx.auction.queue_insurance(&t1, &max, other);
    p.advance(DELAY);
    let due = [
        Bad {
            what: "apply_claim_reserves of i128::MAX (ExceedsReserves)",
            contract: p.vaults[1].address.clone(),
            function: "apply_claim_reserves",
            args: Vec::new(env),
            code: 212,
        },
        Bad {
            what: "apply_insurance of i128::MAX (InsufficientInsurance)",
            contract: w.fx.auction.address.clone(),
            function: "apply_insurance",
            args: (t1.clone(),).into_val(env),
            code: 416,
        },
    ];
    tried += run(env, &due);
    assert_eq!(tried, codes.len() + 2);
}

/// Zero and negative (`-1`, `i128::MIN`) amounts on the same calls (and `add_liquidity`'s first
/// maximum, and the admin's queued moves): each refused with its contract's `ZeroAmount` or
/// `NegativeAmount` (3, shared; the pool's and the receiver's `InvalidAmount` for both), changing
/// nothing. `settle` takes a zero on either side (a settlement that only repays, or only returns
/// a lot), so its zero rows are not bad inputs and are left out.
#[test]
fn zero_and_negative_amounts_on_every_amount_taking_entry_point() {
    let w = Amounts::new();
    let env = w.env();
    let p = &w.fx.p;
    let (pool, k) = (p.pool(0, 1), w.keeper.clone());
    let (m, auction, receiver) = (
        p.margin.address.clone(),
        w.fx.auction.address.clone(),
        w.fx.receiver.address.clone(),
    );
    let vaults = [p.vaults[0].address.clone(), p.vaults[1].address.clone()];
    // The contract's code for a zero amount; a negative one is NegativeAmount (3) but at the
    // pool and the receiver, whose InvalidAmount covers both.
    let code = |contract: &Address, amount: i128| -> u32 {
        let (zero, negative) = if *contract == m {
            (300, 3)
        } else if vaults.contains(contract) {
            (200, 3)
        } else if *contract == auction {
            (400, 3)
        } else if *contract == pool {
            (653, 653)
        } else if *contract == receiver {
            (492, 492)
        } else {
            panic!("{contract:?}")
        };
        if amount == 0 {
            zero
        } else {
            negative
        }
    };
    let mut tried = 0;
    for amount in [0i128, -1, i128::MIN] {
        let mut calls = w.calls(amount);
        calls.push((
            "pool add_liquidity's first maximum",
            pool.clone(),
            "add_liquidity",
            (k.clone(), amount, UNIT, 0i128).into_val(env),
        ));
        calls.push((
            "vault queue_claim_reserves",
            vaults[1].clone(),
            "queue_claim_reserves",
            (amount, w.other.clone()).into_val(env),
        ));
        calls.push((
            "queue_insurance",
            auction.clone(),
            "queue_insurance",
            (p.tokens[1].clone(), amount, w.other.clone()).into_val(env),
        ));
        let rows: std::vec::Vec<Bad> = calls
            .into_iter()
            .filter(|(_, _, function, _)| !(amount == 0 && *function == "settle"))
            .map(|(what, contract, function, args)| Bad {
                what,
                code: code(&contract, amount),
                contract,
                function,
                args,
            })
            .collect();
        tried += run(env, &rows);
    }
    // 32 calls per amount; the two settle rows only for the negative amounts.
    assert_eq!(tried, 30 + 32 + 32);
}

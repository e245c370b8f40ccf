//! The bad-input catalogue (SPEC §9: bad input gets its own typed error and changes nothing),
//! table-driven on the WASM deployment: each row is a call with one bad argument and the code
//! docs/ERRORS.md gives it; the whole ledger (`tests/src/snapshot.rs`) must be unchanged.
//! Prices arrive the production way, through the price-feed contract (`tests/src/feed_fixture.rs`),
//! and odd token decimals through a token that reports what the test sets
//! (`tests/src/odd_token.rs`).

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
    use protocol_tests::auction_fixture::AuctionFixture;
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

/// `i128::MAX` as the amount of every amount-taking entry point. Where the amount is a quantity
/// to move (margin-account's user calls, its requests and its liquidator seam; the vault's
/// ERC-4626 and share-token calls and its credit line; the auction's insurance fund; the pool;
/// the keeper's receiver), the call is refused with a typed error and changes nothing: the
/// protocol's own (`Overflow` 1, `InsufficientCollateral` 305, `InsufficientCash` 206, ...) or,
/// where the payer simply cannot pay, the Stellar Asset Contract's `BalanceError` (10; the
/// token's code, not risk-core's `InvalidCurve`). Where the amount is a bound, `i128::MAX`
/// means "all I have" and is no bad input: a repay repays the whole debt and takes nothing more,
/// an `add_liquidity` maximum takes only what the shares are worth (`take`'s `max_collateral` and
/// `max_price`: `tests/tests/liquidation_auction/takes.rs`). The admin's queued moves
/// (`queue_claim_reserves`, `queue_insurance`) take any amount; one that exceeds what is there
/// when due is refused at apply, without a trace.
#[test]
fn i128_max_amounts_are_refused_without_a_trace() {
    use margin_account::Request;
    use protocol_tests::auction_fixture::AuctionFixture;
    use protocol_tests::fixture::DELAY;
    use soroban_sdk::xdr::ToXdr;
    let mut fx = AuctionFixture::new();
    let victim = fx.unhealthy_account(75);
    let starter = fx.funded_keeper(10_000 * UNIT);
    let (t0, t1) = (fx.p.tokens[0].clone(), fx.p.tokens[1].clone());
    fx.auction.start(&starter, &victim, &0, &t0, &t1);
    let p = &fx.p;
    let env = fx.env();
    // The price fell: the owner's account (1000 token 0 against 100 token 1) is still healthy.
    let owner = fx.levered_account(1_000, 100);
    p.mint(0, &owner, 500 * UNIT);
    p.mint(1, &owner, 500 * UNIT);
    let lender = p.funded(0, 100 * UNIT);
    p.vaults[0].deposit(&(100 * UNIT), &lender, &lender, &lender);
    let keeper = fx.funded_keeper(100 * UNIT);
    p.mint(0, &keeper, 100 * UNIT);
    fx.auction.fund_insurance(&keeper, &t1, &(10 * UNIT));
    p.mint(0, &fx.receiver.address, 10 * UNIT);
    // The keeper may move 10 of the lender's shares: the share rows fail on the amount.
    let expiry = env.ledger().sequence() + 10_000;
    p.vaults[0].approve(&lender, &keeper, &(10 * UNIT), &expiry);
    p.fresh_budget();
    let (m, pool) = (p.margin.address.clone(), p.pool(0, 1));
    let (v0, v1) = (p.vaults[0].address.clone(), p.vaults[1].address.clone());
    let (auction, receiver) = (fx.auction.address.clone(), fx.receiver.address.clone());
    let (o, l, k) = (owner.clone(), lender.clone(), keeper.clone());
    let other = Address::generate(env);
    let max = i128::MAX;
    let bad = |what, contract: &Address, function, args: Vec<Val>, code| Bad {
        what,
        contract: contract.clone(),
        function,
        args,
        code,
    };
    let submit = |r: Request| (o.clone(), 0u32, soroban_sdk::vec![env, r]).into_val(env);
    let four = |a: &Address| (max, a.clone(), a.clone(), a.clone()).into_val(env);
    let data = (pool.clone(), t0.clone(), t1.clone()).to_xdr(env);
    // The receiver's own keeper, selling one unit for at least i128::MAX.
    let callback = (fx.keeper_owner.clone(), 0u64, UNIT, max, data).into_val(env);
    let rows = [
        bad(
            "deposit (Overflow)",
            &m,
            "deposit",
            (o.clone(), 0u32, t0.clone(), max).into_val(env),
            1,
        ),
        bad(
            "deposit_for (Overflow)",
            &m,
            "deposit_for",
            (k.clone(), o.clone(), 0u32, t0.clone(), max).into_val(env),
            1,
        ),
        bad(
            "withdraw (InsufficientCollateral)",
            &m,
            "withdraw",
            (o.clone(), 0u32, t0.clone(), max, o.clone()).into_val(env),
            305,
        ),
        bad(
            "borrow (the vault's InsufficientCash)",
            &m,
            "borrow",
            (o.clone(), 0u32, t1.clone(), max, o.clone()).into_val(env),
            206,
        ),
        bad(
            "trade (the vault's InsufficientCash)",
            &m,
            "trade",
            (
                o.clone(),
                0u32,
                t0.clone(),
                t1.clone(),
                max,
                0i128,
                pool.clone(),
            )
                .into_val(env),
            206,
        ),
        bad(
            "submit Deposit (Overflow)",
            &m,
            "submit",
            submit(Request::Deposit(t0.clone(), max)),
            1,
        ),
        bad(
            "submit Withdraw (InsufficientCollateral)",
            &m,
            "submit",
            submit(Request::Withdraw(t0.clone(), max, o.clone())),
            305,
        ),
        bad(
            "submit Borrow (InsufficientCash)",
            &m,
            "submit",
            submit(Request::Borrow(t1.clone(), max, o.clone())),
            206,
        ),
        bad(
            "seize (InsufficientCollateral)",
            &m,
            "seize",
            (o.clone(), 0u32, t0.clone(), max).into_val(env),
            305,
        ),
        bad(
            "settle's repayment (the token's BalanceError)",
            &m,
            "settle",
            (o.clone(), 0u32, t1.clone(), max, t0.clone(), UNIT).into_val(env),
            10,
        ),
        bad(
            "settle's returned lot (Overflow)",
            &m,
            "settle",
            (o.clone(), 0u32, t1.clone(), UNIT, t0.clone(), max).into_val(env),
            1,
        ),
        bad("vault deposit (Overflow)", &v0, "deposit", four(&l), 1),
        bad("vault mint (Overflow)", &v0, "mint", four(&l), 1),
        bad(
            "vault withdraw (InsufficientCash)",
            &v0,
            "withdraw",
            four(&l),
            206,
        ),
        bad(
            "vault redeem (InsufficientCash)",
            &v0,
            "redeem",
            four(&l),
            206,
        ),
        bad(
            "vault transfer (InsufficientBalance)",
            &v0,
            "transfer",
            (l.clone(), k.clone(), max).into_val(env),
            204,
        ),
        bad(
            "vault transfer_from (InsufficientAllowance)",
            &v0,
            "transfer_from",
            (k.clone(), l.clone(), k.clone(), max).into_val(env),
            203,
        ),
        bad(
            "vault burn (InsufficientBalance)",
            &v0,
            "burn",
            (l.clone(), max).into_val(env),
            204,
        ),
        bad(
            "vault burn_from (InsufficientAllowance)",
            &v0,
            "burn_from",
            (k.clone(), l.clone(), max).into_val(env),
            203,
        ),
        bad(
            "vault borrow (InsufficientCash)",
            &v1,
            "borrow",
            (max, k.clone()).into_val(env),
            206,
        ),
        bad(
            "vault repay (ExceedsDebt)",
            &v1,
            "repay",
            (m.clone(), max).into_val(env),
            211,
        ),
        bad(
            "vault write_off (ExceedsDebt)",
            &v1,
            "write_off",
            (max,).into_val(env),
            211,
        ),
        bad(
            "fund_insurance (the token's BalanceError)",
            &auction,
            "fund_insurance",
            (k.clone(), t1.clone(), max).into_val(env),
            10,
        ),
        bad(
            "pool swap (the token's BalanceError)",
            &pool,
            "swap",
            (k.clone(), t0.clone(), t1.clone(), max, 0i128, k.clone()).into_val(env),
            10,
        ),
        bad(
            "pool swap_exact_in (InsufficientInput)",
            &pool,
            "swap_exact_in",
            (t0.clone(), t1.clone(), max, 0i128, k.clone()).into_val(env),
            654,
        ),
        // A maximum, but `amount_b * total_shares / reserve_b` does not fit i128 here (the
        // pool has more shares than token 1 units); the first amount's quotient does.
        bad(
            "pool add_liquidity's second maximum (Overflow)",
            &pool,
            "add_liquidity",
            (k.clone(), UNIT, max, 0i128).into_val(env),
            659,
        ),
        bad(
            "pool remove_liquidity (InsufficientShares)",
            &pool,
            "remove_liquidity",
            (k.clone(), max, 0i128, 0i128).into_val(env),
            658,
        ),
        bad(
            "receiver withdraw (the token's BalanceError)",
            &receiver,
            "withdraw",
            (t1.clone(), max, k.clone()).into_val(env),
            10,
        ),
        bad(
            "receiver on_auction_take's owe (the pool's BelowMinimum)",
            &receiver,
            "on_auction_take",
            callback,
            655,
        ),
    ];
    let mut tried = run(env, &rows);

    // Bounds: i128::MAX means all.
    let debt = p.margin.positions(&owner, &0);
    let wallet = p.balance(1, &owner);
    p.fresh_budget();
    let repaid = p.margin.repay(&owner, &owner, &0, &t1, &max);
    assert!(repaid >= 100 * UNIT, "{repaid} of {debt:?}");
    assert_eq!(p.balance(1, &owner), wallet - repaid);
    assert_eq!(
        p.margin.try_repay(&owner, &owner, &0, &t1, &UNIT),
        Err(Ok(margin_account::Error::NoDebt))
    );
    let held = (p.balance(0, &keeper), p.balance(1, &keeper));
    p.fresh_budget();
    let pool_client = amm_pool::AmmPoolClient::new(env, &pool);
    let shares = pool_client.add_liquidity(&keeper, &max, &UNIT, &0);
    assert!(shares > 0);
    let paid_a = held.0 - p.balance(0, &keeper);
    assert!(paid_a > 0 && paid_a <= 100 * UNIT, "{paid_a}");
    assert!(held.1 - p.balance(1, &keeper) <= UNIT);

    // The admin's queued moves: accepted at queue, refused when due.
    p.fresh_budget();
    p.vaults[1].queue_claim_reserves(&max, &other);
    fx.auction.queue_insurance(&t1, &max, &other);
    p.advance(DELAY);
    let due = [
        bad(
            "apply_claim_reserves of i128::MAX (ExceedsReserves)",
            &v1,
            "apply_claim_reserves",
            Vec::new(env),
            212,
        ),
        bad(
            "apply_insurance of i128::MAX (InsufficientInsurance)",
            &auction,
            "apply_insurance",
            (t1.clone(),).into_val(env),
            416,
        ),
    ];
    tried += run(env, &due);
    assert_eq!(tried, 29 + 2);
}

//! The bad-input catalogue (SPEC §9: bad input gets its own typed error and changes nothing),
//! table-driven on the WASM deployment: each row is a call with one bad argument and the code
//! docs/ERRORS.md gives it; the whole ledger (`tests/src/snapshot.rs`) must be unchanged.

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

//! The auth matrix as tests (SPEC §12.7, docs/AUTH_MATRIX.md): each row names an entry point,
//! the one role whose auth it needs, and the call. For every other role the call is signed by
//! that role (an always-approving auth for exactly this invocation) and must fail in the host's
//! auth check with the whole ledger unchanged; then the call signed by its role must succeed
//! and `env.auths()` must name exactly that role for exactly this invocation.
//!
//! Entry points anyone may call (the `apply_*` of the timelocks, permissionless keeper calls,
//! every view) are the matrix's open rows: called with every auth recorded, each must succeed and
//! `env.auths()` must be empty, so no role's signature is asked for and every role is allowed;
//! a view must also leave the whole ledger, TTLs included, unchanged.

use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{self, default_params_margin, UNIT};
use protocol_tests::snapshot::Snapshot;
use protocol_tests::{feed_fixture, fixture, vault_fixture, wasm};
use sep40::Asset;
use soroban_sdk::testutils::{Address as _, AuthorizedFunction, MockAuth, MockAuthInvoke};
use soroban_sdk::xdr::ToXdr;
use soroban_sdk::{Address, Env, IntoVal, InvokeError, Symbol, Val, Vec};

/// The roles of the matrix that can sign in the test host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Owner,
    Other,
    Keeper,
    Admin,
    Guardian,
    /// The contract the callee is wired to (margin-account for a vault).
    Registered,
    /// A contract nobody wired: an always-approving account contract.
    Unrelated,
}

const ROLES: [Role; 7] = [
    Role::Owner,
    Role::Other,
    Role::Keeper,
    Role::Admin,
    Role::Guardian,
    Role::Registered,
    Role::Unrelated,
];

struct World<'a> {
    fx: AuctionFixture<'a>,
    owner: Address,
    other: Address,
    keeper: Address,
    unrelated: Address,
}

impl World<'_> {
    /// The auction fixture with an account `(owner, 0)` holding 1000 token 0 against 100 token 1
    /// of debt; the owner and the keeper also hold 500 of each token in their wallets.
    fn new() -> Self {
        let fx = AuctionFixture::new();
        let owner = fx.levered_account(1_000, 100);
        let keeper = Address::generate(fx.env());
        for who in [&owner, &keeper] {
            fx.p.mint(0, who, 500 * UNIT);
            fx.p.mint(1, who, 500 * UNIT);
        }
        let other = Address::generate(fx.env());
        let unrelated = Address::generate(fx.env());
        fx.p.fresh_budget();
        World {
            fx,
            owner,
            other,
            keeper,
            unrelated,
        }
    }

    fn env(&self) -> &Env {
        self.fx.env()
    }

    /// The address acting in `role`; `registered` is the callee's wired contract.
    fn addr(&self, role: Role, registered: &Address) -> Address {
        match role {
            Role::Owner => self.owner.clone(),
            Role::Other => self.other.clone(),
            Role::Keeper => self.keeper.clone(),
            Role::Admin => self.fx.p.admin.clone(),
            Role::Guardian => self.fx.p.guardian.clone(),
            Role::Registered => registered.clone(),
            Role::Unrelated => self.unrelated.clone(),
        }
    }
}

/// One row: `function` of `contract` called with `args` needs the auth of `signer` only.
struct Row {
    contract: Address,
    function: &'static str,
    args: Vec<Val>,
    signer: Role,
    /// The callee's wired contract (the `Registered` role).
    registered: Address,
}

/// Counts of what the matrix checked.
#[derive(Default, Debug)]
struct Tally {
    refused: usize,
    allowed: usize,
    /// Open rows: every role allowed, no auth asked.
    open: usize,
}

impl Tally {
    /// Entry point × role cells checked: 7 per row (an open row allows all 7; a signed row
    /// allows its role and refuses the others, the registered contract through the unrelated one).
    fn cells(&self) -> usize {
        (self.allowed + self.open) * ROLES.len()
    }
}

fn check(w: &World, row: &Row, tally: &mut Tally) {
    let env = w.env();
    let name = Symbol::new(env, row.function);
    for role in ROLES {
        if role == row.signer {
            continue;
        }
        let signer = w.addr(role, &row.registered);
        if role == Role::Registered {
            // Mocking an auth for a deployed contract would replace its code in the test host;
            // a contract authorizes only the calls its own code makes, so it is refused through
            // the `Unrelated` row's always-approving contract instead.
            continue;
        }
        let invoke = MockAuthInvoke {
            contract: &row.contract,
            fn_name: row.function,
            args: row.args.clone(),
            sub_invokes: &[],
        };
        env.mock_auths(&[MockAuth {
            address: &signer,
            invoke: &invoke,
        }]);
        // After `mock_auths`, which installs the approving contract at the signer's address.
        let before = Snapshot::take(env);
        let r = env.try_invoke_contract::<Val, InvokeError>(&row.contract, &name, row.args.clone());
        env.mock_all_auths();
        assert!(
            matches!(r, Err(Ok(InvokeError::Abort))),
            "{} signed by {role:?}: expected an auth failure, got {r:?}",
            row.function
        );
        before.assert_unchanged(env, row.function);
        tally.refused += 1;
    }
    env.mock_all_auths();
    w.fx.p.fresh_budget();
    let r = env.try_invoke_contract::<Val, InvokeError>(&row.contract, &name, row.args.clone());
    assert!(
        matches!(r, Ok(Ok(_))),
        "{} by {:?}: {r:?}",
        row.function,
        row.signer
    );
    let roots: std::vec::Vec<(Address, AuthorizedFunction)> = env
        .auths()
        .into_iter()
        .map(|(a, inv)| (a, inv.function))
        .collect();
    let call = AuthorizedFunction::Contract((row.contract.clone(), name, row.args.clone()));
    assert_eq!(
        roots,
        std::vec![(w.addr(row.signer, &row.registered), call)],
        "{}: the auths",
        row.function
    );
    tally.allowed += 1;
}

#[test]
fn margin_account_user_calls_need_the_named_partys_auth() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let m = p.margin.address.clone();
    let liquidator = w.fx.auction.address.clone();
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let o = w.owner.clone();
    let k = w.keeper.clone();
    let row = |function, args: Vec<Val>, signer| Row {
        contract: m.clone(),
        function,
        args,
        signer,
        registered: liquidator.clone(),
    };
    let rows = [
        row(
            "deposit",
            (o.clone(), 0u32, t0.clone(), 10 * UNIT).into_val(env),
            Role::Owner,
        ),
        row(
            "deposit_for",
            (k.clone(), o.clone(), 0u32, t0.clone(), 10 * UNIT).into_val(env),
            Role::Keeper,
        ),
        row(
            "withdraw",
            (o.clone(), 0u32, t0.clone(), 10 * UNIT, o.clone()).into_val(env),
            Role::Owner,
        ),
        row(
            "borrow",
            (o.clone(), 0u32, t1.clone(), 10 * UNIT, o.clone()).into_val(env),
            Role::Owner,
        ),
        row(
            "repay",
            (k.clone(), o.clone(), 0u32, t1.clone(), 5 * UNIT).into_val(env),
            Role::Keeper,
        ),
        row(
            "repay",
            (o.clone(), o.clone(), 0u32, t1.clone(), 5 * UNIT).into_val(env),
            Role::Owner,
        ),
        row(
            "queue_venue",
            (w.unrelated.clone(), true).into_val(env),
            Role::Admin,
        ),
    ];
    let mut tally = Tally::default();
    for r in &rows {
        check(&w, r, &mut tally);
    }
    // 7 rows, 5 refusing roles each (the registered contract is covered by the unrelated one).
    assert_eq!((tally.refused, tally.allowed), (35, 7));
}

#[test]
fn vault_credit_line_and_auction_funding_need_their_partys_auth() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let vault = p.vaults[1].address.clone();
    let m = p.margin.address.clone();
    let auction = w.fx.auction.address.clone();
    let k = w.keeper.clone();
    let rows = [
        Row {
            contract: vault.clone(),
            function: "borrow",
            args: (10 * UNIT, k.clone()).into_val(env),
            signer: Role::Registered,
            registered: m.clone(),
        },
        Row {
            contract: vault.clone(),
            function: "deposit",
            args: (10 * UNIT, k.clone(), k.clone(), k.clone()).into_val(env),
            signer: Role::Keeper,
            registered: m.clone(),
        },
        Row {
            contract: auction.clone(),
            function: "fund_insurance",
            args: (k.clone(), p.tokens[1].clone(), 10 * UNIT).into_val(env),
            signer: Role::Keeper,
            registered: m.clone(),
        },
    ];
    let mut tally = Tally::default();
    for r in &rows {
        check(&w, r, &mut tally);
    }
    // vault.borrow: 6 refusing roles; the others: 5 (registered covered by unrelated).
    assert_eq!((tally.refused, tally.allowed), (6 + 5 + 5, 3));
}

#[test]
fn governance_and_guardian_powers_need_the_admins_or_guardians_auth() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let adapter = p.oracle.adapter.address.clone();
    let auction = w.fx.auction.address.clone();
    let m = p.margin.address.clone();
    let governed = [
        (p.vaults[0].address.clone(), m.clone()),
        (m.clone(), auction.clone()),
        (auction.clone(), m.clone()),
        (adapter.clone(), m.clone()),
    ];
    let hash = soroban_sdk::BytesN::from_array(env, &[7u8; 32]);
    let mut rows = std::vec::Vec::new();
    for (contract, registered) in &governed {
        let row = |function, args: Vec<Val>| Row {
            contract: contract.clone(),
            function,
            args,
            signer: Role::Admin,
            registered: registered.clone(),
        };
        rows.push(row("propose_admin", (w.other.clone(),).into_val(env)));
        rows.push(row("queue_guardian", (w.other.clone(),).into_val(env)));
        rows.push(row(
            "queue_delay",
            (2 * governance::MIN_DELAY,).into_val(env),
        ));
        rows.push(row("queue_upgrade", (hash.clone(),).into_val(env)));
    }
    let (g, a) = (p.guardian.clone(), p.admin.clone());
    let t0 = p.tokens[0].clone();
    let powers = [
        (
            adapter.clone(),
            "trip",
            (g.clone(), t0.clone()).into_val(env),
            Role::Guardian,
        ),
        (
            adapter.clone(),
            "clear",
            (a.clone(), t0.clone()).into_val(env),
            Role::Admin,
        ),
        (
            auction.clone(),
            "set_stopped",
            (g.clone(), 1u32).into_val(env),
            Role::Guardian,
        ),
        (
            auction.clone(),
            "set_stopped",
            (a.clone(), 0u32).into_val(env),
            Role::Admin,
        ),
    ];
    for (contract, function, args, signer) in powers {
        rows.push(Row {
            contract,
            function,
            args,
            signer,
            registered: m.clone(),
        });
    }
    let mut tally = Tally::default();
    for r in &rows {
        check(&w, r, &mut tally);
    }
    assert_eq!((tally.refused, tally.allowed), (20 * 5, 20));
}

// ---------------------------------------------------------------------------------------------
// The rest of the matrix: every other entry point of the protocol's contracts and of the
// supporting contracts (price-feed, amm-pool, keeper-receiver), the timelocks' apply steps and
// the views.

/// `function(args)` on `contract` needs no one's auth: every role may call it.
struct Open {
    contract: Address,
    function: &'static str,
    args: Vec<Val>,
    /// A view: the call must also leave the whole ledger (TTLs included) unchanged.
    view: bool,
}

fn check_open(w: &World, row: &Open, tally: &mut Tally) {
    let env = w.env();
    env.mock_all_auths();
    w.fx.p.fresh_budget();
    let before = Snapshot::take(env);
    let name = Symbol::new(env, row.function);
    let r = env.try_invoke_contract::<Val, InvokeError>(&row.contract, &name, row.args.clone());
    assert!(matches!(r, Ok(Ok(_))), "{} (anyone): {r:?}", row.function);
    let auths = env.auths();
    assert!(
        auths.is_empty(),
        "{}: anyone may call it, yet it asked for {auths:?}",
        row.function
    );
    if row.view {
        before.assert_unchanged(env, row.function);
    }
    tally.open += 1;
}

fn signed(
    contract: &Address,
    function: &'static str,
    args: Vec<Val>,
    signer: Role,
    registered: &Address,
) -> Row {
    Row {
        contract: contract.clone(),
        function,
        args,
        signer,
        registered: registered.clone(),
    }
}

fn open(contract: &Address, function: &'static str, args: Vec<Val>) -> Open {
    Open {
        contract: contract.clone(),
        function,
        args,
        view: false,
    }
}

fn view(contract: &Address, function: &'static str, args: Vec<Val>) -> Open {
    Open {
        view: true,
        ..open(contract, function, args)
    }
}

impl World<'_> {
    /// What the rows name: `(margin-account, auction, adapter, token 0, token 1)`.
    fn names(&self) -> (Address, Address, Address, Address, Address) {
        let p = &self.fx.p;
        (
            p.margin.address.clone(),
            self.fx.auction.address.clone(),
            p.oracle.adapter.address.clone(),
            p.tokens[0].clone(),
            p.tokens[1].clone(),
        )
    }
}

fn no_args(env: &Env) -> Vec<Val> {
    Vec::new(env)
}

/// A setup call, every auth mocked; it must succeed.
fn invoke(w: &World, contract: &Address, function: &str, args: Vec<Val>) -> Val {
    let env = w.env();
    env.mock_all_auths();
    w.fx.p.fresh_budget();
    env.invoke_contract::<Val>(contract, &Symbol::new(env, function), args)
}

/// A timelocked change of `contract`: `queue` and `cancel` need the admin; after the delay
/// `apply` (when given) needs `apply_signer`'s auth, or nobody's.
struct Timelock {
    contract: Address,
    registered: Address,
    queue: (&'static str, Vec<Val>),
    cancel: (&'static str, Vec<Val>),
    apply: Option<(&'static str, Vec<Val>)>,
    apply_signer: Option<Role>,
}

/// Each change queued by the admin, cancelled by the admin and queued again; then one wait of
/// the delay for all of them (prices re-published), and each applied.
fn check_timelocks(w: &World, items: &[Timelock], tally: &mut Tally) {
    for t in items {
        let row = |(f, args): &(&'static str, Vec<Val>)| {
            signed(&t.contract, f, args.clone(), Role::Admin, &t.registered)
        };
        check(w, &row(&t.queue), tally);
        check(w, &row(&t.cancel), tally);
        if t.apply.is_some() {
            invoke(w, &t.contract, t.queue.0, t.queue.1.clone());
        }
    }
    w.fx.p.advance(governance::MIN_DELAY);
    for t in items {
        let Some((function, args)) = &t.apply else {
            continue;
        };
        match t.apply_signer {
            Some(role) => check(
                w,
                &signed(&t.contract, function, args.clone(), role, &t.registered),
                tally,
            ),
            None => check_open(w, &open(&t.contract, function, args.clone()), tally),
        }
    }
}

fn check_all(w: &World, signed_rows: &[Row], open_rows: &[Open], tally: &mut Tally) {
    for r in signed_rows {
        check(w, r, tally);
    }
    for r in open_rows {
        check_open(w, r, tally);
    }
}

/// A price-feed governed by the fixture's admin and guardian whose reporter is the keeper (the
/// bot publishing prices plays the keeper's role in the matrix).
fn keeper_reported_feed<'a>(w: &World<'a>) -> price_feed::PriceFeedClient<'a> {
    let p = &w.fx.p;
    feed_fixture::deploy(
        w.env(),
        &p.admin,
        &p.guardian,
        &w.keeper,
        fixture::ADAPTER_DECIMALS,
    )
}

/// A fresh oracle-adapter and a margin-account over it, for the one-shot setters
/// (`set_subscriber`, `set_liquidator`) and the adapter-only `quotes_changed`.
fn fresh_adapter_and_margin(w: &World) -> (Address, Address) {
    let p = &w.fx.p;
    let env = w.env();
    let args = (
        p.admin.clone(),
        p.guardian.clone(),
        fixture::DELAY,
        fixture::usd(),
        fixture::ADAPTER_DECIMALS,
        fixture::RESOLUTION,
    );
    let adapter = env.register(wasm::load("oracle-adapter").as_slice(), args);
    let args = (
        p.admin.clone(),
        p.guardian.clone(),
        fixture::DELAY,
        adapter.clone(),
        default_params_margin(),
    );
    let margin = env.register(wasm::load("margin-account").as_slice(), args);
    (adapter, margin)
}

#[test]
fn governed_timelocks_and_role_views_of_every_governed_contract() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let (m, auction, adapter, _, _) = w.names();
    let feed = keeper_reported_feed(&w).address;
    let governed = [
        (p.vaults[0].address.clone(), m.clone()),
        (m.clone(), auction.clone()),
        (auction.clone(), m.clone()),
        (adapter.clone(), m.clone()),
        (feed, adapter.clone()),
    ];
    let hash = soroban_sdk::BytesN::from_array(env, &[7u8; 32]);
    let mut timelocks = std::vec::Vec::new();
    let mut views = std::vec::Vec::new();
    for (contract, registered) in &governed {
        let t = |queue: (&'static str, Vec<Val>),
                 cancel,
                 apply: Option<&'static str>,
                 apply_signer| Timelock {
            contract: contract.clone(),
            registered: registered.clone(),
            queue,
            cancel: (cancel, no_args(env)),
            apply: apply.map(|f| (f, no_args(env))),
            apply_signer,
        };
        // The admin proposes itself, so that accepting needs the admin's auth.
        timelocks.push(t(
            ("propose_admin", (p.admin.clone(),).into_val(env)),
            "cancel_admin",
            Some("accept_admin"),
            Some(Role::Admin),
        ));
        timelocks.push(t(
            ("queue_guardian", (p.guardian.clone(),).into_val(env)),
            "cancel_guardian",
            Some("apply_guardian"),
            None,
        ));
        timelocks.push(t(
            ("queue_delay", (2 * governance::MIN_DELAY,).into_val(env)),
            "cancel_delay",
            Some("apply_delay"),
            None,
        ));
        // Applying an upgrade needs real code: tests/tests/upgrades.rs.
        timelocks.push(t(
            ("queue_upgrade", (hash.clone(),).into_val(env)),
            "cancel_upgrade",
            None,
            None,
        ));
        views.push(view(contract, "admin", no_args(env)));
        views.push(view(contract, "guardian", no_args(env)));
        views.push(view(contract, "timelock_delay", no_args(env)));
        let upgrade = (Symbol::new(env, "upgrade"), ()).into_val(env);
        views.push(view(contract, "change_eta", upgrade));
    }
    let mut tally = Tally::default();
    check_timelocks(&w, &timelocks, &mut tally);
    check_all(&w, &[], &views, &mut tally);
    for (contract, _) in &governed {
        let client = governance::GovernedClient::new(env, contract);
        assert_eq!(client.timelock_delay(), 2 * governance::MIN_DELAY);
        assert_eq!(client.admin(), p.admin);
    }
    // Per contract: 8 queue/cancel rows and accept_admin signed (5 refusing roles each), the
    // guardian and delay applies and the 4 views open.
    assert_eq!(
        (tally.refused, tally.allowed, tally.open),
        (5 * 9 * 5, 5 * 9, 5 * 6)
    );
    assert_eq!(tally.cells(), 75 * 7);
}

/// The liquidator-only entry points of margin-account, all in this one place so that they are
/// easy to re-point when the seam between liquidation-auction and margin-account changes. On
/// account `(owner, id)` (token 0 collateral, token 1 debt): the one-call view is open; `seize`
/// (the lot redeemed to the liquidator) and `settle` (a repayment and a returned lot in one
/// call) are signed by the registered liquidator (the auction) only; then the collateral is
/// stripped ([`strip_collateral`]) and the token 1 debt written off, again by the liquidator
/// only. Returns the rows checked.
fn liquidator_seam(w: &World, owner: &Address, id: u32, tally: &mut Tally) -> usize {
    let p = &w.fx.p;
    let env = w.env();
    let m = p.margin.address.clone();
    let liquidator = w.fx.auction.address.clone();
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let shares = p
        .margin
        .position_shares(owner, &id)
        .get(t0.clone())
        .unwrap();
    // The liquidator pays debt from its own balance.
    p.mint(1, &liquidator, 10 * UNIT);
    let o = owner.clone();
    let by_liquidator =
        |function, args: Vec<Val>| signed(&m, function, args, Role::Registered, &liquidator);
    let rows = [
        by_liquidator(
            "seize",
            (o.clone(), id, t0.clone(), shares / 2).into_val(env),
        ),
        by_liquidator(
            "settle",
            (o.clone(), id, t1.clone(), UNIT, t0.clone(), UNIT).into_val(env),
        ),
    ];
    let pair = (o.clone(), id, t0.clone(), t1.clone()).into_val(env);
    // Not a view: its quotes pull advances the adapter's price book, as `quotes` does.
    check_all(w, &rows, &[open(&m, "liquidation_view", pair)], tally);
    strip_collateral(w, owner, id);
    let write_off = by_liquidator("write_off_debt", (o, id, t1).into_val(env));
    check(w, &write_off, tally);
    rows.len() + 2
}

/// Moves all of the account's token 0 collateral to the liquidator through the seam (auths
/// mocked): the account is left with debt only, a bad-debt account.
fn strip_collateral(w: &World, owner: &Address, id: u32) {
    let p = &w.fx.p;
    let t0 = p.tokens[0].clone();
    let shares = p
        .margin
        .position_shares(owner, &id)
        .get(t0.clone())
        .unwrap();
    let args = (owner.clone(), id, t0.clone(), shares).into_val(w.env());
    invoke(w, &p.margin.address, "seize", args);
    let left = p.margin.position_shares(owner, &id);
    assert_eq!(left.get(t0).unwrap_or(0), 0);
}

#[test]
fn margin_account_trades_timelocks_liquidator_seam_and_views() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let (m, auction, adapter, t0, t1) = w.names();
    let pool = p.pool(0, 1);
    let o = w.owner.clone();
    let by = |function, args: Vec<Val>, signer| signed(&m, function, args, signer, &auction);
    let deposit = margin_account::Request::Deposit(t0.clone(), UNIT);
    let rows = [
        by(
            "trade",
            (
                o.clone(),
                0u32,
                t0.clone(),
                t1.clone(),
                10 * UNIT,
                0i128,
                pool,
            )
                .into_val(env),
            Role::Owner,
        ),
        by(
            "submit",
            (o.clone(), 0u32, soroban_sdk::vec![env, deposit]).into_val(env),
            Role::Owner,
        ),
        // The adapter's announcement that its quotes changed: the wired adapter only.
        signed(
            &m,
            "quotes_changed",
            no_args(env),
            Role::Registered,
            &adapter,
        ),
    ];
    let views = [
        open(&m, "sync", (p.token_vec(&[0, 1]),).into_val(env)),
        view(&m, "health", (o.clone(), 0u32).into_val(env)),
        view(&m, "positions", (o.clone(), 0u32).into_val(env)),
        view(&m, "position_shares", (o.clone(), 0u32).into_val(env)),
        view(&m, "accounts", (o.clone(),).into_val(env)),
        view(&m, "asset_config", (t0.clone(),).into_val(env)),
        view(&m, "maint_weights", (t0.clone(),).into_val(env)),
        view(&m, "vault_cache", (t0.clone(),).into_val(env)),
        view(&m, "assets", no_args(env)),
        view(&m, "params", no_args(env)),
        view(&m, "venue_listed", (p.pool(0, 1),).into_val(env)),
        view(&m, "liquidator", no_args(env)),
        view(&m, "adapter", no_args(env)),
    ];
    let mut tally = Tally::default();
    check_all(&w, &rows, &views, &mut tally);
    let t = |queue: (&'static str, Vec<Val>), cancel: (&'static str, Vec<Val>), apply| Timelock {
        contract: m.clone(),
        registered: auction.clone(),
        queue,
        cancel,
        apply: Some(apply),
        apply_signer: None,
    };
    let config = protocol_fixture::default_config(&p.vaults[0].address);
    let venue = w.unrelated.clone();
    let timelocks = [
        t(
            ("queue_asset", (t0.clone(), config).into_val(env)),
            ("cancel_asset", (t0.clone(),).into_val(env)),
            ("apply_asset", (t0.clone(),).into_val(env)),
        ),
        t(
            ("queue_venue", (venue.clone(), true).into_val(env)),
            ("cancel_venue", (venue.clone(),).into_val(env)),
            ("apply_venue", (venue.clone(),).into_val(env)),
        ),
        t(
            ("queue_params", (default_params_margin(),).into_val(env)),
            ("cancel_params", no_args(env)),
            ("apply_params", no_args(env)),
        ),
        t(
            ("queue_liquidator", (auction.clone(),).into_val(env)),
            ("cancel_liquidator", no_args(env)),
            ("apply_liquidator", no_args(env)),
        ),
    ];
    check_timelocks(&w, &timelocks, &mut tally);
    let seam = liquidator_seam(&w, &o, 0, &mut tally);
    // Last: the guardian tightens token 1 to reduce-only.
    let mode = (t1.clone(), margin_account::AssetMode::ReduceOnly).into_val(env);
    check(&w, &by("set_mode", mode, Role::Guardian), &mut tally);
    assert_eq!(
        p.margin.asset_config(&t1).mode,
        margin_account::AssetMode::ReduceOnly
    );
    assert_eq!(seam, 4);
    // Signed: 3 + 8 queue/cancel + 3 seam + set_mode = 15 (set_liquidator: the next test);
    // those of the registered contract (quotes_changed, the 3 seam calls) refuse 6 roles, the
    // others 5. Open: sync, 12 views, 4 applies, the seam's view.
    assert_eq!(
        (tally.refused, tally.allowed, tally.open),
        (4 * 6 + 11 * 5, 15, 18)
    );
}

#[test]
fn vault_share_token_lending_timelocks_powers_and_views() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let m = p.margin.address.clone();
    let (v0, v1) = (p.vaults[0].address.clone(), p.vaults[1].address.clone());
    let (k, other) = (w.keeper.clone(), w.other.clone());
    // The keeper holds shares of vault 0.
    p.vaults[0].deposit(&(100 * UNIT), &k, &k, &k);
    let by = |vault: &Address, function, args: Vec<Val>, signer| {
        signed(vault, function, args, signer, &m)
    };
    let expiry = env.ledger().sequence() + 10_000;
    let four = |amount: i128| (amount, k.clone(), k.clone(), k.clone()).into_val(env);
    let rows = [
        by(&v0, "mint", four(UNIT), Role::Keeper),
        by(&v0, "withdraw", four(UNIT), Role::Keeper),
        by(&v0, "redeem", four(UNIT), Role::Keeper),
        by(
            &v0,
            "approve",
            (k.clone(), other.clone(), 10 * UNIT, expiry).into_val(env),
            Role::Keeper,
        ),
        by(
            &v0,
            "transfer",
            (k.clone(), other.clone(), UNIT).into_val(env),
            Role::Keeper,
        ),
        by(
            &v0,
            "transfer_from",
            (other.clone(), k.clone(), other.clone(), UNIT).into_val(env),
            Role::Other,
        ),
        by(&v0, "burn", (k.clone(), UNIT).into_val(env), Role::Keeper),
        by(
            &v0,
            "burn_from",
            (other.clone(), k.clone(), UNIT).into_val(env),
            Role::Other,
        ),
    ];
    let u = UNIT;
    let views = [
        view(&v0, "config", no_args(env)),
        view(&v1, "total_debt", no_args(env)),
        view(&v1, "debt_index", no_args(env)),
        view(&v1, "credit_state", no_args(env)),
        view(&v1, "pool_state", no_args(env)),
        view(&v0, "balance", (k.clone(),).into_val(env)),
        view(&v0, "allowance", (k.clone(), other.clone()).into_val(env)),
        view(&v0, "decimals", no_args(env)),
        view(&v0, "name", no_args(env)),
        view(&v0, "symbol", no_args(env)),
        view(&v0, "query_asset", no_args(env)),
        view(&v0, "total_assets", no_args(env)),
        view(&v0, "total_supply", no_args(env)),
        view(&v0, "convert_to_shares", (u,).into_val(env)),
        view(&v0, "convert_to_assets", (u,).into_val(env)),
        view(&v0, "max_deposit", (k.clone(),).into_val(env)),
        view(&v0, "preview_deposit", (u,).into_val(env)),
        view(&v0, "max_mint", (k.clone(),).into_val(env)),
        view(&v0, "preview_mint", (u,).into_val(env)),
        view(&v0, "max_withdraw", (k.clone(),).into_val(env)),
        view(&v0, "preview_withdraw", (u,).into_val(env)),
        view(&v0, "max_redeem", (k.clone(),).into_val(env)),
        view(&v0, "preview_redeem", (u,).into_val(env)),
    ];
    let mut tally = Tally::default();
    check_all(&w, &rows, &views, &mut tally);
    let t = |queue: (&'static str, Vec<Val>), cancel, apply| Timelock {
        contract: v1.clone(),
        registered: m.clone(),
        queue,
        cancel: (cancel, no_args(env)),
        apply: Some((apply, no_args(env))),
        apply_signer: None,
    };
    let timelocks = [
        t(
            (
                "queue_params",
                (vault_fixture::default_params(),).into_val(env),
            ),
            "cancel_params",
            "apply_params",
        ),
        t(
            ("queue_borrower", (m.clone(),).into_val(env)),
            "cancel_borrower",
            "apply_borrower",
        ),
        // A day of interest on the borrowed vault leaves more than one unit of reserve.
        t(
            ("queue_claim_reserves", (1i128, other.clone()).into_val(env)),
            "cancel_claim_reserves",
            "apply_claim_reserves",
        ),
    ];
    check_timelocks(&w, &timelocks, &mut tally);
    // The one-shot borrower setter, on a vault that has none yet.
    let args = (
        p.admin.clone(),
        p.guardian.clone(),
        fixture::DELAY,
        p.tokens[0].clone(),
        soroban_sdk::String::from_str(env, "Vault"),
        soroban_sdk::String::from_str(env, "vTKN"),
        vault_fixture::default_params(),
    );
    let fresh = env.register(wasm::load("vault").as_slice(), args);
    p.mint(1, &m, UNIT);
    let powers = [
        by(
            &fresh,
            "set_borrower",
            (m.clone(),).into_val(env),
            Role::Admin,
        ),
        by(&v0, "pause", (true, true).into_val(env), Role::Guardian),
        by(&v0, "unpause", (true, true).into_val(env), Role::Admin),
        // The borrower repays from its own balance (a payer other than the borrower signs too:
        // two auths, the borrower's and the payer's).
        by(
            &v1,
            "repay",
            (m.clone(), UNIT).into_val(env),
            Role::Registered,
        ),
        // Last: the borrower writes a loss off (margin-account's settle path).
        by(&v1, "write_off", (UNIT,).into_val(env), Role::Registered),
    ];
    check_all(&w, &powers, &[], &mut tally);
    assert_eq!(p.vaults[0].balance(&other), 2 * UNIT);
    // Signed: 8 + 6 queue/cancel + 5 = 19 (repay and write_off, the borrower's, refuse 6
    // roles, the others 5); open: 23 views and 3 applies.
    assert_eq!(
        (tally.refused, tally.allowed, tally.open),
        (17 * 5 + 2 * 6, 19, 26)
    );
}

#[test]
fn auction_start_take_reset_settle_and_views() {
    let mut w = World::new();
    let victim = w.fx.unhealthy_account(75);
    let p = &w.fx.p;
    let env = w.env();
    let m = p.margin.address.clone();
    let a = w.fx.auction.address.clone();
    let (t0, t1) = (p.tokens[0].clone(), p.tokens[1].clone());
    let (k, o) = (w.keeper.clone(), w.owner.clone());
    let expiry = env.ledger().sequence() + 100_000;
    p.token(1).approve(&k, &a, &(500 * UNIT), &expiry);
    w.fx.auction.fund_insurance(&k, &t1, &(10 * UNIT));
    // A second account of the owner, stripped of its collateral: bad debt to settle.
    p.margin.deposit(&o, &1, &t0, &(400 * UNIT));
    p.margin.borrow(&o, &1, &t1, &(50 * UNIT), &o);
    strip_collateral(&w, &o, 1);
    let by = |function, args: Vec<Val>| signed(&a, function, args, Role::Keeper, &m);
    let mut tally = Tally::default();
    let start = by(
        "start",
        (k.clone(), victim.clone(), 0u32, t0.clone(), t1.clone()).into_val(env),
    );
    check(&w, &start, &mut tally);
    let aid = w.fx.auction.auctions_of(&victim, &0).get(0).unwrap();
    let none = Option::<soroban_sdk::Bytes>::None;
    let take = by(
        "take",
        (k.clone(), aid, 10 * UNIT, i128::MAX, k.clone(), none).into_val(env),
    );
    let views = [
        view(&a, "auction", (aid,).into_val(env)),
        view(&a, "price", (aid,).into_val(env)),
        view(&a, "auctions_of", (victim.clone(), 0u32).into_val(env)),
        view(&a, "params", no_args(env)),
        view(&a, "insurance", (t1.clone(),).into_val(env)),
        view(&a, "stopped", no_args(env)),
        view(&a, "debt_under_auction", (t0.clone(),).into_val(env)),
        open(&a, "settle_bad_debt", (o.clone(), 1u32).into_val(env)),
    ];
    check_all(&w, &[take], &views, &mut tally);
    // Past the tail, the auction needs a reset.
    p.advance(liquidation_auction::default_params().tail + 1);
    check(&w, &by("reset", (k.clone(), aid).into_val(env)), &mut tally);
    assert_eq!(w.fx.auction.auction(&aid).start, p.now());
    // Signed: start, take, reset; open: 7 views and settle_bad_debt. The auction's params and
    // insurance timelocks: see the next test.
    assert_eq!((tally.refused, tally.allowed, tally.open), (3 * 5, 3, 8));
}

/// liquidation-auction's `queue_params`, `cancel_params`, `queue_insurance` and
/// `cancel_insurance` need the admin's auth exactly once (the timelock helper requires it; an
/// earlier version required it a second time in the same frame, which the host refuses, so even
/// the admin could not queue these changes). Signed by anyone else, each is refused and changes
/// nothing.
#[test]
fn auction_params_and_insurance_timelocks_need_the_admin_once() {
    let w = World::new();
    let a = &w.fx.auction;
    let env = w.env();
    let t1 = w.fx.p.tokens[1].clone();
    let m = w.fx.p.margin.address.clone();
    let params = liquidation_auction::default_params();
    let mut tally = Tally::default();
    let by_admin = |function, args: Vec<Val>| signed(&a.address, function, args, Role::Admin, &m);
    let rows = [
        by_admin("queue_params", (params.clone(),).into_val(env)),
        by_admin("cancel_params", no_args(env)),
        by_admin(
            "queue_insurance",
            (t1.clone(), UNIT, w.other.clone()).into_val(env),
        ),
        by_admin("cancel_insurance", (t1.clone(),).into_val(env)),
    ];
    check_all(&w, &rows, &[], &mut tally);
    assert_eq!((tally.allowed, tally.open), (4, 0));
    assert_eq!(tally.refused, 4 * 5);
}

#[test]
fn adapter_price_feed_pool_and_keeper_receiver_entry_points() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let (m, auction, adapter, t0, t1) = w.names();
    let k = w.keeper.clone();
    let a0 = Asset::Stellar(t0.clone());
    let now = p.now();
    let mut tally = Tally::default();

    // oracle-adapter (registered: margin-account, its subscriber).
    let adapter_views = [
        open(&adapter, "refresh", (p.token_vec(&[0, 1]),).into_val(env)),
        view(&adapter, "source", (t0.clone(),).into_val(env)),
        view(&adapter, "price_state", (t0.clone(),).into_val(env)),
        view(&adapter, "quotes", (p.token_vec(&[0]),).into_val(env)),
        view(
            &adapter,
            "quotes_packed",
            (p.token_vec(&[0]),).into_val(env),
        ),
        view(&adapter, "subscriber", no_args(env)),
        view(&adapter, "base", no_args(env)),
        view(&adapter, "assets", no_args(env)),
        view(&adapter, "decimals", no_args(env)),
        view(&adapter, "resolution", no_args(env)),
        view(&adapter, "price", (a0.clone(), now).into_val(env)),
        view(&adapter, "prices", (a0.clone(), 1u32).into_val(env)),
        view(&adapter, "lastprice", (a0.clone(),).into_val(env)),
    ];
    check_all(&w, &[], &adapter_views, &mut tally);
    let (fresh_adapter, fresh_margin) = fresh_adapter_and_margin(&w);
    let subscribe = signed(
        &fresh_adapter,
        "set_subscriber",
        (fresh_margin.clone(),).into_val(env),
        Role::Admin,
        &fresh_margin,
    );
    // The one-shot liquidator setter, on a margin-account that has none yet.
    let set = signed(
        &fresh_margin,
        "set_liquidator",
        (auction.clone(),).into_val(env),
        Role::Admin,
        &auction,
    );
    check_all(&w, &[subscribe, set], &[], &mut tally);

    // price-feed (reporter: the keeper; registered: the adapter reading it).
    let feed = keeper_reported_feed(&w);
    let f = feed.address.clone();
    let by = |function, args: Vec<Val>, signer| signed(&f, function, args, signer, &adapter);
    let feed_rows = [
        by(
            "add_assets",
            (soroban_sdk::vec![env, a0.clone()],).into_val(env),
            Role::Admin,
        ),
        by(
            "set_prices",
            (
                soroban_sdk::vec![env, (a0.clone(), protocol_fixture::USD)],
                now,
            )
                .into_val(env),
            Role::Keeper,
        ),
        by("pause", no_args(env), Role::Guardian),
        by("unpause", no_args(env), Role::Admin),
    ];
    let feed_views = [
        view(&f, "reporter", no_args(env)),
        view(&f, "paused", no_args(env)),
        view(&f, "history_length", no_args(env)),
        view(&f, "base", no_args(env)),
        view(&f, "assets", no_args(env)),
        view(&f, "decimals", no_args(env)),
        view(&f, "resolution", no_args(env)),
        view(&f, "price", (a0.clone(), now).into_val(env)),
        view(&f, "prices", (a0.clone(), 1u32).into_val(env)),
        view(&f, "lastprice", (a0.clone(),).into_val(env)),
    ];
    check_all(&w, &feed_rows, &feed_views, &mut tally);
    let reporter = Timelock {
        contract: f.clone(),
        registered: adapter.clone(),
        queue: ("queue_reporter", (w.other.clone(),).into_val(env)),
        cancel: ("cancel_reporter", no_args(env)),
        apply: Some(("apply_reporter", no_args(env))),
        apply_signer: None,
    };
    check_timelocks(&w, &[reporter], &mut tally);
    assert_eq!(feed.reporter(), w.other);

    // amm-pool (registered: margin-account, which lists it as a venue).
    let pool = p.pool(0, 1);
    let by = |function, args: Vec<Val>| signed(&pool, function, args, Role::Keeper, &m);
    let swap = (k.clone(), t0.clone(), t1.clone(), UNIT, 0i128, k.clone()).into_val(env);
    let add = (k.clone(), 10 * UNIT, 5 * UNIT, 0i128).into_val(env);
    check_all(
        &w,
        &[by("swap", swap), by("add_liquidity", add)],
        &[],
        &mut tally,
    );
    let shares = amm_pool::AmmPoolClient::new(env, &pool).shares(&k);
    assert!(shares > 0);
    let remove = (k.clone(), shares, 0i128, 0i128).into_val(env);
    // swap_exact_in: no auth, the payment is the authorisation (paid beforehand).
    p.token(0).transfer(&k, &pool, &UNIT);
    let pool_open = [
        open(
            &pool,
            "swap_exact_in",
            (t0.clone(), t1.clone(), UNIT, 0i128, k.clone()).into_val(env),
        ),
        view(&pool, "quote_exact_in", (t0.clone(), UNIT).into_val(env)),
        view(&pool, "reserves", no_args(env)),
        view(&pool, "tokens", no_args(env)),
        view(&pool, "fee", no_args(env)),
        view(&pool, "shares", (k.clone(),).into_val(env)),
        view(&pool, "total_shares", no_args(env)),
    ];
    check_all(
        &w,
        &[by("remove_liquidity", remove)],
        &pool_open,
        &mut tally,
    );

    // keeper-receiver owned by the keeper (registered: the auction it serves).
    let receiver = env.register(
        wasm::load("keeper-receiver").as_slice(),
        (k.clone(), auction.clone()),
    );
    p.mint(1, &receiver, 10 * UNIT);
    let data = (pool.clone(), t0.clone(), t1.clone()).to_xdr(env);
    let receiver_rows = [
        signed(
            &receiver,
            "withdraw",
            (t1.clone(), UNIT, k.clone()).into_val(env),
            Role::Keeper,
            &auction,
        ),
        // A callback with an empty slice: the receiver hands `owe` debt tokens to the keeper.
        signed(
            &receiver,
            "on_auction_take",
            (k.clone(), 0u64, 0i128, UNIT, data).into_val(env),
            Role::Registered,
            &auction,
        ),
    ];
    check_all(&w, &receiver_rows, &[], &mut tally);
    assert_eq!(p.balance(1, &receiver), 8 * UNIT);
    // Signed: set_subscriber, margin-account's set_liquidator, 4 feed rows and the reporter's
    // queue and cancel, 3 pool rows, 2 receiver rows (on_auction_take refuses 6 roles); open:
    // 13 adapter, 10 feed (and apply_reporter), 7 pool rows.
    assert_eq!(
        (tally.refused, tally.allowed, tally.open),
        (12 * 5 + 6, 13, 31)
    );
}

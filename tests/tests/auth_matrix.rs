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

use governance::GovernanceError;
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{self, default_params_margin, UNIT};
use protocol_tests::snapshot::Snapshot;
use protocol_tests::{feed_fixture, fixture, vault_fixture, wasm};
use sep40::Asset;
use soroban_sdk::testutils::{Address as _, AuthorizedFunction, MockAuth, MockAuthInvoke};
use soroban_sdk::xdr::{LedgerKey, ScErrorCode, ScErrorType, ScVal, ToXdr};
use soroban_sdk::{
    contract, contractimpl, Address, Bytes, BytesN, Env, IntoVal, InvokeError, Symbol, TryFromVal,
    Val, Vec,
};

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
    /// Closed rows: every role refused (the constructors, callable only inside the deployment).
    closed: usize,
}

impl Tally {
    /// Entry point × role cells checked: 7 per row (an open row allows all 7; a signed row
    /// allows its role and refuses the others, the registered contract through the unrelated one;
    /// a closed row refuses all 7).
    fn cells(&self) -> usize {
        (self.allowed + self.open + self.closed) * ROLES.len()
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
/// nothing. Queued again and due, `apply_params` and `apply_insurance` (paying out of a funded
/// insurance fund) are open.
#[test]
fn auction_params_and_insurance_timelocks_need_the_admin_once() {
    let w = World::new();
    let a = &w.fx.auction;
    let env = w.env();
    let t1 = w.fx.p.tokens[1].clone();
    let m = w.fx.p.margin.address.clone();
    a.fund_insurance(&w.keeper, &t1, &(10 * UNIT));
    let t = |queue, cancel, apply| Timelock {
        contract: a.address.clone(),
        registered: m.clone(),
        queue,
        cancel,
        apply: Some(apply),
        apply_signer: None,
    };
    let timelocks = [
        t(
            (
                "queue_params",
                (liquidation_auction::default_params(),).into_val(env),
            ),
            ("cancel_params", no_args(env)),
            ("apply_params", no_args(env)),
        ),
        t(
            (
                "queue_insurance",
                (t1.clone(), UNIT, w.other.clone()).into_val(env),
            ),
            ("cancel_insurance", (t1.clone(),).into_val(env)),
            ("apply_insurance", (t1.clone(),).into_val(env)),
        ),
    ];
    let mut tally = Tally::default();
    check_timelocks(&w, &timelocks, &mut tally);
    assert_eq!(w.fx.p.balance(1, &w.other), UNIT);
    assert_eq!(a.insurance(&t1), 9 * UNIT);
    assert_eq!((tally.refused, tally.allowed, tally.open), (4 * 5, 4, 2));
}

/// oracle-adapter's source timelock: `queue_source` and `cancel_source` need the admin's auth,
/// `apply_source` once due is open.
#[test]
fn adapter_source_timelock() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let (m, _, adapter, t0, _) = w.names();
    let config = p.oracle.config(&t0, &[&p.feeds[0]]);
    let source = Timelock {
        contract: adapter.clone(),
        registered: m.clone(),
        queue: ("queue_source", (t0.clone(), config).into_val(env)),
        cancel: ("cancel_source", (t0.clone(),).into_val(env)),
        apply: Some(("apply_source", (t0.clone(),).into_val(env))),
        apply_signer: None,
    };
    let mut tally = Tally::default();
    check_timelocks(&w, &[source], &mut tally);
    let quote = p.oracle.adapter.quotes(&p.token_vec(&[0])).get(0).unwrap();
    assert_eq!(quote.spot, p.prices[0]);
    assert_eq!((tally.refused, tally.allowed, tally.open), (2 * 5, 2, 1));
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

// ---------------------------------------------------------------------------------------------
// Deploy time and code changes: the constructors of the seven contracts and `apply_upgrade` of
// the five governed ones.

/// A contract that calls other contracts: it stands in for every contract role (the registered
/// one and an unrelated one; the host treats every contract caller alike) calling a constructor,
/// and deploys contracts of its own.
#[contract]
pub struct Caller;

#[contractimpl]
impl Caller {
    /// Calls `function(args)` on `target`; true when the host refused the call as a direct call
    /// of a reserved function, false when it succeeded or failed otherwise.
    pub fn refused_as_reserved(
        env: Env,
        target: Address,
        function: Symbol,
        args: Vec<Val>,
    ) -> bool {
        let r = env.try_invoke_contract::<Val, soroban_sdk::Error>(&target, &function, args);
        matches!(r, Err(Ok(e)) if e == reserved_refusal())
    }

    /// Deploys the uploaded wasm `hash` at the address this contract and `salt` give, its
    /// constructor called with `args`.
    pub fn deploy(env: Env, hash: BytesN<32>, salt: BytesN<32>, args: Vec<Val>) -> Address {
        env.deployer()
            .with_current_contract(salt)
            .deploy_v2(hash, args)
    }
}

/// The host's answer to a direct call of a `__`-prefixed function ("can't invoke a reserved
/// function directly"); an auth failure is `(Auth, InvalidAction)`.
fn reserved_refusal() -> soroban_sdk::Error {
    soroban_sdk::Error::from_type_and_code(ScErrorType::Context, ScErrorCode::InvalidAction)
}

/// A contract of the world and the arguments its constructor took at deployment.
struct Deployed {
    /// Its crate, whose WASM build it runs.
    name: &'static str,
    contract: Address,
    args: Vec<Val>,
}

/// A second call of `d`'s constructor. Signed by each role in turn (an always-approving auth for
/// exactly that call), it is refused by the host before the contract runs: no auth is asked and
/// the whole ledger is unchanged. The contract roles go through [`Caller`], and are refused the
/// same way. Every auth mocked, it is refused too. No role is allowed: a closed row.
fn check_constructor(w: &World, d: &Deployed, caller: &CallerClient, tally: &mut Tally) {
    let env = w.env();
    let name = Symbol::new(env, "__constructor");
    for role in ROLES {
        if role == Role::Registered {
            env.mock_all_auths();
            w.fx.p.fresh_budget();
            let before = Snapshot::take(env);
            assert!(
                caller.refused_as_reserved(&d.contract, &name, &d.args),
                "{}: a contract called the constructor",
                d.name
            );
            before.assert_unchanged(env, d.name);
            tally.refused += 1;
            continue;
        }
        let signer = w.addr(role, &caller.address);
        let invoke = MockAuthInvoke {
            contract: &d.contract,
            fn_name: "__constructor",
            args: d.args.clone(),
            sub_invokes: &[],
        };
        env.mock_auths(&[MockAuth {
            address: &signer,
            invoke: &invoke,
        }]);
        let before = Snapshot::take(env);
        let r =
            env.try_invoke_contract::<Val, soroban_sdk::Error>(&d.contract, &name, d.args.clone());
        assert!(
            matches!(&r, Err(Ok(e)) if *e == reserved_refusal()),
            "{}: constructor signed by {role:?}: {r:?}",
            d.name
        );
        assert!(env.auths().is_empty(), "{}: {role:?}", d.name);
        env.mock_all_auths();
        before.assert_unchanged(env, d.name);
        tally.refused += 1;
    }
    let before = Snapshot::take(env);
    let r = env.try_invoke_contract::<Val, soroban_sdk::Error>(&d.contract, &name, d.args.clone());
    assert!(
        matches!(&r, Err(Ok(e)) if *e == reserved_refusal()),
        "{}: constructor, every auth mocked: {r:?}",
        d.name
    );
    before.assert_unchanged(env, d.name);
    tally.closed += 1;
}

/// The seven contracts of the world with their deploy-time arguments (as the fixtures deployed
/// them), and the keeper-reported price-feed.
fn deployed(w: &World) -> [Deployed; 7] {
    let p = &w.fx.p;
    let env = w.env();
    let (m, auction, adapter, t0, t1) = w.names();
    let feed = keeper_reported_feed(w).address;
    let d = |name, contract: &Address, args: Vec<Val>| Deployed {
        name,
        contract: contract.clone(),
        args,
    };
    let (a, g) = (p.admin.clone(), p.guardian.clone());
    [
        d(
            "vault",
            &p.vaults[0].address,
            (
                a.clone(),
                g.clone(),
                fixture::DELAY,
                t0.clone(),
                soroban_sdk::String::from_str(env, "Vault"),
                soroban_sdk::String::from_str(env, "vTKN"),
                vault_fixture::default_params(),
            )
                .into_val(env),
        ),
        d(
            "margin-account",
            &m,
            (
                a.clone(),
                g.clone(),
                fixture::DELAY,
                adapter.clone(),
                default_params_margin(),
            )
                .into_val(env),
        ),
        d(
            "liquidation-auction",
            &auction,
            (
                a.clone(),
                g.clone(),
                fixture::DELAY,
                m.clone(),
                adapter.clone(),
                liquidation_auction::default_params(),
            )
                .into_val(env),
        ),
        d(
            "oracle-adapter",
            &adapter,
            (
                a.clone(),
                g.clone(),
                fixture::DELAY,
                fixture::usd(),
                fixture::ADAPTER_DECIMALS,
                fixture::RESOLUTION,
            )
                .into_val(env),
        ),
        d(
            "price-feed",
            &feed,
            (
                a.clone(),
                g.clone(),
                fixture::DELAY,
                w.keeper.clone(),
                fixture::usd(),
                fixture::ADAPTER_DECIMALS,
                fixture::RESOLUTION,
                feed_fixture::HISTORY,
            )
                .into_val(env),
        ),
        d(
            "amm-pool",
            &p.pool(0, 1),
            (t0.clone(), t1.clone(), protocol_fixture::POOL_FEE).into_val(env),
        ),
        d(
            "keeper-receiver",
            &w.fx.receiver.address,
            (w.fx.keeper_owner.clone(), auction.clone()).into_val(env),
        ),
    ]
}

/// The constructors: each runs once, inside the deployment, and can never be called again. On
/// the world's live contracts a second call is refused for every role (a closed row each). At
/// deployment the constructor asks no one's auth: a wallet deploying with the arguments naming
/// the admin and the guardian signs the creation alone, and a second deployment at the same
/// address is refused and changes nothing.
#[test]
fn constructors_run_once_at_deployment_and_never_again() {
    let w = World::new();
    let env = w.env();
    let caller = CallerClient::new(env, &env.register(Caller, ()));
    let mut tally = Tally::default();
    let contracts = deployed(&w);
    for d in &contracts {
        check_constructor(&w, d, &caller, &mut tally);
    }
    for (n, d) in contracts.iter().enumerate() {
        env.mock_all_auths();
        w.fx.p.fresh_budget();
        let code = Bytes::from_slice(env, &wasm::load(d.name));
        let hash = env.deployer().upload_contract_wasm(code);
        let salt = BytesN::from_array(env, &[n as u8 + 1; 32]);
        let deployer = env.deployer().with_address(w.keeper.clone(), salt.clone());
        let fresh = deployer.deploy_v2(hash.clone(), d.args.clone());
        let signers: std::vec::Vec<Address> = env.auths().into_iter().map(|(a, _)| a).collect();
        assert_eq!(signers, std::vec![w.keeper.clone()], "{}: deployed", d.name);
        assert!(matches!(
            env.auths()[0].1.function,
            AuthorizedFunction::CreateContractV2HostFn(_)
        ));
        assert_eq!(fresh, deployer.deployed_address());
        // Deployed from a contract: the same salt twice gives the same address, refused.
        let first = caller.deploy(&hash, &salt, &d.args);
        let before = Snapshot::take(env);
        let again = caller.try_deploy(&hash, &salt, &d.args);
        assert!(again.is_err(), "{}: deployed twice at {first:?}", d.name);
        before.assert_unchanged(env, d.name);
    }
    // 7 constructors, each refusing the 7 roles (the contract roles through the caller).
    assert_eq!(
        (tally.refused, tally.allowed, tally.open, tally.closed),
        (7 * 7, 0, 0, 7)
    );
    assert_eq!(tally.cells(), 7 * 7);
}

/// Uploads the second build of the crate `name` (`target/wasm/<name>_v2.wasm`, whose only change
/// is an extra `version() -> 2`) and returns its hash.
fn upload_v2(env: &Env, name: &str) -> BytesN<32> {
    let code = wasm::load(&format!("{}_v2", name.replace('-', "_")));
    env.deployer()
        .upload_contract_wasm(Bytes::from_slice(env, &code))
}

/// `version()` of `contract`: `Some(2)` on the second build, `None` on the first (no such entry
/// point).
fn version(env: &Env, contract: &Address) -> Option<u32> {
    let name = Symbol::new(env, "version");
    match env.try_invoke_contract::<u32, InvokeError>(contract, &name, no_args(env)) {
        Ok(Ok(v)) => Some(v),
        _ => None,
    }
}

/// `apply_upgrade` of `contract` must fail with governance error `code` and change nothing.
fn apply_refused(w: &World, contract: &Address, code: GovernanceError) {
    let env = w.env();
    env.mock_all_auths();
    w.fx.p.fresh_budget();
    let before = Snapshot::take(env);
    let name = Symbol::new(env, "apply_upgrade");
    let r = env.try_invoke_contract::<Val, InvokeError>(contract, &name, no_args(env));
    assert!(
        matches!(r, Err(Ok(InvokeError::Contract(c))) if c == code as u32),
        "apply_upgrade of {contract:?}: expected {code:?}, got {r:?}"
    );
    assert!(env.auths().is_empty());
    before.assert_unchanged(env, "apply_upgrade");
}

/// `apply_upgrade` of each governed contract, with real code: open to anyone once the admin's
/// queued upgrade is due (an open row: it asks no auth), refused as `NotQueued` before a queue
/// and as `TooEarly` a second before the delay, each refusal changing nothing. Applied, it
/// changes only the contract's own entries, and the contract runs the second build. (Queue and
/// cancel are rows of `governed_timelocks_and_role_views_of_every_governed_contract`; the
/// protocol on the new code: `tests/tests/upgrades.rs`.)
#[test]
fn apply_upgrade_of_every_governed_contract_is_open_once_due() {
    let w = World::new();
    let p = &w.fx.p;
    let env = w.env();
    let (m, auction, adapter, _, _) = w.names();
    let feed = keeper_reported_feed(&w).address;
    let governed = [
        ("vault", p.vaults[0].address.clone()),
        ("margin-account", m),
        ("liquidation-auction", auction),
        ("oracle-adapter", adapter),
        ("price-feed", feed),
    ];
    for (name, contract) in &governed {
        assert_eq!(version(env, contract), None, "{name}: the first build");
        apply_refused(&w, contract, GovernanceError::NotQueued);
        let hash = upload_v2(env, name);
        invoke(&w, contract, "queue_upgrade", (hash,).into_val(env));
    }
    p.advance(governance::MIN_DELAY - 1);
    for (_, contract) in &governed {
        apply_refused(&w, contract, GovernanceError::TooEarly);
    }
    p.advance(1);
    let mut tally = Tally::default();
    for (name, contract) in &governed {
        let before = Snapshot::take(env);
        check_open(
            &w,
            &open(contract, "apply_upgrade", no_args(env)),
            &mut tally,
        );
        let after = Snapshot::take(env);
        let changed = before.changed_keys(&after);
        assert!(!changed.is_empty(), "{name}: the upgrade changed nothing");
        for key in changed {
            let owner = match &key {
                LedgerKey::ContractData(d) => {
                    Address::try_from_val(env, &ScVal::Address(d.contract.clone())).ok()
                }
                _ => None,
            };
            assert_eq!(owner.as_ref(), Some(contract), "{name}: {key:?} changed");
        }
        assert_eq!(version(env, contract), Some(2), "{name}: the second build");
    }
    assert_eq!((tally.refused, tally.allowed, tally.open), (0, 0, 5));
}

// ---------------------------------------------------------------------------------------------
// Completeness: the matrix's entry points are the builds' exported functions.

/// The timelocked governance every governed contract exports (vault, margin-account,
/// liquidation-auction, oracle-adapter, price-feed): rows of
/// `governed_timelocks_and_role_views_of_every_governed_contract` and
/// `apply_upgrade_of_every_governed_contract_is_open_once_due`.
const GOVERNED: [&str; 16] = [
    "accept_admin",
    "admin",
    "apply_delay",
    "apply_guardian",
    "apply_upgrade",
    "cancel_admin",
    "cancel_delay",
    "cancel_guardian",
    "cancel_upgrade",
    "change_eta",
    "guardian",
    "propose_admin",
    "queue_delay",
    "queue_guardian",
    "queue_upgrade",
    "timelock_delay",
];

/// Each contract's entry points besides [`GOVERNED`], every one a row of the tests above (the
/// constructor: `constructors_run_once_at_deployment_and_never_again`), and whether it is
/// governed. A new entry point fails `every_exported_function_is_a_row_of_the_matrix` until it
/// is added here and given its row.
const MATRIX: [(&str, bool, &[&str]); 7] = [
    (
        "amm-pool",
        false,
        &[
            "__constructor",
            "add_liquidity",
            "fee",
            "quote_exact_in",
            "remove_liquidity",
            "reserves",
            "shares",
            "swap",
            "swap_exact_in",
            "tokens",
            "total_shares",
        ],
    ),
    (
        "keeper-receiver",
        false,
        &["__constructor", "on_auction_take", "withdraw"],
    ),
    (
        "liquidation-auction",
        true,
        &[
            "__constructor",
            "apply_insurance",
            "apply_params",
            "auction",
            "auctions_of",
            "cancel_insurance",
            "cancel_params",
            "debt_under_auction",
            "fund_insurance",
            "insurance",
            "params",
            "price",
            "queue_insurance",
            "queue_params",
            "reset",
            "set_stopped",
            "settle_bad_debt",
            "start",
            "stopped",
            "take",
        ],
    ),
    (
        "margin-account",
        true,
        &[
            "__constructor",
            "accounts",
            "adapter",
            "apply_asset",
            "apply_liquidator",
            "apply_params",
            "apply_venue",
            "asset_config",
            "assets",
            "borrow",
            "cancel_asset",
            "cancel_liquidator",
            "cancel_params",
            "cancel_venue",
            "deposit",
            "deposit_for",
            "health",
            "liquidation_view",
            "liquidator",
            "maint_weights",
            "params",
            "position_shares",
            "positions",
            "queue_asset",
            "queue_liquidator",
            "queue_params",
            "queue_venue",
            "quotes_changed",
            "repay",
            "seize",
            "set_liquidator",
            "set_mode",
            "settle",
            "submit",
            "sync",
            "trade",
            "vault_cache",
            "venue_listed",
            "withdraw",
            "write_off_debt",
        ],
    ),
    (
        "oracle-adapter",
        true,
        &[
            "__constructor",
            "apply_source",
            "assets",
            "base",
            "cancel_source",
            "clear",
            "decimals",
            "lastprice",
            "price",
            "price_state",
            "prices",
            "queue_source",
            "quotes",
            "quotes_packed",
            "refresh",
            "resolution",
            "set_subscriber",
            "source",
            "subscriber",
            "trip",
        ],
    ),
    (
        "price-feed",
        true,
        &[
            "__constructor",
            "add_assets",
            "apply_reporter",
            "assets",
            "base",
            "cancel_reporter",
            "decimals",
            "history_length",
            "lastprice",
            "pause",
            "paused",
            "price",
            "prices",
            "queue_reporter",
            "reporter",
            "resolution",
            "set_prices",
            "unpause",
        ],
    ),
    (
        "vault",
        true,
        &[
            "__constructor",
            "allowance",
            "apply_borrower",
            "apply_claim_reserves",
            "apply_params",
            "approve",
            "balance",
            "borrow",
            "burn",
            "burn_from",
            "cancel_borrower",
            "cancel_claim_reserves",
            "cancel_params",
            "config",
            "convert_to_assets",
            "convert_to_shares",
            "credit_state",
            "debt_index",
            "decimals",
            "deposit",
            "max_deposit",
            "max_mint",
            "max_redeem",
            "max_withdraw",
            "mint",
            "name",
            "pause",
            "pool_state",
            "preview_deposit",
            "preview_mint",
            "preview_redeem",
            "preview_withdraw",
            "query_asset",
            "queue_borrower",
            "queue_claim_reserves",
            "queue_params",
            "redeem",
            "repay",
            "set_borrower",
            "symbol",
            "total_assets",
            "total_debt",
            "total_supply",
            "transfer",
            "transfer_from",
            "unpause",
            "withdraw",
            "write_off",
        ],
    ),
];

/// An unsigned LEB128 number at `at`; returns it and the offset after it.
fn leb128(bytes: &[u8], mut at: usize) -> (u64, usize) {
    let (mut value, mut shift) = (0u64, 0);
    loop {
        let b = bytes[at];
        at += 1;
        value |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            return (value, at);
        }
    }
}

/// The names of the functions a WASM module exports (its export section's function entries):
/// the contract's entry points.
fn exported_functions(wasm: &[u8]) -> std::collections::BTreeSet<String> {
    assert_eq!(&wasm[..4], b"\0asm", "not a WASM module");
    let mut names = std::collections::BTreeSet::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, body) = leb128(wasm, at + 1);
        let end = body + size as usize;
        if id == 7 {
            let (count, mut p) = leb128(wasm, body);
            for _ in 0..count {
                let (len, start) = leb128(wasm, p);
                let name = &wasm[start..start + len as usize];
                let kind = wasm[start + len as usize];
                let (_, next) = leb128(wasm, start + len as usize + 1);
                if kind == 0 {
                    names.insert(String::from_utf8(name.to_vec()).unwrap());
                }
                p = next;
            }
        }
        at = end;
    }
    names
}

/// Every function the seven WASM builds export is an entry point of the matrix: the builds'
/// export sections list exactly [`MATRIX`] (with [`GOVERNED`] for the governed contracts), 240
/// functions at stop 14.
#[test]
fn every_exported_function_is_a_row_of_the_matrix() {
    let mut total = 0;
    for (name, governed, own) in MATRIX {
        let exported = exported_functions(&wasm::load(name));
        let mut listed: std::collections::BTreeSet<String> =
            own.iter().map(|f| f.to_string()).collect();
        if governed {
            listed.extend(GOVERNED.iter().map(|f| f.to_string()));
        }
        assert_eq!(listed.len(), own.len() + if governed { 16 } else { 0 });
        let missing: std::vec::Vec<_> = exported.difference(&listed).collect();
        let gone: std::vec::Vec<_> = listed.difference(&exported).collect();
        assert!(
            missing.is_empty() && gone.is_empty(),
            "{name}: exported but not in the matrix {missing:?}; in the matrix but not exported {gone:?}"
        );
        total += exported.len();
    }
    assert_eq!(total, 240);
}

//! The auth matrix as tests (SPEC §12.7, docs/AUTH_MATRIX.md): each row names an entry point,
//! the one role whose auth it needs, and the call. For every other role the call is signed by
//! that role (an always-approving auth for exactly this invocation) and must fail in the host's
//! auth check with the whole ledger unchanged; then the call signed by its role must succeed
//! and `env.auths()` must name exactly that role for exactly this invocation.

use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::UNIT;
use protocol_tests::snapshot::Snapshot;
use soroban_sdk::testutils::{Address as _, AuthorizedFunction, MockAuth, MockAuthInvoke};
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

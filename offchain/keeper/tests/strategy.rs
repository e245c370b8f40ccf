//! The keeper's strategy on the embedded host with the real WASM protocol (protocol-tests'
//! auction fixture: token 0 at 1 USD as collateral, token 1 at 2 USD as debt, default auction
//! parameters: 1.05 buffer, 0.99 every 30 s, tail 1 h, cusp 0.6).

use std::path::PathBuf;

use keeper::embedded::{address_strkey, contract_id, EmbeddedBackend, EventLog};
use keeper::logic::{FixedPrices, Keeper, KeeperConfig, KeeperState, Strategy, Tuning};
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{UNIT, USD};
use soroban_sdk::Address;

fn config(f: &AuctionFixture, keeper: &Address, state_path: Option<PathBuf>) -> KeeperConfig {
    KeeperConfig {
        keeper: address_strkey(keeper),
        margin_account: contract_id(&f.p.margin.address),
        auction: contract_id(&f.auction.address),
        oracle: contract_id(&f.p.oracle.adapter.address),
        strategy: Strategy::Eager,
        min_profit: 100_000, // 1 %
        reference: Box::new(FixedPrices::default()),
        flash: None,
        state_path,
        start_ledger: 0,
        tuning: Tuning::default(),
    }
}

fn keeper_on(
    f: &AuctionFixture,
    log: &EventLog,
    keeper: &Address,
    state_path: Option<PathBuf>,
) -> Keeper<EmbeddedBackend> {
    let backend = EmbeddedBackend::new(f.env(), keeper, log);
    Keeper::new(backend, config(f, keeper, state_path))
        .expect("fresh state")
        .with_log(Box::new(std::io::sink()))
}

fn count(log: &EventLog, name: &str) -> usize {
    log.events()
        .iter()
        .filter(|e| e.name() == Some(name))
        .count()
}

fn sent(report: &keeper::logic::StepReport, action: &str) -> usize {
    report
        .decisions
        .iter()
        .filter(|d| d.action == action && d.sent)
        .count()
}

fn temp_state(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keeper-strategy-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    path
}

/// The fixture, a shared event log, an account of 1000 token 0 against `debt` token 1 (its
/// events captured) and a keeper holding token 1 with an allowance to the auction.
fn setup(debt: i128) -> (AuctionFixture<'static>, EventLog, Address, Address) {
    let f = AuctionFixture::new();
    let log = EventLog::new();
    let owner = f.levered_account(1_000, debt);
    log.capture(f.env());
    let keeper = f.funded_keeper(1_000_000 * UNIT);
    (f, log, owner, keeper)
}

#[test]
fn crash_makes_account_liquidatable_keeper_starts_then_takes_when_profitable() {
    let (mut f, log, owner, keeper) = setup(330);
    let mut k = keeper_on(&f, &log, &keeper, None);

    let healthy = k.step().expect("step");
    assert!(healthy.events > 0);
    assert_eq!(healthy.evaluated, 1);
    assert!(healthy.decisions.is_empty(), "{:?}", healthy.decisions);
    assert!(k.state().accounts.contains(&(address_strkey(&owner), 0)));

    f.p.set_price(0, USD * 75 / 100);
    let crash = k.step().expect("step");
    assert_eq!(sent(&crash, "start"), 1, "{:?}", crash.decisions);
    assert_eq!(count(&log, "auction_started"), 1);
    let started = &crash.decisions[0];
    assert_eq!(started.account, Some((address_strkey(&owner), 0)));
    assert!(started.detail["why"]["maint_health"].as_i64().unwrap() < 10_000_000);

    // The auction opens 5 % above spot: not profitable yet.
    let open = k.step().expect("step");
    assert_eq!(k.state().auctions.len(), 1);
    assert_eq!(open.decisions.len(), 1);
    assert_eq!(open.decisions[0].action, "hold");
    let price = open.decisions[0].detail["price"].as_i64().unwrap();
    let reference = open.decisions[0].detail["reference"].as_i64().unwrap();
    assert_eq!(reference, 37_500_000_000_000); // 0.75 / 2 at 14 decimals
    assert!(price > reference);

    // 0.99 every 30 s: 1.05 * 0.99^8 = 0.969 of spot after 240 s, under 99 % of the reference.
    let coll_before = f.p.balance(0, &keeper);
    let debt_before = f.p.balance(1, &keeper);
    f.p.advance(240);
    let take = k.step().expect("step");
    assert_eq!(sent(&take, "take"), 1, "{:?}", take.decisions);
    assert_eq!(count(&log, "auction_taken"), 1);
    let got = f.p.balance(0, &keeper) - coll_before;
    let paid = debt_before - f.p.balance(1, &keeper);
    assert!(got > 0 && paid > 0);
    // Bought under 99 % of the reference price: got * 0.375 * 0.99 >= paid.
    assert!(
        got * 375 * 99 >= paid * 1_000 * 100,
        "got {got} paid {paid}"
    );

    // The take closed the auction; the account is back above maint: nothing more to do.
    let after = k.step().expect("step");
    assert!(k.state().auctions.is_empty());
    assert_eq!(
        sent(&after, "start") + sent(&after, "take"),
        0,
        "{:?}",
        after.decisions
    );
    let h = f.p.margin.health(&owner, &0);
    assert!(h.maint >= 10_000_000, "maint {}", h.maint);
}

#[test]
fn stale_auction_is_reset() {
    let (mut f, log, _owner, keeper) = setup(330);
    let mut k = keeper_on(&f, &log, &keeper, None);
    // A keeper that never finds the price good enough.
    k.config_mut().strategy = Strategy::Patient { extra: 9_000_000 };
    f.p.set_price(0, USD * 75 / 100);
    assert_eq!(sent(&k.step().expect("step"), "start"), 1);
    k.step().expect("step");
    // 0.99^51 < 0.6: past the cusp after 26 minutes.
    f.p.advance(30 * 52);
    let report = k.step().expect("step");
    assert_eq!(sent(&report, "reset"), 1, "{:?}", report.decisions);
    assert_eq!(count(&log, "auction_reset"), 1);
    // Fresh again: the next step holds.
    let next = k.step().expect("step");
    assert_eq!(sent(&next, "reset"), 0);
    assert_eq!(next.decisions[0].action, "hold");
}

#[test]
fn bad_debt_is_settled_after_the_lot_runs_out() {
    let (mut f, log, owner, keeper) = setup(330);
    let mut k = keeper_on(&f, &log, &keeper, None);
    k.step().expect("step");
    // 1000 tokens at 0.30 USD against 660 USD of debt: underwater.
    f.p.set_price(0, USD * 30 / 100);
    assert_eq!(sent(&k.step().expect("step"), "start"), 1);
    f.p.advance(240);
    let take = k.step().expect("step");
    assert_eq!(sent(&take, "take"), 1, "{:?}", take.decisions);
    assert_eq!(count(&log, "auction_closed"), 1);
    let settle = k.step().expect("step");
    assert_eq!(sent(&settle, "settle"), 1, "{:?}", settle.decisions);
    assert_eq!(count(&log, "bad_debt_settled"), 1);
    let positions = f.p.margin.positions(&owner, &0);
    assert!(positions.values().iter().all(|n| n >= 0), "{positions:?}");
    // Settled once: the next step does nothing.
    let again = k.step().expect("step");
    assert!(
        again.decisions.iter().all(|d| !d.sent),
        "{:?}",
        again.decisions
    );
    assert_eq!(count(&log, "bad_debt_settled"), 1);
}

#[test]
fn restart_from_the_state_file_never_acts_twice() {
    let (mut f, log, owner, keeper) = setup(330);
    let path = temp_state("restart");
    let mut k = keeper_on(&f, &log, &keeper, Some(path.clone()));
    k.step().expect("step");
    let saved = std::fs::read_to_string(&path).expect("state saved");
    let state: KeeperState = serde_json::from_str(&saved).expect("state json");
    assert!(state.accounts.contains(&(address_strkey(&owner), 0)));
    assert!(state.cursor_after.is_some());
    drop(k);

    // Crash after the start was sent but before anything was saved: the file is the old one.
    f.p.set_price(0, USD * 75 / 100);
    let mut k = keeper_on(&f, &log, &keeper, Some(path.clone()));
    assert_eq!(sent(&k.step().expect("step"), "start"), 1);
    drop(k);
    std::fs::write(&path, &saved).expect("restore old state");

    let mut k = keeper_on(&f, &log, &keeper, Some(path.clone()));
    let report = k.step().expect("step");
    assert_eq!(sent(&report, "start"), 0, "{:?}", report.decisions);
    assert_eq!(count(&log, "auction_started"), 1);
    assert_eq!(k.state().auctions.len(), 1);
    drop(k);

    // Killed between steps: a new process resumes from the file with the same state.
    let before: KeeperState =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut k = keeper_on(&f, &log, &keeper, Some(path.clone()));
    assert_eq!(k.state(), &before);
    let report = k.step().expect("step");
    assert_eq!(report.events, 0);
    assert!(
        report.decisions.iter().all(|d| !d.sent),
        "{:?}",
        report.decisions
    );
    assert_eq!(count(&log, "auction_started"), 1);
}

#[test]
fn watch_lists_the_margin_call_zone_then_the_nearest() {
    let mut f = AuctionFixture::new();
    let log = EventLog::new();
    let tight = f.levered_account(1_000, 330);
    log.capture(f.env());
    let loose = f.levered_account(1_000, 200);
    log.capture(f.env());
    let keeper = f.funded_keeper(UNIT);
    let mut k = keeper_on(&f, &log, &keeper, None);
    // At 0.90: tight has maint 810 / 726 = 1.116 and init about 720 / 792 = 0.909.
    f.p.set_price(0, USD * 90 / 100);
    let calls = k.watch(1).expect("watch");
    assert_eq!(calls.len(), 2);
    let first = calls[0].to_json();
    assert_eq!(first["owner"], address_strkey(&tight));
    assert_eq!(first["margin_call"], true);
    let maint = first["maint_health"].as_f64().unwrap();
    assert!((maint - 810.0 / 726.0).abs() < 1e-3, "{maint}");
    assert!(first["init_health"].as_f64().unwrap() < 1.0);
    // Weighted collateral 810 must fall to the weighted debt 726: token 0 at 726 / 810 of its
    // price, -10.4 %.
    let moves = first["price_moves"].as_array().unwrap();
    let coll = moves
        .iter()
        .find(|m| m["asset"] == address_strkey(&f.p.tokens[0]))
        .expect("collateral move");
    let factor = coll["factor"].as_f64().unwrap();
    assert!((factor - 726.0 / 810.0).abs() < 1e-3, "{factor}");
    assert!((coll["change_pct"].as_f64().unwrap() + 10.37).abs() < 0.01);
    let second = calls[1].to_json();
    assert_eq!(second["owner"], address_strkey(&loose));
    assert_eq!(second["margin_call"], false);
    // The native figure values the exact token amounts (`positions`); the contract values shares
    // through its vault caches, which err on the protocol's side: within 1e-4, never above.
    let h = f.p.margin.health(&tight, &0);
    let contract = h.maint as f64 / 1e7;
    assert!(
        maint >= contract && maint - contract < 1e-4,
        "native {maint} contract {contract}"
    );
    assert!(k.watch(0).expect("watch").len() == 1);
}

#[test]
fn flash_take_through_keeper_receiver_needs_no_capital() {
    let mut f = AuctionFixture::new();
    let log = EventLog::new();
    f.levered_account(1_000, 330);
    log.capture(f.env());
    // The receiver's owner keeps no tokens; it only lets the auction pull what the receiver
    // hands it back.
    let keeper = f.keeper_owner.clone();
    let expiry = f.env().ledger().sequence() + 100_000;
    f.p.token(1)
        .approve(&keeper, &f.auction.address, &(1_000_000 * UNIT), &expiry);
    let mut k = keeper_on(&f, &log, &keeper, None);
    let pair = (
        address_strkey(&f.p.tokens[0]),
        address_strkey(&f.p.tokens[1]),
    );
    let mut pools = std::collections::HashMap::new();
    pools.insert(pair, contract_id(&f.p.pool(0, 1)));
    k.config_mut().flash = Some(keeper::logic::FlashTake {
        receiver: contract_id(&f.receiver.address),
        pools,
    });
    f.p.set_price(0, USD * 75 / 100);
    assert_eq!(sent(&k.step().expect("step"), "start"), 1);
    k.step().expect("step");
    // The starter's bonus, in collateral, is all the keeper holds.
    let bonus = f.p.balance(0, &keeper);
    assert!(bonus > 0);
    assert_eq!(f.p.balance(1, &keeper), 0);
    f.p.advance(240);
    let take = k.step().expect("step");
    assert_eq!(sent(&take, "take"), 1, "{:?}", take.decisions);
    assert_eq!(count(&log, "auction_taken"), 1);
    // The slice was sold on the pool inside the take: the receiver keeps the surplus in the
    // debt token, the keeper ends with no collateral and no debt token spent.
    assert!(f.p.balance(1, &f.receiver.address) > 0);
    assert_eq!(f.p.balance(0, &keeper), bonus);
    assert_eq!(f.p.balance(1, &keeper), 0);
    assert_eq!(f.p.balance(0, &f.receiver.address), 0);
}

/// The embedded backend, counting `positions` reads and submits; with `in_flight` a submit
/// is not applied and reports the transaction unconfirmed for an hour (as a node that has not
/// included it yet).
struct Counting {
    inner: EmbeddedBackend,
    reads: std::rc::Rc<std::cell::Cell<usize>>,
    submits: std::rc::Rc<std::cell::Cell<usize>>,
    in_flight: bool,
}

impl keeper::Backend for Counting {
    fn latest_ledger(&mut self) -> Result<u32, keeper::BackendError> {
        self.inner.latest_ledger()
    }

    fn events_since(
        &mut self,
        cursor: &keeper::EventCursor,
        contracts: &[keeper::ContractId],
    ) -> Result<keeper::EventBatch, keeper::BackendError> {
        self.inner.events_since(cursor, contracts)
    }

    fn read_entries(
        &mut self,
        keys: &[stellar_xdr::LedgerKey],
    ) -> Result<Vec<Option<keeper::xdr::Entry>>, keeper::BackendError> {
        self.inner.read_entries(keys)
    }

    fn simulate(
        &mut self,
        call: &keeper::ContractCall,
    ) -> Result<keeper::SimResult, keeper::BackendError> {
        if call.function == "positions" {
            self.reads.set(self.reads.get() + 1);
        }
        self.inner.simulate(call)
    }

    fn submit(
        &mut self,
        call: &keeper::ContractCall,
    ) -> Result<keeper::TxResult, keeper::BackendError> {
        self.submits.set(self.submits.get() + 1);
        if self.in_flight {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            return Err(keeper::BackendError::Unconfirmed {
                hash: "ab".repeat(32),
                valid_until: now + 3_600,
            });
        }
        self.inner.submit(call)
    }
}

#[test]
fn positions_are_reread_only_when_events_touch_the_account() {
    let (mut f, log, owner, keeper) = setup(330);
    let reads = std::rc::Rc::new(std::cell::Cell::new(0));
    let backend = Counting {
        inner: EmbeddedBackend::new(f.env(), &keeper, &log),
        reads: reads.clone(),
        submits: Default::default(),
        in_flight: false,
    };
    let mut k = Keeper::new(backend, config(&f, &keeper, None))
        .unwrap()
        .with_log(Box::new(std::io::sink()));
    k.step().unwrap();
    assert_eq!(reads.get(), 1);
    k.step().unwrap();
    assert_eq!(reads.get(), 1, "untouched and far from liquidation: cached");
    f.p.mint(0, &owner, 10 * UNIT);
    f.p.margin.deposit(&owner, &0, &f.p.tokens[0], &(10 * UNIT));
    log.capture(f.env());
    k.step().unwrap();
    assert_eq!(reads.get(), 2, "the deposit event marks it");
    // A crash needs no re-read: fresh quotes revalue the cached positions.
    f.p.set_price(0, USD * 75 / 100);
    let report = k.step().unwrap();
    assert_eq!(reads.get(), 2);
    assert_eq!(sent(&report, "start"), 1, "{:?}", report.decisions);
}

#[test]
fn unconfirmed_transaction_is_not_replaced_before_its_deadline_even_after_a_restart() {
    let (mut f, log, _owner, keeper) = setup(330);
    let path = temp_state("pending");
    let submits = std::rc::Rc::new(std::cell::Cell::new(0));
    let env = f.env().clone();
    let counting = |submits: &std::rc::Rc<std::cell::Cell<usize>>| Counting {
        inner: EmbeddedBackend::new(&env, &keeper, &log),
        reads: Default::default(),
        submits: submits.clone(),
        in_flight: true,
    };
    let mut k = Keeper::new(counting(&submits), config(&f, &keeper, Some(path.clone())))
        .unwrap()
        .with_log(Box::new(std::io::sink()));
    k.step().unwrap();
    f.p.set_price(0, USD * 75 / 100);
    let first = k.step().unwrap();
    assert_eq!(submits.get(), 1);
    assert_eq!(first.decisions[0].action, "skip");
    assert!(k
        .state()
        .pending
        .keys()
        .any(|key| key.starts_with("start:")));
    let second = k.step().unwrap();
    assert_eq!(submits.get(), 1, "{:?}", second.decisions);
    drop(k);
    let mut k = Keeper::new(counting(&submits), config(&f, &keeper, Some(path)))
        .unwrap()
        .with_log(Box::new(std::io::sink()));
    let after_restart = k.step().unwrap();
    assert_eq!(submits.get(), 1, "{:?}", after_restart.decisions);
    let refused = &after_restart.decisions[0].detail["refused"];
    assert!(refused.as_str().unwrap().contains("pending"), "{refused}");
    assert_eq!(count(&log, "auction_started"), 0);
}

fn tuned(k: &mut Keeper<EmbeddedBackend>, reaction_delay: u64, max_slice: i128) {
    k.config_mut().tuning = Tuning {
        reaction_delay,
        max_slice,
        ..Tuning::default()
    };
}

#[test]
fn a_slow_keeper_waits_its_reaction_delay_before_starting_and_taking() {
    let (mut f, log, _owner, keeper) = setup(330);
    let mut k = keeper_on(&f, &log, &keeper, None);
    tuned(&mut k, 120, keeper::logic::config::ONE);
    k.step().expect("step");
    f.p.set_price(0, USD * 75 / 100);

    // First seen liquidatable: the keeper waits 120 s of ledger time.
    let seen = k.step().expect("step");
    assert_eq!(sent(&seen, "start"), 0, "{:?}", seen.decisions);
    assert_eq!(seen.decisions[0].action, "wait");
    assert_eq!(seen.decisions[0].detail["seconds_left"], 120);
    f.p.advance(60);
    let still = k.step().expect("step");
    assert_eq!(still.decisions[0].action, "wait");
    assert_eq!(still.decisions[0].detail["seconds_left"], 60);
    f.p.advance(60);
    assert_eq!(sent(&k.step().expect("step"), "start"), 1);
    assert_eq!(count(&log, "auction_started"), 1);

    // The auction is a new opportunity: seen now, taken no earlier than 120 s later even if
    // the price is already good enough (1.05 * 0.99^4 = 1.009 of spot after 120 s: held then).
    let first = k.step().expect("step");
    assert_eq!(first.decisions[0].action, "wait");
    f.p.advance(240);
    let take = k.step().expect("step");
    assert_eq!(sent(&take, "take"), 1, "{:?}", take.decisions);
}

#[test]
fn a_slicer_takes_its_share_of_the_lot_and_leaves_the_rest_live() {
    let (mut f, log, _owner, keeper) = setup(330);
    let mut k = keeper_on(&f, &log, &keeper, None);
    tuned(&mut k, 0, 2_500_000);
    k.step().expect("step");
    f.p.set_price(0, USD * 75 / 100);
    assert_eq!(sent(&k.step().expect("step"), "start"), 1);
    let started = log
        .events()
        .into_iter()
        .find(|e| e.name() == Some("auction_started"))
        .expect("started");
    let lot_tokens = started
        .data
        .field("lot")
        .and_then(keeper::Val::as_i128)
        .expect("lot");
    f.p.advance(240);
    let coll_before = f.p.balance(0, &keeper);
    let take = k.step().expect("step");
    assert_eq!(sent(&take, "take"), 1, "{:?}", take.decisions);
    let got = f.p.balance(0, &keeper) - coll_before;
    // A quarter of what is left of the lot (the starter's bonus came out of it), to rounding.
    let asked = take.decisions[0].detail["why"]["slice"]
        .as_i64()
        .expect("slice") as i128;
    assert_eq!(got, asked);
    assert!(
        asked <= lot_tokens / 4 + 1 && asked > lot_tokens / 5,
        "{asked} of {lot_tokens}"
    );
    assert_eq!(
        count(&log, "auction_closed"),
        0,
        "the rest of the lot stays in the auction"
    );
    // The next step reads the take's event and asks a quarter of what is left.
    let next = k.step().expect("step");
    let left = k.state().auctions.values().next().expect("still live");
    assert!(left.lot_left < left.lot_start, "{left:?}");
    let second = next
        .decisions
        .iter()
        .find(|d| d.action == "take")
        .expect("a second take");
    let asked2 = second.detail["why"]["slice"].as_i64().expect("slice") as i128;
    assert!(asked2 < asked, "{asked2} after {asked}");
}

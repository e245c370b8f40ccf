//! `Keeper::step_with`'s hook runs after every `positions` read and after every transaction the
//! keeper simulates or sends: the simulator compacts its in-process host there, whose storage
//! map grows by what each call loads (reads included), so no run of calls between two hook
//! calls may grow with the number of accounts (protocol-tests' auction fixture: token 0 at
//! 1 USD as collateral, token 1 at 2 USD as debt).

use std::cell::RefCell;
use std::rc::Rc;

use keeper::embedded::{address_strkey, contract_id, EmbeddedBackend, EventLog};
use keeper::logic::{FixedPrices, Keeper, KeeperConfig, Strategy, Tuning};
use keeper::{Backend, BackendError, ContractCall, EventBatch, EventCursor, SimResult, TxResult};
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{UNIT, USD};

/// What happened, in order: `simulate:<function>`, `submit:<function>` or `hook`.
type Trace = Rc<RefCell<Vec<String>>>;

/// A backend recording every simulate and submit into a [`Trace`].
struct Tracing {
    inner: EmbeddedBackend,
    trace: Trace,
}

impl Backend for Tracing {
    fn latest_ledger(&mut self) -> Result<u32, BackendError> {
        self.inner.latest_ledger()
    }

    fn now(&mut self) -> u64 {
        self.inner.now()
    }

    fn events_since(
        &mut self,
        cursor: &EventCursor,
        contracts: &[keeper::ContractId],
    ) -> Result<EventBatch, BackendError> {
        self.inner.events_since(cursor, contracts)
    }

    fn read_entries(
        &mut self,
        keys: &[stellar_xdr::LedgerKey],
    ) -> Result<Vec<Option<keeper::xdr::Entry>>, BackendError> {
        self.inner.read_entries(keys)
    }

    fn simulate(&mut self, call: &ContractCall) -> Result<SimResult, BackendError> {
        self.trace
            .borrow_mut()
            .push(format!("simulate:{}", call.function));
        self.inner.simulate(call)
    }

    fn submit(&mut self, call: &ContractCall) -> Result<TxResult, BackendError> {
        self.trace
            .borrow_mut()
            .push(format!("submit:{}", call.function));
        self.inner.submit(call)
    }
}

/// The calls made between consecutive hook calls (and before the first, after the last).
fn runs(trace: &[String]) -> Vec<Vec<String>> {
    trace
        .split(|e| e == "hook")
        .map(<[String]>::to_vec)
        .collect()
}

#[test]
fn the_hook_runs_after_every_positions_read_and_every_transaction() {
    let mut f = AuctionFixture::new();
    // Five accounts; at 0.75 USD for token 0 every one is liquidatable.
    let log = EventLog::new();
    for _ in 0..5 {
        f.levered_account(1_000, 330);
        log.capture(f.env());
    }
    let keeper = f.funded_keeper(1_000_000 * UNIT);
    let trace: Trace = Rc::default();
    let backend = Tracing {
        inner: EmbeddedBackend::new(f.env(), &keeper, &log),
        trace: trace.clone(),
    };
    let config = KeeperConfig {
        keeper: address_strkey(&keeper),
        margin_account: contract_id(&f.p.margin.address),
        auction: contract_id(&f.auction.address),
        oracle: contract_id(&f.p.oracle.adapter.address),
        strategy: Strategy::Eager,
        min_profit: 100_000, // 1 %
        reference: Box::new(FixedPrices::default()),
        flash: None,
        state_path: None,
        start_ledger: 0,
        tuning: Tuning::default(),
    };
    let mut k = Keeper::new(backend, config)
        .unwrap()
        .with_log(Box::new(std::io::sink()));
    let mut hook = |_: &mut Tracing| trace.borrow_mut().push("hook".into());

    // Healthy: five positions reads, the market, nothing to do.
    let first = k.step_with(&mut hook).unwrap();
    assert!(first.decisions.is_empty(), "{:?}", first.decisions);
    f.p.set_price(0, USD * 75 / 100);
    // Five starts, each simulated then sent.
    let starts = k.step_with(&mut hook).unwrap();
    let sent = starts
        .decisions
        .iter()
        .filter(|d| d.action == "start" && d.sent)
        .count();
    assert_eq!(sent, 5, "{:?}", starts.decisions);
    // Five live auctions, held above the reference; then 240 s later taken.
    k.step_with(&mut hook).unwrap();
    f.p.advance(240);
    let takes = k.step_with(&mut hook).unwrap();
    assert!(
        takes.decisions.iter().any(|d| d.action == "take" && d.sent),
        "{:?}",
        takes.decisions
    );

    let trace = trace.borrow().clone();
    let count = |what: &str| trace.iter().filter(|e| *e == what).count();
    // Every account read on the first step and re-read after its start (an event touched it).
    assert!(count("simulate:positions") >= 10, "{trace:?}");
    assert_eq!(count("submit:start"), 5, "{trace:?}");
    for run in runs(&trace) {
        // A positions read or a transaction (the simulation, then its submit) ends a run.
        let positions = run.iter().filter(|e| *e == "simulate:positions").count();
        let submits = run.iter().filter(|e| e.starts_with("submit:")).count();
        assert!(
            positions <= 1,
            "two positions reads without a hook: {run:?}"
        );
        assert!(submits <= 1, "two transactions without a hook: {run:?}");
        if positions == 1 {
            assert_eq!(run.last().map(String::as_str), Some("simulate:positions"));
        }
        if submits == 1 {
            assert!(
                run.last().is_some_and(|e| e.starts_with("submit:")),
                "{run:?}"
            );
        }
        // The market read (quotes; decimals once, config and maint weights per asset) and an
        // auction's reads (params, auction, price, a take's probe) are bounded by the assets and
        // one auction, not by the accounts.
        assert!(
            run.len() <= 8,
            "{} calls without a hook: {run:?}",
            run.len()
        );
    }
}

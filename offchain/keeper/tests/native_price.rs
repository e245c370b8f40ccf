//! The keeper prices live auctions natively (`keeper::logic::curve`): the same answer as
//! liquidation-auction's `price` view at every time, for both curve kinds, and a holding keeper
//! makes no `price` call (protocol-tests' auction fixture: token 0 at 1 USD as collateral,
//! token 1 at 2 USD as debt).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use keeper::embedded::{address_strkey, contract_id, EmbeddedBackend, EventLog};
use keeper::logic::protocol::Calls;
use keeper::logic::{
    AuctionClock, CurveParams, FixedPrices, Keeper, KeeperConfig, Strategy, Tuning,
};
use keeper::{Backend, BackendError, ContractCall, EventBatch, EventCursor, SimResult, TxResult};
use liquidation_auction::{default_params, AuctionParams, CurveConfig};
use protocol_tests::auction_fixture::AuctionFixture;
use protocol_tests::protocol_fixture::{UNIT, USD};
use soroban_sdk::testutils::Address as _;
use soroban_sdk::Address;

/// Seconds after the start at which the prices are compared: the start, inside and across
/// stairstep steps, around the 0.6 cusp of each curve, around the 1 h tail.
const TIMES: [u64; 14] = [
    0, 1, 29, 30, 31, 59, 60, 240, 359, 361, 1_500, 3_599, 3_600, 3_601,
];

/// The fixture with `params`, an account of 1000 token 0 against 330 token 1 liquidated at
/// 0.75 USD, and the auction's id.
fn started(params: AuctionParams) -> (AuctionFixture<'static>, u64) {
    let mut f = AuctionFixture::with_params(params);
    let owner = f.levered_account(1_000, 330);
    let keeper = f.funded_keeper(1_000_000 * UNIT);
    f.p.set_price(0, USD * 75 / 100);
    let id = f
        .auction
        .start(&keeper, &owner, &0, &f.p.tokens[0], &f.p.tokens[1]);
    (f, id)
}

/// Compares the native price with the `price` view at every time of [`TIMES`], reading the
/// curve and the auction through the keeper's own calls and decoders.
fn native_equals_view(params: AuctionParams) -> usize {
    let (f, id) = started(params);
    let log = EventLog::new();
    let reader = Address::generate(f.env());
    let mut backend = EmbeddedBackend::new(f.env(), &reader, &log);
    let (margin, auction, oracle) = (
        contract_id(&f.p.margin.address),
        contract_id(&f.auction.address),
        contract_id(&f.p.oracle.adapter.address),
    );
    let calls = Calls {
        margin: &margin,
        auction: &auction,
        oracle: &oracle,
    };
    let curve = CurveParams::from_abi(&backend.simulate(&calls.auction_params()).unwrap().value)
        .expect("params decode");
    let clock = AuctionClock::from_abi(&backend.simulate(&calls.auction(id)).unwrap().value)
        .expect("auction decode");
    let start = f.env().ledger().timestamp();
    assert_eq!(clock.start, start);
    let mut resets = 0;
    let mut last = 0;
    for t in TIMES {
        f.p.advance(t - last);
        last = t;
        let now = f.env().ledger().timestamp();
        let view = f.auction.price(&id);
        assert_eq!(
            curve.price(&clock, now).unwrap(),
            view,
            "{t} s after the start"
        );
        resets += usize::from(view.1);
    }
    resets
}

#[test]
fn the_native_stairstep_price_equals_the_price_view_at_every_time() {
    // 0.99 every 30 s: the cusp (0.6) after 51 steps (1530 s), the tail after 3600 s.
    let resets = native_equals_view(default_params());
    assert_eq!(
        resets, 3,
        "3599 s (past the cusp), 3600 s and 3601 s need a reset"
    );
}

#[test]
fn the_native_linear_price_equals_the_price_view_at_every_time() {
    // To zero in 900 s: the cusp (0.6) at 360 s, zero from 900 s on.
    let params = AuctionParams {
        curve: CurveConfig::Linear(900),
        ..default_params()
    };
    let resets = native_equals_view(params);
    assert_eq!(resets, 5, "361 s and every later time need a reset");
}

/// A backend counting the calls it simulates, by function name.
struct Counting {
    inner: EmbeddedBackend,
    simulated: Rc<RefCell<BTreeMap<String, usize>>>,
}

impl Backend for Counting {
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
        *self
            .simulated
            .borrow_mut()
            .entry(call.function.clone())
            .or_default() += 1;
        self.inner.simulate(call)
    }

    fn submit(&mut self, call: &ContractCall) -> Result<TxResult, BackendError> {
        self.inner.submit(call)
    }
}

#[test]
fn a_holding_keeper_reads_the_auction_once_and_no_price_until_it_acts() {
    let mut f = AuctionFixture::new();
    f.levered_account(1_000, 330);
    let log = EventLog::new();
    log.capture(f.env());
    let keeper = f.funded_keeper(1_000_000 * UNIT);
    let simulated = Rc::new(RefCell::new(BTreeMap::new()));
    let backend = Counting {
        inner: EmbeddedBackend::new(f.env(), &keeper, &log),
        simulated: simulated.clone(),
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
    let count = |name: &str| simulated.borrow().get(name).copied().unwrap_or(0);

    k.step().unwrap();
    f.p.set_price(0, USD * 75 / 100);
    let start = k.step().unwrap();
    assert_eq!(start.decisions[0].action, "start", "{:?}", start.decisions);

    // Three steps 30 s apart, the price above the reference (1.05 * 0.99^k of spot): holds,
    // priced natively from one `params` and one `auction` read.
    for _ in 0..3 {
        let hold = k.step().unwrap();
        assert_eq!(hold.decisions.len(), 1);
        assert_eq!(hold.decisions[0].action, "hold", "{:?}", hold.decisions);
        f.p.advance(30);
    }
    assert_eq!(
        (count("params"), count("auction"), count("price")),
        (1, 1, 0)
    );

    // Under 99 % of the reference after 240 s: the take is decided on the `price` view.
    f.p.advance(150);
    let take = k.step().unwrap();
    assert_eq!(take.decisions[0].action, "take", "{:?}", take.decisions);
    assert!(take.decisions[0].sent);
    assert_eq!(count("price"), 1);
}

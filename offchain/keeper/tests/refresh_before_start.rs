//! The keeper refreshes the adapter's stale quotes before starting an auction on an account of
//! many assets, so that the start prices from the adapter's book instead of pulling every feed
//! itself; on the embedded host with the real WASM protocol (protocol-tests' fixtures: every
//! feed publishes once per 300 s resolution, and a price move is published one resolution
//! later, so the adapter's records of every asset are then older than the feeds' newest).
//!
//! The config-file test runs in every build; the keeper tests need the embedded backend
//! (`cargo test -p keeper --features embedded --test refresh_before_start`).

use keeper::cli_config::FileConfig;
use keeper::logic::refresh::{REFRESH_ABOVE, REFRESH_CHUNK};

#[test]
fn the_config_file_sets_the_refresh_tuning_and_defaults_to_chunks_of_8_above_8_assets() {
    let contract = keeper::ContractId([7; 32]).to_string();
    let file = |extra: &str| {
        format!(
            r#"{{"rpc_url": "http://localhost:8000", "network_passphrase": "x",
              "margin_account": "{contract}", "auction": "{contract}", "oracle": "{contract}",
              "state_file": "state.json"{extra}}}"#
        )
    };
    let keeper = "G".to_owned() + &"A".repeat(55);
    let defaults = FileConfig::parse(&file(""))
        .and_then(|c| c.keeper_config(keeper.clone(), 0))
        .unwrap();
    assert_eq!(
        (defaults.tuning.refresh_above, defaults.tuning.refresh_chunk),
        (REFRESH_ABOVE, REFRESH_CHUNK)
    );
    assert_eq!((REFRESH_ABOVE, REFRESH_CHUNK), (8, 8));

    let set = FileConfig::parse(&file(r#", "refresh_above": 4, "refresh_chunk": 2"#))
        .and_then(|c| c.keeper_config(keeper.clone(), 0))
        .unwrap();
    assert_eq!((set.tuning.refresh_above, set.tuning.refresh_chunk), (4, 2));

    let zero = FileConfig::parse(&file(r#", "refresh_chunk": 0"#))
        .unwrap()
        .keeper_config(keeper, 0);
    assert!(zero.is_err_and(|e| e.contains("refresh_chunk")));
}

#[cfg(feature = "embedded")]
mod embedded {
    use std::cell::RefCell;
    use std::collections::BTreeSet;
    use std::path::PathBuf;
    use std::rc::Rc;

    use keeper::embedded::{address_strkey, contract_id, EmbeddedBackend, EventLog};
    use keeper::logic::refresh::{AdapterBook, REFRESH_CHUNK};
    use keeper::logic::{Decision, FixedPrices, Keeper, KeeperConfig, Strategy, Tuning};
    use keeper::{Backend, BackendError, ContractCall, EventBatch, EventCursor, SimResult};
    use keeper::{ContractId, TxResult};
    use liquidation_auction::default_params;
    use protocol_tests::auction_fixture::AuctionFixture;
    use protocol_tests::protocol_fixture::{Protocol, UNIT, USD};
    use serde_json::Value;
    use soroban_sdk::testutils::Address as _;
    use soroban_sdk::Address;

    /// One submitted transaction: the function, whether it applied, and the ledger entries it
    /// read (in memory and from disk, as the network counts them against its limit of 200).
    #[derive(Debug, Clone)]
    struct Submitted {
        function: String,
        ok: bool,
        entries_read: u32,
        /// For a `start`: whether the adapter's book held a current record of every asset of
        /// the account just before it (read through the keeper's own decoder).
        book_current: Option<bool>,
    }

    /// The embedded backend with scripted failures, recording every submit.
    struct Scripted {
        inner: EmbeddedBackend,
        /// The adapter and the account's assets, for [`Submitted::book_current`].
        oracle: ContractId,
        assets: Vec<String>,
        /// Simulations of these functions fail (a node refusing them).
        failing: BTreeSet<&'static str>,
        /// Submits of these functions are not applied and stay unconfirmed for an hour of
        /// chain time (a node that has not included them yet).
        unconfirmed: BTreeSet<&'static str>,
        submitted: Rc<RefCell<Vec<Submitted>>>,
    }

    impl Scripted {
        fn book_current(&mut self) -> bool {
            let now = self.inner.now();
            let key = AdapterBook::key(&self.oracle).unwrap();
            let entry = self.inner.read_entry(&key).unwrap().expect("a book");
            let book = AdapterBook::from_entry(&entry).unwrap();
            self.assets.iter().all(|a| book.is_current(a, now))
        }
    }

    impl Backend for Scripted {
        fn latest_ledger(&mut self) -> Result<u32, BackendError> {
            self.inner.latest_ledger()
        }

        fn now(&mut self) -> u64 {
            self.inner.now()
        }

        fn events_since(
            &mut self,
            cursor: &EventCursor,
            contracts: &[ContractId],
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
            if self.failing.contains(call.function.as_str()) {
                return Err(BackendError::CallFailed("scripted refusal".into()));
            }
            self.inner.simulate(call)
        }

        fn submit(&mut self, call: &ContractCall) -> Result<TxResult, BackendError> {
            if self.unconfirmed.contains(call.function.as_str()) {
                return Err(BackendError::Unconfirmed {
                    hash: "ab".repeat(32),
                    valid_until: self.inner.now() + 3_600,
                });
            }
            let book_current = (call.function == "start").then(|| self.book_current());
            let out = self.inner.submit(call);
            let used = self.inner.env().cost_estimate().resources();
            self.submitted.borrow_mut().push(Submitted {
                function: call.function.clone(),
                ok: out.is_ok(),
                entries_read: used.memory_read_entries + used.disk_read_entries,
                book_current,
            });
            out
        }
    }

    /// A fixture, its event log, the account's owner, its assets (strkeys) and a keeper.
    struct World {
        f: AuctionFixture<'static>,
        log: EventLog,
        owner: Address,
        assets: Vec<String>,
        keeper: Address,
    }

    impl World {
        /// 16 tokens at 1 USD; an account of 100 of each of tokens 0..8 against 60 of each of
        /// tokens 8..16 (16 assets, healthy).
        fn sixteen() -> World {
            let f = AuctionFixture::on(Protocol::uniform(16), default_params());
            let log = EventLog::new();
            let owner = f.p.funded(0, 0);
            for i in 0..8 {
                f.p.mint(i, &owner, 100 * UNIT);
                f.p.margin
                    .deposit(&owner, &0, &f.p.tokens[i], &(100 * UNIT));
                log.capture(f.env());
            }
            for i in 8..16 {
                f.p.margin
                    .borrow(&owner, &0, &f.p.tokens[i], &(60 * UNIT), &owner);
                log.capture(f.env());
            }
            f.p.fresh_budget();
            let keeper = Address::generate(f.env());
            let assets = f.p.tokens.iter().map(address_strkey).collect();
            World {
                f,
                log,
                owner,
                assets,
                keeper,
            }
        }

        /// Token 0 at 1 USD, token 1 at 2 USD; an account of 1000 token 0 against 330 token 1
        /// (2 assets, healthy).
        fn two() -> World {
            let f = AuctionFixture::new();
            let log = EventLog::new();
            let owner = f.levered_account(1_000, 330);
            log.capture(f.env());
            let keeper = f.funded_keeper(1_000_000 * UNIT);
            let assets = f.p.tokens.iter().map(address_strkey).collect();
            World {
                f,
                log,
                owner,
                assets,
                keeper,
            }
        }

        /// The first `n` tokens fall to `cents`, published one resolution later: the account
        /// is liquidatable and the adapter's records of every asset are older than the feeds'.
        fn crash(&mut self, n: usize, cents: i128) {
            for i in 0..n {
                self.f.p.prices[i] = USD * cents / 100;
            }
            self.f.p.advance(300);
        }

        fn keeper(&self, tuning: Tuning, state_path: Option<PathBuf>) -> Keeper<Scripted> {
            let backend = Scripted {
                inner: EmbeddedBackend::new(self.f.env(), &self.keeper, &self.log),
                oracle: contract_id(&self.f.p.oracle.adapter.address),
                assets: self.assets.clone(),
                failing: BTreeSet::new(),
                unconfirmed: BTreeSet::new(),
                submitted: Rc::default(),
            };
            let config = KeeperConfig {
                keeper: address_strkey(&self.keeper),
                margin_account: contract_id(&self.f.p.margin.address),
                auction: contract_id(&self.f.auction.address),
                oracle: contract_id(&self.f.p.oracle.adapter.address),
                strategy: Strategy::Eager,
                min_profit: 100_000, // 1 %
                reference: Box::new(FixedPrices::default()),
                flash: None,
                state_path,
                start_ledger: 0,
                tuning,
            };
            Keeper::new(backend, config)
                .expect("fresh state")
                .with_log(Box::new(std::io::sink()))
        }

        fn account(&self) -> Option<(String, u32)> {
            Some((address_strkey(&self.owner), 0))
        }
    }

    fn set(assets: &[String]) -> BTreeSet<String> {
        assets.iter().cloned().collect()
    }

    /// `(action, sent)` of each decision, in order.
    fn actions(decisions: &[Decision]) -> Vec<(&'static str, bool)> {
        decisions.iter().map(|d| (d.action, d.sent)).collect()
    }

    /// The assets a refresh decision names.
    fn refreshed(d: &Decision) -> Vec<String> {
        d.detail["why"]["assets"]
            .as_array()
            .expect("assets")
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect()
    }

    /// Whether a decision is about a start (its figures name the pair), not a refresh.
    fn is_start(d: &Decision) -> bool {
        d.detail["why"]["debt"].is_string() && d.detail["why"]["assets"].is_null()
    }

    fn submitted(k: &mut Keeper<Scripted>) -> Vec<Submitted> {
        k.backend().submitted.borrow().clone()
    }

    fn tuning(refresh_above: usize, refresh_chunk: usize) -> Tuning {
        Tuning {
            refresh_above,
            refresh_chunk,
            ..Tuning::default()
        }
    }

    fn temp_state(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("keeper-refresh-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("state.json");
        let _ = std::fs::remove_file(&path);
        path
    }

    /// The network's limit of ledger entries one transaction reads, and the issue's target: each
    /// call of a liquidation within a quarter of it.
    const ENTRY_LIMIT: u32 = 200;

    #[test]
    fn a_sixteen_asset_start_follows_two_refreshes_of_eight_and_reads_fewer_entries() {
        let mut w = World::sixteen();
        let mut k = w.keeper(Tuning::default(), None);
        let healthy = k.step().unwrap();
        assert!(healthy.decisions.is_empty(), "{:?}", healthy.decisions);
        w.crash(8, 65);

        let step = k.step().unwrap();
        assert_eq!(
            actions(&step.decisions),
            [("refresh", true), ("refresh", true), ("start", true)],
            "{:?}",
            step.decisions
        );
        let (first, second) = (refreshed(&step.decisions[0]), refreshed(&step.decisions[1]));
        assert_eq!((first.len(), second.len()), (8, 8));
        let all: BTreeSet<String> = first.iter().chain(&second).cloned().collect();
        assert_eq!(all, set(&w.assets), "each asset once");
        for refresh in &step.decisions[..2] {
            assert_eq!(refresh.account, w.account(), "the account it precedes");
            assert_eq!(refresh.detail["why"]["before"], "start");
            assert_eq!(refresh.detail["why"]["current"], 0);
            // `Accepted` for each asset: the feeds' newest prices recorded.
            assert_eq!(refresh.detail["result"], Value::from(vec![0; 8]));
        }
        let sent = submitted(&mut k);
        let functions: Vec<&str> = sent.iter().map(|s| s.function.as_str()).collect();
        assert_eq!(functions, ["refresh", "refresh", "start"]);
        assert!(sent.iter().all(|s| s.ok), "{sent:?}");
        assert_eq!(sent[2].book_current, Some(true), "every record current");

        // The same account and crash with a keeper that never refreshes: its start pulls the
        // 16 feeds itself.
        let mut cold = World::sixteen();
        let mut c = cold.keeper(tuning(usize::MAX, REFRESH_CHUNK), None);
        c.step().unwrap();
        cold.crash(8, 65);
        let cold_step = c.step().unwrap();
        assert_eq!(actions(&cold_step.decisions), [("start", true)]);
        let cold_start = submitted(&mut c)[0].clone();
        assert_eq!(cold_start.book_current, Some(false));

        let start = &sent[2];
        assert!(
            start.entries_read < cold_start.entries_read,
            "refreshed start {} entries, cold start {}",
            start.entries_read,
            cold_start.entries_read
        );
        assert!(
            cold_start.entries_read > ENTRY_LIMIT / 4,
            "cold start {} entries",
            cold_start.entries_read
        );
        for s in &sent {
            assert!(
                s.entries_read <= ENTRY_LIMIT / 4,
                "{} read {} entries",
                s.function,
                s.entries_read
            );
        }
        println!(
            "entries read: refresh {} and {}, start {} (cold start {})",
            sent[0].entries_read, sent[1].entries_read, start.entries_read, cold_start.entries_read
        );
    }

    #[test]
    fn the_keeper_reads_the_adapter_book_as_the_adapter_serves_it() {
        let mut w = World::two();
        w.crash(1, 75);
        let mut k = w.keeper(Tuning::default(), None);
        let before = k.backend().book_current();
        assert!(!before, "the records are a resolution old");
        w.f.p.oracle.adapter.refresh(&w.f.p.token_vec(&[0, 1]));
        let key = AdapterBook::key(&contract_id(&w.f.p.oracle.adapter.address)).unwrap();
        let entry = k.backend().read_entry(&key).unwrap().unwrap();
        let book = AdapterBook::from_entry(&entry).unwrap();
        for (i, asset) in w.assets.iter().enumerate() {
            let state = w.f.p.oracle.adapter.price_state(&w.f.p.tokens[i]).unwrap();
            assert!(state.valid_until > w.f.p.now());
            assert!(book.is_current(asset, state.valid_until - 1));
            assert!(!book.is_current(asset, state.valid_until), "{asset}");
        }
        assert!(k.backend().book_current());
    }

    #[test]
    fn an_account_of_at_most_eight_assets_gets_no_refresh() {
        let mut w = World::two();
        let mut k = w.keeper(Tuning::default(), None);
        k.step().unwrap();
        w.crash(1, 75);
        let step = k.step().unwrap();
        assert_eq!(actions(&step.decisions), [("start", true)]);
        let sent = submitted(&mut k);
        assert_eq!(sent.len(), 1);
        assert_eq!(
            sent[0].book_current,
            Some(false),
            "the start pulls its feeds"
        );
    }

    #[test]
    fn above_a_lowered_threshold_the_refresh_goes_in_chunks_then_the_start() {
        let mut w = World::two();
        let mut k = w.keeper(tuning(1, 1), None);
        k.step().unwrap();
        w.crash(1, 75);
        let step = k.step().unwrap();
        assert_eq!(
            actions(&step.decisions),
            [("refresh", true), ("refresh", true), ("start", true)],
            "{:?}",
            step.decisions
        );
        let (first, second) = (refreshed(&step.decisions[0]), refreshed(&step.decisions[1]));
        assert_eq!((first.len(), second.len()), (1, 1));
        assert_eq!(set(&[first, second].concat()), set(&w.assets));
        assert_eq!(submitted(&mut k)[2].book_current, Some(true));
    }

    #[test]
    fn current_records_are_not_refreshed() {
        let mut w = World::two();
        let mut k = w.keeper(tuning(1, 8), None);
        k.step().unwrap();
        w.crash(1, 75);
        // Someone refreshed token 1 already: only token 0 is left.
        w.f.p.oracle.adapter.refresh(&w.f.p.token_vec(&[1]));
        let step = k.step().unwrap();
        assert_eq!(
            actions(&step.decisions),
            [("refresh", true), ("start", true)]
        );
        assert_eq!(refreshed(&step.decisions[0]), [w.assets[0].clone()]);
        assert_eq!(step.decisions[0].detail["why"]["current"], 1);
    }

    #[test]
    fn a_failing_refresh_is_logged_and_the_start_still_follows() {
        let mut w = World::two();
        let mut k = w.keeper(tuning(1, 8), None);
        k.backend().failing.insert("refresh");
        k.step().unwrap();
        w.crash(1, 75);
        let step = k.step().unwrap();
        assert_eq!(
            actions(&step.decisions),
            [("skip", false), ("start", true)],
            "{:?}",
            step.decisions
        );
        let skipped = &step.decisions[0];
        assert_eq!(set(&refreshed(skipped)), set(&w.assets));
        assert!(skipped.detail["refused"]
            .as_str()
            .unwrap()
            .contains("scripted refusal"));
        let sent = submitted(&mut k);
        let functions: Vec<&str> = sent.iter().map(|s| s.function.as_str()).collect();
        assert_eq!(functions, ["start"]);
        assert!(sent[0].ok);
        assert_eq!(
            sent[0].book_current,
            Some(false),
            "the start pulls its feeds"
        );
        k.step().unwrap();
        assert_eq!(
            k.state().auctions.len(),
            1,
            "the auction_started event read"
        );
    }

    #[test]
    fn a_start_that_may_still_land_gets_no_refresh() {
        let mut w = World::two();
        let mut k = w.keeper(tuning(1, 8), None);
        k.backend().unconfirmed.insert("start");
        k.step().unwrap();
        w.crash(1, 75);
        let first = k.step().unwrap();
        assert_eq!(
            actions(&first.decisions),
            [("refresh", true), ("skip", false)]
        );
        // A resolution later the records are old again, but the start is still in flight.
        w.f.p.advance(300);
        let second = k.step().unwrap();
        assert_eq!(actions(&second.decisions), [("skip", false)]);
        assert!(is_start(&second.decisions[0]));
        assert!(second.decisions[0].detail["refused"]
            .as_str()
            .unwrap()
            .contains("pending"));
    }

    #[test]
    fn an_unconfirmed_refresh_is_not_resent_before_its_deadline_even_after_a_restart() {
        let mut w = World::two();
        let path = temp_state("pending");
        let mut k = w.keeper(tuning(1, 8), Some(path.clone()));
        // The start is refused too, so that the account stays liquidatable step after step.
        k.backend().unconfirmed.insert("refresh");
        k.backend().failing.insert("start");
        k.step().unwrap();
        w.crash(1, 75);
        let first = k.step().unwrap();
        assert_eq!(
            actions(&first.decisions),
            [("skip", false), ("skip", false)]
        );
        assert_eq!(set(&refreshed(&first.decisions[0])), set(&w.assets));
        assert!(first.decisions[0].detail["refused"]
            .as_str()
            .unwrap()
            .contains("unconfirmed"));
        assert!(is_start(&first.decisions[1]));
        let pending: BTreeSet<String> = k.state().pending.keys().cloned().collect();
        let keys: BTreeSet<String> = w.assets.iter().map(|a| format!("refresh:{a}")).collect();
        assert_eq!(pending, keys, "one pending key per asset");

        // A restart from the saved state: the refresh may still land, so only the start.
        drop(k);
        let mut k = w.keeper(tuning(1, 8), Some(path.clone()));
        k.backend().failing.insert("start");
        let second = k.step().unwrap();
        assert_eq!(actions(&second.decisions), [("skip", false)]);
        assert!(is_start(&second.decisions[0]));

        // Past the deadline the refresh goes again, and is confirmed this time.
        w.f.p.advance(3_601);
        let third = k.step().unwrap();
        assert_eq!(
            actions(&third.decisions),
            [("refresh", true), ("skip", false)]
        );
        assert_eq!(set(&refreshed(&third.decisions[0])), set(&w.assets));
        assert!(k.state().pending.is_empty(), "{:?}", k.state().pending);
    }
}

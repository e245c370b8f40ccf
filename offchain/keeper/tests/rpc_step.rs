//! A full keeper step on the RPC backend against a local server answering in the RPC's format:
//! `getEvents` (an account's `withdraw`), view simulations (positions, quotes, configs), the
//! native decision (liquidatable), then `start` simulated, signed, sent and confirmed.

mod support;

use keeper::logic::{FixedPrices, Keeper, KeeperConfig, Strategy, Tuning};
use keeper::{RpcBackend, Val};
use serde_json::Value;
use stellar_xdr::{HostFunction, OperationBody, ScVal, TransactionEnvelope};
use support::fixtures::*;
use support::{MockRpc, Reply};

const OWNER: &str = "GCFXHS4GXL6BVUCXBWXGTITROWLVYXQKQLF4YH5O5JT3YZXCYPAFBJZB";

fn sc(v: Val) -> ScVal {
    ScVal::try_from(&v).unwrap()
}

fn sym_val(s: &str) -> Val {
    Val::Symbol(s.into())
}

fn view(value: Val) -> Reply {
    Reply::Result(simulation(&sc(value), &[], 10_000))
}

fn config_of(ai: i128, li: i128) -> Val {
    Val::Map(vec![
        (sym_val("asset_weight_init"), Val::I128(ai)),
        (sym_val("liab_weight_init"), Val::I128(li)),
    ])
}

fn quote(spot: i128) -> Val {
    Val::Map(vec![
        (sym_val("high"), Val::I128(spot)),
        (sym_val("low"), Val::I128(spot)),
        (sym_val("spot"), Val::I128(spot)),
        (sym_val("timestamp"), Val::U64(1_714_000_000)),
    ])
}

/// The contract function and arguments of a simulated or sent envelope.
fn invoked(params: &Value) -> (String, Vec<ScVal>) {
    let b64 = params["transaction"].as_str().expect("transaction");
    let envelope: TransactionEnvelope = keeper::xdr::decode_base64(b64, "envelope").unwrap();
    let TransactionEnvelope::Tx(v1) = envelope else {
        panic!("v1 envelope")
    };
    let OperationBody::InvokeHostFunction(op) = &v1.tx.operations[0].body else {
        panic!("invoke")
    };
    let HostFunction::InvokeContract(args) = &op.host_function else {
        panic!("invoke contract")
    };
    let name = String::from_utf8(args.function_name.0.to_vec()).unwrap();
    (name, args.args.to_vec())
}

const CURSOR: &str = "0004294967296-0000000001";

/// The RPC steps of reading one account: its `withdraw` event (two `getEvents` pages), its
/// positions (1000 collateral tokens, 330 debt tokens), the quotes (collateral at
/// `coll_cents`, debt at 2 USD) and both assets' decimals, configs and maint weights.
fn account_steps(coll_cents: i128) -> Vec<(&'static str, Reply)> {
    let (coll, debt) = (contract(10).to_string(), contract(11).to_string());
    let withdraw = event(
        "0004294967296-0000000001",
        contract(1),
        &[
            sym("withdraw"),
            sc(Val::Address(OWNER.into())),
            sc(Val::Address(debt.clone())),
        ],
        &sc(Val::Map(vec![
            (sym_val("amount"), Val::I128(3_300_000_000)),
            (sym_val("id"), Val::U32(0)),
        ])),
    );
    let positions = Val::Map(vec![
        (Val::Address(coll.clone()), Val::I128(10_000_000_000)),
        (Val::Address(debt.clone()), Val::I128(-3_300_000_000)),
    ]);
    let usd = 100_000_000_000_000i128;
    let weights = || view(Val::Vec(vec![Val::I128(9_000_000), Val::I128(11_000_000)]));
    let mut steps = vec![
        (
            "getEvents",
            Reply::Result(events_page(vec![withdraw], CURSOR)),
        ),
        ("getEvents", Reply::Result(events_page(vec![], CURSOR))),
        ("simulateTransaction", view(positions)),
        (
            "simulateTransaction",
            view(Val::Vec(vec![
                quote(usd * coll_cents / 100),
                quote(2 * usd),
            ])),
        ),
    ];
    for _ in 0..2 {
        steps.push(("simulateTransaction", view(Val::U32(7))));
        steps.push((
            "simulateTransaction",
            view(config_of(8_000_000, 12_000_000)),
        ));
        steps.push(("simulateTransaction", weights()));
    }
    steps
}

#[test]
fn events_to_decision_to_simulate_send_confirm() {
    let (margin, auction, oracle) = (contract(1), contract(2), contract(3));
    let (coll, debt) = (contract(10).to_string(), contract(11).to_string());
    let start_sim = |params: &Value| {
        let (name, args) = invoked(params);
        assert_eq!(name, "start");
        assert_eq!(args.len(), 5);
        Reply::Result(simulation(
            &ScVal::U64(7),
            &[source_auth(&keeper::ContractCall {
                contract: contract(2),
                function: name,
                args,
            })],
            60_000,
        ))
    };
    let send = Reply::With(Box::new(|params| {
        let (name, args) = invoked(params);
        assert_eq!(name, "start");
        assert_eq!(args[1], sc(Val::Address(OWNER.into())));
        let b64 = params["transaction"].as_str().unwrap();
        let envelope: TransactionEnvelope = keeper::xdr::decode_base64(b64, "envelope").unwrap();
        let hash = hex::encode(envelope.hash(keeper::tx::network_id(TESTNET)).unwrap());
        Reply::Result(send_result(&hash, "PENDING"))
    }));
    let mut steps = vec![network_step()];
    steps.extend(account_steps(75));
    steps.extend(vec![
        ("simulateTransaction", Reply::With(Box::new(start_sim))),
        (
            "getLedgerEntries",
            Reply::Result(account_entries_result(41)),
        ),
        ("simulateTransaction", Reply::With(Box::new(start_sim))),
        ("sendTransaction", send),
        (
            "getTransaction",
            Reply::Result(tx_applied(
                "SUCCESS",
                &tx_result(55_000, true),
                &meta_v4(ScVal::U64(7)),
            )),
        ),
    ]);
    let mock = MockRpc::start(steps);
    let backend = RpcBackend::connect(fast_config(mock.url()), Some(keeper_key())).unwrap();
    let config = KeeperConfig {
        keeper: keeper_key().account_strkey(),
        margin_account: margin,
        auction,
        oracle,
        strategy: Strategy::Eager,
        min_profit: 100_000,
        reference: Box::new(FixedPrices::default()),
        flash: None,
        state_path: None,
        start_ledger: 1000,
        tuning: Tuning::default(),
    };
    let mut k = Keeper::new(backend, config)
        .unwrap()
        .with_log(Box::new(std::io::sink()));
    let report = k.step().unwrap();
    assert_eq!(report.events, 1);
    assert_eq!(report.evaluated, 1);
    assert_eq!(report.decisions.len(), 1);
    let d = report.decisions[0].to_json();
    assert_eq!(d["action"], "start");
    assert_eq!(d["sent"], true);
    assert_eq!(d["owner"], OWNER);
    assert_eq!(d["id"], 0);
    assert_eq!(d["detail"]["result"], "7"); // u64 as a JSON string (Val::to_json)
                                            // 0.9 * 750 / (1.1 * 660): liquidatable.
    let maint = d["detail"]["why"]["maint_health"].as_i64().unwrap();
    assert!((maint - 9_297_520).abs() <= 1, "{maint}");
    assert_eq!(d["detail"]["why"]["collateral"], coll);
    assert_eq!(d["detail"]["why"]["debt"], debt);
    let params = mock.params();
    assert_eq!(params[1]["startLedger"], 1000);
    assert_eq!(params[2]["pagination"]["cursor"], CURSOR);
    let (name, _) = invoked(&params[3]);
    assert_eq!(name, "positions");
    mock.finish();
}

#[test]
fn watch_command_prints_margin_calls_as_json_lines() {
    let mut steps = vec![
        network_step(),
        (
            "getLatestLedger",
            Reply::Result(serde_json::json!({"id": "ab", "protocolVersion": 27, "sequence": 1000})),
        ),
    ];
    // At 0.90: maint 0.9 * 900 / 726 = 1.116, init 0.8 * 900 / 792 = 0.909.
    steps.extend(account_steps(90));
    let mock = MockRpc::start(steps);
    let dir = std::env::temp_dir().join(format!("keeper-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("keeper.json");
    let c = |b: u8| contract(b).to_string();
    std::fs::write(
        &config,
        serde_json::json!({
            "rpc_url": mock.url(),
            "network_passphrase": TESTNET,
            "margin_account": c(1), "auction": c(2), "oracle": c(3),
            "state_file": dir.join("state.json"),
        })
        .to_string(),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keeper"))
        .args(["watch", "--config", config.to_str().unwrap()])
        .env_remove("KEEPER_SECRET")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    let call = &lines[0];
    assert_eq!(call["owner"], OWNER);
    assert_eq!(call["margin_call"], true);
    let maint = call["maint_health"].as_f64().unwrap();
    assert!((maint - 810.0 / 726.0).abs() < 1e-6, "{maint}");
    let coll = &call["price_moves"][0];
    assert_eq!(coll["asset"], c(10));
    assert!((coll["factor"].as_f64().unwrap() - 726.0 / 810.0).abs() < 1e-6);
    // The debt token must rise by 810 / 726.
    let debt = &call["price_moves"][1];
    assert!((debt["factor"].as_f64().unwrap() - 810.0 / 726.0).abs() < 1e-6);
    assert_eq!(mock.params()[2]["startLedger"], 1000);
    mock.finish();
}

//! A full keeper step on the RPC backend against a local server answering in the RPC's format:
//! `getEvents` (an account's `withdraw`), view simulations (positions, quotes, configs), the
//! native decision (liquidatable), then `start` simulated, signed, sent and confirmed.

mod support;

use keeper::logic::{FixedPrices, Keeper, KeeperConfig, Strategy};
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

#[test]
fn events_to_decision_to_simulate_send_confirm() {
    let (margin, auction, oracle) = (contract(1), contract(2), contract(3));
    let (coll, debt) = (contract(10).to_string(), contract(11).to_string());
    let withdraw = event(
        "0004294967296-0000000001",
        margin,
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
    let mock = MockRpc::start(vec![
        network_step(),
        (
            "getEvents",
            Reply::Result(events_page(vec![withdraw], "0004294967296-0000000001")),
        ),
        (
            "getEvents",
            Reply::Result(events_page(vec![], "0004294967296-0000000001")),
        ),
        ("simulateTransaction", view(positions)),
        (
            "simulateTransaction",
            view(Val::Vec(vec![quote(usd * 3 / 4), quote(2 * usd)])),
        ),
        ("simulateTransaction", view(Val::U32(7))),
        (
            "simulateTransaction",
            view(config_of(8_000_000, 12_000_000)),
        ),
        ("simulateTransaction", weights()),
        ("simulateTransaction", view(Val::U32(7))),
        (
            "simulateTransaction",
            view(config_of(8_000_000, 12_000_000)),
        ),
        ("simulateTransaction", weights()),
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
    assert_eq!(
        params[2]["pagination"]["cursor"],
        "0004294967296-0000000001"
    );
    let (name, _) = invoked(&params[3]);
    assert_eq!(name, "positions");
    mock.finish();
}

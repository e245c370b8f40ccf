//! The instantiation model of the benchmark's breakdown (`bench::breakdown`) agrees with the
//! host's metering: a margin-account `borrow` enters margin-account, the oracle-adapter (cached
//! quotes, no feed call) and the vault, and the host charges exactly their modelled
//! instantiations (data-segment bytes aside).

use protocol_tests::bench::breakdown::{instance_cpu, model, shapes, Breakdown};
use protocol_tests::protocol_fixture::{Protocol, UNIT, USD};

#[test]
fn instantiation_model_matches_the_host() {
    let p = Protocol::new(&[USD, USD], &[], 0);
    let owner = p.account_with(0, 10_000 * UNIT, 1);
    let debt = p.tokens[1].clone();
    p.margin.borrow(&owner, &1, &debt, &(100 * UNIT), &owner);
    let (_, _, b) = Breakdown::measure(&p.env, || {
        p.margin.borrow(&owner, &1, &debt, &(100 * UNIT), &owner)
    });
    let shapes = shapes();
    let shape = |name: &str| {
        shapes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.clone())
            .expect("built contract")
    };
    let entered = ["margin-account", "oracle-adapter", "vault"];
    let modelled: u64 = entered.iter().map(|n| instance_cpu(&shape(n))).sum();
    assert_eq!(b.instances, 3);
    let imports: u64 = entered
        .iter()
        .map(|n| model::linear(model::IMPORT_X128, shape(n).imports))
        .sum();
    let exports: u64 = entered
        .iter()
        .map(|n| model::linear(model::EXPORT_X128, shape(n).exports))
        .sum();
    assert_eq!(b.imports, imports);
    assert_eq!(b.exports, exports);
    // What the model leaves out: the data-segment bytes, a few thousand instructions.
    assert!(
        b.instantiation >= modelled,
        "{} < {modelled}",
        b.instantiation
    );
    assert!(
        b.instantiation - modelled < 5_000,
        "{} vs {modelled}",
        b.instantiation
    );
    assert!(b.total > b.instantiation + b.wasm);
}

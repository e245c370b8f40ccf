//! The instantiation model of the benchmark's breakdown (`bench::breakdown`) agrees with the
//! host's metering: a margin-account `borrow` that pulls quotes enters margin-account, the
//! oracle-adapter (its own cache, no feed call) and the vault; one within the same resolution
//! is priced from margin-account's quote cache and enters only margin-account and the vault. The
//! host charges exactly the modelled instantiations (data-segment bytes aside).

use protocol_tests::bench::breakdown::{instance_cpu, model, shapes, Breakdown, ModuleShape};
use protocol_tests::protocol_fixture::{Protocol, UNIT, USD};

fn shape(shapes: &[(String, ModuleShape)], name: &str) -> ModuleShape {
    shapes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s.clone())
        .expect("built contract")
}

/// Asserts that `b` charged exactly the instantiations of `entered`.
fn assert_model(b: &Breakdown, entered: &[&str]) {
    let shapes = shapes();
    let modelled: u64 = entered
        .iter()
        .map(|n| instance_cpu(&shape(&shapes, n)))
        .sum();
    let imports: u64 = entered
        .iter()
        .map(|n| model::linear(model::IMPORT_X128, shape(&shapes, n).imports))
        .sum();
    let exports: u64 = entered
        .iter()
        .map(|n| model::linear(model::EXPORT_X128, shape(&shapes, n).exports))
        .sum();
    assert_eq!(b.instances, entered.len() as u64);
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

#[test]
fn instantiation_model_matches_the_host() {
    let p = Protocol::new(&[USD, USD], &[], 0);
    let owner = p.account_with(0, 10_000 * UNIT, 1);
    let debt = p.tokens[1].clone();
    p.margin.borrow(&owner, &1, &debt, &(100 * UNIT), &owner);
    // A new resolution interval: margin-account's copies have expired, the adapter's cache
    // has too, and the adapter pulls the (re-published) feeds.
    p.advance(protocol_tests::fixture::RESOLUTION as u64);
    let (_, _, pulled) = Breakdown::measure(&p.env, || {
        p.margin.borrow(&owner, &1, &debt, &(100 * UNIT), &owner)
    });
    assert_model(
        &pulled,
        &[
            "margin-account",
            "oracle-adapter",
            "mock-feed",
            "mock-feed",
            "vault",
        ],
    );
    let (_, _, cached) = Breakdown::measure(&p.env, || {
        p.margin.borrow(&owner, &1, &debt, &(100 * UNIT), &owner)
    });
    assert_model(&cached, &["margin-account", "vault"]);
}

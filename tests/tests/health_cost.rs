//! Regression guard on the cost of risk-core's health computation in the real Soroban host, on
//! the optimised WASM build of the `health-probe` test contract (SPEC §10): the marginal math cost
//! of a position, `(cost(16) - cost(1)) / 15`, stays within 20,000 CPU instructions. The figures
//! themselves are published by the benchmark (`scripts/bench.sh`).

use protocol_tests::bench::health::{collateral, debt, per_position, repeat_costs, setup};
use soroban_sdk::vec;

/// Budget of the marginal math cost of one position, CPU instructions.
const MAX_INSTRUCTIONS_PER_POSITION: i64 = 20_000;

#[test]
fn health_math_costs_at_most_20k_instructions_per_position() {
    let (env, probe) = setup();
    for (label, position) in [("collateral", collateral()), ("debt", debt())] {
        let (per_position, _) = per_position(&repeat_costs(&env, &probe, &position));
        assert!(
            per_position <= MAX_INSTRUCTIONS_PER_POSITION,
            "{label}: {per_position} instructions per position, budget {MAX_INSTRUCTIONS_PER_POSITION}"
        );
    }
}

#[test]
fn probe_health_matches_the_native_computation() {
    let (env, probe) = setup();
    let positions = vec![&env, collateral(), debt()];
    let on_chain = probe.positions(&positions);
    let weights =
        risk_core::RiskWeights::from_abi(8_000_000, 9_000_000, 12_500_000, 11_000_000).unwrap();
    let mut sums = risk_core::HealthSums::ZERO;
    for p in [collateral(), debt()] {
        let asset = risk_core::AssetRisk::new(p.decimals, weights).unwrap();
        let quote = risk_core::Quote::from_adapter(p.spot, p.low, p.high, 14).unwrap();
        sums.add_position(p.amount, &asset, &quote).unwrap();
    }
    let native = sums.health().to_abi();
    assert_eq!(
        (
            on_chain.init,
            on_chain.maint,
            on_chain.assets_init,
            on_chain.liabs_maint
        ),
        (
            native.init,
            native.maint,
            native.assets_init,
            native.liabs_maint
        )
    );
    // ~4.5M USD of collateral against ~2.5k USD of debt.
    assert!(on_chain.maint > 1_000 * risk_core::ABI_SCALE);
}

//! Regression guard on the cost of risk-core's health computation in the real Soroban host, on
//! the optimised WASM build of the `health-probe` test contract (SPEC §10). The marginal cost of a
//! position, `(cost(16) - cost(1)) / 15`, must stay within 20,000 CPU instructions. Prints the
//! figures for the benchmark table (`cargo test -p protocol-tests --test health_cost -- --nocapture`).

use health_probe::{HealthProbeClient, ProbePosition};
use protocol_tests::wasm;
use soroban_sdk::{vec, Env};

/// Budget of the marginal math cost of one position, CPU instructions.
const MAX_INSTRUCTIONS_PER_POSITION: i64 = 20_000;

/// Position counts measured.
const COUNTS: [u32; 4] = [1, 4, 8, 16];

/// 1 USD at the adapter's default 14 decimals.
const USD: i128 = 100_000_000_000_000;

struct Measured {
    instructions: i64,
    mem_bytes: i64,
}

fn setup() -> (Env, HealthProbeClient<'static>) {
    let env = Env::default();
    let id = env.register(wasm::load("health-probe").as_slice(), ());
    let client = HealthProbeClient::new(&env, &id);
    (env, client)
}

fn measure(env: &Env, call: impl FnOnce()) -> Measured {
    env.cost_estimate().budget().reset_default();
    call();
    let r = env.cost_estimate().resources();
    Measured {
        instructions: r.instructions,
        mem_bytes: r.mem_bytes,
    }
}

/// 1,500 tokens of an 18-decimal asset at 3,000.12345 USD, quote widened 1 %.
fn collateral() -> ProbePosition {
    let spot = 3_000 * USD + 12_345_000_000_000;
    ProbePosition {
        amount: 1_500 * 10i128.pow(18) + 123,
        decimals: 18,
        spot,
        low: spot / 100 * 99,
        high: spot / 100 * 101,
    }
}

/// 2,500.5 tokens of debt of a 6-decimal stablecoin at 1.0001 USD.
fn debt() -> ProbePosition {
    let spot = USD + USD / 10_000;
    ProbePosition {
        amount: -2_500_500_000,
        decimals: 6,
        spot,
        low: spot - USD / 1_000,
        high: spot + USD / 1_000,
    }
}

/// Marginal cost per position over `COUNTS`, printed as a table; returns `(cost(16) - cost(1)) / 15`.
fn report(label: &str, costs: &[(u32, Measured)]) -> i64 {
    println!("{label}");
    println!(
        "  {:>3} | {:>12} | {:>12}",
        "N", "instructions", "memory bytes"
    );
    for (n, m) in costs {
        println!("  {n:>3} | {:>12} | {:>12}", m.instructions, m.mem_bytes);
    }
    let (first, last) = (&costs[0], &costs[costs.len() - 1]);
    let positions = (last.0 - first.0) as i64;
    let per_position = (last.1.instructions - first.1.instructions) / positions;
    let mem_per_position = (last.1.mem_bytes - first.1.mem_bytes) / positions;
    println!("  per position: {per_position} instructions, {mem_per_position} memory bytes");
    per_position
}

#[test]
fn health_math_costs_at_most_20k_instructions_per_position() {
    let (env, probe) = setup();
    for (label, position) in [
        ("collateral position (repeat)", collateral()),
        ("debt position (repeat)", debt()),
    ] {
        let costs: Vec<(u32, Measured)> = COUNTS
            .iter()
            .map(|&n| (n, measure(&env, || drop(probe.repeat(&position, &n)))))
            .collect();
        let per_position = report(label, &costs);
        assert!(
            per_position <= MAX_INSTRUCTIONS_PER_POSITION,
            "{label}: {per_position} instructions per position, budget {MAX_INSTRUCTIONS_PER_POSITION}"
        );
    }
}

#[test]
fn health_over_decoded_positions_reports_realistic_cost() {
    let (env, probe) = setup();
    let costs: Vec<(u32, Measured)> = COUNTS
        .iter()
        .map(|&n| {
            let mut positions = vec![&env];
            for i in 0..n {
                positions.push_back(if i % 2 == 0 { collateral() } else { debt() });
            }
            (n, measure(&env, || drop(probe.positions(&positions))))
        })
        .collect();
    report(
        "mixed positions decoded from a Vec (alternating collateral/debt)",
        &costs,
    );
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

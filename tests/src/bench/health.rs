//! The health computation per position (SPEC §3, §10), on the `health-probe` test contract that
//! runs risk-core's `HealthSums` in WASM. The marginal cost of a position is
//! `(cost(16) - cost(1)) / 15` over the same call with 1 and 16 positions.

use health_probe::{HealthProbeClient, ProbePosition};
use soroban_sdk::{vec, Env};

use super::{Cost, Table};
use crate::wasm;

/// Position counts measured.
pub const COUNTS: [u32; 4] = [1, 4, 8, 16];

/// 1 USD at the adapter's default 14 decimals.
const USD: i128 = 100_000_000_000_000;

/// The probe deployed from its WASM build.
pub fn setup() -> (Env, HealthProbeClient<'static>) {
    let env = Env::default();
    let id = env.register(wasm::load("health-probe").as_slice(), ());
    let client = HealthProbeClient::new(&env, &id);
    (env, client)
}

/// 1,500 tokens of an 18-decimal asset at 3,000.12345 USD, quote band ±1 %.
pub fn collateral() -> ProbePosition {
    let spot = 3_000 * USD + 12_345_000_000_000;
    ProbePosition {
        amount: 1_500 * 10i128.pow(18) + 123,
        decimals: 18,
        spot,
        low: spot / 100 * 99,
        high: spot / 100 * 101,
    }
}

/// 2,500.5 tokens of debt of a 6-decimal stablecoin at 1.0001 USD, band ±0.001 USD.
pub fn debt() -> ProbePosition {
    let spot = USD + USD / 10_000;
    ProbePosition {
        amount: -2_500_500_000,
        decimals: 6,
        spot,
        low: spot - USD / 1_000,
        high: spot + USD / 1_000,
    }
}

/// Cost of `repeat(position, n)` for each of [`COUNTS`].
pub fn repeat_costs(env: &Env, probe: &HealthProbeClient, position: &ProbePosition) -> Vec<Cost> {
    COUNTS
        .iter()
        .map(|&n| Cost::measure(env, || probe.repeat(position, &n)).1)
        .collect()
}

/// Cost of `positions(..)` over `n` decoded positions alternating collateral and debt, for each
/// of [`COUNTS`].
pub fn decoded_costs(env: &Env, probe: &HealthProbeClient) -> Vec<Cost> {
    COUNTS
        .iter()
        .map(|&n| {
            let mut positions = vec![env];
            for i in 0..n {
                positions.push_back(if i % 2 == 0 { collateral() } else { debt() });
            }
            Cost::measure(env, || probe.positions(&positions)).1
        })
        .collect()
}

/// Marginal instructions and memory of one position: `(cost(16) - cost(1)) / 15`.
pub fn per_position(costs: &[Cost]) -> (i64, i64) {
    let (first, last) = (&costs[0], &costs[costs.len() - 1]);
    let n = (COUNTS[COUNTS.len() - 1] - COUNTS[0]) as i64;
    (
        (last.instructions - first.instructions) / n,
        (last.mem_bytes - first.mem_bytes) / n,
    )
}

/// The health table.
pub fn run() -> Table {
    let (env, probe) = setup();
    let mut table = Table::new("Health computation (risk-core in WASM, `health-probe`)");
    let mut marginal = Vec::new();
    for (label, position) in [("collateral", collateral()), ("debt", debt())] {
        let costs = repeat_costs(&env, &probe, &position);
        for (n, c) in COUNTS.iter().zip(&costs) {
            table.push("repeat", format!("{n} × {label} position"), c.clone());
        }
        marginal.push((label, per_position(&costs)));
    }
    let decoded = decoded_costs(&env, &probe);
    for (n, c) in COUNTS.iter().zip(&decoded) {
        table.push("positions", format!("{n} decoded positions"), c.clone());
    }
    marginal.push(("decoded (incl. decoding)", per_position(&decoded)));
    let summary: Vec<String> = marginal
        .iter()
        .map(|(label, (i, m))| format!("{label}: **{i}** instructions, {m} bytes"))
        .collect();
    table.note(format!(
        "Marginal cost of one position, (cost(16) − cost(1)) / 15 — {}. Target: ≤ 20,000 \
         instructions per position of health math.",
        summary.join("; ")
    ));
    table
}

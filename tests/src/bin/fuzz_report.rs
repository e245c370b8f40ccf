//! The invariant-fuzzing figures: runs `N` random sequences of `M` steps (the model of
//! `protocol_tests::invariants`) from seed `S` and prints sequences, steps, calls, invariant
//! checks and violations. Exits 1 when any invariant was violated.
//!
//! Usage: `cargo run --release -p protocol-tests --bin fuzz_report -- --sequences N --steps M
//! --seed S` (defaults 10, 40, 1).

use protocol_tests::invariants::{run_bytes, Action, Rng, Stats, INVARIANTS};

fn main() {
    let (mut sequences, mut steps, mut seed) = (10u64, 40usize, 1u64);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or_else(|| fail(&format!("{arg} needs a number")))
        };
        match arg.as_str() {
            "--sequences" => sequences = value(),
            "--steps" => steps = value() as usize,
            "--seed" => seed = value(),
            "-h" | "--help" => {
                println!("usage: fuzz_report [--sequences N] [--steps M] [--seed S]");
                return;
            }
            other => fail(&format!("unknown argument '{other}' (see --help)")),
        }
    }
    let started = std::time::Instant::now();
    let mut total = Stats::default();
    let mut violations = 0u64;
    for n in 0..sequences {
        let bytes = Rng::new(seed.wrapping_add(n)).bytes(steps * Action::MAX_BYTES);
        let (stats, found) = run_bytes(&bytes, steps);
        for (step, action, v) in &found {
            println!(
                "VIOLATION seed {} step {step} {action:?}: {}: {}",
                seed.wrapping_add(n),
                v.invariant,
                v.detail
            );
        }
        violations += found.len() as u64;
        add(&mut total, &stats);
    }
    println!(
        "invariant fuzzing (SPEC §12), seeds {seed}..{}",
        seed + sequences
    );
    println!("sequences            {sequences}");
    println!("steps                {}", total.steps);
    println!("calls succeeded      {}", total.calls_ok);
    println!(
        "calls refused        {} ({} not as a typed error)",
        total.calls_refused, total.refused_untyped
    );
    println!("auctions started     {}", total.starts);
    println!("takes                {}", total.takes);
    println!("resets               {}", total.resets);
    println!("bad debts settled    {}", total.settlements);
    println!("invariants           {}", INVARIANTS.len());
    println!("invariant checks     {}", total.checks);
    println!("violations           {violations}");
    println!(
        "seconds              {:.1}",
        started.elapsed().as_secs_f64()
    );
    if violations > 0 {
        std::process::exit(1);
    }
}

fn add(total: &mut Stats, s: &Stats) {
    total.steps += s.steps;
    total.calls_ok += s.calls_ok;
    total.calls_refused += s.calls_refused;
    total.refused_untyped += s.refused_untyped;
    total.checks += s.checks;
    total.starts += s.starts;
    total.takes += s.takes;
    total.resets += s.resets;
    total.settlements += s.settlements;
}

fn fail(msg: &str) -> ! {
    eprintln!("fuzz_report: {msg}");
    std::process::exit(2);
}

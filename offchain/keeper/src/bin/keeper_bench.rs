//! `cargo run --release -p keeper --bin keeper-bench [accounts] [rounds]`: the keeper's native
//! health screen ([`keeper::logic::Market::sums`], the shared risk core) over synthetic
//! accounts, on one thread, printed as evaluations per second. Accounts hold four positions
//! (two collateral, two debt) over eight assets with distinct weights, decimals and quotes.

use std::hint::black_box;
use std::time::Instant;

use keeper::logic::market::Screen;
use keeper::logic::{AssetInfo, Market};

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// This thread's time on a CPU, in seconds (Linux `/proc/thread-self/schedstat`): on a shared
/// machine the rate per CPU second is the one-core figure; wall time is printed too.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn arg(i: usize, default: usize) -> Result<usize, String> {
    match std::env::args().nth(i) {
        Some(a) => a
            .parse()
            .map_err(|_| format!("argument {i}: not a count: {a:?}")),
        None => Ok(default),
    }
}

fn main() -> Result<(), String> {
    let accounts = arg(1, 100_000)?;
    let rounds = arg(2, 20)?.max(1);
    let mut market = Market::default();
    let names: Vec<String> = (0..8).map(|i| format!("asset-{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        let i = i as i128;
        let spot = (1 + i * 7) * 100_000_000_000_000 / 3;
        let info = AssetInfo::from_abi(
            if i % 2 == 0 { 7 } else { 18 },
            [
                7_000_000 + i * 100_000,
                8_000_000 + i * 100_000,
                12_000_000,
                11_000_000,
            ],
            spot,
            spot * 99 / 100,
            spot * 101 / 100,
        )
        .map_err(|e| format!("{e:?}"))?;
        market.assets.insert(name.clone(), info);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let book: Vec<Vec<(String, i128)>> = (0..accounts)
        .map(|_| {
            (0..4)
                .map(|k| {
                    let a = rng.below(8) as usize;
                    let scale: i128 = if a.is_multiple_of(2) {
                        10_000_000
                    } else {
                        1_000_000_000_000_000_000
                    };
                    let amount = (1 + rng.below(10_000) as i128) * scale;
                    (names[a].clone(), if k < 2 { amount } else { -amount / 3 })
                })
                .collect()
        })
        .collect();
    let screen = Screen::new(&market);
    let resolved: Vec<Vec<(u32, i128)>> = book
        .iter()
        .map(|p| screen.resolve(p).ok_or("unresolved asset"))
        .collect::<Result<_, _>>()?;
    println!(
        "keeper native health screen: {accounts} accounts x {rounds} rounds, 4 positions each, 1 thread"
    );
    let evals = (accounts * rounds) as f64;
    let run = |label: &str, f: &dyn Fn(usize) -> Result<bool, String>| {
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        let mut liquidatable = 0u64;
        for _ in 0..rounds {
            for i in 0..accounts {
                liquidatable += u64::from(f(i)?);
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let cpu = match (cpu_start, cpu_seconds()) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => secs,
        };
        println!(
            "  {label}: {:.0} evaluations per CPU second ({:.1} ns each), {:.0} per wall second; \
             {} liquidatable per round",
            evals / cpu,
            cpu * 1e9 / evals,
            evals / secs,
            liquidatable / rounds as u64
        );
        Ok::<(), String>(())
    };
    run("indexed (Screen::sums, the keeper's step)", &|i| {
        let sums = screen
            .sums(black_box(&resolved[i]))
            .map_err(|e| format!("{e:?}"))?;
        Ok(sums.is_liquidatable())
    })?;
    run("by asset name (Market::sums)", &|i| {
        let sums = market
            .sums(black_box(&book[i]))
            .map_err(|e| format!("{e:?}"))?;
        Ok(sums.is_liquidatable())
    })?;
    Ok(())
}

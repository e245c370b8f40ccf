//! Accounts opening during the window: a share of the traders open at random times through the
//! run instead of at its start, each at the edge of the init health of its own time.
//!
//! The simulator opens every account at its first step, so a trader opening at step `k` is its
//! own simulator run over the grid from `k` on (its own pool and lenders, keepers with the same
//! latencies), and its outcome joins the main run's (the traders opening at the start) with its
//! times shifted by `k` steps. The late trader does not share the pool and the keepers with the
//! others: the pool is arbitraged to the history at every step either way, and the keepers of
//! the main run are not held up by its auctions.
//!
//! The open steps come from the seed alone, so every parameter set meets the same late accounts
//! at the same times, and each late run has a seed of its own (another draw of collateral,
//! leverage and side).

use super::metrics::RunOutcome;

/// splitmix64: a small, well-mixed stream from one seed (the open times need no more).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// How many of `traders` open late at `share`: the nearest whole number, at most `traders - 1`
/// (the main run keeps at least one trader).
pub fn late_traders(traders: usize, share: f64) -> usize {
    if share.is_nan() || share <= 0.0 || traders == 0 {
        return 0;
    }
    ((traders as f64 * share).round() as usize).min(traders - 1)
}

/// The grid steps at which the late traders open, sorted: one per late trader, each drawn
/// uniformly from `1..=points - 2` (after the start, and early enough for a run of at least two
/// points). Empty when the grid has fewer than three points.
pub fn late_open_steps(traders: usize, share: f64, points: usize, seed: u64) -> Vec<usize> {
    let n = late_traders(traders, share);
    if points < 3 {
        return Vec::new();
    }
    let mut rng = SplitMix(seed ^ 0x6C61_7465_5F6F_7065); // "late_ope"
    let span = (points - 2) as u64;
    let mut steps: Vec<usize> = (0..n).map(|_| 1 + (rng.next() % span) as usize).collect();
    steps.sort_unstable();
    steps
}

/// The seed of the `k`-th late trader's run: distinct from the main run's and from each other.
pub fn late_seed(seed: u64, k: usize) -> u64 {
    SplitMix(seed.wrapping_add(k as u64 + 1)).next()
}

/// `late`'s outcome joined to `main`: its liquidations `offset_seconds` later, its accounts,
/// bad debt, write-off, keeper profit and insurance fund added; the borrowing power is the
/// parameters' and stays `main`'s.
pub fn join(main: &mut RunOutcome, late: RunOutcome, offset_seconds: u64) {
    main.liquidations
        .extend(late.liquidations.into_iter().map(|mut l| {
            l.time_seconds += offset_seconds;
            l
        }));
    main.accounts += late.accounts;
    main.bad_debt += late.bad_debt;
    main.bad_debt_accounts += late.bad_debt_accounts;
    main.written_off += late.written_off;
    main.keeper_profit += late.keeper_profit;
    main.insurance_fund += late.insurance_fund;
}

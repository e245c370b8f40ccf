//! The resource benchmark: every entry point measured on the optimised WASM builds in the real
//! host (`Env::default()`, mainnet resource limits), written as the markdown table committed in
//! `BENCHMARKS.md`. Run it with `scripts/bench.sh`.
//!
//! Each row is the cost of one top-level invocation as `env.cost_estimate()` reports it: modelled
//! CPU instructions and memory, ledger entries and bytes read and written, and the fee estimate
//! (mainnet fee snapshot of the SDK) with and without rent.

pub mod amm;
pub mod auction;
pub mod breakdown;
pub mod footprint;
pub mod health;
pub mod margin;
pub mod oracle;
pub mod vault;

use soroban_sdk::Env;

/// Per-transaction network limits of protocol 27 (SPEC §10).
pub mod limits {
    pub const INSTRUCTIONS: i64 = 400_000_000;
    pub const MEM_BYTES: i64 = 41_943_040;
    pub const READ_ENTRIES: u32 = 200;
    pub const WRITE_ENTRIES: u32 = 200;
    pub const WRITE_BYTES: u32 = 132_096;
}

/// The resources of one invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cost {
    pub instructions: i64,
    pub mem_bytes: i64,
    /// Entries read (live in-memory plus restored from disk).
    pub read_entries: u32,
    pub write_entries: u32,
    /// Bytes read from disk (0 for live state, which validators keep in memory).
    pub read_bytes: u32,
    pub write_bytes: u32,
    /// Fee estimate in stroops: resources plus persistent rent. Temporary-entry rent is left out:
    /// the only temporary entries are auth nonces, which `mock_all_auths` creates with a far-off
    /// expiry (a real signature expires within a few ledgers, so its nonce rent is negligible).
    pub fee_total: i64,
    /// The persistent-entry rent included in `fee_total`.
    pub rent: i64,
}

impl Cost {
    /// The cost of the last top-level invocation in `env`.
    pub fn last(env: &Env) -> Cost {
        let r = env.cost_estimate().resources();
        let f = env.cost_estimate().fee();
        Cost {
            instructions: r.instructions,
            mem_bytes: r.mem_bytes,
            read_entries: r.memory_read_entries + r.disk_read_entries,
            write_entries: r.write_entries,
            read_bytes: r.disk_read_bytes,
            write_bytes: r.write_bytes,
            fee_total: f.total - f.temporary_entry_rent,
            rent: f.persistent_entry_rent,
        }
    }

    /// Runs `call` as one measured invocation and returns its result and cost.
    ///
    /// The test host charges its diagnostic (debug) events to the same budget as the contract
    /// work, so a heavy call can exceed the budget in tests while its real cost fits. The budget
    /// is therefore lifted; the figures come from the invocation meter, which counts only real
    /// work, and `Env::default()` still enforces the mainnet per-transaction limits on them.
    pub fn measure<T>(env: &Env, call: impl FnOnce() -> T) -> (T, Cost) {
        env.cost_estimate().budget().reset_unlimited();
        let out = call();
        (out, Cost::last(env))
    }
}

/// One row of a table.
#[derive(Clone, Debug)]
pub struct Row {
    pub entry_point: String,
    pub case: String,
    pub cost: Cost,
}

/// A titled table of rows, rendered as markdown.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub title: String,
    pub notes: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn new(title: &str) -> Table {
        Table {
            title: title.to_string(),
            ..Table::default()
        }
    }

    pub fn note(&mut self, text: impl Into<String>) -> &mut Self {
        self.notes.push(text.into());
        self
    }

    pub fn push(&mut self, entry_point: &str, case: impl Into<String>, cost: Cost) -> &mut Self {
        self.rows.push(Row {
            entry_point: entry_point.to_string(),
            case: case.into(),
            cost,
        });
        self
    }

    /// The table as markdown.
    pub fn render(&self) -> String {
        let mut s = format!("## {}\n\n", self.title);
        for n in &self.notes {
            s.push_str(n);
            s.push_str("\n\n");
        }
        s.push_str(
            "| entry point | case | CPU instructions | memory (bytes) | entries read | entries written | bytes read | bytes written | fee (stroops) | of which rent |\n",
        );
        s.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for r in &self.rows {
            let c = &r.cost;
            s.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                r.entry_point,
                r.case,
                group(c.instructions),
                group(c.mem_bytes),
                c.read_entries,
                c.write_entries,
                group(c.read_bytes as i64),
                group(c.write_bytes as i64),
                group(c.fee_total),
                group(c.rent),
            ));
        }
        s.push('\n');
        s
    }
}

/// `1234567` → `1,234,567`.
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::group;

    #[test]
    fn group_inserts_thousands_separators() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(-1_234_567), "-1,234,567");
    }
}

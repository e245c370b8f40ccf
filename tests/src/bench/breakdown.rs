//! Where a call's instructions go: the host's budget split by cost type, and the part that no
//! contract logic can remove — instantiating a VM for every contract a call enters.
//!
//! Since protocol 23 parsed modules are cached, so a call pays no parsing, but every contract
//! invocation (each cross-contract call included) still instantiates its module, and that cost is
//! linear in the module's **imports** (host functions used), **exports** (entry points) and
//! functions, not in its byte size. [`instance_cpu`] is that model with the host's protocol-27
//! cost parameters; [`Breakdown`] reads the same figures back from the metered budget, and the
//! `instantiation_model_matches_the_host` test checks that the two agree.

use soroban_sdk::xdr::ContractCostType as T;
use soroban_sdk::Env;

use super::{group, Cost};

/// The host's protocol-27 CPU cost parameters for instantiating a cached module (soroban-env-host
/// 27's mainnet cost table): a constant per instance and, per item, a linear coefficient scaled
/// by 128 (the host charges `coefficient * items / 128`, rounded down, per instance).
pub mod model {
    /// `InstantiateWasmInstructions`: constant per instance.
    pub const PER_INSTANCE: u64 = 43_030;
    /// `InstantiateWasmImports`: per imported host function (about 6,476).
    pub const IMPORT_X128: u64 = 828_974;
    /// `InstantiateWasmExports`: per export, entry points, memory and globals (about 2,321).
    pub const EXPORT_X128: u64 = 297_100;
    /// `InstantiateWasmFunctions`: per function body (about 59).
    pub const FUNCTION_X128: u64 = 7_556;
    /// `InstantiateWasmGlobals`, `TableEntries`, `DataSegments`, `ElemSegments`.
    pub const GLOBAL_X128: u64 = 10_711;
    pub const TABLE_ENTRY_X128: u64 = 3_300;
    pub const DATA_SEGMENT_X128: u64 = 23_038;
    pub const ELEM_SEGMENT_X128: u64 = 42_488;

    /// What the host charges for `items` at a scaled coefficient.
    pub const fn linear(coefficient_x128: u64, items: u64) -> u64 {
        coefficient_x128 * items / 128
    }
}

/// The instantiation-relevant counts of a WASM module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleShape {
    pub bytes: usize,
    pub imports: u64,
    pub exports: u64,
    pub functions: u64,
    pub globals: u64,
    pub table_entries: u64,
    pub data_segments: u64,
    pub elem_segments: u64,
}

/// Reads a LEB128 `u32`/`u64` at `*at`.
fn leb(b: &[u8], at: &mut usize) -> Option<u64> {
    let (mut out, mut shift) = (0u64, 0u32);
    loop {
        let byte = *b.get(*at)?;
        *at += 1;
        out |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(out);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// The first LEB128 of a section's body (its item count).
fn count(body: &[u8]) -> Option<u64> {
    leb(body, &mut 0)
}

/// Table entries: the initial size of each table in the table section.
fn table_entries(body: &[u8]) -> Option<u64> {
    let mut at = 0;
    let n = leb(body, &mut at)?;
    let mut total = 0;
    for _ in 0..n {
        at += 1; // element type
        let flags = leb(body, &mut at)?;
        total += leb(body, &mut at)?;
        if flags & 1 == 1 {
            leb(body, &mut at)?;
        }
    }
    Some(total)
}

impl ModuleShape {
    /// Parses the section headers of a WASM module. `None` for malformed input.
    pub fn parse(wasm: &[u8]) -> Option<ModuleShape> {
        if wasm.get(..4)? != b"\0asm" {
            return None;
        }
        let mut s = ModuleShape {
            bytes: wasm.len(),
            ..ModuleShape::default()
        };
        let mut at = 8;
        while at < wasm.len() {
            let id = wasm[at];
            at += 1;
            let size = leb(wasm, &mut at)? as usize;
            let body = wasm.get(at..at + size)?;
            match id {
                2 => s.imports = count(body)?,
                3 => s.functions = count(body)?,
                4 => s.table_entries = table_entries(body)?,
                6 => s.globals = count(body)?,
                7 => s.exports = count(body)?,
                9 => s.elem_segments = count(body)?,
                11 => s.data_segments = count(body)?,
                _ => {}
            }
            at += size;
        }
        Some(s)
    }
}

/// Modelled CPU of one instantiation of a module of this shape (data-segment bytes, a few
/// hundred instructions, left out).
pub fn instance_cpu(s: &ModuleShape) -> u64 {
    use model::*;
    PER_INSTANCE
        + linear(IMPORT_X128, s.imports)
        + linear(EXPORT_X128, s.exports)
        + linear(FUNCTION_X128, s.functions)
        + linear(GLOBAL_X128, s.globals)
        + linear(TABLE_ENTRY_X128, s.table_entries)
        + linear(DATA_SEGMENT_X128, s.data_segments)
        + linear(ELEM_SEGMENT_X128, s.elem_segments)
}

/// The budget of the last measured call, by kind of work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// All CPU the budget charged.
    pub total: u64,
    /// VMs instantiated.
    pub instances: u64,
    /// All `InstantiateWasm*` CPU, and the import and export parts of it.
    pub instantiation: u64,
    pub imports: u64,
    pub exports: u64,
    /// `WasmInsnExec`: contract code running.
    pub wasm: u64,
    /// `MemAlloc`, `MemCpy`, `MemCmp`: host memory work (objects, storage maps, copies).
    pub host_memory: u64,
    /// `ValSer`, `ValDeser`: XDR (de)serialisation (storage entries, events, keys).
    pub serialisation: u64,
}

impl Breakdown {
    /// Reads the budget of `env` (call right after the measured invocation).
    pub fn read(env: &Env) -> Breakdown {
        let b = env.cost_estimate().budget();
        let cpu = |t: T| b.tracker(t).cpu;
        let instantiation_types = [
            T::InstantiateWasmInstructions,
            T::InstantiateWasmFunctions,
            T::InstantiateWasmGlobals,
            T::InstantiateWasmTableEntries,
            T::InstantiateWasmTypes,
            T::InstantiateWasmDataSegments,
            T::InstantiateWasmElemSegments,
            T::InstantiateWasmImports,
            T::InstantiateWasmExports,
            T::InstantiateWasmDataSegmentBytes,
        ];
        Breakdown {
            total: b.cpu_instruction_cost(),
            instances: b.tracker(T::InstantiateWasmInstructions).iterations,
            instantiation: instantiation_types.iter().map(|t| cpu(*t)).sum(),
            imports: cpu(T::InstantiateWasmImports),
            exports: cpu(T::InstantiateWasmExports),
            wasm: cpu(T::WasmInsnExec),
            host_memory: cpu(T::MemAlloc) + cpu(T::MemCpy) + cpu(T::MemCmp),
            serialisation: cpu(T::ValSer) + cpu(T::ValDeser),
        }
    }

    /// Runs `call` as one measured invocation: its metered cost and its budget breakdown.
    pub fn measure<R>(env: &Env, call: impl FnOnce() -> R) -> (R, Cost, Breakdown) {
        let (out, cost) = Cost::measure(env, call);
        (out, cost, Breakdown::read(env))
    }

    /// Everything not itemised (host function dispatch, object visits, hashing, events).
    pub fn other(&self) -> u64 {
        self.total
            .saturating_sub(self.instantiation + self.wasm + self.host_memory + self.serialisation)
    }
}

/// A markdown table of breakdowns: `(call, case, target, metered cost, breakdown)`.
pub fn render(title: &str, notes: &[String], rows: &[Row]) -> String {
    let mut s = format!("## {title}\n\n");
    for n in notes {
        s.push_str(n);
        s.push_str("\n\n");
    }
    s.push_str(
        "| call | case | target | metered CPU | budget CPU | VM instances | instantiation | of which imports | of which exports | WASM execution | host memory | (de)serialisation | other |\n",
    );
    s.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (call, case, target, c, b) in rows {
        s.push_str(&format!(
            "| {call} | {case} | {target} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            group(c.instructions),
            group(b.total as i64),
            b.instances,
            group(b.instantiation as i64),
            group(b.imports as i64),
            group(b.exports as i64),
            group(b.wasm as i64),
            group(b.host_memory as i64),
            group(b.serialisation as i64),
            group(b.other() as i64),
        ));
    }
    s.push('\n');
    s
}

/// A markdown table of every contract's module shape and modelled instantiation CPU.
pub fn render_shapes(shapes: &[(String, ModuleShape)]) -> String {
    let mut s = String::from(
        "| contract | WASM bytes | imports | exports | functions | CPU per instantiation (model) | of which imports | of which exports |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (name, m) in shapes {
        s.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} |\n",
            group(m.bytes as i64),
            m.imports,
            m.exports,
            m.functions,
            group(instance_cpu(m) as i64),
            group(model::linear(model::IMPORT_X128, m.imports) as i64),
            group(model::linear(model::EXPORT_X128, m.exports) as i64),
        ));
    }
    s.push('\n');
    s
}

/// The shapes of every contract in `target/wasm`, sorted by name.
pub fn shapes() -> Vec<(String, ModuleShape)> {
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir(crate::wasm::wasm_dir()) {
        for entry in dir.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("wasm") {
                continue;
            }
            let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or("?");
            if let Some(shape) = std::fs::read(&path)
                .ok()
                .and_then(|b| ModuleShape::parse(&b))
            {
                out.push((name.replace('_', "-"), shape));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The benchmark section: module shapes, then the target calls broken down.
fn env_of(f: &crate::auction_fixture::AuctionFixture) -> Env {
    f.env().clone()
}

/// One breakdown row: `(call, case, target, metered cost, breakdown)`.
pub type Row = (String, String, String, Cost, Breakdown);

/// Measures `call` twice: on a fork holding only the call's footprint (`fp`, state unchanged),
/// then on `env` itself (`rows`). `call` gets the `Env` to run on and how to bring an address
/// of `env` onto it (a rebinding on the fork, a copy on `env`).
fn measure_both<R>(
    env: &Env,
    rows: &mut Vec<Row>,
    fp: &mut Vec<Row>,
    (what, case, target): (&str, &str, &str),
    call: impl Fn(&Env, &dyn Fn(&soroban_sdk::Address) -> soroban_sdk::Address) -> R,
) -> R {
    let row = |c: Cost, b: Breakdown| (what.into(), case.into(), target.into(), c, b);
    let (_, c, b) =
        super::footprint::measure(env, |e| call(e, &|a| super::footprint::rebind(e, a)));
    fp.push(row(c, b));
    let (out, c, b) = Breakdown::measure(env, || call(env, &|a| a.clone()));
    rows.push(row(c, b));
    out
}

pub fn section() -> String {
    use crate::auction_fixture::AuctionFixture;
    use crate::protocol_fixture::{Protocol, UNIT, USD};
    use liquidation_auction::LiquidationAuctionClient as Auction;
    use margin_account::MarginAccountClient as Margin;

    let mut rows = Vec::new();
    // The same calls on a host holding only the call's footprint (see `footprint`), measured
    // just before each of them on a fork of the same state.
    let mut fp = Vec::new();
    for n in [1usize, 3] {
        let p = Protocol::new(&std::vec![USD; n + 1], &[], 0);
        let owner = p.funded(0, 0);
        for i in 0..n {
            p.mint(i, &owner, 100_000 * UNIT);
            p.margin.deposit(&owner, &1, &p.tokens[i], &(10_000 * UNIT));
        }
        let debt = p.tokens[n].clone();
        p.margin.borrow(&owner, &1, &debt, &(100 * UNIT), &owner);
        let case = format!("{n} + 1");
        let margin = |e: &Env, on: &dyn Fn(&soroban_sdk::Address) -> soroban_sdk::Address| {
            Margin::new(e, &on(&p.margin.address))
        };
        measure_both(
            &p.env,
            &mut rows,
            &mut fp,
            ("margin-account `health`", &case, ""),
            |e, on| margin(e, on).health(&on(&owner), &1),
        );
        let target = if n == 1 {
            "2,600,000"
        } else {
            "+60,000 per position"
        };
        measure_both(
            &p.env,
            &mut rows,
            &mut fp,
            ("margin-account `borrow`", &case, target),
            |e, on| {
                let o = on(&owner);
                margin(e, on).borrow(&o, &1, &on(&debt), &(100 * UNIT), &o)
            },
        );
    }
    let mut f = AuctionFixture::new();
    let owner = f.unhealthy_account(75);
    let keeper = f.funded_keeper(100_000 * UNIT);
    let (t0, t1) = (f.p.tokens[0].clone(), f.p.tokens[1].clone());
    let env = f.env().clone();
    let aid = measure_both(
        &env,
        &mut rows,
        &mut fp,
        ("liquidation-auction `start`", "1 + 1", "2,400,000"),
        |e, on| {
            Auction::new(e, &on(&f.auction.address)).start(
                &on(&keeper),
                &on(&owner),
                &0,
                &on(&t0),
                &on(&t1),
            )
        },
    );
    // The same start when another call of this resolution already pulled the new quotes into
    // margin-account's quote cache (any borrow, withdraw or trade after the price move).
    let mut g = AuctionFixture::new();
    let other = g.unhealthy_account(75);
    let _ = g.levered_account(1_000, 100);
    let keeper_g = g.funded_keeper(100_000 * UNIT);
    let (g0, g1) = (g.p.tokens[0].clone(), g.p.tokens[1].clone());
    measure_both(
        &env_of(&g),
        &mut rows,
        &mut fp,
        (
            "liquidation-auction `start`",
            "1 + 1, quotes cached",
            "2,400,000",
        ),
        |e, on| {
            Auction::new(e, &on(&g.auction.address)).start(
                &on(&keeper_g),
                &on(&other),
                &0,
                &on(&g0),
                &on(&g1),
            )
        },
    );
    f.p.advance(60);
    let (price, _) = f.auction.price(&aid);
    let (keeper, auction) = (&keeper, &f.auction.address);
    let take = |amount: i128| {
        move |e: &Env, on: &dyn Fn(&soroban_sdk::Address) -> soroban_sdk::Address| {
            let k = on(keeper);
            Auction::new(e, &on(auction)).take(&k, &aid, &amount, &price, &k, &None)
        }
    };
    let ledger_entries = super::footprint::map_len(&env);
    measure_both(
        &env,
        &mut rows,
        &mut fp,
        ("liquidation-auction `take`", "partial, 1 + 1", "3,100,000"),
        take(10 * UNIT),
    );
    measure_both(
        &env,
        &mut rows,
        &mut fp,
        (
            "liquidation-auction `take`",
            "the rest (closes the auction)",
            "3,100,000",
        ),
        take(i128::MAX),
    );

    let notes = [
        "Every contract a call enters is instantiated again (cross-contract calls included). \
         Parsed modules are cached since protocol 23, so the cost of an instantiation is the \
         host's linear model in the module's shape: 43,030 per instance, 6,476 per imported host \
         function, 2,321 per export, 59 per function (soroban-env-host 27 cost parameters; the \
         test `instantiation_model_matches_the_host` checks the model against the metered \
         budget). The WASM size itself costs almost nothing."
            .to_string(),
        render_shapes(&shapes()),
        "The target calls, split by the host's cost types (budget CPU: the whole budget, which \
         also charges a little host work outside the metered invocation). `instantiation` is \
         the floor set by the contracts the call must enter; `WASM execution` is contract code. \
         The protocol here lists 2 (or 4) assets; the margin-account table above deploys 17 assets \
         and 5 pools, and the same `borrow` costs ~0.4-0.5M more there, all of it host memory \
         work: the in-process host keeps every ledger entry the test ever created in one sorted \
         storage map and rebuilds it on each write (soroban-env-host's `MeteredOrdMap::insert`), \
         where a network transaction's map holds only its own footprint. Margin-account's \
         `borrow` / `health` rows here are the second call within a feed resolution (priced from \
         margin-account's quote cache; the first call of a resolution also enters the adapter and \
         its feeds). `start` enters, in order: the auction, margin-account (`liquidation_view`; \
         cold, also the adapter and its two feeds), margin-account again (`seize`) and the \
         collateral vault (the redemption); the 'quotes cached' row is a start after another call \
         of the same resolution pulled the quotes. A partial `take` enters the auction, \
         margin-account (`settle`) and the debt vault (`repay`); the closing take also the \
         collateral vault (the rest of the lot deposited back)."
            .to_string(),
    ];
    let mut out = render("Where the instructions go (issues 4 and 5)", &notes, &rows);
    let fp_notes = [format!(
        "The same calls, each measured on a fork of the state just before it whose host holds \
         only the entries the call touches (`tests/src/bench/footprint.rs`): the host loads an \
         entry from the frozen ledger on first access, and charges the load, so its storage map \
         grows to the call's footprint and no further, as a validator's host holds one \
         transaction's footprint. The test host above holds the whole test ledger ({} entries \
         at the first `take`), and each storage write re-sorts all of it: the difference between \
         the two tables is that artefact, nearly all of it in host memory work.",
        ledger_entries
    )];
    out.push_str(&render(
        "The target calls on the call's footprint only (as a network host runs them)",
        &fp_notes,
        &fp,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_sections_that_instantiation_charges() {
        // (module (import "x" "a" (func)) (func) (func) (export "f" (func 1)) (memory 1)
        //   (export "m" (memory 0)))
        let wasm: &[u8] = &[
            0, 97, 115, 109, 1, 0, 0, 0, // header
            1, 4, 1, 96, 0, 0, // type section: one () -> ()
            2, 7, 1, 1, 120, 1, 97, 0, 0, // import x.a func type 0
            3, 3, 2, 0, 0, // two functions
            5, 3, 1, 0, 1, // memory 1
            7, 9, 2, 1, 102, 0, 1, 1, 109, 2, 0, // exports f (func 1), m (memory 0)
            10, 7, 2, 2, 0, 11, 2, 0, 11, // two empty bodies
        ];
        let s = ModuleShape::parse(wasm).expect("valid module");
        assert_eq!((s.imports, s.exports, s.functions), (1, 2, 2));
        assert_eq!(
            instance_cpu(&s),
            // 43,030 + floor(828,974 / 128) + floor(2 * 297,100 / 128) + floor(2 * 7,556 / 128)
            43_030 + 6_476 + 4_642 + 118
        );
        assert_eq!(ModuleShape::parse(b"not wasm"), None);
    }
}

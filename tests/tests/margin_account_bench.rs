//! Regression guard on margin-account's costs (`tests/src/bench/margin.rs`, published by
//! `scripts/bench.sh`): a 16-position account can borrow and trade within 10% of the
//! per-transaction memory limit.

#[test]
fn margin_account_benchmark() {
    let table = protocol_tests::bench::margin::run();
    println!("{}", table.render());
    let limit = protocol_tests::bench::limits::MEM_BYTES;
    for row in table
        .rows
        .iter()
        .filter(|r| r.case.starts_with("16 positions"))
    {
        if row.entry_point == "borrow" || row.entry_point == "trade" {
            assert!(
                row.cost.mem_bytes * 10 <= limit,
                "{} with 16 positions uses {} bytes, more than 10 % of the limit",
                row.entry_point,
                row.cost.mem_bytes
            );
        }
    }
}

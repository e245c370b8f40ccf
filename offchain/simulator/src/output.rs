//! The report as text, JSON and SVG charts (hand-written SVG: no plotting dependency).

use std::fmt::Write as _;

use crate::Report;

pub fn summary(r: &Report, secs: f64) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "accounts: {}, steps: {}, wall time {secs:.1} s",
        r.accounts,
        r.price_path.len()
    );
    let _ = writeln!(s, "liquidations started: {}", r.liquidations.len());
    let takes: usize = r.liquidations.iter().map(|l| l.clearing_prices.len()).sum();
    let _ = writeln!(s, "takes: {takes}");
    let _ = writeln!(s, "bad debt: {:.2}", r.bad_debt);
    let _ = writeln!(s, "insurance fund (debt asset): {:.2}", r.insurance_fund);
    for (k, p) in r.keeper_profit.iter().enumerate() {
        let _ = writeln!(s, "keeper {k} profit: {p:.2} USD");
    }
    let _ = writeln!(
        s,
        "borrowing power per unit of collateral: {:.3}",
        r.borrowing_power
    );
    let _ = writeln!(
        s,
        "entry point | calls | median instr | worst instr | median mem | worst mem"
    );
    for c in &r.costs {
        let _ = writeln!(
            s,
            "{} | {} | {} | {} | {} | {}",
            c.name,
            c.calls,
            c.median_instructions,
            c.worst_instructions,
            c.median_memory,
            c.worst_memory
        );
    }
    s
}

fn list(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| format!("{x}")).collect();
    format!("[{}]", items.join(","))
}

pub fn json(r: &Report) -> String {
    let liqs: Vec<String> = r
        .liquidations
        .iter()
        .map(|l| {
            let pos: Vec<String> = l.positions.iter().map(|(a, v)| format!("[{a},{v}]")).collect();
            format!(
                "{{\"account\":{},\"time\":{},\"keeper\":{},\"positions\":[{}],\"prices\":{},\"clearing_prices\":{},\"oracle_at_takes\":{}}}",
                l.account, l.time, l.keeper, pos.join(","), list(&l.prices), list(&l.clearing_prices), list(&l.oracle_at_takes)
            )
        })
        .collect();
    let costs: Vec<String> = r
        .costs
        .iter()
        .map(|c| {
            format!(
                "{{\"name\":\"{}\",\"calls\":{},\"median_instructions\":{},\"worst_instructions\":{},\"median_memory\":{},\"worst_memory\":{}}}",
                c.name, c.calls, c.median_instructions, c.worst_instructions, c.median_memory, c.worst_memory
            )
        })
        .collect();
    format!(
        "{{\"accounts\":{},\"bad_debt\":{},\"insurance_fund\":{},\"borrowing_power\":{},\"keeper_profit\":{},\"price_path\":{},\"liquidations\":[{}],\"costs\":[{}]}}\n",
        r.accounts, r.bad_debt, r.insurance_fund, r.borrowing_power, list(&r.keeper_profit), list(&r.price_path), liqs.join(","), costs.join(",")
    )
}

/// A line chart of `series` (each a polyline) scaled to their joint range.
pub fn line_chart(title: &str, series: &[Vec<f64>]) -> String {
    let (w, h) = (800.0, 300.0);
    let all = series.iter().flatten().copied();
    let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = series.iter().map(Vec::len).max().unwrap_or(1).max(2) as f64;
    let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"];
    let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{}\"><rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"10\" y=\"18\" font-family=\"sans-serif\" font-size=\"14\">{title} (min {lo:.3}, max {hi:.3})</text>", h + 30.0);
    for (k, v) in series.iter().enumerate() {
        let pts: Vec<String> = v
            .iter()
            .enumerate()
            .map(|(i, x)| {
                format!(
                    "{:.1},{:.1}",
                    i as f64 / (n - 1.0) * w,
                    25.0 + h - (x - lo) / span * h
                )
            })
            .collect();
        let _ = write!(
            s,
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>",
            colours[k % 4],
            pts.join(" ")
        );
    }
    s + "</svg>\n"
}

fn quantile(v: &[f64], q: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 - 1.0) * q) as usize)
        .copied()
        .unwrap_or(0.0)
}

pub fn write_all(r: &Report, dir: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(format!("{dir}/report.json"), json(r))?;
    std::fs::write(
        format!("{dir}/price.svg"),
        line_chart("collateral price (USD)", &[r.price_path.clone()]),
    )?;
    let bands: Vec<Vec<f64>> = [0.1, 0.5, 0.9]
        .iter()
        .map(|&q| r.health.iter().map(|h| quantile(h, q).min(5.0)).collect())
        .collect();
    std::fs::write(
        format!("{dir}/health.svg"),
        line_chart("maint health p10 / p50 / p90 (capped at 5)", &bands),
    )?;
    let (clear, oracle): (Vec<f64>, Vec<f64>) = r
        .liquidations
        .iter()
        .flat_map(|l| {
            l.clearing_prices
                .iter()
                .copied()
                .zip(l.oracle_at_takes.iter().copied())
        })
        .unzip();
    std::fs::write(
        format!("{dir}/clearing.svg"),
        line_chart(
            "each take: clearing price (blue) vs oracle (red)",
            &[clear, oracle],
        ),
    )?;
    let shares: Vec<Vec<f64>> = (0..2)
        .map(|i| r.share_prices.iter().map(|s| s[i]).collect())
        .collect();
    std::fs::write(
        format!("{dir}/share_prices.svg"),
        line_chart("vault share prices", &shares),
    )?;
    Ok(())
}

//! The report as text, JSON and SVG charts (hand-written SVG: no plotting dependency).

use std::fmt::Write as _;

use crate::Report;

/// The printed summary.
pub fn summary(r: &Report, secs: f64) -> String {
    let mut s = String::new();
    let steps = r.steps.len();
    let span = r.steps.last().map_or(0, |x| x.time);
    let _ = writeln!(
        s,
        "seed {}: {} accounts ({} long, {} short, mean leverage {:.2}x, lowest opening init \
         health {:.3}), {} lenders, {steps} steps of {} s ({:.1} h), wall time {secs:.1} s",
        r.seed,
        r.accounts,
        r.longs,
        r.accounts - r.longs,
        r.mean_leverage,
        r.min_open_init_health,
        r.lenders,
        r.step_seconds,
        span as f64 / 3600.0
    );
    if !r.failed_opens.is_empty() {
        let _ = writeln!(s, "openings that failed: {}", r.failed_opens.len());
    }
    let prices: Vec<f64> = r.steps.iter().map(|x| x.market[0]).collect();
    let (lo, hi) = range(&prices);
    let _ = writeln!(
        s,
        "asset 0 price: start {:.2}, min {lo:.2}, max {hi:.2}, end {:.2} USD; oracle outages: {} steps",
        prices.first().copied().unwrap_or(0.0),
        prices.last().copied().unwrap_or(0.0),
        r.oracle_outages
    );
    let takes: usize = r.liquidations.iter().map(|l| l.takes.len()).sum();
    let resets: usize = r.liquidations.iter().map(|l| l.resets).sum();
    let accounts: std::collections::BTreeSet<u32> =
        r.liquidations.iter().map(|l| l.account).collect();
    let _ = writeln!(
        s,
        "liquidations: {} auctions on {} accounts, {takes} takes, {resets} resets",
        r.liquidations.len(),
        accounts.len()
    );
    let discounts: Vec<f64> = r
        .liquidations
        .iter()
        .flat_map(|l| &l.takes)
        .map(|t| 1.0 - t.clearing_price / t.oracle_price)
        .collect();
    if !discounts.is_empty() {
        let mean = discounts.iter().sum::<f64>() / discounts.len() as f64;
        let _ = writeln!(s, "mean take discount to the oracle: {:.2} %", mean * 100.0);
    }
    let _ = writeln!(
        s,
        "bad debt written off: {:.2} USD on {} accounts (insurance paid {} base units)",
        r.bad_debt_usd,
        r.bad_debts.len(),
        r.bad_debts.iter().map(|b| b.insurance_paid).sum::<i128>()
    );
    if let Some(worst) = r
        .bad_debts
        .iter()
        .map(|b| b.start_equity_ratio)
        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
    {
        let _ = writeln!(
            s,
            "  (accounts with bad debt had at most {:.1} % of their debt as equity when their \
             first auction started: price gaps)",
            worst * 100.0
        );
    }
    let _ = writeln!(
        s,
        "penalties to the insurance fund: {:.2} USD; funds at the end: {} USD",
        r.penalty_to_insurance_usd,
        r.insurance_usd
            .iter()
            .map(|x| format!("{x:.2}"))
            .collect::<Vec<_>>()
            .join(" / ")
    );
    for (k, p) in r.keeper_profit.iter().enumerate() {
        let name = r.keeper_names.get(k).map_or("?", |n| n.as_str());
        let starts = r.liquidations.iter().filter(|l| l.starter == k).count();
        let taken = r
            .liquidations
            .iter()
            .flat_map(|l| &l.takes)
            .filter(|t| t.keeper == k)
            .count();
        let _ = writeln!(
            s,
            "keeper {name}: {starts} starts, {taken} takes, profit {p:.2} USD"
        );
    }
    if let Some(last) = r.steps.last() {
        let shares: Vec<String> = last
            .share_prices
            .iter()
            .map(|x| format!("{x:.6}"))
            .collect();
        let _ = writeln!(s, "vault share prices at the end: {}", shares.join(" / "));
    }
    if let Some(g) = &r.governance {
        let _ = writeln!(
            s,
            "governance: asset {} weights init/maint {}/{} -> {}/{} queued at t={} s, earliest \
             apply t={} s, applied at {}, maint ramp {} s",
            g.asset,
            g.old.0 as f64 / 1e7,
            g.old.1 as f64 / 1e7,
            g.new.0 as f64 / 1e7,
            g.new.1 as f64 / 1e7,
            g.queued_at,
            g.earliest_apply,
            g.applied_at
                .map_or("never (run ended)".into(), |t| format!("t={t} s")),
            g.ramp_seconds
        );
    }
    if r.attack_attempts > 0 {
        let _ = writeln!(
            s,
            "oracle attack: {} borrow attempts at the pumped price, {} succeeded",
            r.attack_attempts, r.attack_successes
        );
    }
    let _ = writeln!(
        s,
        "borrowing power per unit of asset-0 collateral: {:.3}",
        r.borrowing_power
    );
    let _ = writeln!(
        s,
        "{:<26} {:>7} {:>6} {:>12} {:>12} {:>10} {:>10}",
        "entry point", "calls", "failed", "median instr", "worst instr", "median mem", "worst mem"
    );
    for c in &r.costs {
        let _ = writeln!(
            s,
            "{:<26} {:>7} {:>6} {:>12} {:>12} {:>10} {:>10}",
            c.name,
            c.calls,
            c.failed,
            c.median_instructions,
            c.worst_instructions,
            c.median_memory,
            c.worst_memory
        );
    }
    s
}

fn range(v: &[f64]) -> (f64, f64) {
    v.iter()
        .copied()
        .filter(|x| x.is_finite())
        .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)))
}

/// The report as JSON.
pub fn json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

const COLOURS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];

/// A chart: `series` of `(name, points (x, y))` drawn as lines (or dots with `dots`), scaled to
/// their joint range, with axes, ticks and a legend.
pub fn chart(
    title: &str,
    x_label: &str,
    series: &[(String, Vec<(f64, f64)>)],
    dots: bool,
) -> String {
    let (w, h, left, top, right, bottom) = (860.0, 350.0, 70.0, 50.0, 20.0, 45.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.0))
        .collect();
    let ys: Vec<f64> = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.1))
        .collect();
    let (mut x0, mut x1) = range(&xs);
    let (mut y0, mut y1) = range(&ys);
    if xs.is_empty() {
        (x0, x1) = (0.0, 1.0);
    }
    if ys.is_empty() {
        (y0, y1) = (0.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    if y1 <= y0 {
        let pad = (y0.abs() * 0.05).max(1e-9);
        y0 -= pad;
        y1 += pad;
    } else {
        let pad = (y1 - y0) * 0.05;
        y0 -= pad;
        y1 += pad;
    }
    let sx = |x: f64| left + (x - x0) / (x1 - x0) * pw;
    let sy = |y: f64| top + ph - (y - y0) / (y1 - y0) * ph;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         font-family=\"sans-serif\" font-size=\"11\"><rect width=\"100%\" height=\"100%\" \
         fill=\"white\"/><text x=\"{left}\" y=\"20\" font-size=\"14\">{}</text>",
        escape(title)
    );
    let _ = write!(
        s,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#888\"/>"
    );
    for k in 0..=4 {
        let fy = y0 + (y1 - y0) * k as f64 / 4.0;
        let fx = x0 + (x1 - x0) * k as f64 / 4.0;
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#eee\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            left + pw,
            left - 4.0,
            sy(fy) + 4.0,
            tick(fy),
            sx(fx),
            top + ph + 15.0,
            tick(fx),
            y = sy(fy)
        );
    }
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        left + pw / 2.0,
        h - 8.0,
        escape(x_label)
    );
    for (k, (name, pts)) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        if dots {
            for (x, y) in pts {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"/>",
                    sx(*x),
                    sy(*y)
                );
            }
        } else {
            let p: Vec<String> = pts
                .iter()
                .filter(|(_, y)| y.is_finite())
                .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y)))
                .collect();
            let _ = write!(
                s,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{}\"/>",
                p.join(" ")
            );
        }
        let lx = left + 10.0 + 150.0 * (k % 5) as f64;
        let ly = 38.0 + 12.0 * (k / 5) as f64;
        let _ = write!(
            s,
            "<rect x=\"{lx}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{ly:.1}\">{}</text>",
            ly - 9.0,
            lx + 14.0,
            escape(name)
        );
    }
    s + "</svg>\n"
}

fn tick(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.2}M", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if a >= 10.0 || a == 0.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A bar chart of `(label, values per group)`, one colour per group, log-free linear scale.
pub fn bars(title: &str, groups: &[&str], rows: &[(String, Vec<f64>)]) -> String {
    let (left, top, row_h) = (190.0, 40.0, 22.0);
    let h = top + row_h * rows.len().max(1) as f64 + 30.0;
    let w = 860.0;
    let pw = w - left - 90.0;
    let max = rows
        .iter()
        .flat_map(|r| r.1.iter().copied())
        .fold(1.0f64, f64::max);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         font-family=\"sans-serif\" font-size=\"11\"><rect width=\"100%\" height=\"100%\" \
         fill=\"white\"/><text x=\"10\" y=\"20\" font-size=\"14\">{}</text>",
        escape(title)
    );
    for (g, name) in groups.iter().enumerate() {
        let lx = left + 150.0 * g as f64;
        let _ = write!(
            s,
            "<rect x=\"{lx}\" y=\"26\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"35\">{}</text>",
            COLOURS[g % COLOURS.len()],
            lx + 14.0,
            escape(name)
        );
    }
    let n = groups.len().max(1) as f64;
    for (i, (label, vals)) in rows.iter().enumerate() {
        let y = top + row_h * i as f64 + 6.0;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 12.0,
            escape(label)
        );
        for (g, v) in vals.iter().enumerate() {
            let bh = (row_h - 6.0) / n;
            let _ = write!(
                s,
                "<rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"/>",
                y + bh * g as f64,
                v / max * pw,
                COLOURS[g % COLOURS.len()]
            );
        }
        if let Some(v) = vals.last() {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                left + v / max * pw + 4.0,
                y + 12.0,
                tick(*v)
            );
        }
    }
    s + "</svg>\n"
}

fn quantile(v: &[f64], q: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(((v.len() as f64 - 1.0) * q).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

/// Every chart of the report, as `(file name, SVG)`.
pub fn charts(r: &Report) -> Vec<(&'static str, String)> {
    let hours = |t: u64| t as f64 / 3600.0;
    let over = |f: &dyn Fn(&crate::StepRecord) -> Option<f64>| -> Vec<(f64, f64)> {
        r.steps
            .iter()
            .filter_map(|s| f(s).map(|y| (hours(s.time), y)))
            .collect()
    };
    let x = "hours since the start";
    let mut out = Vec::new();
    out.push((
        "price.svg",
        chart(
            "asset 0 price (USD): market and the adapter's spot",
            x,
            &[
                ("market".into(), over(&|s| Some(s.market[0]))),
                (
                    "oracle spot".into(),
                    over(&|s| s.oracle.as_ref().map(|o| o[0])),
                ),
            ],
            false,
        ),
    ));
    let mut bands: Vec<(String, Vec<(f64, f64)>)> = [(0.1, "p10"), (0.5, "median"), (0.9, "p90")]
        .iter()
        .map(|&(q, name)| {
            (
                name.to_string(),
                over(&|s| Some(quantile(&s.health, q).min(3.0))),
            )
        })
        .collect();
    bands.push((
        "min".into(),
        over(&|s| Some(quantile(&s.health, 0.0).min(3.0))),
    ));
    bands.push(("liquidation (1.0)".into(), over(&|_| Some(1.0))));
    out.push((
        "health.svg",
        chart(
            "maint health of accounts with debt: distribution per step (capped at 3)",
            x,
            &bands,
            false,
        ),
    ));
    let takes: Vec<&crate::Take> = r.liquidations.iter().flat_map(|l| &l.takes).collect();
    out.push((
        "clearing.svg",
        chart(
            "each take: clearing price vs oracle, as a ratio to the oracle (1 = oracle price)",
            x,
            &[
                (
                    "clearing / oracle".into(),
                    takes
                        .iter()
                        .map(|t| (hours(t.time), t.clearing_price / t.oracle_price))
                        .collect(),
                ),
                (
                    "market / oracle".into(),
                    takes
                        .iter()
                        .map(|t| (hours(t.time), t.market_price / t.oracle_price))
                        .collect(),
                ),
                (
                    "oracle".into(),
                    takes.iter().map(|t| (hours(t.time), 1.0)).collect(),
                ),
            ],
            true,
        ),
    ));
    let keepers: Vec<(String, Vec<(f64, f64)>)> = r
        .keeper_names
        .iter()
        .enumerate()
        .map(|(k, n)| (n.clone(), over(&|s| s.keeper_profit.get(k).copied())))
        .collect();
    out.push((
        "keeper_profit.svg",
        chart("keeper profit (USD)", x, &keepers, false),
    ));
    out.push((
        "insurance.svg",
        chart(
            "insurance fund (USD, penalties in, bad debt paid out)",
            x,
            &[
                ("asset 0 fund".into(), over(&|s| Some(s.insurance_usd[0]))),
                ("asset 1 fund".into(), over(&|s| Some(s.insurance_usd[1]))),
            ],
            false,
        ),
    ));
    out.push((
        "bad_debt.svg",
        chart(
            "bad debt written off by the vaults, cumulative (USD)",
            x,
            &[("bad debt".into(), over(&|s| Some(s.bad_debt_usd)))],
            false,
        ),
    ));
    out.push((
        "share_prices.svg",
        chart(
            "vault share prices (assets per share)",
            x,
            &[
                ("asset 0 vault".into(), over(&|s| Some(s.share_prices[0]))),
                ("asset 1 vault".into(), over(&|s| Some(s.share_prices[1]))),
            ],
            false,
        ),
    ));
    let asset = r.governance.as_ref().map_or(0, |g| g.asset);
    out.push((
        "governance.svg",
        chart(
            &format!("asset {asset} maint asset weight as margin-account applies it"),
            x,
            &[(
                "asset_weight_maint".into(),
                over(&|s| Some(s.maint_weights.0)),
            )],
            false,
        ),
    ));
    let rows: Vec<(String, Vec<f64>)> = r
        .costs
        .iter()
        .filter(|c| c.calls > 0)
        .map(|c| {
            (
                format!("{} ({})", c.name, c.calls),
                vec![c.median_instructions as f64, c.worst_instructions as f64],
            )
        })
        .collect();
    out.push((
        "costs.svg",
        bars(
            "CPU instructions per entry point (calls in brackets)",
            &["median", "worst"],
            &rows,
        ),
    ));
    out
}

/// Writes `report.json` and the charts into `dir`.
///
/// # Errors
/// The file system's.
pub fn write_all(r: &Report, dir: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(format!("{dir}/report.json"), json(r))?;
    for (name, svg) in charts(r) {
        std::fs::write(format!("{dir}/{name}"), svg)?;
    }
    Ok(())
}

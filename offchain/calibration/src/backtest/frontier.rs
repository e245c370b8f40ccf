//! The frontier chart: bad debt (y) against capital efficiency (x), one point per parameter set,
//! the proposal marked; over several seeds, the point is the mean and a whisker spans the least
//! to the worst seed. Plain SVG written by hand: a few dozen elements do not need a plotting
//! crate, and the file diffs readably when committed.

use std::fmt::Write;

use super::metrics::Metrics;
use super::seeds::SeedStats;

/// One parameter set on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierPoint {
    /// Its label.
    pub label: String,
    /// Whether it is the proposal (drawn larger, in red).
    pub is_proposal: bool,
    /// Borrowing power per unit of collateral (x).
    pub capital_efficiency: f64,
    /// Bad debt, USD (y): a run's, or the mean over seeds.
    pub bad_debt: f64,
    /// Least and worst bad debt over seeds (a whisker), `None` for a single run.
    pub bad_debt_range: Option<(f64, f64)>,
}

impl From<&Metrics> for FrontierPoint {
    fn from(r: &Metrics) -> Self {
        FrontierPoint {
            label: r.label.clone(),
            is_proposal: r.is_proposal,
            capital_efficiency: r.capital_efficiency,
            bad_debt: r.bad_debt,
            bad_debt_range: None,
        }
    }
}

impl From<&SeedStats> for FrontierPoint {
    fn from(s: &SeedStats) -> Self {
        FrontierPoint {
            label: s.label.clone(),
            is_proposal: s.is_proposal,
            capital_efficiency: s.capital_efficiency,
            bad_debt: s.bad_debt.mean,
            bad_debt_range: Some((s.bad_debt.min, s.bad_debt.max)),
        }
    }
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 460.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 60.0;
const TICKS: usize = 5;

/// `[lo, hi]` widened so that a single value or a flat series still spans a visible range.
fn span(values: impl Iterator<Item = f64>, floor_at_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if floor_at_zero {
        lo = lo.min(0.0);
    }
    if hi - lo < 1e-9 {
        hi = lo + if lo.abs() > 1e-9 { lo.abs() * 0.1 } else { 1.0 };
    }
    let pad = (hi - lo) * 0.08;
    (if floor_at_zero { lo } else { lo - pad }, hi + pad)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn axes(svg: &mut String, x: (f64, f64), y: (f64, f64), title: &str) {
    let (x0, x1, y0, y1) = (LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, TOP);
    let _ = write!(
        svg,
        r##"<text x="{:.1}" y="28" text-anchor="middle" font-size="16">{}</text>
<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#333"/>
<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#333"/>
<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13">capital efficiency (borrowing power per unit of collateral)</text>
<text x="18" y="{:.1}" text-anchor="middle" font-size="13" transform="rotate(-90 18 {:.1})">bad debt (USD)</text>
"##,
        WIDTH / 2.0,
        escape(title),
        (x0 + x1) / 2.0,
        HEIGHT - 15.0,
        (y0 + y1) / 2.0,
        (y0 + y1) / 2.0,
    );
    for i in 0..=TICKS {
        let f = i as f64 / TICKS as f64;
        let (px, py) = (x0 + f * (x1 - x0), y0 + f * (y1 - y0));
        let (vx, vy) = (x.0 + f * (x.1 - x.0), y.0 + f * (y.1 - y.0));
        let _ = writeln!(
            svg,
            r##"<line x1="{px:.1}" y1="{y0}" x2="{px:.1}" y2="{:.1}" stroke="#333"/><text x="{px:.1}" y="{:.1}" text-anchor="middle" font-size="11">{vx:.3}</text>
<line x1="{x0}" y1="{py:.1}" x2="{x1}" y2="{py:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11">{vy:.2}</text>"##,
            y0 + 5.0,
            y0 + 18.0,
            x0 - 6.0,
            py + 4.0,
        );
    }
}

/// The chart of single runs as an SVG document.
///
/// # Arguments
/// * `rows` - one per parameter set; the one with `is_proposal` is drawn larger, in red and
///   labelled "proposal".
/// * `title` - printed above the plot (the price series and keeper latencies).
pub fn frontier_svg(rows: &[Metrics], title: &str) -> String {
    let points: Vec<FrontierPoint> = rows.iter().map(FrontierPoint::from).collect();
    frontier_points_svg(&points, title)
}

/// The chart of seed statistics: each set at its mean bad debt, a whisker from its least to its
/// worst seed.
pub fn frontier_seeds_svg(stats: &[SeedStats], title: &str) -> String {
    let points: Vec<FrontierPoint> = stats.iter().map(FrontierPoint::from).collect();
    frontier_points_svg(&points, title)
}

/// The chart as an SVG document, from its points (as [`frontier_svg`]).
pub fn frontier_points_svg(rows: &[FrontierPoint], title: &str) -> String {
    let x = span(rows.iter().map(|r| r.capital_efficiency), false);
    let y = span(
        rows.iter().flat_map(|r| {
            let (lo, hi) = r.bad_debt_range.unwrap_or((r.bad_debt, r.bad_debt));
            [lo, r.bad_debt, hi]
        }),
        true,
    );
    let px_x = |v: f64| LEFT + (v - x.0) / (x.1 - x.0) * (WIDTH - RIGHT - LEFT);
    let px_y = |v: f64| HEIGHT - BOTTOM - (v - y.0) / (y.1 - y.0) * (HEIGHT - BOTTOM - TOP);
    let to_px = |r: &FrontierPoint| (px_x(r.capital_efficiency), px_y(r.bad_debt));
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
"##
    );
    axes(&mut svg, x, y, title);
    let mut sorted: Vec<&FrontierPoint> = rows.iter().collect();
    sorted.sort_by(|a, b| a.capital_efficiency.total_cmp(&b.capital_efficiency));
    let line: Vec<String> = sorted
        .iter()
        .map(|r| {
            let (px, py) = to_px(r);
            format!("{px:.1},{py:.1}")
        })
        .collect();
    let _ = writeln!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#4a7bd0" stroke-width="1.5"/>"##,
        line.join(" ")
    );
    for r in &sorted {
        let (px, py) = to_px(r);
        if let Some((lo, hi)) = r.bad_debt_range {
            let _ = writeln!(
                svg,
                r##"<line x1="{px:.1}" y1="{:.1}" x2="{px:.1}" y2="{:.1}" stroke="#888" stroke-width="1.5"/>"##,
                px_y(lo),
                px_y(hi)
            );
        }
        let (radius, fill) = if r.is_proposal {
            (8.0, "#d0342c")
        } else {
            (4.5, "#4a7bd0")
        };
        let _ = writeln!(
            svg,
            r##"<circle cx="{px:.1}" cy="{py:.1}" r="{radius}" fill="{fill}"><title>{}: {}bad debt {:.2}, capital efficiency {:.4}</title></circle><text x="{px:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{fill}">{}</text>"##,
            escape(&r.label),
            if r.bad_debt_range.is_some() {
                "mean "
            } else {
                ""
            },
            r.bad_debt,
            r.capital_efficiency,
            py - radius - 5.0,
            escape(&r.label),
        );
    }
    svg.push_str("</svg>\n");
    svg
}

//! The printed proposal: estimates, figures in ABI form, and the reasoning for each.

use std::fmt::{self, Display, Formatter};

use super::abi::from_abi;
use super::{pct, AssetProposal, AuctionProposal, Proposal};
use crate::asset::TailSources;
use crate::portfolio::{Diversification, PortfolioRisk};
use crate::tail::TailEstimate;

fn tail_cells(t: Option<TailEstimate>) -> String {
    match t {
        Some(t) => format!("{:>8} {:>8}", pct(t.var), pct(t.es)),
        None => format!("{:>8} {:>8}", "n/a", "n/a"),
    }
}

fn tail_rows(f: &mut Formatter<'_>, label: &str, a: &TailSources, b: &TailSources) -> fmt::Result {
    let rows = [
        ("historical", a.historical, b.historical),
        ("param. realised", Some(a.realised), Some(b.realised)),
        ("param. peak EWMA", Some(a.ewma_peak), Some(b.ewma_peak)),
    ];
    for (source, x, y) in rows {
        writeln!(
            f,
            "    {label:<9}{source:<17}{}   {}",
            tail_cells(x),
            tail_cells(y)
        )?;
    }
    Ok(())
}

fn write_asset(f: &mut Formatter<'_>, a: &AssetProposal, p: &Proposal) -> fmt::Result {
    let r = &a.risk;
    let w = &a.weights;
    writeln!(
        f,
        "\n== {}: {} returns every {} s",
        r.name, r.returns, r.step_seconds
    )?;
    writeln!(
        f,
        "  volatility (annualised): realised {} (standard error {}), EWMA(lambda {}) latest {}, \
         peak {}",
        pct(r.realised.annualised()),
        pct(r.realised_standard_error),
        r.ewma.lambda,
        pct(r.ewma.latest.annualised()),
        pct(r.ewma.peak.annualised()),
    )?;
    let (h, wd) = (&w.downside_horizon, &w.downside_window);
    let hist_h = h.historical.map_or(0, |t| t.samples);
    writeln!(
        f,
        "  tails at {}% (fraction of price)  over {} s ({} steps, {} windows)  over {} s ({} steps)",
        p.config.confidence * 100.0,
        h.horizon_seconds,
        h.k,
        hist_h,
        wd.horizon_seconds,
        wd.k
    )?;
    writeln!(
        f,
        "    {:<26}{:>8} {:>8}   {:>8} {:>8}",
        "", "VaR", "ES", "VaR", "ES"
    )?;
    tail_rows(f, "fall", h, wd)?;
    tail_rows(f, "rise", &w.upside_horizon, &w.upside_window)?;
    if h.historical.is_some_and(|t| t.is_thin(p.config.confidence)) {
        writeln!(
            f,
            "    note: the historical tail rests on fewer than one independent observation"
        )?;
    }
    let c = &w.abi;
    writeln!(f, "  asset config (7-decimal ABI):")?;
    for (name, v) in [
        ("asset_weight_init", c.asset_weight_init),
        ("asset_weight_maint", c.asset_weight_maint),
        ("liab_weight_init", c.liab_weight_init),
        ("liab_weight_maint", c.liab_weight_maint),
        ("liquidation_penalty", c.liquidation_penalty),
    ] {
        writeln!(f, "    {name:<20} {:.7}  ({v})", from_abi(v))?;
    }
    writeln!(f, "  reasoning:")?;
    for line in &w.reasoning {
        writeln!(f, "    - {line}")?;
    }
    Ok(())
}

impl Display for AuctionProposal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let a = &self.abi;
        writeln!(
            f,
            "  buf {:.7} ({}), cut {:.7} ({}) every {} s, cusp {:.7} ({}), tail {} s",
            from_abi(a.buf),
            a.buf,
            from_abi(a.cut),
            a.cut,
            a.step,
            from_abi(a.cusp),
            a.cusp,
            a.tail
        )?;
        for line in &self.reasoning {
            writeln!(f, "    - {line}")?;
        }
        Ok(())
    }
}

fn write_benefit(f: &mut Formatter<'_>, label: &str, d: &Diversification) -> fmt::Result {
    let losses: Vec<String> = d.asset_losses.iter().map(|l| pct(*l)).collect();
    writeln!(
        f,
        "  {label}: asset ES [{}], basket ES {}; borrowing power per unit of collateral: isolated \
         {:.4}, cross-margin {:.4}; benefit {:+.4} ({:+.2}% of isolated)",
        losses.join(", "),
        pct(d.portfolio_loss),
        d.isolated_borrowing_power,
        d.cross_borrowing_power,
        d.benefit,
        d.relative_benefit * 100.0
    )
}

impl Display for PortfolioRisk {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "  correlation of one-step log returns:")?;
        for (name, row) in self.names.iter().zip(&self.correlation) {
            let cells: Vec<String> = row.iter().map(|c| format!("{c:>6.3}")).collect();
            writeln!(f, "    {name:<48} {}", cells.join(" "))?;
        }
        let both = |t: Option<TailEstimate>| {
            t.map_or("n/a".to_string(), |t| {
                format!("VaR {}, ES {}", pct(t.var), pct(t.es))
            })
        };
        writeln!(
            f,
            "  basket fall over {} steps: historical {}; parametric {}",
            self.k,
            both(self.historical),
            both(Some(self.parametric))
        )?;
        if let Some(d) = &self.historical_benefit {
            write_benefit(f, "historical", d)?;
        }
        write_benefit(f, "parametric", &self.parametric_benefit)
    }
}

impl Display for Proposal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "Calibration proposal")?;
        for line in &self.reasoning {
            writeln!(f, "  - {line}")?;
        }
        for a in &self.assets {
            write_asset(f, a, self)?;
            writeln!(f, "  auction parameters from this asset alone:")?;
            write!(f, "{}", a.auction)?;
        }
        writeln!(
            f,
            "\n== auction parameters (global, from {})",
            self.auction.driven_by
        )?;
        write!(f, "{}", self.auction)?;
        if let Some(p) = &self.portfolio {
            writeln!(f, "\n== portfolio (cross-margin)")?;
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

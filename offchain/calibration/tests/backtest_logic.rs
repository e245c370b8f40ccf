//! The backtest's own logic, without the simulator: alternatives, unnecessary liquidations
//! (risk-core revaluation along the path), the price grid, the table and the frontier chart.

use calibration::backtest::recovery::asset_risks;
use calibration::backtest::{
    alternatives, frontier_svg, metrics, price_grid, recovers, scale_config, table, BacktestConfig,
    Candidate, LiquidationRecord, Metrics, PricePaths, Role, RunOutcome, Valuation, STABLE_DEBT,
};
use calibration::proposal::abi::AbiAssetConfig;
use calibration::{propose, ProposalConfig};
use market_data::{PathParams, PricePoint, PriceSeries, Shape};

/// 7-decimal base units of `x` whole tokens.
fn units(x: i128) -> i128 {
    x * 10_000_000
}

const ETH: AbiAssetConfig = AbiAssetConfig {
    asset_weight_init: 7_000_000,
    asset_weight_maint: 8_000_000,
    liab_weight_init: 13_000_000,
    liab_weight_maint: 12_000_000,
    liquidation_penalty: 500_000,
};

fn valuations() -> Vec<Valuation> {
    vec![
        Valuation {
            decimals: 7,
            config: ETH,
        },
        Valuation {
            decimals: 7,
            config: STABLE_DEBT,
        },
    ]
}

/// 10 ETH against 1600 USDC. Maint: assets 10 P 0.8, liabs 1600 * 1.03 = 1648, so the account
/// is liquidatable below P = 206 and back at maintenance above it (at exactly 206 the weights'
/// binary rounding, in the protocol's favour, leaves it a hair under).
fn account() -> Vec<(usize, i128)> {
    vec![(0, units(10)), (1, -units(1600))]
}

fn paths(eth: &[f64]) -> PricePaths {
    PricePaths {
        step_seconds: 60,
        prices: vec![eth.to_vec(), vec![1.0; eth.len()]],
    }
}

#[test]
fn an_account_back_at_maintenance_within_the_horizon_was_liquidated_unnecessarily() {
    let risks = asset_risks(&valuations()).unwrap();
    let p = paths(&[200.0, 190.0, 205.0, 206.1, 150.0]);
    // 206.1 (10 * 206.1 * 0.8 = 1648.8 >= 1648) is reached at t = 180 s: within 180 s of a start at t = 0, not within 120 s.
    assert!(recovers(&account(), &risks, &p, 0, 180).unwrap());
    assert!(!recovers(&account(), &risks, &p, 0, 120).unwrap());
    // From t = 200 s on the price only falls: no recovery, whatever the horizon.
    assert!(!recovers(&account(), &risks, &p, 200, 10_000).unwrap());
    // 205.9 stays below (10 * 205.9 * 0.8 = 1647.2 < 1648), and so does 206 itself.
    let just_under = paths(&[200.0, 205.9, 206.0]);
    assert!(!recovers(&account(), &risks, &just_under, 0, 600).unwrap());
}

#[test]
fn metrics_count_the_unnecessary_liquidations_among_the_starts() {
    let candidate = Candidate {
        label: "test".into(),
        role: Role::Proposal,
        assets: vec![ETH],
        auction: propose(&[gbm()], &ProposalConfig::default())
            .unwrap()
            .auction
            .abi,
    };
    let start = |id, time_seconds| LiquidationRecord {
        account: id,
        time_seconds,
        positions: account(),
    };
    let outcome = RunOutcome {
        liquidations: vec![start(1, 0), start(2, 240)],
        accounts: 5,
        bad_debt: 12.5,
        bad_debt_accounts: 1,
        written_off: 10.0,
        keeper_profit: 40.0,
        insurance_fund: 3.0,
        borrowing_power: 0.6667,
    };
    let p = paths(&[200.0, 190.0, 205.0, 206.1, 150.0, 150.0]);
    let m = metrics(&candidate, &outcome, &valuations(), &p, 600).unwrap();
    assert_eq!((m.liquidations, m.unnecessary), (2, 1));
    assert_eq!((m.bad_debt, m.keeper_profit), (12.5, 40.0));
    assert_eq!(m.capital_efficiency, 0.6667);
    assert_eq!(m.collateral_weights, (8_000_000, 7_000_000));
    assert_eq!(
        (m.accounts, m.bad_debt_accounts, m.written_off),
        (5, 1, 10.0)
    );
    assert!(
        table(&[m]).contains("| **test** | 0.8000 / 0.7000 | 5 | 2 | 1 | 12.50 (1 account) | 10.00 | 40.00 |"),
        "the row names the weights, accounts, liquidations, unnecessary ones, bad debt and write-off"
    );
}

fn gbm() -> PriceSeries {
    Shape::from_name("gbm")
        .unwrap()
        .generate(&PathParams::default(), 2)
        .unwrap()
}

#[test]
fn alternatives_run_from_loosest_to_tightest_around_the_proposal() {
    let p = propose(&[gbm()], &ProposalConfig::default()).unwrap();
    let c = alternatives(&p, &[1.5, 0.5, 1.0, 1.25, 0.75]);
    let labels: Vec<&str> = c.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "looser x0.5",
            "looser x0.75",
            "proposal",
            "tighter x1.25",
            "tighter x1.5"
        ]
    );
    assert_eq!(c.iter().filter(|c| c.is_proposal()).count(), 1);
    for pair in c.windows(2) {
        let (a, b) = (pair[0].assets[0], pair[1].assets[0]);
        assert!(b.asset_weight_maint < a.asset_weight_maint, "{a:?} {b:?}");
        assert!(b.asset_weight_init < a.asset_weight_init);
        assert!(b.liab_weight_maint > a.liab_weight_maint);
        assert_eq!(b.liquidation_penalty, a.liquidation_penalty);
        assert_eq!(pair[0].auction, pair[1].auction);
    }
    for candidate in &c {
        candidate.assets[0].check().unwrap();
    }
}

#[test]
fn scaled_haircuts_stay_within_the_spec_rules() {
    // Haircuts of 20% / 30% and liability excess 20% / 30%.
    for k in [0.01, 0.5, 2.0, 4.0, 10.0] {
        let s = scale_config(&ETH, k);
        s.check().unwrap();
        if k == 2.0 {
            // 1 - 2 * 0.2 = 0.6, 1 - 2 * 0.3 = 0.4, 1 + 2 * 0.2 = 1.4, 1 + 2 * 0.3 = 1.6.
            assert_eq!(
                (s.asset_weight_maint, s.asset_weight_init),
                (6_000_000, 4_000_000)
            );
            assert_eq!(
                (s.liab_weight_maint, s.liab_weight_init),
                (14_000_000, 16_000_000)
            );
        }
    }
    // A tiny scale would put awm at ~1: it is held strictly under 1 / (1 + penalty).
    let s = scale_config(&ETH, 0.01);
    assert!(s.asset_weight_maint * (10_000_000 + ETH.liquidation_penalty) < 10_000_000i128.pow(2));
    assert_eq!(scale_config(&ETH, 10.0).asset_weight_init, 0);
}

#[test]
fn price_grid_keeps_the_last_close_through_gaps_and_honours_the_window() {
    let pts = [(0, 10.0), (60, 11.0), (240, 14.0), (300, 15.0), (360, 16.0)];
    let series = PriceSeries::new(
        "gappy",
        pts.iter()
            .map(|(t, p)| PricePoint::new(1_000 + t, *p))
            .collect(),
    )
    .unwrap();
    let mut config = BacktestConfig {
        step_seconds: 60,
        ..BacktestConfig::default()
    };
    assert_eq!(
        price_grid(&series, &config).unwrap(),
        [10.0, 11.0, 11.0, 11.0, 14.0, 15.0, 16.0]
    );
    config.step_seconds = 120;
    config.skip_seconds = 60;
    config.duration_seconds = Some(240);
    assert_eq!(price_grid(&series, &config).unwrap(), [11.0, 11.0, 15.0]);
    config.skip_seconds = 360;
    let err = price_grid(&series, &config).unwrap_err().to_string();
    assert!(err.contains("fewer than two 120 s points"), "{err}");
}

fn row(label: &str, ce: f64, bad: f64, proposal: bool) -> Metrics {
    Metrics {
        label: label.into(),
        is_proposal: proposal,
        collateral_weights: (8_000_000, 7_000_000),
        accounts: 5,
        liquidations: 3,
        unnecessary: 0,
        bad_debt: bad,
        bad_debt_accounts: usize::from(bad > 0.0),
        written_off: bad,
        keeper_profit: 1.0,
        insurance_fund: 0.0,
        capital_efficiency: ce,
    }
}

#[test]
fn frontier_chart_plots_every_set_inside_the_axes_and_marks_the_proposal() {
    let rows = [
        row("looser x0.5", 0.80, 120.0, false),
        row("proposal", 0.55, 0.0, true),
        row("tighter x1.5", 0.40, 0.0, false),
    ];
    let svg = frontier_svg(&rows, "ETH <Black Thursday> & keepers");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("ETH &lt;Black Thursday&gt; &amp; keepers"));
    assert_eq!(svg.matches("<circle").count(), 3);
    assert_eq!(
        svg.matches("fill=\"#d0342c\"").count(),
        2,
        "one red point, one red label"
    );
    assert!(svg.contains(">proposal</text>"));
    for circle in svg.split("<circle").skip(1) {
        let attr = |name: &str| -> f64 {
            let at = circle.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            circle[at..].split('"').next().unwrap().parse().unwrap()
        };
        let (cx, cy) = (attr("cx"), attr("cy"));
        assert!(
            (80.0..=690.0).contains(&cx) && (50.0..=400.0).contains(&cy),
            "{cx} {cy}"
        );
    }
    // A single point or all-zero bad debt still draws (no division by a zero span).
    let one = frontier_svg(&rows[1..2], "one");
    assert!(!one.contains("NaN") && one.contains("<circle"));
}

//! Volatility and tail estimators against closed-form cases.

use calibration::tail::{self, historical, historical_of_moves, horizon_steps, parametric};
use calibration::vol::{self, Volatility};
use calibration::{normal, Side};
use market_data::{PathParams, Rng, Shape, SECONDS_PER_YEAR};

#[test]
fn realised_vol_recovers_a_gbm_path_within_sampling_error() {
    // n = 50_000 one-minute returns: the estimator's standard error is sigma / sqrt(2 (n - 1)),
    // 0.32% of sigma; the test allows 4 standard errors.
    let params = PathParams {
        duration_seconds: 3_000_000,
        ..PathParams::default()
    };
    for (sigma, seed) in [(0.3, 1), (0.8, 2), (2.5, 3)] {
        let path = Shape::Gbm {
            drift: 0.1,
            vol: sigma,
        }
        .generate(&params, seed)
        .unwrap();
        let r = path.log_returns();
        let est = vol::realised(&r, 60.0).unwrap();
        let se = vol::realised_standard_error(Volatility(sigma), r.len());
        assert!(
            (est.annualised() - sigma).abs() < 4.0 * se,
            "sigma {sigma}: estimated {} (se {se})",
            est.annualised()
        );
    }
}

#[test]
fn realised_vol_needs_two_returns_and_ignores_a_constant_drift() {
    assert!(vol::realised(&[0.1], 60.0).is_none());
    // Alternating 0.01 +/- 0.001 around a large mean: sd is exact without cancellation.
    let r: Vec<f64> = (0..1000)
        .map(|i| 0.01 + if i % 2 == 0 { 1e-3 } else { -1e-3 })
        .collect();
    let sd = vol::realised(&r, SECONDS_PER_YEAR).unwrap().annualised();
    let exact = 1e-3 * (1000.0f64 / 999.0).sqrt();
    assert!((sd - exact).abs() < 1e-15, "{sd} vs {exact}");
}

#[test]
fn ewma_of_a_constant_volatility_series_is_that_volatility() {
    // |r| = s at every step: every squared return is s^2, so the EWMA is s^2 from the seed on.
    let s = 0.004;
    let r: Vec<f64> = (0..500).map(|i| if i % 3 == 0 { -s } else { s }).collect();
    let e = vol::ewma(&r, 300.0, 0.94).unwrap();
    let expected = Volatility::from_per_step(s, 300.0).annualised();
    assert!((e.latest.annualised() / expected - 1.0).abs() < 1e-12);
    assert!((e.peak.annualised() / expected - 1.0).abs() < 1e-12);
}

#[test]
fn ewma_of_gaussian_returns_is_near_their_volatility() {
    // lambda = 0.995: effective sample size (1 + l) / (1 - l) = 399, so the variance estimate
    // has relative standard error sqrt(2 / 399) = 7.1% and the volatility half that, 3.5%; the
    // test allows 4 standard errors.
    let mut rng = Rng::seed_from_u64(11);
    let s = 0.01;
    let r: Vec<f64> = (0..20_000).map(|_| s * rng.standard_normal()).collect();
    let e = vol::ewma(&r, 60.0, 0.995).unwrap();
    let expected = Volatility::from_per_step(s, 60.0).annualised();
    assert!((e.latest.annualised() / expected - 1.0).abs() < 4.0 * 0.035);
    assert!(e.peak.annualised() >= e.latest.annualised());
    assert!(vol::ewma(&r, 60.0, 1.0).is_none() && vol::ewma(&[], 60.0, 0.9).is_none());
}

#[test]
fn volatility_scales_with_the_square_root_of_time() {
    let v = Volatility(0.8);
    assert!((v.over(SECONDS_PER_YEAR) - 0.8).abs() < 1e-15);
    assert!((v.over(SECONDS_PER_YEAR / 4.0) - 0.4).abs() < 1e-15);
}

#[test]
fn historical_tail_of_a_hand_computed_series() {
    // closes 100, 90, 99, 80, 88, 100: one-step falls 1 - c[i]/c[i-1] are
    // 0.1, -0.1, 0.191919.., -0.1, -0.136363..; sorted ascending
    // [-0.13636, -0.1, -0.1, 0.1, 0.19192].
    let closes = [100.0, 90.0, 99.0, 80.0, 88.0, 100.0];
    let r = market_data::horizon_log_returns(&closes, 1);
    let fall_2 = 1.0 - 80.0 / 99.0;
    // c = 0.8: rank ceil(0.8 * 5) = 4 -> VaR = 0.1, ES = mean(0.1, 0.19192).
    let t = historical(&r, 1, 0.8, Side::Downside).unwrap();
    assert!((t.var - 0.1).abs() < 1e-12 && (t.es - (0.1 + fall_2) / 2.0).abs() < 1e-12);
    // c = 0.6: rank 3 -> VaR = -0.1 (a gain), ES = mean(-0.1, 0.1, 0.19192).
    let t = historical(&r, 1, 0.6, Side::Downside).unwrap();
    assert!((t.var + 0.1).abs() < 1e-12 && (t.es - fall_2 / 3.0).abs() < 1e-12);
    // Rises c[i]/c[i-1] - 1: -0.1, 0.1, -0.19192, 0.1, 0.13636; c = 0.8 -> VaR 0.1,
    // ES mean(0.1, 0.13636).
    let t = historical(&r, 1, 0.8, Side::Upside).unwrap();
    assert!((t.var - 0.1).abs() < 1e-12 && (t.es - (0.1 + 0.5 / 11.0 * 3.0) / 2.0).abs() < 1e-12);
    // Two-step overlapping windows: 99/100, 80/90, 88/99, 100/80 -> falls 0.01, 0.1111, 0.1111,
    // -0.25; c = 0.75: rank 3 -> VaR = ES = 1/9; four samples, two independent.
    let r2 = market_data::horizon_log_returns(&closes, 2);
    let t = historical(&r2, 2, 0.75, Side::Downside).unwrap();
    assert!((t.var - 1.0 / 9.0).abs() < 1e-12 && (t.es - 1.0 / 9.0).abs() < 1e-12);
    assert_eq!((t.samples, t.independent_samples), (4, 2));
    assert!(t.is_thin(0.75));
}

#[test]
fn historical_rank_is_exact_when_c_times_n_is_an_integer() {
    // c n = 0.99 * 300 = 297 (a hair above in floating point): rank 297, the 4th largest.
    let moves: Vec<f64> = (1..=300).map(f64::from).collect();
    let t = historical_of_moves(&moves, 0.99, 1).unwrap();
    assert_eq!(t.var, 297.0);
    assert_eq!(t.es, (297.0 + 298.0 + 299.0 + 300.0) / 4.0);
    assert!(historical_of_moves(&[], 0.99, 1).is_none());
    assert!(historical_of_moves(&moves, 1.0, 1).is_none());
}

#[test]
fn historical_tail_of_a_normal_sample_matches_the_closed_form() {
    // 200k log moves N(0, s^2), s = 5%. Standard errors at 99% (s units): quantile
    // sqrt(c(1-c)/n) / phi(z) = 0.0084; ES sqrt((Var[X|tail] + c (ES - VaR)^2) / (n (1-c)))
    // = 0.0103. Both well inside the 4-standard-error tolerance after the price transform
    // (derivative exp(-z s) < 1).
    let s = 0.05;
    let mut rng = Rng::seed_from_u64(5);
    let r: Vec<f64> = (0..200_000).map(|_| s * rng.standard_normal()).collect();
    for side in [Side::Downside, Side::Upside] {
        let h = historical(&r, 1, 0.99, side).unwrap();
        let p = parametric(s, 0.99, side).unwrap();
        assert!(
            (h.var - p.var).abs() < 4.0 * 0.0084 * s * 1.3,
            "{side:?} VaR {h:?} vs {p:?}"
        );
        assert!(
            (h.es - p.es).abs() < 4.0 * 0.0103 * s * 1.3,
            "{side:?} ES {h:?} vs {p:?}"
        );
    }
}

/// `E[1 - exp(r) | r < -z s]` for `r ~ N(0, s^2)` by the trapezoid rule on a fine grid.
fn numeric_downside_es(s: f64, c: f64) -> f64 {
    let z = normal::quantile(c);
    let (lo, hi, n) = (-12.0 * s, -z * s, 200_000);
    let dx = (hi - lo) / f64::from(n);
    let f = |x: f64| (1.0 - x.exp()) * normal::pdf(x / s) / s;
    let inner: f64 = (1..n).map(|i| f(lo + f64::from(i) * dx)).sum();
    (inner + 0.5 * (f(lo) + f(hi))) * dx / (1.0 - c)
}

#[test]
fn parametric_tail_matches_closed_form_and_numerical_integration() {
    let (s, c) = (0.1, 0.99);
    let z = normal::quantile(c);
    let down = parametric(s, c, Side::Downside).unwrap();
    assert!((down.var - (1.0 - (-z * s).exp())).abs() < 1e-15);
    assert!(
        (down.es - numeric_downside_es(s, c)).abs() < 1e-7,
        "{}",
        down.es
    );
    let up = parametric(s, c, Side::Upside).unwrap();
    assert!((up.var - ((z * s).exp() - 1.0)).abs() < 1e-15);
    assert!(up.es > up.var && down.es > down.var);
    // Tiny volatility: expm1 keeps the VaR accurate, ~ z s.
    let tiny = parametric(1e-9, c, Side::Downside).unwrap();
    assert!((tiny.var / (z * 1e-9) - 1.0).abs() < 1e-8);
    assert!(parametric(0.1, 0.0, Side::Upside).is_none());
    assert!(parametric(-0.1, 0.9, Side::Upside).is_none());
}

#[test]
fn horizon_steps_round_up_and_are_at_least_one() {
    assert_eq!(horizon_steps(600, 60), 10);
    assert_eq!(horizon_steps(420, 600), 1);
    assert_eq!(horizon_steps(601, 300), 3);
    assert_eq!(horizon_steps(0, 300), 1);
    assert_eq!(tail::TailMeasure::ExpectedShortfall.name(), "ES");
}

//! Correlation, basket tails and the diversification benefit on constructed joint histories.

use calibration::portfolio::{correlation_matrix, covariance_matrix, portfolio_risk};
use calibration::CalibrationError;
use market_data::{JointSeries, PriceSeries, Rng};

/// A 300 s series with i.i.d. normal log returns of standard deviation `s`.
fn walk(name: &str, s: f64, seed: u64, n: usize) -> PriceSeries {
    let mut rng = Rng::seed_from_u64(seed);
    let mut lp = 0.0;
    let closes: Vec<f64> = (0..n)
        .map(|i| {
            if i > 0 {
                lp += s * rng.standard_normal();
            }
            100.0 * f64::exp(lp)
        })
        .collect();
    PriceSeries::from_closes(name, 0, 300, &closes).unwrap()
}

fn mirror(name: &str, s: &PriceSeries) -> PriceSeries {
    let closes: Vec<f64> = s.closes().iter().map(|c| 10_000.0 / c).collect();
    PriceSeries::from_closes(name, 0, 300, &closes).unwrap()
}

#[test]
fn covariance_and_correlation_of_hand_computed_returns() {
    let r = vec![
        vec![1.0, 2.0, 3.0],
        vec![2.0, 4.0, 6.0],
        vec![3.0, 2.0, 1.0],
    ];
    let cov = covariance_matrix(&r);
    assert_eq!(cov[0][0], 1.0);
    assert_eq!(cov[0][1], 2.0);
    assert_eq!(cov[0][2], -1.0);
    let cor = correlation_matrix(&r);
    assert!((cor[0][1] - 1.0).abs() < 1e-15 && (cor[0][2] + 1.0).abs() < 1e-15);
    let flat = correlation_matrix(&[vec![1.0, 1.0, 1.0], vec![1.0, 2.0, 3.0]]);
    assert_eq!(flat, vec![vec![1.0, 0.0], vec![0.0, 1.0]]);
}

#[test]
fn identical_assets_have_no_diversification_benefit() {
    let a = walk("a", 0.01, 1, 3_000);
    let joint = JointSeries::align(&[a.clone(), a]).unwrap();
    let p = portfolio_risk(&joint, &[1.0, 3.0], 600, 300, 0.99).unwrap();
    assert!((p.correlation[0][1] - 1.0).abs() < 1e-12);
    assert_eq!(p.weights, vec![0.25, 0.75]);
    let h = p.historical_benefit.unwrap();
    assert!(h.benefit.abs() < 1e-12, "{h:?}");
    assert!(p.parametric_benefit.benefit.abs() < 1e-12);
}

#[test]
fn independent_assets_are_uncorrelated_and_diversify() {
    // n = 20_000: the sample correlation of independent series has standard error 1/sqrt(n),
    // 0.007; 4 standard errors allowed.
    let (a, b) = (walk("a", 0.01, 1, 20_000), walk("b", 0.01, 2, 20_000));
    let joint = JointSeries::align(&[a, b]).unwrap();
    let p = portfolio_risk(&joint, &[1.0, 1.0], 600, 300, 0.99).unwrap();
    assert!(
        p.correlation[0][1].abs() < 4.0 / (20_000f64).sqrt(),
        "{:?}",
        p.correlation
    );
    let h = p.historical_benefit.unwrap();
    // Two independent equal legs: the basket's sd is 1/sqrt(2) of a leg's, so its ES is about
    // 0.71 of theirs and the benefit is about 0.29 of the average leg's ES.
    let leg = (h.asset_losses[0] + h.asset_losses[1]) / 2.0;
    assert!(h.benefit > 0.2 * leg && h.benefit < 0.4 * leg, "{h:?}");
    assert!(p.parametric_benefit.benefit > 0.0);
    assert!(h.cross_borrowing_power > h.isolated_borrowing_power);
}

#[test]
fn a_perfect_hedge_almost_removes_the_basket_tail() {
    let a = walk("a", 0.01, 3, 5_000);
    let b = mirror("b", &a);
    let joint = JointSeries::align(&[a, b]).unwrap();
    let p = portfolio_risk(&joint, &[1.0, 1.0], 600, 300, 0.99).unwrap();
    assert!((p.correlation[0][1] + 1.0).abs() < 1e-12);
    // Log moves cancel; the arithmetic basket keeps a second-order convexity gain (~ +s^2/2).
    let basket = p.historical.unwrap();
    assert!(basket.es < 0.0, "{basket:?}");
    assert!(p.parametric.es.abs() < 1e-6, "{:?}", p.parametric);
}

#[test]
fn bad_weights_are_refused() {
    let a = walk("a", 0.01, 1, 100);
    let joint = JointSeries::align(&[a.clone(), a]).unwrap();
    for w in [
        vec![1.0],
        vec![1.0, -1.0],
        vec![0.0, 0.0],
        vec![f64::NAN, 1.0],
    ] {
        assert!(matches!(
            portfolio_risk(&joint, &w, 600, 300, 0.99),
            Err(CalibrationError::InvalidConfig(_))
        ));
    }
    assert!(portfolio_risk(&joint, &[1.0, 1.0], 600, 300, 1.5).is_err());
}

//! The normal distribution against published values (quantiles and probabilities to 16 digits,
//! e.g. from `scipy.stats.norm.ppf` / `cdf`).

use calibration::normal::{cdf, pdf, quantile};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(f64::MIN_POSITIVE)
}

#[test]
fn quantile_matches_known_values_to_double_precision() {
    for (p, z) in [
        (0.5, 0.0),
        (0.975, 1.959_963_984_540_054),
        (0.95, 1.644_853_626_951_472_2),
        (0.99, 2.326_347_874_040_840_8),
        (0.999, 3.090_232_306_167_813_5),
        (0.9999, 3.719_016_485_455_709),
        (0.01, -2.326_347_874_040_840_8),
        (1e-10, -6.361_340_902_404_056),
    ] {
        let got = quantile(p);
        assert!(
            close(got, z, 1e-14) || (z == 0.0 && got == 0.0),
            "p={p}: {got} vs {z}"
        );
    }
}

#[test]
fn quantile_edges() {
    assert_eq!(quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(quantile(1.0), f64::INFINITY);
    assert!(quantile(1.5).is_nan() && quantile(-0.1).is_nan() && quantile(f64::NAN).is_nan());
}

#[test]
fn cdf_matches_known_values_across_both_branches() {
    for (x, p) in [
        (0.0, 0.5),
        (1.959_963_984_540_054, 0.975),
        (1.0, 0.841_344_746_068_542_9),
        (-1.0, 0.158_655_253_931_457_05),
        (-3.0, 0.001_349_898_031_630_094_6),
        (-5.0, 2.866_515_718_791_939e-7),
        (-6.0, 9.865_876_450_376_98e-10),
        (-8.0, 6.220_960_574_271_784e-16),
        (-20.0, 2.753_624_118_606_233_6e-89),
    ] {
        let got = cdf(x);
        assert!(close(got, p, 1e-12), "x={x}: {got} vs {p}");
    }
    assert!(close(cdf(6.0), 1.0 - 9.865_876_450_376_98e-10, 1e-15));
}

#[test]
fn cdf_inverts_quantile() {
    for i in 1..200 {
        let p = f64::from(i) / 200.0;
        assert!(close(cdf(quantile(p)), p, 1e-13), "p={p}");
    }
}

#[test]
fn pdf_at_zero_is_one_over_sqrt_two_pi() {
    assert!(close(pdf(0.0), 0.398_942_280_401_432_7, 1e-15));
}

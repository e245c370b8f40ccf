//! Series operations, synthetic shapes and multi-asset alignment.

use market_data::{
    JointSeries, PathParams, PricePoint, PriceSeries, SeriesError, Shape, SECONDS_PER_YEAR,
};

fn series(name: &str, stamps: &[u64], closes: &[f64]) -> PriceSeries {
    let points = stamps
        .iter()
        .zip(closes)
        .map(|(&t, &c)| PricePoint::new(t, c))
        .collect();
    PriceSeries::new(name, points).unwrap()
}

#[test]
fn resample_keeps_the_last_close_of_each_interval_and_its_extremes() {
    // 60 s points resampled to 300 s: intervals [0,300) and [300,600).
    let s = series("a", &[0, 60, 120, 300, 360], &[10.0, 12.0, 9.0, 11.0, 13.0]);
    let r = s.resample(300).unwrap();
    assert_eq!(r.timestamps(), vec![0, 300]);
    assert_eq!(r.closes(), vec![9.0, 13.0]);
    assert_eq!(
        (r.points()[0].high, r.points()[0].low),
        (Some(12.0), Some(9.0))
    );
    assert_eq!(
        s.resample(0),
        Err(SeriesError::InvalidArgument("step must be positive".into()))
    );
}

#[test]
fn resample_leaves_gaps_unfilled() {
    let s = series("a", &[0, 900], &[1.0, 2.0]);
    assert_eq!(s.resample(300).unwrap().timestamps(), vec![0, 900]);
}

#[test]
fn log_and_horizon_returns_match_hand_computation() {
    let s = series("a", &[0, 1, 2, 3], &[100.0, 110.0, 99.0, 120.0]);
    let r = s.log_returns();
    assert_eq!(r.len(), 3);
    assert!((r[0] - (1.1f64).ln()).abs() < 1e-15);
    let h = s.horizon_returns(2);
    // ln(99/100), ln(120/110)
    assert_eq!(h.len(), 2);
    assert!((h[0] - (0.99f64).ln()).abs() < 1e-15);
    assert!((h[1] - (120.0f64 / 110.0).ln()).abs() < 1e-15);
    assert!(s.horizon_returns(4).is_empty());
    assert!(s.horizon_returns(0).is_empty());
}

#[test]
fn step_is_the_median_spacing() {
    assert_eq!(
        series("a", &[0, 60, 120, 600, 660], &[1.0; 5]).step_seconds(),
        Some(60)
    );
    assert_eq!(series("a", &[5], &[1.0]).step_seconds(), None);
}

#[test]
fn shapes_are_deterministic_given_the_seed() {
    let params = PathParams::default();
    for name in Shape::NAMES {
        let shape = Shape::from_name(name).unwrap();
        let a = shape.generate(&params, 7).unwrap();
        assert_eq!(a, shape.generate(&params, 7).unwrap(), "{name}");
        assert_ne!(
            a.closes(),
            shape.generate(&params, 8).unwrap().closes(),
            "{name}"
        );
        assert_eq!(a.len(), 1441, "{name}: one day of minutes plus the start");
        assert_eq!(a.name(), name);
    }
}

#[test]
fn bare_crash_falls_by_the_drop_over_ten_minutes_then_stays_flat() {
    let params = PathParams {
        noise_vol: 0.0,
        ..PathParams::default()
    };
    let s = Shape::from_name("crash")
        .unwrap()
        .generate(&params, 1)
        .unwrap();
    let c = s.closes();
    let start = 360; // 25% of 1440 one-minute steps
    assert_eq!(c[start], 100.0);
    assert!((c[start + 10] - 50.0).abs() < 1e-9);
    assert!(
        (c[start + 5] - 100.0 * 0.5f64.sqrt()).abs() < 1e-9,
        "log-linear fall"
    );
    assert!((c[1440] - 50.0).abs() < 1e-9);
}

#[test]
fn crash_and_recovery_wins_back_the_chosen_share_of_the_log_loss() {
    let params = PathParams {
        noise_vol: 0.0,
        ..PathParams::default()
    };
    let s = Shape::from_name("crash-and-recovery")
        .unwrap()
        .generate(&params, 1)
        .unwrap();
    let end = s.closes()[1440];
    assert!((end - 100.0 * 0.5f64.powf(0.2)).abs() < 1e-9, "{end}");
}

#[test]
fn oracle_attack_pushes_the_feed_a_hundredfold_for_three_oracle_records_then_returns() {
    let params = PathParams {
        noise_vol: 0.0,
        ..PathParams::default()
    };
    let s = Shape::from_name("oracle_attack")
        .unwrap()
        .generate(&params, 1)
        .unwrap();
    let c = s.closes();
    // 900 s from the middle of the day: fifteen one-minute points, three 300 s records.
    let attacked: Vec<usize> = (0..c.len()).filter(|&i| c[i] > 1_000.0).collect();
    assert_eq!(attacked, (720..735).collect::<Vec<_>>());
    assert!((c[720] - 10_000.0).abs() < 1e-6);
    assert_eq!(c[735], 100.0);
    let feed = s.resample(300).unwrap().closes();
    assert_eq!(feed.iter().filter(|&&p| p > 1_000.0).count(), 3);
}

#[test]
fn slow_bleed_ends_at_the_drop() {
    let params = PathParams {
        noise_vol: 0.0,
        ..PathParams::default()
    };
    let s = Shape::from_name("slow_bleed")
        .unwrap()
        .generate(&params, 1)
        .unwrap();
    assert!((s.closes()[1440] - 60.0).abs() < 1e-9);
}

#[test]
fn gbm_log_returns_have_the_requested_mean_and_volatility() {
    // 100k steps of 60 s; the log-return std has relative standard error 1/sqrt(2n) = 0.22%.
    let params = PathParams {
        duration_seconds: 6_000_000,
        ..PathParams::default()
    };
    let s = Shape::Gbm {
        drift: 0.0,
        vol: 0.8,
    }
    .generate(&params, 3)
    .unwrap();
    let r = s.log_returns();
    let n = r.len() as f64;
    let mean = r.iter().sum::<f64>() / n;
    let sd = (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let expected = 0.8 * (60.0 / SECONDS_PER_YEAR).sqrt();
    assert!(
        (sd / expected - 1.0).abs() < 4.0 * (1.0 / (2.0 * n)).sqrt(),
        "{sd} vs {expected}"
    );
}

#[test]
fn unknown_shape_and_bad_parameters_are_explained() {
    let err = Shape::from_name("moon").unwrap_err().to_string();
    assert!(
        err.contains("unknown shape \"moon\"") && err.contains("oracle_attack"),
        "{err}"
    );
    let bad = Shape::Crash {
        drop: 1.5,
        at: 0.2,
        over_seconds: 60,
    };
    assert!(bad.generate(&PathParams::default(), 1).is_err());
    let zero_step = PathParams {
        step_seconds: 0,
        ..PathParams::default()
    };
    assert!(Shape::from_name("gbm")
        .unwrap()
        .generate(&zero_step, 1)
        .is_err());
}

#[test]
fn alignment_is_an_inner_join_on_timestamp() {
    let a = series("a", &[0, 60, 120, 180], &[1.0, 2.0, 3.0, 4.0]);
    let b = series("b", &[60, 90, 180, 240], &[20.0, 25.0, 40.0, 50.0]);
    let j = JointSeries::align(&[a.clone(), b]).unwrap();
    assert_eq!(j.timestamps(), &[60, 180]);
    assert_eq!(j.closes(0), &[2.0, 4.0]);
    assert_eq!(j.closes(1), &[20.0, 40.0]);
    assert_eq!(j.names(), &["a".to_string(), "b".to_string()]);
    let h = j.horizon_returns(1);
    assert!((h[0][0] - 2f64.ln()).abs() < 1e-15 && (h[1][0] - 2f64.ln()).abs() < 1e-15);
    let c = series("c", &[1000], &[1.0]);
    assert_eq!(JointSeries::align(&[a, c]), Err(SeriesError::Empty));
    assert!(JointSeries::align(&[]).is_err());
}

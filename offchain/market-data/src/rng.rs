//! A small seeded PRNG, so synthetic paths are reproducible from `--seed` without a dependency.
//!
//! Generator: xoshiro256++ (Blackman and Vigna, 2019), 256 bits of state, period 2^256 − 1,
//! passes BigCrush; its four state words are filled from the seed by SplitMix64, the seeding the
//! authors recommend (it never yields the all-zero state). Uniforms take the top 53 bits, so they
//! are exact multiples of 2^-53 in `[0, 1)`. Normals use the Box–Muller transform on
//! `(0, 1]`-uniforms (never `ln 0`), caching the second variate of each pair.
//!
//! Not for cryptography: a simulator needs reproducibility, not unpredictability.

/// Deterministic pseudo-random generator (xoshiro256++ seeded by SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng {
    state: [u64; 4],
    spare_normal: Option<f64>,
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator whose whole output is determined by `seed`.
    pub fn seed_from_u64(seed: u64) -> Rng {
        let mut sm = seed;
        let state = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng {
            state,
            spare_normal: None,
        }
    }

    /// The next 64 uniformly distributed bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform `f64` in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal variate (mean 0, variance 1), by Box–Muller.
    pub fn standard_normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let u1 = 1.0 - self.next_f64(); // (0, 1]: ln(u1) is finite
        let u2 = self.next_f64();
        let radius = (-2.0 * u1.ln()).sqrt();
        let angle = std::f64::consts::TAU * u2;
        self.spare_normal = Some(radius * angle.sin());
        radius * angle.cos()
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn same_seed_same_stream_different_seed_different_stream() {
        let (mut a, mut b, mut c) = (
            Rng::seed_from_u64(7),
            Rng::seed_from_u64(7),
            Rng::seed_from_u64(8),
        );
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn normals_have_unit_moments_within_sampling_error() {
        // n = 200_000: the sample mean has standard error 1/sqrt(n) = 0.0022 and the sample
        // variance sqrt(2/n) = 0.0032; 5 standard errors are allowed.
        let mut rng = Rng::seed_from_u64(42);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| rng.standard_normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        assert!(mean.abs() < 5.0 * 0.0022, "mean {mean}");
        assert!((var - 1.0).abs() < 5.0 * 0.0032, "variance {var}");
    }

    #[test]
    fn uniforms_lie_in_the_half_open_unit_interval() {
        let mut rng = Rng::seed_from_u64(1);
        assert!((0..10_000).all(|_| (0.0..1.0).contains(&rng.next_f64())));
    }
}

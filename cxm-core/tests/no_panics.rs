//! Hostile input never panics and never yields a silently wrong number: random bit patterns as
//! scores and weights, random counts and levels, all seeded. Every call either fails with an
//! error or returns a result whose invariants hold.

use cxm_core::{nps, rate_interval, rating, Missing, Nps, NpsMethod, RateMethod, Scale};

mod common;

/// Inputs sprayed from a seeded generator.
struct Rng(common::SplitMix);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next()
    }

    /// Mostly plausible floats, sometimes any bit pattern (NaN, ±inf, subnormals, huge).
    fn float(&mut self, plausible_max: u64) -> f64 {
        match self.next() % 4 {
            0 => f64::from_bits(self.next()),
            1 => (self.next() % (plausible_max + 1)) as f64 + 0.5 * (self.next() % 2) as f64,
            _ => (self.next() % (plausible_max + 1)) as f64,
        }
    }
}

fn check(result: &Nps) {
    assert_eq!(result.check(), Ok(()), "{result:?}");
    let shares = [result.promoter_share, result.passive_share, result.detractor_share];
    assert!(shares.iter().all(|s| (0.0..=1.0).contains(s)), "{result:?}");
    assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{result:?}");
    assert!((-100.0..=100.0).contains(&result.score), "{result:?}");
    assert!(result.standard_error.is_finite() && result.standard_error >= 0.0, "{result:?}");
    assert!(
        result.effective_n > 0.0 && result.effective_n <= result.n as f64 * (1.0 + 1e-9),
        "{result:?}"
    );
    assert_eq!(result.n, result.promoters + result.passives + result.detractors);
    for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
        for level in [0.5, 0.95, 0.999_999] {
            let ci = result.confidence_interval(level, method).unwrap();
            assert!(ci.lower.is_finite() && ci.upper.is_finite(), "{result:?} {method:?}");
            assert!(
                -100.0 <= ci.lower && ci.lower <= ci.upper && ci.upper <= 100.0,
                "{result:?} {method:?} {ci:?}"
            );
        }
    }
}

#[test]
fn random_scores_and_weights() {
    let mut rng = Rng(common::SplitMix(2026));
    for round in 0..3000 {
        let len = (rng.next() % 12) as usize;
        let scores: Vec<f64> = (0..len).map(|_| rng.float(12)).collect();
        let weights: Vec<f64> =
            (0..len + usize::from(round % 50 == 0)).map(|_| rng.float(3)).collect();
        for missing in [Missing::Reject, Missing::Skip] {
            if let Ok(result) = nps(&scores, None, missing) {
                check(&result);
            }
            if let Ok(result) = nps(&scores, Some(&weights), missing) {
                check(&result);
            }
        }
        let ints: Vec<i64> = (0..len).map(|_| rng.next().cast_signed() % 14).collect();
        if let Ok(result) = nps(&ints, None, Missing::Reject) {
            check(&result);
        }
    }
}

#[test]
fn random_counts_and_levels() {
    let mut rng = Rng(common::SplitMix(7));
    for _ in 0..3000 {
        let scale = 1_u64 << (rng.next() % 64);
        let counts = [rng.next() % scale, rng.next() % scale, rng.next() % scale];
        let Ok(result) = Nps::from_counts(counts[0], counts[1], counts[2]) else {
            continue;
        };
        check(&result);
        let level = f64::from_bits(rng.next());
        for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
            if let Ok(ci) = result.confidence_interval(level, method) {
                assert!(level > 0.0 && level < 1.0);
                assert!(ci.lower <= ci.upper, "{result:?} {level} {ci:?}");
            }
        }
    }
}

#[test]
#[allow(clippy::cast_possible_truncation)] // the floats cast are whole and inside i64
fn custom_scales_at_the_edges_of_floats_and_integers() {
    // Scales straddling ±2^53 (where floats stop being whole-exact) and ending at ±2^63 (the
    // ends of i64): a score is counted exactly when it is a whole number on the scale, by
    // comparing integers, and the mean lies on the scale.
    let mut rng = Rng(common::SplitMix(53));
    let edges = [1_i64 << 53, -(1_i64 << 53), i64::MAX - 20, i64::MIN];
    for round in 0..4000 {
        let edge = edges[round % edges.len()];
        let min = edge.saturating_add((rng.next() % 11).cast_signed() - 5);
        let max = min.saturating_add(1 + (rng.next() % 8).cast_signed());
        let Ok(scale) = Scale::new(min, max, min + (max - min) / 2, true) else {
            continue;
        };
        let len = 1 + (rng.next() % 6) as usize;
        let ints: Vec<i64> =
            (0..len).map(|_| min.saturating_add((rng.next() % 14).cast_signed() - 3)).collect();
        let floats: Vec<f64> = ints.iter().map(|&i| i as f64).collect();
        let on_scale = |values: &[i64]| values.iter().all(|v| (min..=max).contains(v));
        let result = rating(&ints, None, Missing::Reject, scale);
        assert_eq!(result.is_ok(), on_scale(&ints), "{ints:?} on {min}..={max}");
        // A float is a score when the whole number it is exactly lies on the scale.
        let exact: Option<Vec<i64>> = floats
            .iter()
            .map(|&f| (f >= -2_f64.powi(63) && f < 2_f64.powi(63)).then_some(f as i64))
            .collect();
        let float_result = rating(&floats, None, Missing::Reject, scale);
        assert_eq!(
            float_result.is_ok(),
            exact.as_deref().is_some_and(on_scale),
            "{floats:?} on {min}..={max}"
        );
        for r in [result, float_result].into_iter().flatten() {
            assert_eq!(r.check(), Ok(()), "{r:?}");
            assert!(r.n == len as u64 && r.favourable <= r.n);
        }
    }
}

#[test]
fn rate_intervals_at_extreme_exposures_are_finite_and_ordered_or_refused() {
    // Exposures from the smallest subnormal to the largest double, counts up to 2^53, levels
    // down to 1e-300: every interval holds finite limits with 0 ≤ lower ≤ upper, or is an error.
    let mut rng = Rng(common::SplitMix(1e-300_f64.to_bits()));
    let methods = [
        RateMethod::Exact,
        RateMethod::Jeffreys,
        RateMethod::Score,
        RateMethod::Wald,
        RateMethod::WaldCcv,
        RateMethod::SqrtAnscombe,
    ];
    for round in 0..3000 {
        // A positive double with a random exponent: subnormal to f64::MAX.
        let exposure = f64::from_bits(1 + rng.next() % 0x7fef_ffff_ffff_ffff);
        let count = [0.0, 1.0, 3.0, 1e6, 2_f64.powi(53)][round % 5];
        let level = [0.95, 1e-300, 0.5, 1.0 - 1e-16][(rng.next() % 4) as usize];
        for method in methods {
            if let Ok(ci) = rate_interval(count, exposure, level, method) {
                assert!(
                    ci.lower.is_finite()
                        && ci.upper.is_finite()
                        && 0.0 <= ci.lower
                        && ci.lower <= ci.upper,
                    "{count} over {exposure:e} at {level} by {method:?}: {ci:?}"
                );
            }
        }
    }
}

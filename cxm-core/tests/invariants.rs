//! Invariants of every public computation, as seeded property tests over the whole supported
//! range: counts from 1 to 2^53, levels from 1e-6 to 1 − 1e-12 (and the extremes a C caller
//! may pass), weights of any magnitude.
//! Every call either fails with a typed error or returns an interval that is finite, ordered
//! and inside its parameter's range, a p-value in [0, 1] and a finite estimate. A call that
//! hung would stop the test, and a stack overflow would abort it.

// Counts and scale points move between integer and float types on purpose here.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)]

use cxm_core::{
    compare_means, compare_nps, compare_proportions, lift, named_rate, nps_vs_benchmark,
    proportion_interval, proportion_vs_benchmark, rating, Alternative, DirichletPrior, Error,
    Interval, Missing, NamedRate, Nps, NpsMethod, ProportionMethod, Scale, MAX_COUNT,
};

mod common;

/// Inputs drawn over the supported range from a seeded generator.
struct Rng(common::SplitMix);

impl Rng {
    /// Seeded by `salt`, mixed with `CXM_PROPERTY_SEED` when set: CI runs the fixed seeds,
    /// and a person can explore others (`CXM_PROPERTY_SEED=5 cargo test --test invariants`).
    fn new(salt: u64) -> Rng {
        let extra: u64 =
            std::env::var("CXM_PROPERTY_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
        Rng(common::SplitMix(salt ^ extra.wrapping_mul(0x2545_F491_4F6C_DD1D)))
    }

    fn next(&mut self) -> u64 {
        self.0.next()
    }

    fn uniform(&mut self) -> f64 {
        self.0.uniform()
    }

    /// Log-uniform on `[lo, hi]`.
    fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.uniform() * (hi.ln() - lo.ln())).exp()
    }

    /// A whole count from 1 to `max`, log-uniform, with the ends themselves now and then.
    fn count(&mut self, max: f64) -> f64 {
        match self.next() % 8 {
            0 => 1.0,
            1 => max,
            _ => self.log_uniform(1.0, max).round().clamp(1.0, max),
        }
    }

    /// Successes out of `n`: the edges 0, 1, n − 1, n, or anywhere.
    fn successes(&mut self, n: f64) -> f64 {
        match self.next() % 6 {
            0 => 0.0,
            1 => n,
            2 => (n - 1.0).max(0.0),
            3 => 1.0_f64.min(n),
            _ => (self.uniform() * n).floor(),
        }
    }

    /// A level 1 − α with α log-uniform from 1e-12 to 1 − 1e-6, the ends of that range, and
    /// now and then the extremes a C caller may pass (the smallest doubles, 1 − 2^-53).
    fn level(&mut self) -> f64 {
        match self.next() % 12 {
            0 => 1e-6,
            1 => 1.0 - 1e-12,
            2 => [5e-324, f64::MIN_POSITIVE, 1e-20, 1.0 - f64::EPSILON / 2.0]
                [(self.next() % 4) as usize],
            _ => 1.0 - self.log_uniform(1e-12, 1.0 - 1e-6),
        }
    }
}

fn check_interval(ci: Interval, lo: f64, hi: f64, what: &str) {
    assert!(
        ci.lower.is_finite()
            && ci.upper.is_finite()
            && lo <= ci.lower
            && ci.lower <= ci.upper
            && ci.upper <= hi,
        "{what}: {ci:?} not ordered inside [{lo}, {hi}]"
    );
}

fn check_p(p: f64, what: &str) {
    assert!((0.0..=1.0).contains(&p), "{what}: p-value {p}");
}

/// Errors the statistics may give for valid-looking input: never a panic, never another kind.
fn allowed(e: &Error, kinds: &[&str], what: &str) {
    assert!(kinds.contains(&e.kind()), "{what}: unexpected {} \"{e}\"", e.kind());
}

const PROPORTION_METHODS: [ProportionMethod; 5] = [
    ProportionMethod::Wilson,
    ProportionMethod::AgrestiCoull,
    ProportionMethod::ClopperPearson,
    ProportionMethod::Jeffreys,
    ProportionMethod::Wald,
];

#[test]
fn proportions_and_their_tests() {
    let mut rng = Rng::new(7);
    for _ in 0..2000 {
        let n = rng.count(MAX_COUNT);
        let x = rng.successes(n);
        let level = rng.level();
        let what = format!("{x} of {n} at {level}");
        for method in PROPORTION_METHODS {
            let ci = proportion_interval(x, n, level, method).unwrap();
            check_interval(ci, 0.0, 1.0, &format!("{what} {method:?}"));
        }
        let benchmark = rng.uniform().clamp(1e-9, 1.0 - 1e-9);
        for method in
            [ProportionMethod::Wilson, ProportionMethod::Wald, ProportionMethod::ClopperPearson]
        {
            for alternative in [Alternative::Greater, Alternative::Less] {
                let t =
                    proportion_vs_benchmark(x, n, benchmark, alternative, level, method).unwrap();
                check_p(t.p_value, &what);
                check_interval(t.interval, 0.0, 1.0, &what);
                assert_eq!(t.check(), Ok(()), "{what}: {t:?}");
                assert!(
                    t.estimate.is_finite() && !t.statistic.is_nan()
                        || method == ProportionMethod::ClopperPearson
                );
            }
        }
        let n2 = rng.count(MAX_COUNT);
        let x2 = rng.successes(n2);
        let c = compare_proportions(x, n, x2, n2, level).unwrap();
        check_interval(c.interval, -1.0, 1.0, &what);
        check_p(c.p_value, &what);
        assert_eq!(c.check(), Ok(()), "{what}: {c:?}");
        assert!(c.estimate.is_finite() && !c.statistic.is_nan(), "{what}: {c:?}");
    }
}

#[test]
fn lifts_and_named_rates() {
    let mut rng = Rng::new(18);
    for _ in 0..2000 {
        let (n_a, n_b) = (rng.count(MAX_COUNT), rng.count(MAX_COUNT));
        let (a, b) = (rng.successes(n_a), rng.successes(n_b));
        let level = rng.level();
        let what = format!("{a} of {n_a} against {b} of {n_b} at {level}");
        let counts = [a, n_a, b, n_b].map(|v| v as i64);
        let l = lift(counts[0], counts[1], counts[2], counts[3], level).unwrap();
        // Ratios are positive and finite, every interval ordered (never inf or NaN).
        check_interval(l.interval, 0.0, f64::MAX, &what);
        check_interval(l.odds_ratio_interval, 0.0, f64::MAX, &what);
        check_interval(l.difference_interval, -1.0, 1.0, &what);
        check_p(l.p_value, &what);
        assert!(l.ratio > 0.0 && l.odds_ratio > 0.0 && l.ratio.is_finite(), "{what}: {l:?}");
        assert!(l.odds_ratio.is_finite() && l.statistic.is_finite(), "{what}: {l:?}");
        assert_eq!(l.check(), Ok(()), "{what}");
        let kind = NamedRate::ALL[(rng.next() % 5) as usize].0;
        for method in PROPORTION_METHODS {
            let r = named_rate(kind, counts[0], counts[1], level, method).unwrap();
            check_interval(r.interval, 0.0, 1.0, &what);
            assert_eq!(r.interval, proportion_interval(a, n_a, level, method).unwrap());
        }
    }
}

fn random_nps(rng: &mut Rng) -> Nps {
    // NPS counts are u64: a quarter of the cases go past 2^53, up to 1.8e19.
    let max = if rng.next().is_multiple_of(4) { 1.8e19 } else { MAX_COUNT };
    let n = rng.count(max);
    // Split n at two random points, with whole categories empty now and then.
    let mut cut = || match rng.next() % 4 {
        0 => 0.0,
        1 => 1.0,
        _ => rng.uniform(),
    };
    let (u, v) = (cut(), cut());
    let (promoters, passives) = ((n * u.min(v)) as u64, (n * (u.max(v) - u.min(v))) as u64);
    let detractors =
        (n as u64).saturating_sub(promoters + passives).max(u64::from(promoters + passives == 0));
    Nps::from_counts(promoters, passives, detractors).unwrap()
}

#[test]
fn nps_intervals_comparisons_and_benchmarks() {
    let mut rng = Rng::new(11);
    for _ in 0..400 {
        let (a, b) = (random_nps(&mut rng), random_nps(&mut rng));
        let level = rng.level();
        let seed = rng.next();
        let what = format!("{a:?} at {level}");
        assert!(a.score.is_finite() && a.standard_error.is_finite(), "{what}");
        for method in [
            NpsMethod::Wald,
            NpsMethod::AdjustedWald,
            NpsMethod::Score,
            NpsMethod::Bootstrap { resamples: 200, seed },
            NpsMethod::Bayesian { prior: DirichletPrior::JEFFREYS, draws: 200, seed },
        ] {
            let ci = a.confidence_interval(level, method).unwrap();
            check_interval(ci, -100.0, 100.0, &format!("{what} {method:?}"));
        }
        for method in [NpsMethod::Wald, NpsMethod::AdjustedWald] {
            let c = compare_nps(&a, &b, level, method).unwrap();
            check_interval(c.interval, -200.0, 200.0, &what);
            check_p(c.p_value, &what);
            assert_eq!(c.check(), Ok(()), "{what}: {c:?}");
            assert!(c.estimate.is_finite() && !c.statistic.is_nan(), "{what}: {c:?}");
        }
        let benchmark = (rng.uniform() * 200.0 - 100.0).clamp(-99.999, 99.999);
        for method in [NpsMethod::Wald, NpsMethod::AdjustedWald, NpsMethod::Score] {
            for alternative in [Alternative::Greater, Alternative::Less] {
                let t = nps_vs_benchmark(&a, benchmark, alternative, level, method).unwrap();
                check_p(t.p_value, &what);
                check_interval(t.interval, -100.0, 100.0, &what);
                assert!(!t.statistic.is_nan(), "{what}: {t:?}");
                assert_eq!(t.check(), Ok(()), "{what}: {t:?}");
            }
        }
    }
}

#[test]
fn ratings_means_and_their_comparison() {
    let mut rng = Rng::new(13);
    let scales = [Scale::csat(), Scale::ces(), Scale::new(0, 10, 9, true).unwrap()];
    let mut summaries = Vec::new();
    for round in 0..3000 {
        let scale = scales[round % scales.len()];
        let len = 1 + (rng.next() % 30) as usize;
        let span = (scale.max() - scale.min() + 1) as u64;
        let scores: Vec<i64> = (0..len).map(|_| scale.min() + (rng.next() % span) as i64).collect();
        // Weights of one magnitude, or spread over 600 orders of magnitude, or none.
        let weights: Option<Vec<f64>> = match rng.next() % 3 {
            0 => None,
            1 => {
                let unit = rng.log_uniform(1e-300, 1e300);
                Some((0..len).map(|_| unit * rng.uniform()).collect())
            }
            _ => Some((0..len).map(|_| rng.log_uniform(1e-300, 1e300)).collect()),
        };
        let level = rng.level();
        let what = format!("{scores:?} {weights:?} at {level}");
        let r = match rating(&scores, weights.as_deref(), Missing::Reject, scale) {
            Ok(r) => r,
            Err(e) => {
                allowed(&e, &["zero_total_weight", "weight_overflow"], &what);
                continue;
            }
        };
        assert!(r.mean.is_finite() && (0.0..=1.0).contains(&r.share), "{what}: {r:?}");
        assert_eq!(r.check(), Ok(()), "{what}: {r:?}");
        for method in PROPORTION_METHODS {
            check_interval(
                r.share_interval(level, method).unwrap(),
                0.0,
                1.0,
                &format!("{what} {r:?} {method:?}"),
            );
        }
        match r.mean_interval(level) {
            Ok(ci) => assert!(ci.lower.is_finite() && ci.lower <= ci.upper, "{what}: {ci:?}"),
            Err(e) => allowed(&e, &["too_few_responses", "outside_supported_range"], &what),
        }
        if scale == Scale::csat() {
            summaries.push(r);
        }
    }
    for pair in summaries.windows(2) {
        match compare_means(&pair[0], &pair[1], 0.95) {
            Ok(c) => {
                assert!(
                    c.interval.lower.is_finite() && c.interval.lower <= c.interval.upper,
                    "{c:?}"
                );
                check_p(c.p_value, "compare_means");
                assert!(c.estimate.is_finite() && c.degrees_of_freedom > 0.0, "{c:?}");
                assert_eq!(c.check(), Ok(()), "{c:?}");
            }
            Err(e) => {
                allowed(&e, &["too_few_responses", "outside_supported_range"], "compare_means");
            }
        }
    }
}

#[test]
fn raking_and_its_standard_errors() {
    use cxm_core::{calibrated_nps, rake, Bounds, Margin, RakeOptions};
    let mut rng = Rng::new(19);
    for case in 0..300 {
        let n = 1 + (rng.next() % 60) as usize;
        let margin_count = 1 + (rng.next() % 3) as usize;
        let total = rng.log_uniform(1e-3, 1e9);
        let mut codes: Vec<Vec<u32>> = Vec::new();
        let mut targets: Vec<Vec<f64>> = Vec::new();
        for _ in 0..margin_count {
            let k = 1 + (rng.next() % 4) as usize;
            codes.push((0..n).map(|_| (rng.next() % k as u64) as u32).collect());
            let shares: Vec<f64> = (0..k).map(|_| rng.log_uniform(0.05, 1.0)).collect();
            let sum: f64 = shares.iter().sum();
            targets.push(shares.iter().map(|s| s / sum * total).collect());
        }
        let names = ["a", "b", "c"];
        let margins: Vec<Margin<'_>> = (0..margin_count)
            .map(|k| Margin {
                name: names[k],
                codes: &codes[k],
                targets: &targets[k],
                labels: None,
            })
            .collect();
        let base: Option<Vec<f64>> = rng
            .next()
            .is_multiple_of(2)
            .then(|| (0..n).map(|_| rng.log_uniform(1e-6, 1e6)).collect());
        let bounds = rng
            .next()
            .is_multiple_of(3)
            .then(|| Bounds { lower: rng.uniform(), upper: 1.0 + 4.0 * rng.uniform() });
        let options = RakeOptions { bounds, max_iterations: 200, ..RakeOptions::default() };
        let what = format!("case {case}: {n} rows, {margin_count} margins, bounds {bounds:?}");
        let raking = match rake(&margins, base.as_deref(), &options) {
            Ok(r) => r,
            Err(e) => {
                allowed(&e, &["invalid_calibration", "calibration_infeasible"], &what);
                continue;
            }
        };
        assert!(
            raking.weights.iter().all(|w| w.is_finite() && *w >= 0.0),
            "{what}: {:?}",
            raking.weights
        );
        if raking.converged {
            assert!(raking.max_residual <= options.tolerance, "{what}: {}", raking.max_residual);
            let sum: f64 = raking.weights.iter().sum();
            assert!((sum - total).abs() <= 1e-8 * total, "{what}: sum {sum} of {total}");
        }
        assert!(
            raking.design_effect >= 1.0 - 1e-12 && raking.effective_n <= n as f64 * (1.0 + 1e-12),
            "{what}"
        );
        let scores: Vec<u8> = (0..n).map(|_| (rng.next() % 11) as u8).collect();
        match calibrated_nps(&scores, &raking, Missing::Reject, 0.95) {
            Ok(e) => {
                assert!((-100.0 - 1e-9..=100.0 + 1e-9).contains(&e.estimate), "{what}: {e:?}");
                for se in [e.standard_error, e.fixed_weights_standard_error] {
                    assert!(se.is_nan() && n == 1 || se.is_finite() && se >= 0.0, "{what}: {e:?}");
                }
            }
            Err(e) => allowed(&e, &["zero_total_weight"], &what),
        }
    }
}

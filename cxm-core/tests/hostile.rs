//! Regression tests for what a hostile test found (a crash, hangs, silently wrong numbers),
//! each in the form it was seen from Rust; the C and Python surfaces have their own.

use cxm_core::{
    compare_means, nps_vs_benchmark, proportion_interval, proportion_vs_benchmark, rating,
    Alternative, Missing, Nps, NpsMethod, ProportionMethod, Rating, Scale, MAX_COUNT,
};

#[test]
fn welch_with_a_tiny_or_huge_spread_does_not_overflow_the_stack() {
    // Was a stack overflow: the squared variance underflowed, df = 0/0, and the t quantile
    // recursed on NaN. The weights only tilt the mean, so the answer is ordinary.
    let tiny = rating(&[5_u8, 5, 4], Some(&[1.0, 1.0, 1e-170]), Missing::Reject, Scale::csat());
    let c = compare_means(
        &tiny.unwrap(),
        &rating(&[5_u8, 5], None, Missing::Reject, Scale::csat()).unwrap(),
        0.95,
    )
    .unwrap();
    assert!(c.degrees_of_freedom.is_finite() && c.p_value >= 0.0 && c.p_value <= 1.0, "{c:?}");
    assert!(c.interval.lower <= c.estimate && c.estimate <= c.interval.upper, "{c:?}");
    // Hand-built spreads of 1e-85 against 1: Welch's df is n1 − 1 in the limit.
    let base = rating(&[1_u8, 5, 3, 4], None, Missing::Reject, Scale::csat()).unwrap();
    let narrow = Rating { standard_deviation: 1e-85, ..base };
    let c = compare_means(&narrow, &base, 0.95).unwrap();
    assert!((c.degrees_of_freedom - 3.0).abs() < 1e-12, "{c:?}");
}

#[test]
fn huge_counts_are_refused_at_once_not_after_minutes() {
    // 1e50 took 9.8 s (Jeffreys), 5e299 of 1e300 took 145 s (Clopper–Pearson).
    for (x, n, method) in [
        (1.0, 1e50, ProportionMethod::Jeffreys),
        (1.0, 1e100, ProportionMethod::Jeffreys),
        (5e299, 1e300, ProportionMethod::ClopperPearson),
        (1.0, 1e25, ProportionMethod::ClopperPearson),
    ] {
        let err = proportion_interval(x, n, 0.95, method).unwrap_err();
        assert_eq!(err.kind(), "outside_supported_range", "{x} of {n}");
        let err = proportion_vs_benchmark(x, n, 0.5, Alternative::Greater, 0.95, method);
        assert_eq!(err.unwrap_err().kind(), "outside_supported_range");
    }
}

#[test]
fn all_passives_against_a_zero_benchmark_has_p_one_half() {
    // p was NaN: 0/0 in the z statistic. No promoters, no detractors, benchmark 0: z = 0.
    let all_passive = Nps::from_counts(0, 4, 0).unwrap();
    for method in [NpsMethod::Score, NpsMethod::Wald] {
        let t = nps_vs_benchmark(&all_passive, 0.0, Alternative::Greater, 0.95, method).unwrap();
        assert_eq!((t.statistic, t.p_value), (0.0, 0.5), "{method:?}");
    }
}

#[test]
fn the_bootstrap_keeps_the_normal_width_at_huge_n() {
    // At large n the percentile bootstrap is the Wald interval ±z·SE. It widened to 1.11×
    // at n = 3e15, 1.43× at 1e16 and 1.82× at 1e18 when BTRS lost its digits. With 20 000
    // resamples the 2.5% and 97.5% percentiles have a Monte Carlo error of about 1% of z.
    for n in [100_000_000_000_000_u64, 3_000_000_000_000_000, 10_u64.pow(16), 10_u64.pow(18)] {
        let nps = Nps::from_counts(n / 2, n / 10 * 3, n / 5).unwrap();
        let wald = nps.confidence_interval(0.95, NpsMethod::Wald).unwrap();
        let boot = nps
            .confidence_interval(0.95, NpsMethod::Bootstrap { resamples: 20_000, seed: 3 })
            .unwrap();
        let ratio = boot.width() / wald.width();
        assert!((ratio - 1.0).abs() < 0.03, "n = {n}: bootstrap/Wald width {ratio}");
    }
}

#[test]
fn exact_limits_keep_their_order_up_to_two_to_the_53() {
    // Clopper–Pearson crossed (lower > upper) from n ≈ 7.9e21; Jeffreys at x = n ≥ 1e16 gave
    // (1.0, 0.9999999999999999). Both are now refused above 2^53 and ordered up to it.
    for method in [ProportionMethod::ClopperPearson, ProportionMethod::Jeffreys] {
        for (x, n) in [(1.0, MAX_COUNT), (MAX_COUNT, MAX_COUNT), (MAX_COUNT - 1.0, MAX_COUNT)] {
            for level in [1e-6, 0.95, 1.0 - 1e-12] {
                let ci = proportion_interval(x, n, level, method).unwrap();
                assert!(
                    0.0 <= ci.lower && ci.lower <= ci.upper && ci.upper <= 1.0,
                    "{x}/{n} {level}: {ci:?}"
                );
            }
        }
    }
}

#[test]
fn the_exact_test_at_half_of_a_huge_n() {
    // P(X ≥ n/2) for X ~ Bin(n, ½) is ½ + P(X = n/2)/2 = ½ + 1/√(2πn) (to 1e-8 relative
    // at this n): it was 0.518 at n = 1e21 and 1.0 from 1e24, now refused there.
    let n = 2_f64.powi(52);
    let t = proportion_vs_benchmark(
        n / 2.0,
        n,
        0.5,
        Alternative::Greater,
        0.95,
        ProportionMethod::ClopperPearson,
    )
    .unwrap();
    let want = 0.5 + 1.0 / (2.0 * std::f64::consts::PI * n).sqrt();
    assert!((t.p_value - want).abs() < 1e-12, "{} vs {want}", t.p_value);
}

#[test]
fn weights_near_the_largest_double_give_finite_moments() {
    // Gave mean inf and standard deviation NaN with no error.
    let heavy = rating(&[1_u8, 5], Some(&[8e307, 8e307]), Missing::Reject, Scale::csat()).unwrap();
    let plain = rating(&[1_u8, 5], None, Missing::Reject, Scale::csat()).unwrap();
    assert_eq!((heavy.mean, heavy.share), (plain.mean, plain.share));
    assert!((heavy.standard_deviation - plain.standard_deviation).abs() < 1e-15);
}

#[test]
fn fractional_counts_are_refused() {
    for (x, n) in [(5e-324, 1e9), (2.5, 10.0)] {
        let err = proportion_interval(x, n, 0.95, ProportionMethod::Wilson).unwrap_err();
        assert_eq!(err.kind(), "invalid_count");
    }
    let err = proportion_interval(5e-324, 1e9, 0.95, ProportionMethod::Wilson).unwrap_err();
    assert!(err.to_string().starts_with("5e-324 successes of 1000000000:"), "{err}");
}

#[test]
fn exact_limits_at_two_to_the_53_match_the_poisson_limit() {
    // At n = 2^53 and small k, Beta(k, n − k + 1) is Gamma(k)/n to a relative O(k/n), far
    // below 1e-12: scipy.stats.gamma.ppf(0.025, k)/n and gamma.isf(0.025, k + 1)/n for
    // Clopper–Pearson, shape k + ½ for Jeffreys (scipy 1.17; Boost's gamma, not a Beta).
    let n = MAX_COUNT;
    for (k, cp_lower, cp_upper, j_lower, j_upper) in [
        (
            0.0,
            0.0,
            4.095_478_905_023_970_7e-16,
            5.451_578_728_306_347e-20,
            2.788_817_059_126_641_4e-16,
        ),
        (
            1.0,
            2.810_841_335_719_724_4e-18,
            6.185_766_777_620_947e-16,
            1.197_904_456_872_721_8e-17,
            5.189_406_462_600_214e-16,
        ),
        (
            5.0,
            1.802_431_970_475_049_8e-16,
            1.295_445_093_343_635_7e-15,
            2.118_165_782_902_858_4e-16,
            1.216_807_169_525_169_5e-15,
        ),
        (
            50.0,
            4.120_144_640_735_942e-15,
            7.318_453_250_563_996e-15,
            4.167_969_899_719_981e-15,
            7.255_291_291_311_858e-15,
        ),
        (
            1000.0,
            1.042_469_464_538_004_2e-13,
            1.181_224_158_504_414_6e-13,
            1.043_007_373_962_200_1e-13,
            1.180_651_849_126_999_5e-13,
        ),
    ] {
        let close = |got: f64, want: f64| (got - want).abs() <= 1e-12 * want;
        let cp = proportion_interval(k, n, 0.95, ProportionMethod::ClopperPearson).unwrap();
        let j = proportion_interval(k, n, 0.95, ProportionMethod::Jeffreys).unwrap();
        assert!(close(cp.lower, cp_lower) && close(cp.upper, cp_upper), "{k}: {cp:?}");
        assert!(close(j.lower, j_lower) && close(j.upper, j_upper), "{k}: {j:?}");
    }
}

#[test]
fn found_by_fuzzing_jeffreys_at_a_level_of_dbl_min_is_ordered() {
    // F1 (docs/fuzzing.md): at levels below ~1e-16, α/2 rounds to ½ and both limits are the
    // median, which came back as (0.000747356163289186, 0.0007473561632891859).
    let ci =
        proportion_interval(0.0, 304.0, f64::MIN_POSITIVE, ProportionMethod::Jeffreys).unwrap();
    assert!(ci.lower <= ci.upper && (ci.upper - ci.lower) <= 1e-18, "{ci:?}");
}

#[test]
fn found_by_fuzzing_a_subnormal_effective_n_is_refused() {
    // F2: a hand-built NPS with effective_n 5e-324 passed the checks and gave a NaN Wald
    // interval at level DBL_MIN. Kish's n lies between 1 and n.
    let good = Nps::from_counts(0, 212, 1).unwrap();
    let bad = Nps { effective_n: 5e-324, ..good };
    let err = bad.confidence_interval(f64::MIN_POSITIVE, NpsMethod::Wald).unwrap_err();
    assert_eq!(err.kind(), "invalid_estimate");
}

#[test]
fn scales_beyond_two_to_the_53_compare_scores_exactly() {
    // Issue 15, item 1: the bounds were rounded to floats, so 2^53 sat "on" 2^53+1..=2^53+3 and
    // indexed one below the scale (a panic); −2^53 sat "on" a scale ending at −2^53 − 1.
    let two53 = 1_i64 << 53;
    let ces = |min: i64, max: i64, threshold: i64| Scale::new(min, max, threshold, true).unwrap();
    let err = rating(&[two53 as f64], None, Missing::Reject, ces(two53 + 1, two53 + 3, two53 + 2))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "score 9007199254740992 at index 0 is outside 9007199254740993..=9007199254740995"
    );
    let scale = ces(-two53 - 3, -two53 - 1, -two53 - 2);
    let err =
        rating(&[-two53 as f64 - 2.0, -two53 as f64], None, Missing::Reject, scale).unwrap_err();
    assert_eq!(err.kind(), "score_out_of_range");
    // 2^63 is not on a scale ending at 2^63 − 1.
    let scale = ces(i64::MAX - 2, i64::MAX, i64::MAX);
    assert!(rating(&[2_f64.powi(63)], None, Missing::Reject, scale).is_err());
    // Integer answers 2^53 and 2^53 + 10, once each: sd = 10/√2 (the spread of two points 10
    // apart), which the moments about zero doubled.
    let r = rating(&[two53, two53 + 10], None, Missing::Reject, ces(two53, two53 + 10, two53 + 5));
    let sd = r.unwrap().standard_deviation;
    assert!((sd - 10.0 / 2_f64.sqrt()).abs() < 1e-12, "{sd}");
}

#[test]
fn rebuilt_results_that_contradict_themselves_are_refused() {
    // Issue 15, item 5: hand-built (C) and unpickled (Python) results were trusted where
    // their fields contradict each other. Each real result passes; each edit is refused.
    let refused = |result: Result<(), cxm_core::Error>, what: &str| {
        assert_eq!(result.map_err(|e| e.kind()), Err("invalid_estimate"), "{what}");
    };
    let nps = Nps::from_counts(3, 0, 0).unwrap();
    assert_eq!(nps.check(), Ok(()));
    refused(
        Nps { promoter_share: 2.0 / 3.0, passive_share: 1.0 / 3.0, score: 200.0 / 3.0, ..nps }
            .check(),
        "promoters = 3 of 3 with a passive share of 1/3",
    );
    refused(Nps { standard_error: 5.0, ..nps }.check(), "a standard error of 5 with no spread");

    let csat = rating(&[5_u8, 4, 2], None, Missing::Reject, Scale::csat()).unwrap();
    assert_eq!(csat.check(), Ok(()));
    refused(Rating { share: 0.9, ..csat }.check(), "2 favourable of 3 with a share of 0.9");
    refused(Rating { favourable: 3, ..csat }.check(), "all favourable with a share of 2/3");
    refused(Rating { standard_deviation: 0.0, ..csat }.check(), "sd 0 with a mean of 11/3");
    let all_five = rating(&[5_u8, 5], None, Missing::Reject, Scale::csat()).unwrap();
    refused(Rating { mean: 2.0, ..all_five }.check(), "all favourable with a mean of 2");

    let c = cxm_core::compare_nps(&nps, &Nps::from_counts(1, 1, 1).unwrap(), 0.95, NpsMethod::Wald)
        .unwrap();
    assert_eq!(c.check(), Ok(()));
    refused(cxm_core::Comparison { p_value: 7.0, ..c }.check(), "p = 7");
    refused(cxm_core::Comparison { level: 3.0, ..c }.check(), "level = 3");
    refused(cxm_core::Comparison { p_value: 0.5, ..c }.check(), "p not from the statistic");
    let reversed = cxm_core::Interval::new(c.interval.upper, c.interval.lower);
    refused(cxm_core::Comparison { interval: reversed, ..c }.check(), "a reversed interval");
    let t = nps_vs_benchmark(&nps, 20.0, Alternative::Greater, 0.95, NpsMethod::Wald).unwrap();
    assert_eq!(t.check(), Ok(()));
    refused(cxm_core::BenchmarkTest { p_value: 7.0, ..t }.check(), "benchmark p = 7");
    refused(cxm_core::BenchmarkTest { level: 3.0, ..t }.check(), "benchmark level = 3");
}

#[test]
fn rebuilt_flows_that_contradict_themselves_are_refused() {
    // Issue 15, item 5: flow revenue fields and counts; churn and NCVG from a flow (the C
    // calls cxm_customer_flow_churn / _ncvg) check the flow first.
    use cxm_core::{customer_flow, ChurnBasis, CustomerFlow, CustomerRecords};
    const DAY: i64 = 86_400;
    let (starts, ends, values) = ([0, 0, 5 * DAY], [i64::MIN, 10 * DAY, i64::MIN], [100, 50, 70]);
    let records = CustomerRecords {
        starts: &starts,
        ends: Some(&ends),
        values: Some(&values),
        customers: None,
    };
    let flow = customer_flow(&records, DAY, 30 * DAY).unwrap();
    assert_eq!(flow.check(), Ok(()));
    let invalid = |edited: CustomerFlow, what: &str| {
        let kind = edited.check().unwrap_err().kind();
        assert!(kind == "invalid_estimate" || kind == "invalid_window", "{what}: {kind}");
        assert!(edited.churn(ChurnBasis::Start).is_err() && edited.ncvg().is_err(), "{what}");
    };
    invalid(CustomerFlow { value_at_start: -150, ..flow }, "a negative value at the start");
    invalid(CustomerFlow { net_revenue_retention: 2.0, ..flow }, "NRR not from the values");
    invalid(CustomerFlow { gross_revenue_churn: 0.0, ..flow }, "GRR churn not from the values");
    invalid(CustomerFlow { window_start: 40 * DAY, ..flow }, "a reversed window");
    invalid(CustomerFlow { customers_at_end: 5, ..flow }, "end ≠ start − lost + gained");
    invalid(CustomerFlow { exposure_months: 100.0, churn_by_exposure: 0.01, ..flow }, "exposure");
    invalid(CustomerFlow { new_value: 1, ..flow }, "value_at_end does not add up");
}

//! NPS throughput (responses per second) for the input types callers hold, and the cost of
//! each interval method, which must not depend on n.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use cxm_benches::{survey_scores, survey_weights};
use cxm_core::{nps, DirichletPrior, Missing, Nps, NpsMethod};

fn scoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("nps");
    for n in [10_000, 1_000_000] {
        let bytes = survey_scores(n);
        let wide: Vec<i64> = bytes.iter().map(|&s| i64::from(s)).collect();
        let floats: Vec<f64> = bytes.iter().map(|&s| f64::from(s)).collect();
        let weights = survey_weights(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("u8", n), &bytes, |b, s| {
            b.iter(|| nps(black_box(s), None, Missing::Reject));
        });
        group.bench_with_input(BenchmarkId::new("i64", n), &wide, |b, s| {
            b.iter(|| nps(black_box(s), None, Missing::Reject));
        });
        group.bench_with_input(BenchmarkId::new("f64", n), &floats, |b, s| {
            b.iter(|| nps(black_box(s), None, Missing::Skip));
        });
        group.bench_with_input(BenchmarkId::new("u8_weighted", n), &bytes, |b, s| {
            b.iter(|| nps(black_box(s), Some(&weights), Missing::Reject));
        });
    }
    group.finish();
}

fn intervals(c: &mut Criterion) {
    let mut group = c.benchmark_group("nps_interval");
    for n in [100_u64, 100_000_000] {
        let result = Nps::from_counts(n / 2, n * 3 / 10, n / 5).unwrap();
        for method in [
            NpsMethod::Wald,
            NpsMethod::AdjustedWald,
            NpsMethod::Score,
            NpsMethod::Bootstrap { resamples: 10_000, seed: 1 },
            NpsMethod::Bayesian { prior: DirichletPrior::UNIFORM, draws: 10_000, seed: 1 },
        ] {
            group.bench_function(BenchmarkId::new(method.name(), n), |b| {
                b.iter(|| black_box(&result).confidence_interval(0.95, method));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, scoring, intervals);
criterion_main!(benches);

//! Throughput (responses per second) of NPS, CSAT and CES for every input type callers hold,
//! through the one counting kernel; and the cost of each interval method, which must not
//! depend on n.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use cxm_benches::{survey_scores, survey_weights};
use cxm_core::{nps, rating, DirichletPrior, Missing, Nps, NpsMethod, Scale};

fn scoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("nps");
    for n in [1_000, 100_000, 10_000_000] {
        let bytes = survey_scores(n);
        let weights = survey_weights(n);
        group.throughput(Throughput::Elements(n as u64));
        // Every input type the surfaces hand over, each through the one counting kernel.
        macro_rules! typed {
            ($($t:ty => $name:literal),*) => {$(
                let scores: Vec<$t> = bytes.iter().map(|&s| <$t>::from(s)).collect();
                group.bench_with_input(BenchmarkId::new($name, n), &scores, |b, s| {
                    b.iter(|| nps(black_box(s), None, Missing::Skip));
                });
            )*};
        }
        typed!(u8 => "u8", i16 => "i16", i32 => "i32", i64 => "i64", f32 => "f32", f64 => "f64");
        let signed: Vec<i8> = bytes.iter().map(|&s| i8::try_from(s).unwrap_or(0)).collect();
        group.bench_with_input(BenchmarkId::new("i8", n), &signed, |b, s| {
            b.iter(|| nps(black_box(s), None, Missing::Reject));
        });
        group.bench_with_input(BenchmarkId::new("u8_weighted", n), &bytes, |b, s| {
            b.iter(|| nps(black_box(s), Some(&weights), Missing::Reject));
        });
    }
    group.finish();
}

fn ratings(c: &mut Criterion) {
    let mut group = c.benchmark_group("rating");
    for n in [1_000, 100_000, 10_000_000] {
        // Answers 1..=5 (CSAT) and 1..=7 (CES 2.0) from the same generator.
        let bytes = survey_scores(n);
        let csat: Vec<u8> = bytes.iter().map(|&s| s % 5 + 1).collect();
        let ces: Vec<f64> = bytes.iter().map(|&s| f64::from(s % 7 + 1)).collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("csat_u8", n), &csat, |b, s| {
            b.iter(|| rating(black_box(s), None, Missing::Reject, Scale::csat()));
        });
        group.bench_with_input(BenchmarkId::new("ces_f64", n), &ces, |b, s| {
            b.iter(|| rating(black_box(s), None, Missing::Skip, Scale::ces()));
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

criterion_group!(benches, scoring, ratings, intervals);
criterion_main!(benches);

//! The cost of the mergeable states' operations, which must not grow with the responses:
//! merging two NPS states, and writing and reading one as bytes (the budget: each under
//! 1 µs), unweighted and weighted.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use cxm_benches::{survey_scores, survey_weights};
use cxm_core::{Missing, NpsState, ScoreState, State};

fn state_of(n: usize, weighted: bool) -> NpsState {
    let scores = survey_scores(n);
    let weights = survey_weights(n);
    let mut state = NpsState::new();
    state.add(&scores, weighted.then_some(&weights[..]), Missing::Reject).unwrap();
    state
}

fn states(c: &mut Criterion) {
    let mut group = c.benchmark_group("nps_state");
    for (name, weighted) in [("unweighted", false), ("weighted", true)] {
        let (a, b) = (state_of(100_000, weighted), state_of(1_000_000, weighted));
        group.bench_function(format!("merge/{name}"), |bench| {
            bench.iter(|| {
                let mut merged = black_box(&a).clone();
                merged.merge(black_box(&b)).unwrap();
                merged
            });
        });
        group.bench_function(format!("to_bytes/{name}"), |bench| {
            bench.iter(|| black_box(&b).to_bytes());
        });
        let bytes = b.to_bytes();
        group.bench_function(format!("from_bytes/{name}"), |bench| {
            bench.iter(|| NpsState::from_bytes(black_box(&bytes)).unwrap());
        });
        group.bench_function(format!("finish/{name}"), |bench| {
            bench.iter(|| black_box(&b).finish().unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, states);
criterion_main!(benches);

//! Statistics shared by the metrics: intervals, distributions, random variates and root
//! finding; proportions (any share or rate given as successes of n) with their interval,
//! comparison and benchmark test; Poisson rates (events per unit of exposure) with theirs;
//! and the result types of comparisons and benchmark tests.

mod adjust;
mod benchmark;
pub(crate) mod beta;
mod comparison;
pub(crate) mod gamma;
mod interval;
pub(crate) mod normal;
pub(crate) mod percentile;
mod proportion;
pub(crate) mod random;
mod rate;
pub(crate) mod root;
pub(crate) mod student;

pub use adjust::{adjust_p_values, Adjustment};
pub(crate) use benchmark::one_sided;
pub use benchmark::{Alternative, BenchmarkMethod, BenchmarkTest};
pub use comparison::{Comparison, ComparisonMethod};
pub use interval::{Interval, DEFAULT_LEVEL};
pub(crate) use proportion::{
    check_event_counts, compare_effective_proportions, count_out_of_range,
    effective_proportion_interval,
};
pub use proportion::{
    compare_proportions, lift, proportion_interval, proportion_vs_benchmark, Lift, LiftMethod,
    ProportionMethod, MAX_COUNT,
};
pub use rate::{rate_interval, RateMethod};

/// Equal to within 1e-9, relative to the larger of `b` and 1: how far a field of a rebuilt
/// result (from C or a pickle) may differ from what its other fields give, computed in another
/// order. The checks of rebuilt results share it.
pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

//! Statistics shared by the metrics: intervals, distributions, random variates and root finding.

pub(crate) mod beta;
mod interval;
pub(crate) mod normal;
pub(crate) mod percentile;
mod proportion;
pub(crate) mod random;
pub(crate) mod root;
pub(crate) mod student;

pub use interval::{Interval, DEFAULT_LEVEL};
pub(crate) use proportion::effective_proportion_interval;
pub use proportion::{proportion_interval, ProportionMethod, MAX_COUNT};

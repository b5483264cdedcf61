//! Statistics shared by the metrics: intervals, normal quantiles and root finding.

pub(crate) mod beta;
mod interval;
pub(crate) mod normal;
mod proportion;
pub(crate) mod root;
pub(crate) mod student;

pub use interval::Interval;
pub use proportion::{proportion_interval, ProportionMethod};

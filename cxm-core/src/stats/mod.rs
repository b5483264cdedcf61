//! Statistics shared by the metrics: intervals, normal quantiles and root finding.

mod interval;
pub(crate) mod normal;
pub(crate) mod root;

pub use interval::Interval;

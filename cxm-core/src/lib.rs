#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod calibration;
mod churn;
mod count;
mod drivers;
mod error;
mod exact;
mod linalg;
mod named_rate;
mod nps;
mod options;
mod parallel;
mod period;
mod rating;
mod scale;
mod score;
mod segment;
mod small;
mod state;
pub mod stats;
mod sum;
mod survival;
mod time;
mod topics;
mod weigh;
mod weight_sums;

pub use calibration::{
    calibrated_nps, calibrated_share, rake, Bounds, CalibratedEstimate, Margin, MarginFit,
    RakeOptions, Raking, DEFAULT_RAKE_ITERATIONS, DEFAULT_RAKE_TOLERANCE,
};
pub use churn::{
    annual_from_monthly, churn, churn_lift, customer_flow, monthly_from_annual, ncvg, Churn,
    ChurnBasis, ChurnLift, ChurnMethod, CustomerFlow, CustomerRecords, GroupChurn, Ncvg, OPEN_END,
    SECONDS_PER_MONTH,
};
pub use drivers::{
    key_drivers, DriverMethod, DriverOptions, DriverShare, KeyDrivers, DEFAULT_DRIVER_RESAMPLES,
    DEFAULT_PERMUTATIONS, MAX_EXACT_DRIVERS,
};
pub use error::Error;
pub use exact::ExactSum;
pub use named_rate::{named_rate, NamedRate, RateEstimate};
pub use nps::{
    compare_nps, nps, nps_vs_benchmark, DirichletPrior, Nps, NpsMethod, NpsState, DEFAULT_DRAWS,
    DEFAULT_RESAMPLES, MAX_SIMULATION_SIZE, NPS_MAX, NPS_MIN, PASSIVE_MIN, PROMOTER_MIN,
};
pub use period::{bucket_periods, period_label, period_of, period_start, Period};
pub use rating::{compare_means, rating, Rating, RatingState};
pub use scale::{Scale, MAX_SCALE_POINTS};
pub use score::{Missing, Placement, Score, ScoreValue};
pub use segment::{
    merged, period_changes, period_trend, rolling, segment_table, segment_table_within,
    states_by_keys, window_start, Change, Compare, Figure, Groups, SegmentChange, SegmentOptions,
    SegmentRow, SegmentTable, Segmented, DEFAULT_MIN_N,
};
pub use state::{Metric, ScoreState, State};
pub use stats::{
    adjust_p_values, compare_proportions, lift, proportion_interval, proportion_vs_benchmark,
    rate_interval, Adjustment, Alternative, BenchmarkMethod, BenchmarkTest, Comparison,
    ComparisonMethod, Interval, Lift, LiftMethod, ProportionMethod, RateMethod, DEFAULT_LEVEL,
    MAX_COUNT,
};
pub use survival::{
    contact_centre, durations, kaplan_meier, ContactCentre, ContactCentreState, ContactShare,
    DurationState, Durations, KaplanMeier, MeanDuration, ServiceLevel, ServiceLevelBasis,
    ShareWithin, Step, SurvivalPercentile, Transform, DEFAULT_PERCENTILES,
    DEFAULT_SERVICE_LEVEL_SECONDS,
};
pub use time::Timestamp;
pub use topics::{nps_topic_impact, topic_impact, topic_impact_by_group, TopicImpact, TopicMetric};

/// The workspace README's Rust examples, run as doctests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct WorkspaceReadme;

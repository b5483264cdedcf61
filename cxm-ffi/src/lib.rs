//! The C ABI of cxm: the same metrics as `cxm-core`, for C and C++ callers.
//!
//! # API conventions
//! - **Names.** Every symbol starts with `cxm_`; a function is named after what it acts on
//!   (`cxm_nps_confidence_interval`).
//! - **Status.** Every fallible function returns a `cxm_status` (a `uint32_t`); 0 is success.
//!   Codes are grouped: 1xx bad arguments (NULL, misaligned or oversized buffers, unknown enum
//!   values), 2xx bad data (scores, weights, counts), 3xx bad statistical requests, 9xx
//!   internal errors. Numbers are never reused.
//! - **Error detail.** After a failure, `cxm_last_error_message` copies a message such as
//!   "score 11 at index 4 is outside 0..=10" into a buffer the caller owns. It is per thread,
//!   and every call clears it first.
//! - **Out-params.** Written only on success: no partial results.
//! - **NULL.** A NULL out-param, or a NULL array with a non-zero length, returns
//!   `CXM_STATUS_NULL_POINTER`; `scores = NULL, len = 0` is the empty input. A NULL `weights`
//!   means unweighted.
//! - **Ownership.** cxm never keeps a caller's pointer past the call. Results are plain structs
//!   copied out; what the caller frees are handles: a state (`cxm_state *`, made by
//!   `cxm_state_new_*`, `cxm_state_from_bytes` or `cxm_states_by_group_*`) with
//!   `cxm_state_free`, and a raking (`cxm_raking *`, from `cxm_rake` or `cxm_raking_trim`) with
//!   `cxm_raking_free`; both take NULL.
//! - **Panics.** None crosses the boundary: a panic becomes `CXM_STATUS_PANIC`.
//! - **Threads.** Every function is safe to call from any thread at the same time.

mod boundary;
mod calibration;
mod churn;
mod compare;
mod drivers;
mod lift;
mod nps;
mod rating;
mod segment;
mod state;
mod status;
mod survival;
mod version;

pub use calibration::{
    cxm_calibrated_nps, cxm_calibrated_share, cxm_rake, cxm_rake_options_default,
    cxm_raking_achieved, cxm_raking_free, cxm_raking_summary, cxm_raking_trim, cxm_raking_weights,
    CalibratedEstimateC, CxmRaking, MarginC, RakeOptionsC, RakingSummary,
};
pub use churn::{
    cxm_annual_from_monthly, cxm_churn_from_counts, cxm_churn_interval, cxm_customer_flow_churn,
    cxm_customer_flow_exposure_interval, cxm_customer_flow_from_records, cxm_customer_flow_ncvg,
    cxm_monthly_from_annual, cxm_ncvg_from_totals, cxm_rate_interval, ChurnBasis, ChurnResult,
    CustomerFlowResult, NcvgResult, RateMethod, CXM_OPEN_END,
};
pub use compare::{
    cxm_compare_means, cxm_compare_nps, cxm_compare_proportions, cxm_nps_vs_benchmark,
    cxm_proportion_vs_benchmark, Alternative, BenchmarkMethod, BenchmarkResult, ComparisonMethod,
    ComparisonResult,
};
pub use drivers::{
    cxm_driver_options_default, cxm_key_drivers, cxm_nps_topic_impact, cxm_topic_impact_table,
    DriverMethod, DriverOptionsC, DriverShareC, KeyDriversResult, TopicImpactC,
};
pub use lift::{
    cxm_lift, cxm_named_rate_estimate, LiftMethod, LiftResult, NamedRate, RateEstimateResult,
};
pub use nps::{
    cxm_nps_bayesian_interval, cxm_nps_bootstrap_interval, cxm_nps_confidence_interval,
    cxm_nps_f32, cxm_nps_f64, cxm_nps_from_counts, cxm_nps_i32, cxm_nps_i64, cxm_nps_u8,
    DirichletPrior, Interval, Missing, NpsMethod, NpsResult,
};
pub use rating::{
    cxm_proportion_interval, cxm_rating_f32, cxm_rating_f64, cxm_rating_i32, cxm_rating_i64,
    cxm_rating_mean_interval, cxm_rating_share_interval, cxm_rating_u8, ProportionMethod,
    RatingResult, RatingScale,
};
pub use segment::{
    cxm_adjust_p_values, cxm_bucket_periods, cxm_period_label, cxm_segment_table, AdjustmentCode,
    PeriodCode, SegmentOptions, SegmentRow,
};
pub use state::{
    cxm_state_add_f32, cxm_state_add_f64, cxm_state_add_i32, cxm_state_add_i64, cxm_state_add_u8,
    cxm_state_finish_nps, cxm_state_finish_rating, cxm_state_free, cxm_state_from_bytes,
    cxm_state_merge, cxm_state_metric, cxm_state_n, cxm_state_new_nps, cxm_state_new_rating,
    cxm_state_to_bytes, cxm_states_by_group_f32, cxm_states_by_group_f64, cxm_states_by_group_i32,
    cxm_states_by_group_i64, cxm_states_by_group_u8, CxmState, MetricCode,
};
pub use status::{cxm_last_error_message, cxm_status_name, Status};
pub use survival::{
    cxm_contact_centre, cxm_durations, cxm_kaplan_meier, ConfType, ContactCentreResult,
    ContactShare, DurationsResult, SurvivalPercentile, SurvivalStep,
};
pub use version::{
    cxm_abi_version, cxm_version, CXM_ABI_VERSION, CXM_VERSION_MAJOR, CXM_VERSION_MINOR,
    CXM_VERSION_PATCH,
};

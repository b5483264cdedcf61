//! Contact-centre figures from contact records (abandonment, service level, speed of answer),
//! and durations. Time to resolution with cases still open: the Kaplan–Meier curve of the share still
//! unresolved, its Greenwood variance, its confidence band (log(−log) or log transform), and the
//! median and other percentiles of the time to resolution with their intervals.
//!
//! A case still open at the end of the window is *right-censored*: it was unresolved for at
//! least its time, and never counted as resolved nor dropped (either would bias every figure).

mod contact_state;
mod contacts;
mod curve;
mod durations;
mod percentile;
mod radix;
mod state;
#[cfg(test)]
mod testing;
mod weighted;

pub use contact_state::ContactCentreState;
pub use contacts::{
    contact_centre, ContactCentre, ContactShare, ServiceLevel, ServiceLevelBasis,
    DEFAULT_SERVICE_LEVEL_SECONDS,
};
pub use curve::{kaplan_meier, KaplanMeier, Step, Transform};
pub use durations::{durations, Durations, MeanDuration, ShareWithin, DEFAULT_PERCENTILES};
pub use percentile::SurvivalPercentile;
pub use state::DurationState;

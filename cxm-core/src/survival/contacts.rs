//! Contact-centre figures from contact records (a wait in seconds, and whether the contact was
//! answered or abandoned): abandonment, service level in each of its three definitions, and the
//! speed of answer. The definitions are the industry's (e.g. ICMI's and COPC's glossaries); the
//! service-level formulas in use differ, so each is named and none is guessed.

use serde::{Deserialize, Serialize};

use super::contact_state::ContactCentreState;
use super::durations::Durations;
use crate::error::Error;
use crate::stats::{proportion_interval, Interval, ProportionMethod};

/// The service-level time unless asked for another: 20 seconds, of the "80/20" target (80% of
/// contacts answered within 20 seconds) most contact centres are held to.
pub const DEFAULT_SERVICE_LEVEL_SECONDS: f64 = 20.0;

/// Which contacts a service level divides by. Each counts the contacts answered within the
/// time; they differ in what they count the share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceLevelBasis {
    /// Answered within T ÷ offered (answered + abandoned): every abandon counts against it.
    Offered,
    /// Answered within T ÷ (answered + abandoned after T): an abandon before T, which the
    /// centre had no chance to answer in time, counts neither way.
    AnsweredAndLateAbandons,
    /// Answered within T ÷ answered: abandons do not count at all.
    Answered,
}

crate::options::named_options!(ServiceLevelBasis, "service level basis", [
    Offered => "offered" = 0,
    AnsweredAndLateAbandons => "answered_and_late_abandons" = 1,
    Answered => "answered" = 2,
]);

/// A share of contacts with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ContactShare {
    /// Contacts counted.
    pub count: u64,
    /// Of this many.
    pub of: u64,
    /// `count / of` (NaN when `of` is 0).
    pub share: f64,
    /// Its Wilson interval (NaN limits when `of` is 0).
    pub interval: Interval,
}

/// A service level by one definition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServiceLevel {
    /// What it divides by.
    pub basis: ServiceLevelBasis,
    /// The time, seconds: answered at or within it.
    pub seconds: f64,
    /// The share, with its interval.
    pub level: ContactShare,
}

/// What [`contact_centre`] returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactCentre {
    /// Contacts offered, short abandons left out when asked.
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned (short abandons left out when asked).
    pub abandoned: u64,
    /// Short abandons: abandoned at or within `short_abandon_seconds`.
    pub short_abandons: u64,
    /// The threshold of short abandons, when they are left out of both counts.
    pub short_abandon_seconds: Option<f64>,
    /// Abandoned ÷ offered.
    pub abandonment: ContactShare,
    /// The service level in each definition: offered, answered and late abandons, answered.
    pub service_levels: Vec<ServiceLevel>,
    /// The waits of the answered contacts: average speed of answer (the mean) with its t
    /// interval, and its median and percentiles with distribution-free intervals. `None` when
    /// no contact was answered.
    pub speed_of_answer: Option<Durations>,
}

pub(crate) fn share(count: u64, of: u64, level: f64) -> Result<ContactShare, Error> {
    #[allow(clippy::cast_precision_loss)] // counts below 2^53
    let (c, n) = (count as f64, of as f64);
    if of == 0 {
        return Ok(ContactShare {
            count,
            of,
            share: f64::NAN,
            interval: Interval::new(f64::NAN, f64::NAN),
        });
    }
    let interval = proportion_interval(c, n, level, ProportionMethod::default())?;
    Ok(ContactShare { count, of, share: c / n, interval })
}

/// Contact-centre figures of contacts that waited `wait_seconds[i]` before being answered
/// (`answered[i]`) or abandoning:
/// - **abandonment** = abandoned ÷ offered (offered = answered + abandoned), with a Wilson
///   interval; with `short_abandon_seconds`, the *short abandons* (abandoned at or within that
///   many seconds: misdials and callers who meant to hang up) are left out of both, as most
///   centres report it, and the result says how many there were;
/// - **service level** at `service_level_seconds` (answered at or within it) in the three
///   definitions in use, each named ([`ServiceLevelBasis`]), with Wilson intervals;
/// - **speed of answer**: the waits of the answered contacts summarised by [`durations`](super::durations()) (the
///   average speed of answer is their mean, with a t interval; the median and `percents` with
///   distribution-free intervals).
///
/// # Errors
/// [`Error::MissingInput`] for no contact; [`Error::ColumnLengthMismatch`] for `answered` of
/// another length; [`Error::InvalidRecord`] for a wait that is negative, NaN or infinite, naming
/// its index; [`Error::OutsideSupportedRange`] for a time that is not a finite number of seconds,
/// 0 or more; [`Error::InvalidLevel`].
///
/// # Examples
/// ```
/// use cxm_core::{contact_centre, ServiceLevelBasis};
/// let waits = [5.0, 12.0, 40.0, 3.0, 25.0, 8.0, 60.0, 2.0];
/// let answered = [true, true, false, false, true, true, false, true];
/// let c = contact_centre(&waits, &answered, Some(4.0), 20.0, &[50.0], 0.95)?;
/// assert_eq!((c.offered, c.abandoned, c.short_abandons), (7, 2, 1)); // the 3 s abandon is short
/// let offered = c.service_levels.iter().find(|s| s.basis == ServiceLevelBasis::Offered).unwrap();
/// assert_eq!((offered.level.count, offered.level.of), (4, 7));
/// assert_eq!(c.speed_of_answer.unwrap().mean.unwrap().estimate, 52.0 / 5.0);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn contact_centre(
    wait_seconds: &[f64],
    answered: &[bool],
    short_abandon_seconds: Option<f64>,
    service_level_seconds: f64,
    percents: &[f64],
    level: f64,
) -> Result<ContactCentre, Error> {
    // The shape, then the thresholds, then each wait: the first error found is reported.
    check_shape(wait_seconds, answered)?;
    check_times(short_abandon_seconds, service_level_seconds)?;
    let mut state = ContactCentreState::new();
    state.add(wait_seconds, answered)?;
    state.summary(short_abandon_seconds, service_level_seconds, percents, level)
}

/// The error for no contact at all.
pub(crate) fn no_contact() -> Error {
    Error::MissingInput {
        what: "at least one contact".to_owned(),
        needed_for: "contact-centre figures".to_owned(),
    }
}

/// `answered` as long as `wait_seconds`, and at least one contact.
pub(crate) fn check_shape(wait_seconds: &[f64], answered: &[bool]) -> Result<(), Error> {
    if answered.len() != wait_seconds.len() {
        return Err(Error::ColumnLengthMismatch {
            column: "answered".to_owned(),
            len: answered.len(),
            expected: wait_seconds.len(),
            first: "wait_seconds".to_owned(),
        });
    }
    if wait_seconds.is_empty() {
        return Err(no_contact());
    }
    Ok(())
}

/// [`check_shape`], and every wait a finite number of seconds, 0 or more.
pub(crate) fn check_contacts(wait_seconds: &[f64], answered: &[bool]) -> Result<(), Error> {
    check_shape(wait_seconds, answered)?;
    if let Some(i) = wait_seconds.iter().position(|t| !(t.is_finite() && *t >= 0.0)) {
        return Err(Error::InvalidRecord {
            index: i,
            reason: format!(
                "has the wait {}: a wait is a finite number of seconds, 0 or more",
                wait_seconds[i]
            ),
        });
    }
    Ok(())
}

/// The service-level and short-abandon times, each a finite number of seconds, 0 or more.
pub(crate) fn check_times(
    short_abandon_seconds: Option<f64>,
    service_level_seconds: f64,
) -> Result<(), Error> {
    for (quantity, t) in [
        ("service level time", Some(service_level_seconds)),
        ("short abandon time", short_abandon_seconds),
    ] {
        if let Some(t) = t.filter(|t| !(t.is_finite() && *t >= 0.0)) {
            return Err(Error::OutsideSupportedRange {
                quantity: quantity.to_owned(),
                value: t,
                supported: "a finite number of seconds, 0 or more".to_owned(),
            });
        }
    }
    Ok(())
}

//! The mergeable state of contact records: the waits of the answered contacts and of the
//! abandoned ones, each tallied per distinct wait. Those tallies are all that the figures of
//! [`contact_centre`](super::contact_centre) read, whatever the thresholds, so the service-level
//! time, the short-abandon time, the percentiles and the level are chosen when the state is
//! finished, and any split of the records finishes to the bits of one call.

use super::contacts::{check_contacts, check_times, no_contact, share, ContactCentre};
use super::contacts::{ServiceLevel, ServiceLevelBasis, DEFAULT_SERVICE_LEVEL_SECONDS};
use super::curve::Transform;
use super::durations::{check_options, DEFAULT_PERCENTILES};
use super::state::DurationState;
use crate::error::Error;
use crate::state::{decode, encode_body, invalid, Metric, State};
use crate::stats::normal::check_level;
use crate::stats::DEFAULT_LEVEL;

/// A running tally of contact records (waits, answered or abandoned) that finishes into the
/// [`ContactCentre`] figures of all of them, to the bit.
///
/// # Examples
/// ```
/// use cxm_core::{contact_centre, ContactCentreState, State};
/// let waits = [5.0, 12.0, 40.0, 3.0, 25.0, 8.0, 60.0, 2.0];
/// let answered = [true, true, false, false, true, true, false, true];
/// let mut morning = ContactCentreState::new();
/// morning.add(&waits[..5], &answered[..5])?;
/// let mut afternoon = ContactCentreState::new();
/// afternoon.add(&waits[5..], &answered[5..])?;
/// // Bytes, as another process would send them.
/// morning.merge(&ContactCentreState::from_bytes(&afternoon.to_bytes())?)?;
/// let day = morning.summary(Some(4.0), 20.0, &[50.0, 90.0], 0.95)?;
/// assert_eq!(day, contact_centre(&waits, &answered, Some(4.0), 20.0, &[50.0, 90.0], 0.95)?);
/// # Ok::<(), cxm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactCentreState {
    /// The waits of the answered contacts.
    answered: DurationState,
    /// The waits of the abandoned contacts (short ones too: the threshold comes at the end).
    abandoned: DurationState,
}

impl ContactCentreState {
    /// A state of no contact.
    #[must_use]
    pub fn new() -> ContactCentreState {
        ContactCentreState::default()
    }

    /// Adds contacts as [`contact_centre`](super::contact_centre) takes them: each waited
    /// `wait_seconds[i]` before it was answered (`answered[i]`) or abandoned.
    ///
    /// # Errors
    /// As [`contact_centre`](super::contact_centre)'s for the records: no contact, `answered`
    /// of another length, a wait that is negative, NaN or infinite (naming its index);
    /// [`Error::CountOverflow`] past 2^64 − 1 contacts at one wait. On error the state is
    /// unchanged.
    pub fn add(&mut self, wait_seconds: &[f64], answered: &[bool]) -> Result<(), Error> {
        check_contacts(wait_seconds, answered)?;
        let (mut picked_up, mut gave_up) = (Vec::new(), Vec::new());
        for (&wait, &answered) in wait_seconds.iter().zip(answered) {
            if answered { &mut picked_up } else { &mut gave_up }.push(wait);
        }
        let with = |state: &DurationState, waits: &[f64]| -> Result<DurationState, Error> {
            let mut state = state.clone();
            if !waits.is_empty() {
                state.add(waits, None)?;
            }
            Ok(state)
        };
        let answered = with(&self.answered, &picked_up)?;
        let abandoned = with(&self.abandoned, &gave_up)?;
        *self = ContactCentreState { answered, abandoned };
        Ok(())
    }

    /// The figures of every contact added and merged, as
    /// [`contact_centre`](super::contact_centre) gives them for all of them at once, to the
    /// bit, with these thresholds, percentiles and level.
    ///
    /// # Errors
    /// [`Error::MissingInput`] for a state of no contact; [`Error::OutsideSupportedRange`] for
    /// a time that is not a finite number of seconds, 0 or more, or a percentile outside
    /// 0..=100; [`Error::InvalidLevel`].
    pub fn summary(
        &self,
        short_abandon_seconds: Option<f64>,
        service_level_seconds: f64,
        percents: &[f64],
        level: f64,
    ) -> Result<ContactCentre, Error> {
        check_times(short_abandon_seconds, service_level_seconds)?;
        if self.n() == 0 {
            return Err(no_contact());
        }
        check_level(level)?;
        check_options(percents, None)?;
        let answered = self.answered.n();
        let answered_in_time = self.answered.count_at_most(service_level_seconds);
        let short_abandons = short_abandon_seconds.map_or(0, |s| self.abandoned.count_at_most(s));
        let abandoned = self.abandoned.n() - short_abandons;
        // An abandon is late when after the service-level time and not short.
        let not_late =
            short_abandon_seconds.map_or(service_level_seconds, |s| s.max(service_level_seconds));
        let abandoned_late = self.abandoned.n() - self.abandoned.count_at_most(not_late);
        let offered = answered + abandoned;
        let service_levels = [
            (ServiceLevelBasis::Offered, offered),
            (ServiceLevelBasis::AnsweredAndLateAbandons, answered + abandoned_late),
            (ServiceLevelBasis::Answered, answered),
        ]
        .into_iter()
        .map(|(basis, of)| {
            let level = share(answered_in_time, of, level)?;
            Ok(ServiceLevel { basis, seconds: service_level_seconds, level })
        })
        .collect::<Result<Vec<_>, Error>>()?;
        let speed_of_answer = if answered == 0 {
            None
        } else {
            let within = Some(service_level_seconds);
            Some(self.answered.summary(percents, within, level, Transform::default())?)
        };
        Ok(ContactCentre {
            offered,
            answered,
            abandoned,
            short_abandons,
            short_abandon_seconds,
            abandonment: share(abandoned, offered, level)?,
            service_levels,
            speed_of_answer,
        })
    }
}

impl State for ContactCentreState {
    type Output = ContactCentre;
    const METRIC: Metric = Metric::ContactCentre;

    fn merge(&mut self, other: &ContactCentreState) -> Result<(), Error> {
        let mut answered = self.answered.clone();
        answered.merge(&other.answered)?;
        let mut abandoned = self.abandoned.clone();
        abandoned.merge(&other.abandoned)?;
        *self = ContactCentreState { answered, abandoned };
        Ok(())
    }

    /// The figures with the core's defaults: no short abandons left out, the service level at
    /// [`DEFAULT_SERVICE_LEVEL_SECONDS`], the median and [`DEFAULT_PERCENTILES`] of the speed of
    /// answer, [`DEFAULT_LEVEL`].
    fn finish(&self) -> Result<ContactCentre, Error> {
        self.summary(None, DEFAULT_SERVICE_LEVEL_SECONDS, &DEFAULT_PERCENTILES, DEFAULT_LEVEL)
    }

    fn n(&self) -> u64 {
        self.answered.n().saturating_add(self.abandoned.n())
    }

    fn is_weighted(&self) -> bool {
        false
    }

    /// After the header, the answered contacts' table of waits, then the abandoned ones', each
    /// as a durations state writes its table (no wait is open).
    fn to_bytes(&self) -> Vec<u8> {
        let mut body = Vec::new();
        self.answered.write_table(&mut body);
        self.abandoned.write_table(&mut body);
        encode_body(Metric::ContactCentre, false, &body)
    }

    fn from_bytes(bytes: &[u8]) -> Result<ContactCentreState, Error> {
        let mut reader = decode(bytes, Metric::ContactCentre)?;
        if reader.weighted() {
            return Err(invalid("a contact-centre state is not weighted"));
        }
        let answered = DurationState::read_table(&mut reader)?;
        let abandoned = DurationState::read_table(&mut reader)?;
        if reader.left() > 0 {
            return Err(invalid("bytes are left after the two tables of waits"));
        }
        if answered.has_open() || abandoned.has_open() {
            return Err(invalid("a wait of a contact is never open"));
        }
        if answered.n().checked_add(abandoned.n()).is_none() {
            return Err(invalid("the counts sum past 2^64 - 1"));
        }
        Ok(ContactCentreState { answered, abandoned })
    }
}

crate::state::serde_as_bytes!(ContactCentreState);

#[cfg(test)]
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // small test numbers
mod tests {
    use super::*;
    use crate::contact_centre;
    use crate::survival::testing::{corrupted_bytes_are_refused, split_and_merged, Rng};

    #[test]
    fn any_split_finishes_to_the_one_call_bits() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for round in 0..60 {
            let n = 1 + rng.next(300) as usize;
            let waits: Vec<f64> =
                (0..n)
                    .map(|_| {
                        if round % 2 == 0 {
                            rng.next(90) as f64
                        } else {
                            rng.next(900) as f64 / 9.0
                        }
                    })
                    .collect();
            let answered: Vec<bool> = (0..n).map(|_| rng.next(round % 4 + 2) != 0).collect();
            let state = split_and_merged(&mut rng, n, |start, end| {
                let mut part = ContactCentreState::new();
                part.add(&waits[start..end], &answered[start..end]).unwrap();
                part
            });
            assert_eq!(state.n(), n as u64);
            for (short, service, percents, level) in [
                (None, 20.0, &[50.0, 90.0][..], 0.95),
                (Some(5.0), 30.0, &[25.0][..], 0.9),
                (Some(40.0), 10.0, &[][..], 0.99),
            ] {
                let once = contact_centre(&waits, &answered, short, service, percents, level);
                let merged = state.summary(short, service, percents, level);
                assert_eq!(format!("{merged:?}"), format!("{once:?}"), "round {round}");
            }
        }
    }

    #[test]
    fn bad_records_bad_bytes_and_no_contact() {
        let mut state = ContactCentreState::new();
        let err = state.add(&[1.0, f64::NAN], &[true, false]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "record at index 1 has the wait NaN: a wait is a finite number of seconds, 0 or more"
        );
        assert_eq!(state, ContactCentreState::new());
        assert_eq!(state.finish().unwrap_err().kind(), "missing_input");
        state.add(&[3.0, 1.0, 2.0, 2.0, 9.5], &[true, false, false, true, true]).unwrap();
        corrupted_bytes_are_refused(&state);
        let durations = DurationState::new().to_bytes();
        let err = ContactCentreState::from_bytes(&durations).unwrap_err().to_string();
        assert!(err.contains("a state of durations, not of contact_centre"), "{err}");
    }
}

//! Named rates: the shares CX and support teams report under a name (first-contact
//! resolution, renewal rate, referral rate, cart abandonment, post-incident loss), each a
//! proportion `successes / n` with a proportion interval ([`proportion_interval`]), and a
//! result that carries its name, so that a report says what the number is.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::stats::{check_event_counts, proportion_interval, Interval, ProportionMethod};

/// What a named rate counts. Each is `successes / n`, a proportion, with the proportion
/// intervals of [`ProportionMethod`] (Wilson by default: Wilson (1927), "Probable inference,
/// the law of succession, and statistical inference", *JASA* 22(158), 209–212; Brown, Cai &
/// DasGupta (2001), *Statistical Science* 16(2), recommend it for every n).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NamedRate {
    /// First-contact resolution: contacts resolved at the first contact ÷ contacts whose
    /// first-contact outcome is known (those with the flag). Contacts without the flag are in
    /// neither count.
    FirstContactResolution,
    /// Renewal rate: customers (or contracts) renewed ÷ those up for renewal in the period.
    Renewal,
    /// Referral rate: customers who referred at least one new customer ÷ the customers who
    /// could (the customers of the period). The share of new customers who came by referral
    /// is another rate: give its own counts.
    Referral,
    /// Cart abandonment: carts abandoned ÷ carts created (shopping carts with an item added),
    /// that is 1 − completed orders ÷ carts created.
    CartAbandonment,
    /// Post-incident loss: customers lost after an incident ÷ customers the incident affected.
    PostIncidentLoss,
}

crate::options::named_options!(NamedRate, "named rate", [
    FirstContactResolution => "first_contact_resolution" = 0,
    Renewal => "renewal" = 1,
    Referral => "referral" = 2,
    CartAbandonment => "cart_abandonment" = 3,
    PostIncidentLoss => "post_incident_loss" = 4,
]);

impl NamedRate {
    /// What the rate divides, in words: `(successes, n)`.
    ///
    /// ```
    /// use cxm_core::NamedRate;
    /// assert_eq!(NamedRate::Renewal.counts(), ("renewed", "up for renewal"));
    /// ```
    #[must_use]
    pub fn counts(self) -> (&'static str, &'static str) {
        match self {
            NamedRate::FirstContactResolution => {
                ("resolved at the first contact", "contacts with a known first-contact outcome")
            }
            NamedRate::Renewal => ("renewed", "up for renewal"),
            NamedRate::Referral => ("customers who referred", "customers"),
            NamedRate::CartAbandonment => ("carts abandoned", "carts created"),
            NamedRate::PostIncidentLoss => {
                ("customers lost after the incident", "customers affected")
            }
        }
    }
}

/// A named rate with its interval.
///
/// Fields may be added before version 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateEstimate {
    /// Which rate this is.
    pub name: NamedRate,
    /// The numerator (see [`NamedRate::counts`]).
    pub successes: i64,
    /// The denominator.
    pub n: i64,
    /// `successes / n`, a fraction.
    pub estimate: f64,
    /// Its interval, by `method` at `level`.
    pub interval: Interval,
    /// Confidence level of the interval.
    pub level: f64,
    /// The proportion interval method.
    pub method: ProportionMethod,
}

/// The named rate `successes / n` with its proportion interval: [`proportion_interval`] at
/// `level` by `method`, and the rate's name.
///
/// # Errors
/// [`Error::InvalidEventCount`] naming `successes` or `n` when `n < 1`, `n > 2^53` or
/// `successes` is outside `0..=n`; [`Error::InvalidLevel`].
///
/// # Examples
/// ```
/// use cxm_core::{named_rate, NamedRate, ProportionMethod};
/// let fcr = named_rate(NamedRate::FirstContactResolution, 412, 530, 0.95, ProportionMethod::Wilson)?;
/// assert_eq!(fcr.name.name(), "first_contact_resolution");
/// assert_eq!(fcr.estimate, 412.0 / 530.0);
/// assert!(fcr.interval.contains(fcr.estimate));
/// let err = named_rate(NamedRate::Renewal, 11, 10, 0.95, ProportionMethod::Wilson).unwrap_err();
/// assert_eq!(err.to_string(), "successes is 11: it must be between 0 and n (10)");
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn named_rate(
    name: NamedRate,
    successes: i64,
    n: i64,
    level: f64,
    method: ProportionMethod,
) -> Result<RateEstimate, Error> {
    check_event_counts(successes, n, "successes", "n")?;
    // Exact: both are at most 2^53.
    let (x, total) = (successes as f64, n as f64);
    let interval = proportion_interval(x, total, level, method)?;
    Ok(RateEstimate { name, successes, n, estimate: x / total, interval, level, method })
}

impl RateEstimate {
    /// Refuses a rebuilt rate (from a pickle) whose estimate or interval is not the one its
    /// counts, level and method give.
    ///
    /// # Errors
    /// The error of its counts or level, or [`Error::InvalidEstimate`].
    pub fn check(&self) -> Result<(), Error> {
        if named_rate(self.name, self.successes, self.n, self.level, self.method)? == *self {
            Ok(())
        } else {
            Err(Error::InvalidEstimate {
                reason: "a rate's estimate and interval must be the ones its counts give"
                    .to_owned(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_is_the_proportions() {
        for name in NamedRate::ALL.iter().map(|&(kind, _, _)| kind) {
            let r = named_rate(name, 3, 10, 0.9, ProportionMethod::Jeffreys).unwrap();
            let ci = proportion_interval(3.0, 10.0, 0.9, ProportionMethod::Jeffreys).unwrap();
            assert_eq!((r.name, r.interval, r.estimate), (name, ci, 0.3));
            assert!(r.check().is_ok());
            assert!(RateEstimate { estimate: 0.4, ..r }.check().is_err());
        }
    }

    #[test]
    fn bad_counts_name_the_count() {
        let err =
            named_rate(NamedRate::Referral, 1, 0, 0.95, ProportionMethod::Wilson).unwrap_err();
        assert_eq!(err.to_string(), "n is 0: it must be at least 1");
        let err =
            named_rate(NamedRate::Referral, -2, 5, 0.95, ProportionMethod::Wilson).unwrap_err();
        assert_eq!(err.to_string(), "successes is -2: it must be between 0 and n (5)");
    }
}

//! Churn, retention and growth of a customer base over a period; from customer records over a
//! window, churn by exposure and the revenue view; and net customer value growth (NCVG).
//!
//! Counts of customers are `i64`, so that every surface hands them over unchanged and a
//! negative count is refused with its name rather than lost in a conversion.

mod lift;
mod ncvg;
mod records;

use serde::{Deserialize, Serialize};

pub use lift::{churn_lift, ChurnLift, GroupChurn};
pub use ncvg::{ncvg, Ncvg};
pub use records::{customer_flow, CustomerFlow, CustomerRecords, OPEN_END, SECONDS_PER_MONTH};

use crate::error::Error;
use crate::stats::{proportion_interval, rate_interval, Interval, ProportionMethod, RateMethod};

/// What churn is divided by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChurnBasis {
    /// Lost ÷ customers at the start (the default): the share of the starting customers lost,
    /// a proportion with the proportion intervals ([`ProportionMethod`]).
    #[default]
    Start,
    /// Lost ÷ the average of the customers at start and end, `(start + end) / 2`: a rate per
    /// average customer that can exceed 1 when the base grows, with Poisson-rate intervals
    /// ([`RateMethod`]) on that exposure.
    Average,
}

crate::options::named_options!(ChurnBasis, "churn basis", [
    Start => "start" = 0,
    Average => "average" = 1,
]);

/// The interval method of a churn rate: a proportion method for [`ChurnBasis::Start`], a
/// Poisson-rate method for [`ChurnBasis::Average`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChurnMethod {
    /// For churn on the start basis.
    Proportion(ProportionMethod),
    /// For churn on the average basis.
    Rate(RateMethod),
}

impl ChurnMethod {
    /// The method's name in its family (`"wilson"`, `"exact"`, …).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ChurnMethod::Proportion(m) => m.name(),
            ChurnMethod::Rate(m) => m.name(),
        }
    }
}

impl ChurnBasis {
    /// The basis's default interval method, the core's default of its family: Wilson for a
    /// proportion, exact (Garwood) for a rate.
    #[must_use]
    pub fn default_method(self) -> ChurnMethod {
        match self {
            ChurnBasis::Start => ChurnMethod::Proportion(ProportionMethod::default()),
            ChurnBasis::Average => ChurnMethod::Rate(RateMethod::default()),
        }
    }

    /// The method called `name` in the basis's family (`"wilson"`, …, or `"exact"`, …).
    ///
    /// # Errors
    /// [`Error::UnsupportedMethod`] for a method of the other basis's family, naming this
    /// basis's methods; [`Error::UnknownName`] listing the family's names for any other name.
    ///
    /// ```
    /// use cxm_core::ChurnBasis;
    /// let err = ChurnBasis::Average.method("wilson").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "the method wilson is not available for churn on the average basis \
    ///      (its methods: exact, jeffreys, score, wald, wald_ccv, sqrt_anscombe)"
    /// );
    /// ```
    pub fn method(self, name: &str) -> Result<ChurnMethod, Error> {
        let parsed = match self {
            ChurnBasis::Start => name.parse().map(ChurnMethod::Proportion),
            ChurnBasis::Average => name.parse().map(ChurnMethod::Rate),
        };
        let other_family = match self {
            ChurnBasis::Start => name.parse::<RateMethod>().is_ok(),
            ChurnBasis::Average => name.parse::<ProportionMethod>().is_ok(),
        };
        match parsed {
            Err(_) if other_family => Err(unsupported(name, self)),
            parsed => parsed,
        }
    }

    /// The method whose C code is `code` in the basis's family, if any.
    #[must_use]
    pub fn method_from_code(self, code: u32) -> Option<ChurnMethod> {
        match self {
            ChurnBasis::Start => ProportionMethod::from_code(code).map(ChurnMethod::Proportion),
            ChurnBasis::Average => RateMethod::from_code(code).map(ChurnMethod::Rate),
        }
    }
}

/// Churn over a period from its counts, with retention and growth.
///
/// Fields may be added before version 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Churn {
    /// Customers lost during the period (of those there at its start).
    pub lost: i64,
    /// Customers at the start of the period.
    pub customers_at_start: i64,
    /// Customers at its end, if given.
    pub customers_at_end: Option<i64>,
    /// What `rate` is divided by.
    pub basis: ChurnBasis,
    /// `lost / customers_at_start` (start basis) or `lost / ((start + end) / 2)` (average).
    pub rate: f64,
    /// `(customers_at_start − lost) / customers_at_start`: the share of the starting customers
    /// still customers at the end, on either basis.
    pub retention: f64,
    /// `(customers_at_end − customers_at_start) / customers_at_start`, if the end is given.
    pub growth: Option<f64>,
}

/// Churn of `lost` of `customers_at_start` customers, on `basis`.
///
/// Sources: churn on the customers at the start, and on the average of start and end, as CX
/// teams define it (customers who did not continue ÷ the average number of customers in the
/// period); Carl Gold, *Fighting Churn with Data* (Manning, 2020), ch. 2.
///
/// # Errors
/// [`Error::InvalidCustomerCount`] when `customers_at_start < 1`, `lost` is negative or more
/// than `customers_at_start`, or `customers_at_end` is negative; [`Error::MissingInput`] for the
/// average basis without `customers_at_end`.
///
/// # Examples
/// ```
/// use cxm_core::{churn, ChurnBasis, ProportionMethod, ChurnMethod};
/// let c = churn(50, 1000, Some(1100), ChurnBasis::Start)?;
/// assert_eq!((c.rate, c.retention, c.growth), (0.05, 0.95, Some(0.1)));
/// let a = churn(50, 1000, Some(1100), ChurnBasis::Average)?;
/// assert_eq!(a.rate, 50.0 / 1050.0);
/// // statsmodels: proportion_confint(50, 1000, method="wilson")
/// //   = (0.03813026239274881, 0.06531382024425081)
/// let ci = c.interval(0.95, ChurnBasis::Start.default_method())?;
/// assert!((ci.lower - 0.038_130_262_392_748_81).abs() < 1e-15);
/// assert!(churn(11, 10, None, ChurnBasis::Start).is_err());
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn churn(
    lost: i64,
    customers_at_start: i64,
    customers_at_end: Option<i64>,
    basis: ChurnBasis,
) -> Result<Churn, Error> {
    let invalid = |quantity: &str, value: i64, requirement: String| {
        Err(Error::InvalidCustomerCount { quantity: quantity.to_owned(), value, requirement })
    };
    if customers_at_start < 1 {
        return invalid("customers_at_start", customers_at_start, "at least 1".to_owned());
    }
    if !(0..=customers_at_start).contains(&lost) {
        let requirement = format!("between 0 and customers_at_start ({customers_at_start})");
        return invalid("lost", lost, requirement);
    }
    if let Some(end) = customers_at_end.filter(|&end| end < 0) {
        return invalid("customers_at_end", end, "at least 0".to_owned());
    }
    let start = customers_at_start as f64;
    let rate = match (basis, customers_at_end) {
        (ChurnBasis::Start, _) => lost as f64 / start,
        (ChurnBasis::Average, Some(end)) => lost as f64 / average(customers_at_start, end),
        (ChurnBasis::Average, None) => {
            return Err(Error::MissingInput {
                what: "customers_at_end".to_owned(),
                needed_for: "churn on the average basis".to_owned(),
            })
        }
    };
    Ok(Churn {
        lost,
        customers_at_start,
        customers_at_end,
        basis,
        rate,
        retention: (customers_at_start - lost) as f64 / start,
        growth: customers_at_end
            .map(|end| (i128::from(end) - i128::from(customers_at_start)) as f64 / start),
    })
}

impl Churn {
    /// What `rate` divides `lost` by: the customers at start, or the average customers.
    #[must_use]
    pub fn exposure(&self) -> f64 {
        match (self.basis, self.customers_at_end) {
            (ChurnBasis::Average, Some(end)) => average(self.customers_at_start, end),
            _ => self.customers_at_start as f64,
        }
    }

    /// Recomputes the result from its counts and refuses one whose fields disagree, as a
    /// hand-built or unpickled result may.
    ///
    /// # Errors
    /// The errors of [`churn`] for its counts, and [`Error::InvalidEstimate`] when the rates
    /// are not the ones the counts give.
    pub fn check(&self) -> Result<(), Error> {
        let fresh = churn(self.lost, self.customers_at_start, self.customers_at_end, self.basis)?;
        if fresh == *self {
            Ok(())
        } else {
            Err(Error::InvalidEstimate {
                reason: "rate, retention and growth must be the ones the counts give".to_owned(),
            })
        }
    }

    /// A two-sided confidence interval for `rate`: the proportion interval of `lost` of
    /// `customers_at_start` on the start basis, the Poisson-rate interval of `lost` over the
    /// average customers on the average basis.
    ///
    /// # Errors
    /// [`Error::UnsupportedMethod`] for a method of the other basis's family;
    /// [`Error::InvalidCustomerCount`] for counts above 2^53; the errors of
    /// [`proportion_interval`] and [`rate_interval`]; those of [`Churn::check`].
    pub fn interval(&self, level: f64, method: ChurnMethod) -> Result<Interval, Error> {
        self.check()?;
        // The intervals take counts as doubles: checked as integers first, so that 2^53 + 1
        // is refused rather than rounded to 2^53 and accepted.
        for (quantity, value) in
            [("customers_at_start", self.customers_at_start), ("lost", self.lost)]
        {
            if value > 1 << 53 {
                return Err(Error::InvalidCustomerCount {
                    quantity: quantity.to_owned(),
                    value,
                    requirement: "at most 2^53 = 9007199254740992 for an interval, where every \
                                  count is exact"
                        .to_owned(),
                });
            }
        }
        let lost = self.lost as f64;
        match (self.basis, method) {
            (ChurnBasis::Start, ChurnMethod::Proportion(m)) => {
                proportion_interval(lost, self.customers_at_start as f64, level, m)
            }
            (ChurnBasis::Average, ChurnMethod::Rate(m)) => {
                rate_interval(lost, self.exposure(), level, m)
            }
            (basis, ChurnMethod::Proportion(m)) => Err(unsupported(m.name(), basis)),
            (basis, ChurnMethod::Rate(m)) => Err(unsupported(m.name(), basis)),
        }
    }
}

/// `(start + end) / 2`, summed in i128 so that it cannot overflow.
fn average(start: i64, end: i64) -> f64 {
    (i128::from(start) + i128::from(end)) as f64 / 2.0
}

fn unsupported(method: &str, basis: ChurnBasis) -> Error {
    let names: Vec<&str> = match basis {
        ChurnBasis::Start => ProportionMethod::ALL.iter().map(|m| m.1).collect(),
        ChurnBasis::Average => RateMethod::ALL.iter().map(|m| m.1).collect(),
    };
    Error::UnsupportedMethod {
        method: method.to_owned(),
        purpose: format!("churn on the {} basis (its methods: {})", basis.name(), names.join(", ")),
    }
}

/// The annual churn implied by a monthly churn `m` when each month loses the same share:
/// `1 − (1 − m)¹²` (Gold, *Fighting Churn with Data*, §2.2), computed as
/// `−expm1(12 ln1p(−m))` so small rates keep their digits.
///
/// # Errors
/// [`Error::OutsideSupportedRange`] for `m` outside `[0, 1]` or NaN.
///
/// ```
/// let annual = cxm_core::annual_from_monthly(0.02)?;
/// assert!((annual - (1.0 - 0.98_f64.powi(12))).abs() < 1e-15);
/// assert_eq!(cxm_core::monthly_from_annual(annual)?, 0.02);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn annual_from_monthly(m: f64) -> Result<f64, Error> {
    check_share("monthly churn", m)?;
    Ok(-(12.0 * (-m).ln_1p()).exp_m1())
}

/// The monthly churn `1 − (1 − a)^(1/12)` that compounds to the annual churn `a`: the inverse
/// of [`annual_from_monthly`].
///
/// # Errors
/// [`Error::OutsideSupportedRange`] for `a` outside `[0, 1]` or NaN.
pub fn monthly_from_annual(a: f64) -> Result<f64, Error> {
    check_share("annual churn", a)?;
    Ok(-((-a).ln_1p() / 12.0).exp_m1())
}

fn check_share(quantity: &str, value: f64) -> Result<(), Error> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(Error::OutsideSupportedRange {
            quantity: quantity.to_owned(),
            value,
            supported: "a share of customers from 0 to 1".to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_counts_name_themselves() {
        let cases = [
            (
                churn(1, 0, None, ChurnBasis::Start),
                "customers_at_start is 0: it must be at least 1",
            ),
            (
                churn(12, 10, None, ChurnBasis::Start),
                "lost is 12: it must be between 0 and customers_at_start (10)",
            ),
            (
                churn(-1, 10, None, ChurnBasis::Start),
                "lost is -1: it must be between 0 and customers_at_start (10)",
            ),
            (
                churn(1, 10, Some(-3), ChurnBasis::Start),
                "customers_at_end is -3: it must be at least 0",
            ),
            (
                churn(1, 10, None, ChurnBasis::Average),
                "customers_at_end is needed for churn on the average basis",
            ),
        ];
        for (result, message) in cases {
            assert_eq!(result.unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn extreme_counts_do_not_overflow() {
        let c = churn(i64::MAX, i64::MAX, Some(i64::MAX), ChurnBasis::Average).unwrap();
        assert_eq!((c.rate, c.retention, c.growth), (1.0, 0.0, Some(0.0)));
        assert_eq!(c.exposure(), i64::MAX as f64);
    }

    #[test]
    fn counts_past_two_to_the_53_are_refused_not_rounded() {
        // Issue 15, item 8: 2^53 + 1 customers were rounded to 2^53, which the proportion
        // interval then accepted.
        let c = churn(1, (1 << 53) + 1, None, ChurnBasis::Start).unwrap();
        let err = c.interval(0.95, ChurnBasis::Start.default_method()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "customers_at_start is 9007199254740993: it must be at most 2^53 = 9007199254740992 \
             for an interval, where every count is exact"
        );
        let c = churn(1, 1 << 53, None, ChurnBasis::Start).unwrap();
        assert!(c.interval(0.95, ChurnBasis::Start.default_method()).is_ok());
    }

    #[test]
    fn methods_of_the_other_basis_are_refused() {
        let c = churn(5, 100, Some(90), ChurnBasis::Average).unwrap();
        let err = c.interval(0.95, ChurnMethod::Proportion(ProportionMethod::Wilson)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the method wilson is not available for churn on the average basis (its methods: \
             exact, jeffreys, score, wald, wald_ccv, sqrt_anscombe)"
        );
        // By name, too: "not for this basis", not "unknown" (issue 15, item 10).
        assert_eq!(ChurnBasis::Start.method("exact").unwrap_err().kind(), "unsupported_method");
        assert_eq!(ChurnBasis::Average.method("wilson").unwrap_err().kind(), "unsupported_method");
        assert_eq!(ChurnBasis::Average.method("wilsn").unwrap_err().kind(), "unknown_name");
        assert_eq!(
            ChurnBasis::Average.method("exact").unwrap(),
            ChurnMethod::Rate(RateMethod::Exact)
        );
    }

    #[test]
    fn a_tampered_result_is_refused() {
        let mut c = churn(5, 100, None, ChurnBasis::Start).unwrap();
        c.rate = 0.5;
        assert_eq!(c.check().unwrap_err().kind(), "invalid_estimate");
    }

    #[test]
    fn annual_and_monthly_are_inverse() {
        for m in [0.0, 1e-12, 0.01, 0.3, 1.0] {
            let a = annual_from_monthly(m).unwrap();
            assert!((monthly_from_annual(a).unwrap() - m).abs() <= 1e-15 * m.max(1e-300));
        }
        assert!(annual_from_monthly(1.5).is_err());
        assert!(monthly_from_annual(f64::NAN).is_err());
    }
}

//! Lift between two groups: how much more often an event happens in group a than in group b
//! (churn among customers whose issue was not solved at the first contact against those whose
//! was), as the relative risk, the risk difference and the odds ratio, each with its interval,
//! and a p-value of "no lift". Every definition is statsmodels' (0.15), so that results can be
//! checked against it; where statsmodels documents one thing and does another, cxm follows the
//! documentation and says so.

use serde::{Deserialize, Serialize};

use super::{check_event_counts, compare_proportions};
use crate::error::Error;
use crate::stats::normal::{two_sided_critical, two_sided_p_value, z_statistic};
use crate::stats::Interval;

/// The methods behind a [`Lift`]'s intervals and test. Each result names the one it used for
/// each figure, so that a report can say how it was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LiftMethod {
    /// The log (Katz) interval of the relative risk `RR = (a/n_a)/(b/n_b)`:
    /// `exp(ln RR ± z·√(1/a − 1/n_a + 1/b − 1/n_b))`. Katz, Baptista, Azen & Pike (1978),
    /// "Obtaining confidence intervals for the risk ratio in cohort studies", *Biometrics*
    /// 34(3), 469–474; Agresti, *Categorical Data Analysis* (3rd ed., 2013), §3.1.
    /// statsmodels: `confint_proportions_2indep(compare="ratio", method="log")`.
    KatzLog,
    /// The Wald z test of `ln RR = 0` with ½ added to each count and each group size,
    /// `z = ln(((a+½)/(n_a+½)) / ((b+½)/(n_b+½))) / √(1/(a+½) − 1/(n_a+½) + 1/(b+½) − 1/(n_b+½))`:
    /// statsmodels' default test of a ratio, `test_proportions_2indep(compare="ratio")`, whose
    /// `method=None` is `"log-adjusted"` (statsmodels 0.15, `stats/proportion.py`). It is not
    /// the test the Katz interval inverts (that one adds nothing), so near the 5% boundary the
    /// interval may exclude 1 while p is just above 0.05, or the reverse.
    LogAdjusted,
    /// Newcombe's hybrid score interval of the risk difference `a/n_a − b/n_b`, from the two
    /// Wilson intervals: Newcombe (1998), "Interval estimation for the difference between
    /// independent proportions: comparison of eleven methods", *Statistics in Medicine* 17,
    /// 873–890, method 10. statsmodels' default for a difference,
    /// `confint_proportions_2indep(compare="diff")` (`"newcomb"`).
    Newcombe,
    /// Woolf's logit interval of the odds ratio `OR = a·d / (b·c)` of the 2×2 table
    /// (events and non-events of a, then of b): `exp(ln OR ± z·√(1/a + 1/b + 1/c + 1/d))`.
    /// Woolf (1955), "On estimating the relation between blood group and disease", *Annals of
    /// Human Genetics* 19(4), 251–253; Agresti (2013), §3.1. statsmodels:
    /// `Table2x2(table).oddsratio_confint()`.
    Woolf,
}

crate::options::named_options!(LiftMethod, "lift method", [
    KatzLog => "katz_log" = 0,
    LogAdjusted => "log_adjusted" = 1,
    Newcombe => "newcombe" = 2,
    Woolf => "woolf" = 3,
]);

/// Lift of group a over group b: `events_a` of `n_a` against `events_b` of `n_b`.
///
/// **Zero cells.** When a cell of the 2×2 table is zero (no events, or only events, in a
/// group), the relative risk or the odds ratio is 0 or infinite and its log interval is
/// undefined. cxm then adds ½ to each of the four cells for the ratio and the odds ratio (and
/// their intervals), as statsmodels documents for `Table2x2(table, shift_zeros=True)`, its
/// default ("0.5 is added to all cells of the table if any cell is equal to zero"), and as
/// Haldane (1956), "The estimation and significance of the logarithm of a ratio of
/// frequencies", *Annals of Human Genetics* 20(4), 309–311, proposed; `zero_cell_correction`
/// says so. (statsmodels 0.15's code does otherwise: it replaces only the zero cells by ½.)
/// The risk difference and its interval need no correction and never get one; the test adds
/// its ½ always. Every number of a `Lift` is finite.
///
/// Fields may be added before version 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Lift {
    /// Events in group a.
    pub events_a: i64,
    /// Size of group a.
    pub n_a: i64,
    /// Events in group b.
    pub events_b: i64,
    /// Size of group b.
    pub n_b: i64,
    /// Confidence level of the three intervals.
    pub level: f64,
    /// The relative risk (rate ratio) `(events_a/n_a) / (events_b/n_b)`, on the corrected
    /// table when `zero_cell_correction` is set.
    pub ratio: f64,
    /// Its interval, by `ratio_method`.
    pub interval: Interval,
    /// How `interval` was computed: [`LiftMethod::KatzLog`].
    pub ratio_method: LiftMethod,
    /// The z statistic of the test of "no lift" (a ratio of 1), by `test_method`.
    pub statistic: f64,
    /// Its two-sided p-value.
    pub p_value: f64,
    /// How the test was made: [`LiftMethod::LogAdjusted`], statsmodels' default.
    pub test_method: LiftMethod,
    /// The risk difference `events_a/n_a − events_b/n_b`, as a fraction.
    pub difference: f64,
    /// Its interval, by `difference_method`.
    pub difference_interval: Interval,
    /// How `difference_interval` was computed: [`LiftMethod::Newcombe`].
    pub difference_method: LiftMethod,
    /// The odds ratio `events_a·(n_b − events_b) / ((n_a − events_a)·events_b)`, on the
    /// corrected table when `zero_cell_correction` is set.
    pub odds_ratio: f64,
    /// Its interval, by `odds_ratio_method`.
    pub odds_ratio_interval: Interval,
    /// How `odds_ratio_interval` was computed: [`LiftMethod::Woolf`].
    pub odds_ratio_method: LiftMethod,
    /// Whether a cell of the table was zero, so that ½ was added to each cell for the ratio
    /// and the odds ratio.
    pub zero_cell_correction: bool,
}

/// The lift of group a over group b: the relative risk with its log (Katz) interval and
/// statsmodels' default test of it, the risk difference with Newcombe's interval, and the
/// odds ratio with Woolf's interval, at `level`. See [`Lift`] for zero cells.
///
/// Counts are whole numbers with `0 ≤ events ≤ n`, `1 ≤ n ≤ 2^53`.
///
/// # Errors
/// [`Error::InvalidEventCount`] naming the count (`events_a`, `n_b`, …) that is negative,
/// more than its group, a group of 0 or above 2^53; [`Error::InvalidLevel`] for a level
/// outside (0, 1).
///
/// # Examples
/// ```
/// // Churn among customers whose issue was not solved at the first contact (30 of 200)
/// // against those whose was (24 of 400).
/// let l = cxm_core::lift(30, 200, 24, 400, 0.95)?;
/// assert!((l.ratio - 2.5).abs() < 1e-15);
/// // statsmodels: confint_proportions_2indep(30, 200, 24, 400, compare="ratio", method="log")
/// //   = (1.5024200152083094, 4.159955230051593)
/// assert!((l.interval.lower - 1.502_420_015_208_309_4).abs() < 1e-14);
/// assert!((l.interval.upper - 4.159_955_230_051_593).abs() < 1e-14);
/// assert!(l.p_value < 0.001 && !l.zero_cell_correction);
/// let err = cxm_core::lift(11, 10, 3, 20, 0.95).unwrap_err();
/// assert_eq!(err.to_string(), "events_a is 11: it must be between 0 and n_a (10)");
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn lift(events_a: i64, n_a: i64, events_b: i64, n_b: i64, level: f64) -> Result<Lift, Error> {
    check_event_counts(events_a, n_a, "events_a", "n_a")?;
    check_event_counts(events_b, n_b, "events_b", "n_b")?;
    let z = two_sided_critical(level)?;
    // Exact: the counts are at most 2^53.
    let (x1, n1, x2, n2) = (events_a as f64, n_a as f64, events_b as f64, n_b as f64);
    let zero_cell_correction = events_a == 0 || events_a == n_a || events_b == 0 || events_b == n_b;
    let shift = if zero_cell_correction { 0.5 } else { 0.0 };
    // The 2×2 table: events and non-events of a (a, b), of b (c, d).
    let (a, b, c, d) = (x1 + shift, (n1 - x1) + shift, x2 + shift, (n2 - x2) + shift);
    let (row_a, row_b) = (n1 + 2.0 * shift, n2 + 2.0 * shift);

    // Relative risk, Katz: Var(ln RR) = 1/a − 1/n_a + 1/c − 1/n_b, written (n − x)/(x·n) so
    // that it keeps its digits where x is close to n.
    let ratio = (a / row_a) / (c / row_b);
    let ratio_se = (b / (a * row_a) + d / (c * row_b)).sqrt();
    let interval = log_interval(ratio, ratio_se, z);

    // statsmodels' default test of a ratio ("log-adjusted"): ½ added to counts and sizes.
    // Near 1, ln of the adjusted ratio r = (x₁+½)(n₂+½) / ((n₁+½)(x₂+½)) is taken as
    // ln(1 + (r − 1)) with r − 1 from the exact integer difference of the doubled products
    // (each below 2^108), so that a ratio within 1e-15 of 1 keeps its digits (statsmodels' own
    // doubles lose most of them there: z = 1.2603 for 1.2649 at 10^15 − 3 and 10^15 − 7 of
    // 10^15).
    let doubled = |count: i64| i128::from(2 * count + 1);
    let (numerator, denominator) =
        (doubled(events_a) * doubled(n_b), doubled(n_a) * doubled(events_b));
    let adjusted_ratio = numerator as f64 / denominator as f64;
    let log_ratio = if (0.5..=2.0).contains(&adjusted_ratio) {
        ((numerator - denominator) as f64 / denominator as f64).ln_1p()
    } else {
        adjusted_ratio.ln()
    };
    let (xa, na, xb, nb) = (x1 + 0.5, n1 + 0.5, x2 + 0.5, n2 + 0.5);
    let test_se = ((n1 - x1) / (xa * na) + (n2 - x2) / (xb * nb)).sqrt();
    // Both groups all events: no evidence of a difference, z = 0 (statsmodels gives 0/0).
    let statistic = z_statistic(log_ratio, test_se);

    let difference = compare_proportions(x1, n1, x2, n2, level)?;

    // Odds ratio, Woolf.
    let odds_ratio = (a * d) / (b * c);
    let odds_ratio_se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    let odds_ratio_interval = log_interval(odds_ratio, odds_ratio_se, z);

    Ok(Lift {
        events_a,
        n_a,
        events_b,
        n_b,
        level,
        ratio,
        interval,
        ratio_method: LiftMethod::KatzLog,
        statistic,
        p_value: two_sided_p_value(statistic),
        test_method: LiftMethod::LogAdjusted,
        difference: difference.estimate,
        difference_interval: difference.interval,
        difference_method: LiftMethod::Newcombe,
        odds_ratio,
        odds_ratio_interval,
        odds_ratio_method: LiftMethod::Woolf,
        zero_cell_correction,
    })
}

/// `exp(ln estimate ± z·se)`: the interval of a ratio from the normal interval of its log.
fn log_interval(estimate: f64, se: f64, z: f64) -> Interval {
    let centre = estimate.ln();
    Interval::new((centre - z * se).exp(), (centre + z * se).exp())
}

impl Lift {
    /// Refuses a rebuilt lift (from a pickle) whose fields are not the ones its counts and
    /// level give.
    ///
    /// ```
    /// let l = cxm_core::lift(30, 200, 24, 400, 0.95)?;
    /// assert!(l.check().is_ok());
    /// assert!(cxm_core::Lift { p_value: 0.5, ..l }.check().is_err());
    /// # Ok::<(), cxm_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// The error of its counts or level, or [`Error::InvalidEstimate`].
    pub fn check(&self) -> Result<(), Error> {
        if lift(self.events_a, self.n_a, self.events_b, self.n_b, self.level)? == *self {
            Ok(())
        } else {
            Err(Error::InvalidEstimate {
                reason: "a lift's figures must be the ones its counts and level give".to_owned(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_groups_have_no_lift() {
        let l = lift(17, 80, 17, 80, 0.95).unwrap();
        assert_eq!((l.ratio, l.odds_ratio, l.difference), (1.0, 1.0, 0.0));
        assert_eq!((l.statistic, l.p_value), (0.0, 1.0));
        assert!(l.interval.contains(1.0) && l.odds_ratio_interval.contains(1.0));
    }

    #[test]
    fn zero_cells_are_corrected_and_finite() {
        for (a, na, b, nb) in [(0, 10, 5, 10), (5, 10, 0, 10), (0, 10, 0, 12), (10, 10, 10, 10)] {
            let l = lift(a, na, b, nb, 0.95).unwrap();
            assert!(l.zero_cell_correction, "{a}/{na} vs {b}/{nb}");
            for v in [l.ratio, l.interval.lower, l.interval.upper, l.odds_ratio, l.p_value] {
                assert!(v.is_finite() && v > 0.0, "{a}/{na} vs {b}/{nb}: {l:?}");
            }
        }
        // Both all events: the test has nothing to go on, and the corrected ratio is
        // (10.5/11)/(7.5/8), not 1 (Haldane's correction moves it, as it moves the odds ratio).
        let l = lift(10, 10, 7, 7, 0.95).unwrap();
        assert_eq!((l.statistic, l.p_value), (0.0, 1.0));
        assert_eq!(l.ratio, (10.5 / 11.0) / (7.5 / 8.0));
    }

    #[test]
    fn bad_counts_name_the_count() {
        for ((a, na, b, nb), message) in [
            ((-1, 10, 3, 10), "events_a is -1: it must be between 0 and n_a (10)"),
            ((3, 10, 11, 10), "events_b is 11: it must be between 0 and n_b (10)"),
            ((0, 0, 3, 10), "n_a is 0: it must be at least 1"),
            ((3, 10, 0, -5), "n_b is -5: it must be at least 1"),
            (
                (1, (1 << 53) + 1, 3, 10),
                "n_a is 9007199254740993: it must be at most 2^53 = 9007199254740992",
            ),
        ] {
            let err = lift(a, na, b, nb, 0.95).unwrap_err();
            assert_eq!(err.kind(), "invalid_event_count");
            assert!(err.to_string().starts_with(message), "{err}");
        }
        assert_eq!(lift(1, 2, 1, 2, 1.0).unwrap_err().kind(), "invalid_level");
    }
}

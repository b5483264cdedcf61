//! The flow of customers over a window, from customer (subscription) records: who was there at
//! its start and end, who was gained and lost, the customer-months at risk, and the revenue
//! view.

use serde::{Deserialize, Serialize};

use super::{churn, ncvg, Churn, ChurnBasis, Ncvg};
use crate::error::Error;
use crate::stats::{rate_interval, Interval, RateMethod};
use crate::time::Timestamp;

/// An end time meaning "still active": `i64::MIN`, which is also how numpy stores `NaT`.
pub const OPEN_END: i64 = i64::MIN;

/// Seconds in the month that exposure is counted in: 365.25 / 12 days (Julian year), so that
/// twelve such months are a year whatever the calendar.
pub const SECONDS_PER_MONTH: f64 = 365.25 / 12.0 * 86_400.0;

/// Customer records as columns, one row per record (a subscription, a contract). Times are
/// seconds since the Unix epoch. A record is active from its start (included) to its end
/// (excluded); [`OPEN_END`] or no `ends` column means it has not ended.
///
/// With `customers`, records of the same id are one customer: active while any of them is, worth
/// the sum of the values of those active. Without it, each record is its own customer.
#[derive(Debug, Clone, Copy, Default)]
pub struct CustomerRecords<'a> {
    /// When each record starts.
    pub starts: &'a [i64],
    /// When each ends, or [`OPEN_END`].
    pub ends: Option<&'a [i64]>,
    /// Each record's recurring value (e.g. monthly revenue) in integer minor units (cents).
    pub values: Option<&'a [i64]>,
    /// Each record's customer id.
    pub customers: Option<&'a [i64]>,
}

/// What happened to the customers over a window `[window_start, window_end)`.
///
/// A customer is *at the start* when active at `window_start`, *at the end* when active at
/// `window_end`; *lost* when at the start and not at the end; *gained* when at the end and not
/// at the start. As in Gold's *Fighting Churn with Data* (ch. 2), a customer who joins and
/// leaves inside the window is neither gained nor lost, so
/// `customers_at_end = customers_at_start − lost + gained`.
///
/// Values (present when the records have them) are sums of the values of the active records, in
/// minor units; the revenue ratios are NaN without values or when the start value is 0.
/// Fields may be added before version 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerFlow {
    /// Window start, seconds since the Unix epoch.
    pub window_start: i64,
    /// Window end (excluded), seconds since the Unix epoch.
    pub window_end: i64,
    /// Customers active at the window start.
    pub customers_at_start: i64,
    /// Customers active at the window end.
    pub customers_at_end: i64,
    /// Customers at the end who were not at the start.
    pub gained: i64,
    /// Customers at the start who are not at the end.
    pub lost: i64,
    /// Customer-months at risk: the time the customers at the start spent active inside the
    /// window, in months of [`SECONDS_PER_MONTH`].
    pub exposure_months: f64,
    /// `lost / exposure_months`: customers lost per customer-month at risk.
    pub churn_by_exposure: f64,
    /// Whether the records carried values.
    pub has_values: bool,
    /// Value of the customers at the start, at the start.
    pub value_at_start: i64,
    /// Value of the customers at the end, at the end.
    pub value_at_end: i64,
    /// Value at the end of the customers gained.
    pub new_value: i64,
    /// Value at the start of the customers lost.
    pub lost_value: i64,
    /// Sum of the value increases of the customers there at both ends.
    pub expansion: i64,
    /// Sum of the value decreases of the customers there at both ends.
    pub contraction: i64,
    /// `(lost_value + contraction) / value_at_start` (Gold's MRR churn).
    pub gross_revenue_churn: f64,
    /// `(value_at_start − lost_value − contraction) / value_at_start`.
    pub gross_revenue_retention: f64,
    /// `(value_at_start − lost_value − contraction + expansion) / value_at_start`: the end
    /// value of the customers there at both ends over the start value.
    pub net_revenue_retention: f64,
}

/// The [`CustomerFlow`] of `records` over the window `[window_start, window_end)`, in
/// `O(n log n)` for `n` records with customer ids (they are sorted) and `O(n)` without.
///
/// # Errors
/// [`Error::InvalidWindow`] unless `window_start < window_end`;
/// [`Error::ColumnLengthMismatch`] for columns of different lengths; [`Error::InvalidRecord`]
/// naming the first record that has no start ([`OPEN_END`]), ends before it starts, or has a
/// negative value; [`Error::NoCustomersAtRisk`] when no customer is active at the window start;
/// [`Error::ValueOverflow`] when a sum of values passes `i64`.
///
/// # Examples
/// ```
/// use cxm_core::{customer_flow, ChurnBasis, CustomerRecords, OPEN_END};
/// const DAY: i64 = 86_400;
/// // Three customers at day 0; the second leaves on day 10, a fourth joins on day 20.
/// let starts = [-5 * DAY, -DAY, 0, 20 * DAY];
/// let ends = [OPEN_END, 10 * DAY, OPEN_END, OPEN_END];
/// let values = [1000, 2000, 500, 700];
/// let records = CustomerRecords { starts: &starts, ends: Some(&ends), values: Some(&values), customers: None };
/// let flow = customer_flow(&records, 0, 30 * DAY)?;
/// assert_eq!((flow.customers_at_start, flow.lost, flow.gained, flow.customers_at_end), (3, 1, 1, 3));
/// assert_eq!((flow.lost_value, flow.new_value), (2000, 700));
/// assert_eq!(flow.churn(ChurnBasis::Start)?.rate, 1.0 / 3.0);
/// assert_eq!(flow.ncvg()?.net_value, -1300);
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn customer_flow(
    records: &CustomerRecords<'_>,
    window_start: i64,
    window_end: i64,
) -> Result<CustomerFlow, Error> {
    if window_start >= window_end {
        return Err(Error::InvalidWindow { start: window_start, end: window_end });
    }
    let n = records.starts.len();
    for (column, values) in
        [("ends", records.ends), ("values", records.values), ("customers", records.customers)]
    {
        if let Some(values) = values.filter(|v| v.len() != n) {
            let (column, len) = (column.to_owned(), values.len());
            return Err(Error::ColumnLengthMismatch {
                column,
                len,
                expected: n,
                first: "starts".to_owned(),
            });
        }
    }
    let mut tally = Tally::default();
    for_each_customer(records, |_, group| tally.add(group, window_start, window_end))?;
    tally.finish(window_start, window_end, records.values.is_some())
}

/// Checks every record, then calls `each` once per customer with its id (the record's index
/// without ids) and its records sorted by start.
pub(super) fn for_each_customer(
    records: &CustomerRecords<'_>,
    mut each: impl FnMut(i64, &[Record]) -> Result<(), Error>,
) -> Result<(), Error> {
    let n = records.starts.len();
    let record = |i: usize| Record {
        start: records.starts[i],
        end: records.ends.map_or(OPEN_END, |e| e[i]),
        value: records.values.map_or(0, |v| v[i]),
    };
    for i in 0..n {
        record(i).check(i)?;
    }
    match records.customers {
        None => {
            for i in 0..n {
                each(i64::try_from(i).unwrap_or(i64::MAX), &[record(i)])?;
            }
        }
        Some(ids) => {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_unstable_by_key(|&i| (ids[i], records.starts[i]));
            let mut group = Vec::new();
            for run in order.chunk_by(|&i, &j| ids[i] == ids[j]) {
                group.clear();
                group.extend(run.iter().map(|&i| record(i)));
                each(ids[run[0]], &group)?;
            }
        }
    }
    Ok(())
}

/// One record; an open end is [`OPEN_END`], read as after every time by `end_or_max`.
#[derive(Clone, Copy)]
pub(super) struct Record {
    start: i64,
    end: i64,
    value: i64,
}

impl Record {
    fn check(&self, index: usize) -> Result<(), Error> {
        let reason = if self.start == OPEN_END {
            "has no start time".to_owned()
        } else if self.end != OPEN_END && self.end < self.start {
            format!("ends at {} before it starts at {}", Timestamp(self.end), Timestamp(self.start))
        } else if self.value < 0 {
            format!("has a negative value {}", self.value)
        } else {
            return Ok(());
        };
        Err(Error::InvalidRecord { index, reason })
    }

    fn active_at(&self, t: i64) -> bool {
        self.start <= t && (self.end == OPEN_END || t < self.end)
    }

    /// The end as a time that compares correctly: open is after everything.
    fn end_or_max(&self) -> i64 {
        if self.end == OPEN_END {
            i64::MAX
        } else {
            self.end
        }
    }
}

/// Running sums over customers, with checked arithmetic for values.
#[derive(Default)]
struct Tally {
    at_start: i64,
    at_end: i64,
    gained: i64,
    lost: i64,
    exposure_seconds: i128,
    value_at_start: i64,
    value_at_end: i64,
    new_value: i64,
    lost_value: i64,
    expansion: i64,
    contraction: i64,
}

fn add(total: &mut i64, value: i64, quantity: &str) -> Result<(), Error> {
    *total = total
        .checked_add(value)
        .ok_or_else(|| Error::ValueOverflow { quantity: quantity.to_owned() })?;
    Ok(())
}

/// Whether a customer with `records` is active at the window start `from` and at its end `to`:
/// lost when `(true, false)`, gained when `(false, true)`.
pub(super) fn presence(records: &[Record], from: i64, to: i64) -> (bool, bool) {
    (records.iter().any(|r| r.active_at(from)), records.iter().any(|r| r.active_at(to)))
}

/// The sum of the values of the records active at `t`.
fn value_at(records: &[Record], t: i64) -> Result<i64, Error> {
    let mut total = 0_i64;
    for r in records.iter().filter(|r| r.active_at(t)) {
        add(&mut total, r.value, "the value of one customer")?;
    }
    Ok(total)
}

/// Seconds inside `[from, to)` covered by at least one of `records`, sorted by start.
fn covered_seconds(records: &[Record], from: i64, to: i64) -> i128 {
    let mut total = 0_i128;
    let mut current: Option<(i64, i64)> = None;
    for r in records {
        let (lo, hi) = (r.start.max(from), r.end_or_max().min(to));
        if hi <= lo {
            continue;
        }
        current = match current {
            Some((a, b)) if lo <= b => Some((a, b.max(hi))),
            Some((a, b)) => {
                total += i128::from(b) - i128::from(a);
                Some((lo, hi))
            }
            None => Some((lo, hi)),
        };
    }
    if let Some((a, b)) = current {
        total += i128::from(b) - i128::from(a);
    }
    total
}

impl Tally {
    /// Adds one customer, given by their records sorted by start.
    fn add(&mut self, records: &[Record], from: i64, to: i64) -> Result<(), Error> {
        let (at_start, at_end) = presence(records, from, to);
        let (start_value, end_value) = (value_at(records, from)?, value_at(records, to)?);
        if at_start {
            self.at_start += 1;
            self.exposure_seconds += covered_seconds(records, from, to);
            add(&mut self.value_at_start, start_value, "the value at the window start")?;
        }
        if at_end {
            self.at_end += 1;
            add(&mut self.value_at_end, end_value, "the value at the window end")?;
        }
        match (at_start, at_end) {
            (true, false) => {
                self.lost += 1;
                add(&mut self.lost_value, start_value, "lost_value")?;
            }
            (false, true) => {
                self.gained += 1;
                add(&mut self.new_value, end_value, "new_value")?;
            }
            (true, true) if end_value >= start_value => {
                add(&mut self.expansion, end_value - start_value, "expansion")?;
            }
            (true, true) => add(&mut self.contraction, start_value - end_value, "contraction")?,
            (false, false) => {}
        }
        Ok(())
    }

    fn finish(self, from: i64, to: i64, has_values: bool) -> Result<CustomerFlow, Error> {
        if self.at_start == 0 {
            return Err(Error::NoCustomersAtRisk { start: from });
        }
        let exposure_months = self.exposure_seconds as f64 / SECONDS_PER_MONTH;
        let start = self.value_at_start as f64;
        let ratio = |numerator: i128| {
            if has_values && self.value_at_start > 0 {
                numerator as f64 / start
            } else {
                f64::NAN
            }
        };
        let (lost, contraction, expansion) =
            (i128::from(self.lost_value), i128::from(self.contraction), i128::from(self.expansion));
        let kept = i128::from(self.value_at_start) - lost - contraction;
        Ok(CustomerFlow {
            window_start: from,
            window_end: to,
            customers_at_start: self.at_start,
            customers_at_end: self.at_end,
            gained: self.gained,
            lost: self.lost,
            exposure_months,
            churn_by_exposure: self.lost as f64 / exposure_months,
            has_values,
            value_at_start: self.value_at_start,
            value_at_end: self.value_at_end,
            new_value: self.new_value,
            lost_value: self.lost_value,
            expansion: self.expansion,
            contraction: self.contraction,
            gross_revenue_churn: ratio(lost + contraction),
            gross_revenue_retention: ratio(kept),
            net_revenue_retention: ratio(kept + expansion),
        })
    }
}

impl CustomerFlow {
    /// Churn over the window from its counts, on `basis` (see [`churn`]).
    ///
    /// # Errors
    /// Those of [`CustomerFlow::check`] and of [`churn`], for a hand-built flow.
    pub fn churn(&self, basis: ChurnBasis) -> Result<Churn, Error> {
        self.check()?;
        churn(self.lost, self.customers_at_start, Some(self.customers_at_end), basis)
    }

    /// NCVG over the window: the customers gained and their value at the end, minus those lost
    /// and their value at the start (see [`ncvg`]).
    ///
    /// # Errors
    /// Those of [`CustomerFlow::check`] and of [`ncvg`], for a hand-built flow.
    pub fn ncvg(&self) -> Result<Ncvg, Error> {
        self.check()?;
        ncvg(self.gained, self.new_value, self.lost, self.lost_value)
    }

    /// Refuses a flow whose fields contradict each other, as a hand-built or unpickled one may:
    /// the window, the counts, the exposure and every value and revenue ratio are checked
    /// against what [`customer_flow`] would have computed from them.
    ///
    /// # Errors
    /// [`Error::InvalidWindow`] for a window that does not end after it starts;
    /// [`Error::InvalidEstimate`] saying which fields disagree.
    pub fn check(&self) -> Result<(), Error> {
        if self.window_start >= self.window_end {
            return Err(Error::InvalidWindow { start: self.window_start, end: self.window_end });
        }
        let window_months = (i128::from(self.window_end) - i128::from(self.window_start)) as f64
            / SECONDS_PER_MONTH;
        let reason =
            if self.customers_at_start < 1 || !(0..=self.customers_at_start).contains(&self.lost) {
                "customers_at_start must be at least 1 and lost between 0 and it"
            } else if self.gained < 0
                || i128::from(self.customers_at_end)
                    != i128::from(self.customers_at_start) - i128::from(self.lost)
                        + i128::from(self.gained)
            {
                "customers_at_end must be customers_at_start - lost + gained"
            } else if !(self.exposure_months > 0.0 && self.exposure_months.is_finite())
                || self.churn_by_exposure != self.lost as f64 / self.exposure_months
            {
                "exposure_months must be positive and churn_by_exposure lost / exposure_months"
            } else if self.exposure_months
                > self.customers_at_start as f64 * window_months * (1.0 + 1e-12)
            {
                "exposure_months must be at most customers_at_start times the window's months"
            } else if let Some(reason) = self.values_disagree() {
                reason
            } else {
                return Ok(());
            };
        Err(Error::InvalidEstimate { reason: reason.to_owned() })
    }

    /// What is wrong with the values and revenue ratios, if anything: values are sums of
    /// non-negative record values, so none is negative; the customers there at both ends end
    /// with `value_at_start − lost_value − contraction + expansion`, to which those gained add
    /// `new_value`; the ratios are computed from the values exactly as [`customer_flow`] does.
    fn values_disagree(&self) -> Option<&'static str> {
        let values = [
            self.value_at_start,
            self.value_at_end,
            self.new_value,
            self.lost_value,
            self.expansion,
            self.contraction,
        ];
        let (start, lost, contraction, expansion) = (
            i128::from(self.value_at_start),
            i128::from(self.lost_value),
            i128::from(self.contraction),
            i128::from(self.expansion),
        );
        let kept = start - lost - contraction;
        let ratio = |numerator: i128| {
            if self.has_values && start > 0 {
                numerator as f64 / start as f64
            } else {
                f64::NAN
            }
        };
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        if !self.has_values && values.iter().any(|&v| v != 0) {
            Some("a flow without values must have every value 0")
        } else if values.iter().any(|&v| v < 0) || kept < 0 {
            Some("values must be non-negative, lost_value + contraction at most value_at_start")
        } else if i128::from(self.value_at_end) != kept + expansion + i128::from(self.new_value) {
            Some(
                "value_at_end must be value_at_start - lost_value - contraction + expansion + \
                 new_value",
            )
        } else if !(same(self.gross_revenue_churn, ratio(lost + contraction))
            && same(self.gross_revenue_retention, ratio(kept))
            && same(self.net_revenue_retention, ratio(kept + expansion)))
        {
            Some("the revenue ratios must follow from the values (NaN without values or at 0)")
        } else {
            None
        }
    }

    /// A two-sided confidence interval for [`churn_by_exposure`](Self::churn_by_exposure), the
    /// Poisson-rate interval of `lost` over `exposure_months` (see
    /// [`rate_interval`](crate::rate_interval)), in customers per customer-month.
    ///
    /// # Errors
    /// Those of [`CustomerFlow::check`] and of `rate_interval`.
    pub fn churn_by_exposure_interval(
        &self,
        level: f64,
        method: RateMethod,
    ) -> Result<Interval, Error> {
        self.check()?;
        rate_interval(self.lost as f64, self.exposure_months, level, method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn flow(starts: &[i64], ends: &[i64], values: &[i64], ids: Option<&[i64]>) -> CustomerFlow {
        let records =
            CustomerRecords { starts, ends: Some(ends), values: Some(values), customers: ids };
        let flow = customer_flow(&records, 0, 30 * DAY).unwrap();
        assert_eq!(flow.check(), Ok(()), "{flow:?}");
        flow
    }

    #[test]
    fn subscriptions_of_one_customer_are_one_customer() {
        // Customer 1 upgrades on day 10 (a new record replaces the old); customer 2 holds two
        // subscriptions and cancels one (contraction, not churn); customer 3 leaves.
        let ids = [1, 1, 2, 2, 3];
        let starts = [-DAY, 10 * DAY, -DAY, -DAY, -DAY];
        let ends = [10 * DAY, OPEN_END, OPEN_END, 5 * DAY, 15 * DAY];
        let values = [100, 150, 200, 50, 300];
        let f = flow(&starts, &ends, &values, Some(&ids));
        assert_eq!((f.customers_at_start, f.customers_at_end, f.lost, f.gained), (3, 2, 1, 0));
        assert_eq!((f.value_at_start, f.value_at_end), (650, 350));
        assert_eq!((f.expansion, f.contraction, f.lost_value), (50, 50, 300));
        assert_eq!(f.net_revenue_retention, 350.0 / 650.0);
        assert_eq!(f.gross_revenue_retention, 300.0 / 650.0);
        assert_eq!(f.gross_revenue_churn, 350.0 / 650.0);
        // At risk: 30 + 30 + 15 days.
        let months = 75.0 * DAY as f64 / SECONDS_PER_MONTH;
        assert_eq!(f.exposure_months, months);
        assert_eq!(f.churn_by_exposure, 1.0 / months);
    }

    #[test]
    fn joiners_who_leave_inside_the_window_are_neither_gained_nor_lost() {
        let f = flow(&[-DAY, 2 * DAY], &[OPEN_END, 9 * DAY], &[10, 20], None);
        assert_eq!((f.customers_at_start, f.lost, f.gained, f.customers_at_end), (1, 0, 0, 1));
    }

    #[test]
    fn bad_records_and_windows_are_named() {
        let starts = [0, 5 * DAY];
        let ends = [DAY, 4 * DAY];
        let records = CustomerRecords { starts: &starts, ends: Some(&ends), ..Default::default() };
        let err = customer_flow(&records, 0, DAY).unwrap_err();
        assert_eq!(
            err.to_string(),
            "record at index 1 ends at 1970-01-05 before it starts at 1970-01-06"
        );
        let err = customer_flow(&records, DAY, DAY).unwrap_err();
        assert_eq!(err.kind(), "invalid_window");
        let records = CustomerRecords { starts: &starts[..1], ..Default::default() };
        let err = customer_flow(&records, -10, -5).unwrap_err();
        assert_eq!(err.kind(), "no_customers_at_risk");
        let records =
            CustomerRecords { starts: &starts, ends: Some(&ends[..1]), ..Default::default() };
        let err = customer_flow(&records, 0, DAY).unwrap_err();
        assert_eq!(
            err.to_string(),
            "column ends has 1 values but starts has 2: the lengths must match"
        );
        let records = CustomerRecords { starts: &[OPEN_END], ..Default::default() };
        assert_eq!(
            customer_flow(&records, 0, 1).unwrap_err().to_string(),
            "record at index 0 has no start time"
        );
    }

    #[test]
    fn value_sums_past_i64_are_errors() {
        let records =
            CustomerRecords { starts: &[0, 0], values: Some(&[i64::MAX, 1]), ..Default::default() };
        let err = customer_flow(&records, 0, DAY).unwrap_err();
        assert_eq!(err.kind(), "value_overflow");
    }

    #[test]
    fn without_values_the_revenue_view_is_nan() {
        let records = CustomerRecords { starts: &[0], ..Default::default() };
        let f = customer_flow(&records, 0, i64::MAX).unwrap();
        assert!(!f.has_values && f.net_revenue_retention.is_nan());
        // The widest window: exposure in i128 seconds, no overflow.
        assert_eq!(f.exposure_months, i64::MAX as f64 / SECONDS_PER_MONTH);
    }
}

//! Churn in two groups of customers over a window, and the lift of one group's churn over the
//! other's: "customers whose issue was not solved at the first contact churn 2.5 times as
//! often", with its interval and test.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::records::{for_each_customer, presence};
use super::CustomerRecords;
use crate::error::Error;
use crate::stats::normal::check_level;
use crate::stats::{lift, Lift};

/// The customers of one group over the window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupChurn {
    /// Customers of the group found in the records.
    pub customers: i64,
    /// Of them, those active at the window start: the group's customers at risk.
    pub at_start: i64,
    /// Of those, the ones not active at the window end.
    pub lost: i64,
    /// `lost / at_start`: the group's churn on the start basis.
    pub rate: f64,
}

/// What [`churn_lift`] returns. Fields may be added before version 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChurnLift {
    /// Window start, seconds since the Unix epoch.
    pub window_start: i64,
    /// Window end (excluded), seconds since the Unix epoch.
    pub window_end: i64,
    /// The customers marked at least once (e.g. with a contact not resolved at the first).
    pub marked: GroupChurn,
    /// The customers never marked (e.g. every contact resolved at the first).
    pub unmarked: GroupChurn,
    /// Customers named in the marks who have no record.
    pub unknown: i64,
    /// The lift of the marked group's churn over the unmarked group's, on the customers at
    /// risk of each: [`lift`]`(marked.lost, marked.at_start, unmarked.lost, unmarked.at_start)`.
    pub lift: Lift,
}

/// Churn over `[window_start, window_end)` of two groups of customers, and its [`lift`]: the
/// relative risk with its log (Katz) interval and test, the risk difference and the odds ratio.
///
/// Each row of `customers` and `marked` says of one customer whether one of their contacts (or
/// orders, incidents…) was marked, e.g. *not resolved at the first contact*. A customer is in
/// the marked group when any of their rows is marked, in the unmarked group when none is; a
/// customer with no row is in neither. Within each group, churn is on the start basis, with the
/// same rules as [`customer_flow`](super::customer_flow): at risk when active at the window
/// start, lost when not active at its end.
///
/// # Errors
/// [`Error::InvalidLevel`]; [`Error::InvalidWindow`] unless `window_start < window_end`;
/// [`Error::ColumnLengthMismatch`] for `marked` of another length than `customers`;
/// [`Error::MissingInput`] when the records have no customer ids, or a group has no customer
/// at risk; the errors of [`customer_flow`](super::customer_flow) for a bad record.
///
/// # Examples
/// ```
/// use cxm_core::{churn_lift, CustomerRecords, OPEN_END};
/// const DAY: i64 = 86_400;
/// // Four customers at day 0; customers 2 and 4 leave on day 10.
/// let starts = [-DAY; 4];
/// let ends = [OPEN_END, 10 * DAY, OPEN_END, 10 * DAY];
/// let ids = [1, 2, 3, 4];
/// let records = CustomerRecords { starts: &starts, ends: Some(&ends), values: None, customers: Some(&ids) };
/// // Contacts: customer 2 had one not resolved at the first contact, customer 1 had two resolved.
/// let (who, unresolved) = ([1, 2, 1, 3], [false, true, false, false]);
/// let c = churn_lift(&records, 0, 30 * DAY, &who, &unresolved, 0.95)?;
/// assert_eq!((c.marked.at_start, c.marked.lost, c.unmarked.at_start, c.unmarked.lost), (1, 1, 2, 0));
/// assert!(c.lift.zero_cell_correction); // a zero cell: ½ is added to each (Haldane)
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn churn_lift(
    records: &CustomerRecords<'_>,
    window_start: i64,
    window_end: i64,
    customers: &[i64],
    marked: &[bool],
    level: f64,
) -> Result<ChurnLift, Error> {
    check_level(level)?;
    if window_start >= window_end {
        return Err(Error::InvalidWindow { start: window_start, end: window_end });
    }
    if marked.len() != customers.len() {
        return Err(Error::ColumnLengthMismatch {
            column: "marked".to_owned(),
            len: marked.len(),
            expected: customers.len(),
            first: "customers".to_owned(),
        });
    }
    if records.customers.is_none() {
        return Err(Error::MissingInput {
            what: "a customer id for each record".to_owned(),
            needed_for: "the churn of groups of customers".to_owned(),
        });
    }
    let mut groups: HashMap<i64, bool> = HashMap::with_capacity(customers.len());
    for (&id, &mark) in customers.iter().zip(marked) {
        *groups.entry(id).or_insert(false) |= mark;
    }
    let empty = GroupChurn { customers: 0, at_start: 0, lost: 0, rate: f64::NAN };
    let (mut yes, mut no) = (empty, empty);
    for_each_customer(records, |id, group| {
        if let Some(&mark) = groups.get(&id) {
            let tally = if mark { &mut yes } else { &mut no };
            let (at_start, at_end) = presence(group, window_start, window_end);
            tally.customers += 1;
            tally.at_start += i64::from(at_start);
            tally.lost += i64::from(at_start && !at_end);
        }
        Ok(())
    })?;
    for (tally, name) in [(&mut yes, "marked"), (&mut no, "unmarked")] {
        if tally.at_start == 0 {
            return Err(Error::MissingInput {
                what: format!("a customer active at the window start in the {name} group"),
                needed_for: "the churn lift".to_owned(),
            });
        }
        #[allow(clippy::cast_precision_loss)] // counts of customers, far below 2^53
        let rate = tally.lost as f64 / tally.at_start as f64;
        tally.rate = rate;
    }
    let found = yes.customers + no.customers;
    Ok(ChurnLift {
        window_start,
        window_end,
        marked: yes,
        unmarked: no,
        unknown: i64::try_from(groups.len()).unwrap_or(i64::MAX) - found,
        lift: lift(yes.lost, yes.at_start, no.lost, no.at_start, level)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::churn::{customer_flow, OPEN_END};

    const DAY: i64 = 86_400;

    /// 200 marked customers at the start of whom 30 leave, 400 unmarked of whom 24 leave, and
    /// customers outside the window or unnamed: the lift is that of the counts, whose interval
    /// statsmodels gives.
    #[test]
    fn groups_are_counted_as_customer_flow_counts_them() {
        let (mut starts, mut ends, mut ids) = (Vec::new(), Vec::new(), Vec::new());
        let mut push = |id: i64, start: i64, end: i64| {
            starts.push(start);
            ends.push(end);
            ids.push(id);
        };
        for id in 0..600 {
            let lost = if id < 200 { id < 30 } else { id < 224 };
            // Two records each, one ending before the window: a customer is all their records.
            push(id, -90 * DAY, -30 * DAY);
            push(id, -20 * DAY, if lost { 15 * DAY } else { OPEN_END });
        }
        push(600, 5 * DAY, OPEN_END); // joins inside the window: not at risk
        push(601, -DAY, 3 * DAY); // lost, never marked nor unmarked
        let records = CustomerRecords {
            starts: &starts,
            ends: Some(&ends),
            values: None,
            customers: Some(&ids),
        };
        let mut who: Vec<i64> = (0..600).chain([600, 700]).collect();
        let mut marks: Vec<bool> = (0..600).map(|id| id < 200).chain([true, false]).collect();
        // A marked row makes the customer marked whatever their other rows say.
        who.extend([5, 5]);
        marks.extend([false, true]);
        let c = churn_lift(&records, 0, 60 * DAY, &who, &marks, 0.95).unwrap();
        assert_eq!((c.marked.customers, c.marked.at_start, c.marked.lost), (201, 200, 30));
        assert_eq!((c.unmarked.customers, c.unmarked.at_start, c.unmarked.lost), (400, 400, 24));
        assert_eq!(c.unknown, 1);
        assert_eq!((c.marked.rate, c.unmarked.rate), (0.15, 0.06));
        // statsmodels 0.14: confint_proportions_2indep(30, 200, 24, 400, compare="ratio",
        // method="log") = (1.5024200152083094, 4.159955230051593)
        assert!((c.lift.interval.lower - 1.502_420_015_208_309_4).abs() < 1e-14);
        assert!((c.lift.interval.upper - 4.159_955_230_051_593).abs() < 1e-14);
        // The groups' losses are the flow's, less the one customer in neither group.
        let flow = customer_flow(&records, 0, 60 * DAY).unwrap();
        assert_eq!(flow.lost, c.marked.lost + c.unmarked.lost + 1);
    }

    #[test]
    fn bad_input_is_named() {
        let (starts, ids) = ([-DAY, -DAY], [1, 2]);
        let records =
            CustomerRecords { starts: &starts, ends: None, values: None, customers: Some(&ids) };
        let message = |r: Result<ChurnLift, Error>| r.map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            message(churn_lift(&records, 0, DAY, &[1, 2], &[true, true], 0.95)),
            "a customer active at the window start in the unmarked group is needed for the churn lift"
        );
        assert!(message(churn_lift(&records, 0, DAY, &[1, 2], &[true], 0.95)).contains("marked"));
        let anonymous = CustomerRecords { customers: None, ..records };
        assert!(message(churn_lift(&anonymous, 0, DAY, &[1, 2], &[true, false], 0.95))
            .starts_with("a customer id for each record"));
        assert!(matches!(
            churn_lift(&records, DAY, 0, &[1, 2], &[true, false], 0.95),
            Err(Error::InvalidWindow { .. })
        ));
        assert!(matches!(
            churn_lift(&records, 0, DAY, &[1, 2], &[true, false], 1.0),
            Err(Error::InvalidLevel { .. })
        ));
    }
}

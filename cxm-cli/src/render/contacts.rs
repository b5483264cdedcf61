//! The contacts' section as text: a line per figure, shares in percent, durations in the unit
//! that reads best (seconds, minutes, hours or days), a percentile the data never reach said so.

use std::fmt::Write as _;

use cxm_core::{ChurnLift, ContactShare, Durations, ServiceLevelBasis, SurvivalPercentile};

use super::{fixed, percent};
use crate::compute::Settings;
use crate::contacts::Contacts;
use crate::customers::Customers;

/// The unit a duration reads best in: seconds under two minutes, then minutes, hours, days.
fn unit(seconds: f64) -> (f64, &'static str) {
    match seconds.abs() {
        s if s < 120.0 => (1.0, "s"),
        s if s < 7_200.0 => (60.0, "min"),
        s if s < 172_800.0 => (3_600.0, "h"),
        _ => (86_400.0, "d"),
    }
}

/// `seconds` in `unit`: `12.5 min`, `3 d`.
fn in_unit(seconds: f64, (size, name): (f64, &str)) -> String {
    let text = fixed(seconds / size, 1);
    format!("{} {name}", text.strip_suffix(".0").unwrap_or(&text))
}

/// A duration for people: `45 s`, `12.5 min`, `5.2 h`, `3.1 d`.
fn duration(seconds: f64) -> String {
    in_unit(seconds, unit(seconds))
}

/// `count noun`, the noun plural unless the count is 1.
fn count(n: impl Into<f64> + Copy + std::fmt::Display, noun: &str) -> String {
    let plural = if n.into() == 1.0 { "" } else { "s" };
    format!("{n} {noun}{plural}")
}

/// A share in percent with one decimal, or `n/a` when it has no value.
fn pct(fraction: f64) -> String {
    if fraction.is_finite() {
        fixed(fraction * 100.0, 1)
    } else {
        "n/a".to_owned()
    }
}

/// `19.1% of 3000 offered (95% CI 17.7 to 20.5)`.
fn share(s: &ContactShare, of: &str, level: &str) -> String {
    let (lower, upper) = (pct(s.interval.lower), pct(s.interval.upper));
    format!("{}% of {} {of} ({level}% CI {lower} to {upper})", pct(s.share), s.of)
}

/// `median 12 s (95% CI 11 s to 13 s)`, limits in the estimate's unit. A limit the data do not
/// give is "not reached" on a Kaplan–Meier curve (`curve`), "n/a" for a sample too small for
/// the order statistics' interval.
fn percentile(p: &SurvivalPercentile, level: &str, curve: bool) -> String {
    let name =
        if p.percent == 50.0 { "median".to_owned() } else { format!("{}th percentile", p.percent) };
    let Some(estimate) = p.estimate else {
        return format!("{name} not reached");
    };
    let u = unit(estimate);
    let missing = if curve { "not reached" } else { "n/a" };
    let limit = |t: Option<f64>| t.map_or_else(|| missing.to_owned(), |t| in_unit(t, u));
    format!(
        "{name} {} ({level}% CI {} to {})",
        in_unit(estimate, u),
        limit(p.lower),
        limit(p.upper)
    )
}

/// The mean (when defined) and the percentiles of `d`, separated by `; `.
fn summary(d: &Durations, level: &str) -> String {
    let mut parts = Vec::new();
    if let Some(mean) = &d.mean {
        let u = unit(mean.estimate);
        parts.push(match &mean.interval {
            Some(ci) => format!(
                "mean {} ({level}% CI {} to {})",
                in_unit(mean.estimate, u),
                in_unit(ci.lower, u),
                in_unit(ci.upper, u)
            ),
            None => format!("mean {}", in_unit(mean.estimate, u)),
        });
    }
    let curve = d.curve.is_some();
    parts.extend(d.percentiles.iter().map(|p| percentile(p, level, curve)));
    parts.join("; ")
}

/// The contacts' figures, and with the customers the churn after an unresolved first contact.
pub fn render(
    out: &mut String,
    c: &Contacts,
    customers: Option<&Customers>,
    settings: &Settings<'_>,
) {
    let level = percent(settings.level);
    let cc = &c.centre;
    let _ = write!(
        out,
        "Contacts in {}: {} offered, {} answered, {} abandoned",
        c.file, cc.offered, cc.answered, cc.abandoned
    );
    if let Some(seconds) = cc.short_abandon_seconds {
        let _ = write!(
            out,
            " ({}, within {}, left out)",
            count(cc.short_abandons as f64, "short abandon"),
            duration(seconds)
        );
    }
    out.push('\n');
    let _ = writeln!(out, "abandonment: {}", share(&cc.abandonment, "offered", &level));
    for s in &cc.service_levels {
        let of = match s.basis {
            ServiceLevelBasis::Offered => "offered".to_owned(),
            ServiceLevelBasis::AnsweredAndLateAbandons => {
                format!("answered or abandoned after {}", duration(s.seconds))
            }
            ServiceLevelBasis::Answered => "answered".to_owned(),
        };
        let _ = writeln!(
            out,
            "service level ({}, answered within {}): {}",
            s.basis.name(),
            duration(s.seconds),
            share(&s.level, &of, &level)
        );
    }
    match &cc.speed_of_answer {
        Some(answer) => {
            let _ = writeln!(out, "speed of answer: {}", summary(answer, &level));
        }
        None => out.push_str("speed of answer: none, no contact was answered\n"),
    }
    if let Some(handle) = &c.handle {
        let _ = writeln!(out, "handle time: {}", summary(handle, &level));
    }
    if let Some(r) = &c.resolution {
        let _ = write!(out, "time to resolution of {}", count(r.records as f64, "case"));
        if r.open > 0.0 {
            let band = cxm_core::Transform::default().name();
            let _ = write!(out, ", {} still open (Kaplan-Meier, {band} band)", r.open);
        }
        let _ = write!(out, ": {}", summary(r, &level));
        if let Some(w) = &r.within {
            let (lower, upper) = (pct(w.interval.lower), pct(w.interval.upper));
            let within = duration(w.seconds);
            let _ =
                write!(out, "; {}% within {within} ({level}% CI {lower} to {upper})", pct(w.share));
        }
        out.push('\n');
    }
    if let Some(f) = &c.first_contact {
        let _ = writeln!(
            out,
            "first-contact resolution: {}% of {} with a known outcome ({level}% CI {} to {}, {})",
            pct(f.estimate),
            count(f.n as f64, "contact"),
            pct(f.interval.lower),
            pct(f.interval.upper),
            f.method.name()
        );
    }
    if let Some(customers) = customers {
        match &customers.first_contact_lift {
            Some(Ok(lift)) => churn_lift(out, lift, customers, &level),
            Some(Err(reason)) => {
                let _ = writeln!(out, "churn after an unresolved first contact: none, {reason}");
            }
            None => {}
        }
    }
}

/// The churn of the customers with a contact not resolved at the first against the others'.
fn churn_lift(out: &mut String, lift: &ChurnLift, customers: &Customers, level: &str) {
    let (a, b, l) = (&lift.marked, &lift.unmarked, &lift.lift);
    let _ = writeln!(
        out,
        "churn from {} to {} after an unresolved first contact: {}% of {} customers, against {}% of \
         {} whose every first contact resolved the issue; {} times as likely ({level}% CI {} to {}, \
         p = {:.3})",
        customers.window.0,
        customers.window.1,
        pct(a.rate),
        a.at_start,
        pct(b.rate),
        b.at_start,
        fixed(l.ratio, 2),
        fixed(l.interval.lower, 2),
        fixed(l.interval.upper, 2),
        l.p_value
    );
    if lift.unknown > 0 {
        let _ = writeln!(
            out,
            "({} customers of the contacts are not in {})",
            lift.unknown, customers.file
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_in_their_unit() {
        let d = super::duration;
        assert_eq!(
            [d(12.0), d(12.5), d(150.0), d(9_000.0), d(259_200.0)],
            ["12 s", "12.5 s", "2.5 min", "2.5 h", "3 d"]
        );
    }
}

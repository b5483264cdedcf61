//! The command line, as clap parses it. Method and policy names are parsed by cxm-core, and the
//! defaults are the core's own: [`NpsMethod::default`] and [`ProportionMethod::default`] for the
//! interval method, [`Scale::csat`] and [`Scale::ces`] for the rating scales. Which method names
//! are valid depends on `--metric`, so `--method` is parsed once the metric is known
//! ([`Report::metric`]).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use cxm_core::{Missing, NpsMethod, ProportionMethod, Scale};

use crate::compute::{Metric, RatingKind};

/// Customer-experience metrics with honest statistics, from a CSV of survey responses.
#[derive(Debug, Parser)]
#[command(name = "cxm", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The NPS, CSAT or CES with its confidence interval, overall and by segment, and whether
    /// it changed from one period to the next.
    ///
    /// The whole file is read and checked before anything is printed: a bad file prints
    /// nothing on stdout, names the line and column on stderr and exits with 1.
    #[command(after_long_help = REPORT_HELP)]
    Report(Report),
}

/// What `cxm report --help` says after the options: the essentials of the file, the outputs
/// and the exit codes, for a user who has the binary and not the repository's docs/cli.md.
const REPORT_HELP: &str = "\
The survey file:
  A header line naming the columns, then one row per response; ',' between fields (see
  --delimiter), fields may be quoted. The score column holds 0-10 answers for NPS, answers on
  the rating scale for --metric csat (1-5) or ces (1-7), see --scale. A blank cell, or one
  of pandas' missing-value markers (NA, N/A, n/a, NaN, NULL, None, ...), is a missing score:
  an error under --missing reject (the default), left out with its weight under --missing skip.
  --na-values adds more markers. Every --by and --period row needs a label.

Outputs (--format):
  table  aligned text, one line per segment (n, NPS, SE, interval), a sentence per change;
         for CSAT and CES the estimate is the favourable share, in percent
  json   one document: overall, segments, changes, and the customers' and contacts' sections
  csv    one table, a row per estimate (kind=nps, csat or ces) and per change (kind=change)
  A segment with no score to count is printed with n = 0 and the reason, never fatal.

The customers file (--customers, with --window-start and --window-end):
  Columns customer,start,end[,value]: dates YYYY-MM-DD, a blank end for still active, the
  value in whole minor units (cents) a month. Adds churn (start and average basis, per
  customer-month), retention, NRR/GRR and NCVG over the window.

The contacts file (--contacts):
  One row per contact: wait_seconds and answered (true/false), and optionally handle_seconds,
  first_contact_resolved, resolution_seconds with open (true for a case still open: its time
  is the time open so far) and customer. Adds abandonment, service level, speed of answer,
  handle time, time to resolution (Kaplan-Meier) and first-contact resolution; with
  --customers, the churn after an unresolved first contact. FILE may then be left out.

Exit codes: 0 done, 1 a bad file (nothing printed on stdout), 2 bad usage.

Examples:
  cxm report survey.csv --by region --period quarter --missing skip
  cxm report survey.csv --metric csat --score satisfaction --by region
  cxm report survey.csv --metric ces --scale 1-5 --threshold 2 --lower-is-better
  cxm report survey.csv --weight w --format json > report.json
  cat survey.csv | cxm report - --na-values=-
  cxm report survey.csv --customers customers.csv --window-start 2026-01-01 --window-end 2026-02-01
  cxm report --contacts contacts.csv --short-abandon-seconds 5 --resolved-within 86400
";

/// `cxm report`'s arguments.
#[derive(Debug, Args)]
pub struct Report {
    /// CSV of survey responses: a header line naming the columns, then one row per response;
    /// `-` reads standard input. Optional with --customers or --contacts.
    #[arg(value_name = "FILE", required_unless_present_any = ["customers", "contacts"])]
    pub file: Option<PathBuf>,

    /// Column of answers: 0-10 to "How likely are you to recommend ...?" for NPS, on the
    /// rating scale (--scale) for CSAT and CES; a blank cell is a missing score (see --missing).
    #[arg(requires = "file", long, value_name = "COL", default_value = "score")]
    pub score: String,

    /// What to compute: nps (0-10, promoters minus detractors), csat or ces (the share of
    /// favourable answers on a rating scale, by default the core's: CSAT 4-5 on 1-5, CES 5-7
    /// on 1-7).
    #[arg(requires = "file", long, value_enum, default_value_t = MetricName::Nps)]
    pub metric: MetricName,

    /// With --metric csat or ces: the rating scale, MIN-MAX (e.g. 1-5, 0-10); another range
    /// than the metric's default needs --threshold.
    #[arg(requires = "file", long, value_name = "MIN-MAX", value_parser = parse_scale, allow_hyphen_values = true,
          help = format!("With --metric csat or ces: the rating scale, MIN-MAX (e.g. 1-5, 0-10); \
                          another range than the metric's needs --threshold [default: csat {}, ces {}]",
                         range(Scale::csat()), range(Scale::ces())))]
    pub scale: Option<(i64, i64)>,

    /// With --metric csat or ces: the first favourable answer (counted from the better end).
    #[arg(requires = "file", long, value_name = "T", allow_negative_numbers = true,
          help = format!("With --metric csat or ces: the first favourable answer; those at or \
                          above it (at or below it with --lower-is-better) count [default: csat {}, \
                          ces {}]", Scale::csat().threshold(), Scale::ces().threshold()))]
    pub threshold: Option<i64>,

    /// With --metric csat or ces: lower answers are better (effort scales where 1 = very easy);
    /// the favourable answers are those at or below --threshold, which is then needed.
    #[arg(requires = "file", long)]
    pub lower_is_better: bool,

    /// Column of survey weights (finite, non-negative): every estimate (NPS, CSAT or CES) is then weighted and its
    /// interval uses Kish's effective sample size.
    #[arg(long, value_name = "COL", requires = "file")]
    pub weight: Option<String>,

    /// Column to break the metric down by, one row per value; repeat for more
    /// (--by region --by channel).
    #[arg(long, value_name = "COL", requires = "file")]
    pub by: Vec<String>,

    /// Column of periods: the metric per period, and each period compared with the one before it,
    /// in the order the labels sort (2026-Q2 before 2026-Q3).
    #[arg(long, value_name = "COL", requires = "file")]
    pub period: Option<String>,

    /// With --period: each period's metric over a trailing window of N periods (merged from the
    /// periods' states, not recomputed), and each window against the one before.
    #[arg(long, value_name = "N", requires = "period", value_parser = clap::value_parser!(u32).range(1..))]
    pub rolling: Option<u32>,

    /// Segments with fewer responses than this are flagged small (not hidden).
    #[arg(requires = "file", long, value_name = "N", default_value_t = cxm_core::DEFAULT_MIN_N)]
    pub min_n: u64,

    /// Confidence level of every interval, in (0, 1).
    #[arg(long, value_name = "LEVEL", default_value_t = cxm_core::DEFAULT_LEVEL)]
    pub level: f64,

    /// Interval method, by metric (the names cxm-core parses; bootstrap and bayesian with
    /// seed 0); parsed once --metric is known, the default the core's for that metric.
    #[arg(requires = "file", long, value_name = "METHOD",
          help = format!("Interval method. NPS: {} [default: {}]. CSAT and CES (of the share): {} \
                          [default: {}]",
                         names::<NpsMethod>(), NpsMethod::default().name(),
                         names::<ProportionMethod>(), ProportionMethod::default().name()))]
    pub method: Option<String>,

    /// Method of the period-over-period comparison of two NPS (the core compares two NPS by
    /// Wald or adjusted Wald); only with --period, which it is for, and --metric nps (two
    /// shares are compared by Newcombe's score method).
    #[arg(long, value_name = "METHOD", value_parser = parse_compare_method, requires = "period",
          help = format!("Method of the period-over-period comparison of two NPS (with --period; \
                          NPS only): {} [default: {}]",
                         comparing_methods().join(", "), NpsMethod::default().name()))]
    pub compare_method: Option<NpsMethod>,

    /// What a missing score (blank or an --na-values marker) means: reject (an error naming its line) or skip (the response is
    /// left out, as if not asked).
    #[arg(requires = "file", long, value_name = "POLICY", value_parser = parse_missing, default_value = "reject",
          help = format!("What a missing score (blank, or see --na-values) means ({}): an error naming its line, or the \
                          response left out", names::<Missing>()))]
    pub missing: Missing,

    /// Extra cell texts read as a missing score, comma-separated (pandas' `na_values`): added
    /// to the default set, which is blank and pandas' default markers.
    #[arg(requires = "file", long, value_name = "LIST", value_delimiter = ',',
          help = format!("Extra texts read as a missing score, comma-separated (as pandas' \
                          na_values), e.g. --na-values=-,x. Always missing: blank and {}",
                         crate::read::DEFAULT_NA_VALUES[1..].join(" ")))]
    pub na_values: Vec<String>,

    /// Output format; json and csv are described in docs/cli.md.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Field delimiter: one ASCII character, such as ';', or '\t' for tabs.
    #[arg(long, value_name = "C", value_parser = parse_delimiter, default_value = ",")]
    pub delimiter: u8,

    /// A CSV of customer (subscription) records, customer,start,end[,value] (dates YYYY-MM-DD,
    /// a blank end for still active, value in cents a month): adds churn, retention, NRR and
    /// NCVG over the window to the table and JSON reports.
    #[arg(long, value_name = "FILE", requires_all = ["window_start", "window_end"])]
    pub customers: Option<PathBuf>,

    /// The customers file's customer id column.
    #[arg(long, value_name = "COL", default_value = "customer")]
    pub customer_col: String,

    /// The customers file's start date column.
    #[arg(long, value_name = "COL", default_value = "start")]
    pub start_col: String,

    /// The customers file's end date column (blank: still active).
    #[arg(long, value_name = "COL", default_value = "end")]
    pub end_col: String,

    /// The customers file's optional value column.
    #[arg(long, value_name = "COL", default_value = "value")]
    pub value_col: String,

    /// Decimals of the customers' values: 0 reads whole minor units (cents); 2 reads 99.00 or
    /// 99.5 as 9900 or 9950 cents, exactly.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=18))]
    pub value_scale: u32,

    /// First day of the customers' window (YYYY-MM-DD, included).
    #[arg(long, value_name = "DATE", requires = "customers")]
    pub window_start: Option<String>,

    /// Day after the customers' window (YYYY-MM-DD, excluded).
    #[arg(long, value_name = "DATE", requires = "customers")]
    pub window_end: Option<String>,

    /// A CSV of contact records (calls, chats, tickets), one row per contact: adds
    /// abandonment, service level, speed of answer, handle time, time to resolution with the
    /// cases still open, first-contact resolution and, with --customers, the churn of
    /// customers whose issue was not resolved at the first contact against the others'.
    #[arg(long, value_name = "FILE")]
    pub contacts: Option<PathBuf>,

    /// The contacts file's column of seconds waited before the answer or the abandon.
    #[arg(long, value_name = "COL", default_value = "wait_seconds")]
    pub wait_col: String,

    /// The contacts file's column saying whether the contact was answered (true/false,
    /// yes/no, 1/0).
    #[arg(long, value_name = "COL", default_value = "answered")]
    pub answered_col: String,

    /// The contacts file's optional column of handle times in seconds (blank when abandoned); a name
    /// given here must be in the file [default: `handle_seconds`].
    #[arg(long, value_name = "COL")]
    pub handle_col: Option<String>,

    /// The contacts file's optional column saying whether the issue was resolved at the first
    /// contact (blank: not known); a name given here must be in the file [default:
    /// `first_contact_resolved`].
    #[arg(long, value_name = "COL")]
    pub resolved_first_col: Option<String>,

    /// The contacts file's optional column of seconds to the case's resolution (or open so far, see
    /// --open-col); blank for a contact with no case; a name given here must be in the file
    /// [default: `resolution_seconds`].
    #[arg(long, value_name = "COL")]
    pub resolution_col: Option<String>,

    /// The contacts file's optional column saying whether the case is still open; a name given here
    /// must be in the file [default: `open`].
    #[arg(long, value_name = "COL")]
    pub open_col: Option<String>,

    /// The contacts file's optional customer id column, for the churn lift with --customers; a name
    /// given here must be in the file [default: the --customer-col name].
    #[arg(long, value_name = "COL")]
    pub contact_customer_col: Option<String>,

    /// Service-level time: contacts answered at or within this many seconds.
    #[arg(long, value_name = "SECONDS", requires = "contacts", allow_negative_numbers = true,
          default_value_t = cxm_core::DEFAULT_SERVICE_LEVEL_SECONDS)]
    pub service_level_seconds: f64,

    /// Leave short abandons (abandoned at or within this many seconds) out of the contacts
    /// offered and abandoned; by default every abandon counts.
    #[arg(long, value_name = "SECONDS", requires = "contacts", allow_negative_numbers = true)]
    pub short_abandon_seconds: Option<f64>,

    /// Also the share of cases resolved within this many seconds (86400: a day), with its
    /// interval.
    #[arg(long, value_name = "SECONDS", requires = "contacts", allow_negative_numbers = true)]
    pub resolved_within: Option<f64>,
}

/// The metric asked for by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricName {
    /// Net Promoter Score: 0-10 answers, % promoters (9-10) minus % detractors (0-6).
    Nps,
    /// Customer satisfaction: the share of satisfied answers (4-5 on 1-5 by default).
    Csat,
    /// Customer effort score: the share of easy answers (5-7 on 1-7 by default).
    Ces,
}

impl Report {
    /// The metric with its options, checked together: the scale options and a method name the
    /// core parses for that metric. Every default is the core's.
    ///
    /// # Errors
    /// A usage message: a scale option or `--compare-method` with a metric they are not for, an
    /// unknown method name (with the names the core accepts), a scale the core refuses.
    pub fn metric(&self) -> Result<Metric, String> {
        let method_error =
            |e: cxm_core::Error| format!("--method with --metric {}: {e}", self.metric_name());
        let kind = match self.metric {
            MetricName::Nps => {
                let given = [
                    (self.scale.is_some(), "--scale"),
                    (self.threshold.is_some(), "--threshold"),
                    (self.lower_is_better, "--lower-is-better"),
                ];
                if let Some((_, option)) = given.iter().find(|(given, _)| *given) {
                    return Err(format!(
                        "{option} is for rating scales (--metric csat or ces); the NPS scale is \
                         fixed, 0-10"
                    ));
                }
                let method = match &self.method {
                    Some(name) => name.parse().map_err(method_error)?,
                    None => NpsMethod::default(),
                };
                let compare_method = self.compare_method.unwrap_or_default();
                return Ok(Metric::Nps { method, compare_method });
            }
            MetricName::Csat => RatingKind::Csat,
            MetricName::Ces => RatingKind::Ces,
        };
        if self.compare_method.is_some() {
            return Err(format!(
                "--compare-method is for --metric nps; two {} shares are compared by the \
                 core's test of two proportions (Newcombe's score method)",
                kind.label()
            ));
        }
        let default = kind.default_scale();
        let (min, max) = self.scale.unwrap_or((default.min(), default.max()));
        let higher_is_better = !self.lower_is_better;
        let scale = match Scale::or_default(default, min, max, self.threshold, higher_is_better) {
            Ok(scale) => scale,
            // The core's rule, told in the options' words.
            Err(cxm_core::Error::MissingInput { .. }) => {
                let given = match (self.scale, self.lower_is_better) {
                    (Some(_), true) => format!("--scale {min}-{max} with --lower-is-better"),
                    (Some(_), false) => format!("--scale {min}-{max}"),
                    (None, _) => "--lower-is-better".to_owned(),
                };
                return Err(format!(
                    "{given} needs --threshold, the first favourable answer (the default, {}, is \
                     for {}, higher is better)",
                    default.threshold(),
                    range(default)
                ));
            }
            Err(e) => return Err(e.to_string()),
        };
        let method = match &self.method {
            Some(name) => name.parse().map_err(method_error)?,
            None => ProportionMethod::default(),
        };
        Ok(Metric::Rating { kind, scale, method })
    }

    fn metric_name(&self) -> &'static str {
        match self.metric {
            MetricName::Nps => "nps",
            MetricName::Csat => "csat",
            MetricName::Ces => "ces",
        }
    }
}

/// A scale's range as `--scale` takes it: `1-5`.
fn range(scale: Scale) -> String {
    format!("{}-{}", scale.min(), scale.max())
}

/// `MIN-MAX`, whole numbers, either possibly negative (`-2-2`, `0-10`); whether it is a usable
/// scale is the core's to say ([`Scale::new`]).
fn parse_scale(text: &str) -> Result<(i64, i64), String> {
    let bad = || format!("{text:?} is not MIN-MAX, two whole numbers such as 1-5 or 0-10");
    // The separator is the first '-' that does not start a number.
    let split = text.char_indices().skip(1).find(|&(_, c)| c == '-').map(|(i, _)| i);
    let (min, max) = text.split_at(split.ok_or_else(bad)?);
    let max = &max[1..];
    Ok((min.trim().parse().map_err(|_| bad())?, max.trim().parse().map_err(|_| bad())?))
}

/// How the report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// One JSON document (schema in docs/cli.md).
    Json,
    /// One CSV table, a row per estimate and per comparison (columns in docs/cli.md).
    Csv,
}

/// The names cxm-core parses for `T`, as its own error message lists them: the one list.
fn names<T: std::str::FromStr<Err = cxm_core::Error>>() -> String {
    match "".parse::<T>() {
        Err(cxm_core::Error::UnknownName { expected, .. }) => expected,
        _ => String::new(),
    }
}

/// The NPS methods the core compares two NPS by, asked of the core itself.
fn comparing_methods() -> Vec<&'static str> {
    let probe = cxm_core::Nps::from_counts(1, 1, 1).ok();
    names::<NpsMethod>()
        .split(", ")
        .filter_map(|name| {
            let method: NpsMethod = name.parse().ok()?;
            let compares =
                probe.is_some_and(|p| cxm_core::compare_nps(&p, &p, 0.95, method).is_ok());
            compares.then_some(method.name())
        })
        .collect()
}

/// A method the core compares two NPS by; any other is refused with the list of those.
fn parse_compare_method(name: &str) -> Result<NpsMethod, String> {
    let method: NpsMethod = name.parse().map_err(|e: cxm_core::Error| e.to_string())?;
    if comparing_methods().contains(&method.name()) {
        Ok(method)
    } else {
        Err(format!(
            "{name} does not compare two NPS: expected one of {}",
            comparing_methods().join(", ")
        ))
    }
}

fn parse_missing(name: &str) -> Result<Missing, cxm_core::Error> {
    name.parse()
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "\\t" | "tab" => Ok(b'\t'),
        _ => match text.as_bytes() {
            &[byte] if byte.is_ascii() && byte != b'"' && byte != b'\n' && byte != b'\r' => {
                Ok(byte)
            }
            _ => Err(format!(
                "{text:?} is not one ASCII character (other than a quote or a line end); \
                 use e.g. ';' or '\\t'"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_come_from_the_core() {
        let cli = Cli::try_parse_from(["cxm", "report", "a.csv"]).unwrap();
        let Command::Report(report) = cli.command;
        let nps =
            Metric::Nps { method: NpsMethod::default(), compare_method: NpsMethod::default() };
        assert_eq!(report.metric(), Ok(nps));
        assert_eq!((report.score.as_str(), report.delimiter), ("score", b','));
        assert_eq!(report.missing, Missing::Reject);
    }

    #[test]
    fn names_are_the_cores() {
        assert!(names::<NpsMethod>().starts_with("wald, adjusted_wald, score"));
        assert_eq!(names::<Missing>(), "reject, skip");
    }

    fn metric(args: &[&str]) -> Result<Metric, String> {
        let all = ["cxm", "report", "a.csv"].iter().chain(args);
        let Command::Report(report) = Cli::try_parse_from(all).unwrap().command;
        report.metric()
    }

    #[test]
    fn rating_defaults_come_from_the_core() {
        let method = ProportionMethod::default();
        let csat = Metric::Rating { kind: RatingKind::Csat, scale: Scale::csat(), method };
        assert_eq!(metric(&["--metric", "csat"]), Ok(csat));
        let ces = Metric::Rating { kind: RatingKind::Ces, scale: Scale::ces(), method };
        assert_eq!(metric(&["--metric", "ces"]), Ok(ces));
        let effort = Scale::new(1, 5, 2, false).unwrap();
        let args = ["--metric", "ces", "--scale", "1-5", "--threshold", "2", "--lower-is-better"];
        assert_eq!(
            metric(&args),
            Ok(Metric::Rating { kind: RatingKind::Ces, scale: effort, method })
        );
        assert!(metric(&["--metric", "csat", "--scale", "0-10"])
            .unwrap_err()
            .contains("--threshold"));
        assert!(metric(&["--metric", "csat", "--threshold", "9"]).unwrap_err().contains("outside"));
        assert!(metric(&["--scale", "1-5"]).unwrap_err().starts_with("--scale is for rating"));
        let err = metric(&["--metric", "csat", "--method", "bootstrap"]).unwrap_err();
        assert!(err.contains(&names::<ProportionMethod>()), "{err}");
    }

    #[test]
    fn scales() {
        assert_eq!(parse_scale("1-5"), Ok((1, 5)));
        assert_eq!(parse_scale("0-10"), Ok((0, 10)));
        assert_eq!(parse_scale("-2-2"), Ok((-2, 2)));
        assert_eq!(parse_scale("-5--1"), Ok((-5, -1)));
        assert!(parse_scale("5").is_err());
        assert!(parse_scale("a-b").is_err());
    }

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("\\t"), Ok(b'\t'));
        assert_eq!(parse_delimiter("\t"), Ok(b'\t'));
        assert!(parse_delimiter(";;").is_err());
        assert!(parse_delimiter("\"").is_err());
        assert!(parse_delimiter("é").is_err());
    }
}

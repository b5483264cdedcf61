//! The command line, as clap parses it. Method and policy names are parsed by cxm-core, and the
//! interval method's default is the core's own ([`NpsMethod::default`]).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use cxm_core::{Missing, NpsMethod};

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
    /// The NPS with its confidence interval, overall and by segment, and whether it changed
    /// from one period to the next.
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
  --delimiter), fields may be quoted. The score column holds 0-10 answers. A blank cell, or one
  of pandas' missing-value markers (NA, N/A, n/a, NaN, NULL, None, ...), is a missing score:
  an error under --missing reject (the default), left out with its weight under --missing skip.
  --na-values adds more markers. Every --by and --period row needs a label.

Outputs (--format):
  table  aligned text, one line per segment (n, NPS, SE, interval), a sentence per change
  json   one document: overall, segments, changes and the customers' section
  csv    one table, a row per estimate (kind=nps) and per change (kind=change)
  A segment with no score to count is printed with n = 0 and the reason, never fatal.

The customers file (--customers, with --window-start and --window-end):
  Columns customer,start,end[,value]: dates YYYY-MM-DD, a blank end for still active, the
  value in whole minor units (cents) a month. Adds churn (start and average basis, per
  customer-month), retention, NRR/GRR and NCVG over the window.

Exit codes: 0 done, 1 a bad file (nothing printed on stdout), 2 bad usage.

Examples:
  cxm report survey.csv --by region --period quarter --missing skip
  cxm report survey.csv --weight w --format json > report.json
  cat survey.csv | cxm report - --na-values=-
  cxm report survey.csv --customers customers.csv --window-start 2026-01-01 --window-end 2026-02-01
";

/// `cxm report`'s arguments.
#[derive(Debug, Args)]
pub struct Report {
    /// CSV of survey responses: a header line naming the columns, then one row per response;
    /// `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Column of 0-10 answers to "How likely are you to recommend ...?"; a blank cell is a
    /// missing score (see --missing).
    #[arg(long, value_name = "COL", default_value = "score")]
    pub score: String,

    /// Column of survey weights (finite, non-negative): every NPS is then weighted and its
    /// interval uses Kish's effective sample size.
    #[arg(long, value_name = "COL")]
    pub weight: Option<String>,

    /// Column to break the NPS down by, one row per value; repeat for more
    /// (--by region --by channel).
    #[arg(long, value_name = "COL")]
    pub by: Vec<String>,

    /// Column of periods: the NPS per period, and each period compared with the one before it,
    /// in the order the labels sort (2026-Q2 before 2026-Q3).
    #[arg(long, value_name = "COL")]
    pub period: Option<String>,

    /// With --period: each period's NPS over a trailing window of N periods (merged from the
    /// periods' states, not recomputed), and each window against the one before.
    #[arg(long, value_name = "N", requires = "period", value_parser = clap::value_parser!(u32).range(1..))]
    pub rolling: Option<u32>,

    /// Segments with fewer responses than this are flagged small (not hidden).
    #[arg(long, value_name = "N", default_value_t = cxm_core::DEFAULT_MIN_N)]
    pub min_n: u64,

    /// Confidence level of every interval, in (0, 1).
    #[arg(long, value_name = "LEVEL", default_value_t = cxm_core::DEFAULT_LEVEL)]
    pub level: f64,

    /// NPS interval method (the names cxm-core parses; bootstrap and bayesian with seed 0).
    #[arg(long, value_name = "METHOD", value_parser = parse_method,
          default_value = NpsMethod::default().name(),
          help = format!("NPS interval method: {}", names::<NpsMethod>()))]
    pub method: NpsMethod,

    /// Method of the period-over-period comparison (the core compares two NPS by Wald or
    /// adjusted Wald); only with --period, which it is for.
    #[arg(long, value_name = "METHOD", value_parser = parse_compare_method, requires = "period",
          default_value = NpsMethod::default().name(),
          help = format!("Method of the period-over-period comparison (with --period): {}",
                         comparing_methods().join(", ")))]
    pub compare_method: NpsMethod,

    /// What a missing score (blank or an --na-values marker) means: reject (an error naming its line) or skip (the response is
    /// left out, as if not asked).
    #[arg(long, value_name = "POLICY", value_parser = parse_missing, default_value = "reject",
          help = format!("What a missing score (blank, or see --na-values) means ({}): an error naming its line, or the \
                          response left out", names::<Missing>()))]
    pub missing: Missing,

    /// Extra cell texts read as a missing score, comma-separated (pandas' `na_values`): added
    /// to the default set, which is blank and pandas' default markers.
    #[arg(long, value_name = "LIST", value_delimiter = ',',
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

fn parse_method(name: &str) -> Result<NpsMethod, cxm_core::Error> {
    name.parse()
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
        assert_eq!(report.method, NpsMethod::default());
        assert_eq!(report.compare_method, NpsMethod::default());
        assert_eq!((report.score.as_str(), report.delimiter), ("score", b','));
        assert_eq!(report.missing, Missing::Reject);
    }

    #[test]
    fn names_are_the_cores() {
        assert!(names::<NpsMethod>().starts_with("wald, adjusted_wald, score"));
        assert_eq!(names::<Missing>(), "reject, skip");
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

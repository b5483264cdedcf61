//! `cxm`, the command line of cxm: `cxm report FILE` prints the NPS (or, with `--metric`, the
//! CSAT or CES) of a CSV of survey responses with its confidence interval, overall and by
//! segment, and whether it changed from one period to the next. Every number comes from cxm-core; this crate reads, groups and
//! prints. See docs/cli.md.

mod args;
mod compute;
mod customers;
mod error;
mod group;
mod read;
mod render;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

use crate::args::{Cli, Command};
use crate::error::Failure;

fn main() -> ExitCode {
    // clap prints its own usage errors (exit 2), --help and --version (exit 0).
    let Cli { command } = Cli::parse();
    let output = match command {
        Command::Report(report) => run_report(&report),
    };
    match output {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                // A closed pipe (`cxm report ... | head`) is the reader's choice, not a failure.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("cxm: cannot write the report: {e}");
                    ExitCode::from(error::EXIT_DATA)
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(failure) => {
            eprintln!("cxm: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Reads, checks and computes everything, then renders: the report as one string, or the
/// first failure, before anything is printed.
fn run_report(report: &args::Report) -> Result<String, Failure> {
    // The metric and its options first: bad usage is told before any file is read.
    let metric = report.metric().map_err(Failure::Usage)?;
    if report.format == args::Format::Csv && report.customers.is_some() {
        // One CSV table cannot hold the customers' section too; dropping it would be silent.
        return Err(Failure::Usage(
            "--format csv writes the survey's table only: the customers' section is in the \
             table and json formats (--format json)"
                .to_owned(),
        ));
    }
    let file = report.file.display().to_string();
    // Label columns in the order they are reported: the period first, each column once.
    let mut labels: Vec<&str> = Vec::new();
    for column in report.period.iter().chain(&report.by) {
        if !labels.contains(&column.as_str()) {
            labels.push(column);
        }
    }
    let wanted = read::Wanted {
        na_values: &report.na_values,
        score: &report.score,
        weight: report.weight.as_deref(),
        labels: &labels,
    };
    let survey = read::read(&report.file, report.delimiter, wanted)?;
    let settings = compute::Settings {
        file: &file,
        score: &report.score,
        weight: report.weight.as_deref(),
        period: report.period.as_deref(),
        level: report.level,
        metric,
        missing: report.missing,
        rolling: report.rolling.map(|n| n as usize),
        min_n: report.min_n,
    };
    let computed = compute::report(&survey, &settings)?;
    let customers = match (&report.customers, &report.window_start, &report.window_end) {
        (Some(path), Some(from), Some(to)) => Some(customers::report(
            path,
            report.delimiter,
            customers::Layout {
                customer: &report.customer_col,
                start: &report.start_col,
                end: &report.end_col,
                value: &report.value_col,
                value_scale: report.value_scale,
            },
            (from.as_str(), to.as_str()),
            report.level,
        )?),
        _ => None,
    };
    Ok(render::render(&computed, customers.as_ref(), &settings, report.format))
}

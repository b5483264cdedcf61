//! `cxm`, the command line of cxm: `cxm report FILE` prints the NPS (or, with `--metric`, the
//! CSAT or CES) of a CSV of survey responses with its confidence interval, overall and by
//! segment, and whether it changed from one period to the next. Every number comes from cxm-core; this crate reads, groups and
//! prints. See docs/cli.md.

mod args;
mod compute;
mod contacts;
mod customers;
mod error;
mod group;
mod read;
mod render;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

use crate::args::{Cli, Command};
use crate::contacts::Column;
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
    if report.format == args::Format::Csv {
        // One CSV table cannot hold the other sections too; dropping them would be silent.
        if let Some(option) =
            [(report.customers.is_some(), "customers"), (report.contacts.is_some(), "contacts")]
                .into_iter()
                .find_map(|(given, name)| given.then_some(name))
        {
            return Err(Failure::Usage(format!(
                "--format csv writes the survey's table only: the {option}' section is in the \
                 table and json formats (--format json)"
            )));
        }
    }
    let file = report.file.as_ref().map(|f| f.display().to_string());
    let settings = compute::Settings {
        file: file.as_deref().unwrap_or_default(),
        score: &report.score,
        weight: report.weight.as_deref(),
        period: report.period.as_deref(),
        level: report.level,
        metric,
        missing: report.missing,
        rolling: report.rolling.map(|n| n as usize),
        min_n: report.min_n,
    };
    let computed = match &report.file {
        Some(path) => Some(survey(report, path, &settings)?),
        None => None,
    };
    let contacts = match &report.contacts {
        Some(path) => Some(contacts::report(
            path,
            report.delimiter,
            contacts::Layout {
                wait: &report.wait_col,
                answered: &report.answered_col,
                handle: Column::or(report.handle_col.as_deref(), "handle_seconds"),
                resolved_first: Column::or(
                    report.resolved_first_col.as_deref(),
                    "first_contact_resolved",
                ),
                resolution: Column::or(report.resolution_col.as_deref(), "resolution_seconds"),
                open: Column::or(report.open_col.as_deref(), "open"),
                customer: Column::or(report.contact_customer_col.as_deref(), &report.customer_col),
            },
            contacts::Options {
                short_abandon_seconds: report.short_abandon_seconds,
                service_level_seconds: report.service_level_seconds,
                resolved_within: report.resolved_within,
                level: report.level,
            },
        )?),
        None => None,
    };
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
            contacts.as_ref().and_then(|c| c.unresolved_by_customer.as_ref()),
        )?),
        _ => None,
    };
    let sections = render::Sections {
        survey: computed.as_ref(),
        customers: customers.as_ref(),
        contacts: contacts.as_ref(),
    };
    Ok(render::render(&sections, &settings, report.format))
}

/// The survey's report: its file read, checked and computed.
fn survey(
    report: &args::Report,
    path: &std::path::Path,
    settings: &compute::Settings<'_>,
) -> Result<compute::Report, Failure> {
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
    let survey = read::read(path, report.delimiter, wanted)?;
    compute::report(&survey, settings)
}

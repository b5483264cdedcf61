//! The `cxm` binary as a user runs it: small files written to a temporary directory, one test
//! per kind of bad file (exit code 1, nothing on stdout, one line on stderr naming the file, the
//! line and the column), usage errors (exit code 2), and the three output formats.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{bad_file, bad_usage, cxm, file, report, stderr, stdout, succeeds, BIN};
use cxm_core::{compare_nps, nps, Missing, NpsMethod};

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&succeeds(output)).unwrap()
}

const GOOD: &str = "id,quarter,region,score,weight\n\
                    1,2026-Q2,EMEA,10,1.0\n\
                    2,2026-Q2,APAC,9,2.0\n\
                    3,2026-Q2,EMEA,3,1.0\n\
                    4,2026-Q3,APAC,7,0.5\n\
                    5,2026-Q3,EMEA,10,1.0\n\
                    6,2026-Q3,APAC,0,1.5\n\
                    7,2026-Q3,EMEA,9,1.0\n";

// ---- bad files: one test per case ----------------------------------------------------------

#[test]
fn quoted_fields_are_read_as_their_contents() {
    let path =
        file("quoted.csv", "\"id\",\"score\"\n\"1\",\"9\"\n\"2\",\" 10 \"\n\"3, a\",\"6\"\n");
    let doc = json(&report(&path, &["--format", "json"]));
    assert_eq!(doc["overall"]["n"], 3);
    assert_eq!(doc["overall"]["promoters"], 2);
}

#[test]
fn an_unclosed_quote_names_the_line_where_it_opens() {
    let path = file("unclosed.csv", "id,note,score\n1,fine,9\n2,\"open,9\n3,x,7\n");
    bad_file(
        &path,
        &[],
        "line 3: a quoted field opens here and is never closed (a quote inside a quoted field \
         is written twice, \"\")",
    );
}

#[test]
fn text_after_a_closing_quote_is_refused_not_joined() {
    let path = file("after-quote.csv", "id,city,score\n1,\"Par\"is,9\n");
    bad_file(
        &path,
        &[],
        "line 2: text after the closing quote of a field (a quote inside a quoted field is \
         written twice, \"\")",
    );
    // Doubled quotes, blanks after a closing quote, and a bare quote in an unquoted field
    // are all well-formed enough to read.
    let path =
        file("fine-quotes.csv", "id,note,score\n1,\"say \"\"hi\"\"\" ,9\n2,12\" screen,10\n");
    assert_eq!(json(&report(&path, &["--format", "json"]))["overall"]["n"], 2);
}

#[test]
fn a_short_row_names_its_line() {
    let path = file("short.csv", "id,region,score\n1,EMEA,9\n2,7\n3,APAC,8\n");
    bad_file(&path, &[], "line 3: 2 fields, where the header has 3");
}

#[test]
fn a_long_row_names_its_line() {
    let path = file("long.csv", "id,region,score\n1,EMEA,9\n2,APAC,7,8\n");
    bad_file(&path, &[], "line 3: 4 fields, where the header has 3");
}

#[test]
fn a_wrong_header_names_the_columns_there_are() {
    let path = file("wrong-header.csv", "1,EMEA,9\n2,APAC,7\n");
    bad_file(&path, &[], r#"line 1: no column "score"; the header has "1", "EMEA", "9""#);
    let path = file("wrong-column.csv", GOOD);
    bad_file(
        &path,
        &["--by", "channel"],
        r#"line 1: no column "channel"; the header has "id", "quarter", "region", "score", "weight""#,
    );
}

#[test]
fn a_column_named_twice_is_ambiguous() {
    let path = file("twice.csv", "score,score\n9,8\n");
    bad_file(&path, &[], r#"line 1: the header names the column "score" twice"#);
}

#[test]
fn an_empty_file_is_an_error() {
    let message =
        r#"the file is empty: expected a header line naming the columns, with "score" among them"#;
    bad_file(&file("empty.csv", ""), &[], message);
    bad_file(&file("blank-lines.csv", "\n\n"), &[], message);
}

#[test]
fn a_header_only_file_is_an_error() {
    let path = file("header-only.csv", "id,score\n");
    bad_file(&path, &[], "no responses: the file has a header line but no rows");
}

#[test]
fn a_bad_score_names_line_and_column() {
    let path = file("bad-score.csv", "id,score\n1,9\n2,11\n3,12\n");
    bad_file(&path, &[], r#"line 3, column "score": score 11 is outside 0..=10"#);
    let path = file("fractional-score.csv", "id,score\n1,7.5\n");
    bad_file(&path, &[], r#"line 2, column "score": score 7.5 is not a whole number"#);
    let path = file("text-score.csv", "id,score\n1,9\n2,nine\n");
    bad_file(
        &path,
        &[],
        r#"line 3, column "score": score "nine" is not a number (to read it as missing, pass --na-values="nine")"#,
    );
    // "NaN" is one of pandas' missing-value markers: a missing score, not a number.
    let path = file("nan-score.csv", "id,score\n1,NaN\n");
    bad_file(
        &path,
        &[],
        r#"line 2, column "score": the score is missing (blank or a marker such as NA), and missing scores are rejected (--missing skip leaves them out)"#,
    );
}

#[test]
fn a_bad_weight_names_line_and_column() {
    let path = file("negative-weight.csv", "score,w\n9,1\n8,-0.5\n");
    bad_file(
        &path,
        &["--weight", "w"],
        r#"line 3, column "w": weight -0.5 is not a finite, non-negative number"#,
    );
    let path = file("blank-weight.csv", "score,w\n9,1\n8,\n");
    bad_file(&path, &["--weight", "w"], r#"line 3, column "w": the weight is blank"#);
    let path = file("text-weight.csv", "score,w\n9,heavy\n");
    bad_file(&path, &["--weight", "w"], r#"line 2, column "w": weight "heavy" is not a number"#);
    let path = file("zero-weights.csv", "score,w\n9,0\n8,0\n");
    bad_file(&path, &["--weight", "w"], "the weights of the scored responses sum to zero");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let path = file("bom.csv", "\u{feff}score,region\n9,EMEA\n3,EMEA\n");
    let doc = json(&report(&path, &["--format", "json", "--by", "region"]));
    assert_eq!(doc["overall"]["n"], 2);
    let path = file("bom-first-column.csv", "\u{feff}\"score\",region\n9,EMEA\n");
    assert_eq!(json(&report(&path, &["--format", "json"]))["overall"]["n"], 1);
}

#[test]
fn crlf_line_ends_are_accepted_and_lines_still_counted() {
    let doc = json(&report(&file("crlf.csv", GOOD.replace('\n', "\r\n")), &["--format", "json"]));
    assert_eq!(doc["overall"]["n"], 7);
    let path = file("crlf-bad.csv", "id,score\r\n1,9\r\n2,11\r\n");
    bad_file(&path, &[], r#"line 3, column "score": score 11 is outside 0..=10"#);
    let path = file("crlf-short.csv", "id,score\r\n1,9\r\n\r\n2,8\r\n3\r\n");
    bad_file(&path, &[], "line 5: 1 field, where the header has 2");
}

#[test]
fn a_semicolon_delimiter_is_read_with_delimiter() {
    let path = file("semicolon.csv", "id;score\n1;9\n2;0\n");
    let doc = json(&report(&path, &["--format", "json", "--delimiter", ";"]));
    assert_eq!(doc["overall"]["nps"], 0.0);
    bad_file(
        &path,
        &[],
        r#"line 1: no column "score"; the header has "id;score" (split by ';'? pass --delimiter ";")"#,
    );
}

#[test]
fn a_missing_score_is_rejected_unless_skipped() {
    let path = file("missing.csv", "id,score\n1,9\n2,\n3,6\n");
    bad_file(
        &path,
        &[],
        r#"line 3, column "score": the score is missing (blank or a marker such as NA), and missing scores are rejected (--missing skip leaves them out)"#,
    );
    let doc = json(&report(&path, &["--format", "json", "--missing", "skip"]));
    assert_eq!((doc["rows"].as_u64(), doc["overall"]["n"].as_u64()), (Some(3), Some(2)));
    let path = file("all-missing.csv", "id,score\n1,\n2,\n");
    bad_file(
        &path,
        &["--missing", "skip"],
        "no responses to score: the input is empty or every score is missing",
    );
}

#[test]
fn an_empty_segment_is_reported_empty_not_fatal() {
    // Issue 15, item 11: one channel whose scores are all blank stopped the whole report
    // ("the rows with "sms": no responses to score"), in every format, even with --missing skip.
    let path = file(
        "empty-segment.csv",
        "channel,quarter,score\nweb,2026-Q1,9\nsms,2026-Q2,\nweb,2026-Q2,\nweb,2026-Q3,6\n",
    );
    let args = ["--by", "channel", "--period", "quarter", "--missing", "skip"];
    let out = succeeds(&report(&path, &args));
    let sms = out.lines().find(|l| l.starts_with("channel: sms")).unwrap();
    assert!(sms.contains(" 0 ") && sms.contains("no responses to score"), "{out}");
    assert!(
        out.contains("2026-Q1 -> 2026-Q2: no comparison, no estimate for \"2026-Q2\""),
        "{out}"
    );
    assert!(out.contains("2026-Q2 -> 2026-Q3: no comparison"), "{out}");
    let doc = json(&report(&path, &[&args[..], &["--format", "json"]].concat()));
    let sms = doc["segments"].as_array().unwrap().iter().find(|s| s["value"] == "sms").unwrap();
    assert_eq!(sms["n"], 0);
    assert!(sms["no_estimate"].as_str().unwrap().starts_with("no responses to score"));
    assert!(sms.get("nps").is_none(), "{sms}");
    let web = doc["segments"].as_array().unwrap().iter().find(|s| s["value"] == "web").unwrap();
    assert_eq!((web["n"].as_u64(), web["nps"].as_f64()), (Some(2), Some(0.0)));
    assert!(
        doc["changes"][0]["no_comparison"].is_string()
            && doc["changes"][0].get("p_value").is_none()
    );
    let csv = succeeds(&report(&path, &[&args[..], &["--format", "csv"]].concat()));
    assert!(csv.lines().any(|l| l.starts_with("nps,channel,sms,,0,,,,,,,,,,0.95,")), "{csv}");
    // A segment per respondent, some of whom left the score blank.
    let path = file("by-respondent.csv", "respondent_id,score\n1,9\n2,\n3,6\n");
    let out = succeeds(&report(&path, &["--by", "respondent_id", "--missing", "skip"]));
    assert!(
        out.lines().any(|l| l.starts_with("respondent_id: 2") && l.contains("no responses")),
        "{out}"
    );
}

#[test]
fn a_skipped_response_s_weight_is_not_read() {
    // Issue 15, item 12: a blank weight beside a blank score stopped the report under --missing
    // skip ("the weight is blank"). A scored row's blank weight is still an error.
    let path = file("skipped-weight.csv", "score,w\n9,1\n,\n6,2\n");
    let doc = json(&report(&path, &["--weight", "w", "--missing", "skip", "--format", "json"]));
    let want = nps(&[9.0, 6.0], Some(&[1.0, 2.0]), Missing::Reject).unwrap();
    assert_eq!(doc["overall"]["nps"].as_f64(), Some(want.score));
    let path = file("scored-blank-weight.csv", "score,w\n9,1\n7,\n");
    bad_file(
        &path,
        &["--weight", "w", "--missing", "skip"],
        r#"line 3, column "w": the weight is blank"#,
    );
}

#[test]
fn missing_value_markers_are_missing_and_more_can_be_named() {
    // Issue 15, item 13: n/a, N/A, NA were "not a number" even with --missing skip; pandas'
    // default markers are missing, and --na-values adds more (here "-").
    let path = file("markers.csv", "score\n9\nn/a\nN/A\nNA\n-\n6\n");
    bad_file(
        &path,
        &["--missing", "skip"],
        r#"line 6, column "score": score "-" is not a number (to read it as missing, pass --na-values="-")"#,
    );
    let doc = json(&report(&path, &["--missing", "skip", "--na-values=-,x", "--format", "json"]));
    assert_eq!((doc["rows"].as_u64(), doc["overall"]["n"].as_u64()), (Some(6), Some(2)));
    bad_file(
        &path,
        &["--na-values=-"],
        r#"line 3, column "score": the score is missing (blank or a marker such as NA), and missing scores are rejected (--missing skip leaves them out)"#,
    );
}

#[test]
fn a_dash_reads_standard_input() {
    // Issue 15, item 17: `cxm report -` looked for a file called "-".
    use std::io::Write as _;
    let mut child = Command::new(BIN)
        .args(["report", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"score\n9\n10\n3\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let doc: serde_json::Value = serde_json::from_str(&succeeds(&output)).unwrap();
    assert_eq!(doc["overall"]["n"].as_u64(), Some(3));
}

#[test]
fn a_blank_label_is_an_error_not_an_empty_segment() {
    let path = file("blank-label.csv", "region,score\nEMEA,9\n,8\n");
    bad_file(
        &path,
        &["--by", "region"],
        r#"line 3, column "region": blank: every row needs a label here"#,
    );
}

#[test]
fn text_that_is_not_utf8_names_its_line() {
    let path = file("latin1.csv", b"region,score\nEMEA,9\nM\xe9xico,8\n");
    bad_file(&path, &[], "line 3: field 1 is not valid UTF-8");
}

#[test]
fn a_missing_file_is_an_error() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-file.csv");
    let output = report(&path, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(err.starts_with(&format!("cxm: {}: cannot read the file: ", path.display())), "{err}");
}

// ---- bad usage: clap's exit code 2 ---------------------------------------------------------

#[test]
fn bad_usage_exits_with_2() {
    let good = file("usage.csv", GOOD);
    let good = good.to_str().unwrap();
    bad_usage(&[], "Usage: cxm <COMMAND>");
    bad_usage(&["report"], "<FILE>");
    bad_usage(&["report", good, "--frobnicate"], "--frobnicate");
    bad_usage(&["report", good, "--method", "wilson"], "unknown NPS interval method \"wilson\"");
    bad_usage(&["report", good, "--missing", "drop"], "unknown missing-value policy \"drop\"");
    bad_usage(&["report", good, "--delimiter", ";;"], "is not one ASCII character");
    bad_usage(&["report", good, "--format", "xml"], "xml");
    bad_usage(&["report", good, "--level", "2"], "confidence level 2 is outside");
    bad_usage(
        &["report", good, "--period", "quarter", "--compare-method", "score"],
        "score does not compare two NPS: expected one of wald, adjusted_wald",
    );
}

#[test]
fn help_and_version_exit_0() {
    for args in [&["--help"][..], &["help"], &["report", "--help"]] {
        let out = succeeds(&cxm(args));
        assert!(out.contains("Usage: cxm"), "{out}");
    }
    let help = succeeds(&cxm(&["report", "--help"]));
    for option in ["--score", "--weight", "--by", "--period", "--level", "--method", "--format"] {
        assert!(help.contains(option), "{option} in {help}");
    }
    assert!(help.contains("[default: adjusted_wald]"), "the core's default method: {help}");
    let version = succeeds(&cxm(&["--version"]));
    assert_eq!(version, format!("cxm {}\n", env!("CARGO_PKG_VERSION")));
}

// ---- good runs -----------------------------------------------------------------------------

#[test]
fn the_table_has_segments_and_changes() {
    let path = file("table.csv", GOOD);
    let out = succeeds(&report(&path, &["--by", "region", "--period", "quarter"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("NPS of 7 responses in "), "{out}");
    assert!(lines[0].ends_with("; 95% intervals, adjusted_wald"), "{out}");
    assert!(lines[1].starts_with("segment") && lines[1].ends_with("p vs rest (Holm)"), "{out}");
    for label in ["all", "quarter: 2026-Q2", "quarter: 2026-Q3", "region: APAC", "region: EMEA"] {
        assert!(lines.iter().any(|l| l.starts_with(label)), "{label} in {out}");
    }
    assert!(lines.iter().any(|l| l.starts_with("2026-Q2 -> 2026-Q3: ")), "{out}");
    // Without --by or --period, the overall line only.
    let out = succeeds(&report(&path, &[]));
    assert_eq!(out.lines().count(), 3, "{out}");
}

#[test]
fn weighted_tables_show_kish_n() {
    let path = file("weighted.csv", GOOD);
    let out = succeeds(&report(&path, &["--weight", "weight"]));
    assert!(out.lines().nth(1).unwrap().contains("Kish n"), "{out}");
    assert!(out.lines().next().unwrap().contains(r#"weighted by "weight""#), "{out}");
}

/// Every number in the JSON is the core's, on the same responses.
#[test]
fn json_has_the_documented_fields_and_the_cores_numbers() {
    let path = file("json.csv", GOOD);
    let args = ["--format", "json", "--by", "region", "--period", "quarter", "--level", "0.9"];
    let doc = json(&report(&path, &args));
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["file"], path.to_str().unwrap());
    assert_eq!(
        (doc["score_column"].as_str(), doc["period_column"].as_str()),
        (Some("score"), Some("quarter"))
    );
    assert!(doc["weight_column"].is_null());
    assert_eq!(
        (doc["missing"].as_str(), doc["method"].as_str()),
        (Some("reject"), Some("adjusted_wald"))
    );
    assert_eq!((doc["level"].as_f64(), doc["rows"].as_u64()), (Some(0.9), Some(7)));

    let estimate_fields = [
        "n",
        "effective_n",
        "promoters",
        "passives",
        "detractors",
        "promoter_share",
        "passive_share",
        "detractor_share",
        "nps",
        "standard_error",
        "lower",
        "upper",
    ];
    let overall = &doc["overall"];
    for field in estimate_fields {
        assert!(overall[field].is_number(), "overall.{field} in {overall}");
    }
    let all = nps(&[10_u8, 9, 3, 7, 10, 0, 9], None, Missing::Reject).unwrap();
    let ci = all.confidence_interval(0.9, NpsMethod::default()).unwrap();
    assert_eq!(overall["nps"].as_f64(), Some(all.score));
    assert_eq!(overall["standard_error"].as_f64(), Some(all.standard_error));
    assert_eq!(
        (overall["lower"].as_f64(), overall["upper"].as_f64()),
        (Some(ci.lower), Some(ci.upper))
    );

    let segments = doc["segments"].as_array().unwrap();
    let names: Vec<(&str, &str)> = segments
        .iter()
        .map(|s| (s["column"].as_str().unwrap(), s["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [("quarter", "2026-Q2"), ("quarter", "2026-Q3"), ("region", "APAC"), ("region", "EMEA")]
    );
    for segment in segments {
        for field in estimate_fields {
            assert!(segment[field].is_number(), "{field} in {segment}");
        }
    }

    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    let change = &changes[0];
    assert_eq!(
        (change["column"].as_str(), change["from"].as_str(), change["to"].as_str()),
        (Some("quarter"), Some("2026-Q2"), Some("2026-Q3"))
    );
    assert_eq!(change["method"], "nps_adjusted_wald");
    let q2 = nps(&[10_u8, 9, 3], None, Missing::Reject).unwrap();
    let q3 = nps(&[7_u8, 10, 0, 9], None, Missing::Reject).unwrap();
    let expected = compare_nps(&q3, &q2, 0.9, NpsMethod::default()).unwrap();
    assert_eq!(change["difference"].as_f64(), Some(expected.estimate));
    assert_eq!(change["p_value"].as_f64(), Some(expected.p_value));
    assert_eq!(change["lower"].as_f64(), Some(expected.interval.lower));
    assert_eq!(change["upper"].as_f64(), Some(expected.interval.upper));
    assert_eq!(change["statistic"].as_f64(), Some(expected.statistic));
    assert_eq!(
        (change["effective_n_from"].as_f64(), change["effective_n_to"].as_f64()),
        (Some(3.0), Some(4.0))
    );
}

#[test]
fn json_weights_and_methods_reach_the_core() {
    let path = file("json-weighted.csv", GOOD);
    let doc =
        json(&report(&path, &["--format", "json", "--weight", "weight", "--method", "score"]));
    let weights = [1.0, 2.0, 1.0, 0.5, 1.0, 1.5, 1.0];
    let all = nps(&[10_u8, 9, 3, 7, 10, 0, 9], Some(&weights), Missing::Reject).unwrap();
    let ci = all.confidence_interval(0.95, NpsMethod::Score).unwrap();
    assert_eq!(doc["method"], "score");
    assert_eq!(doc["weight_column"], "weight");
    assert_eq!(doc["overall"]["effective_n"].as_f64(), Some(all.effective_n));
    assert_eq!(doc["overall"]["lower"].as_f64(), Some(ci.lower));
}

#[test]
fn csv_output_is_one_table_of_estimates_and_changes() {
    let path = file("csv-out.csv", GOOD);
    let out =
        succeeds(&report(&path, &["--format", "csv", "--by", "region", "--period", "quarter"]));
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, fields(section(&doc(), "## CSV")));
    assert_eq!(header.len(), 21);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kinds: Vec<(&str, &str, &str)> = rows.iter().map(|r| (&r[0], &r[1], &r[2])).collect();
    assert_eq!(
        kinds,
        [
            ("nps", "", ""),
            ("nps", "quarter", "2026-Q2"),
            ("nps", "quarter", "2026-Q3"),
            ("nps", "region", "APAC"),
            ("nps", "region", "EMEA"),
            ("change", "quarter", "2026-Q3"),
        ]
    );
    assert_eq!(&rows[0][4], "7");
    assert_eq!(&rows[5][3], "2026-Q2");
    assert_eq!(&rows[5][15], "nps_adjusted_wald");
    for row in &rows {
        for column in [9, 11, 12] {
            row[column].parse::<f64>().unwrap();
        }
    }
}

#[test]
fn the_bundled_survey_runs() {
    let survey = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/survey.csv");
    let out = succeeds(&cxm(&[
        "report",
        survey,
        "--missing",
        "skip",
        "--by",
        "region",
        "--by",
        "channel",
        "--period",
        "quarter",
    ]));
    assert!(out.lines().any(|l| l.starts_with("2026-Q2 -> 2026-Q3: ")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("channel: phone")), "{out}");
}

// ---- docs/cli.md: its examples are what cxm prints, its tables list the fields ---------------

const SMALL: &str = "id,quarter,region,score\n1,2026-Q2,EMEA,10\n2,2026-Q2,APAC,9\n\
                     3,2026-Q2,EMEA,3\n4,2026-Q3,APAC,7\n5,2026-Q3,EMEA,10\n6,2026-Q3,APAC,\n\
                     7,2026-Q3,EMEA,9\n";

fn doc() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/cli.md")).unwrap()
}

/// The text under `heading` (a whole heading line), up to the next heading of any level.
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("{heading}"));
    let body = &doc[start + heading.len() + 2..];
    body.find("\n#").map_or(body, |end| &body[..end])
}

/// The first fenced block of `language` in `text`.
fn block<'a>(text: &'a str, language: &str) -> &'a str {
    let open = format!("```{language}\n");
    let start = text.find(&open).unwrap() + open.len();
    &text[start..start + text[start..].find("```").unwrap()]
}

/// The names in backticks that open the rows of the table in `text`.
fn fields(text: &str) -> Vec<&str> {
    text.lines().filter_map(|line| line.strip_prefix("| `")?.split('`').next()).collect()
}

fn keys(value: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

fn sorted<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut fields: Vec<&str> = fields.into_iter().collect();
    fields.sort_unstable();
    fields
}

/// Runs `cxm` with `args` in a directory holding the docs' `small.csv`.
fn in_small_dir(args: &[&str]) -> String {
    let dir = file("small.csv", SMALL).parent().unwrap().to_owned();
    succeeds(&Command::new(BIN).args(args).current_dir(dir).output().unwrap())
}

#[test]
fn the_docs_examples_are_what_cxm_prints() {
    let doc = doc();
    let table = block(section(&doc, "## Table"), "text");
    let (command, expected) = table.split_once('\n').unwrap();
    let args: Vec<&str> = command.strip_prefix("$ cxm ").unwrap().split(' ').collect();
    assert_eq!(in_small_dir(&args), expected);

    let args = ["report", "small.csv", "--period", "quarter", "--missing", "skip"];
    let json_args = [&args[..], &["--format", "json"]].concat();
    assert_eq!(in_small_dir(&json_args), block(section(&doc, "### Example"), "json"));
    let csv_args = [&args[..], &["--format", "csv"]].concat();
    assert_eq!(in_small_dir(&csv_args), block(section(&doc, "## CSV"), "text"));
}

#[test]
fn the_json_has_exactly_the_documented_fields() {
    let doc = doc();
    let path = file("documented.csv", GOOD);
    let out = json(&report(&path, &["--format", "json", "--by", "region", "--period", "quarter"]));
    let estimate = fields(section(&doc, "### Estimate"));
    assert_eq!(keys(&out), sorted(fields(section(&doc, "### Top level"))));
    assert_eq!(keys(&out["overall"]), sorted(estimate.clone()));
    let segment = sorted(estimate.into_iter().chain(fields(section(&doc, "### Segment"))));
    let changes = sorted(fields(section(&doc, "### Change")));
    for s in out["segments"].as_array().unwrap() {
        assert_eq!(keys(s), segment);
    }
    assert!(!out["changes"].as_array().unwrap().is_empty());
    for c in out["changes"].as_array().unwrap() {
        assert_eq!(keys(c), changes);
    }
}

#[test]
fn rolling_windows_are_marked_as_windows() {
    let doc = doc();
    let path = file("documented-rolling.csv", GOOD);
    let args = ["--format", "json", "--by", "region", "--period", "quarter", "--rolling", "2"];
    let out = json(&report(&path, &args));
    let rolling = fields(section(&doc, "### Rolling windows"));
    let top = fields(section(&doc, "### Top level")).into_iter().chain([rolling[0]]);
    assert_eq!(keys(&out), sorted(top));
    assert_eq!(out["rolling"], 2);
    let windows: Vec<(&str, Option<&str>)> = out["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["value"].as_str().unwrap(), s.get(rolling[1]).and_then(|w| w.as_str())))
        .collect();
    assert_eq!(
        windows,
        [
            ("2026-Q2", Some("2026-Q2")),
            ("2026-Q3", Some("2026-Q2")),
            ("APAC", None),
            ("EMEA", None)
        ]
    );
    let table = succeeds(&report(&path, &["--period", "quarter", "--rolling", "2"]));
    assert!(table
        .lines()
        .next()
        .unwrap()
        .ends_with("; quarter rows are trailing windows of 2 periods"));
    assert!(table.contains("\nquarter: 2026-Q2..2026-Q3 "), "{table}");
    let csv =
        succeeds(&report(&path, &["--period", "quarter", "--rolling", "2", "--format", "csv"]));
    assert!(csv.lines().nth(2).unwrap().ends_with(",2026-Q2"), "{csv}");
}

#[test]
fn the_csv_has_the_documented_columns() {
    let doc = doc();
    let out = succeeds(&report(&file("documented-csv.csv", GOOD), &["--format", "csv"]));
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    assert_eq!(header, fields(section(&doc, "## CSV")));
}

/// A customers file beside the survey: its section, and its bad records named by line before
/// anything is printed.
#[test]
fn customers_are_reported_and_their_bad_records_named() {
    let survey = file("customers-survey.csv", "score\n9\n10\n3\n");
    let good = file("customers.csv", "customer,start,end,value\nA,2025-12-01,,1000\nB,2025-11-01,2026-01-15,500\nC,2026-01-10,,700\n");
    let window = ["--window-start", "2026-01-01", "--window-end", "2026-02-01"];
    let mut args = vec!["--customers", good.to_str().unwrap()];
    args.extend(window);
    let out = succeeds(&report(&survey, &args));
    assert!(out.contains(": 2 at the start, 2 at the end, 1 gained, 1 lost\n"), "{out}");
    assert!(out.contains("\nchurn on the start basis: 50.0% "), "{out}");
    assert!(
        out.contains(
            "\nNCVG: +0 customers (1 new - 1 lost), 2.00 in value a month (7.00 - 5.00)\n"
        ),
        "{out}"
    );

    let bad =
        file("customers-bad.csv", "customer,start,end\nA,2025-12-01,\nB,2026-01-15,2025-11-01\n");
    let mut args = vec!["--customers", bad.to_str().unwrap()];
    args.extend(window);
    let output = report(&survey, &args);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "", "nothing may be printed before a failure");
    assert_eq!(
        stderr(&output),
        format!(
            "cxm: {}: line 3: the record ends on 2025-11-01, before it starts on 2026-01-15\n",
            bad.display()
        )
    );
    bad_usage(&["report", survey.to_str().unwrap(), "--customers", "x.csv"], "--window-start");
    // One customer, lost after a day: 1 loss in 1/30.4 customer-months is 30 a month, which has
    // no annual equivalent, so none is printed (and none clamped to 100%).
    let brief = file("customers-brief.csv", "customer,start,end\nA,2025-12-01,2026-01-02\n");
    let mut args = vec!["--customers", brief.to_str().unwrap()];
    args.extend(window);
    let out = succeeds(&report(&survey, &args));
    let line = out.lines().find(|l| l.starts_with("churn by exposure: ")).unwrap();
    assert!(line.ends_with(", exact)"), "{line}");
    let blank = file("customers-blank.csv", "customer,start,end\nA,2025-12-01,\n,2025-12-01,\n");
    let mut args = vec!["--customers", blank.to_str().unwrap()];
    args.extend(window);
    let output = report(&survey, &args);
    assert!(
        stderr(&output)
            .ends_with("line 3, column \"customer\": blank: every record needs a customer id\n"),
        "{}",
        stderr(&output)
    );
    let mut args = vec!["--customers", good.to_str().unwrap()];
    args.extend(["--window-start", "2026-02-01", "--window-end", "2026-01-01"]);
    bad_usage(
        &["report", survey.to_str().unwrap()].iter().chain(&args).copied().collect::<Vec<_>>(),
        "the window from 2026-02-01 to 2026-01-01 is empty",
    );
}

#[test]
fn customers_files_are_read_strictly_and_ratios_never_print_nan() {
    // Issue 15, item 9: signed dates were read, a duplicated or mis-cased value column used or
    // ignored silently, and NRR/GRR printed "NaN%" when all values are 0; item 17: "-0.0".
    let survey = file("strict-survey.csv", "score\n9\n10\n3\n");
    let window = ["--window-start", "2026-01-01", "--window-end", "2026-02-01"];
    let run = |name: &str, contents: &str| {
        let path = file(name, contents);
        let mut args = vec!["--customers".to_owned(), path.to_str().unwrap().to_owned()];
        args.extend(window.iter().map(|s| (*s).to_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        (path.clone(), report(&survey, &args))
    };
    let (path, out) = run("signed-date.csv", "customer,start,end\nA,+202-01-05,\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "cxm: {}: line 2, column \"start\": \"+202-01-05\" is not a date YYYY-MM-DD\n",
            path.display()
        )
    );
    let (_, out) = run("twice.csv", "customer,start,end,value,value\nA,2025-12-01,,100,200\n");
    assert!(
        stderr(&out).contains("the header names the column \"value\" twice"),
        "{}",
        stderr(&out)
    );
    let (_, out) = run("cased.csv", "customer,start,end,Value\nA,2025-12-01,,100\n");
    assert!(
        stderr(&out).contains("the header has \"Value\" but not \"value\""),
        "{}",
        stderr(&out)
    );
    let (_, out) =
        run("zero-values.csv", "customer,start,end,value\nA,2025-12-01,,0\nB,2025-12-01,,0\n");
    let text = succeeds(&out);
    assert!(text.contains("revenue: NRR n/a, GRR n/a, gross revenue churn n/a;"), "{text}");
    assert!(!text.contains("NaN") && !text.contains("-0.0"), "{text}");
    bad_usage(
        &[
            "report",
            survey.to_str().unwrap(),
            "--customers",
            "x.csv",
            "--window-start",
            "2025-+1-+5",
            "--window-end",
            "2026-02-01",
        ],
        "--window-start \"2025-+1-+5\" is not a date of the form YYYY-MM-DD",
    );
}

#[test]
fn help_says_the_essentials_and_csv_does_not_drop_customers() {
    // Issue 15, items 14 and 17: --format csv dropped the customers' section silently, and
    // `report --help` pointed to docs/cli.md, which an installed binary's user does not have.
    let help = succeeds(&cxm(&["report", "--help"]));
    for essential in
        ["missing-value markers", "--na-values", "Exit codes", "customer,start,end", "cxm report -"]
    {
        assert!(help.contains(essential), "{essential} in {help}");
    }
    let survey = file("csv-customers.csv", "score\n9\n");
    bad_usage(
        &[
            "report",
            survey.to_str().unwrap(),
            "--format",
            "csv",
            "--customers",
            "c.csv",
            "--window-start",
            "2026-01-01",
            "--window-end",
            "2026-02-01",
        ],
        "--format csv writes the survey's table only",
    );
}

#[test]
fn customers_columns_and_decimal_values_can_be_named() {
    // Issue 15, item 14: fixed column names, and values only in whole minor units (99.00 refused).
    let survey = file("layout-survey.csv", "score\n9\n");
    let window = ["--window-start", "2026-01-01", "--window-end", "2026-02-01"];
    let path = file(
        "layout.csv",
        "id,since,until,mrr\nA,2025-12-01,,99.00\nB,2025-11-01,2026-01-15,49.5\n",
    );
    let mut args = vec!["--customers", path.to_str().unwrap(), "--format", "json"];
    args.extend(window);
    args.extend(["--customer-col", "id", "--start-col", "since", "--end-col", "until"]);
    args.extend(["--value-col", "mrr", "--value-scale", "2"]);
    let doc = json(&report(&survey, &args));
    let flow = &doc["customers"]["flow"];
    assert_eq!(
        (flow["value_at_start"].as_i64(), flow["lost_value"].as_i64()),
        (Some(14_850), Some(4_950))
    );
    // The table shows the amounts with the decimals they were read with.
    let table: Vec<&str> =
        args.iter().copied().filter(|a| *a != "json" && *a != "--format").collect();
    let text = succeeds(&report(&survey, &table));
    assert!(text.contains("lost 49.50 of 148.50 a month"), "{text}");
    let mut thousandths = table.clone();
    *thousandths.last_mut().unwrap() = "3";
    let text = succeeds(&report(&survey, &thousandths));
    assert!(text.contains("lost 49.500 of 148.500 a month"), "{text}");
    args.truncate(args.len() - 2);
    let output = report(&survey, &args);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(r#"line 2, column "mrr": "99.00" is not a whole number of minor units (for 99.00, pass --value-scale 2)"#),
        "{}",
        stderr(&output)
    );
}

#[test]
fn core_messages_about_the_window_show_dates() {
    // Issue 15, item 10: "no customer is active at the window start 1767225600 (seconds since
    // the Unix epoch)" where the user gave --window-start 2026-01-01.
    let survey = file("dates-survey.csv", "score\n9\n");
    let late = file("dates-late.csv", "customer,start,end\nA,2026-03-01,\n");
    let args = [
        "--customers",
        late.to_str().unwrap(),
        "--window-start",
        "2026-01-01",
        "--window-end",
        "2026-02-01",
    ];
    let output = report(&survey, &args);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .contains("no customer is active at the window start 2026-01-01, so there is no churn"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn segments_are_against_the_rest_with_holm_and_small_ones_flagged() {
    let path = file("versus.csv", GOOD);
    let out = json(&report(&path, &["--format", "json", "--by", "region", "--min-n", "4"]));
    let segments = out["segments"].as_array().unwrap();
    // Each region against the other: the core's compare_nps of the two, Holm over the two.
    let p: Vec<f64> =
        segments.iter().map(|s| s["versus_rest"]["p_value"].as_f64().unwrap()).collect();
    let holm = cxm_core::adjust_p_values(&p, cxm_core::Adjustment::Holm).unwrap();
    let adjusted: Vec<f64> =
        segments.iter().map(|s| s["versus_rest"]["p_adjusted"].as_f64().unwrap()).collect();
    assert_eq!(adjusted, holm);
    // APAC has 3 responses, below --min-n 4; EMEA has 4.
    let small: Vec<bool> = segments.iter().map(|s| s["small"].as_bool().unwrap()).collect();
    assert_eq!(small, [true, false], "{out}");
    assert_eq!(segments[0]["small_because"], "fewer than 4 responses");
}

#[test]
fn rolling_windows_merge_the_periods() {
    let csv = "quarter,score\n2026-Q1,10\n2026-Q1,3\n2026-Q2,9\n2026-Q3,7\n2026-Q3,10\n2026-Q3,0\n";
    let path = file("rolling.csv", csv);
    let out = json(&report(&path, &["--format", "json", "--period", "quarter", "--rolling", "2"]));
    let q3 = &out["segments"][2];
    // Q2 and Q3 together: 9, 7, 10, 0 -> 2 promoters, 1 detractor of 4: NPS 25.
    assert_eq!(
        (q3["value"].as_str(), q3["n"].as_u64(), q3["nps"].as_f64()),
        (Some("2026-Q3"), Some(4), Some(25.0))
    );
    assert_eq!(out["overall"]["n"], 6, "the overall is every response once");
    // Q3's window (Q2 and Q3) against the rest, Q1: the core's comparison of the two.
    let q1 = cxm_core::nps(&[10_u8, 3], None, cxm_core::Missing::Reject).unwrap();
    let window = cxm_core::nps(&[9_u8, 7, 10, 0], None, cxm_core::Missing::Reject).unwrap();
    let c = cxm_core::compare_nps(&window, &q1, 0.95, cxm_core::NpsMethod::AdjustedWald).unwrap();
    assert_eq!(q3["versus_rest"]["p_value"].as_f64(), Some(c.p_value));
    // Windows of 2 are compared with the window 2 periods before, which they do not overlap:
    // Q3's (Q2, Q3) with Q1's (Q1 alone).
    let changes = out["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    let (from, to) = (changes[0]["from"].as_str(), changes[0]["to"].as_str());
    assert_eq!((from, to), (Some("2026-Q1"), Some("2026-Q3")));
    let e = report(&path, &["--rolling", "2"]);
    assert!(!e.status.success());
    assert!(String::from_utf8_lossy(&e.stderr).contains("--period"), "needs --period");
}

#[test]
fn a_line_break_in_a_quoted_label_stays_on_its_row() {
    let csv = "region,score\n\"North\nEast\",9\n\"North\nEast\",10\nSouth,3\n";
    let path = file("newline-label.csv", csv);
    let out = succeeds(&report(&path, &["--by", "region"]));
    assert!(out.lines().any(|l| l.starts_with("region: North\\nEast ")), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with("region: ")).count(), 2, "{out}");
    let doc = json(&report(&path, &["--by", "region", "--format", "json"]));
    assert_eq!(doc["segments"][0]["value"], "North\nEast", "JSON keeps the real label");
}

#[test]
fn kish_n_is_printed_with_its_decimals() {
    // Weights 1, 1, 2: Kish's n = 16 / 6 = 2.67.
    let path = file("kish.csv", "score,w\n9,1\n3,1\n10,2\n");
    let out = succeeds(&report(&path, &["--weight", "w"]));
    let all = out.lines().find(|l| l.starts_with("all")).unwrap();
    assert!(all.contains(" 2.67 "), "{out}");
}

#[test]
fn compare_method_needs_a_period_and_a_method_that_compares() {
    let path = file("compare-method.csv", GOOD);
    let e = report(&path, &["--compare-method", "wald"]);
    assert_eq!(e.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&e.stderr).contains("--period"), "{e:?}");
    let e = report(&path, &["--period", "quarter", "--compare-method", "score"]);
    assert_eq!(e.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&e.stderr);
    assert!(
        stderr.contains("score does not compare two NPS: expected one of wald, adjusted_wald"),
        "{stderr}"
    );
}

#[test]
fn the_header_counts_the_responses_scored_and_the_rows_skipped() {
    let path = file("header.csv", "id,score\n1,9\n2,\n3,3\n");
    let out = succeeds(&report(&path, &["--missing", "skip"]));
    assert!(out.starts_with("NPS of 2 responses in "), "{out}");
    assert!(out.lines().next().unwrap().contains("(3 rows, 1 missing score skipped)"), "{out}");
}

// ---- --metric csat and ces: the favourable share of a rating scale -------------------------

/// CSAT answers 1-5 (column `sat`) and CES answers 1-7 (column `effort`), by quarter and region.
const RATINGS: &str = "id,quarter,region,sat,effort\n\
                       1,2026-Q2,EMEA,5,7\n\
                       2,2026-Q2,APAC,4,5\n\
                       3,2026-Q2,EMEA,2,2\n\
                       4,2026-Q3,APAC,3,4\n\
                       5,2026-Q3,EMEA,5,6\n\
                       6,2026-Q3,APAC,4,1\n\
                       7,2026-Q3,EMEA,1,3\n\
                       8,2026-Q3,EMEA,5,5\n";

/// The rating of `scores` on `scale` by the core's one-shot function: a path independent of the
/// CLI's grouping.
fn rating_of(scores: &[u8], scale: cxm_core::Scale) -> cxm_core::Rating {
    cxm_core::rating(scores, None, Missing::Reject, scale).unwrap()
}

#[test]
fn csat_is_the_share_of_4_and_5_with_its_wilson_interval() {
    let path = file("csat.csv", RATINGS);
    let out = json(&report(&path, &["--metric", "csat", "--score", "sat", "--format", "json"]));
    let overall = &out["overall"];
    // 5 of 8 answers are 4 or 5: share 0.625. Wilson at 95% (z = 1.959964):
    // (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n) = 0.584449 ∓ 0.278707, so
    // [0.305742, 0.863156].
    assert_eq!((overall["n"].as_u64(), overall["favourable"].as_u64()), (Some(8), Some(5)));
    assert_eq!(overall["share"].as_f64(), Some(0.625));
    let (lower, upper) = (overall["lower"].as_f64().unwrap(), overall["upper"].as_f64().unwrap());
    assert!((lower - 0.305_742).abs() < 1e-5 && (upper - 0.863_156).abs() < 1e-5, "{overall}");
    // ... and exactly the core's, computed directly.
    let core = rating_of(&[5, 4, 2, 3, 5, 4, 1, 5], cxm_core::Scale::csat());
    let ci = core.share_interval(0.95, cxm_core::ProportionMethod::default()).unwrap();
    assert_eq!((lower, upper), (ci.lower, ci.upper));
    assert_eq!(overall["mean"].as_f64(), Some(core.mean));
    assert_eq!(overall["standard_deviation"].as_f64(), Some(core.standard_deviation));
    assert_eq!((out["metric"].as_str(), out["method"].as_str()), (Some("csat"), Some("wilson")));
    assert_eq!(
        out["scale"],
        serde_json::json!({"min": 1, "max": 5, "threshold": 4, "higher_is_better": true})
    );
    assert!(overall.get("nps").is_none() && overall.get("promoters").is_none(), "{overall}");
}

#[test]
fn csat_by_segment_and_period_reaches_the_core() {
    let path = file("csat-segments.csv", RATINGS);
    let args = ["--metric", "csat", "--score", "sat", "--by", "region", "--period", "quarter"];
    let out = json(&report(&path, &[&args[..], &["--format", "json", "--min-n", "4"]].concat()));
    let segments = out["segments"].as_array().unwrap();
    let labels: Vec<(&str, &str)> = segments
        .iter()
        .map(|s| (s["column"].as_str().unwrap(), s["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        labels,
        [("quarter", "2026-Q2"), ("quarter", "2026-Q3"), ("region", "APAC"), ("region", "EMEA")]
    );
    let csat = cxm_core::Scale::csat();
    let wilson = cxm_core::ProportionMethod::Wilson;
    let (q2, q3) = (rating_of(&[5, 4, 2], csat), rating_of(&[3, 5, 4, 1, 5], csat));
    let (apac, emea) = (rating_of(&[4, 3, 4], csat), rating_of(&[5, 2, 5, 1, 5], csat));
    for (segment, core) in segments.iter().zip([q2, q3, apac, emea]) {
        let ci = core.share_interval(0.95, wilson).unwrap();
        assert_eq!(segment["share"].as_f64(), Some(core.share), "{segment}");
        assert_eq!(segment["favourable"].as_u64(), Some(core.favourable), "{segment}");
        assert_eq!(segment["lower"].as_f64(), Some(ci.lower), "{segment}");
        assert_eq!(segment["upper"].as_f64(), Some(ci.upper), "{segment}");
    }
    // Each segment against the rest: the core's comparison of two proportions, Holm over the
    // column's two segments; --min-n 4 flags the segments of 3.
    let versus = cxm_core::compare_proportions(2.0, 3.0, 3.0, 5.0, 0.95).unwrap();
    assert_eq!(segments[2]["versus_rest"]["p_value"].as_f64(), Some(versus.p_value));
    assert_eq!(segments[2]["versus_rest"]["difference"].as_f64(), Some(versus.estimate));
    let small: Vec<bool> = segments.iter().map(|s| s["small"].as_bool().unwrap()).collect();
    assert_eq!(small, [true, false, true, false]);
    // Q3 against Q2: 3 of 5 against 2 of 3, by the core.
    let change = cxm_core::compare_proportions(3.0, 5.0, 2.0, 3.0, 0.95).unwrap();
    let c = &out["changes"][0];
    assert_eq!((c["from"].as_str(), c["to"].as_str()), (Some("2026-Q2"), Some("2026-Q3")));
    assert_eq!(c["method"], "newcombe_score");
    assert_eq!(c["difference"].as_f64(), Some(change.estimate));
    assert_eq!(c["lower"].as_f64(), Some(change.interval.lower));
    assert_eq!(c["p_value"].as_f64(), Some(change.p_value));

    // The table: the metric named, the shares in percent, the change in percentage points.
    let text = succeeds(&report(&path, &args));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "CSAT (share of 4-5 on 1-5) of 8 responses in {}; 95% intervals, wilson",
                path.display()
            )
            .as_str()
        )
    );
    assert!(lines.next().unwrap().contains("   CSAT     SE  95% interval"), "{text}");
    let all = lines.next().unwrap();
    assert!(all.starts_with("all ") && all.contains(" 62.5%  17.1%  [ 30.6%,  86.3%]"), "{text}");
    assert!(text.contains("\n2026-Q2 -> 2026-Q3: -6.7 percentage points (95% CI "), "{text}");
    assert!(!text.contains("NPS"), "{text}");
}

#[test]
fn ces_uses_the_cores_scale_or_the_one_given() {
    let path = file("ces.csv", RATINGS);
    // The core's CES: 1-7, easy = 5-7: 7, 5, 6, 5 of 8.
    let out = json(&report(&path, &["--metric", "ces", "--score", "effort", "--format", "json"]));
    let core = rating_of(&[7, 5, 2, 4, 6, 1, 3, 5], cxm_core::Scale::ces());
    assert_eq!((core.favourable, out["overall"]["favourable"].as_u64()), (4, Some(4)));
    assert_eq!(out["overall"]["share"].as_f64(), Some(0.5));
    let ci = core.share_interval(0.95, cxm_core::ProportionMethod::Wilson).unwrap();
    assert_eq!(out["overall"]["lower"].as_f64(), Some(ci.lower));
    assert_eq!(out["metric"], "ces");
    // An effort scale 1-5 where low is easy: 1 and 2 count (the sat column read as effort).
    let args = [
        "--metric",
        "ces",
        "--score",
        "sat",
        "--scale",
        "1-5",
        "--threshold",
        "2",
        "--lower-is-better",
        "--method",
        "jeffreys",
    ];
    let out = json(&report(&path, &[&args[..], &["--format", "json"]].concat()));
    let scale = cxm_core::Scale::new(1, 5, 2, false).unwrap();
    let core = rating_of(&[5, 4, 2, 3, 5, 4, 1, 5], scale);
    let ci = core.share_interval(0.95, cxm_core::ProportionMethod::Jeffreys).unwrap();
    assert_eq!(out["overall"]["share"].as_f64(), Some(0.25));
    assert_eq!(out["overall"]["upper"].as_f64(), Some(ci.upper));
    assert_eq!(out["method"], "jeffreys");
    assert_eq!(out["scale"]["higher_is_better"], false);
    let text = succeeds(&report(&path, &args));
    assert!(text.starts_with("CES (share of 1-2 on 1-5) of 8 responses in "), "{text}");
    // A weighted CES reaches the core with its weights.
    let weighted = file("ces-weighted.csv", "effort,w\n7,1\n2,3\n5,0.5\n");
    let out = json(&report(
        &weighted,
        &["--metric", "ces", "--score", "effort", "--weight", "w", "--format", "json"],
    ));
    let core = cxm_core::rating(
        &[7_u8, 2, 5],
        Some(&[1.0, 3.0, 0.5]),
        Missing::Reject,
        cxm_core::Scale::ces(),
    )
    .unwrap();
    assert_eq!(out["overall"]["share"].as_f64(), Some(core.share));
    assert_eq!(out["overall"]["effective_n"].as_f64(), Some(core.effective_n));
}

#[test]
fn rating_csv_keeps_the_columns_with_the_metric_as_kind() {
    let path = file("csat-csv.csv", RATINGS);
    let args = ["--metric", "csat", "--score", "sat", "--period", "quarter", "--format", "csv"];
    let out = succeeds(&report(&path, &args));
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header.len(), 21);
    assert_eq!(header, fields(section(&doc(), "## CSV")));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kinds: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(kinds, ["csat", "csat", "csat", "change"]);
    let all = &rows[0];
    assert_eq!((&all[4], &all[6], &all[7], &all[8], &all[9]), ("8", "", "", "", "0.625"));
    assert_eq!((&all[14], &all[15]), ("0.95", "wilson"));
    let change = &rows[3];
    assert_eq!((&change[2], &change[3], &change[15]), ("2026-Q3", "2026-Q2", "newcombe_score"));
    let out =
        succeeds(&report(&path, &["--metric", "ces", "--score", "effort", "--format", "csv"]));
    assert!(out.lines().nth(1).unwrap().starts_with("ces,,,,8,8,,,,0.5,"), "{out}");
}

#[test]
fn rating_options_are_checked_against_the_metric() {
    let path = file("rating-usage.csv", RATINGS);
    let path = path.to_str().unwrap();
    let run = |extra: &[&str], message: &str| {
        bad_usage(&[&["report", path][..], extra].concat(), message);
    };
    run(&["--scale", "1-5"], "--scale is for rating scales (--metric csat or ces)");
    run(&["--threshold", "4"], "--threshold is for rating scales");
    run(&["--lower-is-better"], "--lower-is-better is for rating scales");
    run(
        &["--metric", "csat", "--score", "sat", "--period", "quarter", "--compare-method", "wald"],
        "--compare-method is for --metric nps",
    );
    // The method's names are the core's for the metric: a share's, not an NPS's.
    run(
        &["--metric", "csat", "--score", "sat", "--method", "bootstrap"],
        "unknown proportion interval method \"bootstrap\": expected one of wilson, agresti_coull",
    );
    run(&["--metric", "csat", "--scale", "0-10"], "--scale 0-10 needs --threshold");
    // The direction alone is another scale too, and the message names what was given.
    run(&["--metric", "ces", "--lower-is-better"], "--lower-is-better needs --threshold");
    run(&["--metric", "csat", "--threshold", "6"], "the threshold 6 is outside the scale 1..=5");
    run(&["--metric", "csat", "--scale", "5"], "is not MIN-MAX");
    run(&["--metric", "csat", "--scale", "5-1", "--threshold", "3"], "needs min < max");
}

#[test]
fn a_rating_outside_the_scale_names_its_line_and_column() {
    let path = file("csat-bad.csv", "id,sat\n1,5\n2,4\n3,6\n");
    bad_file(
        &path,
        &["--metric", "csat", "--score", "sat"],
        "line 4, column \"sat\": score 6 is outside 1..=5",
    );
    // On a scale given: 0 is not on 1-5, and on 0-10 it is.
    let path = file("ces-bad.csv", "effort\n3\n0\n");
    let scale = ["--metric", "ces", "--score", "effort", "--threshold", "2", "--lower-is-better"];
    bad_file(
        &path,
        &[&scale[..], &["--scale", "1-5"]].concat(),
        "line 3, column \"effort\": score 0 is outside 1..=5",
    );
    succeeds(&report(&path, &[&scale[..], &["--scale", "0-10"]].concat()));
    // A missing rating is as a missing NPS score: rejected, or skipped with --missing skip.
    let path = file("csat-blank.csv", "sat\n5\n\n4\nNA\n");
    let out =
        succeeds(&report(&path, &["--metric", "csat", "--score", "sat", "--missing", "skip"]));
    assert!(out.starts_with("CSAT (share of 4-5 on 1-5) of 2 responses in "), "{out}");
    assert!(out.contains("(3 rows, 1 missing score skipped)"), "{out}");
}

#[test]
fn the_rating_json_has_exactly_the_documented_fields() {
    let doc = doc();
    let path = file("documented-rating.csv", RATINGS);
    let args = ["--metric", "csat", "--score", "sat", "--by", "region", "--period", "quarter"];
    let out = json(&report(&path, &[&args[..], &["--format", "json"]].concat()));
    let top = fields(section(&doc, "### Top level"))
        .into_iter()
        .chain(fields(section(&doc, "### Rating top level")));
    assert_eq!(keys(&out), sorted(top));
    let estimate = fields(section(&doc, "### Rating estimate"));
    assert_eq!(keys(&out["overall"]), sorted(estimate.clone()));
    let segment = sorted(estimate.into_iter().chain(fields(section(&doc, "### Segment"))));
    for s in out["segments"].as_array().unwrap() {
        assert_eq!(keys(s), segment);
    }
    let changes = sorted(fields(section(&doc, "### Change")));
    for c in out["changes"].as_array().unwrap() {
        assert_eq!(keys(c), changes);
    }
}

#[test]
fn the_docs_rating_example_is_what_cxm_prints() {
    let doc = doc();
    let example = block(section(&doc, "### CSAT and CES"), "text");
    let (command, expected) = example.split_once('\n').unwrap();
    let args: Vec<&str> = command.strip_prefix("$ cxm ").unwrap().split(' ').collect();
    let dir = file("ratings.csv", RATINGS).parent().unwrap().to_owned();
    let out = succeeds(&Command::new(BIN).args(&args).current_dir(dir).output().unwrap());
    assert_eq!(out, expected);
}

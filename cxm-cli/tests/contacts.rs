//! `cxm report --contacts`: the contact records' figures are the core's, the churn after an
//! unresolved first contact is the core's `churn_lift`, and a bad record is named by its line and
//! column before anything is printed.

mod common;

use common::{bad_usage, cxm, file, stderr, stdout, succeeds};
use cxm_core::{
    churn_lift, contact_centre, durations, CustomerRecords, Transform, DEFAULT_PERCENTILES,
    OPEN_END,
};

const CONTACTS: &str = "\
contact,customer,wait_seconds,answered,handle_seconds,first_contact_resolved,resolution_seconds,open
1,A,5,true,300,true,300,false
2,B,45,false,,,,
3,A,12,yes,240,no,90000,
4,C,2,0,,,,
5,C,30,1,180,true,180,false
6,D,8,True,200,false,4000,true
";

const CUSTOMERS: &str = "\
customer,start,end
A,2025-06-01,2026-02-10
B,2025-06-01,
C,2025-06-01,
D,2025-06-01,2026-03-01
E,2025-06-01,
";

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&succeeds(&cxm(args))).unwrap()
}

#[test]
fn the_figures_are_the_cores() {
    let path = file("contacts.csv", CONTACTS);
    let out = json(&["report", "--contacts", path.to_str().unwrap(), "--format", "json"]);
    // No survey: the document has the contacts' section only.
    let keys: Vec<&str> = out.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["contacts", "schema"]); // sorted
    let waits = [5.0, 45.0, 12.0, 2.0, 30.0, 8.0];
    let answered = [true, false, true, false, true, true];
    let centre = contact_centre(&waits, &answered, None, 20.0, &DEFAULT_PERCENTILES, 0.95).unwrap();
    assert_eq!(out["contacts"]["contact_centre"], serde_json::to_value(&centre).unwrap());
    let summary = |times: &[f64], open: Option<&[bool]>| {
        let d = durations(times, open, None, &DEFAULT_PERCENTILES, None, 0.95, Transform::LogLog);
        serde_json::to_value(d.unwrap()).unwrap()
    };
    assert_eq!(out["contacts"]["handle_time"], summary(&[300.0, 240.0, 180.0, 200.0], None));
    let resolution = summary(&[300.0, 90_000.0, 180.0, 4000.0], Some(&[false, false, false, true]));
    assert_eq!(out["contacts"]["time_to_resolution"], resolution);
    let fcr = &out["contacts"]["first_contact_resolution"];
    assert_eq!((fcr["successes"].as_i64(), fcr["n"].as_i64()), (Some(2), Some(4)));

    let table = succeeds(&cxm(&["report", "--contacts", path.to_str().unwrap()]));
    let first = format!("Contacts in {}: 6 offered, 4 answered, 2 abandoned\n", path.display());
    assert!(table.starts_with(&first), "{table}");
    assert!(table.contains("\nabandonment: 33.3% of 6 offered (95% CI "), "{table}");
    assert!(table.contains(", 1 still open (Kaplan-Meier, log-log band): "), "{table}");
    // The short abandon (2 s) is left out of both counts when asked.
    let args = ["report", "--contacts", path.to_str().unwrap(), "--short-abandon-seconds", "3"];
    let table = succeeds(&cxm(&args));
    assert!(
        table.contains(
            ": 5 offered, 4 answered, 1 abandoned (1 short abandon, within 3 s, left out)\n"
        ),
        "{table}"
    );
}

#[test]
fn churn_after_an_unresolved_first_contact_is_the_cores_lift() {
    let (contacts, customers) =
        (file("lift-contacts.csv", CONTACTS), file("lift-customers.csv", CUSTOMERS));
    let args = [
        "report",
        "--contacts",
        contacts.to_str().unwrap(),
        "--customers",
        customers.to_str().unwrap(),
        "--window-start",
        "2026-01-01",
        "--window-end",
        "2026-04-01",
        "--format",
        "json",
    ];
    let out = json(&args);
    // A (0) has an unresolved first contact and leaves, D (3) too; C's was resolved; B's
    // outcome is not known and E never called.
    let day = |d: i64| 1_767_225_600 + d * 86_400; // 2026-01-01 + d days
    let (starts, ends) = ([day(-214); 5], [day(40), OPEN_END, OPEN_END, day(59), OPEN_END]);
    let ids = [0, 1, 2, 3, 4];
    let records =
        CustomerRecords { starts: &starts, ends: Some(&ends), values: None, customers: Some(&ids) };
    // Contacts with a known outcome: A resolved, A not, C resolved, D not.
    let (who, unresolved) = ([0, 0, 2, 3], [false, true, false, true]);
    let lift = churn_lift(&records, day(0), day(90), &who, &unresolved, 0.95);
    let expected = serde_json::to_value(lift.unwrap()).unwrap();
    assert_eq!(out["customers"]["first_contact_churn_lift"], expected);
    assert_eq!(out["customers"]["first_contact_churn_lift"]["marked"]["lost"], 2);
    let mut table_args = args.to_vec();
    table_args.truncate(args.len() - 2);
    let table = succeeds(&cxm(&table_args));
    assert!(table.contains("\nchurn from 2026-01-01 to 2026-04-01 after an unresolved first contact: 100.0% of 2 customers, against 0.0% of 1 whose"), "{table}");
    // No customer whose every first contact resolved the issue: the report says there is no
    // lift, and why, and goes on.
    let all_unresolved = file(
        "lift-unresolved.csv",
        CONTACTS
            .replace(",true,300,false", ",false,300,false")
            .replace(",true,180,false", ",false,180,false"),
    );
    table_args[2] = all_unresolved.to_str().unwrap();
    let table = succeeds(&cxm(&table_args));
    assert!(table.contains("\nchurn after an unresolved first contact: none, a customer active at the window start in the group whose every first contact resolved the issue is needed"), "{table}");
    let mut json_args = table_args.clone();
    json_args.extend(["--format", "json"]);
    let out = json(&json_args);
    assert!(out["customers"]["no_first_contact_churn_lift"]
        .as_str()
        .unwrap()
        .starts_with("a customer active"));
}

/// A bad record: exit 1, nothing on stdout, its line and column named.
fn bad_record(name: &str, contents: &str, message: &str) {
    let path = file(name, contents);
    let output = cxm(&["report", "--contacts", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stdout(&output), "", "nothing may be printed before a failure");
    assert_eq!(stderr(&output), format!("cxm: {}: {message}\n", path.display()));
}

#[test]
fn bad_records_are_named_by_line_and_column() {
    let header = "wait_seconds,answered,handle_seconds,resolution_seconds,open\n";
    let with = |rows: &str| format!("{header}5,true,100,100,false\n{rows}");
    bad_record(
        "contacts-negative.csv",
        &with("-3,false,,,\n"),
        "line 3, column \"wait_seconds\": the contact has the wait -3: a wait is a finite number of seconds, 0 or more",
    );
    bad_record(
        "contacts-nan.csv",
        &with("4,true,NaN,,\n"),
        "line 3, column \"handle_seconds\": the contact has the time NaN: a duration is a finite number of seconds, 0 or more",
    );
    bad_record(
        "contacts-unresolved.csv",
        &with("4,true,100,,false\n"),
        "line 3, column \"resolution_seconds\": blank for a resolved case: a resolved case needs its time to resolution",
    );
    bad_record(
        "contacts-open.csv",
        &with("4,true,100,,true\n"),
        "line 3, column \"resolution_seconds\": blank for a case still open: its time is the time open so far",
    );
    bad_record(
        "contacts-handle.csv",
        &with("4,false,100,,\n"),
        "line 3, column \"handle_seconds\": given for a contact that was abandoned",
    );
    bad_record(
        "contacts-flag.csv",
        &with("4,maybe,,,\n"),
        "line 3, column \"answered\": \"maybe\" is not a flag: true/false, yes/no or 1/0",
    );
    bad_record("contacts-short.csv", &with("4,true\n"), "line 3: 2 fields, where the header has 5");
    bad_record("contacts-empty.csv", header, "no contacts: the file has a header line but no rows");
}

#[test]
fn options_are_checked_as_usage() {
    let path = file("contacts-usage.csv", CONTACTS);
    let path = path.to_str().unwrap();
    bad_usage(&["report"], "FILE");
    bad_usage(&["report", "--contacts", path, "--by", "region"], "FILE");
    bad_usage(&["report", "--service-level-seconds", "20"], "--contacts");
    bad_usage(
        &["report", "--contacts", path, "--service-level-seconds", "-1"],
        "service level time",
    );
    let survey = file("contacts-survey.csv", "score\n9\n");
    bad_usage(
        &["report", survey.to_str().unwrap(), "--contacts", path, "--format", "csv"],
        "the contacts' section is in the table and json formats",
    );
}

#[test]
fn a_column_named_on_the_command_line_must_exist() {
    // A typo in an optional column's name would turn open cases into resolved ones.
    let path = file("contacts-typo.csv", CONTACTS);
    let output = cxm(&["report", "--contacts", path.to_str().unwrap(), "--open-col", "opne"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("line 1: no column \"opne\"; the header has "),
        "{}",
        stderr(&output)
    );
    // Under its default name, an optional column may be absent.
    let bare = file("contacts-bare.csv", "wait_seconds,answered\n5,true\n40,false\n");
    let table = succeeds(&cxm(&["report", "--contacts", bare.to_str().unwrap()]));
    assert!(table.starts_with(&format!(
        "Contacts in {}: 2 offered, 1 answered, 1 abandoned\n",
        bare.display()
    )));
    // One answered contact: its median has no distribution-free interval, which is "n/a", not
    // "not reached" (that is for a Kaplan–Meier curve that never comes down that far).
    assert!(
        table.contains("\nspeed of answer: mean 5 s; median 5 s (95% CI n/a to n/a)"),
        "{table}"
    );
}

#[test]
fn a_lift_needs_the_contacts_customers() {
    let (contacts, customers) = (
        file(
            "nocustomer-contacts.csv",
            "wait_seconds,answered,first_contact_resolved\n5,true,false\n",
        ),
        file("nocustomer-customers.csv", CUSTOMERS),
    );
    let args = [
        "report",
        "--contacts",
        contacts.to_str().unwrap(),
        "--customers",
        customers.to_str().unwrap(),
        "--window-start",
        "2026-01-01",
        "--window-end",
        "2026-04-01",
    ];
    let table = succeeds(&cxm(&args));
    assert!(
        table.contains("\nchurn after an unresolved first contact: none, the contacts file has no customer column (\"customer\")\n"),
        "{table}"
    );
}

#[test]
fn more_bad_records_and_files() {
    bad_record(
        "contacts-fcr-abandoned.csv",
        "wait_seconds,answered,first_contact_resolved\n5,true,true\n5,false,true\n",
        "line 3, column \"first_contact_resolved\": given for a contact that was abandoned",
    );
    bad_record(
        "contacts-nothing.csv",
        "",
        "the file is empty: expected a header line naming the columns, with \"wait_seconds\" and \"answered\" among them",
    );
    let path = file("contacts-within.csv", CONTACTS);
    bad_usage(
        &["report", "--contacts", path.to_str().unwrap(), "--resolved-within=-1"],
        "time within which cases are counted",
    );
    // Options of the survey need the survey.
    bad_usage(&["report", "--contacts", path.to_str().unwrap(), "--missing", "skip"], "FILE");
}

//! The C contract, exercised from Rust: bad pointers and values give a status and a message,
//! never a crash, and out-params are untouched on failure.

use std::ffi::c_char;
use std::ptr;

use cxm::{
    cxm_last_error_message, cxm_nps_confidence_interval, cxm_nps_f64, cxm_nps_from_counts,
    cxm_nps_i64, cxm_nps_u8, Interval, NpsResult, Status,
};

fn last_error() -> String {
    let mut buf = [0 as c_char; 256];
    let mut written = 0;
    // SAFETY: a 256-byte buffer and a valid `written`.
    let status =
        unsafe { cxm_last_error_message(buf.as_mut_ptr(), buf.len(), ptr::from_mut(&mut written)) };
    assert_eq!(status, Status::Ok);
    String::from_utf8(buf[..written].iter().map(|c| c.cast_unsigned()).collect()).unwrap()
}

const UNTOUCHED: NpsResult = NpsResult {
    n: 7,
    promoters: 7,
    passives: 7,
    detractors: 7,
    promoter_share: 7.0,
    passive_share: 7.0,
    detractor_share: 7.0,
    score: 7.0,
    standard_error: 7.0,
    effective_n: 7.0,
};

#[test]
fn success_matches_the_core_and_clears_the_message() {
    let scores = [10_u8, 9, 8, 3];
    let mut out = UNTOUCHED;
    // SAFETY: valid buffers.
    let status = unsafe { cxm_nps_u8(scores.as_ptr(), 4, ptr::null(), 0, &raw mut out) };
    assert_eq!(status, Status::Ok);
    assert_eq!(last_error(), "");
    let core = cxm_core::nps(&scores, None, cxm_core::Missing::Reject).unwrap();
    assert_eq!(out, NpsResult::from(core));
}

#[test]
fn data_errors_carry_the_core_message() {
    let scores = [9_i64, 11];
    let mut out = UNTOUCHED;
    // SAFETY: valid buffers.
    let status = unsafe { cxm_nps_i64(scores.as_ptr(), 2, ptr::null(), 0, &raw mut out) };
    assert_eq!(status, Status::ScoreOutOfRange);
    assert_eq!(last_error(), "score 11 at index 1 is outside 0..=10");
    assert_eq!(out, UNTOUCHED, "no partial success");
}

#[test]
fn null_pointers_are_refused() {
    let mut out = UNTOUCHED;
    // SAFETY: NULL is what is being tested; the functions must not dereference it.
    unsafe {
        assert_eq!(cxm_nps_u8(ptr::null(), 3, ptr::null(), 0, &raw mut out), Status::NullPointer);
        assert_eq!(last_error(), "cxm_nps_u8: `scores` is NULL");
        assert_eq!(
            cxm_nps_u8([9_u8].as_ptr(), 1, ptr::null(), 0, ptr::null_mut()),
            Status::NullPointer
        );
        assert_eq!(cxm_nps_from_counts(1, 2, 3, ptr::null_mut()), Status::NullPointer);
        let mut ci = Interval { lower: 0.0, upper: 0.0 };
        assert_eq!(
            cxm_nps_confidence_interval(ptr::null(), 0.95, 0, &raw mut ci),
            Status::NullPointer
        );
        assert_eq!(last_error(), "cxm_nps_confidence_interval: `nps` is NULL");
        let mut written = 0;
        assert_eq!(
            cxm_last_error_message(ptr::null_mut(), 8, &raw mut written),
            Status::NullPointer
        );
        // NULL with length 0 is the empty input, which the core refuses as empty.
        assert_eq!(cxm_nps_u8(ptr::null(), 0, ptr::null(), 0, &raw mut out), Status::Empty);
    }
    assert_eq!(out, UNTOUCHED);
}

#[test]
fn bad_lengths_alignment_and_enum_values_are_refused() {
    let mut out = UNTOUCHED;
    let bytes = [0_u8; 24];
    // SAFETY: the checks must refuse these before any read.
    unsafe {
        #[allow(clippy::cast_ptr_alignment)] // a misaligned pointer is what is being tested
        let misaligned = bytes.as_ptr().add(1).cast::<f64>();
        assert_eq!(
            cxm_nps_f64(misaligned, 1, ptr::null(), 0, &raw mut out),
            Status::InvalidArgument
        );
        assert_eq!(last_error(), "cxm_nps_f64: `scores` is not aligned for its type");
        let huge = usize::MAX / 2;
        assert_eq!(
            cxm_nps_f64([1.0].as_ptr(), huge, ptr::null(), 0, &raw mut out),
            Status::InvalidArgument
        );
        assert_eq!(
            cxm_nps_u8([9_u8].as_ptr(), 1, ptr::null(), 7, &raw mut out),
            Status::InvalidArgument
        );
        assert_eq!(last_error(), "cxm_nps_u8: unknown missing-value policy 7");
        let nps = NpsResult::from(cxm_core::Nps::from_counts(5, 3, 2).unwrap());
        let mut ci = Interval { lower: 1.0, upper: 2.0 };
        assert_eq!(
            cxm_nps_confidence_interval(&raw const nps, 0.95, 99, &raw mut ci),
            Status::InvalidArgument
        );
        assert_eq!(
            cxm_nps_confidence_interval(&raw const nps, 1.0, 0, &raw mut ci),
            Status::InvalidLevel
        );
        assert_eq!(ci, Interval { lower: 1.0, upper: 2.0 });
        let nonsense = NpsResult { promoter_share: f64::NAN, ..nps };
        assert_eq!(
            cxm_nps_confidence_interval(&raw const nonsense, 0.95, 0, &raw mut ci),
            Status::InvalidEstimate
        );
    }
    assert_eq!(out, UNTOUCHED);
}

#[test]
fn weights_and_missing_policy_pass_through() {
    let scores = [9.0, f64::NAN, 3.0];
    let weights = [2.0, 1.0, 1.0];
    let mut out = UNTOUCHED;
    // SAFETY: valid buffers.
    let status = unsafe { cxm_nps_f64(scores.as_ptr(), 3, weights.as_ptr(), 1, &raw mut out) };
    assert_eq!(status, Status::Ok);
    let core = cxm_core::nps(&scores, Some(&weights), cxm_core::Missing::Skip).unwrap();
    assert_eq!(out, NpsResult::from(core));
}

#[test]
fn a_short_buffer_gets_a_truncated_message() {
    let mut out = UNTOUCHED;
    let mut buf = [0 as c_char; 6];
    let mut written = 0;
    // SAFETY: valid buffers.
    unsafe {
        cxm_nps_from_counts(0, 0, 0, &raw mut out);
        let status = cxm_last_error_message(buf.as_mut_ptr(), buf.len(), &raw mut written);
        assert_eq!(status, Status::BufferTooSmall);
        assert_eq!(
            cxm_last_error_message(buf.as_mut_ptr(), 0, &raw mut written),
            Status::InvalidArgument
        );
    }
    assert_eq!(written, 5);
    assert_eq!(buf[5], 0);
    assert_eq!(last_error(), "no responses to score: the input is empty or every score is missing");
}

#[test]
fn every_core_error_kind_is_a_status_with_its_code_and_name() {
    // The header is generated from this crate; the core declares each kind once. Each kind
    // must be a `CXM_STATUS_<KIND> = <code>` of the header, a `Status`, and named by
    // `cxm_status_name` as Python's `CxmError.kind` names it.
    let header = include_str!("../../include/cxm.h");
    for &(kind, code) in cxm_core::Error::KINDS {
        let line = format!("CXM_STATUS_{} = {code},", kind.to_uppercase());
        assert!(header.contains(&line), "the header lacks `{line}`");
        assert!(Status::ALL.iter().any(|&s| s as u32 == code), "no Status for {kind}");
        // SAFETY: a static NUL-terminated string or NULL.
        let name = unsafe { std::ffi::CStr::from_ptr(cxm::cxm_status_name(code)) };
        assert_eq!(name.to_str().unwrap(), kind);
    }
    // And the header has no status the Rust enum lacks.
    let in_header = header.lines().filter(|l| l.trim_start().starts_with("CXM_STATUS_")).count();
    assert_eq!(in_header, Status::ALL.len());
    assert!(cxm::cxm_status_name(999).is_null());
}

#[test]
fn every_option_code_of_the_header_is_the_cores() {
    // Each C enum constant is `CXM_<OPTION>_<NAME> = <code>` for the core's own name and code.
    fn check(header: &str, prefix: &str, values: impl IntoIterator<Item = (&'static str, u32)>) {
        let mut count = 0;
        for (name, code) in values {
            let line = format!("{prefix}{} = {code},", name.to_uppercase().replace('-', "_"));
            assert!(header.contains(&line), "the header lacks `{line}`");
            count += 1;
        }
        let in_header = header.lines().filter(|l| l.trim_start().starts_with(prefix)).count();
        assert_eq!(in_header, count, "{prefix}: the header has values the core lacks");
    }
    fn names<T: Copy>(
        all: &'static [(T, &'static str, u32)],
    ) -> impl Iterator<Item = (&'static str, u32)> {
        all.iter().map(|&(_, name, code)| (name, code))
    }
    let header = include_str!("../../include/cxm.h");
    check(header, "CXM_MISSING_", names(cxm_core::Missing::ALL));
    check(header, "CXM_PROPORTION_METHOD_", names(cxm_core::ProportionMethod::ALL));
    check(header, "CXM_ALTERNATIVE_", names(cxm_core::Alternative::ALL));
    check(header, "CXM_COMPARISON_METHOD_", names(cxm_core::ComparisonMethod::ALL));
    check(header, "CXM_BENCHMARK_METHOD_", names(cxm_core::BenchmarkMethod::ALL));
    check(header, "CXM_CHURN_BASIS_", names(cxm_core::ChurnBasis::ALL));
    check(header, "CXM_RATE_METHOD_", names(cxm_core::RateMethod::ALL));
    check(header, "CXM_LIFT_METHOD_", names(cxm_core::LiftMethod::ALL));
    check(header, "CXM_NAMED_RATE_", names(cxm_core::NamedRate::ALL));
    check(header, "CXM_ADJUSTMENT_", names(cxm_core::Adjustment::ALL));
    check(header, "CXM_PERIOD_", names(cxm_core::Period::ALL));
    check(header, "CXM_CONF_TYPE_", names(cxm_core::Transform::ALL));
    check(header, "CXM_DRIVER_METHOD_", names(cxm_core::DriverMethod::ALL));
    // States' metrics, and 0 for any of them.
    check(header, "CXM_METRIC_", names(cxm_core::Metric::ALL).chain([("any", 0)]));
    check(
        header,
        "CXM_NPS_METHOD_",
        cxm_core::NpsMethod::CODES.iter().map(|&(m, c)| (m.name(), c)),
    );
}

/// The fields of `typedef struct <name> { … } <name>;` in the header, sorted.
fn header_fields(header: &str, name: &str) -> Vec<String> {
    let start = header.find(&format!("typedef struct {name} {{")).expect(name);
    let body = &header[start..header[start..].find(&format!("}} {name};")).unwrap() + start];
    body.lines()
        .filter_map(|l| l.trim().strip_suffix(';'))
        .filter_map(|l| l.split_whitespace().last().map(str::to_owned))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The core type's fields as serde names them, sorted, with a nested interval flattened to
/// its limits (the C structs carry `lower` and `upper` inline, and `<x>_lower`, `<x>_upper`
/// for an `<x>_interval`).
fn core_fields(value: &impl serde::Serialize) -> Vec<String> {
    let serde_json::Value::Object(map) = serde_json::to_value(value).unwrap() else { panic!() };
    map.keys()
        .flat_map(|k| match (k.as_str(), k.strip_suffix("_interval")) {
            ("interval", _) => vec!["lower".to_owned(), "upper".to_owned()],
            (_, Some(x)) => vec![format!("{x}_lower"), format!("{x}_upper")],
            (other, None) => vec![other.to_owned()],
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn every_result_struct_of_the_header_has_the_cores_fields() {
    // The core's result types are the declaration; the C structs mirror them (cbindgen needs
    // plain Rust). A field added to one and not the other fails here.
    let header = include_str!("../../include/cxm.h");
    let nps = cxm_core::Nps::from_counts(5, 3, 2).unwrap();
    let rating =
        cxm_core::rating(&[4_u8, 5], None, cxm_core::Missing::Reject, cxm_core::Scale::csat())
            .unwrap();
    let comparison = cxm_core::compare_nps(&nps, &nps, 0.95, cxm_core::NpsMethod::Wald).unwrap();
    let benchmark = cxm_core::nps_vs_benchmark(
        &nps,
        0.0,
        cxm_core::Alternative::Greater,
        0.95,
        cxm_core::NpsMethod::Wald,
    )
    .unwrap();
    assert_eq!(header_fields(header, "cxm_nps"), core_fields(&nps));
    assert_eq!(header_fields(header, "cxm_rating"), core_fields(&rating));
    assert_eq!(header_fields(header, "cxm_scale"), core_fields(&rating.scale));
    assert_eq!(header_fields(header, "cxm_comparison"), core_fields(&comparison));
    assert_eq!(header_fields(header, "cxm_benchmark"), core_fields(&benchmark));
    assert_eq!(header_fields(header, "cxm_interval"), core_fields(&comparison.interval));
    let churn = cxm_core::churn(5, 100, Some(90), cxm_core::ChurnBasis::Start).unwrap();
    assert_eq!(header_fields(header, "cxm_churn"), core_fields(&churn));
    let ncvg = cxm_core::ncvg(3, 300, 2, 100).unwrap();
    assert_eq!(header_fields(header, "cxm_ncvg"), core_fields(&ncvg));
    let records = cxm_core::CustomerRecords { starts: &[0], ..Default::default() };
    let flow = cxm_core::customer_flow(&records, 0, 10).unwrap();
    assert_eq!(header_fields(header, "cxm_customer_flow"), core_fields(&flow));
    let lift = cxm_core::lift(3, 10, 0, 12, 0.95).unwrap();
    assert_eq!(header_fields(header, "cxm_lift_result"), core_fields(&lift));
    let ids = [1, 2];
    let records = cxm_core::CustomerRecords { starts: &[0, 0], customers: Some(&ids), ..records };
    let churn_lift = cxm_core::churn_lift(&records, 0, 10, &[1, 2], &[true, false], 0.95).unwrap();
    assert_eq!(header_fields(header, "cxm_churn_lift_result"), core_fields(&churn_lift));
    assert_eq!(header_fields(header, "cxm_group_churn"), core_fields(&churn_lift.marked));
    // Key drivers: the per-driver rows, and the dominance tables, are arrays of their own; a
    // driver's name is the caller's.
    let options = cxm_core::DriverOptions { resamples: 0, ..Default::default() };
    let drivers = cxm_core::key_drivers(
        &[1.0, 2.0, 4.0, 3.0],
        &[&[1.0, 3.0, 4.0, 2.0]],
        &["x"],
        None,
        &options,
    )
    .unwrap();
    let without = |fields: Vec<String>, left_out: &[&str]| -> Vec<String> {
        fields.into_iter().filter(|f| !left_out.contains(&f.as_str())).collect()
    };
    assert_eq!(
        header_fields(header, "cxm_key_drivers_result"),
        without(core_fields(&drivers), &["drivers", "conditional", "complete"])
    );
    assert_eq!(
        header_fields(header, "cxm_driver_share"),
        without(core_fields(&drivers.drivers[0]), &["name"])
    );
    let topics = cxm_core::nps_topic_impact(
        &[9_u8, 3, 10, 7],
        &[&[true, false, false, true]],
        &["price"],
        cxm_core::Missing::Reject,
        0.95,
        cxm_core::Adjustment::Holm,
    )
    .unwrap();
    assert_eq!(
        header_fields(header, "cxm_topic_impact"),
        without(core_fields(&topics[0]), &["topic"])
    );
    let rate = cxm_core::named_rate(
        cxm_core::NamedRate::Renewal,
        8,
        9,
        0.95,
        cxm_core::ProportionMethod::Wilson,
    )
    .unwrap();
    assert_eq!(header_fields(header, "cxm_rate_estimate"), core_fields(&rate));
    // A segment row: the core's fields but its group (the row's index in C) and its note (text).
    let states = cxm_core::ScoreState::by_group(
        &cxm_core::NpsState::new(),
        &[9_u8, 3],
        None,
        &[0, 1],
        2,
        cxm_core::Missing::Reject,
    )
    .unwrap();
    let options = cxm_core::SegmentOptions::default();
    let table = cxm_core::segment_table(&states, &options, cxm_core::NpsMethod::Wald).unwrap();
    let mut row = core_fields(&table.overall);
    row.retain(|f| f != "group" && f != "note");
    assert_eq!(header_fields(header, "cxm_segment_row"), row);
    let mut options = core_fields(&options);
    options.push("baseline".to_owned()); // the core's compare carries it
    options.sort();
    assert_eq!(header_fields(header, "cxm_segment_options"), options);
}

#[test]
fn the_raking_structs_have_the_cores_fields() {
    // The summary is the core's raking but its weights and margins (read by their own calls)
    // and its options (the caller's).
    let header = include_str!("../../include/cxm.h");
    let region = [0, 1, 1];
    let margins =
        [cxm_core::Margin { name: "region", codes: &region, targets: &[1.0, 1.0], labels: None }];
    let raked = cxm_core::rake(&margins, None, &cxm_core::RakeOptions::default()).unwrap();
    let mut summary = core_fields(&raked);
    summary.retain(|f| !["weights", "margins", "options"].contains(&f.as_str()));
    assert_eq!(header_fields(header, "cxm_raking_result"), summary);
    let calibrated =
        cxm_core::calibrated_nps(&[9_u8, 3, 7], &raked, cxm_core::Missing::Reject, 0.95).unwrap();
    assert_eq!(header_fields(header, "cxm_calibrated_estimate"), core_fields(&calibrated));
}

#[test]
fn the_durations_structs_have_the_cores_fields() {
    let header = include_str!("../../include/cxm.h");
    // Durations: a percentile's fields and its reached flags; a step's and its band; the
    // summary flattened (its mean, within and curve inline, with flags for the absent).
    let d = cxm_core::durations(
        &[1.0, 2.0],
        Some(&[false, true]),
        None,
        &[],
        Some(1.0),
        0.95,
        cxm_core::Transform::default(),
    )
    .unwrap();
    let mut percentile = core_fields(&d.median);
    percentile.extend(["estimate_reached", "lower_reached", "upper_reached"].map(str::to_owned));
    percentile.sort();
    assert_eq!(header_fields(header, "cxm_survival_percentile"), percentile);
    let mut step = core_fields(&d.curve.as_ref().unwrap().steps[0]);
    step.extend(["lower", "upper"].map(str::to_owned));
    step.sort();
    assert_eq!(header_fields(header, "cxm_survival_step"), step);
    let flattened = core_fields(&d)
        .into_iter()
        .flat_map(|f| {
            match f.as_str() {
                "mean" => vec![
                    "has_mean",
                    "mean",
                    "standard_deviation",
                    "has_mean_interval",
                    "mean_lower",
                    "mean_upper",
                ],
                "within" => vec![
                    "has_within",
                    "within_seconds",
                    "within_share",
                    "within_lower",
                    "within_upper",
                ],
                "curve" => vec!["curve_steps"],
                // Written to the caller's array; the band is each step's lower and upper
                // (cxm_kaplan_meier).
                "percentiles" | "band" => vec![],
                _ => vec![f.as_str()],
            }
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>();
    assert_eq!(header_fields(header, "cxm_duration_summary"), flattened);
}

#[test]
fn the_contact_centre_structs_have_the_cores_fields() {
    let header = include_str!("../../include/cxm.h");
    let c =
        cxm_core::contact_centre(&[3.0, 30.0], &[true, false], Some(1.0), 20.0, &[], 0.95).unwrap();
    assert_eq!(header_fields(header, "cxm_contact_share"), core_fields(&c.abandonment));
    // The service levels inline, one field per basis, and the summary's flag.
    let fields = core_fields(&c)
        .into_iter()
        .flat_map(|f| match f.as_str() {
            "service_levels" => cxm_core::ServiceLevelBasis::ALL
                .iter()
                .map(|&(_, name, _)| format!("service_level_{name}"))
                .chain(["service_level_seconds".to_owned()])
                .collect(),
            "speed_of_answer" => vec!["has_speed_of_answer".to_owned(), f],
            _ => vec![f],
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>();
    assert_eq!(header_fields(header, "cxm_contact_centre_result"), fields);
}

#[test]
fn the_open_end_is_the_cores() {
    assert_eq!(cxm::CXM_OPEN_END, cxm_core::OPEN_END);
}

#[test]
fn lift_and_named_rates_are_the_cores_and_untouched_on_failure() {
    let mut out = cxm::LiftResult::from(cxm_core::lift(1, 2, 1, 2, 0.9).unwrap());
    let before = out;
    // SAFETY: a valid out-param.
    assert_eq!(unsafe { cxm::cxm_lift(30, 200, 24, 400, 0.95, &raw mut out) }, Status::Ok);
    assert_eq!(out, cxm::LiftResult::from(cxm_core::lift(30, 200, 24, 400, 0.95).unwrap()));
    let good = out;
    // SAFETY: a valid out-param.
    let status = unsafe { cxm::cxm_lift(30, 20, 24, 400, 0.95, &raw mut out) };
    assert_eq!(status, Status::InvalidEventCount);
    assert_eq!(last_error(), "events_a is 30: it must be between 0 and n_a (20)");
    assert_eq!(out, good, "no partial success");
    assert_ne!(good, before);
    // SAFETY: NULL is what is being tested.
    let status = unsafe { cxm::cxm_lift(1, 2, 1, 2, 0.95, ptr::null_mut()) };
    assert_eq!(status, Status::NullPointer);

    let core = cxm_core::named_rate(
        cxm_core::NamedRate::CartAbandonment,
        70,
        100,
        0.9,
        cxm_core::ProportionMethod::Jeffreys,
    )
    .unwrap();
    let mut rate = cxm::RateEstimateResult::from(core);
    let want = rate;
    let (name, method) = (cxm::NamedRate::CartAbandonment as u32, cxm::ProportionMethod::Jeffreys);
    // SAFETY: a valid out-param.
    let status =
        unsafe { cxm::cxm_named_rate_estimate(name, 70, 100, 0.9, method as u32, &raw mut rate) };
    assert_eq!((status, rate), (Status::Ok, want));
    // SAFETY: a valid out-param.
    let status = unsafe { cxm::cxm_named_rate_estimate(99, 70, 100, 0.9, 0, &raw mut rate) };
    assert_eq!(status, Status::InvalidArgument);
    assert_eq!(last_error(), "cxm_named_rate_estimate: unknown named rate 99");
    assert_eq!(rate, want);
}

//! The catalogue of bad inputs (`testdata/bad_inputs.json`), run through the Rust API: every
//! case must fail with its kind, and its message must contain the catalogue's fragment.

mod common;

use cxm_core::{
    adjust_p_values, churn, churn_lift, compare_means, compare_nps, compare_proportions,
    customer_flow, lift, named_rate, ncvg, nps, nps_vs_benchmark, proportion_interval,
    proportion_vs_benchmark, rate_interval, rating, Alternative, ChurnBasis, CustomerRecords,
    DirichletPrior, Error, Missing, Nps, NpsMethod, NpsState, ProportionMethod, Rating, Scale,
    ScoreState, State, OPEN_END,
};
use serde_json::Value;

use common::{number, vectors};

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(number).collect()
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| v.as_str().unwrap().parse().unwrap())
}

fn count(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| v.as_str().unwrap().parse().unwrap())
}

/// `args[key]` as a number, or `default` when absent.
fn arg(args: &Value, key: &str, default: f64) -> f64 {
    args.get(key).map_or(default, number)
}

fn name<'a>(args: &'a Value, key: &str, default: &'a str) -> &'a str {
    args.get(key).map_or(default, |v| v.as_str().unwrap())
}

fn scale(v: Option<&Value>) -> Result<Scale, Error> {
    match v {
        None => Ok(Scale::csat()),
        Some(Value::String(s)) if s == "csat" => Ok(Scale::csat()),
        Some(Value::String(s)) if s == "ces" => Ok(Scale::ces()),
        Some(s) => Scale::new(
            s["min"].as_i64().unwrap(),
            s["max"].as_i64().unwrap(),
            s["threshold"].as_i64().unwrap(),
            s["higher_is_better"].as_bool().unwrap(),
        ),
    }
}

/// The interval of a churn from its counts, by the basis's default method or `method`.
fn churn_interval(args: &Value, level: f64) -> Result<(), Error> {
    let basis = name(args, "basis", "start").parse::<ChurnBasis>()?;
    let method = basis.method(name(args, "method", basis.default_method().name()))?;
    let counts = (int(&args["lost"]), int(&args["customers_at_start"]));
    churn(counts.0, counts.1, args.get("customers_at_end").map(int), basis)?
        .interval(level, method)
        .map(drop)
}

/// An NPS from counts, or built field by field (as a C caller may).
fn nps_of(v: &Value) -> Result<Nps, Error> {
    if v.get("n").is_none() {
        return Nps::from_counts(
            count(&v["promoters"]),
            count(&v["passives"]),
            count(&v["detractors"]),
        );
    }
    Ok(Nps {
        n: count(&v["n"]),
        promoters: count(&v["promoters"]),
        passives: count(&v["passives"]),
        detractors: count(&v["detractors"]),
        promoter_share: number(&v["promoter_share"]),
        passive_share: number(&v["passive_share"]),
        detractor_share: number(&v["detractor_share"]),
        score: number(&v["score"]),
        standard_error: number(&v["standard_error"]),
        effective_n: number(&v["effective_n"]),
    })
}

/// A rating summary from scores, or built field by field.
fn rating_of(v: &Value) -> Result<Rating, Error> {
    if let Some(scores) = v.get("scores") {
        let weights = v.get("weights").map(numbers);
        return rating(
            &numbers(scores),
            weights.as_deref(),
            Missing::Reject,
            scale(v.get("scale"))?,
        );
    }
    Ok(Rating {
        n: count(&v["n"]),
        favourable: count(&v["favourable"]),
        share: number(&v["share"]),
        mean: number(&v["mean"]),
        standard_deviation: number(&v["standard_deviation"]),
        effective_n: number(&v["effective_n"]),
        scale: scale(v.get("scale"))?,
    })
}

fn nps_method(args: &Value) -> Result<NpsMethod, Error> {
    Ok(match name(args, "method", "adjusted_wald").parse()? {
        NpsMethod::Bootstrap { resamples, seed } => NpsMethod::Bootstrap {
            resamples: args.get("resamples").map_or(resamples, |v| count(v).try_into().unwrap()),
            seed,
        },
        NpsMethod::Bayesian { prior, draws, seed } => NpsMethod::Bayesian {
            prior: args.get("prior").map_or(prior, |p| {
                let [promoters, passives, detractors] = numbers(p).try_into().unwrap();
                DirichletPrior { promoters, passives, detractors }
            }),
            draws: args.get("draws").map_or(draws, |v| count(v).try_into().unwrap()),
            seed,
        },
        other => other,
    })
}

/// Bytes written as hexadecimal digits.
fn hex(v: &Value) -> Vec<u8> {
    let text = v.as_str().unwrap();
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// An NPS state of `scores` (and `weights`).
fn state_of(args: &Value) -> Result<NpsState, Error> {
    let mut state = NpsState::new();
    let weights = args.get("weights").map(numbers);
    state.add(&numbers(&args["scores"]), weights.as_deref(), Missing::Reject)?;
    Ok(state)
}

#[allow(clippy::too_many_lines)] // one arm per call of the catalogue
fn run(call: &str, args: &Value) -> Result<(), Error> {
    let level = arg(args, "level", 0.95);
    let proportion_method = || name(args, "method", "wilson").parse::<ProportionMethod>();
    let alternative = || name(args, "alternative", "greater").parse::<Alternative>();
    match call {
        "nps" => {
            let weights = args.get("weights").map(numbers);
            let missing: Missing = name(args, "missing", "reject").parse()?;
            nps(&numbers(&args["scores"]), weights.as_deref(), missing).map(drop)
        }
        "rating" => rating_of(args).map(drop),
        "nps_from_counts" => nps_of(args).map(drop),
        "nps_interval" => {
            nps_of(&args["nps"])?.confidence_interval(level, nps_method(args)?).map(drop)
        }
        "proportion_interval" => proportion_interval(
            arg(args, "successes", 0.0),
            arg(args, "n", 0.0),
            level,
            proportion_method()?,
        )
        .map(drop),
        "contact_centre" => {
            let answered: Vec<bool> =
                args["answered"].as_array().unwrap().iter().map(|b| b.as_bool().unwrap()).collect();
            cxm_core::contact_centre(
                &numbers(&args["wait_seconds"]),
                &answered,
                args.get("short_abandon_seconds").map(number),
                arg(args, "service_level_seconds", cxm_core::DEFAULT_SERVICE_LEVEL_SECONDS),
                &[50.0],
                level,
            )
            .map(drop)
        }
        "durations" => {
            let open: Option<Vec<bool>> =
                args["open"].as_array().map(|o| o.iter().map(|b| b.as_bool().unwrap()).collect());
            let weights = args.get("weights").filter(|w| !w.is_null()).map(numbers);
            let percents = args.get("percents").map_or_else(|| vec![50.0], numbers);
            cxm_core::durations(
                &numbers(&args["seconds"]),
                open.as_deref(),
                weights.as_deref(),
                &percents,
                args.get("within").map(number),
                level,
                cxm_core::Transform::default(),
            )
            .map(drop)
        }
        "lift" => {
            let k = |key: &str| int(&args[key]);
            lift(k("events_a"), k("n_a"), k("events_b"), k("n_b"), level).map(drop)
        }
        "named_rate" => named_rate(
            name(args, "name", "").parse()?,
            int(&args["successes"]),
            int(&args["n"]),
            level,
            proportion_method()?,
        )
        .map(drop),
        "compare_proportions" => compare_proportions(
            arg(args, "successes1", 0.0),
            arg(args, "n1", 0.0),
            arg(args, "successes2", 0.0),
            arg(args, "n2", 0.0),
            level,
        )
        .map(drop),
        "compare_nps" => {
            compare_nps(&nps_of(&args["a"])?, &nps_of(&args["b"])?, level, nps_method(args)?)
                .map(drop)
        }
        "compare_means" => {
            compare_means(&rating_of(&args["a"])?, &rating_of(&args["b"])?, level).map(drop)
        }
        "rating_mean_interval" => rating_of(&args["rating"])?.mean_interval(level).map(drop),
        "rating_share_interval" => {
            rating_of(&args["rating"])?.share_interval(level, proportion_method()?).map(drop)
        }
        "nps_vs_benchmark" => nps_vs_benchmark(
            &nps_of(&args["nps"])?,
            arg(args, "benchmark", 0.0),
            alternative()?,
            level,
            nps_method(args)?,
        )
        .map(drop),
        "proportion_vs_benchmark" => proportion_vs_benchmark(
            arg(args, "successes", 0.0),
            arg(args, "n", 0.0),
            arg(args, "benchmark", 0.5),
            alternative()?,
            level,
            proportion_method()?,
        )
        .map(drop),
        "churn" => churn(
            int(&args["lost"]),
            int(&args["customers_at_start"]),
            args.get("customers_at_end").map(int),
            name(args, "basis", "start").parse::<ChurnBasis>()?,
        )
        .map(drop),
        "churn_interval" => churn_interval(args, level),
        "rate_interval" => rate_interval(
            arg(args, "count", 0.0),
            arg(args, "exposure", 1.0),
            level,
            name(args, "method", "exact").parse()?,
        )
        .map(drop),
        "customer_flow" => {
            let column = |key: &str| {
                args.get(key).map(|v| -> Vec<i64> {
                    v.as_array().unwrap().iter().map(|x| x.as_i64().unwrap_or(OPEN_END)).collect()
                })
            };
            let (starts, ends) = (column("starts").unwrap(), column("ends"));
            let (values, customers) = (column("values"), column("customers"));
            let records = CustomerRecords {
                starts: &starts,
                ends: ends.as_deref(),
                values: values.as_deref(),
                customers: customers.as_deref(),
            };
            customer_flow(&records, int(&args["window_start"]), int(&args["window_end"])).map(drop)
        }
        "churn_lift" => {
            let column = |key: &str| -> Vec<i64> {
                let values = args[key].as_array().unwrap();
                values.iter().map(|x| x.as_i64().unwrap_or(OPEN_END)).collect()
            };
            let ends = args.get("ends").map(|_| column("ends"));
            let (starts, customers, who) =
                (column("starts"), column("customers"), column("marked_customers"));
            let marked: Vec<bool> =
                args["marked"].as_array().unwrap().iter().map(|b| b.as_bool().unwrap()).collect();
            let records = CustomerRecords {
                starts: &starts,
                ends: ends.as_deref(),
                values: None,
                customers: Some(&customers),
            };
            let window = (int(&args["window_start"]), int(&args["window_end"]));
            churn_lift(&records, window.0, window.1, &who, &marked, level).map(drop)
        }
        "ncvg" => ncvg(
            int(&args["new_count"]),
            int(&args["new_value"]),
            int(&args["lost_count"]),
            int(&args["lost_value"]),
        )
        .map(drop),
        "nps_topic_impact" => {
            let flags: Vec<Vec<bool>> = args["topics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_array().unwrap().iter().map(|f| f.as_u64() == Some(1)).collect())
                .collect();
            let flags: Vec<&[bool]> = flags.iter().map(Vec::as_slice).collect();
            let names: Vec<&str> =
                args["names"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
            cxm_core::nps_topic_impact(
                &numbers(&args["scores"]),
                &flags,
                &names,
                Missing::Reject,
                0.95,
                cxm_core::Adjustment::Holm,
            )
            .map(drop)
        }
        "rake" => {
            let owned = common::OwnedMargins::new(&args["margins"]);
            let margins = owned.margins();
            let bounds = args["bounds"].as_array().map(|b| cxm_core::Bounds {
                lower: b[0].as_f64().unwrap(),
                upper: b[1].as_f64().unwrap(),
            });
            let options = cxm_core::RakeOptions { bounds, ..Default::default() };
            cxm_core::rake(&margins, None, &options).map(drop)
        }
        "key_drivers" => {
            let columns: Vec<Vec<f64>> =
                args["columns"].as_array().unwrap().iter().map(numbers).collect();
            let columns: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
            let names: Vec<&str> =
                args["names"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
            let options = cxm_core::DriverOptions {
                resamples: args["resamples"].as_u64().unwrap_or(0).try_into().unwrap(),
                ..Default::default()
            };
            cxm_core::key_drivers(&numbers(&args["score"]), &columns, &names, None, &options)
                .map(drop)
        }
        "adjust_p_values" => {
            adjust_p_values(&numbers(&args["p_values"]), name(args, "method", "holm").parse()?)
                .map(drop)
        }
        "nps_state_from_bytes" => NpsState::from_bytes(&hex(&args["bytes_hex"])).map(drop),
        "nps_state_merge" => state_of(&args["a"])?.merge(&state_of(&args["b"])?),
        "nps_by_group" => {
            let groups: Vec<u32> = args["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| u32::try_from(count(g)).unwrap())
                .collect();
            let count = usize::try_from(count(&args["group_count"])).unwrap();
            let scores = numbers(&args["scores"]);
            NpsState::new().by_group(&scores, None, &groups, count, Missing::Reject).map(drop)
        }
        other => panic!("the catalogue names a call this runner does not know: {other}"),
    }
}

#[test]
fn every_case_gets_its_error() {
    let doc = vectors("bad_inputs");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 40, "the catalogue should hold at least 40 cases");
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in cases {
        let id = case["id"].as_str().unwrap();
        if !case["surfaces"].as_array().unwrap().iter().any(|s| s == "rust") {
            continue;
        }
        ran += 1;
        let (kind, fragment) = (case["kind"].as_str().unwrap(), case["message"].as_str().unwrap());
        match run(case["call"].as_str().unwrap(), &case["args"]) {
            Ok(()) => failures.push(format!("{id}: succeeded, expected {kind}")),
            Err(e) if e.kind() != kind || !e.to_string().contains(fragment) => {
                failures.push(format!(
                    "{id}: got {} \"{e}\", expected {kind} \"{fragment}\"",
                    e.kind()
                ));
            }
            Err(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

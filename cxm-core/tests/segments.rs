//! The segment table: each row is the group's own NPS, compared with the rest of the data by
//! `compare_nps` on the rest's own responses, p-values adjusted by Holm over the rows; periods
//! against the one before; trailing windows equal to one call over their periods.

#![allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // small test values

use cxm_core::{
    adjust_p_values, compare_nps, merged, nps, period_changes, rolling, segment_table,
    segment_table_within, states_by_keys, Adjustment, Compare, Groups, Missing, NpsMethod,
    NpsState, ProportionMethod, RatingState, Scale, ScoreState, SegmentOptions, Segmented, State,
};

mod common;

fn data(n: usize, seed: u64) -> (Vec<u8>, Vec<u32>, Vec<f64>) {
    let mut rng = common::SplitMix(seed);
    let region: Vec<u32> = (0..n).map(|_| (rng.next() % 4) as u32).collect();
    // Region 2 leans to promoters, so that some comparisons are significant.
    let scores: Vec<u8> = region
        .iter()
        .map(|&r| {
            let s = (rng.next() % 11) as u8;
            if r == 2 {
                s.max(7)
            } else {
                s
            }
        })
        .collect();
    let weights: Vec<f64> = (0..n).map(|_| 0.5 + rng.uniform()).collect();
    (scores, region, weights)
}

#[test]
fn rows_are_each_group_against_the_rest_with_holm() {
    let (scores, region, weights) = data(2000, 3);
    let groups = Groups::new(&[&region]).unwrap();
    for weights in [None, Some(&weights[..])] {
        let states = NpsState::new()
            .by_group(&scores, weights, groups.rows(), groups.len(), Missing::Reject)
            .unwrap();
        let options = SegmentOptions::default();
        let table = segment_table(&states, &options, NpsMethod::AdjustedWald).unwrap();
        assert_eq!(format!("{:?}", table.overall.estimate), {
            format!("{:?}", nps(&scores, weights, Missing::Reject).unwrap().score)
        });
        let mut p = Vec::new();
        for row in &table.rows {
            let g = row.group.unwrap() as u32;
            let pick = |inside: bool| -> (Vec<u8>, Option<Vec<f64>>) {
                let rows: Vec<usize> =
                    (0..scores.len()).filter(|&i| (region[i] == g) == inside).collect();
                (
                    rows.iter().map(|&i| scores[i]).collect(),
                    weights.map(|w| rows.iter().map(|&i| w[i]).collect()),
                )
            };
            let (mine, my_weights) = pick(true);
            let (rest, rest_weights) = pick(false);
            let a = nps(&mine, my_weights.as_deref(), Missing::Reject).unwrap();
            let b = nps(&rest, rest_weights.as_deref(), Missing::Reject).unwrap();
            let c = compare_nps(&a, &b, 0.95, NpsMethod::AdjustedWald).unwrap();
            let ci = a.confidence_interval(0.95, NpsMethod::AdjustedWald).unwrap();
            assert_eq!((row.estimate, row.lower, row.upper), (a.score, ci.lower, ci.upper));
            assert_eq!((row.difference, row.p_value), (c.estimate, c.p_value));
            assert!(!row.small, "{row:?}");
            p.push(c.p_value);
        }
        let holm = adjust_p_values(&p, Adjustment::Holm).unwrap();
        let adjusted: Vec<f64> = table.rows.iter().map(|r| r.p_adjusted).collect();
        assert_eq!(adjusted, holm);
        assert!(table.rows[2].p_adjusted < 0.001, "region 2 stands out");
    }
}

#[test]
fn baselines_overall_small_groups_and_degenerate_ones() {
    let scores = [10_u8, 10, 10, 3, 9, 7, 0, 8, 10, 6];
    let region = [0_u32, 0, 0, 1, 1, 1, 1, 2, 2, 2];
    let groups = Groups::new(&[&region]).unwrap();
    let states = NpsState::new()
        .by_group(&scores, None, groups.rows(), groups.len(), Missing::Reject)
        .unwrap();
    let options = SegmentOptions { compare: Compare::Baseline(1), ..SegmentOptions::default() };
    let table = segment_table(&states, &options, NpsMethod::AdjustedWald).unwrap();
    assert!(table.rows[1].p_value.is_nan(), "the baseline is not compared with itself");
    let c = compare_nps(
        &states[2].finish().unwrap(),
        &states[1].finish().unwrap(),
        0.95,
        NpsMethod::AdjustedWald,
    )
    .unwrap();
    assert_eq!(table.rows[2].p_value, c.p_value);
    // Group 0: all promoters, standard error 0: flagged, with the reason.
    let note = table.rows[0].note.clone().unwrap();
    assert!(table.rows[0].small && note.contains("standard error 0"), "{note}");
    assert!(note.contains("fewer than 30 responses"), "{note}");
    let options = SegmentOptions { compare: Compare::Baseline(7), ..options };
    assert_eq!(
        segment_table(&states, &options, NpsMethod::Wald).unwrap_err().kind(),
        "missing_input"
    );
    let options = SegmentOptions { compare: Compare::Overall, min_n: 1, ..options };
    let table = segment_table(&states, &options, NpsMethod::Wald).unwrap();
    assert!(!table.rows[1].small && table.rows[1].p_value > 0.0);
}

#[test]
fn csat_rows_use_the_share() {
    let scores = [5_u8, 4, 1, 2, 5, 5, 3, 4];
    let channel = [0_u32, 0, 0, 0, 1, 1, 1, 1];
    let states = RatingState::new(Scale::csat())
        .by_group(&scores, None, &channel, 2, Missing::Reject)
        .unwrap();
    let table =
        segment_table(&states, &SegmentOptions::default(), cxm_core::ProportionMethod::Wilson)
            .unwrap();
    assert_eq!(table.rows[0].estimate, 0.5);
    assert_eq!(table.rows[1].estimate, 0.75);
    assert_eq!(table.overall.estimate, 0.625);
}

#[test]
fn periods_and_trailing_windows() {
    let (scores, _, weights) = data(3000, 9);
    let period: Vec<u32> = (0..scores.len()).map(|i| (i / 250) as u32).collect(); // 12 months
    let states =
        NpsState::new().by_group(&scores, Some(&weights), &period, 12, Missing::Reject).unwrap();
    let changes = period_changes(&states, 1, 0.95, NpsMethod::AdjustedWald).unwrap();
    assert_eq!(changes.len(), 11);
    let c = changes[4].comparison.as_ref().unwrap();
    let want = compare_nps(
        &states[5].finish().unwrap(),
        &states[4].finish().unwrap(),
        0.95,
        NpsMethod::AdjustedWald,
    )
    .unwrap();
    assert_eq!((changes[4].from, changes[4].to, c), (4, 5, &want));
    // A trailing quarter of months 3..=5 is one call over their rows, to the bit.
    let quarters = rolling(&states, 3).unwrap();
    let rows = 750..1500;
    let once = nps(&scores[rows.clone()], Some(&weights[rows]), Missing::Reject).unwrap();
    assert_eq!(format!("{:?}", quarters[5].finish().unwrap()), format!("{once:?}"));
    assert_eq!(quarters[0], states[0]);
    assert!(rolling(&states, 0).is_err());
    // Trailing quarters are compared with the quarter before, which shares no response: months
    // 3..=5 against 0..=2, never against the overlapping 2..=4.
    let changes = period_changes(&quarters, 3, 0.95, NpsMethod::AdjustedWald).unwrap();
    // (The first windows are partial: window 0 is month 0 alone.)
    assert_eq!((changes[2].from, changes[2].to, changes.len()), (2, 5, 9));
    let earlier = nps(&scores[..750], Some(&weights[..750]), Missing::Reject).unwrap();
    let want = compare_nps(&once, &earlier, 0.95, NpsMethod::AdjustedWald).unwrap();
    assert_eq!(changes[2].comparison.as_ref().unwrap(), &want);
}

#[test]
fn a_segment_holding_every_response_is_not_small() {
    let scores: Vec<u8> = (0..200_u8).map(|i| i % 11).collect();
    let states = NpsState::new().by_group(&scores, None, &vec![0; 200], 1, Missing::Reject);
    let table =
        segment_table(&states.unwrap(), &SegmentOptions::default(), NpsMethod::Wald).unwrap();
    assert!(!table.rows[0].small);
    assert!(table.rows[0].p_value.is_nan());
    assert_eq!(table.rows[0].note.as_deref(), Some("no comparison: no other responses"));
}

#[test]
fn rating_segments_compare_whatever_the_floating_point_of_their_shares() {
    // 111 of 299 satisfied against 150 of 300: share · n is 110.99999999999999 in floating
    // point, which a test of whole counts refused; the counts themselves are compared.
    let mut scores = vec![5_u8; 111];
    scores.extend([1; 188]);
    scores.extend([5; 150]);
    scores.extend([1; 150]);
    let groups: Vec<u32> = (0..scores.len()).map(|i| u32::from(i >= 299)).collect();
    let states = RatingState::new(Scale::csat())
        .by_group(&scores, None, &groups, 2, Missing::Reject)
        .unwrap();
    let table =
        segment_table(&states, &SegmentOptions::default(), cxm_core::ProportionMethod::Wilson)
            .unwrap();
    let want = cxm_core::compare_proportions(111.0, 299.0, 150.0, 300.0, 0.95).unwrap();
    assert_eq!(table.rows[0].p_value, want.p_value);
    assert!(!table.rows[0].small, "{:?}", table.rows[0].note);
    // Weighted: the shares of Kish's effective n are compared, never refused.
    let weights: Vec<f64> = (0..scores.len()).map(|i| 0.5 + (i % 7) as f64 / 3.0).collect();
    let states = RatingState::new(Scale::csat())
        .by_group(&scores, Some(&weights), &groups, 2, Missing::Reject)
        .unwrap();
    let table =
        segment_table(&states, &SegmentOptions::default(), cxm_core::ProportionMethod::Wilson)
            .unwrap();
    assert!(table.rows.iter().all(|r| r.p_value > 0.0 && r.p_value < 1.0 && !r.small));
}

/// The codes and table of `table_by_code`, against `states_by_keys` of the column, their
/// merge and `segment_table_within`: the same bits (NaN included, so compared as printed).
fn by_code_as_by_states<T: Segmented>(
    prototype: &T,
    (scores, weights, codes, missing): (&[f64], Option<&[f64]>, &[u32], Missing),
    options: &SegmentOptions,
    method: T::Method,
) {
    let fast = prototype.table_by_code(scores, weights, codes, missing, options, method);
    let slow =
        states_by_keys(prototype, scores, weights, &[codes], missing).and_then(|(keys, states)| {
            let all = merged(prototype, &states)?;
            let codes: Vec<u32> = keys.iter().map(|k| k[0]).collect();
            Ok(Some((codes, segment_table_within(&states, &all, options, method)?)))
        });
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
}

#[test]
fn tables_by_code_are_the_tables_of_their_states() {
    let mut rng = common::SplitMix(41);
    // Few groups (on one thread), and enough rows and groups for two threads (the pass in
    // halves, the overall and the rows in halves).
    for (n, groups) in [(3000, 9), ((1 << 20) + 17, 5000)] {
        let codes: Vec<u32> = (0..n).map(|_| (rng.next() % groups) as u32 * 3 + 1).collect();
        let mut scores: Vec<f64> = (0..n).map(|_| (rng.next() % 11) as f64).collect();
        // Weights the grids hold (cut in fixed point): zeros, and weights down to 2^-10 of the
        // largest (whose squares are 2^-20 of its square), which only the second half has.
        // Then a few weights they do not hold (to the exact sums at once).
        let mut held: Vec<f64> = (0..n).map(|_| 0.5 + rng.uniform()).collect();
        held[5] = 0.0;
        held[9] = 3.0 * 2f64.powi(-10) * 1.0001;
        held[n - 4] = 3.0;
        let mut weights = held.clone();
        weights[7] = 1e-30;
        weights[n / 2 + 3] = 3e9;
        scores[11] = f64::NAN;
        let all_options = [Compare::Rest, Compare::Overall, Compare::Baseline(1)]
            .map(|compare| SegmentOptions { compare, ..SegmentOptions::default() });
        let options = if groups < 100 { &all_options[..] } else { &all_options[..1] };
        let csat = RatingState::new(Scale::new(0, 10, 8, true).unwrap());
        for options in options {
            for weights in [None, Some(&held[..]), Some(&weights[..])] {
                let column = (&scores[..], weights, &codes[..], Missing::Skip);
                by_code_as_by_states(&NpsState::new(), column, options, NpsMethod::AdjustedWald);
                by_code_as_by_states(&csat, column, options, ProportionMethod::Wilson);
            }
        }
    }
    // A code past the limit: no table by code. Every score skipped: no rows, an overall of
    // nothing. A bad score: the same error.
    let (scores, codes) = ([9.0, 3.0, f64::NAN], [0, 1 << 20, 2]);
    let options = SegmentOptions::default();
    let method = NpsMethod::AdjustedWald;
    let none =
        NpsState::new().table_by_code(&scores, None, &codes, Missing::Skip, &options, method);
    assert!(none.unwrap().is_none());
    let nan = [f64::NAN; 3];
    let column = (&nan[..], None, &[0, 1, 2][..], Missing::Skip);
    by_code_as_by_states(&NpsState::new(), column, &options, method);
    let column = (&scores[..], None, &[0, 1, 2][..], Missing::Reject);
    by_code_as_by_states(&NpsState::new(), column, &options, method);
}

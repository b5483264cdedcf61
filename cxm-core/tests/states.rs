//! Mergeable states finish to the same bits as the one-shot functions, however the responses are
//! split into batches, merged in whatever tree, and sent as bytes on the way; and bytes that are
//! truncated or corrupted are refused, never read as another state.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss
)] // small test values

use cxm_core::{nps, rating, Error, Missing, NpsState, RatingState, Scale, ScoreState, State};

mod common;

/// A seeded source of random data.
struct Rng(common::SplitMix);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0.next() % n
    }

    /// A weight of one of several orders of magnitude: within a factor of a few of 1, spread
    /// over many binary orders, tiny and huge ones, zeros.
    fn weight(&mut self, spread: i32) -> f64 {
        if self.below(20) == 0 {
            return 0.0;
        }
        let e = i32::try_from(self.below(2 * spread as u64 + 1)).unwrap() - spread;
        (1.0 + self.0.uniform()) * 2f64.powi(e)
    }

    /// Cuts `0..n` into random consecutive batches, some empty.
    fn cuts(&mut self, n: usize) -> Vec<std::ops::Range<usize>> {
        let mut cuts = vec![0, n];
        for _ in 0..self.below(12) {
            cuts.push(self.below(n as u64 + 1) as usize);
        }
        cuts.sort_unstable();
        cuts.windows(2).map(|w| w[0]..w[1]).collect()
    }

    /// Merges `states` in a random tree: repeatedly two random ones, the result put back;
    /// some through their bytes first.
    fn merge_tree<T: State + std::fmt::Debug>(&mut self, mut states: Vec<T>) -> T {
        while states.len() > 1 {
            let a = states.swap_remove(self.below(states.len() as u64) as usize);
            let b = states.swap_remove(self.below(states.len() as u64) as usize);
            let b = if self.below(2) == 0 { T::from_bytes(&b.to_bytes()).unwrap() } else { b };
            let mut merged = a;
            merged.merge(&b).unwrap();
            states.push(merged);
        }
        states.pop().unwrap()
    }
}

/// Every bit of a result: its debug form prints each double's shortest round trip.
fn bits<T: std::fmt::Debug>(x: &T) -> String {
    format!("{x:?}")
}

#[test]
fn nps_states_finish_to_the_one_shot_bits_however_split() {
    let mut rng = Rng(common::SplitMix(16));
    for round in 0..400 {
        let n = [0, 1, 5, 130, 1000, 70_000][round % 6];
        let spread = [0, 3, 30, 200, 600][round % 5];
        let scores: Vec<f64> = (0..n)
            .map(|_| if rng.below(30) == 0 { f64::NAN } else { rng.below(11) as f64 })
            .collect();
        let weights: Vec<f64> = (0..n).map(|_| rng.weight(spread)).collect();
        for weights in [None, Some(&weights[..])] {
            let one_shot = nps(&scores, weights, Missing::Skip);
            let states: Vec<NpsState> = rng
                .cuts(n)
                .into_iter()
                .map(|r| {
                    let mut state = NpsState::new();
                    state.add(&scores[r.clone()], weights.map(|w| &w[r]), Missing::Skip).unwrap();
                    state
                })
                .collect();
            let merged = rng.merge_tree(states);
            assert_eq!(bits(&merged.finish()), bits(&one_shot), "round {round}");
        }
    }
}

#[test]
fn rating_states_finish_to_the_one_shot_bits_however_split() {
    let mut rng = Rng(common::SplitMix(17));
    // Scales the kernels take (5 and 7 points) and one they do not (0–100, one at a time).
    let scales = [Scale::csat(), Scale::ces(), Scale::new(0, 100, 80, true).unwrap()];
    for round in 0..300 {
        let scale = scales[round % 3];
        let n = [1, 7, 129, 3000][round % 4];
        let points = (scale.max() - scale.min() + 1) as u64;
        let scores: Vec<i32> =
            (0..n).map(|_| (scale.min() + rng.below(points) as i64) as i32).collect();
        let weights: Vec<f64> = (0..n).map(|_| rng.weight([0, 10, 300][round % 3])).collect();
        for weights in [None, Some(&weights[..])] {
            let one_shot = rating(&scores, weights, Missing::Reject, scale);
            let states: Vec<RatingState> = rng
                .cuts(n)
                .into_iter()
                .map(|r| {
                    let mut state = RatingState::new(scale);
                    state.add(&scores[r.clone()], weights.map(|w| &w[r]), Missing::Reject).unwrap();
                    state
                })
                .collect();
            let merged = rng.merge_tree(states);
            assert_eq!(bits(&merged.finish()), bits(&one_shot), "round {round}");
        }
    }
}

#[test]
fn one_response_at_a_time_is_one_batch() {
    let scores = [10_u8, 9, 0, 7, 3, 10, 8];
    let weights = [0.1, 0.2, 0.3, 1e-300, 1e300, 4.0, 0.0];
    let mut state = NpsState::new();
    for (&s, &w) in scores.iter().zip(&weights) {
        state.add_one(s, Some(w), Missing::Reject).unwrap();
    }
    assert_eq!(bits(&state.finish()), bits(&nps(&scores, Some(&weights), Missing::Reject)));
}

/// A weighted state's bytes, for the corruption tests.
fn weighted_bytes() -> Vec<u8> {
    let mut state = NpsState::new();
    let weights: Vec<f64> = (0..500).map(|i| 0.1 * f64::from(i % 7) + 1e-3).collect();
    let scores: Vec<u8> = (0..500).map(|i| (i % 11) as u8).collect();
    state.add(&scores, Some(&weights), Missing::Reject).unwrap();
    state.to_bytes()
}

/// Reads a state's bytes and finishes it, as its result's bits.
type Reader = fn(&[u8]) -> Result<String, Error>;

#[test]
fn every_truncation_and_single_bit_flip_is_refused_or_harmless() {
    let mut rating = RatingState::new(Scale::new(1, 7, 3, false).unwrap());
    rating.add(&[1_u8, 2, 7, 7], Some(&[0.5, 1.5, 2.0, 1e-10]), Missing::Reject).unwrap();
    let mut plain = NpsState::new();
    plain.add(&[1_u8, 9, 10], None, Missing::Reject).unwrap();
    let cases: [(Vec<u8>, Reader); 3] = [
        (weighted_bytes(), |b| NpsState::from_bytes(b).map(|s| bits(&s.finish()))),
        (plain.to_bytes(), |b| NpsState::from_bytes(b).map(|s| bits(&s.finish()))),
        (rating.to_bytes(), |b| RatingState::from_bytes(b).map(|s| bits(&s.finish()))),
    ];
    for (bytes, read) in cases {
        let original = read(&bytes).unwrap();
        for len in 0..bytes.len() {
            let e = read(&bytes[..len]).unwrap_err();
            assert_eq!(e.kind(), "invalid_state", "truncated to {len}: {e}");
        }
        for bit in 0..8 * bytes.len() {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            match read(&flipped) {
                Ok(result) => assert_eq!(result, original, "bit {bit}"),
                Err(e) => assert_eq!(e.kind(), "invalid_state", "bit {bit}: {e}"),
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(read(&longer).is_err());
    }
}

#[test]
fn another_metric_scale_version_or_mode_is_a_typed_error() {
    let nps_bytes = weighted_bytes();
    let e = RatingState::from_bytes(&nps_bytes).unwrap_err();
    assert_eq!(e.to_string(), "invalid state: a state of nps, not of rating");
    let mut future = nps_bytes.clone();
    future[4] = 2;
    let e = NpsState::from_bytes(&future).unwrap_err();
    assert!(e.to_string().contains("format version 2 is not supported"), "{e}");
    assert!(NpsState::from_bytes(b"hello, world").unwrap_err().to_string().contains("CXMS"));
    // Scales and weighting must agree to merge.
    let mut csat = RatingState::new(Scale::csat());
    csat.add(&[5_u8], None, Missing::Reject).unwrap();
    let mut ces = RatingState::new(Scale::ces());
    let e = ces.merge(&csat).unwrap_err();
    assert_eq!(e.kind(), "incompatible_states");
    let weighted = NpsState::from_bytes(&nps_bytes).unwrap();
    let mut plain = NpsState::new();
    plain.add(&[9_u8], None, Missing::Reject).unwrap();
    let before = plain.clone();
    assert_eq!(plain.merge(&weighted).unwrap_err().kind(), "incompatible_states");
    assert_eq!(plain, before, "a failed merge changes nothing");
    let e = plain.add(&[9_u8], Some(&[1.0]), Missing::Reject).unwrap_err();
    assert_eq!(e.kind(), "incompatible_states");
    // An empty state merges with either, and a failed add leaves the state as it was.
    let mut empty = NpsState::new();
    empty.merge(&weighted).unwrap();
    assert_eq!(empty, weighted);
    assert!(empty.add(&[11_u8], Some(&[1.0]), Missing::Reject).is_err());
    assert_eq!(empty, weighted);
}

#[test]
fn counts_that_overflow_are_refused() {
    let mut a = NpsState::new();
    a.add(&[10_u8], None, Missing::Reject).unwrap();
    // Doubling a state 64 times passes 2^64 responses.
    let mut result = Ok(());
    for _ in 0..64 {
        let copy = a.clone();
        result = a.merge(&copy);
        if result.is_err() {
            break;
        }
    }
    assert_eq!(result, Err(Error::CountOverflow));
}

#[test]
fn serde_goes_through_the_checked_bytes() {
    let state = NpsState::from_bytes(&weighted_bytes()).unwrap();
    let json = serde_json::to_string(&state).unwrap();
    assert_eq!(serde_json::from_str::<NpsState>(&json).unwrap(), state);
    let mut tampered: Vec<u8> = serde_json::from_str(&json).unwrap();
    tampered[20] ^= 4;
    let json = serde_json::to_string(&tampered).unwrap();
    assert!(serde_json::from_str::<NpsState>(&json).unwrap_err().to_string().contains("checksum"));
}

#[test]
fn one_pass_over_groups_gives_each_group_its_own_state() {
    let mut rng = Rng(common::SplitMix(18));
    for round in 0..60 {
        // Many small groups, a few large ones (past the 2^16 rows between moves to the exact
        // sums), skewed groups; weights of narrow and wide ranges; some missing scores.
        let n = [10, 2000, 150_000][round % 3];
        let groups = [1, 7, 300][round / 3 % 3];
        let spread = [0, 5, 40, 700][round % 4];
        let rows: Vec<u32> = (0..n)
            .map(|_| if rng.below(2) == 0 { 0 } else { rng.below(groups as u64) as u32 })
            .collect();
        let scores: Vec<f64> = (0..n)
            .map(|_| if rng.below(40) == 0 { f64::NAN } else { rng.below(11) as f64 })
            .collect();
        let weights: Vec<f64> = (0..n).map(|_| rng.weight(spread)).collect();
        for weights in [None, Some(&weights[..])] {
            let states =
                NpsState::new().by_group(&scores, weights, &rows, groups, Missing::Skip).unwrap();
            assert_eq!(states.len(), groups);
            for (g, state) in states.iter().enumerate() {
                let mine: Vec<usize> = (0..n).filter(|&i| rows[i] as usize == g).collect();
                let s: Vec<f64> = mine.iter().map(|&i| scores[i]).collect();
                let w: Option<Vec<f64>> = weights.map(|w| mine.iter().map(|&i| w[i]).collect());
                let mut alone = NpsState::new();
                alone.add(&s, w.as_deref(), Missing::Skip).unwrap();
                assert_eq!(state, &alone, "round {round}, group {g}");
                assert_eq!(bits(&state.finish()), bits(&alone.finish()));
            }
        }
    }
}

#[test]
fn grouping_names_bad_rows() {
    let e = NpsState::new().by_group(&[1_u8, 2], None, &[0, 5], 3, Missing::Reject).unwrap_err();
    assert_eq!(e.to_string(), "group 5 at index 1 is not below the number of groups, 3");
    let e = NpsState::new().by_group(&[1_u8, 12], None, &[0, 1], 3, Missing::Reject).unwrap_err();
    assert_eq!(e.to_string(), "score 12 at index 1 is outside 0..=10");
    let e = RatingState::new(Scale::csat())
        .by_group(&[1_u8, 2], Some(&[1.0, -1.0]), &[0, 1], 3, Missing::Reject)
        .unwrap_err();
    assert_eq!(e.kind(), "invalid_weight");
    let e = NpsState::new().by_group(&[1_u8, 2], None, &[0], 3, Missing::Reject).unwrap_err();
    assert_eq!(e.kind(), "column_length_mismatch");
}

//! Data shared by the benchmarks: survey-like NPS scores, made the same way on every run.

/// `n` scores on 0..=10 with a realistic skew (about 45% promoters, 30% passives), drawn from
/// a fixed-seed generator so every run and every peer sees the same data.
#[must_use]
pub fn survey_scores(n: usize) -> Vec<u8> {
    const PROFILE: [u8; 20] = [10, 10, 10, 10, 9, 9, 9, 9, 9, 8, 8, 8, 7, 7, 7, 6, 5, 3, 1, 0];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            // xorshift64*: enough to spread the profile evenly.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let draw = state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32;
            PROFILE[usize::try_from(draw % 20).unwrap_or(0)]
        })
        .collect()
}

/// Weights in [0.5, 2), one per response, from the same kind of generator.
#[must_use]
pub fn survey_weights(n: usize) -> Vec<f64> {
    (0..n).map(|i| 0.5 + ((i * 7919) % 1500) as f64 / 1000.0).collect()
}

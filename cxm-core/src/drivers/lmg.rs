//! LMG (Lindeman, Merenda and Gold 1980), the Shapley value of R² (Lipovetsky and Conklin
//! 2001), and the dominance analysis it is the "general dominance" of (Budescu 1993; Azen and
//! Budescu 2003): all from the R² of the score's regression on every subset of the drivers.
//!
//! Those 2^p R² come from the correlation matrix alone, with no regression refitted: a
//! depth-first walk over the subsets (each drawing its drivers in increasing order) carries the
//! residual correlations of the score and the drivers still to come given the subset so far,
//! and adding driver k is one Gaussian elimination step on them (the sweep operator, Goodnight
//! 1979): `C'ᵢⱼ = Cᵢⱼ − Cᵢₖ Cₖⱼ / Cₖₖ`, and `R²(S ∪ k) = 1 − C'_yy`. A subset whose largest
//! driver is k leaves only the drivers after k to carry, so the whole walk costs about
//! 6 · 2^p operations, not 2^p regressions (for p = 20: milliseconds).

use crate::stats::random::Random;

/// The most drivers for exact LMG: 2^20 subsets (an 8 MB table of R²). Above, LMG is estimated
/// from random orders of entry, with its Monte Carlo error.
pub const MAX_EXACT_DRIVERS: usize = 20;

/// R² of the score (variable 0 of the correlation matrix `r`, `q × q`) on every subset of the
/// `q − 1` drivers, indexed by the subset's bit mask (driver j is bit j − 1). The drivers'
/// correlation matrix must be positive definite (see [`check_collinearity`]).
pub(crate) fn subset_r_squared(r: &[f64], q: usize) -> Vec<f64> {
    let p = q - 1;
    let mut table = vec![0.0; 1 << p];
    // One buffer per depth: a node's children write the next depth's, one after another.
    let mut buffers: Vec<Vec<f64>> = (0..=p).map(|_| vec![0.0; q * q]).collect();
    buffers[0].copy_from_slice(r);
    let drivers: Vec<usize> = (0..p).collect();
    children(&mut buffers, 0, q, &drivers, 0, &mut table);
    table
}

/// Visits the subsets `mask ∪ {drivers[i]}` and their own children: the residual correlations
/// given `mask` are at `depth` (`dim × dim`: the score, then `drivers`).
fn children(
    buffers: &mut [Vec<f64>],
    depth: usize,
    dim: usize,
    drivers: &[usize],
    mask: usize,
    table: &mut [f64],
) {
    for (i, &driver) in drivers.iter().enumerate() {
        let pivot = i + 1;
        let child_dim = dim - pivot;
        let (done, rest) = buffers.split_at_mut(depth + 1);
        let (c, child) = (&done[depth], &mut rest[0]);
        // The child keeps the score (0) and the drivers after this one.
        let keep = |a: usize| if a == 0 { 0 } else { pivot + a };
        let cpp = c[pivot * dim + pivot];
        for a in 0..child_dim {
            let ka = keep(a);
            let factor = c[ka * dim + pivot] / cpp;
            for b in 0..child_dim {
                let kb = keep(b);
                child[a * child_dim + b] = c[ka * dim + kb] - factor * c[pivot * dim + kb];
            }
        }
        let child_mask = mask | 1 << driver;
        table[child_mask] = 1.0 - child[0];
        children(buffers, depth + 1, child_dim, &drivers[i + 1..], child_mask, table);
    }
}

/// Each driver's LMG share of R² (its mean gain in R² over the orders of entry), its mean gain
/// when added to subsets of each size (conditional dominance), from the table of
/// [`subset_r_squared`] of `p` drivers.
#[allow(clippy::cast_precision_loss)] // counts of subsets below 2^20
pub(crate) fn general_and_conditional(table: &[f64], p: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut conditional = vec![vec![0.0; p]; p];
    for (j, row) in conditional.iter_mut().enumerate() {
        let bit = 1 << j;
        for mask in (0..table.len()).filter(|m| m & bit == 0) {
            row[mask.count_ones() as usize] += table[mask | bit] - table[mask];
        }
        // The mean over the C(p − 1, k) subsets of each size k.
        let mut subsets = 1.0;
        for (k, gain) in row.iter_mut().enumerate() {
            *gain /= subsets;
            subsets = subsets * (p - 1 - k) as f64 / (k + 1) as f64;
        }
    }
    let general = conditional.iter().map(|row| row.iter().sum::<f64>() / p as f64).collect();
    (general, conditional)
}

/// Complete dominance between each pair: `1` where driver i adds more to R² than driver j to
/// every subset of the other drivers, `-1` where less, `0` where neither (Azen and Budescu 2003).
#[allow(clippy::needless_range_loop)] // a pair of indexes into a square table
pub(crate) fn complete(table: &[f64], p: usize) -> Vec<Vec<i8>> {
    let mut out = vec![vec![0_i8; p]; p];
    for i in 0..p {
        for j in i + 1..p {
            let (bi, bj) = (1 << i, 1 << j);
            let (mut more, mut less) = (true, true);
            for mask in (0..table.len()).filter(|m| m & (bi | bj) == 0) {
                let (a, b) = (table[mask | bi], table[mask | bj]);
                more &= a > b;
                less &= a < b;
            }
            let d = i8::from(more) - i8::from(less);
            (out[i][j], out[j][i]) = (d, -d);
        }
    }
    out
}

/// LMG estimated from `permutations` random orders of entry (the Shapley value by sampling;
/// Castro, Gómez and Tejada 2009): each order adds the drivers one by one, each gain one sweep
/// step on the correlation matrix `r` (`q × q`, the score first), and a driver's estimate is
/// its mean gain, with its Monte Carlo standard error (the gains' standard deviation over
/// √permutations). Each order's gains sum to the full model's R², so the estimates do too.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub(crate) fn sampled(
    r: &[f64],
    q: usize,
    permutations: u32,
    random: &mut Random,
) -> (Vec<f64>, Vec<f64>) {
    let p = q - 1;
    let (mut sum, mut squares) = (vec![0.0; p], vec![0.0; p]);
    let mut order: Vec<usize> = (1..q).collect();
    let mut c = vec![0.0; q * q];
    let mut entered = vec![false; q];
    for _ in 0..permutations {
        // Fisher–Yates, from the uniform draws of the core's generator.
        for i in (1..p).rev() {
            let j = ((random.uniform() * (i + 1) as f64) as usize).min(i);
            order.swap(i, j);
        }
        c.copy_from_slice(r);
        entered.fill(false);
        for &k in &order {
            let pivot = c[k * q + k];
            let gain = c[k] * c[k] / pivot;
            sum[k - 1] += gain;
            squares[k - 1] += gain * gain;
            entered[k] = true;
            for i in (0..q).filter(|&i| !entered[i]) {
                let factor = c[i * q + k] / pivot;
                for j in (0..q).filter(|&j| !entered[j]) {
                    c[i * q + j] -= factor * c[k * q + j];
                }
            }
        }
    }
    let count = f64::from(permutations);
    let means: Vec<f64> = sum.iter().map(|s| s / count).collect();
    let errors = squares
        .iter()
        .zip(&means)
        .map(|(sq, m)| ((sq / count - m * m).max(0.0) * count / (count - 1.0) / count).sqrt())
        .collect();
    (means, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampled_orders_agree_with_the_exact_shapley_value() {
        // A correlation matrix of a score and six drivers (positive definite: built as XᵀX).
        let mut random = Random::new(5);
        let (n, q) = (200, 7);
        let x: Vec<f64> = (0..n * q).map(|_| random.normal()).collect();
        let mut cov = vec![0.0; q * q];
        for row in x.chunks(q) {
            let row: Vec<f64> = row
                .iter()
                .enumerate()
                .map(|(j, v)| v + if j == 0 { row[1] + row[2] } else { 0.0 })
                .collect();
            for a in 0..q {
                for b in 0..q {
                    cov[a * q + b] += row[a] * row[b];
                }
            }
        }
        let r = super::super::moments::correlation(&cov, q);
        let (exact, _) = general_and_conditional(&subset_r_squared(&r, q), q - 1);
        let (estimate, errors) = sampled(&r, q, 20_000, &mut random);
        for j in 0..q - 1 {
            assert!(
                (estimate[j] - exact[j]).abs() < 5.0 * errors[j] + 1e-12,
                "{j}: {} vs {}",
                estimate[j],
                exact[j]
            );
        }
        let total: f64 = estimate.iter().sum();
        let full = subset_r_squared(&r, q)[(1 << (q - 1)) - 1];
        assert!((total - full).abs() < 1e-12, "{total} vs {full}");
    }
}

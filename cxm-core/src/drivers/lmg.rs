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

/// The most drivers for exact LMG: 2^20 subsets (an 8 MB table of R²).
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

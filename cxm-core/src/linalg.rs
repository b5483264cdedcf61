//! Small dense algebra: Cholesky (a driver analysis's full model and its collinearity; the
//! least-squares fit of calibration residuals on the margins) and the symmetric eigenproblem by
//! cyclic Jacobi rotations (Johnson's weights). The matrices are a few dozen wide at most:
//! clarity first.

/// The Cholesky factor `L` (row-major, lower) of the positive definite `a` (`p × p`), and each
/// pivot `Lₖₖ²`: for a correlation matrix, `1 − R²` of driver k on the drivers before it.
/// `Err(k)` at the first pivot that is not positive.
pub(crate) fn cholesky(a: &[f64], p: usize) -> Result<Vec<f64>, usize> {
    let (l, kept) = cholesky_dropping(a, p, 0.0);
    kept.iter().position(|&k| !k).map_or(Ok(l), Err)
}

/// The Cholesky factor of the positive semi-definite `a` with every column whose pivot is at
/// most `dependent` × its diagonal (a combination of the columns before it, to that tolerance)
/// left out: its row and column of `L` are zero, and `kept[k]` is false.
pub(crate) fn cholesky_dropping(a: &[f64], p: usize, dependent: f64) -> (Vec<f64>, Vec<bool>) {
    let mut l = vec![0.0; p * p];
    let mut kept = vec![false; p];
    for k in 0..p {
        let mut pivot = a[k * p + k];
        for m in 0..k {
            pivot -= l[k * p + m] * l[k * p + m];
        }
        if !(pivot > dependent * a[k * p + k] && pivot > 0.0) {
            continue;
        }
        kept[k] = true;
        let lkk = pivot.sqrt();
        l[k * p + k] = lkk;
        for i in k + 1..p {
            let mut v = a[i * p + k];
            for m in 0..k {
                v -= l[i * p + m] * l[k * p + m];
            }
            l[i * p + k] = v / lkk;
        }
    }
    (l, kept)
}

/// Solves `L Lᵀ x = b` for the Cholesky factor `l`; a column left out (a zero pivot) gets 0,
/// which leaves `Lᵀx` the least-squares fit on the columns kept.
pub(crate) fn cholesky_solve(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
    let mut y = b.to_vec();
    for i in 0..p {
        if l[i * p + i] == 0.0 {
            y[i] = 0.0;
            continue;
        }
        for m in 0..i {
            y[i] -= l[i * p + m] * y[m];
        }
        y[i] /= l[i * p + i];
    }
    for i in (0..p).rev() {
        if l[i * p + i] == 0.0 {
            continue;
        }
        for m in i + 1..p {
            y[i] -= l[m * p + i] * y[m];
        }
        y[i] /= l[i * p + i];
    }
    y
}

/// The eigenvalues and eigenvectors (columns of the row-major `p × p` matrix) of the symmetric
/// `a`, by cyclic Jacobi rotations (Golub and Van Loan, *Matrix Computations*, §8.5) until the
/// off-diagonal part is below the rounding of the diagonal.
pub(crate) fn symmetric_eigen(a: &[f64], p: usize) -> (Vec<f64>, Vec<f64>) {
    let mut m = a.to_vec();
    let mut v = vec![0.0; p * p];
    for i in 0..p {
        v[i * p + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..p)
            .flat_map(|i| (0..p).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i * p + j] * m[i * p + j])
            .sum();
        let diagonal: f64 = (0..p).map(|i| m[i * p + i] * m[i * p + i]).sum();
        if off <= f64::EPSILON * f64::EPSILON * diagonal {
            break;
        }
        for i in 0..p {
            for j in i + 1..p {
                let aij = m[i * p + j];
                if aij == 0.0 {
                    continue;
                }
                // The rotation that zeroes m[i][j] (Golub and Van Loan, Algorithm 8.5.1).
                let tau = (m[j * p + j] - m[i * p + i]) / (2.0 * aij);
                let t = tau.signum() / (tau.abs() + tau.mul_add(tau, 1.0).sqrt());
                let t = if tau == 0.0 { 1.0 } else { t };
                let c = 1.0 / t.mul_add(t, 1.0).sqrt();
                let s = t * c;
                for k in 0..p {
                    let (mki, mkj) = (m[k * p + i], m[k * p + j]);
                    m[k * p + i] = c * mki - s * mkj;
                    m[k * p + j] = s * mki + c * mkj;
                }
                for k in 0..p {
                    let (mik, mjk) = (m[i * p + k], m[j * p + k]);
                    m[i * p + k] = c * mik - s * mjk;
                    m[j * p + k] = s * mik + c * mjk;
                }
                for k in 0..p {
                    let (vki, vkj) = (v[k * p + i], v[k * p + j]);
                    v[k * p + i] = c * vki - s * vkj;
                    v[k * p + j] = s * vki + c * vkj;
                }
            }
        }
    }
    ((0..p).map(|i| m[i * p + i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_pairs_rebuild_the_matrix_and_cholesky_solves() {
        let a = [4.0, 1.0, 0.5, 1.0, 3.0, 0.25, 0.5, 0.25, 2.0];
        let (values, vectors) = symmetric_eigen(&a, 3);
        for i in 0..3 {
            for j in 0..3 {
                let rebuilt: f64 =
                    (0..3).map(|k| vectors[i * 3 + k] * values[k] * vectors[j * 3 + k]).sum();
                assert!((rebuilt - a[i * 3 + j]).abs() < 1e-13, "{i} {j}");
            }
        }
        // numpy.linalg.eigvalsh of the matrix: 1.88168021, 2.38676037, 4.73155942.
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        for (got, want) in sorted.iter().zip([1.881_680_21, 2.386_760_37, 4.731_559_42]) {
            assert!((got - want).abs() < 1e-7, "{got}");
        }
        let l = cholesky(&a, 3).unwrap();
        let x = cholesky_solve(&l, 3, &[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let b: f64 = (0..3).map(|j| a[i * 3 + j] * x[j]).sum();
            assert!((b - [1.0, 2.0, 3.0][i]).abs() < 1e-14);
        }
        assert_eq!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2), Err(1));
    }
}

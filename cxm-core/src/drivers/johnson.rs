//! Johnson's relative weights (Johnson 2000, "A heuristic method for estimating the relative
//! weight of predictor variables in multiple regression", Multivariate Behavioral Research
//! 35:1–19): the score regressed on the orthogonal variables closest to the drivers (the
//! symmetric square root `Λ = R^{1/2}` of their correlation matrix), each driver credited with
//! the squared loadings on them. A different quantity from LMG, cheaper and often close to it;
//! Thomas et al. (2014) show where the heuristic misattributes, so the two are labelled apart.

use crate::linalg::symmetric_eigen;

/// Each driver's raw relative weight `εⱼ = Σₖ Λⱼₖ² βₖ²`, with `β = Λ⁻¹ r_xy`, from the drivers'
/// correlation matrix `rxx` (`p × p`, positive definite) and their correlations with the score
/// `rxy`. The weights sum to the full model's R².
pub(crate) fn relative_weights(rxx: &[f64], rxy: &[f64], p: usize) -> Vec<f64> {
    let (values, vectors) = symmetric_eigen(rxx, p);
    // Λ = V diag(√λ) Vᵀ and Λ⁻¹ r = V diag(1/√λ) Vᵀ r.
    let root: Vec<f64> = values.iter().map(|&l| l.sqrt()).collect();
    let mut lambda = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            lambda[i * p + j] =
                (0..p).map(|k| vectors[i * p + k] * root[k] * vectors[j * p + k]).sum();
        }
    }
    let projected: Vec<f64> = (0..p)
        .map(|k| (0..p).map(|i| vectors[i * p + k] * rxy[i]).sum::<f64>() / root[k])
        .collect();
    let beta: Vec<f64> =
        (0..p).map(|i| (0..p).map(|k| vectors[i * p + k] * projected[k]).sum()).collect();
    (0..p)
        .map(|j| (0..p).map(|k| lambda[j * p + k] * lambda[j * p + k] * beta[k] * beta[k]).sum())
        .collect()
}

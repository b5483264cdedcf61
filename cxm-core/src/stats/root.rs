//! Root finding by bisection, to the last representable digit.

/// Finds `x` in `[a, b]` where the monotone function `f` changes sign, given the sign it has
/// near `a` (`f(a) > 0` when `positive_at_a`). `f` is never evaluated at `a` or `b`, so it may
/// be undefined there (a zero variance at the edge of the parameter space).
///
/// Bisection halves the bracket until the midpoint equals one of its ends: about 60 steps
/// for a bracket in [-1, 1], and then the root is exact to one unit in the last place. That is
/// slower than Brent's method but cannot fail to converge, and 60 steps cost nothing here.
pub(crate) fn bisect(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64, positive_at_a: bool) -> f64 {
    loop {
        let mid = a + (b - a) / 2.0;
        if mid <= a.min(b) || mid >= a.max(b) {
            return mid;
        }
        let value = f(mid);
        if value == 0.0 {
            return mid;
        }
        if (value > 0.0) == positive_at_a {
            a = mid;
        } else {
            b = mid;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sqrt_two_to_the_last_digit() {
        let r = bisect(|x| 2.0 - x * x, 0.0, 2.0, true);
        assert!((r - std::f64::consts::SQRT_2).abs() <= f64::EPSILON * 2.0);
        let r = bisect(|x| 2.0 - x * x, 2.0, 0.0, false);
        assert!((r - std::f64::consts::SQRT_2).abs() <= f64::EPSILON * 2.0);
    }
}

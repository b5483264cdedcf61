//! Student's t critical values, from cxm's own Beta quantile: statrs 0.19's t quantile is good
//! to only ~1e-9 (3.5e-6 at 1e5 degrees of freedom), short of what the references give.

use super::beta::{quantile, Tail};
use super::normal::{self, check_level};
use crate::error::Error;

/// The `t` with `P(|T| ≤ t) = level` for `T` ~ Student t with `df > 0` degrees of freedom
/// (non-integral allowed).
///
/// `P(|T| > t) = P(Y > y)` for `Y` ~ Beta(½, df/2) and `y = t²/(df + t²)`. The equation is
/// solved for `y` and then `t = √(df·y/(1 − y))`: `y` keeps its relative precision even when
/// `df` is 1e10 and `y` is 4e-10, where `1 − y` as a Beta(df/2, ½) quantile would not. When `y`
/// is above ½, that other quantile is the precise one, and is used.
///
/// # Errors
/// [`Error::InvalidLevel`]; [`Error::OutsideSupportedRange`] when `df` is not positive (NaN
/// included) or so small that `t` exceeds the largest `f64` (df below about 0.03 at 95%).
pub(crate) fn two_sided_critical(level: f64, df: f64) -> Result<f64, Error> {
    check_level(level)?;
    if df == f64::INFINITY {
        return normal::two_sided_critical(level);
    }
    let out_of_range = || Error::OutsideSupportedRange {
        quantity: "degrees of freedom".to_owned(),
        value: df,
        supported: "positive, with a t critical value below the largest f64".to_owned(),
    };
    if df.is_nan() || df <= 0.0 {
        return Err(out_of_range());
    }
    let alpha = 1.0 - level;
    let y = quantile(alpha, 0.5, df / 2.0, Tail::Upper);
    let t = if y <= 0.5 {
        (df * y / (1.0 - y)).sqrt()
    } else {
        // Heavy tails (small df, high level): y is near 1, so solve for x = 1 − y directly,
        // P(X ≤ x) = α for X ~ Beta(df/2, ½), and t = √(df·(1 − x)/x).
        let x = quantile(alpha, df / 2.0, 0.5, Tail::Lower);
        (df * (1.0 - x) / x).sqrt()
    };
    if t.is_finite() {
        Ok(t)
    } else {
        Err(out_of_range())
    }
}

/// `P(|T| > |t|)` for `T` ~ Student t with `df` degrees of freedom: the lower tail of
/// Beta(df/2, ½) at `df/(df + t²)`, which keeps small p-values' relative precision.
/// `df > 0`; an infinite `t` gives 0.
pub(crate) fn two_sided_p_value(t: f64, df: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    if df == f64::INFINITY {
        return normal::two_sided_p_value(t);
    }
    // df/(df + t²) = 1/(1 + (t/√df)²), which neither overflows nor underflows early.
    let ratio = t / df.sqrt();
    let x = 1.0 / (1.0 + ratio * ratio);
    super::beta::cdf_tails(x, df / 2.0, 0.5).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_match_closed_forms() {
        // Cauchy (df = 1): P(|T| > t) = 1 − 2·atan(t)/π.
        for t in [0.0_f64, 0.5, 2.0, 30.0] {
            let want = 1.0 - 2.0 * t.atan() / std::f64::consts::PI;
            assert!((two_sided_p_value(t, 1.0) - want).abs() < 1e-14 * want.max(1e-3), "{t}");
        }
        // 2 * scipy.stats.t.sf(2.5, 10) = 0.03144684423660882 (mpmath betainc: 0.03144684423660880)
        assert!((two_sided_p_value(-2.5, 10.0) - 0.031_446_844_236_608_8).abs() < 1e-15);
    }

    #[test]
    fn matches_closed_forms_and_scipy() {
        // Closed forms: df = 1 is Cauchy, t = tan(π·level/2); df = 2 has
        // P(|T| ≤ t) = t/√(2 + t²), so t = level·√(2/(1 − level²)).
        for level in [0.5, 0.9, 0.95, 0.99] {
            let cauchy = (std::f64::consts::FRAC_PI_2 * level).tan();
            let got = two_sided_critical(level, 1.0).unwrap();
            assert!((got - cauchy).abs() < 1e-13 * cauchy, "{level}: {got} vs {cauchy}");
            let two = level * (2.0 / (1.0 - level * level)).sqrt();
            let got = two_sided_critical(level, 2.0).unwrap();
            assert!((got - two).abs() < 1e-13 * two, "{level}: {got} vs {two}");
        }
        // scipy.stats.t.ppf(0.975, 29) = 2.045229642132703; t.ppf(0.975, 1e10) tends to the
        // normal 1.959963984540054 (mpmath, 30 digits: 1.9599639848341...).
        assert!((two_sided_critical(0.95, 29.0).unwrap() - 2.045_229_642_132_703).abs() < 1e-13);
        let huge = two_sided_critical(0.95, 1e10).unwrap();
        assert!((huge - 1.959_963_984_540_054).abs() < 1e-9, "{huge}");
    }

    #[test]
    fn heavy_tails_do_not_saturate() {
        // mpmath (50 digits), solving betainc(df/2, 1/2, 0, df/(df + t²)) = 0.05 for t:
        // 1.7845408012787946e12 at df = 0.0998, where the quantile once stopped near 1.26e8.
        let t = two_sided_critical(0.95, 0.0998).unwrap();
        assert!((t / 1.784_540_801_278_794_6e12 - 1.0).abs() < 1e-11, "{t}");
        // Cauchy at the level 1 − 1e-12 rounds to (0.99999999999900002212…): tan(π·level/2) =
        // 636633855803.5593 (mpmath, 50 digits).
        let t = two_sided_critical(1.0 - 1e-12, 1.0).unwrap();
        assert!((t / 636_633_855_803.559_3 - 1.0).abs() < 1e-13, "{t}");
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        for df in [f64::NAN, 0.0, -1.0, 1e-9] {
            let err = two_sided_critical(0.95, df).unwrap_err();
            assert_eq!(err.kind(), "outside_supported_range", "{df}");
        }
        assert_eq!(two_sided_critical(0.95, f64::INFINITY), normal::two_sided_critical(0.95));
    }
}

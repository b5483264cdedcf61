//! p-values adjusted for the number of comparisons, as statsmodels'
//! `statsmodels.stats.multitest.multipletests` defines them: Holm's step-down (Holm 1979, "A
//! simple sequentially rejective multiple test procedure", Scand. J. Statist. 6) controls the
//! family-wise error rate; Benjamini & Hochberg's step-up (1995, "Controlling the false
//! discovery rate", J. R. Statist. Soc. B 57) the false discovery rate.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// How p-values are adjusted for the number of comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adjustment {
    /// No adjustment: each p-value as it is.
    None,
    /// Holm's step-down: the family-wise error rate, under any dependence (the default).
    Holm,
    /// Benjamini–Hochberg: the false discovery rate, for independent or positively dependent
    /// tests.
    BenjaminiHochberg,
}

crate::options::named_options!(Adjustment, "p-value adjustment", [
    None => "none" = 0,
    Holm => "holm" = 1,
    BenjaminiHochberg => "fdr_bh" = 2,
]);

impl Adjustment {
    /// The default of every surface: Holm, valid whatever the tests' dependence.
    pub const DEFAULT: Adjustment = Adjustment::Holm;
}

/// The adjusted p-values, in the order given, computed as statsmodels computes them (so the
/// bits agree): over the p-values sorted ascending, Holm takes the running maximum of
/// `p₍ᵢ₎ · (m − i)` (i from 0), Benjamini–Hochberg the running minimum from the largest of
/// `p₍ᵢ₎ / ((i + 1) / m)`; both capped at 1. Empty input gives empty output.
///
/// # Errors
/// [`Error::InvalidPValue`] for a p-value that is NaN or outside 0..=1, with its index.
///
/// # Examples
/// ```
/// use cxm_core::{adjust_p_values, Adjustment};
/// let p = [0.01, 0.04, 0.03, 0.005];
/// // statsmodels: multipletests(p, method="holm")[1] = [0.03, 0.06, 0.06, 0.02]
/// let holm = adjust_p_values(&p, Adjustment::Holm)?;
/// assert!((holm[0] - 0.03).abs() < 1e-15 && (holm[1] - 0.06).abs() < 1e-15);
/// assert!(adjust_p_values(&[0.5, 1.5], Adjustment::Holm).is_err());
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn adjust_p_values(p_values: &[f64], method: Adjustment) -> Result<Vec<f64>, Error> {
    if let Some((index, &value)) =
        p_values.iter().enumerate().find(|(_, p)| !(0.0..=1.0).contains(*p))
    {
        return Err(Error::InvalidPValue { index, value });
    }
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let sorted: Vec<f64> = order.iter().map(|&i| p_values[i]).collect();
    let adjusted_sorted: Vec<f64> = match method {
        Adjustment::None => sorted,
        Adjustment::Holm => {
            let mut running = f64::NEG_INFINITY;
            sorted
                .iter()
                .enumerate()
                .map(|(i, &p)| {
                    running = running.max(p * (m - i) as f64);
                    running
                })
                .collect()
        }
        Adjustment::BenjaminiHochberg => {
            let mut out = vec![0.0; m];
            let mut running = f64::INFINITY;
            for i in (0..m).rev() {
                let factor = (i + 1) as f64 / m as f64;
                running = running.min(sorted[i] / factor);
                out[i] = running;
            }
            out
        }
    };
    let mut adjusted = vec![0.0; m];
    for (&i, &p) in order.iter().zip(&adjusted_sorted) {
        adjusted[i] = p.min(1.0);
    }
    Ok(adjusted)
}

#[cfg(test)]
#[allow(clippy::unreadable_literal)] // p-values as statsmodels was given them
mod tests {
    use super::*;

    fn hex(text: &str) -> f64 {
        // "0x1.hhhhhhhhhhhhhp±e", as Python's float.hex writes it; "0x0.0p+0" is zero.
        let text = text.strip_prefix("0x").unwrap();
        let (mantissa, exponent) = text.split_once('p').unwrap();
        let (whole, fraction) = mantissa.split_once('.').unwrap();
        let digits = u64::from_str_radix(&format!("{whole}{fraction}"), 16).unwrap();
        let shift = i32::try_from(4 * fraction.len()).unwrap();
        digits as f64 * 2f64.powi(exponent.parse::<i32>().unwrap() - shift)
    }

    /// statsmodels 0.15: `[float(x).hex() for x in multipletests(p, method=...)[1]]`.
    const CASES: [(&[f64], &[&str], &[&str]); 3] = [
        (
            &[0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.049, 0.0001],
            &[
                "0x1.eb851eb851eb8p-5",
                "0x1.47ae147ae147bp-3",
                "0x1.3333333333333p-3",
                "0x1.1eb851eb851ecp-5",
                "0x1.999999999999ap-2",
                "0x1.0000000000000p-1",
                "0x1.47ae147ae147bp-3",
                "0x1.a36e2eb1c432dp-11",
            ],
            &[
                "0x1.b4e81b4e81b4fp-6",
                "0x1.0624dd2f1a9fcp-4",
                "0x1.eb851eb851eb8p-5",
                "0x1.47ae147ae147bp-6",
                "0x1.d41d41d41d41ep-3",
                "0x1.0000000000000p-1",
                "0x1.0b9af72015d87p-4",
                "0x1.a36e2eb1c432dp-11",
            ],
        ),
        (
            &[0.02, 0.02, 0.5, 0.02, 1.0, 0.0],
            &[
                "0x1.999999999999ap-4",
                "0x1.999999999999ap-4",
                "0x1.0000000000000p+0",
                "0x1.999999999999ap-4",
                "0x1.0000000000000p+0",
                "0x0.0p+0",
            ],
            &[
                "0x1.eb851eb851eb9p-6",
                "0x1.eb851eb851eb9p-6",
                "0x1.3333333333333p-1",
                "0x1.eb851eb851eb9p-6",
                "0x1.0000000000000p+0",
                "0x0.0p+0",
            ],
        ),
        (&[0.3], &["0x1.3333333333333p-2"], &["0x1.3333333333333p-2"]),
    ];

    #[test]
    fn equal_statsmodels_to_the_bit() {
        for (p, holm, bh) in CASES {
            let want = |h: &[&str]| h.iter().map(|x| hex(x)).collect::<Vec<f64>>();
            assert_eq!(adjust_p_values(p, Adjustment::Holm).unwrap(), want(holm), "{p:?}");
            assert_eq!(adjust_p_values(p, Adjustment::BenjaminiHochberg).unwrap(), want(bh));
            assert_eq!(adjust_p_values(p, Adjustment::None).unwrap(), p);
        }
        // Twenty p-values 0.0005·(i + 1)^2.3 rounded to 6 places; statsmodels as above.
        let p: Vec<f64> = [
            0.0005, 0.002462, 0.006257, 0.012126, 0.020258, 0.030812, 0.043923, 0.059714, 0.078294,
            0.099763, 0.124215, 0.151735, 0.182406, 0.216304, 0.253501, 0.294067, 0.338067,
            0.385564, 0.43662, 0.491291,
        ]
        .to_vec();
        let holm = adjust_p_values(&p, Adjustment::Holm).unwrap();
        assert_eq!(holm[3], hex("0x1.a62dc6e2a8006p-3"));
        assert_eq!(holm[8], hex("0x1.e109d0635a427p-1"));
        assert!(holm[9..].iter().all(|&x| x == 1.0));
        let bh = adjust_p_values(&p, Adjustment::BenjaminiHochberg).unwrap();
        assert_eq!(bh[1], hex("0x1.935fc3b4f6167p-6"));
        assert_eq!(bh[19], hex("0x1.f714fce746cb9p-2"));
        assert_eq!(bh[10], hex("0x1.ce880fc9c8aabp-3"));
    }

    #[test]
    fn bad_p_values_are_named() {
        let e = adjust_p_values(&[0.1, f64::NAN], Adjustment::Holm).unwrap_err();
        assert_eq!(e.to_string(), "p-value NaN at index 1 is outside 0..=1");
        assert!(adjust_p_values(&[-0.1], Adjustment::BenjaminiHochberg).is_err());
        assert_eq!(adjust_p_values(&[], Adjustment::Holm).unwrap(), Vec::<f64>::new());
    }
}

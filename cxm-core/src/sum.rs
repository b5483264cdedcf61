//! Compensated summation, so that weight totals over millions of responses keep full precision.

/// Neumaier's variant of Kahan summation: the error of the total stays near one rounding,
/// independent of the number of terms and of their order of magnitude.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// Adds one term.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        // Both corrections, then a choice: no branch, so that lanes of sums vectorize.
        let (big, small) = ((self.sum - t) + x, (x - t) + self.sum);
        self.compensation += if self.sum.abs() >= x.abs() { big } else { small };
        self.sum = t;
    }

    /// The compensated total.
    pub fn total(&self) -> f64 {
        self.sum + self.compensation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_naive_summation_loses() {
        // 1 + 1e100 + 1 - 1e100 is 2 exactly; a naive sum gives 0.
        let mut s = CompensatedSum::default();
        for x in [1.0, 1e100, 1.0, -1e100] {
            s.add(x);
        }
        assert_eq!(s.total(), 2.0);
    }
}

//! Net customer value growth.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Net customer value growth (Jeanne Bliss, *Chief Customer Officer 2.0*, 2015): customers
/// gained minus customers lost over a period, as a count and as value, in whole numbers.
///
/// cxm defines it exactly so: `net_count = new_count − lost_count` and
/// `net_value = new_value − lost_value`, where values are money in integer minor units (e.g.
/// cents) of the same recurring value (e.g. monthly revenue): the new customers' value at the
/// end of the period and the lost customers' value at its start. No float is involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ncvg {
    /// Customers gained.
    pub new_count: i64,
    /// Their value, in minor units.
    pub new_value: i64,
    /// Customers lost.
    pub lost_count: i64,
    /// Their value, in minor units.
    pub lost_value: i64,
    /// `new_count − lost_count`.
    pub net_count: i64,
    /// `new_value − lost_value`, in minor units.
    pub net_value: i64,
}

/// NCVG from the counts and values gained and lost.
///
/// # Errors
/// [`Error::InvalidCustomerCount`] for a negative count or value; [`Error::ValueOverflow`] if a
/// difference does not fit an `i64` (it always does for non-negative inputs; the check stays
/// so that no path can wrap).
///
/// ```
/// // 120 customers worth 30 000.00 gained, 80 worth 26 500.50 lost (values in cents).
/// let g = cxm_core::ncvg(120, 3_000_000, 80, 2_650_050)?;
/// assert_eq!((g.net_count, g.net_value), (40, 349_950));
/// assert!(cxm_core::ncvg(-1, 0, 0, 0).is_err());
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn ncvg(
    new_count: i64,
    new_value: i64,
    lost_count: i64,
    lost_value: i64,
) -> Result<Ncvg, Error> {
    for (quantity, value) in [
        ("new_count", new_count),
        ("new_value", new_value),
        ("lost_count", lost_count),
        ("lost_value", lost_value),
    ] {
        if value < 0 {
            return Err(Error::InvalidCustomerCount {
                quantity: quantity.to_owned(),
                value,
                requirement: "at least 0".to_owned(),
            });
        }
    }
    let difference = |a: i64, b: i64, quantity: &str| {
        a.checked_sub(b).ok_or_else(|| Error::ValueOverflow { quantity: quantity.to_owned() })
    };
    Ok(Ncvg {
        new_count,
        new_value,
        lost_count,
        lost_value,
        net_count: difference(new_count, lost_count, "new_count - lost_count")?,
        net_value: difference(new_value, lost_value, "new_value - lost_value")?,
    })
}

impl Ncvg {
    /// Recomputes the result from its inputs and refuses one whose differences disagree, as a
    /// hand-built or unpickled result may.
    ///
    /// # Errors
    /// The errors of [`ncvg`] for its inputs, and [`Error::InvalidEstimate`] when `net_count`
    /// or `net_value` is not the difference the inputs give.
    pub fn check(&self) -> Result<(), Error> {
        if ncvg(self.new_count, self.new_value, self.lost_count, self.lost_value)? == *self {
            Ok(())
        } else {
            Err(Error::InvalidEstimate {
                reason: "net_count and net_value must be the ones the counts give".to_owned(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extremes_are_exact() {
        let g = ncvg(0, 0, i64::MAX, i64::MAX).unwrap();
        assert_eq!((g.net_count, g.net_value), (-i64::MAX, -i64::MAX));
        let g = ncvg(i64::MAX, i64::MAX, 0, 0).unwrap();
        assert_eq!(g.net_value, i64::MAX);
        let mut tampered = ncvg(5, 50, 2, 20).unwrap();
        tampered.net_value = 31;
        assert_eq!(tampered.check().unwrap_err().kind(), "invalid_estimate");
        let err = ncvg(1, 2, 3, -4).unwrap_err();
        assert_eq!(err.to_string(), "lost_value is -4: it must be at least 0");
    }
}

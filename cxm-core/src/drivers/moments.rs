//! The data of a key-driver analysis reduced to its distinct rows and their counts, and the
//! weighted correlation matrix of any counts of those rows: the one-shot matrix and each
//! bootstrap resample's come from the same function.

use crate::error::Error;
use crate::score::Missing;

/// The distinct rows (score, drivers and weight alike) of the data, in a fixed order, each
/// with how many times it occurs. Ratings repeat, so a survey of a million responses on 1–5
/// scales has far fewer distinct rows than responses: moments and resamples cost that many.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rows {
    /// Row-major, `columns` values a row: the score, then each driver.
    pub values: Vec<f64>,
    /// The weight of each distinct row (1 without weights).
    pub weights: Vec<f64>,
    /// How many rows of the data it stands for.
    pub counts: Vec<u64>,
    /// 1 + the number of drivers.
    pub columns: usize,
    /// Rows used (weight above 0, every value present).
    pub used: u64,
    /// Rows left out for a missing value (listwise), when asked.
    pub dropped: u64,
}

/// The distinct rows of `score` and `drivers` (named `names`), weighted by `weights`.
///
/// # Errors
/// [`Error::ColumnLengthMismatch`] for a column of another length than `score`;
/// [`Error::InvalidRecord`] for an infinite value, or a missing one (NaN) under
/// [`Missing::Reject`], naming the row and the column; [`Error::InvalidWeight`].
pub(crate) fn distinct_rows(
    score: &[f64],
    drivers: &[&[f64]],
    names: &[&str],
    weights: Option<&[f64]>,
    missing: Missing,
) -> Result<Rows, Error> {
    let n = score.len();
    let columns: Vec<&[f64]> = std::iter::once(score).chain(drivers.iter().copied()).collect();
    let column_name = |c: usize| column_name(names, c);
    for (c, column) in columns.iter().enumerate().skip(1) {
        if column.len() != n {
            return Err(Error::ColumnLengthMismatch {
                column: names[c - 1].to_owned(),
                len: column.len(),
                expected: n,
                first: "score".to_owned(),
            });
        }
    }
    if let Some(w) = weights.filter(|w| w.len() != n) {
        return Err(Error::ColumnLengthMismatch {
            column: "weights".to_owned(),
            len: w.len(),
            expected: n,
            first: "score".to_owned(),
        });
    }
    // Each used row's bits (values, then weight), one after another.
    let width = columns.len();
    let mut keys: Vec<u64> = Vec::with_capacity(n * (width + 1));
    let dropped = check_rows(&columns, weights, missing, &column_name, &mut keys)?;
    if weights.is_none() {
        if let Some(rows) = small_whole_rows(&keys, width, dropped) {
            return Ok(rows);
        }
    }
    Ok(sorted_rows(&keys, width, dropped))
}

/// The distinct rows of `keys` (each `width` values' bits and a weight's), sorted by their
/// bits: equal rows side by side, and a fixed order for the sums and the resamples.
fn sorted_rows(keys: &[u64], width: usize, dropped: u64) -> Rows {
    let stride = width + 1;
    let key = |i: usize| &keys[i * stride..(i + 1) * stride];
    let used = keys.len() / stride;
    let mut order: Vec<usize> = (0..used).collect();
    order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)));
    let mut rows = Rows {
        values: Vec::new(),
        weights: Vec::new(),
        counts: Vec::new(),
        columns: width,
        used: used as u64,
        dropped,
    };
    for (i, &k) in order.iter().enumerate() {
        if i > 0 && key(order[i - 1]) == key(k) {
            *rows.counts.last_mut().unwrap_or(&mut 0) += 1;
            continue;
        }
        rows.values.extend(key(k)[..width].iter().map(|&b| f64::from_bits(b)));
        rows.weights.push(f64::from_bits(key(k)[width]));
        rows.counts.push(1);
    }
    rows
}

/// The most combinations of small whole values counted in a table rather than sorted.
const TABLE: u64 = 1 << 21;

/// Unweighted rows of small whole numbers (0 to 255 in every column, as ratings are), counted
/// in a table indexed by the row read as a number (its first column the most significant
/// digit): one pass instead of a sort, and the same distinct rows in the same order, since
/// the bits of non-negative doubles order as the numbers do. `None` when the values do not fit.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)] // whole values in 0..=255 and table indices below 2^21, checked
fn small_whole_rows(keys: &[u64], width: usize, dropped: u64) -> Option<Rows> {
    let stride = width + 1;
    let mut top = vec![0_u64; width];
    for row in keys.chunks_exact(stride) {
        for (t, &bits) in top.iter_mut().zip(&row[..width]) {
            let value = f64::from_bits(bits);
            if !((0.0..=255.0).contains(&value) && value.fract() == 0.0) {
                return None;
            }
            *t = (*t).max(value as u64);
        }
    }
    let size =
        top.iter().try_fold(1_u64, |size, &t| size.checked_mul(t + 1).filter(|&s| s <= TABLE))?;
    let mut counts = vec![0_u64; usize::try_from(size).ok()?];
    for row in keys.chunks_exact(stride) {
        let index = row[..width]
            .iter()
            .zip(&top)
            .fold(0_u64, |index, (&bits, &t)| index * (t + 1) + f64::from_bits(bits) as u64);
        counts[index as usize] += 1;
    }
    let mut rows = Rows {
        values: Vec::new(),
        weights: Vec::new(),
        counts: Vec::new(),
        columns: width,
        used: (keys.len() / stride) as u64,
        dropped,
    };
    let mut digits = vec![0.0; width];
    for (index, &count) in counts.iter().enumerate().filter(|(_, &c)| c > 0) {
        let mut rest = index as u64;
        for (digit, &t) in digits.iter_mut().zip(&top).rev() {
            *digit = (rest % (t + 1)) as f64;
            rest /= t + 1;
        }
        rows.values.extend_from_slice(&digits);
        rows.weights.push(1.0);
        rows.counts.push(count);
    }
    Some(rows)
}

/// Checks every row of `columns` (and its weight) and appends the bits of each row to use to
/// `keys`; returns how many were left out for a missing value.
fn check_rows(
    columns: &[&[f64]],
    weights: Option<&[f64]>,
    missing: Missing,
    column_name: &dyn Fn(usize) -> String,
    keys: &mut Vec<u64>,
) -> Result<u64, Error> {
    let mut dropped = 0;
    'rows: for i in 0..columns[0].len() {
        let weight = weights.map_or(1.0, |w| w[i]);
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(Error::InvalidWeight { index: i, value: weight });
        }
        let start = keys.len();
        for (c, column) in columns.iter().enumerate() {
            let value = column[i];
            if value.is_nan() {
                if missing == Missing::Skip {
                    keys.truncate(start);
                    dropped += 1;
                    continue 'rows;
                }
                return Err(Error::InvalidRecord {
                    index: i,
                    reason: format!(
                        "has no value for {} (rows with a missing value are left out only under \
                         the skip policy: listwise deletion)",
                        column_name(c)
                    ),
                });
            }
            if value.is_infinite() {
                return Err(Error::InvalidRecord {
                    index: i,
                    reason: format!("has the value {value} for {}", column_name(c)),
                });
            }
            keys.push((value + 0.0).to_bits());
        }
        if weight == 0.0 {
            keys.truncate(start);
            continue;
        }
        keys.push(weight.to_bits());
    }
    Ok(dropped)
}

/// How messages name column `c`: 0 is the score, `c` the driver `names[c − 1]`.
pub(crate) fn column_name(names: &[&str], c: usize) -> String {
    if c == 0 {
        "the score".to_owned()
    } else {
        format!("driver '{}'", names[c - 1])
    }
}

impl Rows {
    /// The values of distinct row `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.columns..(i + 1) * self.columns]
    }

    /// The first column (0: the score) whose values all agree among the rows counted, if any.
    pub fn constant_column(&self, counts: &[u64]) -> Option<usize> {
        let counted: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] > 0).collect();
        let first = self.row(*counted.first()?);
        (0..self.columns).find(|&c| counted.iter().all(|&i| self.row(i)[c] == first[c]))
    }

    /// The weighted covariance matrix (row-major, `columns`²) of the rows, row `i` counted
    /// `counts[i]` times: centred on the weighted means (two passes, so that large means do not
    /// cancel the variances). The divisor is the total weight: correlations do not depend on it.
    #[allow(clippy::cast_precision_loss)] // counts below 2^53
    pub fn covariance(&self, counts: &[u64]) -> Vec<f64> {
        let q = self.columns;
        let mut total = 0.0;
        let mut means = vec![0.0; q];
        for (i, &count) in counts.iter().enumerate() {
            let w = count as f64 * self.weights[i];
            total += w;
            for (m, &v) in means.iter_mut().zip(self.row(i)) {
                *m += w * v;
            }
        }
        for m in &mut means {
            *m /= total;
        }
        let mut cov = vec![0.0; q * q];
        let mut centred = vec![0.0; q];
        for (i, &count) in counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let w = count as f64 * self.weights[i];
            for ((d, &v), &m) in centred.iter_mut().zip(self.row(i)).zip(&means) {
                *d = v - m;
            }
            for a in 0..q {
                let wa = w * centred[a];
                for b in a..q {
                    cov[a * q + b] += wa * centred[b];
                }
            }
        }
        for a in 0..q {
            for b in a..q {
                cov[a * q + b] /= total;
                cov[b * q + a] = cov[a * q + b];
            }
        }
        cov
    }
}

/// The correlation matrix of a covariance matrix of `q` variables, each of positive variance.
pub(crate) fn correlation(cov: &[f64], q: usize) -> Vec<f64> {
    let scale: Vec<f64> = (0..q).map(|a| cov[a * q + a].sqrt()).collect();
    let mut r = vec![0.0; q * q];
    for a in 0..q {
        for b in 0..q {
            r[a * q + b] = if a == b { 1.0 } else { cov[a * q + b] / (scale[a] * scale[b]) };
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_counts_small_whole_rows_as_the_sort_does() {
        // Ratings (0 to 255, whole) go through the table; both give the same rows in the same order.
        let mut state = 7_u64;
        let mut values = Vec::new();
        for _ in 0..500 {
            for top in [10_u64, 5, 5, 3] {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                values.push(((state >> 33) % (top + 1)) as f64);
            }
            values.push(1.0);
        }
        let keys: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
        let table = small_whole_rows(&keys, 4, 3).unwrap();
        assert_eq!(table, sorted_rows(&keys, 4, 3));
        assert!(table.counts.len() < 500 && table.counts.iter().sum::<u64>() == 500);
        // A value past 255, a fraction or a negative number: the sort.
        for odd in [256.0, 2.5, -1.0] {
            let mut other = keys.clone();
            other[0] = f64::to_bits(odd);
            assert!(small_whole_rows(&other, 4, 0).is_none());
        }
    }
}

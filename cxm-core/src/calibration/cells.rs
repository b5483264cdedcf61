//! The cells of a raking: the distinct combinations of the margins' categories. Every weight
//! that raking or calibration to margins makes is the row's base weight times a factor of its
//! cell, so the sweeps run over the cells, whatever the number of rows.

use std::collections::HashMap;

use super::Margin;
use crate::error::Error;
use crate::sum::CompensatedSum;

/// Dense lookup up to this many combinations of categories (4 MiB of `u32`); a hash map above.
const DENSE: u64 = 1 << 20;

/// The rows grouped by their combination of categories.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cells {
    /// Each row's cell.
    pub row_cell: Vec<u32>,
    /// Cell-major: cell `j`'s category on margin `k` is `codes[j * margins + k]`.
    pub codes: Vec<u32>,
    /// The number of categories of each margin.
    pub categories: Vec<usize>,
    /// Each cell's sum of (scaled) base weights.
    pub base: Vec<f64>,
    /// Each cell's sum of squared (scaled) base weights.
    pub squares: Vec<f64>,
    /// Each cell's rows.
    pub counts: Vec<u64>,
}

impl Cells {
    /// Groups the rows of `margins` (checked: codes below their margin's number of targets)
    /// and sums each cell's base weight, `scale × base_weights[i]` (1 without them).
    pub fn new(
        margins: &[Margin<'_>],
        base_weights: Option<&[f64]>,
        scale: f64,
    ) -> Result<Cells, Error> {
        let rows = margins[0].codes.len();
        let categories: Vec<usize> = margins.iter().map(|m| m.targets.len()).collect();
        let combinations = categories
            .iter()
            .try_fold(1_u64, |product, &k| product.checked_mul(k as u64))
            .ok_or_else(|| Error::InvalidCalibration {
                what: "the margins".to_owned(),
                reason: "have more combinations of categories than 2^64".to_owned(),
            })?;
        check_codes(margins)?;
        // Each row's combination as one number (mixed radix, a margin at a time: passes that
        // vectorize), then numbered as a cell in order of first appearance. Up to `DENSE`
        // combinations the numbers are worked out in the rows' cells themselves.
        let mut cell_keys: Vec<u64> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        let mut new_cell = |key: u64| {
            cell_keys.push(key);
            counts.push(0);
            u32::try_from(cell_keys.len() - 1).map_err(|_| Error::InvalidCalibration {
                what: "the margins".to_owned(),
                reason: "have more than 2^32 distinct combinations of categories".to_owned(),
            })
        };
        let row_cell = if combinations <= DENSE {
            let mut row_cell: Vec<u32> = margins[0].codes.to_vec();
            for (m, &k) in margins.iter().zip(&categories).skip(1) {
                let k = u32::try_from(k).unwrap_or(u32::MAX);
                for (key, &c) in row_cell.iter_mut().zip(m.codes) {
                    *key = *key * k + c;
                }
            }
            let mut dense = vec![u32::MAX; usize::try_from(combinations).unwrap_or(0)];
            for key in &mut row_cell {
                let slot = &mut dense[*key as usize];
                if *slot == u32::MAX {
                    *slot = new_cell(u64::from(*key))?;
                }
                *key = *slot;
            }
            row_cell
        } else {
            let mut keys: Vec<u64> = margins[0].codes.iter().map(|&c| u64::from(c)).collect();
            for (m, &k) in margins.iter().zip(&categories).skip(1) {
                for (key, &c) in keys.iter_mut().zip(m.codes) {
                    *key = *key * k as u64 + u64::from(c);
                }
            }
            let mut sparse: HashMap<u64, u32> = HashMap::new();
            let mut row_cell = Vec::with_capacity(rows);
            for &key in &keys {
                let cell = if let Some(&cell) = sparse.get(&key) {
                    cell
                } else {
                    let cell = new_cell(key)?;
                    sparse.insert(key, cell);
                    cell
                };
                row_cell.push(cell);
            }
            row_cell
        };
        for &j in &row_cell {
            counts[j as usize] += 1;
        }
        // Each cell's categories, read back from its number.
        let mut codes = vec![0_u32; cell_keys.len() * margins.len()];
        for (cell, &key) in codes.chunks_mut(margins.len()).zip(&cell_keys) {
            let mut rest = key;
            for (code, &k) in cell.iter_mut().zip(&categories).rev() {
                *code = u32::try_from(rest % k as u64).unwrap_or(u32::MAX);
                rest /= k as u64;
            }
        }
        #[allow(clippy::cast_precision_loss)] // a count of rows is below 2^53
        let (base, squares) = match base_weights {
            Some(d) => {
                let mut sums =
                    vec![(CompensatedSum::default(), CompensatedSum::default()); counts.len()];
                for (&j, &w) in row_cell.iter().zip(d) {
                    let (sum, squares) = &mut sums[j as usize];
                    let w = w * scale;
                    sum.add(w);
                    squares.add(w * w);
                }
                sums.iter().map(|(s, q)| (s.total(), q.total())).unzip()
            }
            // Equal base weights: the cell's count times the weight, rounded once.
            None => counts.iter().map(|&c| (c as f64 * scale, c as f64 * (scale * scale))).unzip(),
        };
        Ok(Cells { row_cell, codes, categories, base, squares, counts })
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.base.len()
    }

    /// Where cell `j`'s category on margin `k` is in `codes`.
    pub fn at(&self, j: usize, k: usize) -> usize {
        j * self.categories.len() + k
    }

    /// Cell `j`'s category on margin `k`.
    pub fn code(&self, j: usize, k: usize) -> usize {
        self.codes[self.at(j, k)] as usize
    }
}

/// Every code below its margin's number of targets.
fn check_codes(margins: &[Margin<'_>]) -> Result<(), Error> {
    for margin in margins {
        let k = margin.targets.len();
        if let Some(index) = margin.codes.iter().position(|&c| c as usize >= k) {
            return Err(Error::InvalidCalibration {
                what: format!("margin '{}'", margin.name),
                reason: format!(
                    "has category {} at index {index}, but {} (0..={})",
                    margin.codes[index],
                    if k == 1 {
                        "a target for only 1 category".to_owned()
                    } else {
                        format!("targets for only {k} categories")
                    },
                    k - 1
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_combinations_group_as_few_do() {
        // The same rows with 3 × 3 categories (a dense table) and 1100 × 1000 (a hash map).
        let (a, b) = ([2_u32, 0, 1, 2, 2, 0, 1], [1_u32, 1, 0, 1, 2, 1, 0]);
        let (small, large) = (vec![1.0; 3], vec![1.0; 1100]);
        let group = |targets: &[f64], other: &[f64]| {
            let margins = [
                Margin { name: "a", codes: &a, targets, labels: None },
                Margin { name: "b", codes: &b, targets: other, labels: None },
            ];
            Cells::new(&margins, None, 1.0).unwrap()
        };
        let (dense, sparse) = (group(&small, &small), group(&large, &large[..1000]));
        assert_eq!(
            (&dense.row_cell, &dense.codes, &dense.counts),
            (&sparse.row_cell, &sparse.codes, &sparse.counts)
        );
        assert_eq!(dense.row_cell, [0, 1, 2, 0, 3, 1, 2]);
        assert_eq!(dense.codes, [2, 1, 0, 1, 1, 0, 2, 2]);
    }
}

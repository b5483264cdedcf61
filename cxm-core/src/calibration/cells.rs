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
        for margin in margins {
            let k = margin.targets.len();
            if let Some(index) = margin.codes.iter().position(|&c| c as usize >= k) {
                return Err(Error::InvalidCalibration {
                    what: format!("margin '{}'", margin.name),
                    reason: format!(
                        "has category {} at index {index}, but targets for only {k} categories (0..={})",
                        margin.codes[index],
                        k - 1
                    ),
                });
            }
        }
        let key = |i: usize| {
            margins
                .iter()
                .zip(&categories)
                .fold(0_u64, |key, (m, &k)| key * k as u64 + u64::from(m.codes[i]))
        };
        let mut row_cell = Vec::with_capacity(rows);
        let mut codes = Vec::new();
        let mut first_rows = Vec::new();
        let mut new_cell = |i: usize, codes: &mut Vec<u32>| {
            first_rows.push(i);
            codes.extend(margins.iter().map(|m| m.codes[i]));
            u32::try_from(first_rows.len() - 1).map_err(|_| Error::InvalidCalibration {
                what: "the margins".to_owned(),
                reason: "have more than 2^32 distinct combinations of categories".to_owned(),
            })
        };
        if combinations <= DENSE {
            let mut dense = vec![u32::MAX; usize::try_from(combinations).unwrap_or(0)];
            for i in 0..rows {
                let slot = &mut dense[usize::try_from(key(i)).unwrap_or(0)];
                if *slot == u32::MAX {
                    *slot = new_cell(i, &mut codes)?;
                }
                row_cell.push(*slot);
            }
        } else {
            let mut sparse: HashMap<u64, u32> = HashMap::new();
            for i in 0..rows {
                let cell = if let Some(&cell) = sparse.get(&key(i)) {
                    cell
                } else {
                    let cell = new_cell(i, &mut codes)?;
                    sparse.insert(key(i), cell);
                    cell
                };
                row_cell.push(cell);
            }
        }
        let mut sums = vec![CompensatedSum::default(); first_rows.len()];
        match base_weights {
            Some(d) => row_cell.iter().zip(d).for_each(|(&j, &w)| sums[j as usize].add(w * scale)),
            None => row_cell.iter().for_each(|&j| sums[j as usize].add(scale)),
        }
        let base = sums.iter().map(CompensatedSum::total).collect();
        Ok(Cells { row_cell, codes, categories, base })
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.base.len()
    }

    /// Cell `j`'s category on margin `k`.
    pub fn code(&self, j: usize, k: usize) -> usize {
        self.codes[j * self.categories.len() + k] as usize
    }
}

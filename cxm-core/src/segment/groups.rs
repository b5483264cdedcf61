//! Group keys: one `u32` code column per key (region, channel, period…), combined into one dense
//! group number per row, so that the kernels tally every group in one pass.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::score::{Missing, Score};
use crate::state::ScoreState;

/// The groups of the rows: each row's group number and each group's key codes.
///
/// Groups are the combinations of key codes that occur, numbered in the order of their keys
/// (the first column most significant), so that group numbers are the same however the rows
/// are ordered. The caller's labels stay with the caller: key codes index them.
///
/// ```
/// use cxm_core::Groups;
/// let region = [1_u32, 0, 1, 1];
/// let channel = [0_u32, 2, 0, 2];
/// let groups = Groups::new(&[&region, &channel])?;
/// assert_eq!(groups.keys(), &[vec![0, 2], vec![1, 0], vec![1, 2]]);
/// assert_eq!(groups.rows(), &[1, 0, 1, 2]);
/// # Ok::<(), cxm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    rows: Vec<u32>,
    keys: Vec<Vec<u32>>,
}

/// Combinations of keys up to this many are numbered by a table; beyond, by sorting.
const TABLE_LIMIT: u64 = 1 << 22;

impl Groups {
    /// The groups of rows with the given key columns (all of one length). No column at all
    /// puts every row... nowhere: give at least one.
    ///
    /// # Errors
    /// [`Error::ColumnLengthMismatch`] naming the column (`keys[1]`) whose length differs from
    /// the first's; [`Error::MissingInput`] for no key column.
    pub fn new(columns: &[&[u32]]) -> Result<Groups, Error> {
        let Some(first) = columns.first() else {
            return Err(Error::MissingInput {
                what: "a key column".to_owned(),
                needed_for: "grouping".to_owned(),
            });
        };
        let n = first.len();
        for (i, column) in columns.iter().enumerate() {
            if column.len() != n {
                return Err(Error::ColumnLengthMismatch {
                    column: format!("keys[{i}]"),
                    len: column.len(),
                    expected: n,
                    first: "keys[0]".to_owned(),
                });
            }
        }
        if let [column] = columns {
            return Ok(Groups::of_one(column));
        }
        let sizes: Vec<u64> = columns
            .iter()
            .map(|c| c.iter().copied().max().map_or(0, |m| u64::from(m) + 1))
            .collect();
        let product = sizes.iter().try_fold(1_u64, |p, &s| p.checked_mul(s));
        match product {
            Some(p) if p <= TABLE_LIMIT.max(n as u64) => Ok(Groups::by_table(columns, &sizes, p)),
            _ => Ok(Groups::by_sorting(columns)),
        }
    }

    /// One key column: its codes are the group numbers when every code up to the largest occurs
    /// (a copy, no table); otherwise they are numbered densely in order, through a table of
    /// the codes when it is small enough, else by sorting.
    fn of_one(column: &[u32]) -> Groups {
        let Some(&high) = column.iter().max() else {
            return Groups { rows: Vec::new(), keys: Vec::new() };
        };
        let size = high as usize + 1;
        if size as u64 > TABLE_LIMIT.max(column.len() as u64) {
            return Groups::by_sorting(&[column]);
        }
        let mut number = vec![u32::MAX; size];
        for &code in column {
            number[code as usize] = 0;
        }
        let mut keys = Vec::new();
        for (code, slot) in number.iter_mut().enumerate() {
            if *slot == 0 {
                #[allow(clippy::cast_possible_truncation)] // codes are u32
                let (next, code) = (keys.len() as u32, code as u32);
                *slot = next;
                keys.push(vec![code]);
            }
        }
        let rows = if keys.len() == size {
            column.to_vec()
        } else {
            column.iter().map(|&code| number[code as usize]).collect()
        };
        Groups { rows, keys }
    }

    /// Numbers the combinations through a table of every possible one (mixed radix).
    fn by_table(columns: &[&[u32]], sizes: &[u64], product: u64) -> Groups {
        let n = columns[0].len();
        let index = |row: usize| {
            columns.iter().zip(sizes).fold(0_u64, |i, (c, &s)| i * s + u64::from(c[row]))
        };
        #[allow(clippy::cast_possible_truncation)] // product ≤ max(2^22, n): an index
        let mut number = vec![u32::MAX; product as usize];
        #[allow(clippy::cast_possible_truncation)]
        for row in 0..n {
            number[index(row) as usize] = 0;
        }
        let mut keys = Vec::new();
        for (combined, slot) in number.iter_mut().enumerate() {
            if *slot == 0 {
                #[allow(clippy::cast_possible_truncation)] // fewer groups than rows
                let next = keys.len() as u32;
                *slot = next;
                let mut rest = combined as u64;
                let mut key = vec![0; sizes.len()];
                for (k, &s) in key.iter_mut().zip(sizes).rev() {
                    #[allow(clippy::cast_possible_truncation)] // below a u32 column's size
                    let code = (rest % s) as u32;
                    *k = code;
                    rest /= s;
                }
                keys.push(key);
            }
        }
        #[allow(clippy::cast_possible_truncation)]
        let rows = (0..n).map(|row| number[index(row) as usize]).collect();
        Groups { rows, keys }
    }

    /// Numbers the combinations that occur, in key order, through an ordered map.
    fn by_sorting(columns: &[&[u32]]) -> Groups {
        let n = columns[0].len();
        let key = |row: usize| columns.iter().map(|c| c[row]).collect::<Vec<u32>>();
        let mut numbers: BTreeMap<Vec<u32>, u32> = (0..n).map(|row| (key(row), 0)).collect();
        for (i, number) in numbers.values_mut().enumerate() {
            #[allow(clippy::cast_possible_truncation)] // fewer groups than rows
            let i = i as u32;
            *number = i;
        }
        let rows = (0..n).map(|row| numbers[&key(row)]).collect();
        Groups { rows, keys: numbers.into_keys().collect() }
    }

    /// Each row's group number.
    #[must_use]
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// Each group's key codes, one per key column, in group order.
    #[must_use]
    pub fn keys(&self) -> &[Vec<u32>] {
        &self.keys
    }

    /// The number of groups.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no groups (no rows).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// One state per combination of `keys` that occurs (as [`Groups::new`] numbers them), from one
/// pass over the scores: the groups' key codes and their states, in key order.
///
/// One key column of codes not much sparser than its rows is used as it is, with no column of
/// group numbers made (groups without rows are dropped after the pass); other keys are
/// numbered by [`Groups`] first.
///
/// # Errors
/// As [`Groups::new`] and [`ScoreState::by_group`].
///
/// # Examples
/// ```
/// use cxm_core::{states_by_keys, Missing, NpsState, State};
/// let scores = [10_u8, 9, 3, 8];
/// let region = [4_u32, 0, 4, 4];
/// let (keys, states) = states_by_keys(&NpsState::new(), &scores, None, &[&region], Missing::Reject)?;
/// assert_eq!(keys, [vec![0], vec![4]]);
/// assert_eq!((states[0].n(), states[1].n()), (1, 3));
/// # Ok::<(), cxm_core::Error>(())
/// ```
pub fn states_by_keys<T: ScoreState, S: Score>(
    prototype: &T,
    scores: &[S],
    weights: Option<&[f64]>,
    keys: &[&[u32]],
    missing: Missing,
) -> Result<(Vec<Vec<u32>>, Vec<T>), Error> {
    if let [column] = keys {
        let limit = code_limit(column.len());
        if let Some(states) = prototype.by_code(scores, weights, column, limit, missing)? {
            #[allow(clippy::cast_possible_truncation)] // codes of a u32 column
            return Ok(states
                .into_iter()
                .enumerate()
                .filter(|(_, state)| state.n() > 0)
                .map(|(code, state)| (vec![code as u32], state))
                .unzip());
        }
    }
    let groups = Groups::new(keys)?;
    let states = prototype.by_group(scores, weights, groups.rows(), groups.len(), missing)?;
    Ok((groups.keys, states))
}

/// Codes of a column of `rows` below which a table indexed by code is kept (a state per
/// possible code costs about as much as a group number per row would); past it, the codes are
/// numbered ([`Groups`]) first.
pub(crate) fn code_limit(rows: usize) -> usize {
    (rows / 8).max(1 << 16)
}

/// The largest code of a column, read as fast as memory gives it: a vector maximum (AVX2's
/// where the CPU has it: baseline x86-64 has no unsigned 32-bit maximum), on two threads for
/// long columns.
pub(crate) fn largest(column: &[u32]) -> Option<u32> {
    struct Largest<'a>(&'a [u32]);
    impl cxm_simd::Kernel for Largest<'_> {
        type Output = u32;
        #[inline(always)]
        #[allow(clippy::inline_always)] // inlined into the AVX2 copy
        fn run(self) -> u32 {
            let mut lanes = [0_u32; 8];
            let mut blocks = self.0.chunks_exact(8);
            for block in &mut blocks {
                for (lane, &x) in lanes.iter_mut().zip(block) {
                    *lane = (*lane).max(x);
                }
            }
            let rest = blocks.remainder().iter().copied().max().unwrap_or(0);
            lanes.into_iter().fold(rest, u32::max)
        }
    }
    if column.is_empty() {
        return None;
    }
    let half = column.len() / 2;
    if std::mem::size_of_val(column) < crate::count::PARALLEL_FROM_BYTES {
        return Some(cxm_simd::widest(Largest(column)));
    }
    let (left, right) = column.split_at(half);
    let (a, b) = crate::parallel::join(
        || cxm_simd::widest(Largest(left)),
        || cxm_simd::widest(Largest(right)),
    );
    Some(a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_sorting_number_alike() {
        let a: Vec<u32> = (0..1000).map(|i| (i * 7919) % 13).collect();
        let b: Vec<u32> = (0..1000).map(|i| (i * 104_729) % 5 * 1_000_000).collect();
        let by_table = Groups::by_table(&[&a, &b], &[13, 4_000_001], 13 * 4_000_001);
        assert_eq!(by_table, Groups::by_sorting(&[&a, &b]));
        assert_eq!(Groups::new(&[&a, &b]).unwrap(), by_table);
        // One column: as the general table numbers it, dense or not.
        for column in [vec![3_u32, 1, 3, 0, 2], vec![7, 1, 7, 1_000_000], vec![u32::MAX, 5]] {
            let one = Groups::new(&[&column]).unwrap();
            assert_eq!(one, Groups::by_sorting(&[&column]), "{column:?}");
        }
        // Every row's keys are its group's keys.
        for (row, &g) in by_table.rows().iter().enumerate() {
            assert_eq!(by_table.keys()[g as usize], [a[row], b[row]]);
        }
        let huge = [u32::MAX, 0, u32::MAX];
        let groups = Groups::new(&[&huge, &huge]).unwrap();
        assert_eq!(groups.keys(), &[vec![0, 0], vec![u32::MAX, u32::MAX]]);
        assert_eq!(groups.rows(), &[1, 0, 1]);
    }

    #[test]
    #[allow(clippy::cast_possible_truncation)] // below 1_000_003
    fn largest_code() {
        assert_eq!(largest(&[]), None);
        for n in [1, 7, 8, 9, 1000, 3_000_000] {
            let column: Vec<u32> =
                (0..n).map(|i| (i * 2_654_435_761_u64 % 1_000_003) as u32).collect();
            assert_eq!(largest(&column), column.iter().copied().max(), "{n}");
        }
        assert_eq!(largest(&[u32::MAX, 0]), Some(u32::MAX));
    }

    #[test]
    fn states_by_keys_match_numbered_groups() {
        use crate::{NpsState, State};
        let scores: Vec<u8> = (0..5000_u32).map(|i| (i * 7 % 11) as u8).collect();
        let dense: Vec<u32> = (0..5000).map(|i| i % 13).collect();
        let sparse: Vec<u32> = (0..5000).map(|i| i % 5 * 1_000_000).collect();
        for keys in [vec![&dense[..]], vec![&sparse[..]], vec![&dense[..], &sparse[..]]] {
            let (codes, states) =
                states_by_keys(&NpsState::new(), &scores, None, &keys, Missing::Reject).unwrap();
            let groups = Groups::new(&keys).unwrap();
            let by_rows = NpsState::new()
                .by_group(&scores, None, groups.rows(), groups.len(), Missing::Reject)
                .unwrap();
            assert_eq!(codes, groups.keys());
            assert_eq!(states, by_rows);
            assert!(states.iter().all(|s| s.n() > 0));
        }
        // A bad group number is named as by_group names it: there are none here, but a bad
        // score is, at its index.
        let mut bad = scores.clone();
        bad[4321] = 11;
        let e = states_by_keys(&NpsState::new(), &bad, None, &[&dense], Missing::Reject);
        assert_eq!(e.unwrap_err().to_string(), "score 11 at index 4321 is outside 0..=10");
    }

    #[test]
    fn columns_must_agree_in_length() {
        let e = Groups::new(&[&[1, 2], &[1]]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "column keys[1] has 1 values but keys[0] has 2: the lengths must match"
        );
        assert!(Groups::new(&[]).is_err());
        assert!(Groups::new(&[&[]]).unwrap().is_empty());
    }
}

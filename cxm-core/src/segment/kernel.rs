//! One pass over the scores that tallies every group at once: each row's answer goes to its
//! group's count (and weight), never by copying a group's rows out.
//!
//! Weights are split, as in the one-group kernel ([`crate::weigh`]), into a high and a low part
//! on two grids fixed by the largest weight, which add up exactly in plain doubles; every 2^16
//! rows of a group and category those parts go to the group's exact sums. A weight the grids do
//! not hold goes to the exact sums at once. So each group's sums are exact, and its tally is the
//! one [`crate::NpsState`] or [`crate::RatingState`] would have for its rows alone.

use std::collections::HashMap;

use crate::error::Error;
use crate::score::{check_lengths, check_weight, place, Missing, Score, Tally};
use crate::weigh::{extract, Grid};
use crate::weight_sums::{Squares, WeightSums};

/// Rows of one accumulator between two moves of its parts to the exact sums: at most 2^16, the
/// headroom of the grids.
const FLUSH: u64 = 1 << 16;

/// The tally of each of `groups` groups, per group of scale points (`starts`, as for
/// [`Tally::count`]): row `i` belongs to group `rows[i]`.
///
/// # Errors
/// A bad score or weight, named with its index; a group number not below `groups`; columns of
/// different lengths.
#[allow(clippy::too_many_arguments)] // the one-shot tally's arguments, plus the groups
pub(crate) fn tally_groups<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    rows: &[u32],
    groups: usize,
    missing: Missing,
    (min, max): (i64, i64),
    starts: &[usize],
) -> Result<Vec<Tally>, Error> {
    if rows.len() != scores.len() {
        return Err(Error::ColumnLengthMismatch {
            column: "groups".to_owned(),
            len: rows.len(),
            expected: scores.len(),
            first: "scores".to_owned(),
        });
    }
    let points = usize::try_from(max - min).map_or(0, |span| span + 1);
    let category: Vec<usize> =
        (0..points).map(|p| starts.partition_point(|&s| s <= p).saturating_sub(1)).collect();
    let k = starts.len();
    let group_of = |index: usize, group: u32| {
        let g = group as usize;
        if g < groups {
            Ok(g)
        } else {
            Err(Error::InvalidGroup { index, group, groups })
        }
    };
    let mut counts = vec![0_u64; groups * k];
    let Some(weights) = weights else {
        count_groups(scores, rows, groups, missing, (min, max), &category, &mut counts)?;
        return Ok(counts
            .chunks(k.max(1))
            .map(|c| Tally { counts: c.into(), sums: None })
            .collect());
    };
    check_lengths(scores, weights)?;
    let mut weighed = Weighed::new(weights, groups, k);
    for (index, ((&score, &group), &w)) in scores.iter().zip(rows).zip(weights).enumerate() {
        if let Some(point) = place(score, index, missing, min, max)? {
            let g = group_of(index, group)?;
            check_weight(index, w)?;
            let cell = g * k + category[point];
            counts[cell] += 1;
            weighed.add(g, cell, category[point], w, counts[cell]);
        }
    }
    Ok(weighed.tallies(&counts, k))
}

/// Rows counted in `u32` cells before they are added to the `u64` counts: narrow cells keep
/// a table of many groups in cache.
const NARROW_ROWS: usize = u32::MAX as usize;

/// The unweighted pass: each valid score's count in its group's category. Scores on a scale the
/// counting kernel's codes cover are placed by their code index (one lookup in a table of
/// cells, no branch but the rare bad row's); others, and any score that is not valid, by
/// [`place`], which names a bad one.
fn count_groups<S: Score>(
    scores: &[S],
    rows: &[u32],
    groups: usize,
    missing: Missing,
    (min, max): (i64, i64),
    category: &[usize],
    counts: &mut [u64],
) -> Result<(), Error> {
    let k = category.last().map_or(1, |&c| c + 1);
    let bad_group = |index: usize, group: u32| Error::InvalidGroup { index, group, groups };
    let Some(span) = crate::count::kernel_span::<S>(min, max, &[0]) else {
        for (index, (&score, &group)) in scores.iter().zip(rows).enumerate() {
            if let Some(point) = place(score, index, missing, min, max)? {
                let g = group as usize;
                if g >= groups {
                    return Err(bad_group(index, group));
                }
                counts[g * k + category[point]] += 1;
            }
        }
        return Ok(());
    };
    // Code indices 0..=span are the points; span + 1 (and the rest of the table) anything else.
    let mut cell_of = [Places::INVALID; 128];
    for (cell, &c) in cell_of.iter_mut().zip(category) {
        *cell = u8::try_from(c).unwrap_or(Places::INVALID); // categories ≤ points ≤ 127
    }
    let mut narrow = vec![0_u32; counts.len()];
    let places = Places { cell_of, min, span, k, groups };
    for (chunk, (scores, rows)) in
        scores.chunks(NARROW_ROWS).zip(rows.chunks(NARROW_ROWS)).enumerate()
    {
        let mut from = 0;
        // Count up to the next row that is not a point of a group, deal with it, go on.
        while let Some(offset) = places.count(&scores[from..], &rows[from..], &mut narrow) {
            let at = from + offset;
            let index = chunk * NARROW_ROWS + at;
            place(scores[at], index, missing, min, max)?; // a bad score, or a skipped one
            if rows[at] as usize >= groups && scores[at].code_index(min, span) <= usize::from(span)
            {
                return Err(bad_group(index, rows[at]));
            }
            from = at + 1;
        }
        for (wide, n) in counts.iter_mut().zip(&mut narrow) {
            *wide += u64::from(std::mem::take(n));
        }
    }
    Ok(())
}

/// How the unweighted pass places a row: its score's code index gives its category (or
/// [`Places::INVALID`]), its group number the block of categories.
struct Places {
    cell_of: [u8; 128],
    min: i64,
    span: u8,
    k: usize,
    groups: usize,
}

impl Places {
    /// A category that is no point of the scale.
    const INVALID: u8 = u8::MAX;

    /// Counts rows into `narrow` up to the first that is not a valid score of a valid group,
    /// whose offset it returns. Kept apart, and free of the error paths, so that the loop keeps
    /// its few values in registers.
    #[inline(never)]
    fn count<S: Score>(&self, scores: &[S], rows: &[u32], narrow: &mut [u32]) -> Option<usize> {
        let Places { cell_of, min, span, k, groups } = *self;
        for (offset, (&score, &group)) in scores.iter().zip(rows).enumerate() {
            let cell = cell_of[score.code_index(min, span) & 127];
            let g = group as usize;
            if cell == Places::INVALID || g >= groups {
                return Some(offset);
            }
            narrow[g * k + usize::from(cell)] += 1;
        }
        None
    }
}

/// The weights of every group as the pass goes: parts on the grids per cell (group and
/// category) and per group for the squares, and exact sums for what the grids do not hold.
struct Weighed {
    /// The grids of the weights and of their squares; `None` when no weight fits them.
    grids: Option<(Grid, Grid)>,
    /// Per cell, the high and low parts of its weights.
    parts: Vec<[f64; 2]>,
    /// Per group, the high and low parts of its squared weights, and its rows.
    squares: Vec<([f64; 2], u64)>,
    /// Per group that has them, exact sums of what went past the grids.
    exact: HashMap<usize, WeightSums>,
    /// Categories per group.
    k: usize,
}

impl Weighed {
    /// Grids for the largest of `weights` (any of them: a larger grid is still exact).
    fn new(weights: &[f64], groups: usize, k: usize) -> Weighed {
        let largest = weights.iter().fold(0.0_f64, |m, &w| if w > m { w } else { m });
        let grids = (largest > 0.0 && Squares::in_mid_range(largest))
            .then(|| (Grid::above(largest), Grid::above(largest * largest)));
        Weighed {
            grids,
            parts: vec![[0.0; 2]; groups * k],
            squares: vec![([0.0; 2], 0); groups],
            exact: HashMap::new(),
            k,
        }
    }

    /// Adds the (checked) weight `w` of a row of group `g`, cell `cell`, category `c`; `rows` is
    /// the cell's count with this row.
    fn add(&mut self, g: usize, cell: usize, c: usize, w: f64, rows: u64) {
        let k = self.k;
        let fits = |(grid, square_grid): (Grid, Grid)| {
            w == 0.0
                || (Squares::in_mid_range(w)
                    && grid.holds_down_to(w)
                    && square_grid.holds_down_to(w * w))
        };
        match self.grids {
            Some(grids) if fits(grids) => {
                let (grid, square_grid) = grids;
                let (high, rest) = extract(grid.high, w);
                let part = &mut self.parts[cell];
                part[0] += high;
                part[1] += extract(grid.low, rest).0;
                let (high, rest) = extract(square_grid.high, w * w);
                let (square, group_rows) = &mut self.squares[g];
                square[0] += high;
                square[1] += extract(square_grid.low, rest).0;
                *group_rows += 1;
                if rows.is_multiple_of(FLUSH) {
                    let sums = self.exact.entry(g).or_insert_with(|| WeightSums::new(k));
                    for x in std::mem::take(&mut self.parts[cell]) {
                        sums.groups[c].add(x);
                    }
                }
                if group_rows.is_multiple_of(FLUSH) {
                    let sums = self.exact.entry(g).or_insert_with(|| WeightSums::new(k));
                    for x in std::mem::take(&mut self.squares[g].0) {
                        sums.squares.mid.add(x);
                    }
                }
            }
            _ => self.exact.entry(g).or_insert_with(|| WeightSums::new(k)).add(c, w),
        }
    }

    /// Each group's tally: its counts, and its parts added to its exact sums.
    fn tallies(mut self, counts: &[u64], k: usize) -> Vec<Tally> {
        counts
            .chunks(k.max(1))
            .enumerate()
            .map(|(g, counts)| {
                if counts.iter().all(|&c| c == 0) {
                    return Tally { counts: counts.into(), sums: None };
                }
                let mut sums = self.exact.remove(&g).unwrap_or_else(|| WeightSums::new(k));
                for (c, sum) in sums.groups.iter_mut().enumerate() {
                    for &x in &self.parts[g * k + c] {
                        if x != 0.0 {
                            sum.add(x);
                        }
                    }
                }
                for &x in &self.squares[g].0 {
                    if x != 0.0 {
                        sums.squares.mid.add(x);
                    }
                }
                Tally { counts: counts.into(), sums: Some(Box::new(sums)) }
            })
            .collect()
    }
}

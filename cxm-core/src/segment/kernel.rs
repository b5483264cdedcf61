//! One pass over the scores that tallies every group at once: each row's answer goes to its
//! group's count (and weight), never by copying a group's rows out.
//!
//! Weights are split, as in the one-group kernel ([`crate::weigh`]), into a high and a low part
//! on two grids fixed by the largest weight, which add up exactly in plain doubles; every 2^16
//! rows of a group and category those parts go to the group's exact sums. A weight the grids do
//! not hold goes to the exact sums at once. So each group's sums are exact, and its tally is the
//! one [`crate::NpsState`] or [`crate::RatingState`] would have for its rows alone. When every
//! weight went to one pair of grids, a table reads each group's sums in fixed point instead
//! ([`FixedCells`]): the same sums, at an integer operation each.

use std::collections::HashMap;
use std::ops::Range;

use super::fixed::FixedTally;
use crate::error::Error;
use crate::exact::ExactSum;
use crate::score::{check_lengths, check_weight, place, Missing, Score, Tally};
use crate::small::Small;
use crate::weigh::{extract, FixedPoint, Grid};
use crate::weight_sums::{Squares, WeightSums};

/// Rows of one accumulator between two moves of its parts to the exact sums: at most 2^16, the
/// headroom of the grids.
const FLUSH: u32 = 1 << 16;

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
    groups: GroupCount,
    missing: Missing,
    (min, max): (i64, i64),
    starts: &[usize],
) -> Result<Tallied, Error> {
    if rows.len() != scores.len() {
        return Err(Error::ColumnLengthMismatch {
            column: "groups".to_owned(),
            len: rows.len(),
            expected: scores.len(),
            first: "scores".to_owned(),
        });
    }
    // Weighted rows are tallied in a table of known size: found first when the codes are to
    // size it.
    let groups = match (groups, weights) {
        (GroupCount::Below(limit), Some(_)) => {
            let size = super::groups::largest(rows).map_or(0, |m| m as usize + 1);
            if size > limit {
                let index = rows.iter().position(|&g| g as usize >= limit).unwrap_or_default();
                return Err(Error::InvalidGroup { index, group: rows[index], groups: limit });
            }
            GroupCount::Known(size)
        }
        (groups, _) => groups,
    };
    let k = starts.len();
    let passes = match in_halves(scores, weights, rows, groups, missing, (min, max), starts)? {
        Some(passes) => passes.into(),
        None => {
            vec![one_pass(scores, weights, rows, groups, missing, (min, max), starts, None)?]
        }
    };
    let groups = match groups {
        GroupCount::Known(groups) => groups,
        // As many as the pass that met the most codes grew its table to.
        GroupCount::Below(_) => {
            passes.iter().map(|p| p.cells().checked_div(k).unwrap_or(0)).max().unwrap_or(0)
        }
    };
    Ok(Tallied { passes, groups, k })
}

/// The tallies of `codes`' groups up to the last with a counted row, as [`tally_groups`]
/// gives them for as many groups, in one pass that sizes its table as it meets the codes;
/// `None` when a code is `limit` or more.
///
/// # Errors
/// As [`tally_groups`], but for codes past the limit.
pub(crate) fn tally_codes<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    codes: &[u32],
    limit: usize,
    missing: Missing,
    scale: (i64, i64),
    starts: &[usize],
) -> Result<Option<Tallied>, Error> {
    let groups = GroupCount::Below(limit);
    match tally_groups(scores, weights, codes, groups, missing, scale, starts) {
        Err(Error::InvalidGroup { .. }) => Ok(None), // only a code past the limit
        Err(e) => Err(e),
        Ok(mut tallied) => {
            while tallied.groups > 0 && !tallied.has_responses(tallied.groups - 1) {
                tallied.groups -= 1;
            }
            Ok(Some(tallied))
        }
    }
}

/// What one pass over the rows (or two, over its halves) counted: each group's tally, cut
/// from the table of cells when asked, so that many groups need not be held as tallies at once.
pub(crate) struct Tallied {
    passes: Vec<Pass>,
    groups: usize,
    /// Categories per group.
    k: usize,
}

impl Tallied {
    /// The groups tallied.
    pub(crate) fn groups(&self) -> usize {
        self.groups
    }

    /// Whether group `g` has a counted row.
    pub(crate) fn has_responses(&self, g: usize) -> bool {
        self.counts(g..g + 1).iter().any(|&c| c > 0)
    }

    /// The tally of group `g`: the one [`crate::NpsState`] or [`crate::RatingState`] would have
    /// for its rows alone (counts are integers, weight sums exact, so the halves of two threads
    /// add up to it).
    pub(crate) fn tally(&self, g: usize) -> Tally {
        self.tally_of(g..g + 1)
    }

    /// The tally of every group together: the same as merging every group's tally.
    ///
    /// # Errors
    /// As [`Tally::merge`] (which the parts of one pass never meet).
    pub(crate) fn total(&self) -> Result<Tally, Error> {
        if self.groups < PARALLEL_FROM_GROUPS {
            return Ok(self.tally_of(0..self.groups));
        }
        let half = self.groups / 2;
        let (mut left, right) =
            crate::parallel::join(|| self.tally_of(0..half), || self.tally_of(half..self.groups));
        left.merge(&right)?;
        Ok(left)
    }

    /// Every group's tally.
    pub(crate) fn into_tallies(self) -> Vec<Tally> {
        let cut =
            |from: usize, to: usize| -> Vec<Tally> { (from..to).map(|g| self.tally(g)).collect() };
        if self.groups < PARALLEL_FROM_GROUPS {
            return cut(0, self.groups);
        }
        let half = self.groups / 2;
        let (mut left, right) = crate::parallel::join(|| cut(0, half), || cut(half, self.groups));
        left.extend(right);
        left
    }

    /// The tally of the groups `range` together.
    fn tally_of(&self, range: Range<usize>) -> Tally {
        let counts = self.counts(range.clone());
        if counts.iter().all(|&c| c == 0) {
            return Tally { counts, sums: None };
        }
        Tally { counts, sums: self.sums(range).map(Box::new) }
    }

    /// The rows of the groups `range` per category.
    fn counts(&self, range: Range<usize>) -> Small<u64> {
        let k = self.k;
        let mut counts = Small::filled(0, k);
        for pass in &self.passes {
            // A pass that sized its table as it met the groups may have fewer.
            let end = (range.end * k).min(pass.cells());
            let start = (range.start * k).min(end);
            pass.counts().add_to(&mut counts, (start, end), k);
        }
        counts
    }

    /// The weight sums of the groups `range` together, carried (so that tables read and merge
    /// them without copies); `None` for unweighted passes.
    fn sums(&self, range: Range<usize>) -> Option<WeightSums> {
        let k = self.k;
        let mut sums = None;
        for pass in &self.passes {
            let Pass::Weighed(w) = pass else { continue };
            let sums = sums.get_or_insert_with(|| WeightSums::new(k));
            for g in range.clone() {
                if let Some(exact) = w.exact.get(&g) {
                    sums.merge(exact);
                }
            }
            for (cell, at) in w.parts[range.start * k..range.end * k].iter().zip((0..k).cycle()) {
                for x in cell.weights.into_iter().filter(|&x| x != 0.0) {
                    sums.groups[at].add(x);
                }
                for x in cell.squares.into_iter().filter(|&x| x != 0.0) {
                    sums.squares.mid.add(x);
                }
            }
        }
        if let Some(sums) = &mut sums {
            sums.groups.iter_mut().for_each(ExactSum::settle);
            sums.squares.settle();
        }
        sums
    }
}

/// A weighted pass's cells in fixed point ([`FixedTally`]): the same sums as the exact ones,
/// cut from the table at an integer operation per cell.
pub(crate) struct FixedCells<'a> {
    /// Each pass's rows and parts per cell.
    tables: Vec<(&'a Counts, &'a [Parts])>,
    /// The fixed points of the weights' grid and of the squares'.
    pub points: (FixedPoint, FixedPoint),
    groups: usize,
    k: usize,
}

impl Tallied {
    /// The cells in fixed point, when every weight of every pass went to one pair of grids
    /// (none past them, none to the exact sums every 2^16 rows of a cell); `None` otherwise, or
    /// unweighted.
    pub(crate) fn fixed(&self) -> Option<FixedCells<'_>> {
        let mut grids = None;
        let mut tables = Vec::with_capacity(self.passes.len());
        for pass in &self.passes {
            let Pass::Weighed(w) = pass else { return None };
            let pair = w.grids.filter(|_| w.exact.is_empty())?;
            if *grids.get_or_insert(pair) != pair {
                return None;
            }
            tables.push((&w.counts, w.parts.as_slice()));
        }
        let (grid, square_grid) = grids?;
        let points = (grid.fixed_point(), square_grid.fixed_point());
        Some(FixedCells { tables, points, groups: self.groups, k: self.k })
    }
}

impl FixedCells<'_> {
    /// The tally of group `g`.
    pub(crate) fn tally(&self, g: usize) -> FixedTally {
        self.tally_of(g..g + 1)
    }

    /// The tally of every group together, in two halves for many groups.
    pub(crate) fn total(&self) -> FixedTally {
        if self.groups < PARALLEL_FROM_GROUPS {
            return self.tally_of(0..self.groups);
        }
        let half = self.groups / 2;
        let (mut left, right) =
            crate::parallel::join(|| self.tally_of(0..half), || self.tally_of(half..self.groups));
        left.merge(&right);
        left
    }

    /// The tally of the groups `range` together.
    fn tally_of(&self, range: Range<usize>) -> FixedTally {
        let (k, (points, square_points)) = (self.k, self.points);
        let mut tally = FixedTally::empty(k);
        let cells = (range.start * k, range.end * k);
        for (counts, parts) in &self.tables {
            counts.add_to(&mut tally.counts, cells, k);
            for group in parts[cells.0..cells.1].chunks_exact(k) {
                for (cell, sum) in group.iter().zip(tally.sums.iter_mut()) {
                    *sum += points.of(cell.weights);
                    tally.squares += square_points.of(cell.squares);
                }
            }
        }
        tally
    }
}

/// The groups a pass tallies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupCount {
    /// Every row's group is below this many: any other is an error.
    Known(usize),
    /// The rows' groups are codes below this limit, the table sized as they are met (or, for
    /// weighted rows, by the largest, found first); a code past it is an error.
    Below(usize),
}

impl GroupCount {
    /// The groups of the table a pass starts with.
    fn table(self) -> usize {
        match self {
            GroupCount::Known(groups) => groups,
            GroupCount::Below(_) => 0,
        }
    }

    /// The limit below which the table grows to the groups met, if it does.
    fn limit(self) -> Option<usize> {
        match self {
            GroupCount::Known(_) => None,
            GroupCount::Below(limit) => Some(limit),
        }
    }
}

/// What a pass over rows leaves, before it is cut into each group's tally.
enum Pass {
    /// Unweighted: per cell (group and category), its rows.
    Counted(Counts),
    /// Weighted: per cell its rows and the parts of its weights.
    Weighed(Weighed),
}

/// Groups from which the tallies are cut on two threads.
const PARALLEL_FROM_GROUPS: usize = 1 << 12;

impl Pass {
    /// The cells (groups × categories) the pass tallied.
    fn cells(&self) -> usize {
        self.counts().cells()
    }

    /// Its rows per cell.
    fn counts(&self) -> &Counts {
        match self {
            Pass::Counted(counts) => counts,
            Pass::Weighed(w) => &w.counts,
        }
    }
}

/// An unweighted pass's rows per cell: in `u32` cells, which keep a table of many groups in
/// cache and hold every row of a pass below 2^32 rows (so that most passes need no other
/// table); a longer pass moves them to `u64` cells every [`NARROW_ROWS`] rows.
struct Counts {
    narrow: Vec<u32>,
    /// As many cells as `narrow` had when they were last moved, or the few-cells kernel's.
    wide: Vec<u64>,
}

impl Counts {
    fn new(cells: usize) -> Counts {
        Counts { narrow: vec![0; cells], wide: Vec::new() }
    }

    /// The cells of the table (the `u64` table is never longer than the `u32` one).
    fn cells(&self) -> usize {
        self.narrow.len()
    }

    /// Adds counts to the first cells of the `u64` table.
    fn add_wide(&mut self, counts: &[u64]) {
        if self.wide.len() < counts.len() {
            self.wide.resize(counts.len(), 0);
        }
        self.wide.iter_mut().zip(counts).for_each(|(wide, n)| *wide += n);
    }

    /// Moves the `u32` counts to the `u64` table.
    fn widen(&mut self) {
        if self.wide.len() < self.narrow.len() {
            self.wide.resize(self.narrow.len(), 0);
        }
        for (wide, n) in self.wide.iter_mut().zip(&mut self.narrow) {
            *wide += u64::from(std::mem::take(n));
        }
    }

    /// Adds the rows of cells `start..end` (whole groups of `k`) to `counts`, per category.
    fn add_to(&self, counts: &mut [u64], (start, end): (usize, usize), k: usize) {
        let narrow = &self.narrow[start.min(self.narrow.len())..end.min(self.narrow.len())];
        for group in narrow.chunks_exact(k) {
            counts.iter_mut().zip(group).for_each(|(sum, &c)| *sum += u64::from(c));
        }
        let wide = &self.wide[start.min(self.wide.len())..end.min(self.wide.len())];
        for group in wide.chunks_exact(k) {
            counts.iter_mut().zip(group).for_each(|(sum, &c)| *sum += c);
        }
    }
}

/// One pass over the rows on the calling thread (weighted rows in a table of known size, on
/// grids for the `largest` weight when it is given, else for the largest of `weights`).
#[allow(clippy::too_many_arguments)]
fn one_pass<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    rows: &[u32],
    count: GroupCount,
    missing: Missing,
    (min, max): (i64, i64),
    starts: &[usize],
    largest: Option<f64>,
) -> Result<Pass, Error> {
    let points = usize::try_from(max - min).map_or(0, |span| span + 1);
    let category: Vec<usize> =
        (0..points).map(|p| starts.partition_point(|&s| s <= p).saturating_sub(1)).collect();
    let k = starts.len();
    let groups = count.table();
    let group_of = |index: usize, group: u32| {
        let g = group as usize;
        if g < groups {
            Ok(g)
        } else {
            Err(Error::InvalidGroup { index, group, groups })
        }
    };
    let Some(weights) = weights else {
        let mut counts = Counts::new(groups * k);
        let grow = count.limit();
        count_groups(scores, rows, grow, missing, (min, max), &category, &mut counts)?;
        return Ok(Pass::Counted(counts));
    };
    check_lengths(scores, weights)?;
    let largest = largest.unwrap_or_else(|| largest_of(weights));
    let mut weighed = Weighed::new(largest, groups, k);
    let span = crate::count::kernel_span::<S>(min, max, &[0]);
    let fast = span.zip(weighed.grids).map(|(span, (grid, square_grid))| {
        let mut cell_of = [Places::INVALID; 128];
        for (cell, &c) in cell_of.iter_mut().zip(&category) {
            *cell = u8::try_from(c).unwrap_or(Places::INVALID);
        }
        // The weights the grids hold, as two bounds (0 aside): see `Weighed::add`.
        let least = [grid.least(), square_grid.least().sqrt(), Squares::TINY]
            .into_iter()
            .fold(0.0, f64::max)
            .next_up();
        FastWeights { cell_of, min, span, k, groups, least, most: Squares::SAFE }
    });
    // A pass longer than a `u32` counts moves its counts to the `u64` cells every
    // `NARROW_ROWS` rows, and its parts to the exact sums with them.
    let long = scores.len() > NARROW_ROWS;
    let mut from = 0;
    for end in (NARROW_ROWS..scores.len()).step_by(NARROW_ROWS).chain([scores.len()]) {
        loop {
            let stop = match &fast {
                Some(fast) => fast.weigh(
                    &scores[from..end],
                    &rows[from..end],
                    &weights[from..end],
                    &mut weighed,
                ),
                None => (from < end).then_some(0),
            };
            let Some(offset) = stop else { break };
            // A row the fast loop leaves: a bad or missing score, a bad group or weight, or a
            // weight the grids do not hold.
            let index = from + offset;
            let (score, group, w) = (scores[index], rows[index], weights[index]);
            if let Some(point) = place(score, index, missing, min, max)? {
                let g = group_of(index, group)?;
                check_weight(index, w)?;
                weighed.add(g, g * k + category[point], category[point], w);
            }
            from = index + 1;
        }
        from = end;
        if long {
            weighed.widen();
        }
    }
    Ok(Pass::Weighed(weighed))
}

/// Rows from which the pass runs on two threads, each over half the rows; each group's tally
/// is then cut from both (exactly: counts are integers, weight sums exact).
const PARALLEL_FROM_ROWS: usize = 1 << 20;
/// Weighted rows run on two threads only with at least this many rows per group: with fewer,
/// the second table of cells costs more than the thread saves.
const PARALLEL_FROM_ROWS_PER_GROUP: usize = 32;

/// The passes of two threads over the two halves of the rows, for large inputs (weighted, in
/// groups that are not too many for their rows); `None` otherwise. A bad row in the second
/// half is found again by the one-thread pass, which names the first.
#[allow(clippy::too_many_arguments)]
fn in_halves<S: Score>(
    scores: &[S],
    weights: Option<&[f64]>,
    rows: &[u32],
    groups: GroupCount,
    missing: Missing,
    scale: (i64, i64),
    starts: &[usize],
) -> Result<Option<[Pass; 2]>, Error> {
    let n = scores.len();
    let lengths_agree = rows.len() == n && weights.is_none_or(|w| w.len() == n);
    if n < PARALLEL_FROM_ROWS || !lengths_agree {
        return Ok(None);
    }
    if weights.is_some() && n / PARALLEL_FROM_ROWS_PER_GROUP < groups.table() {
        return Ok(None);
    }
    let half = n / 2;
    // Both halves on the grids of the largest weight of all, so that their cells' sums are
    // whole numbers of one unit ([`Tallied::fixed`]).
    let largest = weights.map(|w| {
        let (left, right) =
            crate::parallel::join(|| largest_of(&w[..half]), || largest_of(&w[half..]));
        left.max(right)
    });
    let pass = |from: usize, to: usize| {
        let (s, r) = (&scores[from..to], &rows[from..to]);
        let w = weights.map(|w| &w[from..to]);
        one_pass(s, w, r, groups, missing, scale, starts, largest)
    };
    let (left, right) = crate::parallel::join(|| pass(0, half), || pass(half, n));
    // A bad row in the right half: the one-thread pass names it by its index.
    let (left, Ok(right)) = (left?, right) else { return Ok(None) };
    Ok(Some([left, right]))
}

/// Rows counted in `u32` cells before they are added to the `u64` counts: narrow cells keep
/// a table of many groups in cache.
const NARROW_ROWS: usize = u32::MAX as usize;

/// The unweighted pass: each valid score's count in its group's category, in `counts` (a table
/// of `counts.len() / k` groups). A row of a group past the table is an error, unless `grow`
/// is a limit above it: the table then grows to hold it (to that group while the cells are few,
/// else at least twice the groups) and the pass goes on from that row. So a column of codes is
/// tallied as it is read, with no pass to find the largest first.
fn count_groups<S: Score>(
    scores: &[S],
    rows: &[u32],
    grow: Option<usize>,
    missing: Missing,
    scale: (i64, i64),
    category: &[usize],
    counts: &mut Counts,
) -> Result<(), Error> {
    let k = category.last().map_or(1, |&c| c + 1);
    let mut from = 0;
    while let Some(offset) =
        count_from(scores, rows, from, counts.narrow.len() / k, missing, scale, category, counts)?
    {
        let index = from + offset;
        let (group, groups) = (rows[index], counts.narrow.len() / k);
        let g = group as usize;
        let Some(limit) = grow.filter(|&limit| g < limit) else {
            return Err(Error::InvalidGroup { index, group, groups });
        };
        let grown = if (g + 1) * k <= FEW_CELLS { g + 1 } else { (g + 1).max(2 * groups) };
        counts.narrow.resize(grown.min(limit) * k, 0);
        from = index;
    }
    Ok(())
}

/// [`count_groups`] over the rows from `from` on, in a table of `groups` groups, up to the end
/// (`None`) or to the first valid score of a group past the table, whose offset from `from` it
/// gives. Scores on a scale the counting kernel's codes cover are placed by their code index
/// (one lookup in a table of cells, no branch but the rare bad row's); others, and any score
/// that is not valid, by [`place`], which names a bad one.
#[allow(clippy::too_many_arguments)]
fn count_from<S: Score>(
    scores: &[S],
    rows: &[u32],
    from: usize,
    groups: usize,
    missing: Missing,
    (min, max): (i64, i64),
    category: &[usize],
    counts: &mut Counts,
) -> Result<Option<usize>, Error> {
    let k = category.last().map_or(1, |&c| c + 1);
    // A pass of fewer rows than a `u32` holds keeps its counts in the narrow cells alone.
    let long = scores.len() > NARROW_ROWS;
    let (scores, rows) = (&scores[from..], &rows[from..]);
    let Some(span) = crate::count::kernel_span::<S>(min, max, &[0]) else {
        counts.widen();
        for (offset, (&score, &group)) in scores.iter().zip(rows).enumerate() {
            if let Some(point) = place(score, from + offset, missing, min, max)? {
                let g = group as usize;
                if g >= groups {
                    return Ok(Some(offset));
                }
                counts.wide[g * k + category[point]] += 1;
            }
        }
        return Ok(None);
    };
    // Code indices 0..=span are the points; span + 1 (and the rest of the table) anything else.
    let mut cell_of = [Places::INVALID; 128];
    for (cell, &c) in cell_of.iter_mut().zip(category) {
        *cell = u8::try_from(c).unwrap_or(Places::INVALID); // categories ≤ points ≤ 127
    }
    // Few cells (groups × categories): lanes of byte compares count the
    // rows up to the first block with a row the general loop must see.
    let mut first = 0;
    if counts.narrow.len() <= FEW_CELLS && k > 0 {
        let starts: Vec<u8> = (1..=usize::from(span))
            .filter(|&p| category[p] != category[p - 1])
            .filter_map(|p| u8::try_from(p).ok())
            .collect();
        let kernel = FewCells { scores, rows, min, span, starts: &starts, k, groups };
        let (few, done) = cxm_simd::widest(kernel);
        counts.add_wide(&few);
        first = done;
    }
    let (scores, rows) = (&scores[first..], &rows[first..]);
    let places = Places { cell_of, min, span, k, groups };
    let mut past = None;
    'chunks: for (chunk, (scores, rows)) in
        scores.chunks(NARROW_ROWS).zip(rows.chunks(NARROW_ROWS)).enumerate()
    {
        let mut at = 0;
        // Count up to the next row that is not a point of a group, deal with it, go on.
        while let Some(offset) = cxm_simd::widest(Counting {
            places: &places,
            scores: &scores[at..],
            rows: &rows[at..],
            narrow: &mut counts.narrow,
        }) {
            at += offset;
            let offset = first + chunk * NARROW_ROWS + at;
            place(scores[at], from + offset, missing, min, max)?; // a bad score, or a skipped one
            if rows[at] as usize >= groups && scores[at].code_index(min, span) <= usize::from(span)
            {
                past = Some(offset);
                break 'chunks;
            }
            at += 1;
        }
        if long {
            counts.widen();
        }
    }
    if long {
        counts.widen(); // what the chunk left when it met a group past the table
    }
    Ok(past)
}

/// Cells (groups × categories) up to this many are counted by [`FewCells`].
const FEW_CELLS: usize = 64;

/// Lanes of a [`FewCells`] block: one AVX2 register of bytes.
const LANES: usize = 32;

/// The unweighted pass for few cells and integer scores: per block of [`LANES`] rows, each
/// row's cell (`group · k + category`) as a byte, then one compare per cell over the block,
/// counted in byte lanes (flushed before they wrap). Plain loops over fixed-size arrays, which
/// the compiler turns into vector compares (in [`cxm_simd::widest`]'s AVX2 copy where the CPU
/// has it), with no dependent memory updates. It stops at the first block holding a row that
/// is not a valid score of a valid group, and gives the counts so far and where it stopped.
struct FewCells<'a, S: Score> {
    scores: &'a [S],
    rows: &'a [u32],
    min: i64,
    span: u8,
    /// The first point of every category but the first.
    starts: &'a [u8],
    k: usize,
    groups: usize,
}

impl<S: Score> cxm_simd::Kernel for FewCells<'_, S> {
    type Output = (Vec<u64>, usize);
    #[inline(always)]
    #[allow(clippy::inline_always)] // inlined into the AVX2 copy, as the counting kernel is
    fn run(self) -> (Vec<u64>, usize) {
        let FewCells { scores, rows, min, span, starts, k, groups } = self;
        let cells = groups * k;
        let mut totals = vec![0_u64; cells];
        let mut done = 0;
        #[allow(clippy::cast_possible_truncation)] // cells ≤ FEW_CELLS
        let (k8, groups32) = (k as u8, groups as u32);
        let mut lanes = vec![[0_u8; LANES]; cells];
        for (part_scores, part_rows) in scores.chunks(LANES * 255).zip(rows.chunks(LANES * 255)) {
            lanes.fill([0; LANES]);
            let blocks = part_scores.chunks_exact(LANES).zip(part_rows.chunks_exact(LANES));
            let mut counted = 0;
            for (block_scores, block_rows) in blocks {
                let (Ok(s), Ok(r)) =
                    (<&[S; LANES]>::try_from(block_scores), <&[u32; LANES]>::try_from(block_rows))
                else {
                    continue;
                };
                #[allow(clippy::cast_possible_truncation)] // codes are 0..=span + 1
                let codes: [u8; LANES] = std::array::from_fn(|i| s[i].code_index(min, span) as u8);
                let mut bad = 0_u8;
                for i in 0..LANES {
                    bad |= u8::from(codes[i] > span) | u8::from(r[i] >= groups32);
                }
                if bad != 0 {
                    break; // `counted` stops short: the caller goes on from here
                }
                let mut cell = [0_u8; LANES];
                for i in 0..LANES {
                    #[allow(clippy::cast_possible_truncation)] // r[i] < groups: a byte
                    let group = r[i] as u8;
                    cell[i] = group.wrapping_mul(k8);
                }
                for &start in starts {
                    for i in 0..LANES {
                        cell[i] += u8::from(codes[i] >= start);
                    }
                }
                for (c, lane) in lanes.iter_mut().enumerate() {
                    #[allow(clippy::cast_possible_truncation)] // c < FEW_CELLS
                    let c = c as u8;
                    for i in 0..LANES {
                        lane[i] += u8::from(cell[i] == c);
                    }
                }
                counted += LANES;
            }
            for (total, lane) in totals.iter_mut().zip(&lanes) {
                *total += lane.iter().map(|&x| u64::from(x)).sum::<u64>();
            }
            done += counted;
            if counted < part_scores.len() {
                break; // a block the general loop must see, or the last rows short of a block
            }
        }
        (totals, done)
    }
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
    /// whose offset it returns. Blocks of [`BLOCK_ROWS`] first: their scores' code indices in
    /// one loop with no branch (vector instructions, floats' too, in [`cxm_simd::widest`]'s
    /// copy), checked together, then counted; the rows from a block with a bad one, and the
    /// last few, one at a time. Free of the error paths, so that the loops keep their few
    /// values in registers.
    #[inline(always)]
    #[allow(clippy::inline_always)] // into the AVX2 copy of `Counting`
    fn count<S: Score>(&self, scores: &[S], rows: &[u32], narrow: &mut [u32]) -> Option<usize> {
        let Places { cell_of, min, span, k, groups } = *self;
        let mut done = 0;
        for (s, r) in scores.chunks_exact(BLOCK_ROWS).zip(rows.chunks_exact(BLOCK_ROWS)) {
            let (Ok(s), Ok(r)) =
                (<&[S; BLOCK_ROWS]>::try_from(s), <&[u32; BLOCK_ROWS]>::try_from(r))
            else {
                break;
            };
            #[allow(clippy::cast_possible_truncation)] // codes are 0..=span + 1, below 128
            let codes: [u8; BLOCK_ROWS] = std::array::from_fn(|i| s[i].code_index(min, span) as u8);
            let mut bad = 0_u8;
            for i in 0..BLOCK_ROWS {
                bad |= u8::from(codes[i] > span) | u8::from(r[i] as usize >= groups);
            }
            if bad != 0 {
                break;
            }
            for i in 0..BLOCK_ROWS {
                narrow[r[i] as usize * k + usize::from(cell_of[usize::from(codes[i])])] += 1;
            }
            done += BLOCK_ROWS;
        }
        let (scores, rows) = (&scores[done..], &rows[done..]);
        for (offset, (&score, &group)) in scores.iter().zip(rows).enumerate() {
            let cell = cell_of[score.code_index(min, span) & 127];
            let g = group as usize;
            if cell == Places::INVALID || g >= groups {
                return Some(done + offset);
            }
            narrow[g * k + usize::from(cell)] += 1;
        }
        None
    }
}

/// Rows of a block of [`Places::count`].
const BLOCK_ROWS: usize = 64;

/// [`Places::count`] as a kernel for [`cxm_simd::widest`].
struct Counting<'a, S: Score> {
    places: &'a Places,
    scores: &'a [S],
    rows: &'a [u32],
    narrow: &'a mut [u32],
}

impl<S: Score> cxm_simd::Kernel for Counting<'_, S> {
    type Output = Option<usize>;
    #[inline(always)]
    #[allow(clippy::inline_always)] // see `Places::count`
    fn run(self) -> Option<usize> {
        self.places.count(self.scores, self.rows, self.narrow)
    }
}

/// How the weighted pass places a row whose score, group and weight need no checking beyond
/// two comparisons each: as [`Places`], with the weights the grids hold (`least..=most`, or 0).
struct FastWeights {
    cell_of: [u8; 128],
    min: i64,
    span: u8,
    k: usize,
    groups: usize,
    least: f64,
    most: f64,
}

impl FastWeights {
    /// Counts and weighs rows up to the first the general path must place, whose offset it
    /// returns; as [`Weighed::add`] does, with its checks hoisted out of the loop.
    #[inline(never)]
    fn weigh<S: Score>(
        &self,
        scores: &[S],
        rows: &[u32],
        weights: &[f64],
        weighed: &mut Weighed,
    ) -> Option<usize> {
        let FastWeights { cell_of, min, span, k, groups, least, most } = *self;
        let grids = weighed.grids?;
        for (offset, ((&score, &group), &w)) in scores.iter().zip(rows).zip(weights).enumerate() {
            let c = cell_of[score.code_index(min, span) & 127];
            let g = group as usize;
            #[allow(clippy::float_cmp)] // an exact 0 needs no grid
            let held = (w >= least && w <= most) || w == 0.0;
            if c == Places::INVALID || g >= groups || !held {
                return Some(offset);
            }
            let at = g * k + usize::from(c);
            weighed.parts[at].weigh(grids, w);
            let rows = &mut weighed.counts.narrow[at];
            *rows += 1;
            if rows.is_multiple_of(FLUSH) {
                weighed.flush(g, at, usize::from(c));
            }
        }
        None
    }
}

/// One cell's running sums (a group's category): the high and low parts on the grids of its
/// weights and of their squares; in 32 bytes aligned to 32, so that a row touches one cache line
/// of the large table (its count is in the small table of `u32`s beside it).
#[derive(Debug, Clone, Copy, Default)]
#[repr(align(32))]
struct Parts {
    weights: [f64; 2],
    squares: [f64; 2],
}

/// The weights of every group as the pass goes: rows and parts on the grids per cell, and exact
/// sums for what the grids do not hold.
struct Weighed {
    /// The grids of the weights and of their squares; `None` when no weight fits them.
    grids: Option<(Grid, Grid)>,
    /// Per cell (group and category), its rows: all of them, also those the grids do not hold.
    counts: Counts,
    /// Per cell, the parts of the weights the grids hold.
    parts: Vec<Parts>,
    /// Per group that has them, exact sums of what went past the grids.
    exact: HashMap<usize, WeightSums>,
    /// Categories per group.
    k: usize,
}

/// The largest of `weights` (NaN aside), or 0: in lanes, which the compiler vectorizes.
fn largest_of(weights: &[f64]) -> f64 {
    let mut lanes = [0.0_f64; 8];
    let mut blocks = weights.chunks_exact(8);
    for block in &mut blocks {
        for (lane, &w) in lanes.iter_mut().zip(block) {
            *lane = if w > *lane { w } else { *lane };
        }
    }
    let most = |m: f64, &w: &f64| if w > m { w } else { m };
    lanes.iter().fold(blocks.remainder().iter().fold(0.0, most), most)
}

impl Weighed {
    /// Grids for the `largest` weight (a larger one than any is still exact).
    fn new(largest: f64, groups: usize, k: usize) -> Weighed {
        let grids = (largest > 0.0 && Squares::in_mid_range(largest))
            .then(|| (Grid::above(largest), Grid::above(largest * largest)));
        let cells = groups * k;
        let (counts, parts) = (Counts::new(cells), vec![Parts::default(); cells]);
        Weighed { grids, counts, parts, exact: HashMap::new(), k }
    }

    /// Adds the (checked) weight `w` of a row of group `g`, cell `cell`, category `c`.
    fn add(&mut self, g: usize, cell: usize, c: usize, w: f64) {
        let k = self.k;
        let fits = |(grid, square_grid): (Grid, Grid)| {
            w == 0.0
                || (Squares::in_mid_range(w)
                    && grid.holds_down_to(w)
                    && square_grid.holds_down_to(w * w))
        };
        self.counts.narrow[cell] += 1;
        match self.grids {
            Some(grids) if fits(grids) => {
                self.parts[cell].weigh(grids, w);
                if self.counts.narrow[cell].is_multiple_of(FLUSH) {
                    self.flush(g, cell, c);
                }
            }
            _ => self.exact.entry(g).or_insert_with(|| WeightSums::new(k)).add(c, w),
        }
    }

    /// Moves the parts of `cell` (category `c` of group `g`) to the exact sums: every 2^16 rows
    /// of a cell (its count), the grids' headroom.
    #[cold]
    fn flush(&mut self, g: usize, cell: usize, c: usize) {
        let k = self.k;
        let sums = self.exact.entry(g).or_insert_with(|| WeightSums::new(k));
        let Parts { weights, squares } = std::mem::take(&mut self.parts[cell]);
        for x in weights {
            sums.groups[c].add(x);
        }
        for x in squares {
            sums.squares.mid.add(x);
        }
    }

    /// Moves the counts to the `u64` cells, and every cell's parts to the exact sums (whose
    /// count, restarting from 0, no longer says how many rows they hold).
    #[cold]
    fn widen(&mut self) {
        self.counts.widen();
        for cell in 0..self.parts.len() {
            if self.parts[cell].weights != [0.0; 2] || self.parts[cell].squares != [0.0; 2] {
                self.flush(cell / self.k, cell, cell % self.k);
            }
        }
    }
}

impl Parts {
    /// Adds a weight the grids hold.
    #[inline]
    fn weigh(&mut self, (grid, square_grid): (Grid, Grid), w: f64) {
        let (high, rest) = extract(grid.high, w);
        self.weights[0] += high;
        self.weights[1] += extract(grid.low, rest).0;
        let (high, rest) = extract(square_grid.high, w * w);
        self.squares[0] += high;
        self.squares[1] += extract(square_grid.low, rest).0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The NPS scale and its categories' first points, as the tests below count them.
    const NPS: (i64, i64) = (0, 10);
    const STARTS: [usize; 3] = [0, 7, 9];

    /// The NPS tallies of one pass on the calling thread.
    fn tally_one_thread<S: Score>(
        scores: &[S],
        weights: Option<&[f64]>,
        rows: &[u32],
        groups: usize,
        missing: Missing,
    ) -> Result<Vec<Tally>, Error> {
        let known = GroupCount::Known(groups);
        let pass = one_pass(scores, weights, rows, known, missing, NPS, &STARTS, None)?;
        Ok(Tallied { passes: vec![pass], groups, k: STARTS.len() }.into_tallies())
    }

    #[test]
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // small numbers
    fn few_cells_count_as_the_general_loop() {
        // Counts by hand, row by row, against the pass (whose few-cells kernel takes whole
        // blocks of 32 and leaves the rest, and any bad block, to the general loop).
        let sizes = [(1, 1), (31, 2), (32, 3), (1000, 7), (20_000, 21), (9000, 22), (70_001, 1000)];
        for (n, groups) in sizes {
            let scores: Vec<i32> = (0..n).map(|i| (i * 7 % 11) as i32).collect();
            let rows: Vec<u32> = (0..n).map(|i| (i * 13 % groups) as u32).collect();
            let mut want = vec![0_u64; groups * 3];
            for (&s, &g) in scores.iter().zip(&rows) {
                want[g as usize * 3 + usize::from(s >= 7) + usize::from(s >= 9)] += 1;
            }
            let got = tally_one_thread(&scores, None, &rows, groups, Missing::Reject).unwrap();
            let got: Vec<u64> = got.iter().flat_map(|t| t.counts.iter().copied()).collect();
            assert_eq!(got, want, "{n} rows, {groups} groups");
            // Floats alike, and a missing one skipped (its block left to the general loop).
            let mut floats: Vec<f64> = scores.iter().map(|&s| f64::from(s)).collect();
            let last = floats.len() - 1;
            want[rows[last] as usize * 3
                + usize::from(floats[last] >= 7.0)
                + usize::from(floats[last] >= 9.0)] -= 1;
            floats[last] = f64::NAN;
            let got = tally_one_thread(&floats, None, &rows, groups, Missing::Skip).unwrap();
            let got: Vec<u64> = got.iter().flat_map(|t| t.counts.iter().copied()).collect();
            assert_eq!(got, want, "{n} float rows, {groups} groups");
            // A bad score or group after many blocks is named by its own index.
            if n > 100 {
                let mut bad = scores.clone();
                bad[n - 40] = 11;
                let e = tally_one_thread(&bad, None, &rows, groups, Missing::Reject);
                assert!(matches!(e, Err(Error::ScoreOutOfRange { index, .. }) if index == n - 40));
                let mut far = rows.clone();
                far[n - 70] = groups as u32;
                let e = tally_one_thread(&scores, None, &far, groups, Missing::Reject);
                assert!(matches!(e, Err(Error::InvalidGroup { index, .. }) if index == n - 70));
            }
        }
    }

    #[test]
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // small test numbers
    fn two_threads_tally_as_one() {
        // Few groups, and enough that the tallies are cut on two threads too.
        for groups in [37, PARALLEL_FROM_GROUPS + 3] {
            let n = PARALLEL_FROM_ROWS + 12_345;
            let scores: Vec<u8> = (0..n).map(|i| (i * 7 % 11) as u8).collect();
            let rows: Vec<u32> = (0..n).map(|i| (i * 13 % groups) as u32).collect();
            // Weights over many magnitudes, some the grids do not hold.
            let mut weights: Vec<f64> =
                (0..n).map(|i| 2f64.powi((i % 61) as i32 - 30) * 1.1).collect();
            weights[n - 7] = 1e-300;
            let known = GroupCount::Known(groups);
            let run = |w: Option<&[f64]>| {
                let halves = in_halves(&scores, w, &rows, known, Missing::Reject, NPS, &STARTS)
                    .map(|passes| passes.map(|p| Tallied { passes: p.into(), groups, k: 3 }));
                let one = tally_one_thread(&scores, w, &rows, groups, Missing::Reject);
                (halves, one)
            };
            for w in [None, Some(weights.as_slice())] {
                let (halves, one) = run(w);
                let (halves, one) = (halves.unwrap().unwrap(), one.unwrap());
                // The total of the groups together, as their tallies merged.
                let mut merged = Tally::empty(3);
                for t in &one {
                    merged.merge(t).unwrap();
                }
                assert_eq!(halves.total().unwrap(), merged, "{groups} groups");
                assert_eq!(halves.into_tallies(), one, "{groups} groups");
                assert_eq!(one.iter().map(|t| t.counts.iter().sum::<u64>()).sum::<u64>(), n as u64);
            }
            // A bad weight in the second half is named by its index, as one thread names it.
            weights[n - 3] = -1.0;
            let (halves, one) = run(Some(&weights));
            assert!(halves.unwrap().is_none());
            let e =
                tally_groups(&scores, Some(&weights), &rows, known, Missing::Reject, NPS, &STARTS);
            assert_eq!(e.map(Tallied::into_tallies).unwrap_err(), one.unwrap_err());
            assert!(matches!(
                tally_groups(&scores, Some(&weights), &rows, known, Missing::Reject, NPS, &STARTS),
                Err(Error::InvalidWeight { index, .. }) if index == n - 3
            ));
        }
    }

    #[test]
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // small numbers
    fn widening_keeps_every_tally() {
        // What a pass longer than a u32 counts does every u32::MAX rows: counts to the u64
        // cells, parts to the exact sums. Here after rows enough for some cells to flush.
        let (n, groups) = (300_000, 3);
        let scores: Vec<u8> = (0..n).map(|i| (i * 7 % 11) as u8).collect();
        let rows: Vec<u32> = (0..n).map(|i| (i * 13 % groups) as u32).collect();
        let weights: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64 / 9.0).collect();
        let pass = || {
            let known = GroupCount::Known(groups);
            one_pass(&scores, Some(&weights), &rows, known, Missing::Reject, NPS, &STARTS, None)
        };
        let tallies = |pass| Tallied { passes: vec![pass], groups, k: 3 }.into_tallies();
        let Ok(Pass::Weighed(mut widened)) = pass() else { panic!("a weighted pass") };
        widened.widen();
        assert!(widened.counts.narrow.iter().all(|&c| c == 0));
        assert!(widened.parts.iter().all(|p| p.weights == [0.0; 2] && p.squares == [0.0; 2]));
        assert_eq!(tallies(Pass::Weighed(widened)), tallies(pass().unwrap()));
    }

    #[test]
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // small numbers
    fn halves_share_their_grids_and_cut_in_fixed_point() {
        // The largest weight only in the second half: both halves on its grids, so that the
        // cells cut in fixed point. Each group's summary, the total's and a rest's are the exact
        // sums' to the bit.
        let (n, groups) = (PARALLEL_FROM_ROWS + 99, 50);
        let scores: Vec<u8> = (0..n).map(|i| (i * 7 % 11) as u8).collect();
        let rows: Vec<u32> = (0..n).map(|i| (i * 13 % groups) as u32).collect();
        let mut weights: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64 / 9.0).collect();
        weights[n - 1] = 40.0;
        weights[3] = 0.0;
        let tally = |w: &[f64]| {
            let known = GroupCount::Known(groups);
            tally_groups(&scores, Some(w), &rows, known, Missing::Reject, NPS, &STARTS).unwrap()
        };
        let tallied = tally(&weights);
        let cells = tallied.fixed().expect("one pair of grids");
        let (w, squares) = cells.points;
        for g in 0..groups {
            let want = tallied.tally(g).summary().unwrap();
            assert_eq!(cells.tally(g).summary(w, squares).unwrap(), want, "group {g}");
        }
        let total = tallied.total().unwrap();
        assert_eq!(cells.total().summary(w, squares).unwrap(), total.summary().unwrap());
        let rest = cells.total().without(&cells.tally(3)).unwrap();
        let want = total.without(&tallied.tally(3)).unwrap().summary().unwrap();
        assert_eq!(rest.summary(w, squares).unwrap(), want);
        // A weight the grids do not hold: no fixed point.
        weights[n / 3] = 1e-9;
        assert!(tally(&weights).fixed().is_none());
    }

    #[test]
    #[allow(clippy::cast_possible_truncation)] // small test numbers
    fn codes_tally_as_their_largest_sizes_them() {
        // Codes met in any order: random, rising (the table grows at each new code, past the
        // few cells' kernel), a second half with more codes than the first, and weighted.
        let n = PARALLEL_FROM_ROWS + 4_321;
        let scores: Vec<u8> = (0..n).map(|i| (i * 7 % 11) as u8).collect();
        let weights: Vec<f64> = (0..n).map(|i| 0.5 + (i % 5) as f64).collect();
        let random: Vec<u32> = (0..n).map(|i| (i * 2_654_435_761 % 10) as u32).collect();
        let rising: Vec<u32> = (0..n).map(|i| (i * 3_000 / n) as u32).collect();
        let halves: Vec<u32> =
            (0..n).map(|i| (i % if i < n / 2 { 5 } else { 40 }) as u32).collect();
        for codes in [&random, &rising, &halves] {
            for (w, rows) in [(None, n), (None, 5_000), (Some(weights.as_slice()), 5_000)] {
                let (s, c, w) = (&scores[..rows], &codes[..rows], w.map(|w| &w[..rows]));
                let size = c.iter().max().map_or(0, |&m| m as usize + 1);
                let known = GroupCount::Known(size);
                let want = tally_groups(s, w, c, known, Missing::Reject, NPS, &STARTS).unwrap();
                let got = tally_codes(s, w, c, size, Missing::Reject, NPS, &STARTS).unwrap();
                let got = got.map(Tallied::into_tallies);
                assert_eq!(got, Some(want.into_tallies()), "{size} codes, {rows} rows");
                // A code past the limit: no tallies; a bad score after the table grew: named.
                let past = tally_codes(s, w, c, size - 1, Missing::Reject, NPS, &STARTS);
                assert!(matches!(past, Ok(None)));
                let mut bad = s.to_vec();
                bad[rows - 9] = 12;
                let e = tally_codes(&bad, w, c, size, Missing::Reject, NPS, &STARTS);
                let e = e.map(|t| t.map(Tallied::into_tallies));
                assert!(
                    matches!(e, Err(Error::ScoreOutOfRange { index, .. }) if index == rows - 9)
                );
            }
        }
        // Trailing codes whose rows are all skipped have no tally; the limit counts only
        // counted rows.
        let floats = [9.0, f64::NAN, 3.0];
        let tallies = tally_codes(&floats, None, &[1, 900, 0], 10, Missing::Skip, NPS, &STARTS);
        assert_eq!(tallies.unwrap().map(|t| t.groups()), Some(2));
    }
}

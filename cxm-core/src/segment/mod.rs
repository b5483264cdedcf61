//! Segments and periods: one state per group of rows in one pass, and the table of their
//! results, each group against the rest (or the overall, or a baseline) with p-values adjusted
//! for the number of comparisons.

mod fixed;
mod groups;
mod kernel;
mod periods;
mod table;

pub use groups::{states_by_keys, Groups};
pub(crate) use kernel::{tally_codes, tally_groups, GroupCount};
pub use periods::{period_changes, period_trend, rolling, window_start, Change, SegmentChange};
pub use table::{
    merged, segment_table, segment_table_within, Compare, Figure, SegmentOptions, SegmentRow,
    SegmentTable, Segmented, DEFAULT_MIN_N,
};

//! Segments and periods: one state per group of rows in one pass, and the table of their
//! results, each group against the rest (or the overall, or a baseline) with p-values adjusted
//! for the number of comparisons.

mod groups;
mod kernel;

pub use groups::Groups;
pub(crate) use kernel::tally_groups;

//! Shared data for the benchmarks.

#!/usr/bin/env bash
# Benchmarks: cxm's Python module against numpy/pandas/polars in one process, then the
# criterion benchmarks of the core. Builds the Python module in release mode first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/python-env.sh
(cd cxm-py && maturin develop --release --quiet)
python benches/compare.py "$@"
cargo bench -p cxm-benches

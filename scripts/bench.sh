#!/usr/bin/env bash
# Benchmarks: cxm's Python module against numpy/pandas/polars in one process, then the
# criterion benchmarks of the core. Builds the Python module in release mode first.
#   bash scripts/bench.sh [--quick] [--write docs/benchmarks.md]
# --quick: compare.py's sizes to 1e6, and criterion's --quick (fewer samples).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/python-env.sh
# The benchmarks' own peers, not the tests': lifelines for Kaplan-Meier.
python -m pip install --quiet --disable-pip-version-check "lifelines==0.30.3"
(cd cxm-py && maturin develop --release --quiet)
python benches/compare.py "$@"
quick=()
for arg in "$@"; do [ "$arg" = --quick ] && quick=(-- --quick); done
cargo bench -p cxm-benches "${quick[@]}"

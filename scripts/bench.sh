#!/usr/bin/env bash
# Benchmarks: cxm's Python module against numpy/pandas/polars in one process, then the
# criterion benchmarks of the core. Builds the Python module in release mode first.
#   bash scripts/bench.sh [--quick] [--write docs/benchmarks.md]
# --quick: compare.py's sizes to 1e6, and criterion's --quick (fewer samples).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/python-env.sh
# The benchmarks' own peers, not the tests': lifelines for Kaplan-Meier. Without its declared
# dependencies, which would downgrade the tests' pandas (lifelines runs with pandas 3 here).
python -m pip install --quiet --disable-pip-version-check --no-deps "lifelines==0.30.3" \
  "autograd==1.9.1" "autograd-gamma==0.5.0" "formulaic==1.2.2" "interface_meta==2.0.1" \
  "narwhals==2.29.0" "wrapt==2.5.2"
(cd cxm-py && maturin develop --release --quiet)
python benches/compare.py "$@"
quick=()
for arg in "$@"; do [ "$arg" = --quick ] && quick=(-- --quick); done
cargo bench -p cxm-benches "${quick[@]}"

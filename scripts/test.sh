#!/usr/bin/env bash
# Runs every test of cxm: Rust (unit, integration, doc), C, C++ and Python, then checks that
# the three surfaces computed the very same bits for the shared vectors (testdata/*.json), and
# last runs the README's install commands for each audience (scripts/test-install.sh).
# Needs only Rust, a C/C++ compiler and python3 (3.11 or later: pyspark 4.3); installs the Python
# tools into .venv, and a Java runtime for Spark (Debian's) if there is none.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CXM_VECTOR_OUT="$root/target/vector-out"
rm -rf "$CXM_VECTOR_OUT"
mkdir -p "$CXM_VECTOR_OUT"

echo "== Python environment"
source scripts/python-env.sh
# cxm-py's tests link libpython; tell PyO3 which one.
export PYO3_PYTHON="$VIRTUAL_ENV/bin/python"

echo "== Java (Spark, for cxm.spark's tests)"
source scripts/java-env.sh

echo "== Rust"
cargo test --workspace

echo "== The bundled customers and contacts are what their seeded scripts make"
for name in customers contacts; do
  python3 "examples/make_$name.py" "$CXM_VECTOR_OUT/$name.csv" >/dev/null
  cmp "examples/$name.csv" "$CXM_VECTOR_OUT/$name.csv"
done

echo "== The main job (README), on the bundled survey"
cargo run --release --quiet -p cxm-cli -- report examples/survey.csv \
  --missing skip --by region --by channel --period quarter \
  --customers examples/customers.csv --window-start 2026-01-01 --window-end 2026-04-01 \
  --contacts examples/contacts.csv \
  | tee "$CXM_VECTOR_OUT/report.txt"
grep -q "^NPS of 2324 responses in examples/survey.csv (2400 rows, 76 missing scores skipped)" "$CXM_VECTOR_OUT/report.txt"
grep -q "^channel: phone " "$CXM_VECTOR_OUT/report.txt"
grep -q "^2026-Q2 -> 2026-Q3: " "$CXM_VECTOR_OUT/report.txt"
for line in "^churn on the start basis: " "^churn on the average basis: " "^churn by exposure: " \
  "^retention: " "^revenue: NRR " "^NCVG: "; do
  grep -q "$line" "$CXM_VECTOR_OUT/report.txt"
done
# The README shows the customers' and contacts' sections as this run prints them, line for line.
python3 - "$CXM_VECTOR_OUT/report.txt" <<'PY'
import re, sys
readme = open("README.md").read()
printed = open(sys.argv[1]).read().splitlines()
for section, intro in [("customers'", r"The customers' section reads like this:"),
                       ("contacts'", r"and the contacts' section \(.*?\) like this:")]:
    shown = re.search(intro + r"\n\n```text\n(.*?)```", readme, re.S).group(1)
    stale = [line for line in shown.splitlines() if line not in printed]
    assert shown.strip() and not stale, f"README's {section} section differs from the report: {stale}"
PY

# The release binary ships without debug info (it was 15 MB with it).
cxm_bin="${CARGO_TARGET_DIR:-$root/target}/release/cxm"
if grep -q "\.debug_info" <<<"$(objdump -h "$cxm_bin")"; then
  echo "$cxm_bin carries debug info" >&2
  exit 1
fi
echo "the release cxm binary: $(stat -c %s "$cxm_bin") bytes, no debug info"

echo "== C and C++"
bash scripts/test-c.sh

echo "== Python"
(cd cxm-py && maturin develop --quiet && python -m pytest)
python -m mypy.stubtest cxm._cxm

echo "== One logic, three surfaces"
suites=0
for rust in "$CXM_VECTOR_OUT"/*.rust.txt; do
  suite=$(basename "$rust" .rust.txt)
  for surface in c python; do
    cmp "$rust" "$CXM_VECTOR_OUT/$suite.$surface.txt"
  done
  echo "$suite: rust, c and python agree bit for bit on $(wc -l < "$rust") lines"
  suites=$((suites + 1))
done
[ "$suites" -ge 4 ] || { echo "expected the nps, ratings, proportions and comparisons suites" >&2; exit 1; }
for suite in nps ratings proportions comparisons lift survival; do
  [ -f "$CXM_VECTOR_OUT/$suite.rust.txt" ] || { echo "the $suite suite wrote no bits" >&2; exit 1; }
done

echo "== Install, as the README's Install section gives it (Rust, Python wheel, C and C++)"
bash scripts/test-install.sh

echo "== all tests passed"

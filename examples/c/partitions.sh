#!/usr/bin/env bash
# Runs examples/c/partitions.c's pattern as separate processes: two workers, at the same time,
# each write the NPS states of their half of examples/survey.csv; a third merges the two halves'
# bytes; a fourth scores all the responses at once. Their outputs (every double also in %a) must
# be the same text, so the same bits; unweighted, then weighted.
#
#   bash examples/c/partitions.sh PROGRAM DIR    (PROGRAM built from partitions.c; DIR for files)
#
# CXM_RUN, when set, prefixes each process (scripts/test-c.sh sets it to valgrind).
set -euo pipefail
program=$1 dir=$2
run=${CXM_RUN:-}
mkdir -p "$dir"
# Channel, score (nan when missing) and weight of each response. The weights are the survey's
# times 10^-6 to 10^6 by row: a plain floating-point sum of them would depend on the split.
awk -F, 'NR > 1 { printf "%s %s %.17g\n", $4, ($5 == "" ? "nan" : $5), $6 * 10 ^ (NR % 13 - 6) }' \
  "$(dirname "$0")/../survey.csv" >"$dir/all.txt"
head -n 1000 "$dir/all.txt" >"$dir/part1.txt"
tail -n +1001 "$dir/all.txt" >"$dir/part2.txt"
for weights in "" -w; do
  $run "$program" worker $weights "$dir/part1.txt" "$dir/a$weights" &
  first=$!
  $run "$program" worker $weights "$dir/part2.txt" "$dir/b$weights" &
  second=$!
  wait "$first"
  wait "$second"
  $run "$program" merge "$dir/a$weights" "$dir/b$weights" >"$dir/merged$weights.txt"
  $run "$program" whole $weights "$dir/all.txt" >"$dir/whole$weights.txt"
  echo "-- merged from two workers' states${weights:+ (weighted)}"
  cat "$dir/merged$weights.txt"
  if ! cmp "$dir/merged$weights.txt" "$dir/whole$weights.txt"; then
    diff "$dir/merged$weights.txt" "$dir/whole$weights.txt" >&2 || true
    echo "partitions: the merged states differ from one process over all responses" >&2
    exit 1
  fi
  echo "the same bits as one process over all $(wc -l <"$dir/all.txt") rows"
done

#!/usr/bin/env bash
# Fuzzes every C entry point of cxm (the cargo-fuzz targets in fuzz/, libFuzzer with
# AddressSanitizer and debug assertions, on the nightly toolchain) for a bounded time each,
# then prints executions and findings per target. See docs/fuzzing.md.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   fuzz (default 60 s, every target)
#   scripts/fuzz.sh --replay                           rerun every input in fuzz/regressions
#
# libFuzzer runs in fork mode, ignoring crashes and timeouts, so that one bug found early does
# not end a target's run; any input slower than 10 s counts as a timeout finding. Each new
# crash is replayed with CXM_FUZZ_TRACE=1 to name it (the panic message or the sanitizer's
# report) and to print the call that failed, with its arguments; findings are grouped by that
# name, and one input per new finding is minimised and copied to fuzz/regressions/TARGET/.
# Corpora (fuzz/corpus) and raw artifacts (fuzz/artifacts) stay out of git.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/.tools/bin:$PATH"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz into .tools"
  cargo install cargo-fuzz --locked --root "$root/.tools" --quiet
fi

echo "== building the fuzz targets"
cargo +nightly fuzz build --fuzz-dir fuzz
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin="fuzz/target/$host/release"

# Runs TARGET once on INPUT; prints its output (CXM_FUZZ_TRACE on).
replay() {
  CXM_FUZZ_TRACE=1 timeout 60 "$bin/$1" -timeout=10 -runs=1 "$2" 2>&1 || true
}

# The name of a failure, from a replay's output: the panic's place and message, or the
# sanitizer's summary, with numbers replaced by N so that one bug is one name.
signature() {
  local out=$1 sig
  sig=$(grep -A1 -m1 "panicked at" <<<"$out" | tr '\n' ' ' |
    sed -E 's/.*panicked at ([^ ]*) (.*)/panic at \1 \2/') || true
  [ -n "$sig" ] || sig=$(grep -m1 "^SUMMARY: " <<<"$out" | sed 's/^SUMMARY: //') || true
  [ -n "$sig" ] || sig=$(grep -m1 "ERROR: " <<<"$out" | sed 's/.*ERROR: //') || true
  [ -n "$sig" ] || sig="no failure on replay"
  printf '%s' "$sig" | sed -E 's/(0x[0-9a-f]+|[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?)/N/g; s/ +$//' | cut -c1-200
}

# The call that failed: the last traced call before the failure.
reproducer() {
  { grep "^call " <<<"$1" || true; } | tail -1 | sed 's/^call //' | cut -c1-1500
}

if [ "${1:-}" = "--replay" ]; then
  failing=0
  for dir in fuzz/regressions/*/; do
    target=$(basename "$dir")
    for input in "$dir"*; do
      [ -f "$input" ] || continue
      out=$(replay "$target" "$input")
      if grep -q "Executed .* in" <<<"$out"; then
        echo "fixed    $input"
      else
        echo "FAILING  $input: $(signature "$out")"
        failing=$((failing + 1))
      fi
    done
  done
  echo "regressions: $failing still failing"
  [ "$failing" -eq 0 ]
  exit
fi

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list --fuzz-dir fuzz)
logs="fuzz/target/fuzz-logs"
mkdir -p "$logs"
summary="$logs/summary.txt"
: >"$summary"

for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  artifacts="fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts" "fuzz/regressions/$target"
  stamp="$logs/$target.start"
  touch "$stamp"
  echo "== fuzzing $target for $seconds s"
  start=$(date +%s)
  "$bin/$target" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -timeout=10 \
    -max_total_time="$seconds" -artifact_prefix="$artifacts/" "$corpus" >"$logs/$target.log" 2>&1 || true
  elapsed=$(($(date +%s) - start))
  last=$(grep -E '^#[0-9]+: cov:' "$logs/$target.log" | tail -1) || true
  execs=$(printf '%s' "$last" | sed -E 's/^#([0-9]+):.*/\1/')
  counts=$(printf '%s' "$last" | sed -E 's/.*oom\/timeout\/crash: ([0-9\/]+).*/\1/')
  echo "$target: ${execs:-0} executions in $elapsed s, oom/timeout/crash ${counts:-0/0/0}"

  # Name each new artifact; keep the smallest input of each name.
  declare -A example=() seen=()
  while IFS= read -r input; do
    case $(basename "$input") in
      timeout-*) sig="timeout (over 10 s)" ;;
      oom-*) sig="out of memory" ;;
      *) sig=$(signature "$(replay "$target" "$input")") ;;
    esac
    seen[$sig]=$((${seen[$sig]:-0} + 1))
    [ -n "${example[$sig]:-}" ] || example[$sig]=$input
  done < <(find "$artifacts" -maxdepth 1 -type f -newer "$stamp" ! -name 'minimized-*' -printf '%s %p\n' |
    sort -n | head -200 | cut -d' ' -f2-)

  findings=${#seen[@]}
  echo "$target | $elapsed | ${execs:-0} | $findings" >>"$summary"
  for sig in "${!seen[@]}"; do
    input=${example[$sig]}
    slug=$(printf '%s' "$sig" | sha1sum | cut -c1-12)
    kept="fuzz/regressions/$target/$slug"
    if [ ! -e "$kept" ]; then
      cp "$input" "$kept"
      case $(basename "$input") in
        crash-*)
          # Minimise; keep the result only if it still fails the same way.
          rm -f "$artifacts"/minimized-*
          "$bin/$target" -minimize_crash=1 -runs=2000 -timeout=10 -artifact_prefix="$artifacts/" \
            "$input" >"$logs/$target.tmin.log" 2>&1 || true
          small=$(ls -S "$artifacts"/minimized-* 2>/dev/null | tail -1) || true
          if [ -n "$small" ] && [ "$(signature "$(replay "$target" "$small")")" = "$sig" ]; then
            cp "$small" "$kept"
          fi
          ;;
      esac
      new="new, kept as $kept"
    else
      new="known, as $kept"
    fi
    echo "  finding (${seen[$sig]} inputs; $new): $sig"
    call=$(reproducer "$(replay "$target" "$kept")")
    [ -z "$call" ] || echo "    reproducer: $call"
  done
  unset example seen
done

echo
echo "== summary: target | seconds | executions | distinct findings"
cat "$summary"

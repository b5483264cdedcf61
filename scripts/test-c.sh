#!/usr/bin/env bash
# Builds the C ABI and runs the C tests (static library, with AddressSanitizer and UBSan) and the
# C++ test (shared library) against include/cxm.h. Writes C's bits to $CXM_VECTOR_OUT/*.c.txt.
# test_catalogue runs the catalogue of bad inputs (testdata/bad_inputs.json) and the C-only ones.
# The thread test (8 pthreads on one library) also runs under ThreadSanitizer. Then builds the
# same tests without sanitizers and runs each under valgrind (memcheck): no error and no leak of
# any kind, "still reachable" included, and their bits must equal the first run's; the thread
# test also runs under helgrind. The examples run with the tests: examples/cpp/stream.cpp, and
# examples/c/partitions.c as four processes (workers, merger, one process over all responses).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build -p cxm-ffi
target="${CARGO_TARGET_DIR:-$root/target}"
build="$target/c-tests"
# Every binary links this one copy of the library, so that both runs below test the same build
# even if something rebuilds target/debug meanwhile.
lib="$build/lib"
mkdir -p "$lib"
cp "$target/debug/libcxm.a" "$target/debug/libcxm.so" "$lib/"
# A program linked with -lcxm records the library's soname (libcxm.so.0.1), and finds it by that
# name at run time; cargo writes only libcxm.so.
soname=$(objdump -p "$lib/libcxm.so" | awk '$1 == "SONAME" {print $2}')
[ -n "$soname" ] || { echo "libcxm.so has no soname (see cxm-ffi/build.rs)" >&2; exit 1; }
ln -sf libcxm.so "$lib/$soname"
warnings="-Wall -Wextra -Wpedantic -Werror"
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all"
c_tests="test_nps test_ratings test_compare test_lift test_survival test_churn test_drivers test_topics test_raking test_threads test_catalogue test_states test_segments"

# $1: output directory, $2: extra compiler flags.
build_tests() {
  local dir=$1 flags=$2
  mkdir -p "$dir"
  for test in $c_tests; do
    gcc -std=c11 $warnings $flags -Iinclude "tests/c/$test.c" tests/c/check.c tests/c/json.c \
      "$lib/libcxm.a" -lm -lpthread -ldl -o "$dir/$test"
  done
  g++ -std=c++17 $warnings $flags -Iinclude tests/cpp/test_nps.cpp -L"$lib" -lcxm \
    -Wl,-rpath,"$lib" -o "$dir/test_nps_cpp"
  # The streaming example: two worker threads' states merged per channel.
  g++ -std=c++17 $warnings $flags -Iinclude examples/cpp/stream.cpp -L"$lib" -lcxm -lpthread \
    -Wl,-rpath,"$lib" -o "$dir/stream_cpp"
  # The distributed example: worker processes write states' bytes, another merges them.
  gcc -std=c11 $warnings $flags -Iinclude examples/c/partitions.c "$lib/libcxm.a" -lm -lpthread \
    -ldl -o "$dir/partitions"
  # The README's C example, compiled as written.
  python3 - "$dir/readme.c" <<'PY'
import re, sys
text = open("README.md").read()
open(sys.argv[1], "w").write(re.search(r"```c\n(.*?)```", text, re.S).group(1))
PY
  gcc -std=c11 $warnings $flags -Iinclude "$dir/readme.c" "$lib/libcxm.a" -lm -lpthread -ldl \
    -o "$dir/readme"
}

# $1: a prefix command (empty, or valgrind), $2: the binaries' directory, $3: where bits go,
# $4: iterations of the thread test (each thread runs every call this many times).
run_tests() {
  local runner=$1 dir=$2 out=$3 iterations=$4
  $runner "$dir/test_nps" testdata/nps.json "$out"
  $runner "$dir/test_ratings" testdata "$out"
  $runner "$dir/test_compare" testdata/comparisons.json "$out"
  $runner "$dir/test_lift" testdata/lift.json "$out"
  $runner "$dir/test_survival" testdata/survival.json testdata/durations.json testdata/contacts.json "$out"
  $runner "$dir/test_churn" testdata/churn.json "$out"
  $runner "$dir/test_drivers" testdata/drivers.json "$out"
  $runner "$dir/test_topics" testdata/topics.json "$out"
  $runner "$dir/test_raking" testdata/raking.json "$out"
  $runner "$dir/test_catalogue" testdata/bad_inputs.json
  $runner "$dir/test_states"
  $runner "$dir/test_segments" testdata/segments.json "$out"
  $runner "$dir/test_threads" "$iterations"
  $runner "$dir/test_nps_cpp"
  $runner "$dir/stream_cpp"
  # Four processes (each under $runner); fails unless the merged bits equal one process's.
  rm -rf "$dir/partitions-run"
  CXM_RUN="$runner" bash examples/c/partitions.sh "$dir/partitions" "$dir/partitions-run"
  $runner "$dir/readme"
}

echo "-- C and C++ tests, C with AddressSanitizer and UBSan"
build_tests "$build" "$sanitize"
out="${CXM_VECTOR_OUT:-$build}"
run_tests "" "$build" "$out" 50

echo "-- the thread test under ThreadSanitizer (it instruments the C side; the Rust library is not)"
gcc -std=c11 $warnings -fsanitize=thread -Iinclude tests/c/test_threads.c tests/c/check.c \
  "$lib/libcxm.a" -lm -lpthread -ldl -o "$build/test_threads_tsan"
TSAN_OPTIONS="halt_on_error=1" "$build/test_threads_tsan" 50

echo "-- C and C++ tests without sanitizers, under valgrind"
if ! command -v valgrind >/dev/null; then
  echo "valgrind is missing: installing it"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq valgrind >/dev/null
fi
plain="$build/plain"
build_tests "$plain" "-g"
vg_out="$plain/vector-out"
rm -rf "$vg_out"
mkdir -p "$vg_out"
valgrind="valgrind --quiet --error-exitcode=1 --suppressions=tests/c/valgrind.supp --leak-check=full --show-leak-kinds=all
  --errors-for-leak-kinds=all --track-origins=yes"
run_tests "$valgrind" "$plain" "$vg_out" 3
echo "-- the thread test under helgrind"
valgrind --tool=helgrind --quiet --error-exitcode=1 "$plain/test_threads" 2
# The unsanitized build must compute the very bits the sanitized one wrote.
for bits in "$vg_out"/*.c.txt; do
  cmp "$bits" "$out/$(basename "$bits")"
done
echo "valgrind: no errors, no leaks; bits equal the sanitized run's in $(ls "$vg_out" | wc -l) files"

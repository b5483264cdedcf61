#!/usr/bin/env bash
# Builds the C ABI and runs the C test (static library, with AddressSanitizer and UBSan) and the
# C++ test (shared library) against include/cxm.h. Writes C's bits to $CXM_VECTOR_OUT/*.c.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build -p cxm-ffi
lib="$root/target/debug"
build="$root/target/c-tests"
mkdir -p "$build"
warnings="-Wall -Wextra -Wpedantic -Werror"
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all"
for test in test_nps test_ratings test_compare; do
  gcc -std=c11 $warnings $sanitize -Iinclude "tests/c/$test.c" tests/c/check.c tests/c/json.c \
    "$lib/libcxm.a" -lm -lpthread -ldl -o "$build/$test"
done
g++ -std=c++17 $warnings -Iinclude tests/cpp/test_nps.cpp -L"$lib" -lcxm -Wl,-rpath,"$lib" \
  -o "$build/test_nps_cpp"
out="${CXM_VECTOR_OUT:-$build}"
"$build/test_nps" testdata/nps.json "$out"
"$build/test_ratings" testdata "$out"
"$build/test_compare" testdata/comparisons.json "$out"
"$build/test_nps_cpp"

# The README's C example, compiled and run as written.
python3 - "$build/readme.c" <<'PY'
import re, sys
text = open("README.md").read()
open(sys.argv[1], "w").write(re.search(r"```c\n(.*?)```", text, re.S).group(1))
PY
gcc -std=c11 $warnings -Iinclude "$build/readme.c" "$lib/libcxm.a" -lm -lpthread -ldl -o "$build/readme"
"$build/readme"

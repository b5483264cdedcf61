#!/usr/bin/env bash
# Builds the C ABI and runs the C test (static library, with AddressSanitizer and UBSan) and the
# C++ test (shared library) against include/cxm.h. Writes C's bits to $CXM_VECTOR_OUT/c.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build -p cxm-ffi
lib="$root/target/debug"
build="$root/target/c-tests"
mkdir -p "$build"
warnings="-Wall -Wextra -Wpedantic -Werror"
gcc -std=c11 $warnings -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude \
  tests/c/test_nps.c tests/c/json.c "$lib/libcxm.a" -lm -lpthread -ldl -o "$build/test_nps"
g++ -std=c++17 $warnings -Iinclude tests/cpp/test_nps.cpp -L"$lib" -lcxm -Wl,-rpath,"$lib" \
  -o "$build/test_nps_cpp"
"$build/test_nps" testdata/nps.json "${CXM_VECTOR_OUT:-$build}/c.txt"
"$build/test_nps_cpp"

# The README's C example, compiled and run as written.
python3 - "$build/readme.c" <<'PY'
import re, sys
text = open("README.md").read()
open(sys.argv[1], "w").write(re.search(r"```c\n(.*?)```", text, re.S).group(1))
PY
gcc -std=c11 $warnings -Iinclude "$build/readme.c" "$lib/libcxm.a" -lm -lpthread -ldl -o "$build/readme"
"$build/readme"

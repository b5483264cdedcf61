#!/usr/bin/env bash
# Runs the README's install section as a user would, each audience's commands exactly as the
# README gives them (the ```sh block under "### <audience>" in "## Install"), and checks what
# they built:
#   Rust    cxm-core packages (cargo package) and documents without a warning; the app outside
#           the workspace (examples/rust-app, whose main.rs is the README's first Rust example)
#           builds and runs.
#   Python  maturin builds one abi3 wheel; it is installed into a fresh virtualenv, where a smoke
#           test (cxm-py/tests/smoke_installed.py) runs the READMEs' examples outside the tree.
#   C, C++  scripts/install-c.sh fills a fresh prefix; the Makefile (pkg-config) and CMake
#           (find_package) consumers in examples/ are built against it and run without
#           LD_LIBRARY_PATH; the soname, the links and the CMake version rule are checked.
# Called by scripts/test.sh after scripts/python-env.sh (it needs .venv's maturin). Installs
# make and pkg-config (Debian) if the machine lacks them, and a pinned CMake from PyPI into
# .tools/cmake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="${CARGO_TARGET_DIR:-$root/target}/install-test"
rm -rf "$work"
mkdir -p "$work"
unset LD_LIBRARY_PATH
fail() {
  echo "$*" >&2
  exit 1
}

# Runs the README's commands for one audience, printing them as they run.
readme_commands() {
  python3 - "$1" > "$work/commands.sh" <<'PY'
import re, sys
text = open("README.md").read()
install = re.search(r"^## Install\n(.*?)(?=^## )", text, re.S | re.M).group(1)
section = re.search(rf"^### {re.escape(sys.argv[1])}\n(.*?)(?=^### |\Z)", install, re.S | re.M)
blocks = re.findall(r"```sh\n(.*?)```", section.group(1), re.S)
assert len(blocks) == 1, f"README, Install, {sys.argv[1]}: expected one sh block"
print(blocks[0], end="")
PY
  bash -euo pipefail -x "$work/commands.sh"
}

echo "-- Rust"
# cargo warns about each test, example and bench it leaves out of the package: they read the
# workspace's testdata/ and examples/, so cxm-core/Cargo.toml includes only the library. Those
# warnings are counted in one line; anything else cargo says is shown as it said it.
# cxm-simd is packaged with it: cxm-core depends on it, and neither is on crates.io yet.
cargo package -p cxm-simd -p cxm-core --allow-dirty 2> "$work/package.txt" ||
  { cat "$work/package.txt" >&2; fail "cargo package failed"; }
left_out='^warning: ignoring (test|example|bench) `[^`]+` as `[^`]+` is not included in the published package$'
grep -Ev "$left_out" "$work/package.txt" || true
echo "cargo package: left out $(grep -Ec "$left_out" "$work/package.txt") tests, examples and benches that read the workspace's files"
# rustdoc's warnings are errors here; cargo's own (such as two crates writing one doc path) are
# not, so they are looked for in its output.
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps 2>&1 | tee "$work/doc.txt"
if grep -q "^warning" "$work/doc.txt"; then fail "cargo doc --no-deps warned"; fi
python3 - <<'PY'
import re
first = re.search(r"```rust\n(.*?)```", open("README.md").read(), re.S).group(1)
assert open("examples/rust-app/src/main.rs").read() == first, \
    "examples/rust-app/src/main.rs is not the README's first Rust example"
PY
readme_commands Rust | tee "$work/rust.txt"
# 5 promoters, 2 passives, 3 detractors of 10: NPS 20, Wald SE 100·√((0.8 − 0.2²)/10) = 27.6; the
# adjusted-Wald interval (Rocks 2016: counts 5.75, 3.5, 3.75 of 13) is 15.4 ± 1.96·23.3 = -30.3..61.1.
grep -qx "NPS 20.0 ± 27.6 (95% CI -30.3 to 61.1)" "$work/rust.txt"

echo "-- Python"
version=$(cargo pkgid -p cxm-py)
version=${version##*[#@]}
rm -f target/wheels/cxm-*.whl
# The notebook's environment: fresh, and first on PATH (maturin stays .venv's).
python3 -m venv "$work/notebook"
PATH="$work/notebook/bin:$PATH" readme_commands Python
wheels=(target/wheels/cxm-*.whl)
[ ${#wheels[@]} -eq 1 ] && [[ ${wheels[0]} == */cxm-$version-cp39-abi3-*.whl ]] ||
  fail "expected one abi3 wheel cxm-$version-cp39-abi3-*, got ${wheels[*]}"
(cd "$work" && "$work/notebook/bin/python" "$root/cxm-py/tests/smoke_installed.py" "$version" \
  "$root/README.md")

echo "-- C and C++"
# A machine with only gcc may lack make and pkg-config: Debian has both.
missing=()
command -v make >/dev/null || missing+=(make)
command -v pkg-config >/dev/null || missing+=(pkgconf)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cmake_version=4.4.5
cmake_env="$root/.tools/cmake"
if ! grep -qx "cmake version $cmake_version" <<<"$("$cmake_env/bin/cmake" --version 2>/dev/null)"; then
  python3 -m venv "$cmake_env"
  "$cmake_env/bin/python" -m pip install --quiet --disable-pip-version-check "cmake==$cmake_version"
fi
export prefix="$work/prefix"
# The consumers the README builds: none left from an earlier run before, and none after, so
# that a reader who runs the README with their own prefix gets programs built against theirs.
remove_consumers() { rm -rf examples/c/nps target/examples/cpp; }
remove_consumers
PATH="$cmake_env/bin:$PATH" readme_commands "C and C++" | tee "$work/c.txt"
# The three programs (C, C++ shared, C++ static) printed the same line.
line="cxm $version: NPS 20.0 (95% CI -30.3 to 61.1)"
[ "$(grep -cx "$line" "$work/c.txt")" -eq 3 ] || fail "expected \"$line\" from the three programs"
# What the prefix holds, and that the shared programs load the library from it by its soname.
major=${version%%.*}
minor=${version#*.}
minor=${minor%%.*}
if [ "$major" = 0 ]; then soname=libcxm.so.0.$minor; else soname=libcxm.so.$major; fi
for file in include/cxm.h lib/libcxm.a lib/libcxm.so.$version lib/pkgconfig/cxm.pc \
  lib/cmake/cxm/cxmConfig.cmake lib/cmake/cxm/cxmConfigVersion.cmake; do
  [ -f "$prefix/$file" ] || fail "$prefix/$file is missing"
done
[ "$(readlink "$prefix/lib/$soname")" = "libcxm.so.$version" ] || fail "$soname: wrong link"
[ "$(readlink "$prefix/lib/libcxm.so")" = "$soname" ] || fail "libcxm.so: wrong link"
# Each tool's output is captured before it is searched: `tool | grep -q` under pipefail fails
# whenever grep stops reading early and the tool dies of SIGPIPE.
headers=$(objdump -p "$prefix/lib/libcxm.so.$version")
grep -Eq "^ +SONAME +$soname\$" <<<"$headers" || fail "libcxm.so.$version: soname is not $soname"
# The release library ships without debug info (it was 17 MB with it), its C symbols exported.
sections=$(objdump -h "$prefix/lib/libcxm.so.$version" "$prefix/lib/libcxm.a")
if grep -q "\.debug_info" <<<"$sections"; then fail "the installed libcxm carries debug info"; fi
symbols=$(nm -D --defined-only "$prefix/lib/libcxm.so.$version")
grep -q " T cxm_nps_f64$" <<<"$symbols" || fail "libcxm.so.$version does not export cxm_nps_f64"
echo "install: libcxm.so.$version $(stat -c %s "$prefix/lib/libcxm.so.$version") bytes," \
  "libcxm.a $(stat -c %s "$prefix/lib/libcxm.a") bytes, no debug info"
for program in examples/c/nps target/examples/cpp/nps; do
  loads=$(ldd "$program")
  grep -q "$soname => $prefix/lib/$soname" <<<"$loads" ||
    fail "$program does not load $prefix/lib/$soname: $loads"
done
if grep -q libcxm <<<"$(ldd target/examples/cpp/nps_static)"; then
  fail "nps_static loads libcxm.so"
fi
# The CMake version rule: same major, and while it is 0 the same minor, at least as new.
cat > "$work/version.cmake" <<'CMAKE'
set(PACKAGE_FIND_VERSION_RANGE "")
if(WANT MATCHES "^(.+)\\.\\.\\.(.+)$")
  set(PACKAGE_FIND_VERSION_RANGE TRUE)
  set(PACKAGE_FIND_VERSION_RANGE_MAX INCLUDE)
  set(PACKAGE_FIND_VERSION_MIN "${CMAKE_MATCH_1}")
  set(PACKAGE_FIND_VERSION_MAX "${CMAKE_MATCH_2}")
  set(PACKAGE_FIND_VERSION "${CMAKE_MATCH_1}")
else()
  set(PACKAGE_FIND_VERSION "${WANT}")
endif()
string(REGEX MATCHALL "[0-9]+" parts "${PACKAGE_FIND_VERSION}.0.0")
list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
include("${CONFIG}")
message("${PACKAGE_VERSION_COMPATIBLE}")
CMAKE
accepts() {
  "$cmake_env/bin/cmake" -DWANT="$1" -DCONFIG="$prefix/lib/cmake/cxm/cxmConfigVersion.cmake" \
    -P "$work/version.cmake" 2>&1
}
if [ "$major" = 0 ]; then same=0.$minor newer=0.$((minor + 1)); else same=$major newer=$((major + 1)); fi
cases=("$version TRUE" "$same TRUE" " TRUE" "$same...$newer TRUE" "$newer FALSE"
  "$version.1 FALSE" "$((major + 1)) FALSE")
if [ "$major" = 0 ] && [ "$minor" -gt 0 ]; then cases+=("0.$((minor - 1)) FALSE"); fi
for case in "${cases[@]}"; do
  want=${case% *} expected=${case##* }
  [ "$(accepts "$want")" = "$expected" ] || fail "find_package(cxm $want): expected compatible=$expected"
done
echo "install: prefix, soname $soname, pkg-config, CMake package and version rule checked"
remove_consumers

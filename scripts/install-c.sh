#!/usr/bin/env bash
# Installs cxm's C library into a prefix:
#
#   bash scripts/install-c.sh PREFIX      (DESTDIR=/staging is honoured, for packagers)
#
#   PREFIX/include/cxm.h
#   PREFIX/lib/libcxm.so.X.Y.Z            the shared library, soname libcxm.so.0.Y (0.x) or
#   PREFIX/lib/libcxm.so.<soname part>    libcxm.so.X (from 1.0), and the links to it
#   PREFIX/lib/libcxm.so
#   PREFIX/lib/libcxm.a                   the static library
#   PREFIX/lib/pkgconfig/cxm.pc           for pkg-config --cflags --libs cxm
#   PREFIX/lib/cmake/cxm/cxmConfig.cmake  for find_package(cxm): targets cxm::cxm, cxm::cxm_static
#   PREFIX/lib/cmake/cxm/cxmConfigVersion.cmake
#
# Why a script and not cargo-c: cargo-c writes the same library names and a .pc file, but no
# CMake package, and it is one more tool to build and install. This uses only cargo and the
# templates in cxm-ffi/install/, and names the library by cargo-c's rule (0.x: libcxm.so.0.MINOR).
# Needs Rust and binutils (objdump and strip, which come with gcc).
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi
case $1 in
  /*) prefix=$1 ;;
  *) prefix=$PWD/$1 ;;
esac
prefix=${prefix%/}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# One build, which also reports what the static library needs from the system.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
CARGO_TERM_COLOR=never cargo rustc --release -p cxm-ffi --lib -- --print native-static-libs 2>&1 |
  tee "$log" >&2
static_libs=$(sed -n 's/^note: native-static-libs: //p' "$log" | tail -n 1)
[ -n "$static_libs" ] || { echo "rustc did not report native-static-libs" >&2; exit 1; }

release="${CARGO_TARGET_DIR:-$root/target}/release"
id=$(cargo pkgid -p cxm-ffi)
version=${id##*[#@]}
major=${version%%.*}
minor=${version#*.}
minor=${minor%%.*}
soname=$(objdump -p "$release/libcxm.so" | awk '$1 == "SONAME" {print $2}')
[ -n "$soname" ] || { echo "libcxm.so has no soname (see cxm-ffi/build.rs)" >&2; exit 1; }
library=libcxm.so.$version

dest=${DESTDIR:-}$prefix
install -d "$dest/include" "$dest/lib/pkgconfig" "$dest/lib/cmake/cxm"
install -m 644 include/cxm.h "$dest/include/cxm.h"
install -m 755 "$release/libcxm.so" "$dest/lib/$library"
ln -sfn "$library" "$dest/lib/$soname"
ln -sfn "$soname" "$dest/lib/libcxm.so"
install -m 644 "$release/libcxm.a" "$dest/lib/libcxm.a"
# The release profile strips what cargo links (the .so); a static library is not linked, and
# the standard library's objects in it keep their debug info (49 MB) unless stripped here.
strip --strip-debug "$dest/lib/libcxm.a"

# @NAME@ in a template becomes the value given.
fill() {
  local template=$1 out=$2
  shift 2
  local expr=()
  while [ $# -gt 0 ]; do
    expr+=(-e "s|@$1@|$2|g")
    shift 2
  done
  sed "${expr[@]}" "cxm-ffi/install/$template" > "$out"
  if grep -n '@[A-Z_]*@' "$out"; then
    echo "$out: a placeholder was left unfilled" >&2
    exit 1
  fi
}
fill cxm.pc.in "$dest/lib/pkgconfig/cxm.pc" PREFIX "$prefix" VERSION "$version" \
  STATIC_LIBS "$static_libs"
fill cxmConfig.cmake.in "$dest/lib/cmake/cxm/cxmConfig.cmake" LIBRARY "$library" \
  SONAME "$soname" STATIC_LIBS_LIST "${static_libs// /;}"
fill cxmConfigVersion.cmake.in "$dest/lib/cmake/cxm/cxmConfigVersion.cmake" VERSION "$version" \
  VERSION_MAJOR "$major" VERSION_MINOR "$minor"
echo "installed cxm $version ($soname) into $dest"

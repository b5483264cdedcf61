#!/usr/bin/env bash
# Regenerates include/cxm.h with the pinned cbindgen (installed into .tools/ on first use).
# With --check, fails instead when the checked-in header differs from what cbindgen writes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=0.29.4
cbindgen="$root/.tools/bin/cbindgen"
if ! grep -qx "cbindgen $version" <<<"$("$cbindgen" --version 2>/dev/null)"; then
  cargo install --quiet --locked --version "$version" --root "$root/.tools" cbindgen
fi
if [ "${1:-}" = "--check" ]; then
  fresh=$(mktemp)
  trap 'rm -f "$fresh"' EXIT
  "$cbindgen" --quiet --config cxm-ffi/cbindgen.toml --crate cxm-ffi --output "$fresh"
  if ! diff -u include/cxm.h "$fresh"; then
    echo "include/cxm.h is out of date: run scripts/header.sh and commit it" >&2
    exit 1
  fi
  echo "include/cxm.h is up to date"
else
  "$cbindgen" --quiet --config cxm-ffi/cbindgen.toml --crate cxm-ffi --output include/cxm.h
fi

#!/usr/bin/env bash
# Fails when core/ or sim/ use <cassert>: assert() vanishes under NDEBUG, so an
# invariant checked that way is not checked in the Release build users run.
# SLUICE_CHECK (core/check.h) stays on and prints the seed and virtual time.
# static_assert is compile-time and allowed.
set -uo pipefail
root="${1:-$(dirname "$0")/..}"
cd "$root"
pattern='#[[:space:]]*include[[:space:]]*<(cassert|assert\.h)>|(^|[^_[:alnum:]])assert[[:space:]]*\('
hits=$(grep -rnE "$pattern" core sim --include='*.h' --include='*.hpp' --include='*.cc' --include='*.cpp')
if [ -n "$hits" ]; then
  echo "check lint: assert() in core/ or sim/ (use SLUICE_CHECK from core/check.h, which stays on in Release):"
  echo "$hits"
  exit 1
fi
echo "check lint: clean ($(grep -rlE . core sim --include='*.h' --include='*.cc' | wc -l) files)"

#!/usr/bin/env bash
# tools/build.sh release|test [cmake args...]: configure (once) and build.
# The Release build (build/release) and the test build (build/test: -O1 with
# assertions) live apart, so switching between them never rebuilds the other.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
shift || true
case "$kind" in
  release) dir=build/release; type=Release ;;
  test) dir=build/test; type=Debug ;;
  asan) dir=build/asan; type=Debug; set -- -DSLUICE_SANITIZE=ON "$@" ;;
  *) echo "usage: tools/build.sh release|test|asan [cmake args...]" >&2; exit 2 ;;
esac
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" "$@" >/dev/null
fi
# SLUICE_BUILD_TARGETS="sluice ..." builds just those (the demo needs only the CLI).
cmake --build "$dir" -j "$(nproc)" ${SLUICE_BUILD_TARGETS:+--target $SLUICE_BUILD_TARGETS}

#!/usr/bin/env bash
# Quick start 2: set up, build the test build and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
# A skipped test fails the run: setup installed every tool the tests need.
export SLUICE_FAIL_ON_SKIP=1
tools/build.sh "${SLUICE_TEST_BUILD:-test}"
cd "build/${SLUICE_TEST_BUILD:-test}"
ctest --output-on-failure -j "$(nproc)"

#!/usr/bin/env bash
# Rewrites tests/golden/trace_hashes.json (the pinned trace_hash of every
# shipped scenario for seeds 1 to 3) from the current code. Run it when a
# change is meant to alter runs, and explain the changed hashes in the commit.
set -euo pipefail
cd "$(dirname "$0")/.."
SLUICE_BUILD_TARGETS=sim_test tools/build.sh test
SLUICE_UPDATE_GOLDEN=1 build/test/tests/sim_test --gtest_filter='GoldenTraceHash.EveryShippedScenarioRunsAsPinned'
git --no-pager diff --stat -- tests/golden/trace_hashes.json 2>/dev/null || true

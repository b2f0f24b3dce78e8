#!/usr/bin/env bash
# Quick start 1: set up, build (Release) and run the demo scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
SLUICE_BUILD_TARGETS=sluice tools/build.sh release
build/release/sim/sluice run scenarios/basics/slow_consumer.json "$@"

#!/usr/bin/env bash
# tools/bench_explore.sh [options]: runs to the first failure per exploration
# mode, for (defect, scenario) pairs (README "Benchmark: exploration modes").
#
#   --pairs FILE   lines "DEFECT SCENARIO.json" (default: tools/bench_explore_pairs.txt)
#   --roots R      independent root seeds per pair for guided mode (default 20)
#   --cap C        runs per root before a guided search counts as censored (default 10000)
#   --long L       seeds in the one long sweep each memoryless mode is estimated from (default 1000)
#   --jobs J       parallel runs (default 2)
#   --sluice BIN   the binary (default build/release/sim/sluice, else build/test/sim/sluice)
#   --out DIR      where sweeps and results.json go (default runs/bench-explore)
#
# Memoryless modes (plain: the scenario without its swarm; swarm; pct:
# --strategy pct; perturb: --perturb) are estimated from one long sweep's
# failure rate p: runs to first failure is geometric, median
# ceil(ln 0.5 / ln(1-p)), p90 ceil(ln 0.1 / ln(1-p)), hit rate within the cap
# 1-(1-p)^cap. Guided mode (--explore guided) is restarted from each root
# seed: real runs to first failure, censored at the cap.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 tools/bench_explore.py "$@"

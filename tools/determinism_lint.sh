#!/usr/bin/env bash
# Fails when code that runs inside a simulation (core/, sim/) reaches for a
# source of nondeterminism: a wall clock, OS threads, std::random_device,
# std:: distributions, std::hash or rand(). A line that is truly outside any
# simulation (the sweep's thread pool, wall_ms) says so with 'determinism-ok'.
set -uo pipefail
root="${1:-$(dirname "$0")/..}"
cd "$root"
pattern='std::random_device|std::(uniform_int|uniform_real|normal|exponential|poisson|bernoulli|lognormal|geometric|discrete|piecewise_constant|gamma|weibull|cauchy|chi_squared|student_t|binomial|negative_binomial|extreme_value|fisher_f)_distribution|std::(chrono::)?(system_clock|steady_clock|high_resolution_clock)|[^a-z_]rand\(|srand\(|std::hash<|std::thread|std::jthread|std::async|this_thread::sleep|gettimeofday|clock_gettime|time\(NULL\)|time\(nullptr\)|pthread_create'
hits=$(grep -rnE "$pattern" core sim --include='*.h' --include='*.hpp' --include='*.cc' --include='*.cpp' | grep -v 'determinism-ok')
if [ -n "$hits" ]; then
  echo "determinism lint: sources of nondeterminism in core/ or sim/:"
  echo "$hits"
  exit 1
fi
echo "determinism lint: clean ($(grep -rlE . core sim --include='*.h' --include='*.cc' | wc -l) files)"

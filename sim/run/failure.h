// How a run failed its expectations, classified once for every tool that
// compares failures (sweep groups them, shrink keeps one reproducing).
#pragma once

#include <string>
#include <vector>

#include "sim/run/runner.h"
#include "sim/scenario/scenario.h"

namespace sluice {

struct Failure {
  std::string invariant;  // the broken expectation's invariant, or the outcome for a deadlock/error
  std::string first;      // its first violation's text
  std::string signature;  // failure_signature(invariant, first)
};

// Every failing expectation in report order; empty when the run was ok.
std::vector<Failure> failures_of(const ExpectSpec& expect, const RunReport& report);

// The shape of a failure: the broken invariant and its first violation with
// every number replaced by '#', so seeds failing the same way group together.
std::string failure_signature(const std::string& invariant, const std::string& first_violation);

}  // namespace sluice

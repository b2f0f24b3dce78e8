#include "sim/run/expectations.h"

#include <algorithm>

namespace sluice {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool judged(const std::vector<std::pair<std::string, Verdict>>& invariants, const std::string& name) {
  return std::any_of(invariants.begin(), invariants.end(), [&](const auto& entry) { return entry.first == name; });
}

}  // namespace

std::vector<std::string> expectation_failures(const ExpectSpec& expect, RunOutcome outcome,
                                              const std::string& outcome_message,
                                              const std::vector<std::pair<std::string, Verdict>>& invariants,
                                              bool strict) {
  std::vector<std::string> failures;
  // A deadlock is a progress failure: not a failure of its own when the
  // scenario expects progress to break.
  const bool deadlock_expected = outcome == RunOutcome::deadlock && contains(expect.violate, "progress");
  if ((outcome == RunOutcome::deadlock && !deadlock_expected) || outcome == RunOutcome::fiber_error ||
      outcome == RunOutcome::event_limit || outcome == RunOutcome::budget_exhausted) {
    failures.push_back(std::string("the run ended in ") + outcome_name(outcome) + ": " + outcome_message);
  }
  for (const auto& [name, verdict] : invariants) {
    if (contains(expect.hold, name) && !verdict.ok()) {
      failures.push_back(name + " was expected to hold but broke: " + verdict.first);
    }
    if (contains(expect.violate, name) && verdict.ok()) failures.push_back(name + " was expected to be violated but held");
    if (strict && verdict.vacuous) {
      failures.push_back(name + " was expected to hold but checked nothing (vacuous, and --strict is on)");
    }
  }
  for (const std::string& name : expect.hold) {
    if (!judged(invariants, name)) failures.push_back(name + " was expected to hold but was not judged");
  }
  for (const std::string& name : expect.violate) {
    if (!judged(invariants, name)) failures.push_back(name + " was expected to be violated but was not judged");
  }
  return failures;
}

void mark_vacuous(const ExpectSpec& expect, std::vector<std::pair<std::string, Verdict>>& invariants) {
  for (auto& [name, verdict] : invariants) {
    if (!contains(expect.hold, name) || verdict.checked != 0 || !verdict.ok()) continue;
    verdict.vacuous = verdict.applicable || expect.hold_listed;
  }
}

}  // namespace sluice

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
                                              const std::vector<std::pair<std::string, Verdict>>& invariants) {
  std::vector<std::string> failures;
  if (outcome == RunOutcome::deadlock || outcome == RunOutcome::fiber_error || outcome == RunOutcome::event_limit) {
    failures.push_back(std::string("the run ended in ") + outcome_name(outcome) + ": " + outcome_message);
  }
  for (const auto& [name, verdict] : invariants) {
    if (contains(expect.hold, name) && !verdict.ok()) {
      failures.push_back(name + " was expected to hold but broke: " + verdict.first);
    }
    if (contains(expect.violate, name) && verdict.ok()) failures.push_back(name + " was expected to be violated but held");
  }
  for (const std::string& name : expect.hold) {
    if (!judged(invariants, name)) failures.push_back(name + " was expected to hold but was not judged");
  }
  for (const std::string& name : expect.violate) {
    if (!judged(invariants, name)) failures.push_back(name + " was expected to be violated but was not judged");
  }
  return failures;
}

}  // namespace sluice

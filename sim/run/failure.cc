#include "sim/run/failure.h"

#include <algorithm>
#include <cctype>

namespace sluice {
namespace {
bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace

std::vector<Failure> failures_of(const ExpectSpec& expect, const RunReport& report) {
  std::vector<Failure> failures;
  if (report.ok) return failures;
  for (const auto& [name, verdict] : report.invariants) {
    bool broke = listed(expect.hold, name) && !verdict.ok();
    bool missed = listed(expect.violate, name) && verdict.ok();
    bool vacuous = report.strict && verdict.vacuous;
    if (!broke && !missed && !vacuous) continue;
    std::string first = broke    ? verdict.first
                        : missed ? name + " was expected to be violated but held"
                                 : name + " was expected to hold but checked nothing (vacuous, --strict)";
    failures.push_back(Failure{name, first, failure_signature(name, first)});
  }
  if (failures.empty()) {  // a deadlock or an error, not an invariant
    std::string invariant = outcome_name(report.outcome);
    std::string first = report.expectation_failures.empty() ? "" : report.expectation_failures.front();
    failures.push_back(Failure{invariant, first, failure_signature(invariant, first)});
  }
  return failures;
}

std::string failure_signature(const std::string& invariant, const std::string& first_violation) {
  std::string shape;
  bool in_number = false;
  for (char c : first_violation) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (!in_number) shape += '#';
      in_number = true;
    } else {
      shape += c;
      in_number = false;
    }
  }
  return invariant + ": " + shape;
}

}  // namespace sluice

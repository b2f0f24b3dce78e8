// What a checker reports about one invariant over one run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/check/explanation.h"

namespace sluice {

struct Verdict {
  bool applicable = true;      // false: the run had nothing this invariant speaks about
  std::uint64_t checked = 0;   // how many things were checked
  std::uint64_t violations = 0;
  std::string first;           // the first violation, with the context to find it
  std::string note;            // e.g. why it was not applicable
  std::vector<std::string> context;  // what happened to the same key just before the first violation
  bool vacuous = false;        // expected to hold but checked nothing (set by the runner)
  Explanation explanation;           // the first violation's causal story (sim/check/explain/)
  std::vector<Explanation> explanations;  // the first N violations' (run --explain N), the first included

  bool ok() const { return violations == 0; }
  // Keeps the first violation's text; counts the rest.
  void violate(std::string text) {
    if (violations++ == 0) first = std::move(text);
  }
};

}  // namespace sluice

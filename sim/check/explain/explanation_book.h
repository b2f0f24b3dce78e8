// The explanations of each invariant's first violations, kept as the run
// goes (the causal log forgets, so a violation is explained when it happens).
// The checkers' subscribers write here; the runner attaches them to the
// verdicts at the end (History::attach_explanations).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/check/explanation.h"
#include "sim/check/verdict.h"

namespace sluice {

class ExplanationBook {
 public:
  // Explain the first `n` violations of each invariant, not only the first (--explain N).
  void set_count(std::uint64_t n) { count_ = std::max<std::uint64_t>(n, 1); }
  std::uint64_t count() const { return count_; }

  // Keeps the explanations of the first count() violations of `invariant`:
  // `build` runs only when `verdict` has a violation not yet explained.
  // `invariant` is a literal: no string is built unless there is something to explain.
  template <typename Build>
  void explain_first(const char* invariant, const Verdict& verdict, Build build) {
    if (verdict.violations == 0 || verdict.violations > count_) return;
    Explained& e = explained_[invariant];
    if (verdict.violations <= e.seen) return;
    e.seen = verdict.violations;
    e.list.push_back(build());
  }
  // The explanations kept for `invariant`, or null.
  const std::vector<Explanation>* find(const std::string& invariant) const {
    auto it = explained_.find(invariant);
    return it == explained_.end() ? nullptr : &it->second.list;
  }

 private:
  struct Explained {
    std::uint64_t seen = 0;  // violations explained or passed over so far
    std::vector<Explanation> list;
  };
  std::map<std::string, Explained> explained_;  // by invariant: its first violations'
  std::uint64_t count_ = 1;
};

}  // namespace sluice

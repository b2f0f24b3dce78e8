// What every checker's subscriber reads besides its own records: the virtual
// clock, the parts' names, the recent history (a first violation's context),
// the causal log (its explanation) and the book the explanations go to. The
// history builds one and hands it to each checker (sim/run/history.h).
#pragma once

#include <string>
#include <vector>

#include "core/runtime/runtime.h"
#include "sim/check/explain/causal_log.h"
#include "sim/check/explain/explanation_book.h"
#include "sim/check/recent_history.h"
#include "sim/check/verdict.h"
#include "sim/watch/part_names.h"

namespace sluice {

struct CheckerContext {
  Runtime& runtime;
  const PartNames& names;
  const RecentHistory& recent;
  const CausalLog& causal;
  ExplanationBook& explanations;

  Nanos now() const { return runtime.now(); }
  // Captures the context of a checker's first violation, once.
  void capture_first(const Verdict& verdict, std::vector<std::string>& context, const Event& event) const {
    if (verdict.violations == 1 && context.empty()) context = recent.context_for(event);
  }
  static Verdict with_context(const Verdict& verdict, const std::vector<std::string>& context) {
    Verdict out = verdict;
    out.context = context;
    return out;
  }
};

}  // namespace sluice

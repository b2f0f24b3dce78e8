// What the explainers say when one of the hard defects (core/pipeline/
// defects.h: each shows only under a rare combination) caused a violation:
// the defect by name and the condition that let it show (the clock set back,
// the broker restart, the late write, the crash between completing and
// committing a checkpoint). Each returns "" when its defect is off or the
// history lacks the evidence, so the explainer's own account stands.
#pragma once

#include <string>
#include <vector>

#include "core/model/event.h"
#include "sim/check/explain/causal_log.h"
#include "sim/check/explanation.h"

namespace sluice {

// no_duplicate_effects, a sink with a deduplication window: the clause for
// the end of the why ("; the sink's deduplication window ... forgot it ...").
std::string clock_eviction_clause(const CausalLog& log, SinkIndex sink);
// no_duplicate_effects: the event was appended twice to a topic partition
// across a broker restart; the why, with the appends and the crash as steps.
std::string volatile_window_why(const CausalLog& log, const std::vector<CausalRecord>& records, EventId event,
                                Explanation& out);
// no_loss, last seen in a worker whose attempt failed: the sink suppressed
// the late write as a repeat (the clause after "and ").
std::string forgotten_gap_words(const CausalLog& log, const CausalRecord& last);
// no_loss, last seen trimmed or fetched: the checkpoint whose commit was not
// driven again after the coordinator's crash (the clause after "and ").
std::string unredriven_commit_words(const CausalLog& log, const CausalRecord& last);

}  // namespace sluice

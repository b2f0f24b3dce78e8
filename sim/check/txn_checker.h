// Exactly-once inside the pipeline: every intermediate topic an exactly-once
// stage writes to holds, read committed, each upstream event's output once.
// A second committed copy of an event in the same topic (a zombie's
// transaction committed, an aborted one read as committed, a replay whose
// input offsets were committed apart from its output) is a violation of
// no_duplicate_effects, judged here as the transaction markers resolve the
// records, long before the copy reaches a sink.
//
// Memory: a SequenceSet per topic and source, as the delivery checker keeps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/event.h"
#include "core/pipeline/sequence_set.h"
#include "sim/check/verdict.h"

namespace sluice {

class TxnChecker {
 public:
  // `queue_topic[q]`: the topic of queue q, or `not_a_topic`.
  TxnChecker(std::vector<std::size_t> queue_topic, std::vector<std::string> queue_names, std::size_t sources,
             std::size_t not_a_topic);
  // A marker made `event` visible to read_committed consumers of `queue`.
  // Returns false when the topic already held a committed copy of it.
  bool committed(QueueIndex queue, const Event& event, Nanos now, std::uint64_t writer, std::uint64_t epoch,
                 std::uint64_t txn);
  const Verdict& verdict() const { return verdict_; }

 private:
  std::vector<std::size_t> queue_topic_;
  std::vector<std::string> queue_names_;
  std::size_t not_a_topic_;
  std::vector<std::vector<SequenceSet>> committed_;  // [topic][source]
  Verdict verdict_;
};

// no_duplicate_effects over both the sinks and the intermediate topics:
// counts add up, the first violation is the sinks' if they have one.
Verdict merge_duplicates(const Verdict& sinks, const Verdict& topics);

}  // namespace sluice

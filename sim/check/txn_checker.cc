#include "sim/check/txn_checker.h"

#include <algorithm>

#include "sim/check/delivery_checker.h"

namespace sluice {

TxnChecker::TxnChecker(std::vector<std::size_t> queue_topic, std::vector<std::string> queue_names, std::size_t sources,
                       std::size_t not_a_topic)
    : queue_topic_(std::move(queue_topic)), queue_names_(std::move(queue_names)), not_a_topic_(not_a_topic) {
  std::size_t topics = 0;
  for (std::size_t topic : queue_topic_) {
    if (topic != not_a_topic_) topics = std::max(topics, topic + 1);
  }
  committed_.assign(topics, std::vector<SequenceSet>(sources));
  verdict_.applicable = false;
  verdict_.note = "no transactional topic";
}

bool TxnChecker::committed(QueueIndex queue, const Event& event, Nanos now, std::uint64_t writer, std::uint64_t epoch,
                           std::uint64_t txn) {
  const std::size_t topic = queue < queue_topic_.size() ? queue_topic_[queue] : not_a_topic_;
  if (topic == not_a_topic_ || source_of(event.id) >= committed_[topic].size()) return true;
  verdict_.applicable = true;
  verdict_.note.clear();
  ++verdict_.checked;
  if (committed_[topic][source_of(event.id)].insert(sequence_of(event.id))) return true;
  verdict_.violate(describe_event(event) + " committed a second time in topic partition '" + queue_names_[queue] +
                   "' by worker " + std::to_string(writer & 0xffffffffULL) + " of stage " + std::to_string(writer >> 32) +
                   " in transaction " + std::to_string(txn) + " (epoch " + std::to_string(epoch) + ") at t=" +
                   std::to_string(now) + "ns");
  return false;
}

Verdict merge_duplicates(const Verdict& sinks, const Verdict& topics) {
  if (!topics.applicable) return sinks;
  Verdict out = sinks;
  out.applicable = true;
  out.checked += topics.checked;
  out.violations += topics.violations;
  if (sinks.violations == 0 && topics.violations > 0) out.first = topics.first;
  return out;
}

}  // namespace sluice

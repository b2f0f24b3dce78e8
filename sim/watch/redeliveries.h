// Which fetches are redeliveries: a topic's consumer group taking an event it
// had already fetched from that topic. The progress watch counts them as
// attempts (livelock) and the metrics count them; this subscriber runs before
// both and remembers the verdict on the last Fetched record.
#pragma once

#include <algorithm>
#include <vector>

#include "core/model/records.h"
#include "core/pipeline/sequence_set.h"
#include "sim/watch/part_names.h"

namespace sluice {

class Redeliveries {
 public:
  explicit Redeliveries(const PartNames& names) : names_(names), fetched_(topic_count(names)) {
    for (auto& per_source : fetched_) per_source.resize(names.sources.size());
  }

  void on(const Fetched& rec) {
    const std::size_t topic = names_.queue_topic[rec.partition];
    last_was_redelivery_ = !fetched_[topic][source_of(rec.event.id)].insert(sequence_of(rec.event.id));
  }
  template <typename R>
  void on(const R&) {}

  bool last_was_redelivery() const { return last_was_redelivery_; }

 private:
  static std::size_t topic_count(const PartNames& names) {
    std::size_t count = 0;
    for (std::size_t topic : names.queue_topic) {
      if (topic != PartNames::kNotATopic) count = std::max(count, topic + 1);
    }
    return count;
  }

  const PartNames& names_;
  std::vector<std::vector<SequenceSet>> fetched_;  // [topic][source]: events the topic's group took
  bool last_was_redelivery_ = false;
};

}  // namespace sluice

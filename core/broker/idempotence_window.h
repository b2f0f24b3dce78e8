// What a partition remembers to recognise an idempotent producer's retry:
// per producer (the event's source, source_of(id)), the sequence numbers of
// its most recent `per_producer` appends to this partition and their
// offsets. A retried produce whose sequence number is still in the window
// was appended already; one arriving after more than `per_producer` newer
// appends from the same producer to the same partition is not recognised
// and is appended again (as Kafka recognises only the last 5 in-flight
// batches of a producer).
//
// Not modelled: producer ids and epochs (a restarted source keeps its
// identity: event ids are unique per run) and Kafka's sequence-gap errors
// (an out-of-order sequence number is accepted: several senders may race).
// Memory: at most per_producer entries per producer, whatever the run length.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "core/model/event.h"
#include "core/model/recent_ids.h"

namespace sluice {

class IdempotenceWindow {
 public:
  // REQUIRES: per_producer >= 1.
  explicit IdempotenceWindow(std::uint64_t per_producer) : per_producer_(per_producer) {}

  // The offset the event was appended at, if it is in its producer's window.
  std::optional<std::uint64_t> offset_of(EventId id) const {
    auto producer = producers_.find(source_of(id));
    if (producer == producers_.end()) return std::nullopt;
    const std::uint64_t* offset = producer->second.find(sequence_of(id));
    return offset ? std::optional<std::uint64_t>(*offset) : std::nullopt;
  }
  void appended(EventId id, std::uint64_t offset) {
    auto producer = producers_.try_emplace(source_of(id), per_producer_).first;
    producer->second.insert(sequence_of(id), offset);
  }
  void clear() { producers_.clear(); }

 private:
  std::uint64_t per_producer_;
  std::map<SourceIndex, RecentIds<std::uint64_t>> producers_;
};

}  // namespace sluice

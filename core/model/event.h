// An event flowing through the pipeline, and the small ids that name the
// pipeline's parts. Ids are dense indices assigned by whoever builds the
// topology, so observers can keep per-part state in plain vectors.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace sluice {

using SourceIndex = std::uint32_t;
using QueueIndex = std::uint32_t;
using StageIndex = std::uint32_t;
using SinkIndex = std::uint32_t;

// Unique per run: the source in the top bits, its sequence number below.
using EventId = std::uint64_t;
inline constexpr int kSequenceBits = 40;
constexpr EventId make_event_id(SourceIndex source, std::uint64_t sequence) {
  return (static_cast<EventId>(source) << kSequenceBits) | sequence;
}
constexpr SourceIndex source_of(EventId id) { return static_cast<SourceIndex>(id >> kSequenceBits); }
constexpr std::uint64_t sequence_of(EventId id) { return id & ((EventId{1} << kSequenceBits) - 1); }

struct Event {
  EventId id = 0;
  std::uint64_t key = 0;
  Nanos emitted_at = 0;
  std::uint32_t size_bytes = 0;
  std::uint8_t priority = 0;  // higher is more important; shed lowest first
};

}  // namespace sluice

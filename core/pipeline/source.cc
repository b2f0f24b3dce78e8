#include "core/pipeline/source.h"

#include <algorithm>
#include <cmath>

namespace sluice {

Source::Source(Runtime& runtime, Observer& observer, SourceConfig config, Inlet& target)
    : runtime_(runtime),
      observer_(observer),
      config_(std::move(config)),
      target_(target),
      rng_(runtime.stream("source/" + config_.name)) {}

void Source::install() {
  runtime_.on_node_start(config_.node, [this] {
    runtime_.spawn(config_.node, "source " + config_.name, [this] { emit_all(); });
  });
}

void Source::emit_all() {
  while (next_sequence_ < config_.count) {
    runtime_.sleep_for(next_gap());
    Event event = make_event(next_sequence_++);
    observer_.produced(config_.index, event);
    if (target_.offer(event) == OfferResult::accepted) observer_.acked(config_.index, event);
  }
  observer_.source_finished(config_.index);
}

Nanos Source::next_gap() {
  double gap = config_.interarrival_ns.sample(rng_);
  for (const Burst& burst : config_.bursts) {
    if (runtime_.now() >= burst.start && runtime_.now() < burst.end) gap /= burst.factor;
  }
  return static_cast<Nanos>(gap);
}

Event Source::make_event(std::uint64_t sequence) {
  Event event;
  event.id = make_event_id(config_.index, sequence);
  event.key = static_cast<std::uint64_t>(std::max(0.0, config_.key.sample(rng_) + static_cast<double>(config_.key_offset)));
  event.emitted_at = runtime_.now();
  event.size_bytes = static_cast<std::uint32_t>(std::clamp(config_.size_bytes.sample(rng_), 0.0, 4.0e9));
  event.priority = static_cast<std::uint8_t>(std::clamp(config_.priority.sample(rng_), 0.0, 255.0));
  return event;
}

}  // namespace sluice

#include "sim/run/part_places.h"

namespace sluice {
namespace {

std::string dedup_words(const SinkDedupConfig& dedup) {
  if (dedup.window > 0) return "a deduplication window of the last " + std::to_string(dedup.window) + " event ids";
  if (dedup.idempotent) return "idempotent writes (an upsert by event id)";
  return "";
}

}  // namespace

PartPlaces part_places(const Scenario& scenario) {
  PartPlaces p;
  for (const SourceSpec& s : scenario.sources) {
    p.sources.push_back(s.id);
    p.source_nodes.push_back(s.node);
  }
  // Queues in the core's order: buffers, then each topic's partitions.
  for (const BufferSpec& b : scenario.buffers) {
    p.queues.push_back(b.id);
    p.queue_nodes.push_back(b.node);
    p.queue_is_log.push_back(false);
  }
  for (const TopicSpec& t : scenario.topics) {
    for (std::uint32_t i = 0; i < t.config.partitions; ++i) {
      p.queues.push_back(t.id + "/" + std::to_string(i));
      p.queue_nodes.push_back(t.node);
      p.queue_is_log.push_back(true);
    }
  }
  for (const StageSpec& s : scenario.stages) {
    p.stages.push_back(s.id);
    p.worker_nodes.push_back(s.workers);
  }
  for (const SinkSpec& s : scenario.sinks) {
    p.sinks.push_back(s.id);
    p.sink_nodes.push_back(s.node);
    p.sink_dedup.push_back(dedup_words(s.dedup));
  }
  // Each implemented defect the scenario enables (enabling it again changes nothing).
  for (std::string_view name : implemented_defect_names()) {
    Defects probe = scenario.defects;
    if (enable_defect(probe, name) && probe == scenario.defects) p.defects.emplace_back(name);
  }
  p.delivery = delivery_mode_name(scenario.delivery);
  return p;
}

}  // namespace sluice

#include "sim/run/history.h"

namespace sluice {

History::History(Runtime& runtime, PartNames names, TraceWriter* trace)
    : runtime_(runtime), names_(std::move(names)), trace_(trace) {
  trace_lines_.bind(trace);
  coverage_.tracker().set_parts(names_.queues, names_.queue_capacities, names_.buffer_queues, names_.stages,
                                names_.queue_consumers);
  drain_.on_drained([this] {
    if (trace_) trace_->part_record("drained", drain_.drained_at(), "", "");
    if (on_drained_) on_drained_();
  });
}

void History::set_perfetto(PerfettoWriter* perfetto, std::vector<std::string> nodes) {
  perfetto_tracks_.bind(perfetto);
  perfetto_tracks_.records().set_nodes(std::move(nodes));
  perfetto_duplicates_.bind(perfetto);
}

void History::finish(Nanos end) {
  frozen_ = true;
  metrics_.metrics().finish(end);
  scaling_.record().finish(end);
  // The drain judgement's inputs, so that a reader of the trace can judge
  // drains_after_heal on its own.
  if (trace_) {
    trace_->raw_record("end", end,
                       "\"backlog\":" + std::to_string(backlog()) + ",\"sources_finished\":" +
                           (all_sources_finished() ? "true" : "false") + ",\"last_source_finished_ns\":" +
                           std::to_string(last_source_finished_at()) + ",\"quiet_after_ns\":" +
                           std::to_string(quiet_after()) + ",\"drained_ns\":" + std::to_string(drained_at()));
  }
}

}  // namespace sluice

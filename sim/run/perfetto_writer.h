// Streams a run as Chrome Trace Event Format JSON (trace.perfetto.json), which
// ui.perfetto.dev and Chrome DevTools' performance panel open: a counter
// track per queue depth, a slice per event processed on its stage worker's
// track, and fault spans and instants on a track per node.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/event.h"
#include "sim/run/bounded_trace_file.h"

namespace sluice {

class PerfettoWriter {
 public:
  // Names the tracks: one process for the queues, one per stage (a thread per
  // worker), one for the faults (a thread per node).
  // Past `max_bytes` it stops with a "trace truncated" instant; a failed
  // write stops it too, and commit() throws the error (see TraceWriter).
  PerfettoWriter(const std::string& path, const std::vector<std::string>& queues,
                 const std::vector<std::string>& stages, const std::vector<std::size_t>& stage_workers,
                 const std::vector<std::string>& nodes, std::uint64_t max_bytes);

  void queue_depth(QueueIndex queue, Nanos t, std::size_t depth);
  void processed(StageIndex stage, std::uint32_t worker, Nanos start, Nanos end, EventId id, bool aborted);
  void fault_span(std::size_t node, std::string_view kind, Nanos start, Nanos end);
  void fault_instant(std::size_t node, std::string_view what, Nanos t);
  void commit();
  bool truncated() const { return file_.stopped(); }

 private:
  enum Process : int { kQueuesPid = 1, kFaultsPid = 2, kFirstStagePid = 10 };
  // False once the writer stopped: skip the record.
  bool begin_record();
  void write_out();
  void metadata(int pid, int tid, std::string_view kind, std::string_view name);
  void timestamp(std::string_view key, Nanos t);
  void flush_if_large();

  BoundedTraceFile file_;
  std::string buffer_;
  bool first_ = true;
  std::vector<std::string> queue_names_;
  // Depth changes at the same instant collapse into the last value.
  std::vector<Nanos> pending_t_;
  std::vector<std::int64_t> pending_depth_;
};

}  // namespace sluice

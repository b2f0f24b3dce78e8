// Streams a run as Chrome Trace Event Format JSON (trace.perfetto.json), which
// ui.perfetto.dev and Chrome DevTools' performance panel open: a counter
// track per queue depth and per committed offset, a slice per event processed
// on its worker's track ("worker-2 on node w2", with its failed attempts as
// instants), a track per stage for its checkpoints and rebalances, fault
// spans and instants on a track per node, network messages as flow arrows
// between node tracks, and each duplicate effect linked to the first by a flow.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/event.h"
#include "sim/run/bounded_trace_file.h"

namespace sluice {

class PerfettoWriter {
 public:
  // Names the tracks: one process for the queues, one per stage (a thread per
  // worker), one for the faults (a thread per node).
  // Past `max_bytes` it stops with a "trace truncated" instant; a failed
  // write stops it too, and commit() throws the error (see TraceWriter).
  PerfettoWriter(const std::string& path, const std::vector<std::string>& queues,
                 const std::vector<std::string>& stages,
                 const std::vector<std::vector<std::string>>& stage_worker_nodes,
                 const std::vector<std::string>& sinks, const std::vector<std::string>& nodes,
                 std::uint64_t max_bytes);

  void queue_depth(QueueIndex queue, Nanos t, std::size_t depth);
  void processed(StageIndex stage, std::uint32_t worker, Nanos start, Nanos end, EventId id, bool aborted);
  void fault_span(std::size_t node, std::string_view kind, Nanos start, Nanos end);
  void fault_instant(std::size_t node, std::string_view what, Nanos t);
  // A failed attempt, as an instant on the worker's track ("attempt 2 failed: timeout").
  void attempt_failed(StageIndex stage, std::uint32_t worker, Nanos t, EventId id, std::uint32_t attempt,
                      std::string_view reason);
  // A stage-wide moment on the stage's "checkpoints, rebalances" track
  // ("checkpoint 4 completed", "rebalance to generation 3 (2 members)").
  void stage_mark(StageIndex stage, std::string_view what, Nanos t);
  // The committed offset of a topic partition, as a counter track.
  void committed(QueueIndex queue, Nanos t, std::uint64_t offset);
  // One message copy on the wire from node `from` to node `to` (node indexes
  // as given to the constructor): a slice on each node's network track joined
  // by a flow arrow when it arrived; a lost one ends at its sender with the outcome.
  void message(std::size_t from, std::size_t to, std::uint32_t port, Nanos sent, Nanos arrived, bool delivered,
               std::string_view outcome);
  // A duplicate effect at `sink`: the first effect and the repeat, joined by a flow arrow.
  void duplicate(SinkIndex sink, EventId id, Nanos first, Nanos second);
  void commit();
  bool truncated() const { return file_.stopped(); }

 private:
  enum Process : int { kQueuesPid = 1, kFaultsPid = 2, kStageMarksPid = 3, kCommitsPid = 4, kNetworkPid = 5,
                       kSinksPid = 6, kFirstStagePid = 10 };
  // False once the writer stopped: skip the record.
  bool begin_record();
  void write_out();
  void metadata(int pid, int tid, std::string_view kind, std::string_view name);
  void timestamp(std::string_view key, Nanos t);
  void flush_if_large();
  // A short slice (1 ns) that a flow arrow can bind to, and the flow's end of it.
  void tick_slice(int pid, std::size_t tid, std::string_view name, Nanos t);
  void flow(char phase, int pid, std::size_t tid, std::uint64_t id, Nanos t);
  void counter(int pid, std::string_view name, Nanos t, std::string_view key, std::int64_t value);

  BoundedTraceFile file_;
  std::string buffer_;
  bool first_ = true;
  std::vector<std::string> queue_names_;
  std::vector<std::string> node_names_;
  std::uint64_t next_flow_ = 1;
  // Depth changes at the same instant collapse into the last value.
  std::vector<Nanos> pending_t_;
  std::vector<std::int64_t> pending_depth_;
};

}  // namespace sluice

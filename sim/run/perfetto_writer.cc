#include "sim/run/perfetto_writer.h"

#include <stdexcept>

#include "sim/output/json_text.h"

namespace sluice {
namespace {
constexpr std::size_t kFlushBytes = 1 << 20;

}  // namespace

PerfettoWriter::PerfettoWriter(const std::string& path, const std::vector<std::string>& queues,
                               const std::vector<std::string>& stages,
                               const std::vector<std::vector<std::string>>& stage_worker_nodes,
                               const std::vector<std::string>& sinks, const std::vector<std::string>& nodes,
                               std::uint64_t max_bytes)
    : file_(path, max_bytes),
      queue_names_(queues),
      node_names_(nodes),
      pending_t_(queues.size(), -1),
      pending_depth_(queues.size(), 0) {
  buffer_ = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
  metadata(kQueuesPid, 0, "process_name", "queues (depth, events)");
  metadata(kFaultsPid, 0, "process_name", "faults");
  metadata(kStageMarksPid, 0, "process_name", "checkpoints and rebalances");
  metadata(kCommitsPid, 0, "process_name", "committed offsets");
  metadata(kNetworkPid, 0, "process_name", "network messages");
  metadata(kSinksPid, 0, "process_name", "duplicate effects");
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    metadata(kFaultsPid, static_cast<int>(n), "thread_name", nodes[n]);
    metadata(kNetworkPid, static_cast<int>(n), "thread_name", "node " + nodes[n]);
  }
  for (std::size_t k = 0; k < sinks.size(); ++k) metadata(kSinksPid, static_cast<int>(k), "thread_name", "sink " + sinks[k]);
  for (std::size_t s = 0; s < stages.size(); ++s) {
    int pid = kFirstStagePid + static_cast<int>(s);
    metadata(pid, 0, "process_name", "stage " + stages[s]);
    metadata(kStageMarksPid, static_cast<int>(s), "thread_name", "stage " + stages[s]);
    const std::vector<std::string>& workers = stage_worker_nodes[s];
    for (std::size_t w = 0; w < workers.size(); ++w) {
      metadata(pid, static_cast<int>(w), "thread_name", "worker-" + std::to_string(w) + " on node " + workers[w]);
    }
  }
}

bool PerfettoWriter::begin_record() {
  if (file_.stopped()) return false;
  if (!first_) buffer_ += ",\n";
  first_ = false;
  if (file_.full_with(buffer_.size())) {
    file_.stop();
    buffer_ += "{\"ph\":\"i\",\"s\":\"g\",\"pid\":2,\"tid\":0,\"ts\":0,\"name\":\"trace truncated: it reached its "
               "size bound (--trace-max ";
    append_integer(buffer_, file_.max_bytes());
    buffer_ += " bytes); later events are not written\"}";
    return false;
  }
  return true;
}

void PerfettoWriter::write_out() { file_.write(buffer_); }

// Part names are ids restricted to [A-Za-z0-9._-] by the loader: no escaping needed.
void PerfettoWriter::metadata(int pid, int tid, std::string_view kind, std::string_view name) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"M\",\"pid\":";
  append_integer(buffer_, pid);
  buffer_ += ",\"tid\":";
  append_integer(buffer_, tid);
  buffer_ += ",\"name\":\"";
  buffer_ += kind;
  buffer_ += "\",\"args\":{\"name\":\"";
  buffer_ += name;
  buffer_ += "\"}}";
}

// Trace Event timestamps are microseconds; keep nanosecond precision as a fraction.
void PerfettoWriter::timestamp(std::string_view key, Nanos t) {
  buffer_ += ",\"";
  buffer_ += key;
  buffer_ += "\":";
  append_integer(buffer_, t / 1000);
  buffer_ += '.';
  std::int64_t fraction = t % 1000;
  buffer_ += static_cast<char>('0' + fraction / 100);
  buffer_ += static_cast<char>('0' + fraction / 10 % 10);
  buffer_ += static_cast<char>('0' + fraction % 10);
}

void PerfettoWriter::queue_depth(QueueIndex queue, Nanos t, std::size_t depth) {
  if (pending_t_[queue] >= 0 && pending_t_[queue] != t && begin_record()) {
    buffer_ += "{\"ph\":\"C\",\"pid\":1,\"tid\":0,\"name\":\"";
    buffer_ += queue_names_[queue];
    buffer_ += '"';
    timestamp("ts", pending_t_[queue]);
    buffer_ += ",\"args\":{\"depth\":";
    append_integer(buffer_, pending_depth_[queue]);
    buffer_ += "}}";
    flush_if_large();
  }
  pending_t_[queue] = t;
  pending_depth_[queue] = static_cast<std::int64_t>(depth);
}

void PerfettoWriter::processed(StageIndex stage, std::uint32_t worker, Nanos start, Nanos end, EventId id,
                               bool aborted) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"X\",\"pid\":";
  append_integer(buffer_, kFirstStagePid + static_cast<int>(stage));
  buffer_ += ",\"tid\":";
  append_integer(buffer_, worker);
  buffer_ += aborted ? ",\"name\":\"aborted " : ",\"name\":\"event ";
  append_integer(buffer_, source_of(id));
  buffer_ += ':';
  append_integer(buffer_, static_cast<std::int64_t>(sequence_of(id)));
  buffer_ += '"';
  timestamp("ts", start);
  timestamp("dur", end - start);
  buffer_ += '}';
  flush_if_large();
}

void PerfettoWriter::fault_span(std::size_t node, std::string_view kind, Nanos start, Nanos end) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"X\",\"pid\":2,\"tid\":";
  append_integer(buffer_, static_cast<std::int64_t>(node));
  buffer_ += ",\"name\":\"";
  buffer_ += kind;
  buffer_ += '"';
  timestamp("ts", start);
  timestamp("dur", end - start);
  buffer_ += '}';
}

void PerfettoWriter::fault_instant(std::size_t node, std::string_view what, Nanos t) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"i\",\"s\":\"t\",\"pid\":2,\"tid\":";
  append_integer(buffer_, static_cast<std::int64_t>(node));
  buffer_ += ",\"name\":\"";
  buffer_ += what;
  buffer_ += '"';
  timestamp("ts", t);
  buffer_ += '}';
}

void PerfettoWriter::attempt_failed(StageIndex stage, std::uint32_t worker, Nanos t, EventId id, std::uint32_t attempt,
                                    std::string_view reason) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"i\",\"s\":\"t\",\"pid\":";
  append_integer(buffer_, kFirstStagePid + static_cast<int>(stage));
  buffer_ += ",\"tid\":";
  append_integer(buffer_, worker);
  buffer_ += ",\"name\":\"attempt ";
  append_integer(buffer_, attempt);
  buffer_ += " failed: ";
  buffer_ += reason;
  buffer_ += " (event ";
  append_integer(buffer_, source_of(id));
  buffer_ += ':';
  append_integer(buffer_, static_cast<std::int64_t>(sequence_of(id)));
  buffer_ += ")\"";
  timestamp("ts", t);
  buffer_ += '}';
  flush_if_large();
}

void PerfettoWriter::stage_mark(StageIndex stage, std::string_view what, Nanos t) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"i\",\"s\":\"t\",\"pid\":3,\"tid\":";
  append_integer(buffer_, stage);
  buffer_ += ",\"name\":\"";
  buffer_ += what;
  buffer_ += '"';
  timestamp("ts", t);
  buffer_ += '}';
  flush_if_large();
}

void PerfettoWriter::counter(int pid, std::string_view name, Nanos t, std::string_view key, std::int64_t value) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"C\",\"pid\":";
  append_integer(buffer_, pid);
  buffer_ += ",\"tid\":0,\"name\":\"";
  buffer_ += name;
  buffer_ += '"';
  timestamp("ts", t);
  buffer_ += ",\"args\":{\"";
  buffer_ += key;
  buffer_ += "\":";
  append_integer(buffer_, value);
  buffer_ += "}}";
  flush_if_large();
}

void PerfettoWriter::committed(QueueIndex queue, Nanos t, std::uint64_t offset) {
  counter(kCommitsPid, "commit " + queue_names_[queue], t, "offset", static_cast<std::int64_t>(offset));
}

void PerfettoWriter::tick_slice(int pid, std::size_t tid, std::string_view name, Nanos t) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"X\",\"pid\":";
  append_integer(buffer_, pid);
  buffer_ += ",\"tid\":";
  append_integer(buffer_, static_cast<std::int64_t>(tid));
  buffer_ += ",\"name\":\"";
  buffer_ += name;
  buffer_ += '"';
  timestamp("ts", t);
  buffer_ += ",\"dur\":0.001}";
}

// Flow v1: "s" binds to the slice enclosing it on its track, "f" (binding
// point "e") to the slice enclosing its end: both are the tick slices above.
void PerfettoWriter::flow(char phase, int pid, std::size_t tid, std::uint64_t id, Nanos t) {
  if (!begin_record()) return;
  buffer_ += "{\"ph\":\"";
  buffer_ += phase;
  buffer_ += "\",\"cat\":\"flow\",\"name\":\"flow\",\"id\":";
  append_integer(buffer_, static_cast<std::int64_t>(id));
  buffer_ += ",\"pid\":";
  append_integer(buffer_, pid);
  buffer_ += ",\"tid\":";
  append_integer(buffer_, static_cast<std::int64_t>(tid));
  if (phase == 'f') buffer_ += ",\"bp\":\"e\"";
  timestamp("ts", t);
  buffer_ += '}';
}

void PerfettoWriter::message(std::size_t from, std::size_t to, std::uint32_t port, Nanos sent, Nanos arrived,
                             bool delivered, std::string_view outcome) {
  if (from >= node_names_.size() || to >= node_names_.size()) return;
  const std::string where = node_names_[to] + ":" + std::to_string(port);
  if (!delivered) {
    tick_slice(kNetworkPid, from, "lost (" + std::string(outcome) + ") to " + where, sent);
    return;
  }
  const std::uint64_t id = next_flow_++;
  tick_slice(kNetworkPid, from, "send to " + where, sent);
  flow('s', kNetworkPid, from, id, sent);
  tick_slice(kNetworkPid, to, "receive from " + node_names_[from] + " on port " + std::to_string(port), arrived);
  flow('f', kNetworkPid, to, id, arrived);
  flush_if_large();
}

void PerfettoWriter::duplicate(SinkIndex sink, EventId id, Nanos first, Nanos second) {
  const std::string event = std::to_string(source_of(id)) + ":" + std::to_string(sequence_of(id));
  const std::uint64_t flow_id = next_flow_++;
  tick_slice(kSinksPid, sink, "effect " + event, first);
  flow('s', kSinksPid, sink, flow_id, first);
  tick_slice(kSinksPid, sink, "duplicate effect " + event, second);
  flow('f', kSinksPid, sink, flow_id, second);
  flush_if_large();
}

void PerfettoWriter::flush_if_large() {
  if (buffer_.size() >= kFlushBytes) write_out();
}

void PerfettoWriter::commit() {
  // The last depth of each queue is still pending.
  for (QueueIndex q = 0; q < queue_names_.size(); ++q) {
    if (pending_t_[q] >= 0) queue_depth(q, pending_t_[q] + 1, 0);
  }
  buffer_ += "\n]}\n";
  write_out();
  file_.commit();
}

}  // namespace sluice

#include "sim/run/perfetto_writer.h"

#include <stdexcept>

#include "sim/output/json_text.h"

namespace sluice {
namespace {
constexpr std::size_t kFlushBytes = 1 << 20;

}  // namespace

PerfettoWriter::PerfettoWriter(const std::string& path, const std::vector<std::string>& queues,
                               const std::vector<std::string>& stages, const std::vector<std::size_t>& stage_workers,
                               const std::vector<std::string>& nodes, std::uint64_t max_bytes)
    : file_(path, max_bytes), queue_names_(queues), pending_t_(queues.size(), -1), pending_depth_(queues.size(), 0) {
  buffer_ = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
  metadata(kQueuesPid, 0, "process_name", "queues (depth, events)");
  metadata(kFaultsPid, 0, "process_name", "faults");
  for (std::size_t n = 0; n < nodes.size(); ++n) metadata(kFaultsPid, static_cast<int>(n), "thread_name", nodes[n]);
  for (std::size_t s = 0; s < stages.size(); ++s) {
    int pid = kFirstStagePid + static_cast<int>(s);
    metadata(pid, 0, "process_name", "stage " + stages[s]);
    for (std::size_t w = 0; w < stage_workers[s]; ++w) {
      metadata(pid, static_cast<int>(w), "thread_name", "worker " + std::to_string(w));
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

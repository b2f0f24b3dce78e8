// Streams the history to trace.jsonl, one JSON object per line, as it
// happens: the full history is never held in memory.
//
// The first line is a header naming the run (scenario, seed, the binary);
// the last is a footer with the trace_hash. Past `max_bytes` the writer stops
// with a "truncated" record, so a run that never ends cannot fill the disk.
// A write that fails (a full disk) stops the writer too, since it runs inside
// simulation fibers where it must not throw; commit() then throws the error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/model/event.h"
#include "sim/run/bounded_trace_file.h"

namespace sluice {

// Where a trace's lines go instead of a file: the live visualizer's event log
// writes the line of a record it kept only when it shows the row
// (visualizer/live_log.h). Each call is one record, without its newline.
class TraceLineSink {
 public:
  virtual ~TraceLineSink() = default;
  virtual void line(std::string_view record) = 0;
};

class TraceWriter {
 public:
  // `header_fields`: a JSON object body without braces ("scenario":...,"seed":...).
  TraceWriter(const std::string& path, std::string_view header_fields, std::uint64_t max_bytes);
  // The same records, each handed to `sink` as it is written (no file, no size bound).
  TraceWriter(TraceLineSink& sink, std::string_view header_fields);
  ~TraceWriter();

  // {"t":…,"kind":"effect","id":"0:17","key":5,"sink":"db"}, with "reason" when one is given
  void event_record(std::string_view kind, Nanos t, const Event& event, std::string_view part_kind,
                    std::string_view part_name, std::string_view reason = {});
  void queue_record(std::string_view kind, Nanos t, const Event& event, std::string_view queue, std::size_t depth);
  void shed_record(Nanos t, const Event& event, std::string_view queue, std::string_view reason);
  void service_record(std::string_view kind, Nanos t, const Event& event, std::string_view stage,
                      std::uint32_t worker);
  void part_record(std::string_view kind, Nanos t, std::string_view part_kind, std::string_view part_name);
  // A free-form record (faults, heals): `fields` is a JSON object body without braces.
  void raw_record(std::string_view kind, Nanos t, std::string_view fields);

  // Writes the footer and renames the file into place. Throws
  // std::runtime_error naming the file if any write failed.
  void commit(Nanos end, std::string_view trace_hash);
  std::uint64_t records() const { return records_; }
  bool truncated() const { return file_ != nullptr && file_->stopped(); }

 private:
  // False once the writer stopped (size bound or write error): skip the record.
  bool begin(std::string_view kind, Nanos t);
  void field(std::string_view name, std::string_view value);
  void field(std::string_view name, std::uint64_t value);
  void event_fields(const Event& event);
  void end();
  void write_out();
  void header(std::string_view header_fields);

  std::unique_ptr<BoundedTraceFile> file_;  // null: records go to sink_
  TraceLineSink* sink_ = nullptr;
  std::string buffer_;
  std::uint64_t records_ = 0;
};

}  // namespace sluice

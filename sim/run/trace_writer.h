// Streams the history to trace.jsonl, one JSON object per line, as it
// happens: the full history is never held in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/pipeline/event.h"
#include "sim/output/atomic_file.h"

namespace sluice {

class TraceWriter {
 public:
  explicit TraceWriter(const std::string& path);
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

  void commit();
  std::uint64_t records() const { return records_; }

 private:
  void begin(std::string_view kind, Nanos t);
  void field(std::string_view name, std::string_view value);
  void field(std::string_view name, std::uint64_t value);
  void event_fields(const Event& event);
  void end();

  AtomicFileStream stream_;
  std::string buffer_;
  std::uint64_t records_ = 0;
};

}  // namespace sluice

#include "sim/run/trace_writer.h"

#include "sim/output/json_text.h"

namespace sluice {
namespace {
constexpr std::size_t kFlushBytes = 1 << 20;
}  // namespace

TraceWriter::TraceWriter(const std::string& path) : stream_(path) { buffer_.reserve(kFlushBytes + 4096); }

TraceWriter::~TraceWriter() = default;

void TraceWriter::begin(std::string_view kind, Nanos t) {
  buffer_ += "{\"t\":";
  append_integer(buffer_, static_cast<std::uint64_t>(t));
  buffer_ += ",\"kind\":\"";
  buffer_ += kind;
  buffer_ += '"';
}

// Part names are ids restricted to [A-Za-z0-9._-] by the loader: no escaping needed.
void TraceWriter::field(std::string_view name, std::string_view value) {
  buffer_ += ",\"";
  buffer_ += name;
  buffer_ += "\":\"";
  buffer_ += value;
  buffer_ += '"';
}

void TraceWriter::field(std::string_view name, std::uint64_t value) {
  buffer_ += ",\"";
  buffer_ += name;
  buffer_ += "\":";
  append_integer(buffer_, value);
}

void TraceWriter::event_fields(const Event& event) {
  buffer_ += ",\"id\":\"";
  append_integer(buffer_, source_of(event.id));
  buffer_ += ':';
  append_integer(buffer_, sequence_of(event.id));
  buffer_ += '"';
  field("key", event.key);
}

void TraceWriter::end() {
  buffer_ += "}\n";
  ++records_;
  if (buffer_.size() >= kFlushBytes) {
    stream_.write(buffer_);
    buffer_.clear();
  }
}

void TraceWriter::event_record(std::string_view kind, Nanos t, const Event& event, std::string_view part_kind,
                               std::string_view part_name, std::string_view reason) {
  begin(kind, t);
  event_fields(event);
  field(part_kind, part_name);
  if (!reason.empty()) field("reason", reason);
  end();
}

void TraceWriter::queue_record(std::string_view kind, Nanos t, const Event& event, std::string_view queue,
                               std::size_t depth) {
  begin(kind, t);
  event_fields(event);
  field("queue", queue);
  field("depth", depth);
  end();
}

void TraceWriter::shed_record(Nanos t, const Event& event, std::string_view queue, std::string_view reason) {
  begin("shed", t);
  event_fields(event);
  field("queue", queue);
  field("reason", reason);
  end();
}

void TraceWriter::service_record(std::string_view kind, Nanos t, const Event& event, std::string_view stage,
                                 std::uint32_t worker) {
  begin(kind, t);
  event_fields(event);
  field("stage", stage);
  field("worker", worker);
  end();
}

void TraceWriter::part_record(std::string_view kind, Nanos t, std::string_view part_kind, std::string_view part_name) {
  begin(kind, t);
  if (!part_kind.empty()) field(part_kind, part_name);
  end();
}

void TraceWriter::raw_record(std::string_view kind, Nanos t, std::string_view fields) {
  begin(kind, t);
  if (!fields.empty()) {
    buffer_ += ',';
    buffer_ += fields;
  }
  end();
}

void TraceWriter::commit() {
  stream_.write(buffer_);
  buffer_.clear();
  stream_.commit();
}

}  // namespace sluice

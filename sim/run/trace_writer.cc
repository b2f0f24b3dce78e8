#include "sim/run/trace_writer.h"

#include <stdexcept>

#include "sim/output/json_text.h"

namespace sluice {
namespace {
constexpr std::size_t kFlushBytes = 1 << 20;
}  // namespace

TraceWriter::TraceWriter(const std::string& path, std::string_view header_fields, std::uint64_t max_bytes)
    : file_(path, max_bytes) {
  buffer_.reserve(kFlushBytes + 4096);
  // The header is written whatever the bound: it is what names the run.
  buffer_ += "{\"t\":0,\"kind\":\"header\"";
  if (!header_fields.empty()) {
    buffer_ += ',';
    buffer_ += header_fields;
  }
  buffer_ += "}\n";
  ++records_;
}

TraceWriter::~TraceWriter() = default;

bool TraceWriter::begin(std::string_view kind, Nanos t) {
  if (file_.stopped()) return false;
  if (file_.full_with(buffer_.size())) {
    file_.stop();
    buffer_ += "{\"t\":";
    append_integer(buffer_, static_cast<std::uint64_t>(t));
    buffer_ += ",\"kind\":\"truncated\",\"max_bytes\":";
    append_integer(buffer_, file_.max_bytes());
    buffer_ += ",\"why\":\"the trace reached its size bound (--trace-max); later records are not written\"}\n";
    ++records_;
    return false;
  }
  buffer_ += "{\"t\":";
  append_integer(buffer_, static_cast<std::uint64_t>(t));
  buffer_ += ",\"kind\":\"";
  buffer_ += kind;
  buffer_ += '"';
  return true;
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
  if (buffer_.size() >= kFlushBytes) write_out();
}

void TraceWriter::write_out() { file_.write(buffer_); }

void TraceWriter::event_record(std::string_view kind, Nanos t, const Event& event, std::string_view part_kind,
                               std::string_view part_name, std::string_view reason) {
  if (!begin(kind, t)) return;
  event_fields(event);
  field(part_kind, part_name);
  if (!reason.empty()) field("reason", reason);
  end();
}

void TraceWriter::queue_record(std::string_view kind, Nanos t, const Event& event, std::string_view queue,
                               std::size_t depth) {
  if (!begin(kind, t)) return;
  event_fields(event);
  field("queue", queue);
  field("depth", depth);
  end();
}

void TraceWriter::shed_record(Nanos t, const Event& event, std::string_view queue, std::string_view reason) {
  if (!begin("shed", t)) return;
  event_fields(event);
  field("queue", queue);
  field("reason", reason);
  end();
}

void TraceWriter::service_record(std::string_view kind, Nanos t, const Event& event, std::string_view stage,
                                 std::uint32_t worker) {
  if (!begin(kind, t)) return;
  event_fields(event);
  field("stage", stage);
  field("worker", worker);
  end();
}

void TraceWriter::part_record(std::string_view kind, Nanos t, std::string_view part_kind, std::string_view part_name) {
  if (!begin(kind, t)) return;
  if (!part_kind.empty()) field(part_kind, part_name);
  end();
}

void TraceWriter::raw_record(std::string_view kind, Nanos t, std::string_view fields) {
  if (!begin(kind, t)) return;
  if (!fields.empty()) {
    buffer_ += ',';
    buffer_ += fields;
  }
  end();
}

void TraceWriter::commit(Nanos end, std::string_view trace_hash) {
  // The footer is written past the bound too: it is what says the run ended.
  buffer_ += "{\"t\":";
  append_integer(buffer_, static_cast<std::uint64_t>(end));
  buffer_ += ",\"kind\":\"footer\",\"trace_hash\":\"";
  buffer_ += trace_hash;
  buffer_ += "\",\"records\":";
  append_integer(buffer_, records_);
  buffer_ += file_.stopped() ? ",\"truncated\":true}\n" : ",\"truncated\":false}\n";
  write_out();
  file_.commit();
}

}  // namespace sluice

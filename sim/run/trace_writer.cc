#include "sim/run/trace_writer.h"

#include <stdexcept>

#include "sim/output/json_text.h"

namespace sluice {
namespace {
constexpr std::size_t kFlushBytes = 1 << 20;
}  // namespace

TraceWriter::TraceWriter(const std::string& path, std::string_view header_fields, std::uint64_t max_bytes)
    : file_(std::make_unique<BoundedTraceFile>(path, max_bytes)) {
  buffer_.reserve(kFlushBytes + 4096);
  header(header_fields);
}

TraceWriter::TraceWriter(TraceLineSink& sink, std::string_view header_fields) : sink_(&sink) {
  buffer_.reserve(4096);
  header(header_fields);
  write_out();
}

void TraceWriter::header(std::string_view header_fields) {
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
  if (file_ != nullptr && file_->stopped()) return false;
  if (file_ != nullptr && file_->full_with(buffer_.size())) {
    file_->stop();
    buffer_ += "{\"t\":";
    append_integer(buffer_, static_cast<std::uint64_t>(t));
    buffer_ += ",\"kind\":\"truncated\",\"max_bytes\":";
    append_integer(buffer_, file_->max_bytes());
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
  // A sink sees each record as it happens (the live log scrolls with the run).
  if (sink_ != nullptr || buffer_.size() >= kFlushBytes) write_out();
}

void TraceWriter::write_out() {
  if (file_ != nullptr) {
    file_->write(buffer_);
    return;
  }
  // In sink mode the buffer holds whole lines: hand them over one by one.
  std::string_view rest(buffer_);
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    sink_->line(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  buffer_.clear();
}

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
  buffer_ += truncated() ? ",\"truncated\":true}\n" : ",\"truncated\":false}\n";
  write_out();
  if (file_ != nullptr) file_->commit();
}

}  // namespace sluice

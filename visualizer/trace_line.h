// One line of trace.jsonl, read without a JSON library: the trace writer emits
// flat objects of numbers and unescaped strings ({"t":12,"kind":"enqueue",
// "id":"0:5","key":3,"queue":"ingest","depth":4}), and 10^7 of them must be
// scanned in about a second. Nested values (fault records may carry groups)
// are kept as raw text. The views point into the line; keep it alive.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"

namespace sluice::viz {

enum class TraceKind : std::uint8_t {
  produce, ack, enqueue, dequeue, shed, deliver, processed, aborted, effect, source_finished, end,
  fault, heal, commit, checkpoint, restore, scaled, replica, alert, other,
};
inline constexpr std::size_t kTraceKinds = static_cast<std::size_t>(TraceKind::other) + 1;
const char* kind_name(TraceKind kind);
TraceKind kind_from_name(std::string_view name);

struct TraceField {
  std::string_view name;
  std::string_view value;  // a string's contents without quotes, or a number / raw JSON
};

struct TraceRecord {
  Nanos t = -1;
  TraceKind kind = TraceKind::other;
  std::string_view kind_text;
  std::string_view id;        // "source:sequence", empty if none
  bool has_key = false;
  std::int64_t key = 0;
  std::string_view part_kind;  // "queue", "stage", "sink", "source", "target", "node", ...
  std::string_view part;
  // Everything else (depth, worker, reason, ...), in line order.
  std::array<TraceField, 8> extra{};
  std::size_t extra_count = 0;

  // "depth=4 worker=0", for the log's detail column.
  std::string details() const;
};

// Parses one line (without its newline). Returns false if it is not an
// object with a numeric "t"; `out` is then unspecified.
bool parse_trace_line(std::string_view line, TraceRecord& out);

// Only the time, for indexing: the writer always puts "t" first, and the
// fallback handles any other order.
bool trace_line_time(std::string_view line, Nanos& t);

}  // namespace sluice::viz

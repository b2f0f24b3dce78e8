#include "visualizer/trace_line.h"

#include <charconv>

namespace sluice::viz {

namespace {
constexpr std::array<const char*, kTraceKinds> kKindNames = {
    "produce", "ack",    "enqueue", "dequeue", "shed",       "deliver", "processed", "aborted", "effect",
    "source_finished", "end", "fault", "heal", "commit", "checkpoint", "restore", "scaled", "replica", "alert", "other"};

constexpr std::array<std::string_view, 8> kPartFields = {"queue", "stage", "sink", "source",
                                                         "target", "node", "topic", "run"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A cursor over one line; every step checks bounds, a malformed line just fails.
struct Scanner {
  std::string_view s;
  std::size_t i = 0;

  void skip_space() {
    while (i < s.size() && is_space(s[i])) ++i;
  }
  bool eat(char c) {
    skip_space();
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  // A string's contents; escapes are skipped over, not decoded.
  bool string(std::string_view& out) {
    if (!eat('"')) return false;
    const std::size_t start = i;
    while (i < s.size() && s[i] != '"') i += (s[i] == '\\') ? 2 : 1;
    if (i >= s.size()) return false;
    out = s.substr(start, i - start);
    ++i;
    return true;
  }
  // A number, literal, or nested array/object as raw text.
  bool raw(std::string_view& out) {
    skip_space();
    const std::size_t start = i;
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        std::string_view ignored;
        if (!string(ignored)) return false;
        continue;
      }
      if (c == '[' || c == '{') ++depth;
      if (c == ']' || c == '}') {
        if (depth == 0) break;
        --depth;
      }
      if (c == ',' && depth == 0) break;
      ++i;
    }
    std::size_t end = i;
    while (end > start && is_space(s[end - 1])) --end;
    out = s.substr(start, end - start);
    return !out.empty();
  }
};

bool to_int(std::string_view text, std::int64_t& out) {
  auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

}  // namespace

const char* kind_name(TraceKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

TraceKind kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i + 1 < kTraceKinds; ++i) {
    if (name == kKindNames[i]) return static_cast<TraceKind>(i);
  }
  return TraceKind::other;
}

bool parse_trace_line(std::string_view line, TraceRecord& out) {
  out = TraceRecord{};
  Scanner in{line};
  if (!in.eat('{')) return false;
  bool have_t = false;
  if (in.eat('}')) return false;
  do {
    std::string_view name, value;
    if (!in.string(name) || !in.eat(':')) return false;
    in.skip_space();
    const bool quoted = in.i < line.size() && line[in.i] == '"';
    if (quoted ? !in.string(value) : !in.raw(value)) return false;
    if (name == "t" && !quoted) {
      have_t = to_int(value, out.t);
    } else if (name == "kind") {
      out.kind_text = value;
      out.kind = kind_from_name(value);
    } else if (name == "id") {
      out.id = value;
    } else if (name == "key" && !quoted) {
      out.has_key = to_int(value, out.key);
    } else {
      bool is_part = false;
      if (quoted && out.part_kind.empty()) {
        for (std::string_view field : kPartFields) {
          if (name == field) {
            is_part = true;
            break;
          }
        }
      }
      if (is_part) {
        out.part_kind = name;
        out.part = value;
      } else if (out.extra_count < out.extra.size()) {
        out.extra[out.extra_count++] = {name, value};
      }
    }
  } while (in.eat(','));
  return in.eat('}') && have_t;
}

bool trace_line_time(std::string_view line, Nanos& t) {
  constexpr std::string_view kPrefix = "{\"t\":";
  if (line.substr(0, kPrefix.size()) == kPrefix) {
    const char* begin = line.data() + kPrefix.size();
    auto result = std::from_chars(begin, line.data() + line.size(), t);
    if (result.ec == std::errc() && result.ptr != begin) return true;
  }
  TraceRecord record;
  if (!parse_trace_line(line, record)) return false;
  t = record.t;
  return true;
}

std::string TraceRecord::details() const {
  std::string out;
  for (std::size_t i = 0; i < extra_count; ++i) {
    if (!out.empty()) out += ' ';
    out += extra[i].name;
    out += '=';
    out += extra[i].value;
  }
  return out;
}

}  // namespace sluice::viz

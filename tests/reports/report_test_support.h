// Shared by the reports tests: a strict XML well-formedness checker that
// builds a tiny DOM (the reports emit XHTML-compatible markup so that this is
// possible without an XML library), and synthetic summary/series inputs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::test {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  // decoded values
  int parent = -1;
  std::vector<int> children;
  std::string text;  // decoded character data directly inside, CDATA included
};

// A parsed document, or the first well-formedness error and where it is.
class XmlDocument {
 public:
  explicit XmlDocument(std::string_view text) : text_(text) { parse(); }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::vector<XmlElement>& elements() const { return elements_; }
  const XmlElement& at(int i) const { return elements_[static_cast<std::size_t>(i)]; }
  int root() const { return elements_.empty() ? -1 : 0; }

  std::string attribute(int i, const std::string& name) const {
    auto it = at(i).attributes.find(name);
    return it == at(i).attributes.end() ? "" : it->second;
  }
  bool has_class(int i, const std::string& css) const {
    std::string classes = " " + attribute(i, "class") + " ";
    return classes.find(" " + css + " ") != std::string::npos;
  }
  // Elements named `name` (any when empty) with CSS class `css` (any when
  // empty) inside `scope` (the whole document when -1), in document order.
  std::vector<int> find(const std::string& name, const std::string& css = "", int scope = -1) const {
    std::vector<int> out;
    for (int i = 0; i < static_cast<int>(elements_.size()); ++i) {
      if (!name.empty() && at(i).name != name) continue;
      if (!css.empty() && !has_class(i, css)) continue;
      if (scope >= 0 && !inside(i, scope)) continue;
      out.push_back(i);
    }
    return out;
  }
  bool inside(int i, int ancestor) const {
    for (int p = at(i).parent; p >= 0; p = at(p).parent) {
      if (p == ancestor) return true;
    }
    return false;
  }
  // All character data inside element i, in order.
  std::string text_of(int i) const {
    std::string out = at(i).text;
    for (int c : at(i).children) out += text_of(c);
    return out;
  }

 private:
  void fail(const std::string& what) {
    if (!error_.empty()) return;
    std::size_t line = 1;
    for (std::size_t k = 0; k < pos_ && k < text_.size(); ++k) line += text_[k] == '\n';
    error_ = what + " at line " + std::to_string(line) + " (offset " + std::to_string(pos_) + ")";
  }
  bool starts(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }
  static bool name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }
  static bool name_char(char c) {
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  }
  static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void skip_space() {
    while (pos_ < text_.size() && space(text_[pos_])) ++pos_;
  }
  std::string name() {
    std::size_t start = pos_;
    if (pos_ >= text_.size() || !name_start(text_[pos_])) {
      fail("expected a name");
      return "";
    }
    while (pos_ < text_.size() && name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  // Character data up to the next '<' (or `quote`), with references decoded.
  std::string chars(char quote) {
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '<' && text_[pos_] != quote) {
      char c = text_[pos_];
      if (c == '&') {
        std::size_t end = text_.find(';', pos_);
        if (end == std::string_view::npos || end - pos_ > 10) return fail("bare '&'"), out;
        std::string_view ref = text_.substr(pos_ + 1, end - pos_ - 1);
        static const std::map<std::string_view, char> kNamed = {
            {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
        if (auto it = kNamed.find(ref); it != kNamed.end()) {
          out += it->second;
        } else if (ref.size() > 1 && ref[0] == '#') {
          bool hex = ref[1] == 'x';
          std::string digits(ref.substr(hex ? 2 : 1));
          if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") !=
                                    std::string::npos) {
            return fail("bad character reference &" + std::string(ref) + ";"), out;
          }
          append_utf8(out, static_cast<std::uint32_t>(std::stoul(digits, nullptr, hex ? 16 : 10)));
        } else {
          return fail("unknown entity &" + std::string(ref) + "; (not XML)"), out;
        }
        pos_ = end + 1;
        continue;
      }
      if (quote == 0 && starts("]]>")) return fail("']]>' in text"), out;
      if (static_cast<unsigned char>(c) < 0x20 && !space(c)) return fail("control character"), out;
      out += c;
      ++pos_;
    }
    return out;
  }
  void attributes(XmlElement& e) {
    while (ok()) {
      skip_space();
      if (pos_ >= text_.size()) return fail("unterminated tag");
      if (text_[pos_] == '>' || starts("/>")) return;
      std::size_t before = pos_;
      if (before > 0 && !space(text_[before - 1])) return fail("attributes must be separated by space");
      std::string key = name();
      if (!ok()) return;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '=') return fail("attribute " + key + " without '=' value");
      ++pos_;
      skip_space();
      if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'')) {
        return fail("unquoted value of attribute " + key);
      }
      char quote = text_[pos_++];
      std::string value = chars(quote);
      if (!ok()) return;
      if (pos_ >= text_.size() || text_[pos_] != quote) return fail("'<' in the value of attribute " + key);
      ++pos_;
      if (!e.attributes.emplace(key, value).second) return fail("duplicate attribute " + key);
    }
  }
  void misc() {  // comments and processing instructions
    while (ok()) {
      skip_space();
      if (starts("<!--")) {
        std::size_t end = text_.find("-->", pos_ + 4);
        if (end == std::string_view::npos) return fail("unterminated comment");
        if (text_.substr(pos_ + 4, end - pos_ - 4).find("--") != std::string_view::npos) return fail("'--' in comment");
        pos_ = end + 3;
      } else if (starts("<?")) {
        std::size_t end = text_.find("?>", pos_);
        if (end == std::string_view::npos) return fail("unterminated processing instruction");
        pos_ = end + 2;
      } else {
        return;
      }
    }
  }
  void parse() {
    misc();
    if (starts("<!DOCTYPE")) {
      std::size_t end = text_.find('>', pos_);
      if (end == std::string_view::npos) return fail("unterminated DOCTYPE");
      pos_ = end + 1;
      misc();
    }
    if (!starts("<")) return fail("no root element");
    std::vector<int> open;
    while (ok() && pos_ < text_.size()) {
      if (open.empty() && !elements_.empty()) {
        misc();
        if (pos_ < text_.size()) fail("content after the root element");
        return;
      }
      if (starts("<!--") || starts("<?")) {
        misc();
      } else if (starts("<![CDATA[")) {
        std::size_t end = text_.find("]]>", pos_);
        if (end == std::string_view::npos) return fail("unterminated CDATA");
        if (open.empty()) return fail("CDATA outside the root");
        elements_[static_cast<std::size_t>(open.back())].text += text_.substr(pos_ + 9, end - pos_ - 9);
        pos_ = end + 3;
      } else if (starts("</")) {
        pos_ += 2;
        std::string closing = name();
        skip_space();
        if (!ok()) return;
        if (pos_ >= text_.size() || text_[pos_] != '>') return fail("bad end tag");
        ++pos_;
        if (open.empty() || at(open.back()).name != closing) {
          return fail("</" + closing + "> does not close <" + (open.empty() ? "" : at(open.back()).name) + ">");
        }
        open.pop_back();
      } else if (starts("<")) {
        ++pos_;
        XmlElement e;
        e.name = name();
        attributes(e);
        if (!ok()) return;
        e.parent = open.empty() ? -1 : open.back();
        int index = static_cast<int>(elements_.size());
        if (e.parent >= 0) elements_[static_cast<std::size_t>(e.parent)].children.push_back(index);
        elements_.push_back(std::move(e));
        if (starts("/>")) {
          pos_ += 2;
        } else {
          ++pos_;
          open.push_back(index);
        }
      } else {
        std::string data = chars(0);
        if (open.empty() && data.find_first_not_of(" \t\r\n") != std::string::npos) return fail("text outside root");
        if (!open.empty()) elements_[static_cast<std::size_t>(open.back())].text += data;
      }
    }
    if (ok() && !open.empty()) fail("<" + at(open.back()).name + "> is never closed");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<XmlElement> elements_;
  std::string error_;
};

// A deterministic stand-in for randomness in synthetic inputs.
inline double wobble(std::uint64_t i) {
  std::uint64_t x = (i + 1) * 0x9E3779B97F4A7C15ull;
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 32;
  return static_cast<double>(x % 10000) / 10000.0;
}

struct SyntheticRun {
  int queues = 3;
  int buckets = 512;
  double end_ns = 200e9;
  bool ok = true;
  bool with_faults = false;
  bool with_checkpoints = false;
  bool with_marks = false;  // series.json "marks": a checkpoint, an abort, a rebalance, a restore and two commits
  std::string scenario = "synthetic";
};

inline std::string queue_name(int i) { return "q" + std::to_string(i); }

// A chain source -> q0 -> stage0 -> q1 -> stage1 ... -> sink.
inline nlohmann::json synthetic_summary(const SyntheticRun& r) {
  using nlohmann::json;
  json invariants = json::object();
  for (const char* name : {"no_loss", "no_duplicate_effects", "per_key_order", "checkpoint_consistency",
                           "bounded_queues", "flow_control", "drains_after_heal"}) {
    invariants[name] = {{"ok", true}, {"checked", 10000000}, {"violations", 0}, {"first", nullptr}};
  }
  invariants["flow_control"]["not_applicable"] = "no credit-based consumer in this scenario";
  json failures = json::array();
  if (!r.ok) {
    invariants["no_loss"] = {{"ok", false}, {"checked", 10000000}, {"violations", 3},
                             {"first", "event 41 (key 7) was acked at 1.2s but never reached a sink"}};
    failures.push_back("no_loss was expected to hold but broke: event 41 (key 7) was acked at 1.2s but never "
                       "reached a sink");
  }
  json queues = json::object(), stages = json::object();
  json topo_buffers = json::array(), topo_stages = json::array();
  for (int i = 0; i < r.queues; ++i) {
    double capacity = 64.0 * (i + 1);
    double peak = i == 0 ? capacity : std::floor(capacity * (0.2 + 0.7 * wobble(static_cast<std::uint64_t>(i))));
    queues[queue_name(i)] = {{"capacity", capacity},  {"max_depth", peak},   {"mean_depth", peak / 2},
                             {"arrivals", 10000000},  {"departures", 10000000}, {"shed", 0},
                             {"mean_wait_ns", 2.5e7}, {"arrival_rate_per_s", 50000.0}};
    std::string stage = "stage" + std::to_string(i);
    stages[stage] = {{"processed", 10000000}, {"workers", 2}, {"busy_fraction", 0.3 + 0.69 * wobble(100 + i)},
                     {"throughput_per_s", 50000.0}};
    topo_buffers.push_back({{"id", queue_name(i)}, {"node", "n" + std::to_string(i)}, {"capacity", capacity},
                            {"policy", "block"}});
    std::string to = i + 1 < r.queues ? queue_name(i + 1) : "sink";
    topo_stages.push_back({{"id", stage}, {"from", queue_name(i)}, {"to", to}, {"workers", {"w1", "w2"}}});
  }
  json faults = json::array();
  if (r.with_faults) {
    faults.push_back({{"at_ns", r.end_ns * 0.2}, {"kind", "crash"}, {"target", "worker-1"}, {"end_ns", r.end_ns * 0.25}});
    faults.push_back({{"at_ns", r.end_ns * 0.5}, {"kind", "partition"}, {"target", "broker-1"},
                      {"end_ns", r.end_ns * 0.6}});
    faults.push_back({{"at_ns", r.end_ns * 0.7}, {"kind", "slow"}, {"target", "worker-2"}, {"end_ns", r.end_ns * 0.8},
                      {"factor", 10}});
    faults.push_back({{"at_ns", r.end_ns * 0.9}, {"kind", "pause"}, {"target", "worker-3"}});
  }
  return {
      {"scenario", r.scenario},
      {"file", "scenarios/synthetic.json"},
      {"seed", 42},
      {"strategy", "fifo"},
      {"trace_hash", "0123456789abcdef"},
      {"ok", r.ok},
      {"outcome", "stopped"},
      {"virtual_time_ns", r.end_ns},
      {"events", 123456789},
      {"wall_ms", 85000.5},
      {"invariants", invariants},
      {"expectations", {{"hold", {"no_loss", "no_duplicate_effects", "per_key_order", "bounded_queues"}},
                        {"violate", json::array()},
                        {"failures", failures}}},
      {"counts", {{"produced", 10000000}, {"acked", 10000000}, {"rejected", 0}, {"shed", 0},
                  {"delivered", 10000000}, {"effects", 10000000}, {"duplicates_suppressed", 0},
                  {"redelivered", 0}, {"lost", r.ok ? 0 : 3}}},
      {"queues", queues},
      {"latency_ns", {{"count", 10000000}, {"mean", 2.1e7}, {"p50", 1.8e7}, {"p90", 3.5e7}, {"p99", 6e7},
                      {"max", 1.2e8}, {"relative_error", 0.0078}}},
      {"stages", stages},
      {"faults", faults},
      {"topology", {{"nodes", {"edge"}},
                    {"sources", {{{"id", "orders"}, {"node", "edge"}, {"to", queue_name(0)}}}},
                    {"buffers", topo_buffers},
                    {"stages", topo_stages},
                    {"sinks", {{{"id", "sink"}, {"node", "db"}}}}}},
      {"repro", "sluice run scenarios/synthetic.json --seed 42"},
  };
}

inline nlohmann::json time_axis(const SyntheticRun& r) {
  nlohmann::json t = nlohmann::json::array();
  double width = std::ceil(r.end_ns / r.buckets);
  for (int i = 0; i < r.buckets; ++i) t.push_back(width * i);
  return {{"width_ns", width}, {"t", t}};
}

inline nlohmann::json counter_series(const SyntheticRun& r, std::uint64_t salt, double per_bucket) {
  nlohmann::json s = time_axis(r);
  nlohmann::json count = nlohmann::json::array();
  for (int i = 0; i < r.buckets; ++i) {
    count.push_back(std::floor(per_bucket * (0.8 + 0.4 * wobble(salt * 100000 + static_cast<std::uint64_t>(i)))));
  }
  s["count"] = count;
  return s;
}

inline nlohmann::json synthetic_series(const SyntheticRun& r) {
  using nlohmann::json;
  json queues = json::object(), stages = json::object();
  for (int q = 0; q < r.queues; ++q) {
    json s = time_axis(r);
    double capacity = 64.0 * (q + 1);
    json mn = json::array(), mx = json::array(), mean = json::array();
    for (int i = 0; i < r.buckets; ++i) {
      double base = capacity * wobble(static_cast<std::uint64_t>(q * 100000 + i));
      double hi = std::min(capacity, std::floor(base + capacity * 0.2 * wobble(static_cast<std::uint64_t>(i) + 7)));
      double lo = std::floor(base * 0.5);
      mn.push_back(lo);
      mx.push_back(hi);
      mean.push_back((lo + hi) / 2);
    }
    s["min"] = mn;
    s["max"] = mx;
    s["mean"] = mean;
    s["capacity"] = capacity;
    queues[queue_name(q)] = s;
    stages["stage" + std::to_string(q)] = counter_series(r, static_cast<std::uint64_t>(q) + 1, 20000);
  }
  json latency = time_axis(r);
  json count = json::array(), p50 = json::array(), p90 = json::array(), p99 = json::array(), mx = json::array();
  for (int i = 0; i < r.buckets; ++i) {
    bool empty = i % 97 == 13;  // a few buckets without samples: gaps
    double w = wobble(static_cast<std::uint64_t>(i) + 99);
    count.push_back(empty ? 0 : 19000);
    p50.push_back(empty ? 0 : 1.5e7 + 5e6 * w);
    p90.push_back(empty ? 0 : 3e7 + 1e7 * w);
    p99.push_back(empty ? 0 : 5e7 + 2e7 * w);
    mx.push_back(empty ? 0 : 8e7 + 4e7 * w);
  }
  latency["count"] = count;
  latency["p50"] = p50;
  latency["p90"] = p90;
  latency["p99"] = p99;
  latency["max"] = mx;
  json series = {{"virtual_time_ns", r.end_ns},
                 {"queues", queues},
                 {"stages", stages},
                 {"effects", counter_series(r, 777, 20000)},
                 {"shed", counter_series(r, 778, 3)},
                 {"latency_ns", latency},
                 {"faults", synthetic_summary(r)["faults"]}};
  if (r.with_checkpoints) {
    series["checkpoints"] = {{{"at_ns", r.end_ns * 0.3}}, {{"at_ns", r.end_ns * 0.65}}};
  }
  if (r.with_marks) {
    series["marks"] = {{{"kind", "checkpoint"}, {"at_ns", r.end_ns * 0.2}, {"part", "stage0"}, {"id", 1}},
                       {{"kind", "checkpoint_aborted"}, {"at_ns", r.end_ns * 0.4}, {"part", "stage0"}, {"id", 2}},
                       {{"kind", "rebalance"}, {"at_ns", r.end_ns * 0.5}, {"part", "stage0"}, {"id", 3}},
                       {{"kind", "restore"}, {"at_ns", r.end_ns * 0.55}, {"part", "q0"}, {"id", 1}},
                       {{"kind", "commit"}, {"at_ns", r.end_ns * 0.6}, {"part", "q0"}, {"id", 120}},
                       {{"kind", "commit"}, {"at_ns", r.end_ns * 0.7}, {"part", "q0"}, {"id", 240}}};
  }
  return series;
}

// A sweep over `seeds` seeds of which every seventh fails.
inline nlohmann::json synthetic_sweep(int seeds) {
  using nlohmann::json;
  json rows = json::array();
  for (int s = 1; s <= seeds; ++s) {
    bool ok = s % 7 != 0;
    json failed = ok ? json::array() : json{"no_loss"};
    rows.push_back({{"seed", s},
                    {"ok", ok},
                    {"trace_hash", "00000000000000" + std::to_string(10 + s % 90)},
                    {"failed", failed},
                    {"max_depth", {{"ingest", ok ? 40 + s % 20 : 64}, {"orders-topic", 100 + (s * 37) % 400}}},
                    {"p99_ns", 2e7 + 1e6 * (s % 13) + (ok ? 0 : 3e7)},
                    {"repro", "sluice run scenarios/x.json --seed " + std::to_string(s)}});
  }
  return {{"scenario", "crash-recovery"},
          {"seeds", rows},
          {"groups", {{{"signature", "no_loss: acked event never reached a sink"},
                       {"count", seeds / 7},
                       {"fastest_seed", 7},
                       {"repro", "sluice run scenarios/x.json --seed 7"}}}}};
}

}  // namespace sluice::test

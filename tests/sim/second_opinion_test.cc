// A second opinion on every shipped scenario: the counts and verdicts of
// summary.json re-derived from trace.jsonl alone, from README.md's
// definitions, sharing no code with sim/check/ (or sim/run/history.cc). The
// topology comes from the scenario file itself, the rest from the trace.
//
// Size rule: scenarios whose sources produce 50,000 events or more are
// skipped (the bench/ throughput runs, basics/mm1.json, world/lossy_network.json:
// their traces run to hundreds of megabytes); every other shipped scenario
// runs two seeds.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/run/runner.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------
// The scenario's graph, read from its JSON.

std::vector<std::string> outputs_of(const json& stage) {
  if (stage["to"].is_array()) return stage["to"].get<std::vector<std::string>>();
  return {stage["to"].get<std::string>()};
}

struct Topology {
  explicit Topology(const json& scenario) : doc(scenario) {
    for (const json& sink : scenario["sinks"]) {
      if (sink.value("mode", "") == "dead_letter") dead_letter.insert(sink["id"].get<std::string>());
    }
    for (const json& buffer : scenario.value("buffers", json::array())) {
      capacity[buffer["id"].get<std::string>()] = buffer["capacity"].get<std::uint64_t>();
    }
    for (const json& topic : scenario.value("topics", json::array())) {
      if (topic.contains("max_msgs")) topic_capacity[topic["id"].get<std::string>()] = topic["max_msgs"].get<std::uint64_t>();
    }
  }
  bool is_sink(const std::string& id) const {
    for (const json& sink : doc["sinks"]) {
      if (sink["id"] == id) return true;
    }
    return false;
  }
  // Every sink downstream of a part (a buffer, a topic or a sink), following
  // every stage that reads it (not dead-letter hand-offs: those are not effects).
  std::set<std::string> sinks_after(const std::string& part) const {
    std::set<std::string> out;
    std::vector<std::string> pending{part};
    std::set<std::string> seen;
    while (!pending.empty()) {
      std::string id = pending.back();
      pending.pop_back();
      if (!seen.insert(id).second) continue;
      if (is_sink(id)) out.insert(id);
      for (const json& stage : doc.value("stages", json::array())) {
        if (stage["from"] != id) continue;
        for (const std::string& to : outputs_of(stage)) pending.push_back(to);
      }
    }
    return out;
  }
  std::set<std::string> sinks_after_stage(const std::string& stage_id) const {
    std::set<std::string> out;
    for (const json& stage : doc.value("stages", json::array())) {
      if (stage["id"] != stage_id) continue;
      for (const std::string& to : outputs_of(stage)) {
        for (const std::string& sink : sinks_after(to)) out.insert(sink);
      }
    }
    return out;
  }
  // A topic partition's queue is named "topic/partition".
  static std::string topic_of(const std::string& queue) {
    const std::size_t slash = queue.rfind('/');
    return slash == std::string::npos ? std::string() : queue.substr(0, slash);
  }
  std::uint64_t capacity_of(const std::string& queue) const {
    if (auto it = capacity.find(queue); it != capacity.end()) return it->second;
    if (auto it = topic_capacity.find(topic_of(queue)); it != topic_capacity.end()) return it->second;
    return UINT64_MAX;
  }
  const json& doc;
  std::set<std::string> dead_letter;
  std::map<std::string, std::uint64_t> capacity, topic_capacity;
};

std::int64_t duration_ns(const std::string& text) {
  static const std::vector<std::pair<std::string, std::int64_t>> units = {
      {"ns", 1}, {"us", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}, {"m", 60'000'000'000}, {"h", 3'600'000'000'000}};
  std::size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) ++digits;
  const double number = std::stod(text.substr(0, digits));
  for (const auto& [unit, scale] : units) {
    if (text.substr(digits) == unit) return static_cast<std::int64_t>(number * static_cast<double>(scale));
  }
  ADD_FAILURE() << "unknown duration " << text;
  return 0;
}

// ---------------------------------------------------------------------------
// One trace line's fields, without a JSON parser (the traces are large).

std::string field(std::string_view line, std::string_view name) {
  const std::string key = "\"" + std::string(name) + "\":";
  const std::size_t at = line.find(key);
  if (at == std::string_view::npos) return {};
  std::size_t begin = at + key.size();
  if (line[begin] == '"') {
    const std::size_t end = line.find('"', begin + 1);
    return std::string(line.substr(begin + 1, end - begin - 1));
  }
  std::size_t end = begin;
  while (end < line.size() && line[end] != ',' && line[end] != '}') ++end;
  return std::string(line.substr(begin, end - begin));
}

std::int64_t number(std::string_view line, std::string_view name) { return std::stoll(field(line, name)); }

// ---------------------------------------------------------------------------
// The second opinion itself.

struct Derived {
  std::map<std::string, std::uint64_t> counts;
  std::uint64_t duplicate_effects = 0, order_violations = 0, over_capacity = 0, flow_violations = 0;
  bool drained_in_time = false;
};

struct EventFate {
  std::string source;
  bool acked = false;
  bool vanished = false;    // a crash took it (memory, or its last copy)
  bool copy_lost = false;   // a crash took its fetched copy while its record stayed in a log
  std::uint32_t in_logs = 0;  // copies in topic partition logs
  bool excused_everywhere = false;
  std::set<std::string> effects, excused;  // sinks
  std::int64_t produced_at = 0;
};

class SecondOpinion {
 public:
  SecondOpinion(const json& scenario) : topology_(scenario), total_order_(scenario.value("key_order", "") == "total") {
    for (const json& source : scenario["sources"]) owed_[source["id"].get<std::string>()] = topology_.sinks_after(source["to"].get<std::string>());
    const json run = scenario.value("run", json::object());
    if (run.contains("drain_within")) drain_within_ = duration_ns(run["drain_within"].get<std::string>());
  }

  void line(std::string_view line) {
    const std::string kind = field(line, "kind");
    const std::string id = field(line, "id");
    auto bump = [&](const char* name) { ++out_.counts[name]; };
    if (kind == "produce") {
      bump("produced");
      EventFate& fate = events_[id];
      fate.source = field(line, "source");
      fate.produced_at = number(line, "t");
    } else if (kind == "ack") {
      bump("acked");
      events_[id].acked = true;
    } else if (kind == "reject") {
      bump("rejected");
    } else if (kind == "source_drop") {
      bump("shed");
      bump("source_dropped");
      events_[id].excused_everywhere = true;
    } else if (kind == "spill" || kind == "replay" || kind == "spill_corrupt") {
      bump(kind == "spill" ? "spilled" : kind == "replay" ? "replayed" : "spill_corrupt");
    } else if (kind == "enqueue") {
      const std::string queue = field(line, "queue");
      if (static_cast<std::uint64_t>(number(line, "depth")) > topology_.capacity_of(queue)) ++out_.over_capacity;
      if (!Topology::topic_of(queue).empty()) ++events_[id].in_logs;
    } else if (kind == "shed") {
      bump("shed");
      const std::string queue = field(line, "queue");
      const std::string part = Topology::topic_of(queue).empty() ? queue : Topology::topic_of(queue);
      excuse(events_[id], topology_.sinks_after(part));
      left_log(id, queue);
    } else if (kind == "crash_drop") {
      events_[id].vanished = true;
      left_log(id, field(line, "queue"));
    } else if (kind == "trim") {
      left_log(id, field(line, "queue"));
    } else if (kind == "transit_loss") {
      EventFate& fate = events_[id];
      if (fate.in_logs > 0) fate.copy_lost = true;  // the group hands its record out again
      else fate.vanished = true;
    } else if (kind == "deliver") {
      bump("delivered");
    } else if (kind == "attempt_failed") {
      bump("retries");
    } else if (kind == "gave_up") {
      // Given up with no dead-letter sink and no "on_give_up": "drop": lost,
      // even when the run is cut short (README, no silent drops).
      events_[id].vanished = true;
    } else if (kind == "give_up_dropped") {
      bump("give_up_dropped");
      excuse(events_[id], topology_.sinks_after_stage(field(line, "stage")));
    } else if (kind == "dead_letter") {
      parked_by_[id] = field(line, "stage");
    } else if (kind == "parked") {
      bump("dead_lettered");
      excuse(events_[id], topology_.sinks_after_stage(parked_by_[id]));
    } else if (kind == "effect") {
      effect(id, field(line, "sink"), std::stoull(field(line, "key")));
    } else if (kind == "duplicate_suppressed") {
      bump("duplicates_suppressed");
    } else if (kind == "fetch") {
      if (!fetched_.insert({Topology::topic_of(field(line, "queue")), id}).second) bump("redelivered");
    } else if (kind == "credit") {
      const std::int64_t n = number(line, "n");
      if (n <= 0) ++out_.flow_violations;
      else credits_[{field(line, "stage"), field(line, "worker")}] += n;
    } else if (kind == "route") {
      std::int64_t& credits = credits_[{field(line, "stage"), field(line, "worker")}];
      if (credits <= 0) ++out_.flow_violations;
      --credits;
    } else if (kind == "txn_commit" || kind == "txn_abort_unmarked") {
      // A copy visible read_committed in a topic exactly-once stages write to: a second one is a duplicate.
      if (!committed_.insert({Topology::topic_of(field(line, "queue")), id}).second) ++out_.duplicate_effects;
    } else if (kind == "credits_lost") {
      credits_[{field(line, "stage"), field(line, "worker")}] = 0;
    } else if (kind == "end") {
      end_line_ = std::string(line);
    }
  }

  Derived finish() {
    EXPECT_FALSE(end_line_.empty()) << "the trace has no end record";
    const std::int64_t drained = number(end_line_, "drained_ns");
    const std::int64_t quiet = std::max(number(end_line_, "last_source_finished_ns"), number(end_line_, "quiet_after_ns"));
    out_.drained_in_time = drained >= 0 && (drain_within_ < 0 || drained - quiet <= drain_within_);
    std::uint64_t lost = 0;
    for (const auto& [id, fate] : events_) lost += is_lost(fate, drained >= 0) ? 1 : 0;
    out_.counts["lost"] = lost;
    for (const char* name : {"produced", "acked", "rejected", "shed", "delivered", "effects", "duplicates_suppressed",
                             "redelivered", "retries", "dead_lettered", "source_dropped", "spilled", "replayed",
                             "spill_corrupt"}) {
      out_.counts.try_emplace(name, 0);
    }
    return out_;
  }

 private:
  // README: an acknowledged event is lost when it never took effect at a
  // sink its source's events lead to (any one, for a source with one) and no
  // configured policy dropped it on its way there; when the run was cut
  // short, only if a crash took it.
  bool is_lost(const EventFate& fate, bool drained) const {
    if (!fate.acked || fate.excused_everywhere) return false;
    if (!drained && !fate.vanished) return false;
    const std::set<std::string>& owed = owed_.at(fate.source);
    if (owed.size() <= 1) return fate.effects.empty() && fate.excused.empty();
    return std::any_of(owed.begin(), owed.end(), [&](const std::string& sink) {
      return fate.effects.count(sink) == 0 && fate.excused.count(sink) == 0;
    });
  }

  void excuse(EventFate& fate, const std::set<std::string>& sinks) { fate.excused.insert(sinks.begin(), sinks.end()); }

  void left_log(const std::string& id, const std::string& queue) {
    if (Topology::topic_of(queue).empty()) return;
    EventFate& fate = events_[id];
    if (fate.in_logs > 0 && --fate.in_logs == 0 && fate.copy_lost) fate.vanished = true;
  }

  void effect(const std::string& id, const std::string& sink, std::uint64_t key) {
    ++out_.counts["effects"];
    EventFate& fate = events_[id];
    if (!fate.effects.insert(sink).second) {
      ++out_.duplicate_effects;
      return;  // order is judged on first effects
    }
    const std::size_t colon = id.find(':');
    const std::uint64_t source = std::stoull(id.substr(0, colon)), seq = std::stoull(id.substr(colon + 1));
    // Production order: per source by sequence; across sources (declared
    // total order) by production time, then id.
    const std::tuple<std::int64_t, std::uint64_t, std::uint64_t> rank =
        total_order_ ? std::tuple{fate.produced_at, source, seq} : std::tuple{std::int64_t{0}, source, seq};
    auto slot = std::tuple{sink, total_order_ ? 0 : source, key};
    auto [it, fresh] = last_.try_emplace(slot, rank);
    if (fresh) return;
    if (rank < it->second) {
      ++out_.order_violations;
      return;
    }
    it->second = rank;
  }

  Topology topology_;
  bool total_order_;
  std::int64_t drain_within_ = -1;
  std::map<std::string, std::set<std::string>> owed_;  // per source
  std::map<std::string, EventFate> events_;
  std::map<std::string, std::string> parked_by_;
  std::set<std::pair<std::string, std::string>> fetched_;  // (topic, event)
  std::set<std::pair<std::string, std::string>> committed_;  // (topic, event) committed by a transaction marker
  std::map<std::pair<std::string, std::string>, std::int64_t> credits_;
  std::map<std::tuple<std::string, std::uint64_t, std::uint64_t>, std::tuple<std::int64_t, std::uint64_t, std::uint64_t>> last_;
  std::string end_line_;
  Derived out_;
};

// ---------------------------------------------------------------------------

std::uint64_t events_of(const json& scenario) {
  std::uint64_t total = 0;
  for (const json& source : scenario["sources"]) total += source.value("count", std::uint64_t{0});
  return total;
}

void compare(const std::string& file, std::uint64_t seed, const fs::path& dir) {
  std::ifstream in(file);
  const json doc = json::parse(in);
  const std::string where = file + " --seed " + std::to_string(seed);
  RunOptions options;
  options.seed = seed;
  options.trace_path = (dir / "trace.jsonl").string();
  const RunReport report = run_scenario(load_scenario_file(file), options);
  SecondOpinion opinion(doc);
  std::ifstream trace(options.trace_path);
  for (std::string line; std::getline(trace, line);) opinion.line(line);
  const Derived derived = opinion.finish();
  const json& summary = report.summary;
  for (const auto& [name, value] : derived.counts) {
    ASSERT_TRUE(summary["counts"].contains(name)) << where << ": summary.json has no counts." << name;
    EXPECT_EQ(value, summary["counts"][name].get<std::uint64_t>()) << where << ": counts." << name;
  }
  const json& inv = summary["invariants"];
  EXPECT_EQ(derived.counts.at("lost"), inv["no_loss"]["violations"].get<std::uint64_t>()) << where << ": no_loss";
  EXPECT_EQ(derived.duplicate_effects, inv["no_duplicate_effects"]["violations"].get<std::uint64_t>()) << where;
  EXPECT_EQ(derived.order_violations, inv["per_key_order"]["violations"].get<std::uint64_t>()) << where;
  EXPECT_EQ(derived.over_capacity, inv["bounded_queues"]["violations"].get<std::uint64_t>()) << where;
  EXPECT_EQ(derived.flow_violations, inv["flow_control"]["violations"].get<std::uint64_t>()) << where;
  EXPECT_EQ(derived.drained_in_time, inv["drains_after_heal"]["ok"].get<bool>()) << where;
}

TEST(SecondOpinion, CountsAndVerdictsFromTheTraceAgreeWithSummaryForEveryShippedScenario) {
  const fs::path dir = fs::temp_directory_path() / ("sluice-second-opinion-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(std::string(SLUICE_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".json" && entry.path().filename() != "schema.json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::size_t compared = 0;
  for (const std::string& file : files) {
    std::ifstream in(file);
    const json doc = json::parse(in);
    const std::uint64_t events = events_of(doc);
    if (events >= 50'000) continue;  // the size rule above
    const std::uint64_t first = doc.value("seed", std::uint64_t{1});
    for (std::uint64_t seed = first; seed < first + 2; ++seed) compare(file, seed, dir);
    ++compared;
  }
  fs::remove_all(dir);
  EXPECT_GE(compared, 50u);
}

// The second opinion can disagree: a count it derives differently is caught.
TEST(SecondOpinion, NoticesATraceThatDisagrees) {
  const json scenario = json::parse(R"({"sources": [{"id": "s", "to": "db"}], "sinks": [{"id": "db"}]})");
  SecondOpinion opinion(scenario);
  opinion.line(R"({"t":1,"kind":"produce","id":"0:0","key":1,"source":"s"})");
  opinion.line(R"({"t":2,"kind":"ack","id":"0:0","key":1,"source":"s"})");
  opinion.line(R"({"t":3,"kind":"end","backlog":0,"sources_finished":true,"last_source_finished_ns":1,"quiet_after_ns":0,"drained_ns":3})");
  const Derived derived = opinion.finish();
  EXPECT_EQ(derived.counts.at("lost"), 1u);  // acknowledged, drained, never took effect
  EXPECT_TRUE(derived.drained_in_time);
}

}  // namespace
}  // namespace sluice

#include "sim/run/sweep.h"

#include <algorithm>
#include <chrono>  // determinism-ok: the calling thread polls the stop flag while it waits
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>  // determinism-ok: each thread runs whole simulations; nothing is shared

#include "core/runtime/fault_points.h"
#include "sim/run/failure.h"
#include "sim/run/runner.h"
#include "sim/world/fault_spec.h"

namespace sluice {
namespace {

// Timers per slice of a sweep's run: between slices the stop flag is read,
// so an interrupt does not wait for a long seed to end.
constexpr std::uint64_t kTimersPerSlice = 20000;

nlohmann::json faults_exercised(const Scenario& scenario, const RunReport& report, std::uint64_t seed) {
  nlohmann::json enabled = nlohmann::json::array();
  if (scenario.swarm) {
    for (FaultKind kind : swarm_enabled_kinds(*scenario.swarm, scenario.nodes(), seed)) {
      enabled.push_back(fault_kind_name(kind));
    }
  }
  std::map<std::string, std::uint64_t> kinds, points;
  for (const nlohmann::json& fault : report.summary["faults"]) {
    ++kinds[fault.value("kind", std::string("unknown"))];
    if (fault.contains("point")) ++points[fault["point"].get<std::string>()];
  }
  return {{"enabled", enabled}, {"kinds", kinds}, {"points", points}};
}

SeedResult summarize(const Scenario& scenario, const RunReport& report) {
  SeedResult result;
  result.seed = report.seed;
  result.ok = report.ok;
  result.trace_hash = hex64(report.trace_hash);
  result.events = report.events;
  result.max_depth = nlohmann::json::object();
  for (const auto& [queue, q] : report.summary["queues"].items()) result.max_depth[queue] = q["max_depth"];
  result.p99_ns = report.summary["latency_ns"]["p99"].get<double>();
  result.faults = faults_exercised(scenario, report, report.seed);
  result.coverage = report.summary.value("coverage", nlohmann::json::array());
  if (report.summary.contains("perturbation")) result.perturbation = report.summary["perturbation"]["fired"];
  std::vector<Failure> failures = failures_of(scenario.expect, report);
  for (const Failure& f : failures) result.failed.push_back(f.invariant);
  if (!failures.empty()) {
    result.first = failures.front().first;
    result.signature = failures.front().signature;
  }
  return result;
}

bool stopping(const std::atomic<bool>* stop) { return stop != nullptr && stop->load(std::memory_order_relaxed); }

// Runs one seed in slices; nullopt when stopped before it ended.
std::optional<SeedResult> run_seed(const Scenario& scenario, std::uint64_t seed, const RunOptions& base,
                                   const std::atomic<bool>* stop) {
  RunOptions run_options = base;
  run_options.seed = seed;
  ScenarioRun run(scenario, run_options);
  while (run.advance(kNever, kTimersPerSlice)) {
    if (stopping(stop)) return std::nullopt;
  }
  return summarize(scenario, run.finish());
}

// The state the workers and the calling thread share, under `mutex`.
struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t next = 0;     // the next index a worker takes
  std::uint64_t emitted = 0;  // indices below this were handed to on_result
  std::map<std::uint64_t, SeedResult> finished;  // finished, waiting for an earlier index
  std::exception_ptr error;
};

}  // namespace

bool stream_sweep(const Scenario& scenario, std::uint64_t count, const std::function<std::uint64_t(std::uint64_t)>& at,
                  const StreamOptions& options) {
  Shared shared;
  unsigned jobs = static_cast<unsigned>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(options.jobs, count)));
  // A worker runs ahead of the oldest unfinished seed by at most this many,
  // which bounds the results held back to keep seed order.
  const std::uint64_t window = 8 * static_cast<std::uint64_t>(jobs);
  auto worker = [&] {
    for (;;) {
      std::uint64_t i;
      {
        std::unique_lock<std::mutex> lock(shared.mutex);
        shared.changed.wait(lock, [&] {
          return shared.next >= count || shared.next < shared.emitted + window || shared.error || stopping(options.stop);
        });
        if (shared.next >= count || shared.error || stopping(options.stop)) return;
        i = shared.next++;
      }
      std::optional<SeedResult> result;
      try {
        result = run_seed(scenario, at(i), options.run, options.stop);
      } catch (...) {
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (!shared.error) shared.error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(shared.mutex);
      if (result) shared.finished.emplace(i, std::move(*result));
      shared.changed.notify_all();
    }
  };
  std::vector<std::thread> threads;  // determinism-ok: see the include
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  std::unique_lock<std::mutex> lock(shared.mutex);
  while (shared.emitted < count && !shared.error && !stopping(options.stop)) {
    auto it = shared.finished.find(shared.emitted);
    if (it == shared.finished.end()) {
      // A signal handler cannot notify: poll the stop flag now and then.
      shared.changed.wait_for(lock, std::chrono::milliseconds(50));  // determinism-ok: polling only
      continue;
    }
    SeedResult result = std::move(it->second);
    shared.finished.erase(it);
    ++shared.emitted;
    shared.changed.notify_all();
    lock.unlock();
    std::exception_ptr error;
    try {
      if (options.on_result) options.on_result(result);
    } catch (...) {
      error = std::current_exception();  // a failed write: stop, join the workers, then rethrow
    }
    lock.lock();
    if (error && !shared.error) shared.error = error;
  }
  bool complete = shared.emitted == count;
  shared.changed.notify_all();
  lock.unlock();
  for (std::thread& t : threads) t.join();  // determinism-ok: see the include
  if (shared.error) std::rethrow_exception(shared.error);
  return complete;
}

std::vector<SeedResult> run_sweep(const Scenario& scenario, const SweepOptions& options) {
  std::vector<SeedResult> results;
  StreamOptions stream;
  stream.jobs = options.jobs;
  stream.run = options.run;
  stream.on_result = [&](const SeedResult& r) { results.push_back(r); };
  stream_sweep(scenario, options.seeds.size(), [&](std::uint64_t i) { return options.seeds[i]; }, stream);
  return results;
}

void FailureGroups::add(const SeedResult& r) {
  if (r.ok) return;
  auto it = by_signature_.find(r.signature);
  if (it == by_signature_.end()) {
    if (by_signature_.size() == kMaxGroups) {
      ++ungrouped_;
      return;
    }
    it = by_signature_.emplace(r.signature, FailureGroup{r.signature, 0, {}, r.seed, r.events, r.first}).first;
  }
  FailureGroup& group = it->second;
  ++group.count;
  if (group.seeds.size() < kMaxSeedsPerGroup) group.seeds.push_back(r.seed);
  if (r.events < group.fastest_events) {
    group.fastest_events = r.events;
    group.fastest_seed = r.seed;
    group.example = r.first;
  }
}

std::vector<FailureGroup> FailureGroups::groups() const {
  std::vector<FailureGroup> groups;
  for (const auto& [signature, group] : by_signature_) groups.push_back(group);
  std::stable_sort(groups.begin(), groups.end(),
                   [](const FailureGroup& a, const FailureGroup& b) { return a.count > b.count; });
  return groups;
}

std::vector<FailureGroup> group_failures(const std::vector<SeedResult>& results) {
  FailureGroups groups;
  for (const SeedResult& r : results) groups.add(r);
  return groups.groups();
}

std::uint64_t SeedRange::size() const {
  if (last < first || last - first < shard) return 0;
  return (last - first - shard) / shards + 1;
}

std::vector<std::uint64_t> shard_seeds(std::uint64_t first, std::uint64_t last, std::uint64_t shard,
                                       std::uint64_t shards) {
  SeedRange range{first, last, shard, shards};
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t i = 0; i < range.size(); ++i) seeds.push_back(range.at(i));
  return seeds;
}

std::string sweep_run_command(const std::string& scenario_file, const std::string& strategy, bool perturb) {
  return "sluice run " + scenario_file + (strategy.empty() ? "" : " --strategy " + strategy) + (perturb ? " --perturb" : "");
}

nlohmann::json seed_json(const SeedResult& r, const std::string& run_command) {
  nlohmann::json j = {{"seed", r.seed},         {"ok", r.ok},         {"trace_hash", r.trace_hash},
                      {"events", r.events},     {"failed", r.failed}, {"max_depth", r.max_depth},
                      {"p99_ns", r.p99_ns},     {"faults", r.faults},
                      {"repro", run_command + " --seed " + std::to_string(r.seed)}};
  if (!r.perturbation.is_null()) j["perturbation"] = r.perturbation;
  j["coverage"] = r.coverage;
  if (!r.ok) {
    j["signature"] = r.signature;
    j["first"] = r.first;
  }
  return j;
}

SeedResult seed_from_json(const nlohmann::json& j) {
  SeedResult r;
  r.seed = j.at("seed");
  r.ok = j.at("ok");
  r.trace_hash = j.at("trace_hash");
  r.events = j.at("events");
  r.failed = j.at("failed").get<std::vector<std::string>>();
  r.max_depth = j.at("max_depth");
  r.p99_ns = j.at("p99_ns");
  r.faults = j.value("faults", nlohmann::json::object());
  r.perturbation = j.value("perturbation", nlohmann::json());
  r.coverage = j.value("coverage", nlohmann::json::array());
  r.signature = j.value("signature", "");
  r.first = j.value("first", "");
  return r;
}

nlohmann::json groups_json(const std::vector<FailureGroup>& groups, const std::string& run_command) {
  nlohmann::json list = nlohmann::json::array();
  for (const FailureGroup& g : groups) {
    list.push_back({{"signature", g.signature},
                    {"count", g.count},
                    {"seeds", g.seeds},
                    {"fastest_seed", g.fastest_seed},
                    {"example", g.example},
                    {"repro", run_command + " --seed " + std::to_string(g.fastest_seed)}});
  }
  return list;
}

void FaultCoverage::add(const SeedResult& r) {
  ++seeds_;
  if (!r.faults.is_object()) return;
  // Named copies: iterating items() of a temporary would outlive it.
  const nlohmann::json enabled = r.faults.value("enabled", nlohmann::json::array());
  const nlohmann::json kinds = r.faults.value("kinds", nlohmann::json::object());
  const nlohmann::json points = r.faults.value("points", nlohmann::json::object());
  for (const nlohmann::json& kind : enabled) ++kinds_[kind.get<std::string>()].enabled;
  for (const auto& [kind, n] : kinds.items()) {
    ++kinds_[kind].seeds;
    kinds_[kind].faults += n.get<std::uint64_t>();
  }
  for (const auto& [point, n] : points.items()) {
    ++points_[point].seeds;
    points_[point].faults += n.get<std::uint64_t>();
  }
}

nlohmann::json FaultCoverage::json() const {
  // Every kind and point is listed, so one never exercised shows as a zero.
  std::map<std::string, Tally> kinds = kinds_, points = points_;
  for (const std::string& kind : fault_kind_names()) kinds.try_emplace(kind);
  for (std::string_view point : fault_point_names()) points.try_emplace(std::string(point));
  nlohmann::json out = {{"seeds", seeds_}, {"kinds", nlohmann::json::object()}, {"points", nlohmann::json::object()}};
  for (const auto& [kind, t] : kinds) {
    out["kinds"][kind] = {{"enabled", t.enabled}, {"seeds", t.seeds}, {"faults", t.faults}};
  }
  for (const auto& [point, t] : points) out["points"][point] = {{"seeds", t.seeds}, {"faults", t.faults}};
  return out;
}

}  // namespace sluice

#include "sim/run/sweep.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>  // determinism-ok: each thread runs whole simulations; nothing is shared

#include "sim/run/failure.h"
#include "sim/run/runner.h"

namespace sluice {
namespace {

SeedResult summarize(const Scenario& scenario, const RunReport& report) {
  SeedResult result;
  result.seed = report.seed;
  result.ok = report.ok;
  result.trace_hash = hex64(report.trace_hash);
  result.events = report.events;
  result.max_depth = nlohmann::json::object();
  for (const auto& [queue, q] : report.summary["queues"].items()) result.max_depth[queue] = q["max_depth"];
  result.p99_ns = report.summary["latency_ns"]["p99"].get<double>();
  std::vector<Failure> failures = failures_of(scenario.expect, report);
  for (const Failure& f : failures) result.failed.push_back(f.invariant);
  if (!failures.empty()) {
    result.first = failures.front().first;
    result.signature = failures.front().signature;
  }
  return result;
}

}  // namespace

std::vector<SeedResult> run_sweep(const Scenario& scenario, const SweepOptions& options) {
  std::vector<SeedResult> results(options.seeds.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable progressed;
  std::size_t done = 0, failures = 0;
  std::exception_ptr error;

  auto worker = [&] {
    for (std::size_t i = next++; i < options.seeds.size(); i = next++) {
      RunOptions run_options = options.run;
      run_options.seed = options.seeds[i];
      try {
        results[i] = summarize(scenario, run_scenario(scenario, run_options));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      ++done;
      if (!results[i].ok) ++failures;
      progressed.notify_one();
    }
  };
  unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(options.seeds.size())));
  std::vector<std::thread> threads;  // determinism-ok: see the include
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (done < options.seeds.size()) {
      progressed.wait(lock);
      if (options.on_progress) options.on_progress(done, failures);
    }
  }
  for (std::thread& t : threads) t.join();  // determinism-ok: see the include
  if (error) std::rethrow_exception(error);
  return results;
}

std::vector<FailureGroup> group_failures(const std::vector<SeedResult>& results) {
  std::map<std::string, FailureGroup> by_signature;  // ordered: the output order is stable
  std::map<std::string, std::uint64_t> fewest_events;
  for (const SeedResult& r : results) {
    if (r.ok) continue;
    FailureGroup& group = by_signature[r.signature];
    group.signature = r.signature;
    group.seeds.push_back(r.seed);
    auto [it, inserted] = fewest_events.try_emplace(r.signature, r.events);
    if (inserted || r.events < it->second) {
      it->second = r.events;
      group.fastest_seed = r.seed;
      group.example = r.first;
    }
  }
  std::vector<FailureGroup> groups;
  for (auto& [signature, group] : by_signature) groups.push_back(std::move(group));
  std::stable_sort(groups.begin(), groups.end(),
                   [](const FailureGroup& a, const FailureGroup& b) { return a.seeds.size() > b.seeds.size(); });
  return groups;
}

std::vector<std::uint64_t> shard_seeds(std::uint64_t first, std::uint64_t last, std::uint64_t shard,
                                       std::uint64_t shards) {
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t seed = first + shard; seed <= last && seed >= first; seed += shards) seeds.push_back(seed);
  return seeds;
}

namespace {

nlohmann::json seed_json(const SeedResult& r, const std::string& file) {
  nlohmann::json j = {{"seed", r.seed},         {"ok", r.ok},         {"trace_hash", r.trace_hash},
                      {"events", r.events},     {"failed", r.failed}, {"max_depth", r.max_depth},
                      {"p99_ns", r.p99_ns},     {"repro", "sluice run " + file + " --seed " + std::to_string(r.seed)}};
  if (!r.ok) {
    j["signature"] = r.signature;
    j["first"] = r.first;
  }
  return j;
}

SeedResult seed_from_json(const nlohmann::json& j) {
  SeedResult r;
  r.seed = j["seed"];
  r.ok = j["ok"];
  r.trace_hash = j["trace_hash"];
  r.events = j["events"];
  r.failed = j["failed"].get<std::vector<std::string>>();
  r.max_depth = j["max_depth"];
  r.p99_ns = j["p99_ns"];
  r.signature = j.value("signature", "");
  r.first = j.value("first", "");
  return r;
}

nlohmann::json assemble(const std::string& name, const std::string& file, const std::vector<SeedResult>& results,
                        const std::vector<FailureGroup>& groups) {
  nlohmann::json seeds = nlohmann::json::array(), group_list = nlohmann::json::array();
  std::size_t failures = 0;
  for (const SeedResult& r : results) {
    seeds.push_back(seed_json(r, file));
    failures += r.ok ? 0 : 1;
  }
  for (const FailureGroup& g : groups) {
    group_list.push_back({{"signature", g.signature},
                          {"count", g.seeds.size()},
                          {"seeds", g.seeds},
                          {"fastest_seed", g.fastest_seed},
                          {"example", g.example},
                          {"repro", "sluice run " + file + " --seed " + std::to_string(g.fastest_seed)}});
  }
  // Every invariant a seed was judged on, so JUnit lists passing testcases too.
  return {{"scenario", name},     {"file", file},         {"seeds_run", results.size()},
          {"failures", failures}, {"ok", failures == 0}, {"invariants", invariant_names()},
          {"seeds", seeds},       {"groups", group_list}};
}

}  // namespace

nlohmann::json sweep_json(const Scenario& scenario, const std::vector<SeedResult>& results,
                          const std::vector<FailureGroup>& groups) {
  return assemble(scenario.name, scenario.file, results, groups);
}

nlohmann::json merge_sweeps(const std::vector<nlohmann::json>& shards) {
  if (shards.empty()) throw std::invalid_argument("nothing to merge");
  std::map<std::uint64_t, SeedResult> by_seed;
  for (const nlohmann::json& shard : shards) {
    if (shard["scenario"] != shards.front()["scenario"]) {
      throw std::invalid_argument("shards of different scenarios: " + shard["scenario"].get<std::string>() +
                                  " and " + shards.front()["scenario"].get<std::string>());
    }
    for (const nlohmann::json& seed : shard["seeds"]) by_seed[seed["seed"].get<std::uint64_t>()] = seed_from_json(seed);
  }
  std::vector<SeedResult> results;
  for (auto& [seed, r] : by_seed) results.push_back(std::move(r));
  return assemble(shards.front()["scenario"], shards.front()["file"], results, group_failures(results));
}

}  // namespace sluice

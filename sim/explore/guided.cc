#include "sim/explore/guided.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>  // determinism-ok: each thread runs whole simulations; results are merged in index order

#include "sim/explore/mutation.h"
#include "sim/run/failure.h"
#include "sim/scenario/loader.h"

namespace sluice {
namespace {

// Runs fn(0..count-1) on up to `jobs` threads, handing indices out in order;
// once fn(i) returns true (a failure that ends the search), no index above i
// starts. Every index below it was handed out before it, so runs 0..i all
// finish whatever the thread count: the result does not depend on --jobs.
void parallel_for(std::size_t count, unsigned jobs, const std::function<bool(std::size_t)>& fn) {
  std::mutex mutex;
  std::size_t next = 0;
  std::size_t stop_after = count;
  std::exception_ptr error;
  auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (next >= count || next > stop_after || error) return;
        i = next++;
      }
      try {
        if (fn(i)) {
          std::lock_guard<std::mutex> lock(mutex);
          stop_after = std::min(stop_after, i);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;  // determinism-ok: see the include
  for (unsigned j = 0; j < std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(count))); ++j) {
    threads.emplace_back(worker);
  }
  for (std::thread& t : threads) t.join();  // determinism-ok: see the include
  if (error) std::rethrow_exception(error);
}

// Runs one candidate from its scenario document, exactly as its repro file would.
ExploreRun run_candidate(const nlohmann::json& document, const Candidate& candidate, const RunOptions& base) {
  Scenario scenario = load_scenario_json(candidate_scenario_json(document, candidate), "guided candidate");
  RunOptions options = base;
  options.seed = candidate.seed;
  RunReport report = run_scenario(scenario, options);
  ExploreRun run;
  run.candidate = candidate;
  run.ok = report.ok;
  run.events = report.events;
  for (const nlohmann::json& key : report.summary["coverage"]) run.coverage.push_back(key.get<std::string>());
  std::vector<Failure> failures = failures_of(scenario.expect, report);
  if (!failures.empty()) {
    run.signature = failures.front().signature;
    run.first = failures.front().first;
  }
  return run;
}

// How much a corpus entry is worth mutating: by the rarest situation it
// reached, 1/hits squared, so an entry that alone reached something weighs
// four times one that shares its rarest key with another (rare-branch
// targeting, after FairFuzz, Lemieux and Sen 2018, on top of AFL's loop).
// Not a sum over its keys: that favoured entries reaching many common
// situations over one that reached a single rare one, which is where a
// rare failure's second condition is still missing.
double rarity(const ExploreRun& run, const std::map<std::string, std::uint64_t>& hits) {
  std::uint64_t rarest = UINT64_MAX;
  for (const std::string& key : run.coverage) rarest = std::min(rarest, hits.at(key));
  if (rarest == UINT64_MAX) return 0;
  const double weight = 1.0 / static_cast<double>(rarest);
  return weight * weight;
}

// The corpus entry to mutate, by run index: half the time weighted by
// rarity, a quarter one of the last eight kept (fresh finds), a quarter any.
std::uint64_t pick_parent(const ExploreResult& so_far, Rng& rng) {
  const std::vector<std::uint64_t>& corpus = so_far.corpus;
  const double choice = rng.next_double();
  if (choice < 0.5) {
    std::vector<double> weights;
    double total = 0;
    for (std::uint64_t index : corpus) total += weights.emplace_back(rarity(so_far.runs[index - 1], so_far.hits));
    double at = rng.next_double() * total;
    for (std::size_t i = 0; i < corpus.size(); ++i) {
      if (at < weights[i]) return corpus[i];
      at -= weights[i];
    }
    return corpus.back();
  }
  if (choice < 0.75) {
    const std::size_t recent = std::min<std::size_t>(corpus.size(), 8);
    return corpus[corpus.size() - 1 - rng.uniform_u64(recent)];
  }
  return corpus[rng.uniform_u64(corpus.size())];
}

// A fresh run, with its techniques drawn swarm-style (Groce et al.: a feature
// on in every run can mask the bugs it does not cause): a quarter of the runs
// perturbed as asked (--perturb), the rest as the scenario says; half the
// runs under the asked strategy, a quarter `random`, a quarter `pct:3`. A
// quarter, not a half: on the benchmark's ack_before_fsync pair perturbed
// runs found the bug about five times less often than plain swarm runs
// (README, session 6), and mutation still turns sites on one by one.
Candidate fresh(const Scenario& scenario, const ExploreOptions& options, Rng& rng) {
  const std::uint64_t seed = 1 + rng.uniform_u64(1'000'000'000);
  const PerturbSpec& perturb = rng.bernoulli(ExploreOptions::kFreshPerturbedFraction) ? options.perturb : scenario.perturb;
  StrategySpec strategy = options.strategy;
  const double pick = rng.next_double();
  if (pick >= 0.5) parse_strategy(pick < 0.75 ? "random" : "pct:3", &strategy);
  return fresh_candidate(scenario, seed, strategy, perturb);
}

std::vector<Candidate> next_generation(const Scenario& scenario, const ExploreResult& so_far,
                                       const ExploreOptions& options, Rng& rng) {
  std::vector<Candidate> generation;
  for (std::uint64_t i = 0; i < ExploreOptions::kGeneration; ++i) {
    if (so_far.corpus.empty() || rng.bernoulli(ExploreOptions::kFreshFraction)) {
      generation.push_back(fresh(scenario, options, rng));
      continue;
    }
    const std::uint64_t parent = pick_parent(so_far, rng);
    const std::uint64_t mate = pick_parent(so_far, rng);
    const Candidate* mate_candidate = mate != parent ? &so_far.runs[mate - 1].candidate : nullptr;
    Candidate child = mutate(scenario, so_far.runs[parent - 1].candidate, mate_candidate, rng);
    child.parent = static_cast<std::int64_t>(parent);
    generation.push_back(std::move(child));
  }
  return generation;
}

// Merges one finished run into the result, in index order.
void merge_run(ExploreRun run, ExploreResult& result) {
  for (const std::string& key : run.coverage) {
    if (result.coverage.insert(key).second) ++run.new_keys;
    ++result.hits[key];
  }
  run.total_keys = result.coverage.size();
  run.kept = run.new_keys > 0;
  if (run.kept) result.corpus.push_back(run.index);
  if (!run.ok && result.first_failure < 0) result.first_failure = static_cast<std::int64_t>(run.index);
  result.runs.push_back(std::move(run));
}

}  // namespace

ExploreResult explore_guided(const nlohmann::json& document, const Scenario& scenario, const ExploreOptions& options,
                             const std::function<void(const ExploreRun&)>& on_run) {
  ExploreResult result;
  result.runs.reserve(options.runs);
  Rng root(options.explore_seed);
  for (std::uint64_t generation = 0; result.runs.size() < options.runs; ++generation) {
    if (options.stop != nullptr && options.stop->load()) {
      result.interrupted = true;
      break;
    }
    Rng rng = root.fork("generation-" + std::to_string(generation));
    std::vector<Candidate> candidates = next_generation(scenario, result, options, rng);
    candidates.resize(std::min<std::size_t>(candidates.size(), options.runs - result.runs.size()));
    std::vector<ExploreRun> finished(candidates.size());
    parallel_for(candidates.size(), options.jobs, [&](std::size_t i) {
      finished[i] = run_candidate(document, candidates[i], options.run);
      return !finished[i].ok && !options.keep_going;
    });
    bool stop = false;
    for (ExploreRun& run : finished) {
      run.index = result.runs.size() + 1;
      const bool failed = !run.ok;
      merge_run(std::move(run), result);
      if (on_run) on_run(result.runs.back());
      // A sequential explorer stops here: later candidates of this
      // generation did not start, or are not counted.
      if (failed && !options.keep_going) {
        stop = true;
        break;
      }
    }
    if (stop) break;
  }
  return result;
}

}  // namespace sluice

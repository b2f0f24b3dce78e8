#include "sim/run/shrink.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>
#include <stdexcept>

#include "sim/run/shrink_edits.h"
#include "sim/run/shrink_trial.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/units.h"

namespace sluice {
namespace {

using Pointer = nlohmann::json::json_pointer;

// A midpoint of (bad, good) that reads well in a file (3000, not 2999),
// rounded to a power of ten of `unit` when that keeps it strictly inside.
std::int64_t round_midpoint(std::int64_t bad, std::int64_t good, std::int64_t unit) {
  std::int64_t span = good - bad, step = unit;
  while (step * 10 <= span / 4) step *= 10;
  std::int64_t mid = bad + span / 2;
  std::int64_t rounded = mid - mid % step;
  return rounded > bad && rounded < good ? rounded : mid;
}

std::string seconds_text(Nanos t) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3fs", to_seconds(t));
  return text;
}

std::string figures_text(const ShrinkFigures& f) {
  return std::to_string(f.source_events) + " events, " + std::to_string(f.faults) + " faults, " +
         seconds_text(f.virtual_time) + " of virtual time, " + std::to_string(f.scheduler_events) +
         " scheduler events";
}

// Violation texts are phrases; the description strings them into sentences.
std::string as_sentence(const std::string& text) {
  return !text.empty() && text.back() == '.' ? text : text + ".";
}

// Scenario names are at most 100 characters (the loader's limit).
std::string shrunk_name(const std::string& name) {
  const std::string suffix = "-shrunk";
  if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return name;
  }
  return name.substr(0, 100 - suffix.size()) + suffix;
}

class Shrinker {
 public:
  Shrinker(std::string label, std::uint64_t seed, const ShrinkOptions& options)
      : label_(std::move(label)), seed_(seed), options_(options) {}

  // Runs the scenario as given; false when it does not fail at the seed.
  bool start(const nlohmann::json& document);
  // Rounds of every reduction until a round keeps none, or the budget ends.
  void search() {
    while (round() && !exhausted_) {
    }
  }
  ShrinkResult finish();
  std::size_t runs() const { return runs_; }

 private:
  bool round();
  bool keep_only_failing_expectation();
  bool replace_swarm();
  bool round_fault_times();
  bool drop_items(const Pointer& at, std::size_t min_size);
  bool lower_count(const Pointer& at);
  bool lower_duration(const Pointer& at);
  bool lower(const Pointer& at, std::int64_t value, std::int64_t unit,
             const std::function<nlohmann::json(std::int64_t)>& encode);
  bool attempt(const nlohmann::json& candidate, const std::string& step);
  bool budget_left();
  ShrinkTrial run(const Scenario& scenario);
  void report_progress(const std::string& step) const;
  std::string description() const;

  std::string label_;
  std::uint64_t seed_;
  const ShrinkOptions& options_;
  std::string original_name_;
  nlohmann::json current_;  // the smallest document known to fail the same way
  ShrinkFailure failure_;
  ShrinkFigures before_, current_figures_;
  std::set<std::string> refused_;  // candidates (as text) that did not fail the same way: never run twice
  std::vector<std::string> steps_;
  std::size_t runs_ = 0, rejected_ = 0;
  bool exhausted_ = false;
};

bool Shrinker::start(const nlohmann::json& document) {
  Scenario original = load_scenario_json(document, label_);
  original_name_ = original.name;
  current_ = with_explicit_expectations(document, original.expect);
  ShrinkTrial trial = run(original);
  if (!trial.failure) return false;
  failure_ = *trial.failure;
  before_ = current_figures_ = trial.figures;
  report_progress("the original");
  return true;
}

// Cheap, behaviour-preserving reductions first (expectations, the swarm),
// then the faults, which free the counts and durations to go lower.
bool Shrinker::round() {
  bool kept = keep_only_failing_expectation();
  kept |= replace_swarm();
  kept |= drop_items(Pointer("/faults"), 0);
  kept |= round_fault_times();
  for (std::size_t i = 0; i < current_["sources"].size(); ++i) {
    kept |= lower_count(Pointer("/sources/" + std::to_string(i) + "/count"));
  }
  kept |= lower_duration(Pointer("/run/until"));
  if (current_.contains("swarm")) kept |= lower_duration(Pointer("/run/faults_end"));
  for (std::size_t i = 0; i < current_["sources"].size(); ++i) {
    kept |= lower_count(Pointer("/sources/" + std::to_string(i) + "/keys/count"));
  }
  for (std::size_t i = 0; i < current_.value("topics", nlohmann::json::array()).size(); ++i) {
    kept |= lower_count(Pointer("/topics/" + std::to_string(i) + "/partitions"));
  }
  for (std::size_t i = 0; i < current_.value("stages", nlohmann::json::array()).size(); ++i) {
    kept |= drop_items(Pointer("/stages/" + std::to_string(i) + "/workers"), 1);
  }
  return kept;
}

// Expectations do not change the run, only the verdict: every one but the
// failing one can go (it stays the first failure, so nothing else moves).
bool Shrinker::keep_only_failing_expectation() {
  auto pinned = [this](const nlohmann::json& name) { return name == failure_.invariant; };
  nlohmann::json candidate = current_;
  for (const char* list : {"/expect/hold", "/expect/violate"}) {
    const nlohmann::json& names = current_.at(Pointer(list));
    candidate[Pointer(list)] = without_items(names, 0, names.size(), pinned);
  }
  if (candidate == current_) return false;
  std::size_t before = current_["expect"]["hold"].size() + current_["expect"]["violate"].size();
  if (!attempt(candidate, "/expect")) return false;
  steps_.push_back("/expect: " + std::to_string(before) + " -> " +
                   std::to_string(current_["expect"]["hold"].size() + current_["expect"]["violate"].size()) +
                   " expectations");
  return true;
}

// The swarm becomes the explicit faults it drew for this seed: the same run
// (the same trace_hash), but now each fault can be removed on its own.
bool Shrinker::replace_swarm() {
  if (!current_.contains("swarm")) return false;
  Scenario scenario = load_scenario_json(current_, label_);
  std::vector<FaultSpec> drawn = swarm_faults(scenario, seed_);
  std::string hash_before = current_figures_.trace_hash;
  if (!attempt(with_swarm_replaced(current_, drawn), "/swarm")) return false;
  steps_.push_back("/swarm: replaced by the " + std::to_string(drawn.size()) + " faults it drew for seed " +
                   std::to_string(seed_) +
                   (current_figures_.trace_hash == hash_before ? " (same trace_hash)" : " (trace_hash differs)"));
  return true;
}

// A swarm's times are nanosecond-exact; a person reads "4632ms" more easily.
// The coarsest rounding that keeps the failure wins. Times written by hand
// (whole milliseconds) are left as they were written.
bool Shrinker::round_fault_times() {
  for (Nanos step : {kNanosPerSecond, 100 * kNanosPerMilli, 10 * kNanosPerMilli, kNanosPerMilli}) {
    nlohmann::json candidate = with_fault_times_rounded(current_, step);
    if (candidate == current_) return false;  // already as round as this, so as any finer step
    if (attempt(candidate, "/faults (rounding)")) {
      steps_.push_back("/faults: times rounded to " + format_duration(step));
      return true;
    }
  }
  return false;
}

// Delta debugging over one list: remove halves, then quarters, ... then
// single items, keeping every removal after which the run fails the same way.
bool Shrinker::drop_items(const Pointer& at, std::size_t min_size) {
  if (!current_.contains(at)) return false;
  auto pinned = [](const nlohmann::json&) { return false; };
  const std::size_t size_before = current_.at(at).size();
  for (std::size_t chunk = std::max<std::size_t>(1, size_before / 2); !exhausted_; chunk /= 2) {
    for (std::size_t from = 0; from < current_.at(at).size() && !exhausted_;) {
      const nlohmann::json& items = current_.at(at);
      nlohmann::json fewer = without_items(items, from, chunk, pinned);
      bool removable = fewer.size() < items.size() && fewer.size() >= min_size;
      nlohmann::json candidate = current_;
      candidate[at] = std::move(fewer);
      // After a removal the next items moved down to `from`: try there again.
      if (!removable || !attempt(candidate, at.to_string())) from += chunk;
    }
    if (chunk == 1) break;
  }
  if (current_.at(at).size() == size_before) return false;
  steps_.push_back(at.to_string() + ": " + std::to_string(size_before) + " -> " +
                   std::to_string(current_.at(at).size()) + " items");
  return true;
}

bool Shrinker::lower_count(const Pointer& at) {
  if (!current_.contains(at) || !current_.at(at).is_number_integer()) return false;
  return lower(at, current_.at(at).get<std::int64_t>(), 1,
               [](std::int64_t value) { return nlohmann::json(value); });
}

bool Shrinker::lower_duration(const Pointer& at) {
  if (!current_.contains(at) || !current_.at(at).is_string()) return false;
  std::optional<Nanos> value = parse_duration(current_.at(at).get<std::string>(), nullptr);
  if (!value) return false;
  return lower(at, *value, kNanosPerMilli, [](std::int64_t ns) { return nlohmann::json(format_duration(ns)); });
}

// Bisection down from `value` (which fails the same way) towards `unit`,
// the smallest value tried. Failures need not be monotonic in the value, so
// this finds a small value, not always the smallest; it stops once the gap
// is within 1/32 of the value, which is as exact as a repro needs to be.
bool Shrinker::lower(const Pointer& at, std::int64_t value, std::int64_t unit,
                     const std::function<nlohmann::json(std::int64_t)>& encode) {
  if (value <= unit) return false;
  auto fails_at = [&](std::int64_t v) {
    nlohmann::json candidate = current_;
    candidate[at] = encode(v);
    return attempt(candidate, at.to_string());
  };
  std::int64_t good = value, bad = 0;
  if (fails_at(unit)) {
    good = unit;
  } else {
    bad = unit;
    while (!exhausted_ && good - bad > std::max<std::int64_t>(1, good / 32)) {
      std::int64_t mid = round_midpoint(bad, good, unit);
      (fails_at(mid) ? good : bad) = mid;
    }
  }
  if (good == value) return false;
  steps_.push_back(at.to_string() + ": " + encode(value).dump() + " -> " + encode(good).dump());
  return true;
}

// Keeps `candidate` as the current scenario when it loads and fails the same way.
bool Shrinker::attempt(const nlohmann::json& candidate, const std::string& step) {
  std::string text = candidate.dump();
  if (refused_.count(text) != 0 || !budget_left()) return false;
  std::optional<Scenario> scenario;
  try {
    scenario = load_scenario_json(candidate, label_);
  } catch (const ScenarioError&) {
    ++rejected_;  // e.g. a fault left targeting a worker that was removed
    refused_.insert(std::move(text));
    return false;
  }
  ShrinkTrial trial = run(*scenario);
  bool same = trial.failure && trial.failure->same_as(failure_);
  if (same) {
    current_ = candidate;
    current_figures_ = trial.figures;
  } else {
    refused_.insert(std::move(text));
  }
  report_progress(step);
  return same;
}

bool Shrinker::budget_left() {
  if (!exhausted_ && (runs_ >= options_.max_runs || (options_.out_of_time && options_.out_of_time()))) {
    exhausted_ = true;
  }
  return !exhausted_;
}

ShrinkTrial Shrinker::run(const Scenario& scenario) {
  ++runs_;
  return run_trial(scenario, seed_);
}

void Shrinker::report_progress(const std::string& step) const {
  if (options_.on_progress) options_.on_progress({runs_, options_.max_runs, step, before_, current_figures_});
}

std::string Shrinker::description() const {
  return "Shrunk by `sluice shrink` from " + label_ + " (scenario '" + original_name_ + "'), whose run at seed " +
         std::to_string(seed_) + " failed first on " + failure_.invariant + ": " + as_sentence(failure_.first) +
         " This scenario fails the same way (" + failure_.signature + ") at that seed. Before: " +
         figures_text(before_) + "; after: " + figures_text(current_figures_) + ".";
}

ShrinkResult Shrinker::finish() {
  nlohmann::json out = current_;
  out["name"] = shrunk_name(original_name_);
  out["seed"] = seed_;
  out["description"] = description();
  out.erase("$schema");  // a path relative to where the original lives, not to where this is written
  // The file must fail on its own: run it once more, exactly as written.
  Scenario scenario = load_scenario_json(out, label_);
  ShrinkTrial check = run(scenario);
  if (!check.failure || !check.failure->same_as(failure_) || check.figures.trace_hash != current_figures_.trace_hash) {
    throw std::logic_error("sluice shrink: the minimised scenario did not reproduce the failure at seed " +
                           std::to_string(seed_) + " (a determinism bug)");
  }
  ShrinkResult result;
  result.reproduced = true;
  result.failure = failure_;
  result.before = before_;
  result.after = check.figures;
  result.scenario = std::move(out);
  result.runs = runs_;
  result.rejected = rejected_;
  result.budget_exhausted = exhausted_;
  result.steps = steps_;
  return result;
}

}  // namespace

ShrinkResult shrink_scenario(const nlohmann::json& scenario_json, const std::string& file_label, std::uint64_t seed,
                             const ShrinkOptions& options) {
  Shrinker shrinker(file_label, seed, options);
  if (!shrinker.start(scenario_json)) {
    ShrinkResult nothing;
    nothing.runs = shrinker.runs();
    return nothing;
  }
  shrinker.search();
  return shrinker.finish();
}

}  // namespace sluice

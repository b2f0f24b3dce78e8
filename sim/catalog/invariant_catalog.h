// The invariants Sluice judges, each listed once with what it promises. Pure
// data, no simulation code: the loader (valid names in `expect`), the runner
// (what is judged, in this order), the summary, JUnit, the visualizer, the
// schema test and the defects test all read this list and keep no copy.
// How each is judged is sim/run/judge.cc's switch over InvariantId.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

enum class InvariantId {
  no_loss,
  no_duplicate_effects,
  per_key_order,
  checkpoint_consistency,
  bounded_queues,
  flow_control,
  drains_after_heal,
  progress,
  no_flapping,
  scale_in_is_lossless,
  latency_slo,
};

struct InvariantInfo {
  InvariantId id;
  std::string_view name;
  // One plain sentence: what it promises, and what does not count against it.
  std::string_view description;
  // The defects (core/model/defects.h) that must trip it: tests/sim/defects_test.cc
  // runs scenarios/defects/<defect>.json for each and expects this invariant broken.
  std::vector<std::string_view> defects;
};

// Every invariant, in report order.
const std::vector<InvariantInfo>& invariant_catalog();
// The entry of that name, or null.
const InvariantInfo* find_invariant(std::string_view name);
const InvariantInfo& invariant_info(InvariantId id);
// Where `name` stands in report order; names the catalog does not know (a run
// from another version) come after every known one.
std::size_t invariant_rank(std::string_view name);
// The names of a summary's "invariants" object (which JSON keeps sorted by
// name), in report order.
template <typename JsonObject>
std::vector<std::string> names_in_report_order(const JsonObject& invariants);

// The names alone, in report order (the loader's list of valid names).
const std::vector<std::string>& invariant_names();

template <typename JsonObject>
std::vector<std::string> names_in_report_order(const JsonObject& invariants) {
  std::vector<std::string> names;
  for (const auto& [name, verdict] : invariants.items()) names.push_back(name);
  std::stable_sort(names.begin(), names.end(),
                   [](const std::string& a, const std::string& b) { return invariant_rank(a) < invariant_rank(b); });
  return names;
}

}  // namespace sluice

#include "sim/check/explain/explain_support.h"

#include <algorithm>

namespace sluice {

const FaultWindow* fault_cutting(const CausalLog& log, const std::string& a, const std::string& b, Nanos t0, Nanos t1,
                               bool both_ways) {
  return latest_fault(log, [&](const FaultWindow& f) {
    const bool overlaps = f.begin <= t1 && t0 < f.end;
    return overlaps && (f.cuts(a, b) || (both_ways && f.cuts(b, a)));
  });
}

const FaultWindow* fault_hitting(const CausalLog& log, const std::string& node, Nanos t0, Nanos t1, bool crash_only) {
  return latest_fault(log, [&](const FaultWindow& f) {
    return f.begin >= t0 && f.begin <= t1 && f.hits(node) && (!crash_only || f.is_crash());
  });
}

std::vector<const Mark*> marks_between(const CausalLog& log, std::string_view kind, Nanos t0, Nanos t1,
                                       std::optional<std::uint32_t> part) {
  std::vector<const Mark*> out;
  for (const Mark& m : log.marks()) {
    if (m.kind == kind && m.t >= t0 && m.t <= t1 && (!part || m.part == *part)) out.push_back(&m);
  }
  return out;
}

std::string fault_words(const FaultWindow& fault) {
  return fault.label() + " (" + human_time(fault.begin) + " to " +
         (fault.end == kNever ? std::string("the end of the run") : human_time(fault.end)) + ")";
}

std::vector<CausalRecord> of_kind(const std::vector<CausalRecord>& records, std::string_view kind) {
  std::vector<CausalRecord> out;
  for (const CausalRecord& r : records) {
    if (r.kind == kind) out.push_back(r);
  }
  return out;
}

std::optional<CausalRecord> last_before(const std::vector<CausalRecord>& records, Nanos t,
                                        std::initializer_list<std::string_view> kinds) {
  std::optional<CausalRecord> found;
  for (const CausalRecord& r : records) {
    if (r.t >= t) break;
    if (std::find(kinds.begin(), kinds.end(), std::string_view(r.kind)) != kinds.end()) found = r;
  }
  return found;
}

ExplainStep mark_step(const CausalLog& log, const Mark& mark, std::string text) {
  const std::string_view kind = mark.kind;
  const bool on_queue = kind == "restore" || kind == "snapshot";
  Place place{on_queue ? Role::queue : Role::stage, mark.part, mark.worker};
  if (kind == "commit_fenced" || kind == "worker_lost" || kind == "replica") place.role = Role::worker;
  return {mark.t, log.node_of(place), log.part_name(place), mark.kind, "", std::move(text)};
}

void order_steps(std::vector<ExplainStep>& steps) {
  std::stable_sort(steps.begin(), steps.end(), [](const ExplainStep& a, const ExplainStep& b) { return a.t_ns < b.t_ns; });
  auto same = [](const ExplainStep& a, const ExplainStep& b) {
    return a.t_ns == b.t_ns && a.kind == b.kind && a.event == b.event && a.part == b.part && a.text == b.text;
  };
  steps.erase(std::unique(steps.begin(), steps.end(), same), steps.end());
}

}  // namespace sluice

#include "sim/check/explain/causal_log.h"

#include <algorithm>

#include "sim/world/fault_spec.h"

namespace sluice {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const std::string& at_or_empty(const std::vector<std::string>& names, std::size_t i) {
  static const std::string kNone;
  return i < names.size() ? names[i] : kNone;
}

}  // namespace

std::string event_name(EventId id) { return std::to_string(source_of(id)) + ":" + std::to_string(sequence_of(id)); }

bool FaultWindow::cuts(const std::string& a, const std::string& b) const {
  if (kind == "partition_one_way") return contains(from, a) && contains(to, b);
  if (kind != "partition") return false;
  int group_a = -1, group_b = -1;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (contains(groups[g], a)) group_a = static_cast<int>(g);
    if (contains(groups[g], b)) group_b = static_cast<int>(g);
  }
  return group_a >= 0 && group_b >= 0 && group_a != group_b;
}

bool FaultWindow::hits(const std::string& n) const { return contains(nodes, n); }

FaultWindow fault_window(const FaultSpec& fault, Nanos now, Nanos lasts) {
  FaultWindow span;
  span.begin = now;
  span.end = lasts == kNever ? kNever : now + lasts;
  span.kind = fault_kind_name(fault.kind);
  span.target = fault.describe_targets();
  span.nodes = fault.nodes();
  span.from = fault.from;
  span.to = fault.to;
  span.groups = fault.groups;
  return span;
}

CausalLog::CausalLog(PartPlaces places) : places_(std::move(places)), ring_(kRing), commits_(places_.queues.size()) {
  for (const std::vector<std::string>& workers : places_.worker_nodes) credits_.emplace_back(workers.size());
}

void CausalLog::credits_reset(StageIndex stage, std::uint32_t worker, Nanos t) {
  if (CreditTally* tally = tally_of(stage, worker)) *tally = CreditTally{.since = t};
}

CreditTally CausalLog::tally(StageIndex stage, std::uint32_t worker) const {
  if (stage >= credits_.size() || worker >= credits_[stage].size()) return {};
  return credits_[stage][worker];
}

void CausalLog::produced(Nanos t, const Event& event, Place source) {
  in_flight_.try_emplace(event.id);  // a new entry: no sighting yet
  note("produce", t, event, source);
}

void CausalLog::fault_began(FaultWindow span) {
  if (faults_.size() >= kRareMost) return;
  span.commits_before = commits_;
  faults_.push_back(std::move(span));
}

void CausalLog::fault_healed(const std::string& kind, const std::string& target, Nanos began, Nanos now) {
  for (FaultWindow& f : faults_) {
    if (f.kind == kind && f.target == target && !f.healed && f.begin >= began) {
      f.end = now;
      f.healed = true;
      return;
    }
  }
}

void CausalLog::mark(Mark m) {
  if (marks_.size() < kRareMost) marks_.push_back(std::move(m));
}

void CausalLog::committed(QueueIndex queue, Commit commit) {
  if (queue < commits_.size()) commits_[queue] = commit;
}

std::vector<CausalRecord> CausalLog::of_event(EventId id) const {
  std::vector<CausalRecord> out;
  const std::size_t count = std::min(next_, kRing);
  for (std::size_t i = next_ - count; i < next_; ++i) {
    if (ring_[i % kRing].id == id && ring_[i % kRing].kind[0] != '\0') out.push_back(ring_[i % kRing]);
  }
  return out;
}

std::vector<CausalRecord> CausalLog::of_key(std::uint64_t key) const {
  std::vector<CausalRecord> out;
  const std::size_t count = std::min(next_, kRing);
  for (std::size_t i = next_ - count; i < next_; ++i) {
    if (ring_[i % kRing].key == key && ring_[i % kRing].kind[0] != '\0') out.push_back(ring_[i % kRing]);
  }
  return out;
}

std::vector<CausalRecord> CausalLog::recent_at(Place place, std::string_view kind, std::size_t most) const {
  std::vector<CausalRecord> out;
  const std::size_t count = std::min(next_, kRing);
  for (std::size_t back = 1; back <= count && out.size() < most; ++back) {
    const CausalRecord& r = ring_[(next_ - back) % kRing];
    const bool same_worker = place.role != Role::worker || r.place.worker == place.worker;
    if (r.place.role == place.role && r.place.index == place.index && same_worker && r.kind == kind) out.push_back(r);
  }
  return {out.rbegin(), out.rend()};
}

std::vector<CausalRecord> CausalLog::recent_unresolved(std::size_t most) const {
  std::vector<CausalRecord> out;
  EventIdMap<bool> newer;  // events met already in this pass: this record is not their last
  const std::size_t count = std::min(next_, kRing);
  for (std::size_t back = 1; back <= count && out.size() < most; ++back) {
    const CausalRecord& r = ring_[(next_ - back) % kRing];
    if (r.kind[0] == '\0' || newer.contains(r.id)) continue;
    newer[r.id] = true;
    if (in_flight_.contains(r.id)) out.push_back(r);
  }
  return {out.rbegin(), out.rend()};
}

template <typename Match>
const CausalRecord* CausalLog::newest_in_ring(EventId id, Match match) const {
  const std::size_t count = std::min(next_, kRing);
  for (std::size_t back = 1; back <= count; ++back) {
    const CausalRecord& r = ring_[(next_ - back) % kRing];
    if (r.id == id && r.kind[0] != '\0' && match(r)) return &r;
  }
  return nullptr;
}

std::uint32_t CausalLog::new_sighting() {
  if (free_sightings_.empty()) {
    sightings_.emplace_back();
    return static_cast<std::uint32_t>(sightings_.size() - 1);
  }
  const std::uint32_t index = free_sightings_.back();
  free_sightings_.pop_back();
  sightings_[index] = Sighting{};
  return index;
}

const CausalLog::Sighting* CausalLog::sighting_of(EventId id) const {
  const std::uint32_t* index = in_flight_.find(id);
  return index == nullptr || *index == 0 ? nullptr : &sightings_[*index - 1];
}

const CausalRecord* CausalLog::last_seen(EventId id) const {
  if (!in_flight_.contains(id)) return nullptr;
  if (const CausalRecord* r = newest_in_ring(id, [](const CausalRecord&) { return true; })) return r;
  const Sighting* sighting = sighting_of(id);
  return sighting == nullptr || sighting->last.kind[0] == '\0' ? nullptr : &sighting->last;
}

const CausalRecord* CausalLog::last_holder(EventId id) const {
  if (!in_flight_.contains(id)) return nullptr;
  auto at_worker = [](const CausalRecord& r) { return r.place.role == Role::worker; };
  if (const CausalRecord* r = newest_in_ring(id, at_worker)) return r;
  const Sighting* sighting = sighting_of(id);
  return sighting == nullptr || sighting->holder.kind[0] == '\0' ? nullptr : &sighting->holder;
}

std::string CausalLog::node_of(Place place) const {
  switch (place.role) {
    case Role::source: return at_or_empty(places_.source_nodes, place.index);
    case Role::queue: return at_or_empty(places_.queue_nodes, place.index);
    case Role::sink: return at_or_empty(places_.sink_nodes, place.index);
    case Role::worker:
      return place.index < places_.worker_nodes.size() ? at_or_empty(places_.worker_nodes[place.index], place.worker)
                                                        : std::string();
    case Role::stage: return {};
  }
  return {};
}

std::string CausalLog::part_name(Place place) const {
  switch (place.role) {
    case Role::source: return "source '" + at_or_empty(places_.sources, place.index) + "'";
    case Role::queue:
      return (place.index < places_.queue_is_log.size() && places_.queue_is_log[place.index] ? "partition '" : "queue '") +
             at_or_empty(places_.queues, place.index) + "'";
    case Role::sink: return "sink '" + at_or_empty(places_.sinks, place.index) + "'";
    case Role::stage: return "stage '" + at_or_empty(places_.stages, place.index) + "'";
    case Role::worker:
      return "worker-" + std::to_string(place.worker) + " of '" + at_or_empty(places_.stages, place.index) + "'";
  }
  return {};
}

std::string CausalLog::where(Place place) const {
  std::string node = node_of(place);
  return part_name(place) + (node.empty() ? "" : " on node " + node);
}

ExplainStep CausalLog::step(const CausalRecord& record, std::string text) const {
  return {record.t, node_of(record.place), part_name(record.place), record.kind, event_name(record.id),
          std::move(text)};
}

ExplainStep CausalLog::step(const FaultWindow& fault, bool begins, std::string text) const {
  const std::string node = fault.nodes.size() == 1 ? fault.nodes.front() : std::string();
  return {begins ? fault.begin : fault.end, node, "fault " + fault.label(), begins ? "fault" : "heal", "",
          std::move(text)};
}

}  // namespace sluice

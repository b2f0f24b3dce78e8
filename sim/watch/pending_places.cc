#include "sim/watch/pending_places.h"

#include <algorithm>

#include "sim/catalog/fault_kind_catalog.h"

namespace sluice {

void PendingPlaces::node_faults_changed(const FaultSpec& fault, bool begins) {
  const Nanos now = runtime_.now();
  const std::string kind = fault_kind_name(fault.kind);
  for (const std::string& node : fault.nodes()) {
    std::vector<std::string>& faults = node_faults_[node];
    if (begins) {
      const bool crash = fault.kind == FaultKind::crash || fault.kind == FaultKind::crash_at_point;
      const Nanos lasts = crash ? fault.restart_after : fault.duration;
      faults.push_back(kind + (lasts == kNever ? " that never heals" : " until t=" + std::to_string(now + lasts) + "ns"));
    } else {
      auto it = std::find_if(faults.begin(), faults.end(), [&](const std::string& f) { return f.starts_with(kind + " "); });
      if (it != faults.end()) faults.erase(it);
    }
  }
}

std::string PendingPlaces::describe_node(const std::string& node) const {
  std::string out = "node '" + node + "'";
  auto it = node_faults_.find(node);
  if (it == node_faults_.end() || it->second.empty()) return out;
  out += " (under ";
  for (std::size_t i = 0; i < it->second.size(); ++i) out += (i == 0 ? "" : ", ") + it->second[i];
  return out + ")";
}

std::string PendingPlaces::describe_worker(StageIndex stage, std::uint32_t worker) const {
  const std::vector<std::string>& nodes = names_.stage_worker_nodes[stage];
  return "worker " + std::to_string(worker) + " of stage '" + names_.stages[stage] + "'" +
         (worker < nodes.size() ? " on " + describe_node(nodes[worker]) : "");
}

PendingPlace PendingPlaces::locate(EventId id) const {
  using Spot = PendingPlace::Spot;
  const CausalRecord* seen = causal_.last_seen(id);
  if (seen == nullptr) return {.spot = Spot::unseen};
  PendingPlace place{.part = seen->place.index, .worker = seen->place.worker, .since = seen->t};
  const std::string_view kind = seen->kind;
  switch (seen->place.role) {
    case Role::queue: place.spot = Spot::queue; break;
    case Role::source: place.spot = Spot::spill; break;  // accepted and back at its source: its spill backlog
    case Role::stage: place.spot = Spot::stranded; break;
    case Role::sink: place.spot = Spot::unseen; break;
    case Role::worker:
      if (kind == "route") place.spot = Spot::inbox;
      else if (kind == "attempt_failed") place.spot = Spot::retry, place.last_failure = seen->reason;
      else if (kind == "processed") place.spot = Spot::handover;
      else place.spot = Spot::service;
      break;
  }
  return place;
}

std::string PendingPlaces::describe_place(const PendingPlace& place) const {
  const std::string since = " since t=" + std::to_string(place.since) + "ns";
  switch (place.spot) {
    case PendingPlace::Spot::queue: {
      const bool partition = place.part >= names_.buffer_queues;
      const std::int64_t consumer = names_.queue_consumers[place.part];
      std::string waits = consumer < 0 ? "nothing reads it"
                                       : "a worker of stage '" + names_.stages[static_cast<std::size_t>(consumer)] +
                                             "' to take it (workers on ";
      if (consumer >= 0) {
        const std::vector<std::string>& nodes = names_.stage_worker_nodes[static_cast<std::size_t>(consumer)];
        for (std::size_t i = 0; i < nodes.size(); ++i) waits += (i == 0 ? "" : ", ") + describe_node(nodes[i]);
        waits += ")";
      }
      return std::string(partition ? "in the partition log '" : "queued in '") + names_.queues[place.part] + "'" +
             since + "; waits on " + waits;
    }
    case PendingPlace::Spot::inbox:
      return "in the inbox of " + describe_worker(place.part, place.worker) + since +
             "; waits on that worker to take it";
    case PendingPlace::Spot::service:
      return "in service at " + describe_worker(place.part, place.worker) + since + "; waits on its service time";
    case PendingPlace::Spot::retry:
      return "in the retry loop of " + describe_worker(place.part, place.worker) + " (last failure: " +
             place.last_failure + ")" + since + "; waits on an attempt or a hand-over to '" +
             names_.stage_outputs[place.part] + "' succeeding";
    case PendingPlace::Spot::handover:
      return "processed by " + describe_worker(place.part, place.worker) + since + "; waits on '" +
             names_.stage_outputs[place.part] + "' to accept it";
    case PendingPlace::Spot::spill:
      return "in the spill backlog of source '" + names_.sources[place.part] + "'" + since +
             "; waits on its downstream accepting a replay";
    case PendingPlace::Spot::stranded:
      return "lost from the hands of stage '" + names_.stages[place.part] + "' in a crash" + since +
             "; waits on its partition redelivering it to a live member";
    case PendingPlace::Spot::unseen:
      return "accepted at t=" + std::to_string(place.since) + "ns and not seen since; waits on nothing known";
  }
  return "somewhere";
}

}  // namespace sluice

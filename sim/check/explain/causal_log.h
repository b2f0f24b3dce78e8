// The causal record store the explainers read: what happened to recent
// events (a ring), where each unresolved event was last seen, and the rare
// facts that explain them (faults, rebalances, checkpoints, restores, fenced
// commits). Memory is bounded: the ring is fixed, the rare facts are capped,
// and "last seen" holds only events still in flight (resolved ones leave).
//
// Cost: noting a record writes one ring slot. The per-event table is touched
// when an event is produced, when it is resolved, and when one of its records
// leaves the ring while it is still in flight (then the table keeps that
// record as its last sighting). "Last seen" is the newest record of the event
// in the ring, else the one the table kept: found by a scan, at explanation
// time only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/event.h"
#include "sim/check/event_id_map.h"
#include "sim/check/explanation.h"

namespace sluice {

// Names and nodes of the pipeline's parts, indexed like the core's ids.
struct PartPlaces {
  std::vector<std::string> sources, source_nodes;
  std::vector<std::string> queues, queue_nodes;
  std::vector<bool> queue_is_log;  // a topic partition's log (on disk), not an in-memory buffer
  std::vector<std::string> stages;
  std::vector<std::vector<std::string>> worker_nodes;  // [stage][worker]
  std::vector<std::string> sinks, sink_nodes;
  std::vector<std::string> sink_dedup;  // per sink: "" or how it recognises repeats ("a window of the last 4 ids")
  std::vector<std::string> defects;     // the scenario's injected defects, by name
  std::string delivery;                 // the scenario's delivery mode ("at_least_once", ...)
  bool has_defect(std::string_view name) const {
    for (const std::string& d : defects) {
      if (d == name) return true;
    }
    return false;
  }
};

enum class Role : std::uint8_t { source, queue, stage, worker, sink };

// Where something happened: a part, and for a worker its index.
struct Place {
  Role role = Role::source;
  std::uint32_t index = 0;
  std::uint32_t worker = 0;
};

// One history record about one event. `kind` is its trace.jsonl kind and,
// like `reason`, a string literal.
struct CausalRecord {
  const char* kind = "";
  Nanos t = 0;
  EventId id = 0;
  std::uint64_t key = 0;
  Place place;
  std::uint64_t detail = 0;  // the attempt of an attempt_failed, the depth of an enqueue
  Nanos emitted_at = 0;      // the event's production time (order explanations compare it)
  const char* reason = "";
};

struct Commit {
  Nanos t = -1;
  std::uint64_t offset = 0;
  std::uint64_t generation = 0;
};

struct FaultWindow {
  Nanos begin = 0;
  Nanos end = kNever;  // the heal, or the planned end; kNever: lasts past the run
  bool healed = false;
  std::string kind;    // fault_kind_name()
  std::string target;  // describe_targets()
  std::vector<std::string> nodes, from, to;
  std::vector<std::vector<std::string>> groups;
  std::vector<Commit> commits_before;  // by queue: the last committed offset when it began (a loss names it)
  // True when the fault cuts messages from node a to node b.
  bool cuts(const std::string& a, const std::string& b) const;
  // True when it hits node n (crash, pause, slow, skew: the target; partitions: a member).
  bool hits(const std::string& n) const;
  bool active_at(Nanos t) const { return begin <= t && t < end; }
  // A crash of any kind (crash, crash_at_point, ...): the node lost its volatile state.
  bool is_crash() const { return kind.rfind("crash", 0) == 0; }
  std::string label() const { return kind + " " + target; }
};

// A rare pipeline-wide fact: "rebalance", "checkpoint", "checkpoint_aborted",
// "restore", "commit_fenced", "crash_drop_tail".
struct Mark {
  const char* kind = "";
  Nanos t = 0;
  std::uint32_t part = 0;  // the stage (rebalance, checkpoint, fenced) or the queue (restore)
  std::uint64_t id = 0;    // generation, checkpoint id
  std::uint64_t offset = 0;
  std::uint32_t worker = 0;
  std::string reason{};
};

// A worker's credits since it last (re)started: what flow_control's
// explanation sets against the deliveries made.
struct CreditTally {
  std::int64_t requested = 0;
  std::uint64_t delivered = 0;
  Nanos last_request_t = -1;
  std::int64_t last_request_n = 0;
  Nanos since = 0;  // when the tally began (the start, or the worker's restart)
};

struct FaultSpec;
// The span a fault that began at `now` covers (`lasts`: its planned duration).
FaultWindow fault_window(const FaultSpec& fault, Nanos now, Nanos lasts);

class CausalLog {
 public:
  explicit CausalLog(PartPlaces places);

  // A source made the event: it is in flight until resolved (noted as "produce").
  void produced(Nanos t, const Event& event, Place source);
  void note(const char* kind, Nanos t, const Event& event, Place place, std::uint64_t detail = 0,
            const char* reason = "") {
    CausalRecord& slot = ring_[next_ % kRing];
    if (next_ >= kRing) retire(slot);
    slot = CausalRecord{kind, t, event.id, event.key, place, detail, event.emitted_at, reason};
    ++next_;
  }
  // The event took effect or was shed: "last seen" forgets it.
  void resolved(const Event& event) {
    std::uint32_t sighting = 0;
    if (in_flight_.erase(event.id, &sighting) && sighting != 0) free_sightings_.push_back(sighting - 1);
  }
  void fault_began(FaultWindow span);
  void fault_healed(const std::string& kind, const std::string& target, Nanos began, Nanos now);
  void mark(Mark m);
  void committed(QueueIndex queue, Commit commit);
  // Inline: one of each per delivery, on the hot path.
  void credit_requested(StageIndex stage, std::uint32_t worker, std::int64_t n, Nanos t) {
    if (CreditTally* tally = tally_of(stage, worker)) {
      tally->requested += n;
      tally->last_request_t = t;
      tally->last_request_n = n;
    }
  }
  void credit_used(StageIndex stage, std::uint32_t worker) {
    if (CreditTally* tally = tally_of(stage, worker)) ++tally->delivered;
  }
  void credits_reset(StageIndex stage, std::uint32_t worker, Nanos t);
  CreditTally tally(StageIndex stage, std::uint32_t worker) const;

  // The ring's records of one event, or of one key, oldest first.
  std::vector<CausalRecord> of_event(EventId id) const;
  std::vector<CausalRecord> of_key(std::uint64_t key) const;
  // The newest `most` records of `kind` at `place` (any worker of a stage when
  // place is a stage), oldest first.
  std::vector<CausalRecord> recent_at(Place place, std::string_view kind, std::size_t most) const;
  // The newest records of events still in flight (their last sighting), oldest first, at most `most`.
  std::vector<CausalRecord> recent_unresolved(std::size_t most) const;
  // The last record of an event still in flight, if any.
  const CausalRecord* last_seen(EventId id) const;
  // The last worker that held an event still in flight, if any.
  const CausalRecord* last_holder(EventId id) const;
  const std::vector<FaultWindow>& faults() const { return faults_; }
  const std::vector<Mark>& marks() const { return marks_; }
  Commit last_commit(QueueIndex queue) const { return queue < commits_.size() ? commits_[queue] : Commit{}; }

  // Naming, for the explainers.
  const PartPlaces& places() const { return places_; }
  std::string node_of(Place place) const;
  std::string part_name(Place place) const;   // "worker-1 of 'work'", "sink 'db'"
  std::string where(Place place) const;       // "worker-1 of 'work' on node w1"
  ExplainStep step(const CausalRecord& record, std::string text) const;
  ExplainStep step(const FaultWindow& fault, bool begins, std::string text) const;

 private:
  static constexpr std::size_t kRing = 8192;
  static constexpr std::size_t kRareMost = 4096;
  PartPlaces places_;
  std::vector<CausalRecord> ring_;
  std::size_t next_ = 0;
  struct Sighting {
    CausalRecord last;    // the newest of its records that left the ring (kind "" when none)
    CausalRecord holder;  // the newest of those at a worker (kind "" when none)
  };
  // A record leaves the ring: an event still in flight keeps it as a sighting.
  void retire(const CausalRecord& old) {
    if (std::uint32_t* sighting = in_flight_.find(old.id)) {
      if (*sighting == 0) *sighting = new_sighting() + 1;
      Sighting& kept = sightings_[*sighting - 1];
      kept.last = old;
      if (old.place.role == Role::worker) kept.holder = old;
    }
  }
  // An empty sighting's index in sightings_, reusing one a resolved event freed.
  std::uint32_t new_sighting();
  // The sighting kept for an event in flight, or null (not in flight, or none of its records left the ring yet).
  const Sighting* sighting_of(EventId id) const;
  // The newest record of `id` in the ring that `match` accepts, or null.
  template <typename Match>
  const CausalRecord* newest_in_ring(EventId id, Match match) const;
  // Events produced and not resolved; looked up only, never iterated. The
  // value is 1 + the index of the event's sighting in sightings_, or 0 while
  // none of its records has left the ring: most events resolve before that,
  // so the table stays small (16-byte slots) and the sightings few.
  EventIdMap<std::uint32_t> in_flight_;
  std::vector<Sighting> sightings_;
  std::vector<std::uint32_t> free_sightings_;  // indices in sightings_ of resolved events
  std::vector<FaultWindow> faults_;
  std::vector<Mark> marks_;
  std::vector<Commit> commits_;  // by queue: the last committed offset
  std::vector<std::vector<CreditTally>> credits_;  // [stage][worker]
  CreditTally* tally_of(StageIndex stage, std::uint32_t worker) {
    if (stage >= credits_.size() || worker >= credits_[stage].size()) return nullptr;
    return &credits_[stage][worker];
  }
};

std::string event_name(EventId id);  // "0:17", as trace.jsonl writes it

}  // namespace sluice

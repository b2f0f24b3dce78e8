#include "sim/check/progress_checker.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace sluice {

namespace {
constexpr std::size_t kMostStuckListed = 5;

std::string event_name(EventId id) {
  return "event " + std::to_string(source_of(id)) + ":" + std::to_string(sequence_of(id));
}
}  // namespace

ProgressChecker::ProgressChecker(ProgressBounds bounds, Describe describe)
    : bounds_(bounds), describe_(std::move(describe)) {}

void ProgressChecker::moved(const Event& event, PendingPlace::Spot spot, std::uint32_t part, std::uint32_t worker, Nanos now) {
  PendingPlace& place = places_[event.id];
  // Another attempt in the same place (a retry loop) keeps its first time.
  const bool same = place.spot == spot && place.part == part && place.worker == worker && place.since != 0;
  place.spot = spot;
  place.part = part;
  place.worker = worker;
  if (!same) place.since = now;
  check(now);
}

void ProgressChecker::accepted(const Event& event, Nanos now) {
  PendingPlace& place = places_[event.id];
  if (place.accepted) return;
  if (place.since == 0) place.since = now;
  place.accepted = true;
  if (pending_++ == 0) pending_since_ = now;
  check(now);
}

void ProgressChecker::attempted(const Event& event, const char* reason, Nanos now) {
  auto it = places_.find(event.id);
  if (it == places_.end()) return;
  PendingPlace& place = it->second;
  place.last_failure = reason;
  // Attempts while faults last are the faults' doing; the livelock bound
  // counts only those made once they are over.
  if (now >= bounds_.judged_from) ++place.attempts;
  judge_attempts(event.id, place, now);
  check(now);
}

void ProgressChecker::resolved(const Event& event, Nanos now) {
  check(now);  // an outcome after a stall does not excuse the stall
  auto it = places_.find(event.id);
  if (it == places_.end()) return;
  if (it->second.accepted) {
    --pending_;
    ++outcomes_;
    last_outcome_ = now;
  }
  places_.erase(it);
}

void ProgressChecker::judge_attempts(EventId id, const PendingPlace& place, Nanos now) {
  if (!place.accepted || place.attempts <= bounds_.attempts_max || violated()) return;
  violate(event_name(id) + " was attempted, redelivered or replayed " + std::to_string(place.attempts) +
              " times after the faults healed (t=" + std::to_string(bounds_.judged_from) +
              "ns) without an outcome, over the livelock bound of " + std::to_string(bounds_.attempts_max) +
              " (run.livelock_attempts); it is " + describe_(place),
          now);
}

bool ProgressChecker::check(Nanos now) {
  if (pending_ == 0 || violated() || now < bounds_.judged_from) return false;
  const Nanos base = std::max({last_outcome_, pending_since_, bounds_.judged_from});
  if (now - base <= bounds_.stall_after) return false;
  violate(std::to_string(pending_) + " pending event(s) and none reached an outcome from t=" + std::to_string(base) +
              "ns to t=" + std::to_string(now) + "ns, over run.stall_after of " + std::to_string(bounds_.stall_after) +
              "ns",
          now);
  return true;
}

Verdict ProgressChecker::verdict(Nanos end, bool can_move) {
  if (!violated()) check(end);
  if (!violated() && !can_move && pending_ > 0) {
    violate(std::to_string(pending_) + " pending event(s) at t=" + std::to_string(end) +
                "ns and nothing left in the simulation that could move them",
            end);
  }
  Verdict out = verdict_;
  out.checked = outcomes_;
  if (outcomes_ == 0 && pending_ == 0) {
    out.applicable = false;
    out.note = "no event was ever pending";
  }
  return out;
}

void ProgressChecker::violate(std::string what, Nanos now) {
  // The first violation is the one reported; it is found once, the run stops.
  if (violated()) return;
  verdict_.violate(std::move(what) + " at t=" + std::to_string(now) + "ns");
  verdict_.context = stuck(kMostStuckListed);
  if (pending_ > verdict_.context.size()) {
    verdict_.context.push_back("... and " + std::to_string(pending_ - verdict_.context.size()) + " more");
  }
}

std::vector<std::pair<EventId, PendingPlace>> ProgressChecker::stuck_places(std::size_t most) const {
  std::vector<std::pair<Nanos, EventId>> oldest;
  for (const auto& [id, place] : places_) {
    if (place.accepted) oldest.emplace_back(place.since, id);
  }
  std::size_t n = std::min(most, oldest.size());
  std::partial_sort(oldest.begin(), oldest.begin() + static_cast<std::ptrdiff_t>(n), oldest.end());
  std::vector<std::pair<EventId, PendingPlace>> out;
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(oldest[i].second, places_.at(oldest[i].second));
  return out;
}

std::optional<std::pair<EventId, PendingPlace>> ProgressChecker::most_attempted() const {
  std::optional<std::pair<EventId, PendingPlace>> found;
  for (const auto& [id, place] : places_) {
    if (!place.accepted || place.attempts == 0) continue;
    // Ties go to the lowest id, so the choice does not depend on the map's order.
    if (!found || place.attempts > found->second.attempts ||
        (place.attempts == found->second.attempts && id < found->first)) {
      found.emplace(id, place);
    }
  }
  return found;
}

std::vector<std::string> ProgressChecker::stuck(std::size_t most) const {
  std::vector<std::string> lines;
  for (const auto& [id, place] : stuck_places(most)) lines.push_back(event_name(id) + " " + describe_(place));
  return lines;
}

}  // namespace sluice

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

ProgressChecker::ProgressChecker(ProgressBounds bounds, Locate locate, Describe describe)
    : bounds_(bounds), locate_(std::move(locate)), describe_(std::move(describe)) {
  rearm();
}

void ProgressChecker::rearm() {
  if (pending_ == 0 || violated() || bounds_.judged_from == kNever) {
    check_after_ = kNever;
    return;
  }
  const Nanos base = std::max({last_outcome_, pending_since_, bounds_.judged_from});
  check_after_ = saturating_add(base, bounds_.stall_after);
}

void ProgressChecker::accepted(const Event& event, Nanos now) {
  const auto [pending, inserted] = pending_events_.try_emplace(event.id);
  if (!inserted) return;
  pending->accepted_at = now;
  if (pending_++ == 0) pending_since_ = now;
  rearm();
  check(now);
}

void ProgressChecker::attempted(const Event& event, const char* reason, Nanos now) {
  Pending* pending = pending_events_.find(event.id);
  if (pending == nullptr) return;
  pending->last_failure = reason;
  // Attempts while faults last are the faults' doing; the livelock bound
  // counts only those made once they are over.
  if (now >= bounds_.judged_from) ++pending->attempts;
  judge_attempts(event.id, *pending, now);
  check(now);
}

void ProgressChecker::resolved(const Event& event, Nanos now) {
  check(now);  // an outcome after a stall does not excuse the stall
  if (!pending_events_.erase(event.id)) return;
  --pending_;
  ++outcomes_;
  last_outcome_ = now;
  rearm();
}

PendingPlace ProgressChecker::place_of(EventId id, const Pending& pending) const {
  PendingPlace place = locate_(id);
  if (place.spot == PendingPlace::Spot::unseen) place.since = pending.accepted_at;
  place.attempts = pending.attempts;
  if (pending.last_failure[0] != '\0') place.last_failure = pending.last_failure;
  return place;
}

void ProgressChecker::judge_attempts(EventId id, const Pending& pending, Nanos now) {
  if (pending.attempts <= bounds_.attempts_max || violated()) return;
  violate(event_name(id) + " was attempted, redelivered or replayed " + std::to_string(pending.attempts) +
              " times after the faults healed (t=" + std::to_string(bounds_.judged_from) +
              "ns) without an outcome, over the livelock bound of " + std::to_string(bounds_.attempts_max) +
              " (run.livelock_attempts); it is " + describe_(place_of(id, pending)),
          now);
}

bool ProgressChecker::check_slow(Nanos now) {
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
  rearm();
  verdict_.context = stuck(kMostStuckListed);
  if (pending_ > verdict_.context.size()) {
    verdict_.context.push_back("... and " + std::to_string(pending_ - verdict_.context.size()) + " more");
  }
}

std::vector<std::pair<EventId, PendingPlace>> ProgressChecker::stuck_places(std::size_t most) const {
  // Oldest by acceptance; only the few listed are located (a backlog may hold millions).
  std::vector<std::pair<Nanos, EventId>> oldest;
  pending_events_.for_each([&](EventId id, const Pending& pending) { oldest.emplace_back(pending.accepted_at, id); });
  const std::size_t n = std::min(most, oldest.size());
  std::partial_sort(oldest.begin(), oldest.begin() + static_cast<std::ptrdiff_t>(n), oldest.end());
  std::vector<std::pair<EventId, PendingPlace>> out;
  for (std::size_t i = 0; i < n; ++i) {
    const EventId id = oldest[i].second;
    out.emplace_back(id, place_of(id, *pending_events_.find(id)));
  }
  return out;
}

std::optional<std::pair<EventId, PendingPlace>> ProgressChecker::most_attempted() const {
  std::optional<std::pair<EventId, Pending>> found;
  pending_events_.for_each([&](EventId id, const Pending& pending) {
    if (pending.attempts == 0) return;
    // Ties go to the lowest id, so the choice does not depend on the map's order.
    if (!found || pending.attempts > found->second.attempts ||
        (pending.attempts == found->second.attempts && id < found->first)) {
      found.emplace(id, pending);
    }
  });
  if (!found) return std::nullopt;
  return std::make_pair(found->first, place_of(found->first, found->second));
}

std::vector<std::string> ProgressChecker::stuck(std::size_t most) const {
  std::vector<std::string> lines;
  for (const auto& [id, place] : stuck_places(most)) lines.push_back(event_name(id) + " " + describe_(place));
  return lines;
}

}  // namespace sluice

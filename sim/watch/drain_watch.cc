#include "sim/watch/drain_watch.h"

namespace sluice {

void DrainWatch::on(const FaultBegan& rec) {
  const FaultSpec& fault = rec.fault;
  if (fault.kind == FaultKind::crash_at_point) {
    // Armed earlier, it fired now: liveness is judged from its heal.
    const Nanos now = runtime_.now();
    const Nanos lasts = fault.lasts();
    quiet_after_ = std::max(quiet_after_, lasts == kNever ? now : now + lasts);
  }
  check();
}

void DrainWatch::check() {
  if (!past_quiet_ && all_sources_finished() && runtime_.now() >= quiet_after_) {
    past_quiet_ = true;
    backlog_at_quiet_ = backlog();
  }
  if (drained_at_ >= 0 || !all_sources_finished() || backlog() != 0 || runtime_.now() < quiet_after_) return;
  drained_at_ = runtime_.now();
  if (on_drained_) on_drained_();
}

DrainFacts DrainWatch::facts(Nanos end, Nanos drain_within) const {
  DrainFacts facts;
  facts.drained_at = drained_at_;
  facts.quiet_at = std::max(last_source_finished_at_, quiet_after_);
  facts.backlog = backlog();
  facts.all_sources_finished = all_sources_finished();
  facts.end = end;
  facts.drain_within = drain_within;
  facts.backlog_at_quiet = backlog_at_quiet_;
  return facts;
}

}  // namespace sluice

#include "core/pipeline/source.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"

namespace sluice {
namespace {

const char* rejection_reason(OfferResult result) {
  return result == OfferResult::refused ? "refused" : "timed_out";
}

bool is_rejection(OfferResult result) {
  return result == OfferResult::refused || result == OfferResult::timed_out;
}

}  // namespace

const char* on_reject_name(OnReject policy) {
  switch (policy) {
    case OnReject::retry: return "retry";
    case OnReject::drop: return "drop";
    case OnReject::spill: return "spill";
  }
  return "?";
}

Source::Source(Runtime& runtime, Observer& observer, SourceConfig config, Inlet& target)
    : runtime_(runtime),
      observer_(observer),
      config_(std::move(config)),
      target_(target),
      rng_(runtime.stream("source/" + config_.name)),
      retry_rng_(runtime.stream("source/" + config_.name + "/retry")),
      rate_limit_(config_.rate_limit),
      budget_(config_.retry_budget_ratio),
      free_senders_(config_.max_in_flight),
      sender_free_("source: every sender busy"),
      work_ready_("source: nothing to send") {
  SLUICE_CHECK(config_.max_in_flight >= 1, "a source needs at least one sender");
  if (config_.on_reject == OnReject::spill) spill_ = std::make_unique<SpillLog>(runtime, "spill/" + config_.name);
}

void Source::install() {
  runtime_.on_node_start(config_.node, [this] { start(); });
  runtime_.on_node_crash(config_.node, [this] { forget_in_crash(); });
}

void Source::start() {
  const std::string prefix = "source " + config_.name;
  // Senders and the replay fiber wait for work forever: daemons. With one
  // request in flight the emitter sends itself: no hand-off, no switch.
  for (std::uint32_t i = 0; config_.max_in_flight > 1 && i < config_.max_in_flight; ++i) {
    runtime_.spawn(config_.node, prefix + " sender " + std::to_string(i), [this] { send_all(); },
                   SpawnOptions{.daemon = true});
  }
  if (spill_) runtime_.spawn(config_.node, prefix + " replay", [this] { replay_all(); }, SpawnOptions{.daemon = true});
  runtime_.spawn(config_.node, prefix, [this] { emit_all(); });
}

// The node's memory is gone: the hand-off, the senders' events (never
// acknowledged) and the retry budget's balance.
void Source::forget_in_crash() {
  handoff_.clear();
  free_senders_ = config_.max_in_flight;
  unsettled_ = 0;
  budget_.reset();
  if (spill_) spill_->forget();
}

void Source::emit_all() {
  if (spill_) spill_->open();
  while (next_sequence_ < config_.count) {
    // Claim a sender before drawing the gap: with every sender busy the
    // workload waits (backpressure), and with one sender the next arrival is
    // drawn only once the previous event is settled.
    while (free_senders_ == 0) runtime_.wait(sender_free_);
    --free_senders_;
    runtime_.sleep_for(next_gap());
    Event event = make_event(next_sequence_++);
    ++unsettled_;
    observer_.on(Produced{config_.index, event});
    if (config_.max_in_flight == 1) {
      send(event);
      --unsettled_;
      ++free_senders_;
      continue;
    }
    handoff_.push_back(event);
    runtime_.notify_one(work_ready_);
  }
  finish_when_settled();
}

void Source::send_all() {
  if (spill_) spill_->open();
  for (;;) {
    while (handoff_.empty()) runtime_.wait(work_ready_);
    Event event = handoff_.front();
    handoff_.pop_front();
    send(event);
    --unsettled_;
    ++free_senders_;
    runtime_.notify_one(sender_free_);
    finish_when_settled();
  }
}

void Source::send(const Event& event) {
  // Behind a spill backlog, a new event waits its turn there (order).
  if (spill_ && !spill_->empty()) return spill(event);
  budget_.first_attempt();
  for (std::uint32_t attempt = 1;; ++attempt) {
    const OfferResult result = offer(event);
    if (result == OfferResult::accepted) return observer_.on(Acked{config_.index, event});
    if (result == OfferResult::shed) return;  // the inlet reported it
    const char* reason = rejection_reason(result);
    observer_.on(Rejected{config_.index, event, reason});
    switch (config_.on_reject) {
      case OnReject::drop: return observer_.on(SourceDropped{config_.index, event, reason});
      case OnReject::spill: return spill(event);
      case OnReject::retry:
        if (!may_retry(event, attempt)) return;
        runtime_.sleep_for(config_.retry.delay_after(attempt, retry_rng_));
        break;
    }
  }
}

bool Source::may_retry(const Event& event, std::uint32_t attempt) {
  const char* reason = nullptr;
  if (attempt >= config_.retry.max_attempts) {
    reason = "retries_exhausted";
  } else if (!budget_.try_withdraw()) {
    reason = "retry_budget";
  }
  if (reason == nullptr) return true;
  observer_.on(SourceDropped{config_.index, event, reason});
  return false;
}

void Source::spill(const Event& event) {
  spill_->append(event);
  observer_.on(Spilled{config_.index, event});
}

// Drains the spill backlog oldest first. A backlog exists because the
// downstream was rejecting, so the first offer waits a backoff; each further
// rejection backs off longer (never giving up), and once an offer is
// accepted the following records go at once while offers keep succeeding.
// Replays do not draw on the retry budget: there is one at a time.
void Source::replay_all() {
  spill_->open();
  std::uint32_t rejections = 1;  // of the oldest record; a new backlog counts as one
  for (;;) {
    while (spill_->pending() == 0) {
      rejections = 1;
      runtime_.wait(spill_->record_ready());
    }
    if (rejections > 0) runtime_.sleep_for(config_.retry.delay_after(rejections, retry_rng_));
    Event event;
    if (spill_->peek(event) == SpillLog::Peek::corrupt) {
      observer_.on(SpillCorrupt{config_.index, spill_->cursor()});
    } else {
      const OfferResult result = offer(event);
      if (is_rejection(result)) {
        observer_.on(Rejected{config_.index, event, rejection_reason(result)});
        ++rejections;
        continue;
      }
      if (result == OfferResult::accepted) {
        observer_.on(Replayed{config_.index, event});
        observer_.on(Acked{config_.index, event});
      }
      rejections = 0;
    }
    spill_->advance();
    finish_when_settled();
  }
}

// Every produce attempt, first, retry or replay, takes a token first.
OfferResult Source::offer(const Event& event) {
  for (Nanos at = rate_limit_.take_or_when(runtime_.now()); at > runtime_.now();
       at = rate_limit_.take_or_when(runtime_.now())) {
    runtime_.sleep_until(at);
  }
  return target_.offer(event);
}

// Reports source_finished once, when the workload is emitted and every event
// settled: none in the senders' hands and none in the spill backlog.
void Source::finish_when_settled() {
  if (finished_ || next_sequence_ < config_.count || unsettled_ > 0) return;
  if (spill_ && !spill_->empty()) return;
  finished_ = true;
  observer_.on(SourceFinished{config_.index});
}

Nanos Source::next_gap() {
  double gap = config_.interarrival_ns.sample(rng_);
  for (const Burst& burst : config_.bursts) {
    if (runtime_.now() >= burst.start && runtime_.now() < burst.end) gap /= burst.factor;
  }
  return nanos_from_double(gap);
}

Event Source::make_event(std::uint64_t sequence) {
  Event event;
  event.id = make_event_id(config_.index, sequence);
  event.key = static_cast<std::uint64_t>(std::max(0.0, config_.key.sample(rng_) + static_cast<double>(config_.key_offset)));
  event.emitted_at = runtime_.now();
  event.size_bytes = static_cast<std::uint32_t>(std::clamp(config_.size_bytes.sample(rng_), 0.0, 4.0e9));
  event.priority = static_cast<std::uint8_t>(std::clamp(config_.priority.sample(rng_), 0.0, 255.0));
  return event;
}

}  // namespace sluice

#include "core/pipeline/stage.h"

#include <string_view>
#include <utility>

#include "core/check.h"

namespace sluice {

// A worker's side of the credit protocol: events delivered and not yet
// taken, and credits granted and not yet used. Volatile on the worker's node.
struct Stage::Inbox {
  Inbox(const char* label, Rng rng) : arrivals(label), rng(rng) {}
  std::deque<Event> events;
  std::int64_t credits = 0;
  WaitQueue arrivals;
  Rng rng;
};

namespace {

// Reports an event whose service a crash cut short, as the fiber unwinds.
class InService {
 public:
  InService(Observer& observer, StageIndex stage, std::uint32_t worker, const Event& event)
      : observer_(observer), stage_(stage), worker_(worker), event_(event) {
    observer_.service_started(stage_, worker_, event_);
  }
  ~InService() {
    if (active_) observer_.service_aborted(stage_, worker_, event_);
  }
  void finish() {
    active_ = false;
    observer_.service_finished(stage_, worker_, event_);
  }

 private:
  Observer& observer_;
  StageIndex stage_;
  std::uint32_t worker_;
  const Event& event_;
  bool active_ = true;
};

// Reports an event a worker holds (from its inbox to the hand-off) as lost
// if a crash unwinds the worker.
class Holding {
 public:
  Holding(Observer& observer, StageIndex stage, const Event& event)
      : observer_(observer), stage_(stage), event_(event) {}
  ~Holding() {
    if (active_) observer_.lost_in_transit(stage_, event_);
  }
  void passed_on() { active_ = false; }

 private:
  Observer& observer_;
  StageIndex stage_;
  const Event& event_;
  bool active_ = true;
};

class Permit {
 public:
  explicit Permit(Semaphore* semaphore) : semaphore_(semaphore) {
    if (semaphore_) semaphore_->acquire();
  }
  ~Permit() {
    if (semaphore_) semaphore_->release();
  }
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;

 private:
  Semaphore* semaphore_;
};

bool is_poison(const Event& event, double fraction) {
  if (fraction <= 0) return false;
  std::uint64_t h = event.id * 0x9e3779b97f4a7c15ULL;
  h ^= h >> 31;
  return static_cast<double>(h >> 11) * 0x1.0p-53 < fraction;
}

}  // namespace

Stage::Stage(Runtime& runtime, Observer& observer, StageConfig config, Buffer& input, Inlet& output)
    : runtime_(runtime),
      observer_(observer),
      config_(std::move(config)),
      input_(input),
      output_(output),
      rate_limit_(config_.rate_limit),
      breaker_(config_.breaker,
               [this](BreakerState state) { observer_.breaker_changed(config_.index, breaker_state_name(state)); }) {
  SLUICE_CHECK(!config_.worker_nodes.empty(), "a stage needs a worker");
  SLUICE_CHECK(config_.prefetch >= 1, "a worker must be able to request at least one event");
  for (std::size_t w = 0; w < config_.worker_nodes.size(); ++w) {
    inboxes_.push_back(std::make_unique<Inbox>(
        "worker inbox", runtime.stream("stage/" + config_.name + "/worker/" + std::to_string(w))));
  }
  if (config_.concurrency > 0) concurrency_ = std::make_unique<Semaphore>(runtime, config_.concurrency, "concurrency");
}

Stage::~Stage() = default;

void Stage::install() {
  input_.on_push([this] { pump(); });
  for (std::uint32_t w = 0; w < config_.worker_nodes.size(); ++w) {
    NodeId node = config_.worker_nodes[w];
    runtime_.on_node_start(node, [this, w, node] {
      runtime_.spawn(node, "stage " + config_.name + " worker " + std::to_string(w), [this, w] { work(w); },
                     SpawnOptions{.daemon = true});
    });
    // The inbox and the credits live in the worker's memory.
    runtime_.on_node_crash(node, [this, w] {
      Inbox& inbox = *inboxes_[w];
      for (const Event& event : inbox.events) observer_.lost_in_transit(config_.index, event);
      inbox.events.clear();
      inbox.credits = 0;
      observer_.worker_lost(config_.index, w);
    });
  }
}

// Takes an event from the buffer only once its worker has credit, so the
// buffer's depth counts every event not yet delivered to a worker. A head
// whose worker has no credit blocks the ones behind it (per-key order).
void Stage::pump() {
  while (input_.depth() > 0) {
    std::uint32_t worker = pick_worker(input_.front());
    Inbox& inbox = *inboxes_[worker];
    if (inbox.credits <= 0 && !config_.defects.ignore_credits) return;
    Event event;
    input_.take(event);
    --inbox.credits;
    inbox.events.push_back(event);
    observer_.delivered_to_worker(config_.index, worker, event);
    runtime_.notify_one(inbox.arrivals);
  }
}

std::uint32_t Stage::pick_worker(const Event& event) {
  auto n = static_cast<std::uint32_t>(inboxes_.size());
  if (config_.key_ordered) {
    std::uint64_t h = event.key * 0x9e3779b97f4a7c15ULL;
    return static_cast<std::uint32_t>((h ^ (h >> 32)) % n);
  }
  // Any worker with a credit, taking turns.
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t w = (next_worker_ + i) % n;
    if (inboxes_[w]->credits > 0) {
      next_worker_ = (w + 1) % n;
      return w;
    }
  }
  return next_worker_;
}

void Stage::grant(std::uint32_t worker, std::int64_t n) {
  inboxes_[worker]->credits += n;
  observer_.credit_requested(config_.index, worker, n);
  pump();
}

void Stage::work(std::uint32_t worker) {
  Inbox& inbox = *inboxes_[worker];
  grant(worker, config_.prefetch);
  for (;;) {
    while (inbox.events.empty()) runtime_.wait(inbox.arrivals);
    Event event = inbox.events.front();
    inbox.events.pop_front();
    Holding holding(observer_, config_.index, event);
    Outcome outcome = process(worker, event);
    if (outcome == Outcome::done) deliver(worker, event);
    holding.passed_on();
    if (outcome == Outcome::retry_later) {
      // The reorder_on_retry defect: the event waits behind the later ones.
      inbox.events.push_back(event);
      continue;
    }
    observer_.released(config_.index, worker, event);
    grant(worker, 1);
  }
}

// Runs attempts until one succeeds or the retry policy gives up.
Stage::Outcome Stage::process(std::uint32_t worker, const Event& event) {
  Rng& rng = inboxes_[worker]->rng;
  for (std::uint32_t attempt_number = 1;; ++attempt_number) {
    const char* failure = nullptr;
    if (attempt(worker, event, &failure)) return Outcome::done;
    if (config_.defects.no_retry_on_timeout && std::string_view(failure) == "timeout") {
      return Outcome::failed;  // the defect: dropped without a word
    }
    observer_.attempt_failed(config_.index, worker, event, attempt_number, failure);
    if (attempt_number >= config_.retry.max_attempts) {
      bool parked = config_.dead_letter != nullptr;
      observer_.gave_up(config_.index, event, attempt_number, parked);
      if (parked) config_.dead_letter->offer(event);
      return Outcome::failed;
    }
    if (config_.defects.reorder_on_retry) return Outcome::retry_later;
    runtime_.sleep_for(config_.retry.delay_after(attempt_number, rng));
  }
}

bool Stage::attempt(std::uint32_t worker, const Event& event, const char** failure) {
  Inbox& inbox = *inboxes_[worker];
  for (Nanos at = rate_limit_.take_or_when(runtime_.now()); at > runtime_.now();
       at = rate_limit_.take_or_when(runtime_.now())) {
    runtime_.sleep_until(at);
  }
  Permit permit(concurrency_.get());
  InService service(observer_, config_.index, worker, event);
  // A slowed node (a fault) stretches every service time on it.
  Nanos needed = static_cast<Nanos>(config_.service_ns.sample(inbox.rng) * runtime_.slowdown());
  bool fails = is_poison(event, config_.poison_fraction) ||
               (config_.failure_probability > 0 && inbox.rng.bernoulli(config_.failure_probability));
  if (needed > config_.timeout) {
    runtime_.sleep_for(config_.timeout);
    *failure = "timeout";
  } else {
    runtime_.sleep_for(needed);
    if (fails) *failure = is_poison(event, config_.poison_fraction) ? "poison" : "error";
  }
  service.finish();
  return *failure == nullptr;
}

// Hands the event downstream; a refusing or silent (timed-out) downstream
// trips the breaker, and the worker keeps trying (backpressure) at the
// breaker's pace. A retry after a timeout may apply the effect twice.
void Stage::deliver(std::uint32_t worker, const Event& event) {
  Rng& rng = inboxes_[worker]->rng;
  for (std::uint32_t refusals = 0;;) {
    for (Nanos at = breaker_.permit_at(runtime_.now()); at > runtime_.now(); at = breaker_.permit_at(runtime_.now())) {
      runtime_.sleep_until(at);
    }
    OfferResult result;
    try {
      result = output_.offer(event);  // blocks for a remote sink
    } catch (...) {
      // A crash mid-call (a remote sink's rpc): the outcome is unknown. If
      // this was the half-open breaker's trial, count it as failed, or the
      // trial would stay out forever and no worker would be let through.
      if (breaker_.state() == BreakerState::half_open) breaker_.record_failure(runtime_.now());
      throw;
    }
    if (result == OfferResult::accepted || result == OfferResult::shed) {
      breaker_.record_success();
      return;
    }
    breaker_.record_failure(runtime_.now());
    observer_.attempt_failed(config_.index, worker, event, ++refusals,
                             result == OfferResult::timed_out ? "timeout" : "refused");
    runtime_.sleep_for(config_.retry.delay_after(refusals, rng));
  }
}

}  // namespace sluice

#include "core/pipeline/stage.h"

#include <algorithm>
#include <any>
#include <string_view>
#include <utility>

#include "core/check.h"

namespace sluice {

// A worker's side of the credit protocol: events delivered and not yet
// taken, and credits granted and not yet used. Volatile on the worker's node.
struct Stage::Inbox {
  // An event and, when it came from a topic, where it is in its partition.
  struct Entry {
    Event event;
    std::uint32_t partition = kFromBuffer;
    std::uint64_t offset = 0;
    CheckpointId barrier = 0;  // not 0: a checkpoint barrier, not a record
    std::uint32_t attempts = 0;  // failed attempts so far (an event put back by reorder_on_retry keeps them)
  };
  static constexpr std::uint32_t kFromBuffer = UINT32_MAX;
  static constexpr std::uint32_t kAtBarrier = UINT32_MAX - 1;  // working_on while handling a barrier

  Inbox(const char* label, Rng rng) : arrivals(label), credit_granted("worker credit"), rng(rng) {}
  std::deque<Entry> events;
  std::int64_t credits = 0;
  std::uint32_t working_on = kFromBuffer;  // the partition of the record in the worker's hands
  std::uint64_t restores = 0;              // checkpoint restores so far (exactly_once)
  bool busy = false;                       // an event taken from `events` is in the worker's hands
  WaitQueue arrivals;
  WaitQueue credit_granted;
  Rng rng;
};

namespace {

// Reports an event whose service a crash cut short, as the fiber unwinds.
class InService {
 public:
  InService(Observer& observer, StageIndex stage, std::uint32_t worker, const Event& event)
      : observer_(observer), stage_(stage), worker_(worker), event_(event) {
    observer_.on(ServiceStarted{stage_, worker_, event_});
  }
  ~InService() {
    if (active_) observer_.on(ServiceAborted{stage_, worker_, event_});
  }
  void finish() {
    active_ = false;
    observer_.on(ServiceFinished{stage_, worker_, event_});
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
    if (active_) observer_.on(LostInTransit{stage_, event_});
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

Stage::Stage(Runtime& runtime, Observer& observer, StageConfig config, const Topic& input, Inlet& output)
    : Stage(runtime, observer, std::move(config), nullptr, &input, output) {}

Stage::Stage(Runtime& runtime, Observer& observer, StageConfig config, Buffer& input, Inlet& output)
    : Stage(runtime, observer, std::move(config), &input, nullptr, output) {}

Stage::Stage(Runtime& runtime, Observer& observer, StageConfig config, Buffer* buffer_input, const Topic* topic_input,
             Inlet& output)
    : runtime_(runtime),
      observer_(observer),
      config_(std::move(config)),
      buffer_input_(buffer_input),
      topic_input_(topic_input),
      output_(output),
      rate_limit_(config_.rate_limit),
      breaker_(config_.breaker,
               [this](BreakerState state) { observer_.on(BreakerChanged{config_.index, breaker_state_name(state)}); }) {
  SLUICE_CHECK(!config_.worker_nodes.empty(), "a stage needs a worker");
  SLUICE_CHECK(config_.prefetch >= 1, "a worker must be able to request at least one event");
  const auto slots = static_cast<std::uint32_t>(config_.worker_nodes.size());
  SLUICE_CHECK(config_.initial_workers <= slots, "more initial replicas than worker slots");
  for (std::uint32_t w = 0; w < slots; ++w) {
    slots_.push_back(config_.initial_workers == 0 || w < config_.initial_workers ? Slot::ready : Slot::idle);
    if (slots_.back() == Slot::ready) routes_.push_back(w);
  }
  slot_epochs_.assign(slots, 0);
  for (std::size_t w = 0; w < config_.worker_nodes.size(); ++w) {
    inboxes_.push_back(std::make_unique<Inbox>(
        "worker inbox", runtime.stream("stage/" + config_.name + "/worker/" + std::to_string(w))));
  }
  if (config_.concurrency > 0) concurrency_ = std::make_unique<Semaphore>(runtime, config_.concurrency, "concurrency");
  for (std::uint32_t w = 0; config_.checkpoints && w < config_.worker_nodes.size(); ++w) {
    WorkerCheckpointConfig worker_config = *config_.checkpoints;
    worker_config.worker = w;
    checkpoints_.push_back(std::make_unique<WorkerCheckpoints>(runtime, observer, worker_config));
  }
  for (std::uint32_t w = 0; topic_input_ && w < config_.worker_nodes.size(); ++w) {
    members_.push_back(std::make_unique<GroupMember>(runtime, observer, *topic_input_, w, config_.worker_nodes[w],
                                                   static_cast<MemberHost&>(*this)));
  }
}

Stage::~Stage() = default;

void Stage::install() {
  if (buffer_input_) {
    buffer_input_->on_push([this] {
      ++arrived_;
      pump();
    });
  }
  for (auto& member : members_) member->install();
  for (std::uint32_t w = 0; w < config_.worker_nodes.size(); ++w) {
    NodeId node = config_.worker_nodes[w];
    runtime_.on_node_start(node, [this, w, node] {
      if (!checkpoints_.empty()) checkpoints_[w]->reset();
      if (!checkpoints_.empty()) checkpoints_[w]->start(node);
      runtime_.spawn(node, "stage " + config_.name + " worker " + std::to_string(w), [this, w] { work(w); },
                     SpawnOptions{.daemon = true});
      if (exactly_once()) {
        runtime_.spawn(node, "stage " + config_.name + " worker " + std::to_string(w) + " barriers",
                       [this, w] { listen_for_barriers(w); }, SpawnOptions{.daemon = true});
      }
    });
    // The inbox and the credits live in the worker's memory.
    runtime_.on_node_crash(node, [this, w] {
      Inbox& inbox = *inboxes_[w];
      for (const Inbox::Entry& entry : inbox.events) {
        if (entry.barrier == 0) observer_.on(LostInTransit{config_.index, entry.event});
      }
      inbox.events.clear();
      inbox.credits = 0;
      inbox.working_on = Inbox::kFromBuffer;
      inbox.busy = false;
      observer_.on(WorkerLost{config_.index, w});
    });
  }
}

// Takes an event from the buffer only once its worker has credit, so the
// buffer's depth counts every event not yet delivered to a worker. A head
// whose worker has no credit blocks the ones behind it (per-key order).
void Stage::pump() {
  Buffer& input = *buffer_input_;
  if (reroute_pending_) {
    if (!all_quiet()) return;
    recompute_routes();
  }
  if (routes_.empty()) return;  // scaled to zero: events wait in the buffer
  while (input.depth() > 0) {
    std::uint32_t worker = pick_worker(input.front());
    Inbox& inbox = *inboxes_[worker];
    if (inbox.credits <= 0 && !config_.defects.ignore_credits) return;
    Inbox::Entry entry;
    input.take(entry.event);
    --inbox.credits;
    SLUICE_CHECK(inbox.credits >= 0 || config_.defects.ignore_credits, "a worker got an event it had no credit for");
    inbox.events.push_back(entry);
    observer_.on(DeliveredToWorker{config_.index, worker, entry.event});
    runtime_.notify_one(inbox.arrivals);
  }
}

std::int64_t Stage::credits(std::uint32_t worker) const {
  // The ignore_credits defect: the member fetches as if the worker always asked for more.
  return config_.defects.ignore_credits ? std::max<std::int64_t>(inboxes_[worker]->credits, config_.prefetch)
                                        : inboxes_[worker]->credits;
}

WaitQueue& Stage::credit_granted(std::uint32_t worker) { return inboxes_[worker]->credit_granted; }

void Stage::deliver(std::uint32_t worker, const FetchedRecord& record) {
  Inbox& inbox = *inboxes_[worker];
  --inbox.credits;
  SLUICE_CHECK(inbox.credits >= 0 || config_.defects.ignore_credits, "a member delivered a record beyond its worker's credits");
  inbox.events.push_back(Inbox::Entry{record.event, record.partition, record.offset});
  observer_.on(Fetched{topic_input_->queue_of(record.partition), record.event});
  observer_.on(DeliveredToWorker{config_.index, worker, record.event});
  runtime_.notify_one(inbox.arrivals);
}

bool Stage::working_on(std::uint32_t worker, const std::vector<std::uint32_t>& partitions) const {
  const std::uint32_t partition = inboxes_[worker]->working_on;
  if (partition == Inbox::kFromBuffer) return false;
  if (partition == Inbox::kAtBarrier || partitions.empty()) return true;
  return std::find(partitions.begin(), partitions.end(), partition) != partitions.end();
}

std::optional<std::vector<PartitionOffset>> Stage::restore(std::uint32_t worker, const std::vector<std::uint32_t>& partitions,
                                                           std::uint64_t epoch) {
  std::optional<std::vector<PartitionOffset>> resume = checkpoints_[worker]->restore(partitions, epoch);
  if (resume) ++inboxes_[worker]->restores;
  return resume;
}

void Stage::listen_for_barriers(std::uint32_t worker) {
  Message message;
  while (runtime_.receive(barrier_port(config_.index, worker), message)) {
    if (const auto* done = std::any_cast<CheckpointDone>(&message.body)) {
      checkpoints_[worker]->on_done(done->id);
      members_[worker]->checkpoint_done(done->id);
      continue;
    }
    const auto* barrier = std::any_cast<Barrier>(&message.body);
    SLUICE_CHECK(barrier != nullptr, "a barrier port got something other than a barrier");
    if (slots_[worker] == Slot::idle || slots_[worker] == Slot::starting) continue;  // not a replica now: nothing to snapshot
    // Behind every record fetched so far: with one inbox per worker the
    // barrier is aligned across all its partitions.
    Inbox& inbox = *inboxes_[worker];
    inbox.events.push_back(Inbox::Entry{.event = {}, .partition = Inbox::kFromBuffer, .offset = 0, .barrier = barrier->id});
    runtime_.notify_one(inbox.arrivals);
  }
}

// Snapshot, pre-commit, ack: the worker processes no record meanwhile (the
// throughput a checkpoint costs, reported as checkpoint_work).
void Stage::handle_barrier(std::uint32_t worker, CheckpointId id) {
  std::optional<std::pair<Generation, std::vector<PartitionOffset>>> position = members_[worker]->barrier_position();
  if (!position) return;  // not settled: the checkpoint cannot complete without this worker's partitions anyway
  members_[worker]->at_barrier(id, position->second);
  Inbox& inbox = *inboxes_[worker];
  const Nanos started = runtime_.now();
  inbox.working_on = Inbox::kAtBarrier;
  const BarrierOutcome outcome = checkpoints_[worker]->on_barrier(id, position->first, position->second);
  inbox.working_on = Inbox::kFromBuffer;
  if (outcome == BarrierOutcome::in_doubt) members_[worker]->request_restore();
  observer_.on(CheckpointWork{config_.index, worker, runtime_.now() - started});
}

void Stage::revoke(std::uint32_t worker, const std::vector<std::uint32_t>& partitions) {
  Inbox& inbox = *inboxes_[worker];
  std::int64_t dropped = 0;
  for (auto it = inbox.events.begin(); it != inbox.events.end();) {
    if (it->barrier != 0 || std::find(partitions.begin(), partitions.end(), it->partition) == partitions.end()) {
      ++it;
      continue;
    }
    observer_.on(Released{config_.index, worker, it->event});  // handed back: the new owner fetches it again
    it = inbox.events.erase(it);
    ++dropped;
  }
  if (dropped > 0) grant(worker, dropped);
}

// Among the ready workers (routes_: every worker, without autoscale).
std::uint32_t Stage::pick_worker(const Event& event) {
  auto n = static_cast<std::uint32_t>(routes_.size());
  // One ready worker (the common case): both rules below pick it, and the
  // turn-taking would leave next_worker_ at 0; skip their 64-bit modulo,
  // which pump() pays on every delivery.
  if (n == 1) {
    if (!config_.key_ordered) next_worker_ = 0;
    return routes_[0];
  }
  if (config_.key_ordered) {
    std::uint64_t h = event.key * 0x9e3779b97f4a7c15ULL;
    return routes_[static_cast<std::uint32_t>((h ^ (h >> 32)) % n)];
  }
  // Any worker with a credit, taking turns.
  if (next_worker_ >= n) next_worker_ = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t r = (next_worker_ + i) % n;
    if (inboxes_[routes_[r]]->credits > 0) {
      next_worker_ = (r + 1) % n;
      return routes_[r];
    }
  }
  return routes_[next_worker_];
}

void Stage::grant(std::uint32_t worker, std::int64_t n) {
  inboxes_[worker]->credits += n;
  // Credits plus the events a worker holds is its prefetch: a grant beyond it
  // means an event was counted twice (or a crash's reset was missed).
  SLUICE_CHECK(inboxes_[worker]->credits <= config_.prefetch, "a worker holds more credits than its prefetch");
  observer_.on(CreditRequested{config_.index, worker, n});
  if (buffer_input_) {
    pump();
  } else {
    runtime_.notify_all(inboxes_[worker]->credit_granted);
  }
}

void Stage::work(std::uint32_t worker) {
  Inbox& inbox = *inboxes_[worker];
  await_ready(worker);
  grant(worker, config_.prefetch);
  for (;;) {
    while (inbox.events.empty()) {
      if (slots_[worker] == Slot::draining && buffer_input_) finish_drain(worker);
      if (slots_[worker] == Slot::idle || slots_[worker] == Slot::starting) {
        await_ready(worker);
        grant(worker, config_.prefetch);
        continue;
      }
      runtime_.wait(inbox.arrivals);
    }
    Inbox::Entry entry = inbox.events.front();
    inbox.events.pop_front();
    inbox.busy = true;
    if (entry.barrier != 0) {
      handle_barrier(worker, entry.barrier);
      continue;
    }
    const Event& event = entry.event;
    inbox.working_on = entry.partition;
    if (!checkpoints_.empty() && entry.partition != Inbox::kFromBuffer) checkpoints_[worker]->apply(entry.partition, event);
    const std::uint64_t restores_before = inbox.restores;
    Holding holding(observer_, config_.index, event);
    Outcome outcome = process(worker, event, entry.attempts);
    // A restore while this record was in service replaced the state and the
    // transaction it belonged to: its effect and its offset are void (the
    // record is replayed from the restored offsets).
    const bool superseded = inbox.restores != restores_before;
    if (outcome == Outcome::done && !superseded) hand_downstream(worker, event);
    holding.passed_on();
    if (outcome == Outcome::retry_later) {
      // The reorder_on_retry defect: the event waits behind the later ones,
      // with its failed attempts counted, so the retry policy still ends.
      ++entry.attempts;
      inbox.events.push_back(entry);
      inbox.busy = false;
      continue;
    }
    observer_.on(Released{config_.index, worker, event});
    ++processed_;
    inbox.busy = false;
    inbox.working_on = Inbox::kFromBuffer;
    if (entry.partition != Inbox::kFromBuffer && !superseded) members_[worker]->processed(entry.partition, entry.offset);
    if (slots_[worker] != Slot::idle) grant(worker, 1);  // a replica that left meanwhile asks for nothing
  }
}

// Runs attempts until one succeeds or the retry policy gives up;
// `failed_before` attempts already failed (an event put back in the inbox).
Stage::Outcome Stage::process(std::uint32_t worker, const Event& event, std::uint32_t failed_before) {
  Rng& rng = inboxes_[worker]->rng;
  for (std::uint32_t attempt_number = failed_before + 1;; ++attempt_number) {
    const char* failure = nullptr;
    if (attempt(worker, event, &failure)) return Outcome::done;
    if (config_.defects.no_retry_on_timeout && std::string_view(failure) == "timeout") {
      return Outcome::failed;  // the defect: dropped without a word
    }
    observer_.on(AttemptFailed{config_.index, worker, event, attempt_number, failure});
    if (attempt_number >= config_.retry.max_attempts) {
      bool parked = config_.dead_letter != nullptr;
      observer_.on(GaveUp{config_.index, event, attempt_number, parked});
      if (parked) park(worker, event);
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
  Nanos needed = nanos_from_double(config_.service_ns.sample(inbox.rng) * runtime_.slowdown());
  bool fails = is_poison(event, config_.poison_fraction) ||
               (config_.failure_probability > 0 && inbox.rng.bernoulli(config_.failure_probability));
  busy_ns_ += std::min(needed, config_.timeout);  // useful time, for the rate autoscaler
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
// breaker's pace. A retry after a timeout may apply the effect twice, so an
// at-most-once stage does not retry one.
void Stage::hand_downstream(std::uint32_t worker, const Event& event) {
  if (exactly_once()) {
    checkpoints_[worker]->buffer_effect(event);  // applied when its checkpoint completes
    return;
  }
  offer_until_settled(worker, event, output_);
  // Fan-out: each further output gets the event too, in order, each under
  // the same policies (so the slowest output sets the pace).
  for (Inlet* more : config_.fan_out) offer_until_settled(worker, event, *more);
}

// A dead-letter sink is reached like any other sink: over the network when
// it is on another node, and down with its node. A parked event must not
// vanish, so the worker keeps offering it, with the retry policy's backoff,
// until the sink takes it, holding the event (and blocking its worker) while
// the sink is down. Only an at-most-once stage gives up after a timeout, as
// for any output (a retry could park it twice): the event is then lost, and
// no_loss counts it.
void Stage::park(std::uint32_t worker, const Event& event) {
  Rng& rng = inboxes_[worker]->rng;
  for (std::uint32_t refusals = 1;; ++refusals) {
    const OfferResult result = config_.dead_letter->offer(event);  // blocks for a remote sink
    if (result == OfferResult::accepted || result == OfferResult::shed) return;
    if (result == OfferResult::timed_out && config_.at_most_once) return;
    runtime_.sleep_for(config_.retry.delay_after(refusals, rng));
  }
}

void Stage::offer_until_settled(std::uint32_t worker, const Event& event, Inlet& output) {
  Rng& rng = inboxes_[worker]->rng;
  for (std::uint32_t refusals = 0;;) {
    for (Nanos at = breaker_.permit_at(runtime_.now()); at > runtime_.now(); at = breaker_.permit_at(runtime_.now())) {
      runtime_.sleep_until(at);
    }
    OfferResult result;
    try {
      result = output.offer(event);  // blocks for a remote sink
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
    observer_.on(AttemptFailed{config_.index, worker, event, ++refusals,
                             result == OfferResult::timed_out ? "timeout" : "refused"});
    // At-most-once: after a timeout the effect may have been applied, and a
    // retry could apply it again; the event is given up (lost, if it was not).
    if (result == OfferResult::timed_out && config_.at_most_once) return;
    runtime_.sleep_for(config_.retry.delay_after(refusals, rng));
  }
}

// --- elastic scaling ---------------------------------------------------------
// Replica slots started (after a start-up delay) and drained on the
// autoscaler's word, the router's routes, and the sample the autoscaler
// reads. Without autoscale every slot is ready from the start and none of
// this runs.
// The sample reads the input as a metrics exporter would: the buffer's
// depth, or the topic's appended and committed offsets on the broker.
ScalingSample Stage::scaling_sample() const {
  ScalingSample sample;
  sample.at = runtime_.now();
  sample.replicas = replicas();
  sample.ready = static_cast<std::uint32_t>(std::count(slots_.begin(), slots_.end(), Slot::ready));
  sample.processed = processed_;
  sample.busy_ns = busy_ns_;
  if (buffer_input_) {
    sample.arrived = arrived_;
    sample.queue_depth = buffer_input_->depth();
    sample.lag = sample.queue_depth;
  } else {
    sample.arrived = topic_input_->appended();
    sample.lag = topic_input_->lag();
    sample.queue_depth = sample.lag;
    sample.partitions = topic_input_->config().partitions;
  }
  return sample;
}

std::uint32_t Stage::replicas() const {
  return static_cast<std::uint32_t>(std::count_if(slots_.begin(), slots_.end(),
                                                  [](Slot s) { return s == Slot::ready || s == Slot::starting; }));
}

// Grows by the lowest free slots (a draining one first: it is called back
// and keeps what it holds) and shrinks from the top, cancelling start-ups
// before draining ready replicas.
void Stage::scale_to(std::uint32_t wanted) {
  wanted = std::min<std::uint32_t>(wanted, static_cast<std::uint32_t>(slots_.size()));
  for (std::uint32_t w = 0; w < slots_.size() && replicas() < wanted; ++w) {
    if (slots_[w] == Slot::draining) set_slot(w, Slot::ready, "ready");
  }
  for (std::uint32_t w = 0; w < slots_.size() && replicas() < wanted; ++w) {
    if (slots_[w] == Slot::idle) start_replica(w);
  }
  for (std::uint32_t w = static_cast<std::uint32_t>(slots_.size()); w-- > 0 && replicas() > wanted;) {
    if (slots_[w] == Slot::starting) set_slot(w, Slot::idle, "cancelled");
  }
  for (std::uint32_t w = static_cast<std::uint32_t>(slots_.size()); w-- > 0 && replicas() > wanted;) {
    if (slots_[w] == Slot::ready) drain_replica(w);
  }
}

void Stage::set_slot(std::uint32_t worker, Slot slot, const char* state) {
  const bool was_ready = slots_[worker] == Slot::ready;
  slots_[worker] = slot;
  ++slot_epochs_[worker];
  observer_.on(ReplicaChanged{config_.index, worker, state});
  if (slot == Slot::idle) {
    inboxes_[worker]->credits = 0;  // a replica that left asks for nothing
    observer_.on(WorkerLost{config_.index, worker});
  }
  if (was_ready != (slot == Slot::ready)) {
    if (config_.key_ordered) {
      reroute_pending_ = true;
    } else {
      recompute_routes();
    }
  }
  // Wake whoever waits on the slot: the worker fiber, and a topic member.
  runtime_.notify_all(inboxes_[worker]->arrivals);
  runtime_.notify_all(inboxes_[worker]->credit_granted);
  if (buffer_input_) pump();
}

void Stage::start_replica(std::uint32_t worker) {
  set_slot(worker, Slot::starting, "starting");
  const Nanos delay = nanos_from_double(config_.startup_ns.sample(inboxes_[worker]->rng));
  const std::uint64_t epoch = slot_epochs_[worker];
  // On the controller's node: the start-up is the control plane's business
  // until the replica is ready.
  runtime_.spawn(runtime_.current_node(), "start replica " + std::to_string(worker) + " of " + config_.name,
                 [this, worker, delay, epoch] {
                   runtime_.sleep_for(delay);
                   if (slot_epochs_[worker] == epoch && slots_[worker] == Slot::starting) {
                     set_slot(worker, Slot::ready, "ready");
                   }
                 });
}

void Stage::drain_replica(std::uint32_t worker) {
  if (config_.defects.scale_in_without_drain && buffer_input_) {
    set_slot(worker, Slot::draining, "draining");
    drop_held(worker);
    set_slot(worker, Slot::idle, "left");
    return;
  }
  set_slot(worker, Slot::draining, "draining");
}

void Stage::drop_held(std::uint32_t worker) {
  Inbox& inbox = *inboxes_[worker];
  for (const Inbox::Entry& entry : inbox.events) {
    if (entry.barrier == 0) observer_.on(LostInTransit{config_.index, entry.event});
  }
  inbox.events.clear();
}

void Stage::finish_drain(std::uint32_t worker) {
  if (inboxes_[worker]->busy || !inboxes_[worker]->events.empty()) return;
  set_slot(worker, Slot::idle, "left");
}

void Stage::await_ready(std::uint32_t worker) {
  while (slots_[worker] != Slot::ready && slots_[worker] != Slot::draining) runtime_.wait(inboxes_[worker]->arrivals);
}

bool Stage::member_active(std::uint32_t worker) const { return slots_[worker] == Slot::ready; }

void Stage::member_left(std::uint32_t worker) {
  if (slots_[worker] != Slot::draining) return;
  if (config_.defects.scale_in_without_drain) drop_held(worker);
  // What the member handed back is gone from the inbox; the worker may
  // still be finishing a record the bounded wait gave up on: it leaves all
  // the same (the record is replayed by the partition's new owner).
  set_slot(worker, Slot::idle, "left");
}

void Stage::recompute_routes() {
  reroute_pending_ = false;
  routes_.clear();
  for (std::uint32_t w = 0; w < slots_.size(); ++w) {
    if (slots_[w] == Slot::ready) routes_.push_back(w);
  }
}

bool Stage::all_quiet() const {
  return std::all_of(inboxes_.begin(), inboxes_.end(),
                     [](const std::unique_ptr<Inbox>& inbox) { return !inbox->busy && inbox->events.empty(); });
}

}  // namespace sluice

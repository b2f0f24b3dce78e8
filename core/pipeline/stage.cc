#include "core/pipeline/stage.h"

#include <utility>

namespace sluice {

Stage::Stage(Runtime& runtime, Observer& observer, StageConfig config, Buffer& input, Inlet& output)
    : runtime_(runtime), observer_(observer), config_(std::move(config)), input_(input), output_(output) {
  for (std::size_t w = 0; w < config_.worker_nodes.size(); ++w) {
    worker_rngs_.push_back(runtime.stream("stage/" + config_.name + "/worker/" + std::to_string(w)));
  }
}

void Stage::install() {
  for (std::uint32_t w = 0; w < config_.worker_nodes.size(); ++w) {
    NodeId node = config_.worker_nodes[w];
    runtime_.on_node_start(node, [this, w, node] {
      runtime_.spawn(node, "stage " + config_.name + " worker " + std::to_string(w),
                     [this, w] { work(w, worker_rngs_[w]); }, SpawnOptions{.daemon = true});
    });
  }
}

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
}  // namespace

void Stage::work(std::uint32_t worker, Rng& rng) {
  for (;;) {
    Event event;
    input_.take(event);
    InService service(observer_, config_.index, worker, event);
    // A slowed node (a fault) stretches every service time on it.
    runtime_.sleep_for(static_cast<Nanos>(config_.service_ns.sample(rng) * runtime_.slowdown()));
    service.finish();
    output_.offer(event);
  }
}

}  // namespace sluice

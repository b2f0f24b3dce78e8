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

void Stage::work(std::uint32_t worker, Rng& rng) {
  for (;;) {
    Event event;
    input_.take(event);
    observer_.service_started(config_.index, worker, event);
    runtime_.sleep_for(static_cast<Nanos>(config_.service_ns.sample(rng)));
    observer_.service_finished(config_.index, worker, event);
    output_.offer(event);
  }
}

}  // namespace sluice

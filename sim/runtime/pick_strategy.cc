#include "sim/runtime/pick_strategy.h"

namespace sluice {
namespace {

// Oldest ready fiber first: the order Boost.Fiber's round_robin would give.
class FifoStrategy final : public PickStrategy {
 public:
  std::size_t pick(std::size_t) override { return 0; }
};

// Uniformly among the ready fibers, from the scheduler's own stream, so
// exploring interleavings never perturbs the workload's random draws.
class RandomStrategy final : public PickStrategy {
 public:
  explicit RandomStrategy(Rng rng) : rng_(rng) {}
  std::size_t pick(std::size_t ready_count) override {
    return ready_count == 1 ? 0 : static_cast<std::size_t>(rng_.uniform_u64(ready_count));
  }

 private:
  Rng rng_;
};

}  // namespace

std::unique_ptr<PickStrategy> make_strategy(StrategyKind kind, const Rng& parent) {
  switch (kind) {
    case StrategyKind::fifo: return std::make_unique<FifoStrategy>();
    case StrategyKind::random: return std::make_unique<RandomStrategy>(parent.fork("scheduler"));
  }
  return nullptr;
}

const char* strategy_name(StrategyKind kind) {
  return kind == StrategyKind::fifo ? "fifo" : "random";
}

bool parse_strategy(std::string_view name, StrategyKind* out) {
  if (name == "fifo") *out = StrategyKind::fifo;
  else if (name == "random") *out = StrategyKind::random;
  else return false;
  return true;
}

}  // namespace sluice

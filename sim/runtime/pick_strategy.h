// Which ready fiber runs next. The scheduler asks only when more than one is
// ready; every answer is deterministic given the seed. A later strategy (PCT)
// plugs in here.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/random/rng.h"

namespace sluice {

enum class StrategyKind { fifo, random };

class PickStrategy {
 public:
  virtual ~PickStrategy() = default;
  // Index in [0, ready_count) of the fiber to run; ready fibers are listed in
  // the order they became ready. REQUIRES: ready_count >= 1.
  virtual std::size_t pick(std::size_t ready_count) = 0;
};

std::unique_ptr<PickStrategy> make_strategy(StrategyKind kind, const Rng& parent);
const char* strategy_name(StrategyKind kind);
bool parse_strategy(std::string_view name, StrategyKind* out);

}  // namespace sluice

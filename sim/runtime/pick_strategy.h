// Which ready fiber runs next. The scheduler asks only when more than one is
// ready; every answer is deterministic given the seed.
//
// `fifo` runs the oldest ready fiber; `random` picks uniformly; `pct` is the
// probabilistic concurrency testing scheduler of Burckhardt et al. (ASPLOS
// 2010), as Coyote implements it: every fiber gets a random priority when it
// is first seen, the highest-priority ready fiber always runs, and at d-1
// decisions drawn uniformly from the first `horizon` the fiber that would run
// is demoted below every other. A bug of depth d is found by one run with
// probability at least 1/(n k^(d-1)) for n fibers and k decisions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/random/rng.h"
#include "core/runtime/runtime.h"

namespace sluice {

enum class StrategyKind { fifo, random, pct };

// A strategy and its parameters, written "fifo", "random" or "pct[:D[:H]]".
struct StrategySpec {
  StrategyKind kind = StrategyKind::fifo;
  std::uint32_t depth = kDefaultPctDepth;  // pct: the bug depth d (d-1 priority change points)
  std::uint64_t horizon = 0;               // pct: decisions the change points fall among; 0: derived by the runner
  static constexpr std::uint32_t kDefaultPctDepth = 3;

  StrategySpec() = default;
  StrategySpec(StrategyKind k) : kind(k) {}  // NOLINT: a bare kind is a spec with default parameters
  bool operator==(StrategyKind k) const { return kind == k; }
  bool operator==(const StrategySpec&) const = default;
};

// The fibers ready to run, in the order they became ready.
class ReadyFibers {
 public:
  virtual ~ReadyFibers() = default;
  virtual std::size_t size() const = 0;
  virtual FiberId id(std::size_t index) const = 0;
};

// What a strategy did over a run, for summary.json.
struct StrategyStats {
  std::uint64_t decisions = 0;                 // picks among two or more ready fibers
  std::vector<std::uint64_t> change_points;    // pct: the decisions drawn for a priority change
  std::uint64_t changes_applied = 0;           // pct: change points the run reached
};

class PickStrategy {
 public:
  virtual ~PickStrategy() = default;
  // Index in [0, ready.size()) of the fiber to run. REQUIRES: ready.size() >= 2.
  virtual std::size_t pick(const ReadyFibers& ready) = 0;
  // The fiber finished: a strategy that keeps state per fiber may drop it.
  virtual void forget(FiberId) {}
  const StrategyStats& stats() const { return stats_; }

 protected:
  StrategyStats stats_;
};

// REQUIRES: a pct spec has a horizon (the runner derives one when it is 0).
std::unique_ptr<PickStrategy> make_strategy(const StrategySpec& spec, const Rng& parent);
const char* strategy_name(StrategyKind kind);
// "fifo", "random", "pct:3:120000".
std::string strategy_text(const StrategySpec& spec);
// Parses strategy_text's forms (and "pct", "pct:D"); false with `error` set on a bad text.
bool parse_strategy(std::string_view text, StrategySpec* out, std::string* error = nullptr);

}  // namespace sluice

#include "sim/runtime/pick_strategy.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <unordered_map>

#include "core/check.h"

namespace sluice {
namespace {

// Oldest ready fiber first: the order Boost.Fiber's round_robin would give.
class FifoStrategy final : public PickStrategy {
 public:
  std::size_t pick(const ReadyFibers&) override {
    ++stats_.decisions;
    return 0;
  }
};

// Uniformly among the ready fibers, from the scheduler's own stream, so
// exploring interleavings never perturbs the workload's random draws.
class RandomStrategy final : public PickStrategy {
 public:
  explicit RandomStrategy(Rng rng) : rng_(rng) {}
  std::size_t pick(const ReadyFibers& ready) override {
    ++stats_.decisions;
    return static_cast<std::size_t>(rng_.uniform_u64(ready.size()));
  }

 private:
  Rng rng_;
};

// PCT. Initial priorities are uniform 62-bit draws (a random permutation, as
// in the paper, without knowing the fibers in advance); the i-th change point
// demotes the fiber about to run to -i, below every initial priority and
// below the fibers demoted before it (the paper's d-i).
class PctStrategy final : public PickStrategy {
 public:
  PctStrategy(Rng rng, std::uint32_t depth, std::uint64_t horizon) : rng_(rng) {
    SLUICE_CHECK(horizon > 0, "pct needs a horizon (the runner derives one)");
    // d-1 distinct change points uniform in [0, horizon): Floyd's sampling.
    std::uint64_t want = std::min<std::uint64_t>(depth > 0 ? depth - 1 : 0, horizon);
    std::vector<std::uint64_t>& points = stats_.change_points;
    for (std::uint64_t j = horizon - want; j < horizon; ++j) {
      std::uint64_t t = rng_.uniform_u64(j + 1);
      if (std::find(points.begin(), points.end(), t) != points.end()) t = j;
      points.push_back(t);
    }
    std::sort(points.begin(), points.end());
  }

  std::size_t pick(const ReadyFibers& ready) override {
    std::size_t best = highest(ready);
    const std::vector<std::uint64_t>& points = stats_.change_points;
    if (stats_.changes_applied < points.size() && points[stats_.changes_applied] == stats_.decisions) {
      ++stats_.changes_applied;
      priority_[ready.id(best)] = -static_cast<std::int64_t>(stats_.changes_applied);
      best = highest(ready);
    }
    ++stats_.decisions;
    return best;
  }

  void forget(FiberId fiber) override { priority_.erase(fiber); }

 private:
  // The ready fiber of highest priority (the earliest ready on a tie, which
  // 62-bit draws make all but impossible); unseen fibers get their draw now.
  std::size_t highest(const ReadyFibers& ready) {
    std::size_t best = 0;
    std::int64_t best_priority = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < ready.size(); ++i) {
      auto [it, fresh] = priority_.try_emplace(ready.id(i), 0);
      if (fresh) it->second = static_cast<std::int64_t>(rng_.next_u64() >> 2);
      if (it->second > best_priority) {
        best_priority = it->second;
        best = i;
      }
    }
    return best;
  }

  Rng rng_;
  std::unordered_map<FiberId, std::int64_t> priority_;  // lookups only: never iterated
};

bool parse_number(std::string_view text, std::uint64_t* out) {
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::unique_ptr<PickStrategy> make_strategy(const StrategySpec& spec, const Rng& parent) {
  switch (spec.kind) {
    case StrategyKind::fifo: return std::make_unique<FifoStrategy>();
    case StrategyKind::random: return std::make_unique<RandomStrategy>(parent.fork("scheduler"));
    case StrategyKind::pct: return std::make_unique<PctStrategy>(parent.fork("scheduler/pct"), spec.depth, spec.horizon);
  }
  SLUICE_CHECK(false, "unknown strategy kind");
  return nullptr;
}

const char* strategy_name(StrategyKind kind) {
  switch (kind) {
    case StrategyKind::fifo: return "fifo";
    case StrategyKind::random: return "random";
    case StrategyKind::pct: return "pct";
  }
  return "?";
}

std::string strategy_text(const StrategySpec& spec) {
  if (spec.kind != StrategyKind::pct) return strategy_name(spec.kind);
  std::string text = "pct:" + std::to_string(spec.depth);
  if (spec.horizon != 0) text += ":" + std::to_string(spec.horizon);
  return text;
}

bool parse_strategy(std::string_view text, StrategySpec* out, std::string* error) {
  auto fail = [&](std::string why) {
    if (error) *error = std::move(why);
    return false;
  };
  StrategySpec spec;
  std::string_view head = text.substr(0, text.find(':'));
  if (head == "fifo") spec.kind = StrategyKind::fifo;
  else if (head == "random") spec.kind = StrategyKind::random;
  else if (head == "pct") spec.kind = StrategyKind::pct;
  else return fail("a strategy is fifo, random or pct[:DEPTH[:HORIZON]], not '" + std::string(text) + "'");
  if (head.size() < text.size()) {
    if (spec.kind != StrategyKind::pct) return fail("only pct takes parameters: '" + std::string(text) + "'");
    std::string_view rest = text.substr(head.size() + 1);
    std::string_view depth = rest.substr(0, rest.find(':'));
    std::uint64_t value = 0;
    if (!parse_number(depth, &value) || value < 1 || value > 64) {
      return fail("pct's depth is a whole number from 1 to 64, not '" + std::string(depth) + "'");
    }
    spec.depth = static_cast<std::uint32_t>(value);
    if (depth.size() < rest.size()) {
      std::string_view horizon = rest.substr(depth.size() + 1);
      if (!parse_number(horizon, &value) || value < 1) {
        return fail("pct's horizon is a positive whole number of scheduling decisions, not '" +
                    std::string(horizon) + "'");
      }
      spec.horizon = value;
    }
  }
  *out = spec;
  return true;
}

}  // namespace sluice

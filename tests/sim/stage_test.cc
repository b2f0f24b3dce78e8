// Stage on its own, beside the real simulated runtime: the credit protocol
// between its router and its workers. A worker never holds more credits than
// its prefetch, never a negative count, and only the ignore_credits defect
// breaks that.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/pipeline/buffer.h"
#include "core/pipeline/stage.h"
#include "sim/runtime/simulation.h"
#include "tests/sim/recording_observer.h"

namespace sluice {
namespace {

using testing::RecordingObserver;

// The downstream: takes every event and remembers the order.
class CollectingInlet final : public Inlet {
 public:
  OfferResult offer(Event event) override {
    ids.push_back(event.id);
    return OfferResult::accepted;
  }
  std::vector<EventId> ids;
};

// Credits each worker holds, replayed from what the stage reported: every
// grant adds, every delivery takes one. Records the extremes.
struct CreditLedger {
  std::map<std::uint32_t, std::int64_t> credits;
  std::int64_t max = 0;
  std::int64_t min = 0;

  explicit CreditLedger(const std::vector<std::string>& lines) {
    for (const std::string& line : lines) {
      std::uint32_t worker = 0;
      long long n = 0;
      if (std::sscanf(line.c_str(), "credit_requested w%u %lld", &worker, &n) == 2) {
        credits[worker] += n;
      } else if (std::sscanf(line.c_str(), "delivered_to_worker w%u", &worker) == 1) {
        credits[worker] -= 1;
      } else {
        continue;
      }
      max = std::max(max, credits[worker]);
      min = std::min(min, credits[worker]);
    }
  }
};

struct StageRun {
  RecordingObserver observer;
  std::vector<EventId> output;
  std::size_t max_buffer_depth = 0;
};

// 40 events offered at once into a buffer, two workers, a slow service.
StageRun run_stage(std::uint32_t prefetch, Defects defects = {}) {
  Simulation sim;
  const NodeId node = sim.add_node("n");
  StageRun run;
  Buffer buffer(sim, run.observer, 0, node, 1000, OverflowPolicy::block, "in");
  CollectingInlet out;
  StageConfig config;
  config.name = "work";
  config.worker_nodes = {node, node};
  config.service_ns = Distribution::constant(1000);
  config.prefetch = prefetch;
  config.defects = defects;
  Stage stage(sim, run.observer, config, buffer, out);
  stage.install();
  sim.spawn(node, "producer", [&] {
    sim.sleep_for(1);  // after the workers' first grants
    for (EventId id = 1; id <= 40; ++id) {
      buffer.offer(Event{.id = id, .key = id});
      run.max_buffer_depth = std::max(run.max_buffer_depth, buffer.depth());
    }
  });
  sim.run();
  sim.shutdown();  // the workers, parked on their inboxes, unwind before the stage goes
  run.output = out.ids;
  return run;
}

TEST(Stage, AWorkersCreditsNeverExceedItsPrefetchNorGoNegative) {
  for (std::uint32_t prefetch : {1u, 3u, 8u}) {
    StageRun run = run_stage(prefetch);
    EXPECT_EQ(run.output.size(), 40u) << "prefetch " << prefetch;
    CreditLedger ledger(run.observer.lines);
    EXPECT_EQ(ledger.max, prefetch) << "prefetch " << prefetch;
    EXPECT_EQ(ledger.min, 0) << "prefetch " << prefetch;
  }
}

TEST(Stage, TheRouterDeliversOnlyAgainstCreditSoTheRestWaitsInTheBuffer) {
  StageRun run = run_stage(2);
  // Two workers with two credits each take four events; 36 wait in the buffer.
  EXPECT_EQ(run.max_buffer_depth, 36u);
}

TEST(Stage, TheIgnoreCreditsDefectDeliversBeyondTheCredits) {
  Defects defects;
  defects.ignore_credits = true;
  StageRun run = run_stage(2, defects);
  EXPECT_EQ(run.output.size(), 40u);
  EXPECT_LT(CreditLedger(run.observer.lines).min, 0) << "the ledger must be able to see a broken protocol";
  EXPECT_EQ(run.max_buffer_depth, 0u) << "the router emptied the buffer into the workers";
}

}  // namespace
}  // namespace sluice

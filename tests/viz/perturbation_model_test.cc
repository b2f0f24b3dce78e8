// sluice-viz's perturbation panel and timeline marks read summary.json
// "perturbation" and series.json's "perturbed" marks: the sites enabled with
// their fired counts, the marks in order, nothing at all when it was off.
#include "visualizer/perturbation_model.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "visualizer/run_model.h"

namespace sluice::viz {
namespace {

using nlohmann::json;

json summary_with_perturbation() {
  return json::parse(R"({"scenario": "s", "seed": 3, "virtual_time_ns": 20000000000,
    "perturbation": {"enabled": ["rpc_spurious_timeout", "fetch_short"],
                     "fired": {"rpc_spurious_timeout": 2, "fetch_short": 0},
                     "enable_probability": 0.25, "fire_probability": 0.05}})");
}

json series_with_marks() {
  return json::parse(R"({"marks": [
    {"kind": "rebalance", "at_ns": 1000, "part": "work", "id": 2},
    {"kind": "perturbed", "at_ns": 5000000000, "part": "rpc_spurious_timeout on worker-1", "id": 0},
    {"kind": "perturbed", "at_ns": 9000000000, "part": "rpc_spurious_timeout on worker-2", "id": 0}]})");
}

TEST(PerturbationModel, SitesWithFiredCountsAndMarks) {
  const PerturbationView view = perturbation_from_json(summary_with_perturbation(), series_with_marks());
  ASSERT_TRUE(view.on);
  EXPECT_DOUBLE_EQ(view.enable_probability, 0.25);
  EXPECT_DOUBLE_EQ(view.fire_probability, 0.05);
  ASSERT_EQ(view.enabled.size(), 2u);
  EXPECT_EQ(view.enabled[0].name, "rpc_spurious_timeout");
  EXPECT_EQ(view.enabled[0].fired, 2u);
  EXPECT_EQ(view.enabled[1].name, "fetch_short");
  EXPECT_EQ(view.enabled[1].fired, 0u);
  // Only the "perturbed" marks, oldest first.
  ASSERT_EQ(view.marks.size(), 2u);
  EXPECT_EQ(view.marks[0].at, 5 * kNanosPerSecond);
  EXPECT_EQ(view.marks[1].label, "rpc_spurious_timeout on worker-2");
}

TEST(PerturbationModel, MarksNearAPointerWithinTolerance) {
  const PerturbationView view = perturbation_from_json(summary_with_perturbation(), series_with_marks());
  EXPECT_EQ(perturb_marks_near(view, 5 * kNanosPerSecond + 10, 100).size(), 1u);
  EXPECT_TRUE(perturb_marks_near(view, 7 * kNanosPerSecond, kNanosPerSecond / 2).empty());
  EXPECT_EQ(perturb_marks_near(view, 7 * kNanosPerSecond, 3 * kNanosPerSecond).size(), 2u);
}

TEST(PerturbationModel, OffWithoutTheSummaryField) {
  json summary = summary_with_perturbation();
  summary.erase("perturbation");
  const PerturbationView view = perturbation_from_json(summary, series_with_marks());
  EXPECT_FALSE(view.on);
  EXPECT_TRUE(view.enabled.empty());
  EXPECT_TRUE(view.marks.empty());
}

TEST(PerturbationModel, TheRunModelCarriesIt) {
  const RunModel model = model_from_json(summary_with_perturbation(), series_with_marks());
  EXPECT_TRUE(model.perturbation.on);
  EXPECT_EQ(model.perturbation.marks.size(), 2u);
  const RunModel without_series = model_from_json(summary_with_perturbation(), json());
  EXPECT_TRUE(without_series.perturbation.on);
  EXPECT_TRUE(without_series.perturbation.marks.empty());
}

}  // namespace
}  // namespace sluice::viz

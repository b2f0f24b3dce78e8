// The timeline panel's drawing vocabulary, shared by its lanes
// (timeline_panel.cc: queues, throughput, latency; scaling_lanes.cc:
// replicas and alerts): the plot's time-to-pixel mapping, a lane's value
// scale, and bucket columns drawn as bands and lines.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include <imgui.h>

#include "core/time.h"
#include "visualizer/plot_columns.h"
#include "visualizer/scaling_model.h"
#include "visualizer/time_view.h"

namespace sluice::viz {

struct App;

inline constexpr float kGutter = 150;  // lane labels
inline constexpr float kAxisH = 22;

struct Plot {
  float x0, x1;  // plot area, pixels
  const TimeView* view;
  float x(Nanos t) const { return static_cast<float>(view->to_x(t, x0, x1 - x0)); }
};

struct Lane {
  float y0, y1;
  double y_max;
  float y(double v) const {
    const double share = y_max > 0 ? std::clamp(v / y_max, 0.0, 1.05) : 0.0;
    return y1 - 3 - static_cast<float>(share) * (y1 - y0 - 8);
  }
};

// Draws merged columns: the lo..hi band, a line through `mid` and, if
// `hi_line` is set, one along `hi`.
void draw_columns(ImDrawList* draw, const Lane& lane, const std::vector<PlotColumn>& columns,
                  const std::vector<std::size_t>& runs, ImU32 band, ImU32 line, float thickness, ImU32 hi_line = 0);
std::vector<PlotColumn> columns_of(const Plot& plot, const BucketValues& values, std::vector<std::size_t>& runs);
// The lane's background, grid lines at the ticks and its bottom rule.
void lane_frame(ImDrawList* draw, const Plot& plot, const Lane& lane, const Ticks& ticks);
void dashed_hline(ImDrawList* draw, float x0, float x1, float y, ImU32 color);

// --- scaling_lanes.cc -------------------------------------------------------
// One autoscaled stage's ready replicas with its decisions marked.
void replica_lane(App& app, ImDrawList* draw, const Plot& plot, const Lane& lane, const ReplicaTrack& track,
                  const Ticks& ticks);
// One alert's pending and firing spans.
void alert_lane(App& app, ImDrawList* draw, const Plot& plot, const Lane& lane, const AlertTrack& track,
                const Ticks& ticks);
// Hover text for the scaling and alert lanes at `at`: replicas by state, the
// decision under the pointer (from -> to and why), each alert's state.
void scaling_tooltip(const App& app, Nanos at, Nanos decision_tolerance);

}  // namespace sluice::viz

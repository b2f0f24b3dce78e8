// The timeline's elastic-scaling lanes (issue 18): an autoscaled stage's
// ready replicas over time with a mark at each decision, and each alert's
// pending and firing spans. Hovering a decision mark shows from -> to and the
// reason the autoscaler gave.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "visualizer/app.h"
#include "visualizer/timeline_plot.h"

namespace sluice::viz {

namespace {

constexpr ImU32 kScaleUp = IM_COL32(102, 187, 106, 255);
constexpr ImU32 kScaleDown = IM_COL32(255, 167, 38, 255);
constexpr ImU32 kPending = IM_COL32(255, 193, 7, 110);
constexpr ImU32 kFiring = IM_COL32(239, 83, 80, 170);

void gutter_text(const App& app, ImDrawList* draw, const Plot& plot, float y, ImU32 color, const char* text,
                 bool bold = false) {
  ImFont* font = bold ? app.fonts.bold : app.fonts.small;
  draw->AddText(font, font->FontSize, ImVec2(plot.x0 - kGutter + 8, y), color, text);
}

// A decision's mark: a tick through the lane and a triangle at the top, up
// or down as the autoscaler moved.
void decision_mark(ImDrawList* draw, const Lane& lane, float x, const ScalingDecision& d) {
  const bool up = d.to > d.from;
  const ImU32 color = up ? kScaleUp : kScaleDown;
  draw->AddLine(ImVec2(x, lane.y0 + 2), ImVec2(x, lane.y1), (color & 0x00ffffff) | IM_COL32(0, 0, 0, 150), 1.0f);
  const float top = lane.y0 + 2;
  if (up) {
    draw->AddTriangleFilled(ImVec2(x, top), ImVec2(x - 5, top + 8), ImVec2(x + 5, top + 8), color);
  } else {
    draw->AddTriangleFilled(ImVec2(x - 5, top), ImVec2(x + 5, top), ImVec2(x, top + 8), color);
  }
}

// `brief` fits the lane's label gutter.
std::string counts_text(const ReplicaCounts& c, bool exact, bool brief = false) {
  char text[96];
  if (exact) {
    std::snprintf(text, sizeof(text), brief ? "%u ready %u start %u drain" : "%u ready  %u starting  %u draining",
                  c.ready, c.starting, c.draining);
  } else {
    std::snprintf(text, sizeof(text), "%u ready", c.ready);
  }
  return text;
}

}  // namespace

void replica_lane(App& app, ImDrawList* draw, const Plot& plot, const Lane& lane_in, const ReplicaTrack& track,
                  const Ticks& ticks) {
  const DepthTrack& ready = track.ready;
  Lane lane = lane_in;
  lane.y_max = std::max({static_cast<double>(track.max_replicas), static_cast<double>(track.ready_max),
                         ready.max_depth, 1.0}) * 1.15;
  lane_frame(draw, plot, lane, ticks);
  const Nanos run_end = app.extent();
  std::vector<std::size_t> runs;
  const std::vector<PlotColumn> columns =
      columns_of(plot, BucketValues{&ready.t, ready.width, run_end, &ready.min, &ready.max, &ready.mean, nullptr}, runs);
  draw_columns(draw, lane, columns, runs, (colors::kStage & 0x00ffffff) | IM_COL32(0, 0, 0, 70), colors::kStage, 1.8f);
  for (const std::uint32_t bound : {track.min_replicas, track.max_replicas}) {
    if (bound > 0) dashed_hline(draw, plot.x0, plot.x1, lane.y(bound), IM_COL32(171, 130, 255, 110));
  }
  for (const ScalingDecision& d : track.decisions) {
    if (d.at < app.view.begin() || d.at > app.view.end()) continue;
    decision_mark(draw, lane, plot.x(d.at), d);
  }
  draw->AddRectFilled(ImVec2(plot.x0 - kGutter, lane.y0), ImVec2(plot.x0 - kGutter + 3, lane.y1), colors::kStage);
  const std::string title = "replicas " + track.stage;
  gutter_text(app, draw, plot, lane.y0 + 4, colors::kText, title.c_str(), true);
  char line[96];
  if (track.max_replicas > 0) {
    std::snprintf(line, sizeof(line), "bounds %u..%u  %zu decisions", track.min_replicas, track.max_replicas,
                  track.decisions.size());
  } else {
    std::snprintf(line, sizeof(line), "%zu decisions", track.decisions.size());
  }
  if (lane.y1 - lane.y0 > 40) gutter_text(app, draw, plot, lane.y0 + 22, colors::kDimText, line);
  if (lane.y1 - lane.y0 > 56) {
    const std::string now = counts_text(replicas_at(track, app.cursor, run_end), !track.steps.empty(), true);
    gutter_text(app, draw, plot, lane.y0 + 37, colors::kStage, now.c_str());
  }
}

void alert_lane(App& app, ImDrawList* draw, const Plot& plot, const Lane& lane, const AlertTrack& track,
                const Ticks& ticks) {
  lane_frame(draw, plot, lane, ticks);
  const Nanos end = app.extent();
  for (const AlertSpan& s : track.spans) {
    const Nanos to = std::min(s.to, end);
    if (to < app.view.begin() || s.from > app.view.end()) continue;
    const float xa = std::max(plot.x(s.from), plot.x0), xb = std::min(plot.x(to), plot.x1);
    draw->AddRectFilled(ImVec2(xa, lane.y0 + 3), ImVec2(std::max(xb, xa + 2), lane.y1 - 3), s.firing ? kFiring : kPending);
    const char* label = s.firing ? "firing" : "pending";
    if (xb - xa > 50) {
      draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(xa + 4, lane.y0 + 4), colors::kText, label);
    }
  }
  draw->AddRectFilled(ImVec2(plot.x0 - kGutter, lane.y0), ImVec2(plot.x0 - kGutter + 3, lane.y1), colors::kFail);
  const std::string title = "alert " + track.name;
  gutter_text(app, draw, plot, lane.y0 + 3, colors::kText, title.c_str());
}

void scaling_tooltip(const App& app, Nanos at, Nanos decision_tolerance) {
  const RunModel& model = app.model();
  for (const ReplicaTrack& track : model.replicas) {
    const ReplicaCounts c = replicas_at(track, at, app.extent());
    ImGui::Text("replicas %s: %s", track.stage.c_str(), counts_text(c, !track.steps.empty()).c_str());
    if (const ScalingDecision* d = decision_near(track, at, decision_tolerance)) {
      ImGui::TextColored(ImColor(d->to > d->from ? kScaleUp : kScaleDown), "  decision at %s: %u -> %u",
                         format_time(d->at, kNanosPerMilli).c_str(), d->from, d->to);
      ImGui::Text("  %s", d->reason.c_str());
    }
  }
  for (const AlertTrack& track : model.alerts) {
    const char* state = "inactive";
    for (const AlertSpan& s : track.spans) {
      if (s.from <= at && at < s.to) state = s.firing ? "firing" : "pending";
    }
    ImGui::Text("alert %s: %s  (%s)", track.name.c_str(), state, track.rule.c_str());
  }
}

}  // namespace sluice::viz

// Queue depth over time, one lane per queue, plus throughput and latency
// lanes, on a shared, zoomable time axis. Each bucket of the downsampled
// series is drawn as its min..max band with the time-weighted mean as a step
// line, so drawing costs O(buckets) whatever the number of events. Fault spans
// shade every lane; violations are marked; the cursor runs through all lanes.
//
// Mouse: left click/drag moves the cursor, wheel zooms around the pointer,
// right or middle drag pans, double-click fits the whole run.
#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "visualizer/app.h"
#include "visualizer/plot_columns.h"
#include "visualizer/timeline_plot.h"

namespace sluice::viz {

// Draws merged columns: the lo..hi band, a line through `mid` and, if
// `hi_line` is set, one along `hi`. Wide columns (zoomed in) draw as steps,
// narrow ones as a line through their centres.
void draw_columns(ImDrawList* draw, const Lane& lane, const std::vector<PlotColumn>& columns,
                  const std::vector<std::size_t>& runs, ImU32 band, ImU32 line, float thickness, ImU32 hi_line) {
  if (columns.empty()) return;
  const bool steps = (columns.back().x1 - columns.front().x0) / static_cast<double>(columns.size()) >= 6.0;
  std::vector<ImVec2> mid, hi;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const std::size_t first = runs[r], last = r + 1 < runs.size() ? runs[r + 1] : columns.size();
    mid.clear();
    hi.clear();
    for (std::size_t i = first; i < last; ++i) {
      const PlotColumn& c = columns[i];
      const float x0 = static_cast<float>(c.x0), x1 = static_cast<float>(c.x1);
      if ((band & IM_COL32_A_MASK) != 0 && c.hi > c.lo) {
        draw->AddRectFilled(ImVec2(x0, lane.y(c.hi)), ImVec2(std::max(x1, x0 + 1), lane.y(c.lo)), band);
      }
      if (steps) {
        mid.emplace_back(x0, lane.y(c.mid));
        mid.emplace_back(x1, lane.y(c.mid));
        hi.emplace_back(x0, lane.y(c.hi));
        hi.emplace_back(x1, lane.y(c.hi));
      } else {
        mid.emplace_back((x0 + x1) / 2, lane.y(c.mid));
        hi.emplace_back((x0 + x1) / 2, lane.y(c.hi));
      }
    }
    if (mid.size() == 1) {  // a lone column still shows
      mid.emplace_back(mid[0].x + 1, mid[0].y);
      hi.emplace_back(hi[0].x + 1, hi[0].y);
    }
    if (hi_line != 0) draw->AddPolyline(hi.data(), static_cast<int>(hi.size()), hi_line, 0, thickness);
    draw->AddPolyline(mid.data(), static_cast<int>(mid.size()), line, 0, thickness);
  }
}

namespace {
constexpr double kColumnPx = 2.0;
}  // namespace

std::vector<PlotColumn> columns_of(const Plot& plot, const BucketValues& values, std::vector<std::size_t>& runs) {
  return plot_columns(values, *plot.view, plot.x0, plot.x1 - plot.x0, kColumnPx, &runs);
}

namespace {

// Events per second for every bucket of a count track.
std::vector<double> rates_of(const CountTrack& track, Nanos run_end) {
  std::vector<double> rates(track.count.size());
  for (std::size_t i = 0; i < rates.size(); ++i) {
    const Nanos end = i + 1 == rates.size() ? std::max(track.t[i], std::min(track.t[i] + track.width, run_end))
                                            : track.t[i] + track.width;
    rates[i] = end > track.t[i] ? track.count[i] / to_seconds(end - track.t[i]) : 0.0;
  }
  return rates;
}

}  // namespace

void lane_frame(ImDrawList* draw, const Plot& plot, const Lane& lane, const Ticks& ticks) {
  draw->AddRectFilled(ImVec2(plot.x0, lane.y0), ImVec2(plot.x1, lane.y1), colors::kPlotBg);
  for (Nanos t : ticks.at) draw->AddLine(ImVec2(plot.x(t), lane.y0), ImVec2(plot.x(t), lane.y1), colors::kGrid);
  draw->AddLine(ImVec2(plot.x0, lane.y1), ImVec2(plot.x1, lane.y1), IM_COL32(255, 255, 255, 30));
}

void dashed_hline(ImDrawList* draw, float x0, float x1, float y, ImU32 color) {
  for (float x = x0; x < x1; x += 9) draw->AddLine(ImVec2(x, y), ImVec2(std::min(x + 5, x1), y), color, 1.5f);
}

namespace {

void queue_lane(App& app, ImDrawList* draw, const Plot& plot, const Lane& lane_in, const DepthTrack& q, int index,
                const Ticks& ticks) {
  Lane lane = lane_in;
  const double cap = static_cast<double>(q.capacity);
  lane.y_max = std::max({cap, q.max_depth, 1.0}) * 1.12;
  lane_frame(draw, plot, lane, ticks);
  const Nanos run_end = app.extent();
  const ImU32 color = series_color(index);
  std::vector<std::size_t> runs;
  const std::vector<PlotColumn> columns =
      columns_of(plot, BucketValues{&q.t, q.width, run_end, &q.min, &q.max, &q.mean, nullptr}, runs);
  draw_columns(draw, lane, columns, runs, series_color(index, 70), color, 1.8f);
  if (q.capacity > 0) {
    dashed_hline(draw, plot.x0, plot.x1, lane.y(cap), colors::kCapacity);
    const std::string label = "capacity " + std::to_string(q.capacity);
    const ImVec2 size = ImGui::CalcTextSize(label.c_str());
    draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(plot.x1 - size.x - 4, lane.y(cap) - size.y),
                  colors::kCapacity, label.c_str());
  }
  // The label gutter: name, capacity, depth at the cursor.
  const float gx = plot.x0 - kGutter + 8;
  draw->AddRectFilled(ImVec2(gx - 8, lane.y0), ImVec2(gx - 5, lane.y1), color);
  draw->AddText(app.fonts.bold, app.fonts.bold->FontSize, ImVec2(gx, lane.y0 + 4), colors::kText, q.name.c_str());
  char line[96];
  if (q.capacity > 0) {
    std::snprintf(line, sizeof(line), "cap %llu  max %.0f", static_cast<unsigned long long>(q.capacity), q.max_depth);
  } else {
    std::snprintf(line, sizeof(line), "unbounded  max %.0f", q.max_depth);
  }
  draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(gx, lane.y0 + 24), colors::kDimText, line);
  const DepthAt d = depth_at(q, app.cursor, run_end);
  if (d.valid && lane.y1 - lane.y0 > 58) {
    std::snprintf(line, sizeof(line), "%.1f  (%.0f\xe2\x80\x93%.0f)", d.mean, d.min, d.max);
    const double fill = cap > 0 ? d.mean / cap : 0.0;
    draw->AddText(app.fonts.mono, app.fonts.mono->FontSize, ImVec2(gx, lane.y0 + 42),
                  cap > 0 ? fill_color(fill) : colors::kText, line);
  }
}

void throughput_lane(App& app, ImDrawList* draw, const Plot& plot, const Lane& lane_in, const Ticks& ticks) {
  const RunModel& model = app.model();
  const Nanos run_end = app.extent();
  Lane lane = lane_in;
  lane.y_max = 1e-9;
  for (const CountTrack& s : model.stages) lane.y_max = std::max(lane.y_max, peak_rate(s, run_end));
  lane.y_max = std::max(lane.y_max, peak_rate(model.shed, run_end));
  lane.y_max *= 1.15;
  lane_frame(draw, plot, lane, ticks);
  int index = 0;
  std::vector<std::size_t> runs;
  for (const CountTrack& s : model.stages) {
    const std::vector<double> rates = rates_of(s, run_end);
    const auto columns = columns_of(plot, BucketValues{&s.t, s.width, run_end, &rates, &rates, &rates, nullptr}, runs);
    draw_columns(draw, lane, columns, runs, 0, series_color(index + 4), 1.6f);
    ++index;
  }
  const std::vector<double> shed = rates_of(model.shed, run_end);
  if (std::any_of(shed.begin(), shed.end(), [](double r) { return r > 0; })) {
    const auto columns =
        columns_of(plot, BucketValues{&model.shed.t, model.shed.width, run_end, &shed, &shed, &shed, nullptr}, runs);
    draw_columns(draw, lane, columns, runs, 0, colors::kFail, 1.6f);
  }
  const float gx = plot.x0 - kGutter + 8;
  draw->AddText(app.fonts.bold, app.fonts.bold->FontSize, ImVec2(gx, lane.y0 + 4), colors::kText, "throughput");
  float y = lane.y0 + 24;
  index = 0;
  for (const CountTrack& s : model.stages) {
    if (y + 14 > lane.y1) break;
    const std::string text = s.name + " " + format_rate(rate_at(s, app.cursor, run_end));
    draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(gx, y), series_color(index + 4), text.c_str());
    y += 15;
    ++index;
  }
  const std::string peak = "peak " + format_rate(lane.y_max / 1.15);
  draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(plot.x0 + 4, lane.y0 + 2), colors::kAxisText,
                peak.c_str());
}

void latency_lane(App& app, ImDrawList* draw, const Plot& plot, const Lane& lane_in, const Ticks& ticks) {
  const LatencyTrack& l = app.model().latency;
  const Nanos run_end = app.extent();
  Lane lane = lane_in;
  lane.y_max = 1;
  for (double v : l.p99) lane.y_max = std::max(lane.y_max, v);
  lane.y_max *= 1.15;
  lane_frame(draw, plot, lane, ticks);
  // Empty buckets report zeros: they are gaps, not dives to 0.
  std::vector<std::size_t> runs;
  const auto columns = columns_of(plot, BucketValues{&l.t, l.width, run_end, &l.p50, &l.p99, &l.p50, &l.count}, runs);
  draw_columns(draw, lane, columns, runs, IM_COL32(240, 98, 146, 40), IM_COL32(255, 183, 77, 230), 1.5f,
               IM_COL32(240, 98, 146, 230));
  const float gx = plot.x0 - kGutter + 8;
  draw->AddText(app.fonts.bold, app.fonts.bold->FontSize, ImVec2(gx, lane.y0 + 4), colors::kText, "latency");
  const std::size_t i = bucket_at(l.t, app.cursor);
  if (i != kNoBucket && l.count[i] > 0 && lane.y1 - lane.y0 > 40) {
    const std::string p50_text = "p50 " + format_span(static_cast<Nanos>(l.p50[i]));
    const std::string p99_text = "p99 " + format_span(static_cast<Nanos>(l.p99[i]));
    draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(gx, lane.y0 + 24), IM_COL32(255, 183, 77, 255),
                  p50_text.c_str());
    draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(gx + 70, lane.y0 + 24),
                  IM_COL32(240, 98, 146, 255), p99_text.c_str());
  }
  const std::string top = "max p99 " + format_span(static_cast<Nanos>(lane.y_max / 1.15));
  draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(plot.x0 + 4, lane.y0 + 2), colors::kAxisText,
                top.c_str());
}

// Labels along the top of the plot, each in the first row where it does not
// overlap the one before it; with all rows taken, a label is left out.
class LabelRows {
 public:
  explicit LabelRows(float y0) : y0_(y0) {}
  std::optional<float> place(float x, float width) {
    for (std::size_t r = 0; r < ends_.size(); ++r) {
      if (ends_[r] < x) {
        ends_[r] = x + width + 8;
        return y0_ + 2 + 15.0f * static_cast<float>(r);
      }
    }
    return std::nullopt;
  }

 private:
  float y0_;
  std::array<float, 3> ends_{-1e9f, -1e9f, -1e9f};
};

void overlays(App& app, ImDrawList* draw, const Plot& plot, float y0, float y1) {
  const RunModel& model = app.model();
  ImFont* font = app.fonts.small;
  LabelRows rows(y0);
  for (const Fault& f : model.faults) {
    const float xa = std::max(plot.x(f.at), plot.x0);
    const float xb = std::min(f.end == kNever ? plot.x1 : plot.x(f.end), plot.x1);
    if (xb < plot.x0 || xa > plot.x1) continue;
    draw->AddRectFilled(ImVec2(xa, y0), ImVec2(std::max(xb, xa + 2), y1), fault_color(f.kind.c_str(), 38));
    draw->AddLine(ImVec2(xa, y0), ImVec2(xa, y1), fault_color(f.kind.c_str(), 160));
    const float w = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, f.label.c_str()).x;
    if (const std::optional<float> y = rows.place(xa + 3, w)) {
      draw->AddRectFilled(ImVec2(xa + 1, *y), ImVec2(xa + 5 + w, *y + font->FontSize + 1), IM_COL32(17, 19, 24, 200));
      draw->AddText(font, font->FontSize, ImVec2(xa + 3, *y), fault_color(f.kind.c_str(), 255), f.label.c_str());
    }
  }
  // Where a perturbation site fired: a short dashed tick at the top of the lanes.
  for (const PerturbMark& m : model.perturbation.marks) {
    if (m.at < app.view.begin() || m.at > app.view.end()) continue;
    const float x = plot.x(m.at);
    for (float y = y0; y < std::min(y0 + 24, y1); y += 6) {
      draw->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 3, y1)), colors::kPerturbed, 1.0f);
    }
  }
  for (const InvariantRow& row : model.invariants) {
    if (!row.at || *row.at < app.view.begin() || *row.at > app.view.end()) continue;
    const float x = plot.x(*row.at);
    for (float y = y0; y < y1; y += 8) draw->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 4, y1)), colors::kFail, 1.5f);
    draw->AddTriangleFilled(ImVec2(x - 6, y0), ImVec2(x + 6, y0), ImVec2(x, y0 + 9), colors::kFail);
    const std::string label = row.name + " violated";
    const float w = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label.c_str()).x;
    if (const std::optional<float> y = rows.place(x + 6, w)) {
      draw->AddRectFilled(ImVec2(x + 4, *y), ImVec2(x + 8 + w, *y + font->FontSize + 1), IM_COL32(17, 19, 24, 200));
      draw->AddText(font, font->FontSize, ImVec2(x + 6, *y), colors::kFail, label.c_str());
    }
  }
  if (app.cursor >= app.view.begin() && app.cursor <= app.view.end()) {
    const float x = plot.x(app.cursor);
    draw->AddLine(ImVec2(x, y0), ImVec2(x, y1), colors::kCursor, 1.5f);
  }
}

void time_axis(App& app, ImDrawList* draw, const Plot& plot, float y, const Ticks& ticks) {
  // The cursor's label wins over the tick labels it would overlap.
  const bool cursor_shown = app.cursor >= app.view.begin() && app.cursor <= app.view.end();
  const std::string cursor_label = format_time(app.cursor, std::max<Nanos>(ticks.step / 100, 1));
  const ImVec2 cursor_size = ImGui::CalcTextSize(cursor_label.c_str());
  const float cursor_x = std::clamp(plot.x(app.cursor) - cursor_size.x / 2 - 5, plot.x0, plot.x1 - cursor_size.x - 10);
  for (Nanos t : ticks.at) {
    const float x = plot.x(t);
    draw->AddLine(ImVec2(x, y), ImVec2(x, y + 4), colors::kAxisText);
    const std::string label = format_time(t, ticks.step);
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    if (x - w / 2 < plot.x0 - 20 || x + w / 2 > plot.x1 + 20) continue;
    if (cursor_shown && x + w / 2 > cursor_x - 4 && x - w / 2 < cursor_x + cursor_size.x + 14) continue;
    draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(x - w / 2, y + 5), colors::kAxisText, label.c_str());
  }
  if (cursor_shown) {
    draw->AddRectFilled(ImVec2(cursor_x, y + 1), ImVec2(cursor_x + cursor_size.x + 10, y + cursor_size.y + 5),
                        colors::kCursor, 3);
    draw->AddText(ImVec2(cursor_x + 5, y + 3), IM_COL32(20, 20, 20, 255), cursor_label.c_str());
  }
}

void handle_mouse(App& app, const Plot& plot, float y0, float y1) {
  ImGui::SetCursorScreenPos(ImVec2(plot.x0, y0));
  ImGui::InvisibleButton("##plot", ImVec2(std::max(plot.x1 - plot.x0, 1.0f), std::max(y1 - y0, 1.0f)),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                             ImGuiButtonFlags_MouseButtonMiddle);
  const ImGuiIO& io = ImGui::GetIO();
  const float width = plot.x1 - plot.x0;
  const Nanos at_mouse = app.view.to_time(io.MousePos.x, plot.x0, width);
  if (ImGui::IsItemHovered()) {
    if (io.MouseWheel != 0) app.view.zoom(std::pow(0.8, io.MouseWheel), at_mouse);
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) app.view.fit();
    ImGui::GetWindowDrawList()->AddLine(ImVec2(io.MousePos.x, y0), ImVec2(io.MousePos.x, y1), colors::kHover);
    if (!ImGui::IsItemActive()) {
      ImGui::BeginTooltip();
      ImGui::Text("%s", format_time(at_mouse, std::max<Nanos>(app.view.span() / 1000, 1)).c_str());
      for (const DepthTrack& q : app.model().queues) {
        const DepthAt d = depth_at(q, at_mouse, app.extent());
        if (d.valid) ImGui::Text("%s: mean %.1f  min %.0f  max %.0f", q.name.c_str(), d.mean, d.min, d.max);
      }
      // A decision mark counts as hovered within 5 pixels.
      const Nanos five_px = static_cast<Nanos>(5.0 / std::max(width, 1.0f) * static_cast<double>(app.view.span()));
      scaling_tooltip(app, at_mouse, five_px);
      for (const PerturbMark* m : perturb_marks_near(app.model().perturbation, at_mouse, five_px)) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colors::kPerturbed), "perturbation: %s fired at %s", m->label.c_str(),
                           format_time(m->at, kNanosPerMicro).c_str());
      }
      ImGui::TextDisabled("click: cursor   wheel: zoom   right-drag: pan   double-click: fit");
      ImGui::EndTooltip();
    }
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    app.set_cursor(std::clamp(at_mouse, app.view.begin(), app.view.end()));
    if (app.is_live()) app.follow_live = app.cursor >= app.extent();
  }
  for (ImGuiMouseButton button : {ImGuiMouseButton_Right, ImGuiMouseButton_Middle}) {
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(button, 0)) {
      const float dx = io.MouseDelta.x;
      app.view.pan(-static_cast<Nanos>(static_cast<double>(dx) / width * static_cast<double>(app.view.span())));
    }
  }
}

void view_controls(App& app) {
  if (ImGui::SmallButton("Fit")) app.view.fit();
  ImGui::SameLine();
  if (ImGui::SmallButton("Zoom in")) app.view.zoom(0.5, app.cursor);
  ImGui::SameLine();
  if (ImGui::SmallButton("Zoom out")) app.view.zoom(2.0, app.cursor);
  ImGui::SameLine();
  // Sliders for those without a wheel: span (log scale) and start.
  // The sliders show human times; ImGui prints a format without '%' as is.
  float span_s = static_cast<float>(to_seconds(app.view.span()));
  const float min_s = static_cast<float>(to_seconds(TimeView::kMinSpan)), max_s = static_cast<float>(to_seconds(app.view.extent()));
  const std::string span_label = "span " + format_span(app.view.span());
  ImGui::SetNextItemWidth(150);
  if (ImGui::SliderFloat("##span", &span_s, min_s, std::max(max_s, min_s * 2), span_label.c_str(),
                         ImGuiSliderFlags_Logarithmic)) {
    const Nanos mid = app.view.begin() + app.view.span() / 2;
    const Nanos span = from_seconds(span_s);
    app.view.show(mid - span / 2, mid - span / 2 + span);
  }
  ImGui::SameLine();
  float begin_s = static_cast<float>(to_seconds(app.view.begin()));
  const float max_begin = static_cast<float>(to_seconds(app.view.extent() - app.view.span()));
  const std::string from_label = "from " + format_time(app.view.begin(), app.view.span() / 100 + 1);
  ImGui::SetNextItemWidth(150);
  ImGui::BeginDisabled(max_begin <= 0);
  if (ImGui::SliderFloat("##pan", &begin_s, 0.0f, std::max(max_begin, 1e-6f), from_label.c_str())) {
    const Nanos span = app.view.span();
    app.view.show(from_seconds(begin_s), from_seconds(begin_s) + span);
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  const std::string range = format_time(app.view.begin(), app.view.span() / 200 + 1) + "  \xe2\x80\x93  " +
                            format_time(app.view.end(), app.view.span() / 200 + 1);
  ImGui::TextDisabled("%s", range.c_str());
}

}  // namespace

void draw_timelines(App& app, ImVec2 min, ImVec2 max) {
  begin_tile("Queue depth over time", min, max, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const RunModel& model = app.model();
  view_controls(app);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const Plot plot{origin.x + kGutter, origin.x + avail.x - 4, &app.view};
  const float top = origin.y + 2, bottom = origin.y + avail.y - kAxisH;
  // Lane heights: queues weigh 1, throughput, latency and replicas 0.7 each, alerts 0.35.
  const bool latency = !model.latency.t.empty();
  const float weights = static_cast<float>(model.queues.size()) + 0.7f + (latency ? 0.7f : 0.0f) +
                        0.7f * static_cast<float>(model.replicas.size()) + 0.35f * static_cast<float>(model.alerts.size());
  const float unit = std::max(36.0f, (bottom - top) / std::max(weights, 1.0f));
  const Ticks ticks = time_ticks(app.view.begin(), app.view.end(), std::max(2, static_cast<int>((plot.x1 - plot.x0) / 110)));
  draw->PushClipRect(ImVec2(origin.x, top), ImVec2(plot.x1 + 1, bottom + kAxisH), true);
  float y = top;
  int index = 0;
  for (const DepthTrack& q : model.queues) {
    queue_lane(app, draw, plot, Lane{y, y + unit - 3, 1}, q, index++, ticks);
    y += unit;
  }
  for (const ReplicaTrack& r : model.replicas) {
    replica_lane(app, draw, plot, Lane{y, y + unit * 0.7f - 3, 1}, r, ticks);
    y += unit * 0.7f;
  }
  for (const AlertTrack& a : model.alerts) {
    alert_lane(app, draw, plot, Lane{y, y + std::max(unit * 0.35f, 18.0f) - 2, 1}, a, ticks);
    y += std::max(unit * 0.35f, 18.0f);
  }
  throughput_lane(app, draw, plot, Lane{y, y + unit * 0.7f - 3, 1}, ticks);
  y += unit * 0.7f;
  if (latency) {
    latency_lane(app, draw, plot, Lane{y, y + unit * 0.7f - 3, 1}, ticks);
    y += unit * 0.7f;
  }
  const float lanes_end = std::min(y, bottom);
  overlays(app, draw, plot, top, lanes_end);
  time_axis(app, draw, plot, lanes_end + 1, ticks);
  draw->PopClipRect();
  if (model.queues.empty()) {
    draw->AddText(ImVec2(plot.x0 + 10, top + 10), colors::kDimText, "This run has no queues.");
  }
  handle_mouse(app, plot, top, lanes_end);
  ImGui::End();
}

}  // namespace sluice::viz

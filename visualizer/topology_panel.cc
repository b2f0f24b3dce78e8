// The pipeline as a graph at the cursor: one column per DAG depth, queues as
// tanks filled to their depth against capacity, edges as thick as their
// throughput, and every part's nodes marked with their condition.
#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "visualizer/app.h"
#include "visualizer/plot_columns.h"

namespace sluice::viz {

namespace {

constexpr float kBoxW = 168;

struct Box {
  ImVec2 min, max;
};

constexpr float kReplicaRowH = 34;  // an autoscaled stage's replica pips and counts

// `compact` drops the buffer's sparkline when rows are crowded.
float box_height(const Part& part, bool compact, bool autoscaled) {
  switch (part.kind) {
    case PartKind::buffer: return compact ? 92 : 124;
    case PartKind::stage:
      return 62 + 20 * static_cast<float>((part.nodes.size() + 1) / 2) + (autoscaled ? kReplicaRowH : 0);
    default: return 64;
  }
}

// The queue's depth over the whole run, with the cursor: where "now" sits in its history.
void sparkline(ImDrawList* draw, const App& app, const DepthTrack& q, ImVec2 min, ImVec2 max, double cap) {
  draw->AddRectFilled(min, max, colors::kPlotBg, 2);
  const Nanos extent = std::max<Nanos>(app.extent(), 1);
  auto x_of = [&](Nanos t) { return min.x + static_cast<float>(static_cast<double>(t) / extent) * (max.x - min.x); };
  auto y_of = [&](double v) { return max.y - 1 - static_cast<float>(std::clamp(v / cap, 0.0, 1.0)) * (max.y - min.y - 2); };
  TimeView whole;
  whole.set_extent(extent);
  whole.fit();
  const std::vector<PlotColumn> columns = plot_columns(
      BucketValues{&q.t, q.width, extent, &q.min, &q.max, &q.mean, nullptr}, whole, min.x, max.x - min.x, 2.0);
  std::vector<ImVec2> mean;
  mean.reserve(columns.size());
  for (const PlotColumn& c : columns) {
    const float x0 = static_cast<float>(c.x0), x1 = std::max(static_cast<float>(c.x1), x0 + 1);
    draw->AddRectFilled(ImVec2(x0, y_of(c.hi)), ImVec2(x1, y_of(c.lo) + 1), IM_COL32(255, 255, 255, 36));
    mean.emplace_back((x0 + x1) / 2, y_of(c.mid));
  }
  if (mean.size() >= 2) draw->AddPolyline(mean.data(), static_cast<int>(mean.size()), colors::kBuffer, 0, 1.2f);
  const float cx = x_of(app.cursor);
  draw->AddLine(ImVec2(cx, min.y), ImVec2(cx, max.y), colors::kCursor, 1.5f);
}

ImU32 kind_accent(PartKind kind) {
  switch (kind) {
    case PartKind::source: return colors::kSource;
    case PartKind::buffer: return colors::kBuffer;
    case PartKind::stage: return colors::kStage;
    case PartKind::sink: return colors::kSink;
  }
  return colors::kText;
}

// Events per second along an edge at the cursor. Stages know their
// throughput exactly; an edge into a buffer carries what its consumers take
// out (sheds aside), shared among its producers; an edge into a sink with no
// stage in between carries the effects.
double edge_rate(const App& app, const Edge& edge, std::vector<double>* peak) {
  const RunModel& model = app.model();
  const Topology& topo = model.topology;
  const Part& from = topo.parts[edge.from];
  const Part& to = topo.parts[edge.to];
  const Nanos end = app.extent();
  auto stage_rate = [&](const std::string& id, double* peak_out) {
    const CountTrack* track = model.stage(id);
    if (track == nullptr) return 0.0;
    if (peak_out != nullptr) *peak_out = std::max(*peak_out, peak_rate(*track, end));
    return rate_at(*track, app.cursor, end);
  };
  double peak_value = 0;
  double rate = 0;
  if (from.kind == PartKind::stage) {
    rate = stage_rate(from.id, &peak_value);
  } else if (to.kind == PartKind::stage) {
    rate = stage_rate(to.id, &peak_value);
  } else {
    int producers = 0;
    for (const Edge& e : topo.edges) producers += e.to == edge.to ? 1 : 0;
    if (to.kind == PartKind::buffer) {
      // What its consumers take out, plus how fast it fills (sheds count
      // only when there is one queue to attribute them to).
      double departures = 0;
      for (const Edge& e : topo.edges) {
        if (e.from == edge.to && topo.parts[e.to].kind == PartKind::stage) {
          departures += stage_rate(topo.parts[e.to].id, &peak_value);
        }
      }
      const double shed = model.queues.size() == 1 ? rate_at(model.shed, app.cursor, end) : 0.0;
      const DepthTrack* queue = model.queue(to.id);
      rate = queue != nullptr ? arrival_rate_at(*queue, departures, shed, app.cursor) : departures;
    } else if (to.kind == PartKind::sink) {
      rate = rate_at(model.effects, app.cursor, end);
      peak_value = peak_rate(model.effects, end);
    }
    rate /= std::max(producers, 1);
    peak_value /= std::max(producers, 1);
  }
  if (peak != nullptr) peak->push_back(peak_value);
  return rate;
}

void node_chip(ImDrawList* draw, const App& app, ImVec2 at, float max_w, const std::string& node) {
  const unsigned condition = app.node_condition(node);
  const ImU32 color = condition_color(condition);
  std::string label = node;
  if (condition != kNodeUp) label += " \xc2\xb7 " + condition_text(condition);
  ImFont* font = app.fonts.small;
  const float size = font->FontSize;
  ImVec2 text = font->CalcTextSizeA(size, FLT_MAX, 0, label.c_str());
  text.x = std::min(text.x, max_w - 22);
  const ImVec2 chip_max(at.x + text.x + 20, at.y + size + 4);
  draw->AddRectFilled(at, chip_max, (color & 0x00ffffff) | IM_COL32(0, 0, 0, 48), 8);
  draw->AddRect(at, chip_max, (color & 0x00ffffff) | IM_COL32(0, 0, 0, 140), 8);
  draw->AddCircleFilled(ImVec2(at.x + 9, at.y + (size + 4) / 2), 3.5f, color);
  const ImVec4 clip(at.x, at.y, chip_max.x - 4, chip_max.y);
  draw->AddText(font, size, ImVec2(at.x + 16, at.y + 2), colors::kText, label.c_str(), nullptr, 0, &clip);
}

// An autoscaled stage at the cursor: one pip per replica slot up to its
// bounds' max (ready filled, starting outlined, draining orange), then the
// counts and the bounds. Returns the height used.
float replica_row(ImDrawList* draw, const App& app, const ReplicaTrack& track, ImVec2 at, float width) {
  const ReplicaCounts c = replicas_at(track, app.cursor, app.extent());
  const std::uint32_t slots = std::max({track.max_replicas, c.ready + c.starting + c.draining, 1u});
  // The bounds go right of the pips.
  const std::string bounds =
      track.max_replicas > 0 ? std::to_string(track.min_replicas) + ".." + std::to_string(track.max_replicas) : "";
  const float bounds_w =
      bounds.empty() ? 0 : app.fonts.small->CalcTextSizeA(app.fonts.small->FontSize, FLT_MAX, 0, bounds.c_str()).x + 6;
  const float pitch = std::min(14.0f, (width - bounds_w) / static_cast<float>(slots));
  if (pitch >= 4) {
    for (std::uint32_t i = 0; i < slots; ++i) {
      const ImVec2 a(at.x + pitch * static_cast<float>(i), at.y), b(a.x + pitch - 2, at.y + 10);
      if (i < c.ready) {
        draw->AddRectFilled(a, b, colors::kStage, 2);
      } else if (i < c.ready + c.starting) {
        draw->AddRect(a, b, colors::kCursor, 2, 0, 1.5f);
      } else if (i < c.ready + c.starting + c.draining) {
        draw->AddRectFilled(a, b, colors::kWarn, 2);
      } else {
        draw->AddRect(a, b, colors::kBoxBorder, 2);
      }
    }
  }
  char text[96];
  if (track.steps.empty()) {
    std::snprintf(text, sizeof(text), "%u ready", c.ready);
  } else {
    std::snprintf(text, sizeof(text), "%u ready %u start %u drain", c.ready, c.starting, c.draining);
  }
  if (!bounds.empty()) {
    draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(at.x + width - bounds_w + 6, at.y - 3),
                  colors::kDimText, bounds.c_str());
  }
  const ImVec4 clip(at.x, at.y, at.x + width, at.y + kReplicaRowH);
  draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(at.x, at.y + 13), colors::kText, text, nullptr, 0,
                &clip);
  return kReplicaRowH;
}

void draw_part(ImDrawList* draw, const App& app, const Part& part, const Box& box, double rate, bool compact) {
  const ImU32 accent = kind_accent(part.kind);
  draw->AddRectFilled(box.min, box.max, colors::kBoxBg, 6);
  draw->AddRect(box.min, box.max, colors::kBoxBorder, 6);
  draw->AddRectFilled(box.min, ImVec2(box.min.x + 4, box.max.y), accent, 6, ImDrawFlags_RoundCornersLeft);
  const float x = box.min.x + 12;
  float y = box.min.y + 6;
  std::string kind = part_kind_name(part.kind);
  std::transform(kind.begin(), kind.end(), kind.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
  if (part.kind == PartKind::buffer && !part.policy.empty()) kind += " \xc2\xb7 " + part.policy;
  draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(x, y), accent, kind.c_str());
  if (part.kind != PartKind::buffer && rate > 0) {
    const std::string r = format_rate(rate);
    const float w = app.fonts.small->CalcTextSizeA(app.fonts.small->FontSize, FLT_MAX, 0, r.c_str()).x;
    draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(box.max.x - w - 8, y), colors::kDimText,
                  r.c_str());
  }
  y += app.fonts.small->FontSize + 2;
  const ImVec4 clip(box.min.x, box.min.y, box.max.x - 6, box.max.y);
  draw->AddText(app.fonts.bold, app.fonts.bold->FontSize, ImVec2(x, y), colors::kText, part.id.c_str(), nullptr, 0,
                &clip);
  y += app.fonts.bold->FontSize + 5;

  if (part.kind == PartKind::buffer) {
    const DepthTrack* track = app.model().queue(part.id);
    const DepthAt depth = track != nullptr ? depth_at(*track, app.cursor, app.extent()) : DepthAt{};
    const double cap = part.capacity > 0 ? static_cast<double>(part.capacity)
                                         : std::max(track != nullptr ? track->max_depth : 1.0, 1.0);
    const double fraction = depth.valid ? std::clamp(depth.mean / cap, 0.0, 1.0) : 0.0;
    const ImVec2 tank_min(x, y), tank_max(box.max.x - 10, y + 20);
    draw->AddRectFilled(tank_min, tank_max, colors::kPlotBg, 3);
    const float fill_x = tank_min.x + static_cast<float>(fraction) * (tank_max.x - tank_min.x);
    if (fraction > 0) draw->AddRectFilled(tank_min, ImVec2(fill_x, tank_max.y), fill_color(fraction, 230), 3);
    if (depth.valid && depth.max > depth.min) {
      // The bucket's min..max range as a thin whisker under the fill.
      const float x0 = tank_min.x + static_cast<float>(std::clamp(depth.min / cap, 0.0, 1.0)) * (tank_max.x - tank_min.x);
      const float x1 = tank_min.x + static_cast<float>(std::clamp(depth.max / cap, 0.0, 1.0)) * (tank_max.x - tank_min.x);
      draw->AddLine(ImVec2(x0, tank_max.y - 2), ImVec2(x1, tank_max.y - 2), IM_COL32(255, 255, 255, 150), 2);
    }
    draw->AddRect(tank_min, tank_max, colors::kBoxBorder, 3);
    char label[64];
    if (!depth.valid) {
      std::snprintf(label, sizeof(label), "-");
    } else if (track != nullptr && track->current && app.cursor >= app.extent()) {
      std::snprintf(label, sizeof(label), "%lld / %.0f", static_cast<long long>(*track->current), cap);
    } else {
      std::snprintf(label, sizeof(label), "%.1f / %.0f", depth.mean, cap);
    }
    const ImVec2 size = ImGui::CalcTextSize(label);
    draw->AddText(ImVec2((tank_min.x + tank_max.x - size.x) / 2, tank_min.y + (20 - size.y) / 2), colors::kText, label);
    y += 25;
    if (!compact && track != nullptr) {
      sparkline(draw, app, *track, ImVec2(x, y), ImVec2(box.max.x - 10, y + 26), cap);
      y += 32;
    }
  }
  if (part.kind == PartKind::stage) {
    if (const ReplicaTrack* track = app.model().replica_track(part.id)) {
      y += replica_row(draw, app, *track, ImVec2(x, y), box.max.x - x - 10);
    }
  }
  // Nodes: the part's home, or each worker of a stage, two per row.
  float chip_x = x;
  const float chip_w = (box.max.x - x - 10) / (part.kind == PartKind::stage && part.nodes.size() > 1 ? 2 : 1);
  for (std::size_t i = 0; i < part.nodes.size(); ++i) {
    node_chip(draw, app, ImVec2(chip_x, y), chip_w - 4, part.nodes[i]);
    if (part.kind == PartKind::stage && i % 2 == 0 && part.nodes.size() > 1) {
      chip_x += chip_w;
    } else {
      chip_x = x;
      y += 20;
    }
  }
}

void draw_legend(ImDrawList* draw, const App& app, ImVec2 at, float width) {
  const Topology& topo = app.model().topology;
  float x = at.x;
  float y = at.y;
  draw->AddText(app.fonts.small, app.fonts.small->FontSize, ImVec2(x, y + 2), colors::kDimText, "NODES");
  x += 52;
  for (const std::string& node : topo.nodes) {
    const unsigned condition = app.node_condition(node);
    const std::string label = node + " " + condition_text(condition);
    const float w = ImGui::CalcTextSize(label.c_str()).x + 26;
    if (x + w > at.x + width) {
      x = at.x + 52;
      y += 20;
    }
    draw->AddCircleFilled(ImVec2(x + 6, y + 9), 4.5f, condition_color(condition));
    draw->AddText(ImVec2(x + 14, y + 1), colors::kText, node.c_str());
    draw->AddText(ImVec2(x + 18 + ImGui::CalcTextSize(node.c_str()).x, y + 1), condition_color(condition),
                  condition_text(condition).c_str());
    x += w + 10;
  }
}

}  // namespace

void draw_topology(App& app, ImVec2 min, ImVec2 max) {
  begin_tile("Topology", min, max, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const Topology& topo = app.model().topology;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (topo.parts.empty()) {
    ImGui::TextDisabled("This run has no topology (summary.json without \"topology\").");
    ImGui::End();
    return;
  }
  const float legend_h = 26;
  const float area_h = avail.y - legend_h;
  const int columns = std::max(topo.columns, 1);
  const float box_w = std::min(kBoxW, (avail.x - 8) / static_cast<float>(columns) - 26);
  const float gap = columns > 1 ? (avail.x - box_w * columns) / static_cast<float>(columns - 1) : 0;
  std::vector<int> rows_in_column(columns, 0);
  for (const Part& part : topo.parts) rows_in_column[part.column] = std::max(rows_in_column[part.column], part.row + 1);
  int rows = 1;
  for (int r : rows_in_column) rows = std::max(rows, r);
  const bool compact = area_h / static_cast<float>(rows) < 136;
  std::vector<Box> boxes(topo.parts.size());
  for (std::size_t i = 0; i < topo.parts.size(); ++i) {
    const Part& part = topo.parts[i];
    const float h = box_height(part, compact, app.model().replica_track(part.id) != nullptr);
    const float slot = area_h / static_cast<float>(rows_in_column[part.column]);
    const float x = origin.x + (columns > 1 ? part.column * (box_w + gap) : (avail.x - box_w) / 2);
    const float y = origin.y + slot * (static_cast<float>(part.row) + 0.5f) - h / 2;
    boxes[i] = {ImVec2(std::floor(x), std::floor(y)), ImVec2(std::floor(x + box_w), std::floor(y + h))};
  }
  // Edges first, under the boxes.
  std::vector<double> rates, peaks;
  for (const Edge& e : topo.edges) rates.push_back(edge_rate(app, e, &peaks));
  const double peak = std::max(1e-9, peaks.empty() ? 0.0 : *std::max_element(peaks.begin(), peaks.end()));
  std::vector<double> part_rate(topo.parts.size(), 0.0);
  for (std::size_t i = 0; i < topo.edges.size(); ++i) {
    const Edge& e = topo.edges[i];
    part_rate[e.to] += rates[i];
    if (topo.parts[e.from].kind == PartKind::source) part_rate[e.from] += rates[i];
    const ImVec2 a(boxes[e.from].max.x, (boxes[e.from].min.y + boxes[e.from].max.y) / 2);
    const ImVec2 b(boxes[e.to].min.x - 6, (boxes[e.to].min.y + boxes[e.to].max.y) / 2);
    const float thickness = 1.5f + 9.0f * static_cast<float>(std::clamp(rates[i] / peak, 0.0, 1.0));
    const float dx = std::max(30.0f, (b.x - a.x) * 0.5f);
    const ImU32 color = rates[i] > 0 ? colors::kEdge : IM_COL32(90, 100, 115, 160);
    draw->AddBezierCubic(a, ImVec2(a.x + dx, a.y), ImVec2(b.x - dx, b.y), b, color, thickness);
    draw->AddTriangleFilled(ImVec2(b.x + 6, b.y), ImVec2(b.x - 3, b.y - 6), ImVec2(b.x - 3, b.y + 6), color);
    if (b.x - a.x > 60) {
      const std::string label = format_rate(rates[i]);
      const ImVec2 size = ImGui::CalcTextSize(label.c_str());
      const ImVec2 mid((a.x + b.x) / 2 - size.x / 2, (a.y + b.y) / 2 - size.y - thickness / 2 - 1);
      draw->AddText(app.fonts.small, app.fonts.small->FontSize, mid, colors::kAxisText, label.c_str());
    }
  }
  for (std::size_t i = 0; i < topo.parts.size(); ++i) {
    double rate = part_rate[i];
    if (topo.parts[i].kind == PartKind::stage) {
      if (const CountTrack* t = app.model().stage(topo.parts[i].id)) rate = rate_at(*t, app.cursor, app.extent());
    }
    draw_part(draw, app, topo.parts[i], boxes[i], rate, compact);
    ImGui::SetCursorScreenPos(boxes[i].min);
    ImGui::PushID(static_cast<int>(i));
    ImGui::InvisibleButton("part", ImVec2(std::max(boxes[i].max.x - boxes[i].min.x, 1.0f),
                                          std::max(boxes[i].max.y - boxes[i].min.y, 1.0f)));
    if (ImGui::IsItemHovered()) {
      const Part& part = topo.parts[i];
      ImGui::BeginTooltip();
      ImGui::Text("%s %s", part_kind_name(part.kind), part.id.c_str());
      if (const DepthTrack* q = app.model().queue(part.id)) {
        const DepthAt d = depth_at(*q, app.cursor, app.extent());
        ImGui::Text("depth at cursor: mean %.1f, min %.0f, max %.0f", d.mean, d.min, d.max);
        ImGui::Text("whole run: max %.0f, mean %.2f, capacity %llu", q->max_depth, q->mean_depth,
                    static_cast<unsigned long long>(q->capacity));
      }
      if (rate > 0) ImGui::Text("throughput at cursor: %s", format_rate(rate).c_str());
      if (const ReplicaTrack* r = app.model().replica_track(part.id)) {
        const ReplicaCounts c = replicas_at(*r, app.cursor, app.extent());
        ImGui::Text("replicas at cursor: %u ready, %u starting, %u draining", c.ready, c.starting, c.draining);
        if (r->max_replicas > 0) ImGui::Text("autoscaler bounds %u..%u; whole run: ready %u..%u, %zu decisions",
                                             r->min_replicas, r->max_replicas, r->ready_min, r->ready_max,
                                             r->decisions.size());
        if (r->steps.empty()) ImGui::TextDisabled("starting and draining replicas need the run's trace (--trace)");
      }
      ImGui::TextDisabled("click: show its events in the log");
      ImGui::EndTooltip();
    }
    if (ImGui::IsItemClicked()) {
      std::snprintf(app.log_ui.part_text, sizeof(app.log_ui.part_text), "%s", topo.parts[i].id.c_str());
    }
    ImGui::PopID();
  }
  draw_legend(draw, app, ImVec2(origin.x, origin.y + area_h + 4), avail.x);
  ImGui::End();
}

}  // namespace sluice::viz

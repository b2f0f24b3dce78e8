#include "reports/spacetime_svg.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/json_access.h"
#include "reports/number_format.h"
#include "reports/series_view.h"
#include "reports/xml_escape.h"

namespace sluice::reports {
namespace {

constexpr double kWidth = 800, kLeft = 110, kRight = 780, kTop = 30, kLanePitch = 44, kBottom = 34;

std::string px(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", v);
  return text;
}

struct Step {
  double t = 0;
  std::string node, kind, event, text, when;
};

std::vector<Step> steps_of(const nlohmann::json& explanation) {
  std::vector<Step> out;
  const nlohmann::json& steps = member(explanation, "steps");
  if (!steps.is_array()) return out;
  for (const nlohmann::json& s : steps) {
    out.push_back({number_or(s, "t_ns", 0), string_or(s, "node"), string_or(s, "kind"), string_or(s, "event"),
                   string_or(s, "text"), string_or(s, "t")});
  }
  return out;
}

bool is_mark(const std::string& kind) {
  return kind == "checkpoint" || kind == "checkpoint_aborted" || kind == "snapshot" || kind == "rebalance" ||
         kind == "restore" || kind == "commit" || kind == "commit_fenced" || kind == "worker_lost";
}

// The lanes: the topology's nodes, then any node a step names that it lacks.
std::vector<std::string> lanes_of(const nlohmann::json& nodes, const std::vector<Step>& steps) {
  std::vector<std::string> lanes = strings_of(nodes);
  for (const Step& s : steps) {
    if (!s.node.empty() && std::find(lanes.begin(), lanes.end(), s.node) == lanes.end()) lanes.push_back(s.node);
  }
  return lanes;
}

struct Axis {
  double t0 = 0, t1 = 1;
  double x(double t) const { return kLeft + (t - t0) / (t1 - t0) * (kRight - kLeft); }
};

Axis axis_of(const std::vector<Step>& steps) {
  Axis a;
  a.t0 = steps.front().t;
  a.t1 = steps.front().t;
  for (const Step& s : steps) {
    a.t0 = std::min(a.t0, s.t);
    a.t1 = std::max(a.t1, s.t);
  }
  const double pad = std::max((a.t1 - a.t0) * 0.05, 1e6);
  a.t0 = std::max(0.0, a.t0 - pad);
  a.t1 += pad;
  return a;
}

// Fault spans clipped to the axis, on the lanes of the nodes they hit.
std::string fault_rects(const nlohmann::json& faults, const Axis& a, const std::map<std::string, double>& lane_y) {
  std::string out;
  if (!faults.is_array()) return out;
  // The report's one reading of the faults gives each its span class.
  const std::vector<FaultSpan> spans = fault_spans(faults);
  for (std::size_t i = 0; i < faults.size() && i < spans.size(); ++i) {
    const nlohmann::json& f = faults[i];
    const double begin = spans[i].at_ns, end = has_number(f, "end_ns") ? spans[i].end_ns : a.t1;
    if (end < a.t0 || begin > a.t1) continue;
    std::vector<std::string> hit = strings_of(member(f, "nodes"));
    if (hit.empty()) hit.push_back(string_or(f, "target"));
    const std::string kind = string_or(f, "kind", "fault");
    const std::string& css = spans[i].css;
    for (const std::string& node : hit) {
      auto lane = lane_y.find(node);
      if (lane == lane_y.end()) continue;
      const double x0 = a.x(std::max(begin, a.t0)), x1 = a.x(std::min(end, a.t1));
      out += "<rect class=\"fault " + css + "\" data-node=\"" + xml_escape(node) + "\" x=\"" + px(x0) + "\" y=\"" +
             px(lane->second - 12) + "\" width=\"" + px(std::max(x1 - x0, 2.0)) + "\" height=\"24\" opacity=\"0.25\">" +
             "<title>" + xml_escape(kind + " " + string_or(f, "target")) + "</title></rect>";
    }
  }
  return out;
}

// Arrows between consecutive steps of the same event on different lanes:
// the path a copy took across the nodes.
std::string arrows(const std::vector<Step>& steps, const Axis& a, const std::map<std::string, double>& lane_y) {
  std::string out;
  std::map<std::string, const Step*> previous;  // by event id
  for (const Step& s : steps) {
    if (s.event.empty() || !lane_y.contains(s.node)) continue;
    auto it = previous.find(s.event);
    if (it != previous.end() && it->second->node != s.node) {
      out += "<line class=\"arrow\" data-event=\"" + xml_escape(s.event) + "\" x1=\"" + px(a.x(it->second->t)) +
             "\" y1=\"" + px(lane_y.at(it->second->node)) + "\" x2=\"" + px(a.x(s.t)) + "\" y2=\"" +
             px(lane_y.at(s.node)) + "\" stroke=\"#0969da\" stroke-width=\"1.4\" marker-end=\"url(#st-arrow)\"/>";
    }
    previous[s.event] = &s;
  }
  return out;
}

std::string dots(const std::vector<Step>& steps, const Axis& a, const std::map<std::string, double>& lane_y,
                 double height) {
  std::string out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    const std::string title = "<title>" + xml_escape(s.when + " " + s.node + ": " + s.text) + "</title>";
    auto lane = lane_y.find(s.node);
    const double x = a.x(s.t);
    if (is_mark(s.kind) || s.kind == "fault" || s.kind == "heal") {
      const double y0 = lane == lane_y.end() ? kTop : lane->second - 16, y1 = lane == lane_y.end() ? height - kBottom : lane->second + 16;
      out += "<line class=\"mark mark-" + xml_escape(s.kind) + "\" x1=\"" + px(x) + "\" y1=\"" + px(y0) + "\" x2=\"" +
             px(x) + "\" y2=\"" + px(y1) + "\" stroke=\"#57606a\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\">" + title +
             "</line>";
      continue;
    }
    if (lane == lane_y.end()) continue;
    out += "<circle class=\"step\" data-kind=\"" + xml_escape(s.kind) + "\" cx=\"" + px(x) + "\" cy=\"" +
           px(lane->second) + "\" r=\"4\" fill=\"" + (i + 1 == steps.size() ? "#cf222e" : "#24292f") + "\">" + title +
           "</circle>";
    out += "<text x=\"" + px(x) + "\" y=\"" + px(lane->second - 8) + "\" text-anchor=\"middle\" font-size=\"9\">" +
           std::to_string(i + 1) + "</text>";
  }
  return out;
}

std::string step_list(const std::vector<Step>& steps) {
  std::string out = "<ol class=\"why-steps\">";
  for (const Step& s : steps) {
    out += "<li><span class=\"num\">" + xml_escape(s.when) + "</span> <code>" + xml_escape(s.node.empty() ? "-" : s.node) +
           "</code> <code>" + xml_escape(s.kind) + (s.event.empty() ? "" : " " + xml_escape(s.event)) + "</code> " +
           xml_escape(s.text) + "</li>";
  }
  return out + "</ol>";
}

}  // namespace

std::string render_spacetime(const nlohmann::json& explanation, const nlohmann::json& nodes,
                             const nlohmann::json& faults) {
  const std::vector<Step> steps = steps_of(explanation);
  if (steps.empty()) return "";
  const std::vector<std::string> lanes = lanes_of(nodes, steps);
  const double height = kTop + kLanePitch * static_cast<double>(lanes.size()) + kBottom;
  const Axis a = axis_of(steps);
  std::map<std::string, double> lane_y;
  std::string out = "<svg class=\"spacetime\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + px(kWidth) + " " +
                    px(height) + "\" width=\"" + px(kWidth) + "\" height=\"" + px(height) + "\" role=\"img\">" +
                    "<title>Space-time diagram: one lane per node, virtual time left to right</title>" +
                    "<defs><marker id=\"st-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" " +
                    "markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#0969da\"/></marker></defs>";
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    const double y = kTop + kLanePitch * (static_cast<double>(i) + 0.5);
    lane_y[lanes[i]] = y;
    out += "<g class=\"lane\" data-node=\"" + xml_escape(lanes[i]) + "\"><text x=\"" + px(kLeft - 8) + "\" y=\"" +
           px(y + 4) + "\" text-anchor=\"end\" font-size=\"11\">" + xml_escape(lanes[i]) + "</text><line x1=\"" +
           px(kLeft) + "\" y1=\"" + px(y) + "\" x2=\"" + px(kRight) + "\" y2=\"" + px(y) +
           "\" stroke=\"#d0d7de\"/></g>";
  }
  out += fault_rects(faults, a, lane_y) + arrows(steps, a, lane_y) + dots(steps, a, lane_y, height);
  const double axis_y = height - kBottom + 14;
  out += "<text class=\"axis-label\" x=\"" + px(kLeft) + "\" y=\"" + px(axis_y) + "\" font-size=\"10\">" +
         format_duration_ns(a.t0) + "</text><text class=\"axis-label\" x=\"" + px(kRight) + "\" y=\"" + px(axis_y) +
         "\" text-anchor=\"end\" font-size=\"10\">" + format_duration_ns(a.t1) + "</text><text x=\"" +
         px((kLeft + kRight) / 2) + "\" y=\"" + px(axis_y + 14) + "\" text-anchor=\"middle\" font-size=\"10\">" +
         "virtual time</text>";
  return out + "</svg>";
}

std::string why_it_failed(const nlohmann::json& summary) {
  std::string out;
  const nlohmann::json& invariants = member(summary, "invariants");
  if (!invariants.is_object()) return out;
  for (const auto& [name, verdict] : invariants.items()) {
    const nlohmann::json& explanation = member(member(verdict, "first"), "explanation");
    if (!explanation.is_object()) continue;
    out += "<h3><code>" + xml_escape(name) + "</code></h3><p class=\"why\"><b>Why:</b> " +
           xml_escape(string_or(explanation, "why")) + "</p>" +
           render_spacetime(explanation, member(member(summary, "topology"), "nodes"), member(summary, "faults")) +
           step_list(steps_of(explanation));
  }
  return out;
}

}  // namespace sluice::reports

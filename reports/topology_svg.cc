#include "reports/topology_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/json_access.h"
#include "reports/number_format.h"
#include "reports/svg_path.h"
#include "reports/xml_escape.h"

namespace sluice::reports {

std::string fill_colour(double fraction) {
  struct Stop {
    double at, r, g, b;
  };
  static constexpr Stop kStops[] = {{0.0, 46, 160, 67}, {0.7, 230, 160, 20}, {1.0, 214, 48, 49}};
  double f = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
  std::size_t i = f < kStops[1].at ? 0 : 1;
  const Stop& a = kStops[i];
  const Stop& b = kStops[i + 1];
  double t = (f - a.at) / (b.at - a.at);
  char text[8];
  std::snprintf(text, sizeof(text), "#%02x%02x%02x", static_cast<int>(std::lround(a.r + t * (b.r - a.r))),
                static_cast<int>(std::lround(a.g + t * (b.g - a.g))), static_cast<int>(std::lround(a.b + t * (b.b - a.b))));
  return text;
}

namespace {

constexpr double kBoxWidth = 148, kBoxHeight = 58, kRowPitch = 78, kMargin = 24;
// Columns close up for long pipelines, so the diagram shrinks less to fit the page.
constexpr double kColumnPitchWide = 210, kColumnPitchNarrow = 176;
constexpr int kWideColumnsUpTo = 5;
// Characters that fit in a box: its identifier (12.5 px bold) and its subtitle (10.5 px).
constexpr std::size_t kIdChars = 19, kSubChars = 24;
constexpr double kMinWidth = 800, kLegendHeight = 46;

struct Node {
  std::string id, kind, sub, title;
  double fill = -1;  // peak fill of a queue, -1 when not a queue or unknown
  int depth = 0;
  double x = 0, y = 0;
};

struct Graph {
  std::vector<Node> nodes;
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  std::map<std::string, std::size_t> index;

  std::size_t node(const std::string& id, const std::string& kind) {
    auto it = index.find(id);
    if (it != index.end()) return it->second;
    index.emplace(id, nodes.size());
    nodes.push_back(Node{id, kind, kind == "unknown" ? "not in the topology" : kind, "", -1, 0, 0, 0});
    return nodes.size() - 1;
  }
  // `to` may be one id or a list of ids.
  void connect(std::size_t from, const nlohmann::json& to, bool outgoing) {
    std::vector<std::string> ids;
    if (to.is_string()) ids.push_back(to.get<std::string>());
    if (to.is_array()) {
      for (const auto& t : to) {
        if (t.is_string()) ids.push_back(t.get<std::string>());
      }
    }
    for (const std::string& id : ids) {
      std::size_t other = node(id, "unknown");
      std::pair<std::size_t, std::size_t> edge(outgoing ? from : other, outgoing ? other : from);
      if (std::find(edges.begin(), edges.end(), edge) == edges.end()) edges.push_back(edge);
    }
  }
};

std::string workers_text(const nlohmann::json& workers) {
  std::size_t n = workers.is_array() ? workers.size() : 1;
  return std::to_string(n) + (n == 1 ? " worker" : " workers");
}

void describe_queue(Node& n, const nlohmann::json& spec, const nlohmann::json& stats, const char* capacity_key) {
  double capacity = number_or(stats, "capacity", number_or(spec, capacity_key, 0));
  std::string policy = string_or(spec, "policy");
  n.title = n.kind + " " + n.id + (policy.empty() ? "" : ", policy " + policy);
  if (has_number(stats, "max_depth") && capacity > 0) {
    double peak = number_or(stats, "max_depth", 0);
    n.fill = peak / capacity;
    n.sub = "peak " + format_count(peak) + "/" + format_count(capacity);
    n.title += ": peak depth " + format_count(peak) + " of " + format_count(capacity) + " (" +
               format_percent(n.fill) + "), mean " + format_number(number_or(stats, "mean_depth", 0));
  } else {
    n.sub = capacity > 0 ? format_count(capacity) + " slots" : "unbounded";
  }
  // The policy goes on the box when it fits; the hover title always has it.
  if (!policy.empty() && n.sub.size() + policy.size() + 3 <= kSubChars) n.sub += " \u00b7 " + policy;
}

Graph build_graph(const nlohmann::json& topology, const nlohmann::json& queues, const nlohmann::json& stages) {
  Graph g;
  for (const auto& s : member(topology, "sources")) {
    std::size_t i = g.node(string_or(s, "id", "?"), "source");
    g.nodes[i].sub = "source \u00b7 " + string_or(s, "node", "?");
    g.nodes[i].title = "source " + g.nodes[i].id + " on node " + string_or(s, "node", "?");
  }
  for (const char* list : {"buffers", "topics"}) {
    for (const auto& b : member(topology, list)) {
      std::string id = string_or(b, "id", "?");
      std::size_t i = g.node(id, list[0] == 'b' ? "buffer" : "topic");
      describe_queue(g.nodes[i], b, member(queues, id), list[0] == 'b' ? "capacity" : "max_msgs");
    }
  }
  for (const auto& s : member(topology, "stages")) {
    std::string id = string_or(s, "id", "?");
    std::size_t i = g.node(id, "stage");
    const nlohmann::json& stats = member(stages, id);
    g.nodes[i].sub = workers_text(member(s, "workers"));
    g.nodes[i].title = "stage " + id + ": " + g.nodes[i].sub;
    if (has_number(stats, "busy_fraction")) {
      g.nodes[i].sub += " \u00b7 " + format_fixed(100 * number_or(stats, "busy_fraction", 0), 0) + "% busy";
      g.nodes[i].title += ", busy " + format_percent(number_or(stats, "busy_fraction", 0)) + ", processed " +
                          format_count(number_or(stats, "processed", 0));
    }
  }
  for (const auto& s : member(topology, "sinks")) {
    std::size_t i = g.node(string_or(s, "id", "?"), "sink");
    g.nodes[i].sub = "sink \u00b7 " + string_or(s, "node", "?");
    g.nodes[i].title = "sink " + g.nodes[i].id + " on node " + string_or(s, "node", "?");
  }
  // Edges after every node exists, so a forward reference is not "unknown".
  for (const char* list : {"sources", "buffers", "topics", "stages"}) {
    for (const auto& item : member(topology, list)) {
      std::size_t i = g.index.at(string_or(item, "id", "?"));
      g.connect(i, member(item, "to"), true);
      g.connect(i, member(item, "from"), false);
    }
  }
  return g;
}

// Longest-path depth from the roots; a cycle stops growing after n rounds.
void assign_depths(Graph& g) {
  for (std::size_t round = 0; round < g.nodes.size(); ++round) {
    bool changed = false;
    for (const auto& [from, to] : g.edges) {
      if (from != to && g.nodes[to].depth < g.nodes[from].depth + 1) {
        g.nodes[to].depth = g.nodes[from].depth + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
}

// Returns the diagram's width and height.
std::pair<double, double> lay_out(Graph& g) {
  int columns = 0;
  for (const Node& n : g.nodes) columns = std::max(columns, n.depth + 1);
  std::vector<int> rows(static_cast<std::size_t>(columns), 0);
  for (const Node& n : g.nodes) ++rows[static_cast<std::size_t>(n.depth)];
  int tallest = rows.empty() ? 1 : *std::max_element(rows.begin(), rows.end());
  double pitch = columns <= kWideColumnsUpTo ? kColumnPitchWide : kColumnPitchNarrow;
  double content = columns * pitch - (pitch - kBoxWidth);
  double width = std::max(kMinWidth, content + 2 * kMargin);
  double left = (width - content) / 2;
  std::vector<int> placed(rows.size(), 0);
  for (Node& n : g.nodes) {
    auto c = static_cast<std::size_t>(n.depth);
    double offset = (tallest - rows[c]) * kRowPitch / 2;
    n.x = left + n.depth * pitch;
    n.y = kMargin + offset + placed[c]++ * kRowPitch;
  }
  return {width, kMargin + tallest * kRowPitch - (kRowPitch - kBoxHeight) + kMargin / 2 + kLegendHeight};
}

// At most `max_chars` code points, with an ellipsis when cut.
std::string truncate(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++chars > max_chars) return text.substr(0, i) + "\u2026";
  }
  return text;
}

std::string edge_svg(const Node& a, const Node& b) {
  double x1 = a.x + kBoxWidth, y1 = a.y + kBoxHeight / 2, x2 = b.x - 3, y2 = b.y + kBoxHeight / 2;
  double bend = std::max(30.0, std::fabs(x2 - x1) / 2);
  std::string d = "M" + svg_number(x1) + ' ' + svg_number(y1) + "C" + svg_number(x1 + bend) + ' ' + svg_number(y1) +
                  ' ' + svg_number(x2 - bend) + ' ' + svg_number(y2) + ' ' + svg_number(x2) + ' ' + svg_number(y2);
  return "<path class=\"edge\" d=\"" + d + "\" marker-end=\"url(#topo-arrow)\"/>";
}

std::string node_svg(const Node& n) {
  std::string out = "<g class=\"node " + n.kind + "\"><title>" + xml_escape(n.title.empty() ? n.id : n.title) +
                    "</title>";
  std::string x = svg_number(n.x), y = svg_number(n.y), xc = svg_number(n.x + kBoxWidth / 2);
  std::string style;
  if (n.fill >= 0) {
    std::string colour = fill_colour(n.fill);
    style = " style=\"stroke:" + colour + ";fill:" + colour + "26\"";  // 0x26: 15% alpha
  }
  out += "<rect x=\"" + x + "\" y=\"" + y + "\" width=\"" + svg_number(kBoxWidth) + "\" height=\"" +
         svg_number(kBoxHeight) + "\" rx=\"" + (n.kind == "stage" ? "4" : "10") + "\"" + style + "/>";
  out += "<text class=\"node-id\" x=\"" + xc + "\" y=\"" + svg_number(n.y + 21) + "\">" +
         xml_escape(truncate(n.id, kIdChars)) + "</text>";
  out += "<text class=\"node-sub\" x=\"" + xc + "\" y=\"" + svg_number(n.y + 37) + "\">" +
         xml_escape(truncate(n.sub, kSubChars)) + "</text>";
  if (n.fill >= 0) {
    double track = kBoxWidth - 24;
    std::string gx = svg_number(n.x + 12), gy = svg_number(n.y + 45);
    out += "<rect class=\"gauge-track\" x=\"" + gx + "\" y=\"" + gy + "\" width=\"" + svg_number(track) +
           "\" height=\"5\" rx=\"2\"/>";
    out += "<rect x=\"" + gx + "\" y=\"" + gy + "\" width=\"" + svg_number(track * std::clamp(n.fill, 0.0, 1.0)) +
           "\" height=\"5\" rx=\"2\" class=\"gauge\" style=\"fill:" + fill_colour(n.fill) + "\"/>";
  }
  return out + "</g>";
}

std::string legend_svg(double width, double height) {
  double y = height - kLegendHeight + 8, x = width / 2 - 150;
  std::string out = "<g class=\"topo-legend\"><text class=\"node-sub\" x=\"" + svg_number(x) + "\" y=\"" +
                    svg_number(y + 9) + "\">queue peak fill</text>";
  x += 64;
  for (int i = 0; i <= 4; ++i) {
    double f = i / 4.0;
    out += "<rect x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) + "\" width=\"36\" height=\"12\" rx=\"2\" style=\"fill:" +
           fill_colour(f) + "\"/><text class=\"node-sub\" x=\"" + svg_number(x + 18) + "\" y=\"" + svg_number(y + 25) +
           "\">" + format_fixed(100 * f, 0) + "%</text>";
    x += 44;
  }
  return out + "</g>";
}

}  // namespace

std::string render_topology(const nlohmann::json& topology, const nlohmann::json& queues,
                            const nlohmann::json& stages) {
  Graph g = build_graph(topology, queues, stages);
  if (g.nodes.empty()) return "<p class=\"muted\">The summary carries no topology.</p>";
  assign_depths(g);
  auto [width, height] = lay_out(g);
  // Below 70% of its size the text is too small to read: the figure scrolls instead.
  std::string out = "<svg class=\"topology\" viewBox=\"0 0 " + svg_number(width) + ' ' + svg_number(height) +
                    "\" style=\"min-width:" + svg_number(std::round(width * 0.7)) +
                    "px\" role=\"img\" aria-label=\"pipeline topology\"><title>Pipeline topology</title>";
  out += "<defs><marker id=\"topo-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
         "markerHeight=\"7\" orient=\"auto\"><path class=\"arrow-head\" d=\"M0 0L10 5L0 10Z\"/></marker></defs>";
  for (const auto& [from, to] : g.edges) out += edge_svg(g.nodes[from], g.nodes[to]);
  for (const Node& n : g.nodes) out += node_svg(n);
  return out + legend_svg(width, height) + "</svg>";
}

}  // namespace sluice::reports

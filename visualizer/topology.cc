#include "visualizer/topology.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace sluice::viz {

const char* part_kind_name(PartKind kind) {
  switch (kind) {
    case PartKind::source: return "source";
    case PartKind::buffer: return "buffer";
    case PartKind::stage: return "stage";
    case PartKind::sink: return "sink";
  }
  return "?";
}

int Topology::find(PartKind kind, std::string_view id) const {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].kind == kind && parts[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int Topology::find(std::string_view id) const {
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::string text_field(const nlohmann::json& object, const char* name) {
  if (!object.is_object() || !object.contains(name) || !object[name].is_string()) return {};
  return object[name].get<std::string>();
}

void add_parts(Topology& topology, const nlohmann::json& list, PartKind kind) {
  if (!list.is_array()) return;
  for (const nlohmann::json& entry : list) {
    Part part;
    part.kind = kind;
    part.id = text_field(entry, "id");
    if (part.id.empty()) continue;
    std::string node = text_field(entry, "node");
    if (!node.empty()) part.nodes.push_back(node);
    if (entry.contains("workers") && entry["workers"].is_array()) {
      for (const nlohmann::json& worker : entry["workers"]) {
        if (worker.is_string()) part.nodes.push_back(worker.get<std::string>());
      }
    }
    if (entry.contains("capacity") && entry["capacity"].is_number_unsigned()) {
      part.capacity = entry["capacity"].get<std::uint64_t>();
    }
    part.policy = text_field(entry, "policy");
    topology.parts.push_back(std::move(part));
  }
}

void add_edge(Topology& topology, int from, int to) {
  if (from < 0 || to < 0 || from == to) return;
  for (const Edge& e : topology.edges) {
    if (e.from == from && e.to == to) return;
  }
  topology.edges.push_back({from, to});
}

}  // namespace

Topology topology_from_json(const nlohmann::json& json) {
  Topology topology;
  if (!json.is_object()) return topology;
  add_parts(topology, json.value("sources", nlohmann::json::array()), PartKind::source);
  add_parts(topology, json.value("buffers", nlohmann::json::array()), PartKind::buffer);
  add_parts(topology, json.value("topics", nlohmann::json::array()), PartKind::buffer);  // a log is a queue too
  add_parts(topology, json.value("stages", nlohmann::json::array()), PartKind::stage);
  add_parts(topology, json.value("sinks", nlohmann::json::array()), PartKind::sink);
  for (const char* list : {"sources", "buffers", "topics", "stages"}) {
    for (const nlohmann::json& entry : json.value(list, nlohmann::json::array())) {
      const int self = topology.find(text_field(entry, "id"));
      const std::string from = text_field(entry, "from");
      if (!from.empty()) add_edge(topology, topology.find(from), self);
      // "to" is an id, or a list of them for a stage that fans out.
      const nlohmann::json to = entry.value("to", nlohmann::json());
      for (const nlohmann::json& target : to.is_array() ? to : nlohmann::json::array({to})) {
        if (target.is_string()) add_edge(topology, self, topology.find(target.get<std::string>()));
      }
    }
  }
  if (json.contains("nodes") && json["nodes"].is_array()) {
    for (const nlohmann::json& node : json["nodes"]) {
      if (node.is_string()) topology.nodes.push_back(node.get<std::string>());
    }
  }
  // Older or partial summaries may omit "nodes": gather them from the parts.
  for (const Part& part : topology.parts) {
    for (const std::string& node : part.nodes) {
      if (std::find(topology.nodes.begin(), topology.nodes.end(), node) == topology.nodes.end()) {
        topology.nodes.push_back(node);
      }
    }
  }
  lay_out(topology);
  return topology;
}

void lay_out(Topology& topology) {
  const std::size_t n = topology.parts.size();
  std::vector<int> column(n, 0);
  // Longest path by relaxation; n rounds bound it even if a cycle slipped in.
  for (std::size_t round = 0; round < n; ++round) {
    bool changed = false;
    for (const Edge& e : topology.edges) {
      if (column[e.to] < column[e.from] + 1 && column[e.from] + 1 < static_cast<int>(n)) {
        column[e.to] = column[e.from] + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  // Sinks go to the last column, so every path ends at the right edge.
  int columns = 0;
  for (std::size_t i = 0; i < n; ++i) columns = std::max(columns, column[i] + 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (topology.parts[i].kind == PartKind::sink) column[i] = std::max(columns - 1, 0);
  }
  std::vector<double> row_of(n, 0.0);
  topology.max_rows = 0;
  for (int c = 0; c < columns; ++c) {
    std::vector<std::pair<double, std::size_t>> order;  // (barycenter, index)
    for (std::size_t i = 0; i < n; ++i) {
      if (column[i] != c) continue;
      double sum = 0;
      int count = 0;
      for (const Edge& e : topology.edges) {
        if (static_cast<std::size_t>(e.to) == i && column[e.from] < c) {
          sum += row_of[e.from];
          ++count;
        }
      }
      order.emplace_back(count > 0 ? sum / count : static_cast<double>(order.size()), i);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t r = 0; r < order.size(); ++r) {
      row_of[order[r].second] = static_cast<double>(r);
      topology.parts[order[r].second].row = static_cast<int>(r);
    }
    topology.max_rows = std::max(topology.max_rows, static_cast<int>(order.size()));
  }
  for (std::size_t i = 0; i < n; ++i) topology.parts[i].column = column[i];
  topology.columns = columns;
}

}  // namespace sluice::viz

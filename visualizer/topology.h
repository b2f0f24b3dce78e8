// The pipeline's shape as the visualizer draws it: parts (sources, buffers,
// stages, sinks), the edges events flow along, and a layered layout with one
// column per DAG depth. Built from summary.json's "topology" object, which the
// live mode also produces from the loaded scenario.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sluice::viz {

enum class PartKind { source, buffer, stage, sink };
const char* part_kind_name(PartKind kind);

struct Part {
  PartKind kind = PartKind::source;
  std::string id;
  std::vector<std::string> nodes;  // the node it lives on; a stage's workers
  std::uint64_t capacity = 0;      // buffers
  std::string policy;              // buffers
  int column = 0;                  // longest path from a source
  int row = 0;                     // position within the column
};

struct Edge {
  int from = 0;  // index into parts
  int to = 0;
};

struct Topology {
  std::vector<Part> parts;
  std::vector<Edge> edges;
  std::vector<std::string> nodes;  // every node, in order of first mention
  int columns = 0;
  int max_rows = 0;

  int find(PartKind kind, std::string_view id) const;
  // The part an id names, whatever its kind (ids are unique across kinds).
  int find(std::string_view id) const;
};

// Reads {"nodes", "sources":[{id,node,to}], "buffers":[{id,node,capacity,policy,to?}],
// "stages":[{id,from,to,workers}], "sinks":[{id,node}]} and lays it out.
// Unknown references are dropped rather than trusted.
Topology topology_from_json(const nlohmann::json& topology);

// Columns by longest path (a cycle, which a valid scenario cannot have, is
// cut), rows ordered by the mean row of each part's predecessors.
void lay_out(Topology& topology);

}  // namespace sluice::viz

#include "sim/check/explanation.h"

#include <algorithm>
#include <cstdio>

namespace sluice {

std::string human_time(Nanos t) {
  char text[48];
  std::snprintf(text, sizeof(text), "%.3f s", static_cast<double>(t) / 1e9);
  return text;
}

std::string human_duration(Nanos d) {
  char text[48];
  const double ns = static_cast<double>(d);
  if (d >= 1'000'000'000) std::snprintf(text, sizeof(text), "%.3f s", ns / 1e9);
  else if (d >= 1'000'000) std::snprintf(text, sizeof(text), "%.0f ms", ns / 1e6);
  else if (d >= 1'000) std::snprintf(text, sizeof(text), "%.1f µs", ns / 1e3);
  else std::snprintf(text, sizeof(text), "%lld ns", static_cast<long long>(d));
  return text;
}

nlohmann::json explanation_json(const Explanation& explanation) {
  nlohmann::json steps = nlohmann::json::array();
  for (const ExplainStep& s : explanation.steps) {
    steps.push_back({{"t_ns", s.t_ns}, {"t", human_time(s.t_ns)}, {"node", s.node}, {"part", s.part},
                     {"kind", s.kind}, {"event", s.event}, {"text", s.text}});
  }
  // Every event the explanation involves, in order of first mention, so a
  // viewer can filter its event log to them.
  nlohmann::json events = nlohmann::json::array();
  for (const ExplainStep& s : explanation.steps) {
    if (!s.event.empty() && std::find(events.begin(), events.end(), s.event) == events.end()) events.push_back(s.event);
  }
  nlohmann::json out = {{"why", explanation.why}, {"steps", std::move(steps)}, {"events", std::move(events)}};
  if (explanation.at >= 0) out["at_ns"] = explanation.at;
  return out;
}

Explanation explanation_from_json(const nlohmann::json& json) {
  Explanation out;
  if (!json.is_object()) return out;
  out.why = json.value("why", std::string());
  out.at = json.value("at_ns", Nanos{-1});
  if (!json.contains("steps") || !json["steps"].is_array()) return out;
  for (const nlohmann::json& s : json["steps"]) {
    out.steps.push_back({s.value("t_ns", Nanos{0}), s.value("node", std::string()), s.value("part", std::string()),
                         s.value("kind", std::string()), s.value("event", std::string()),
                         s.value("text", std::string())});
  }
  return out;
}

std::vector<std::string> step_lines(const Explanation& explanation) {
  std::vector<std::string> lines;
  for (const ExplainStep& s : explanation.steps) {
    std::string line = human_time(s.t_ns);
    line.resize(std::max<std::size_t>(line.size(), 11), ' ');
    line += " " + (s.node.empty() ? std::string("-") : s.node) + "  " + (s.event.empty() ? "" : s.event + " ") + s.text;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace sluice

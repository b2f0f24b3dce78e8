// A violation's causal story: one sentence saying why, then the steps that
// prove it, oldest first. Each step names the trace.jsonl record it comes
// from (its kind, time and event id), so a tool can follow it into the trace.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace sluice {

struct ExplainStep {
  Nanos t_ns = 0;
  std::string node;   // the node it happened on ("" when it spans nodes, e.g. a partition)
  std::string part;   // "worker-1 of 'work'", "sink 'db'", "queue 'ingest'", "fault"
  std::string kind;   // the trace.jsonl record kind ("effect", "attempt_failed", "fault", ...)
  std::string event;  // the event id as the trace writes it ("0:17"), or "" for a fault or a mark
  std::string text;   // what happened and why it matters, in a sentence
};

struct Explanation {
  std::string why;  // one sentence
  std::vector<ExplainStep> steps;
  Nanos at = -1;    // when the violating outcome happened (the sluice-viz marker goes there)
  bool empty() const { return why.empty(); }
};

// "21.026 s": virtual time as a person reads it.
std::string human_time(Nanos t);
// A duration: "200 ms", "5.000 s", "3.0 µs".
std::string human_duration(Nanos d);

nlohmann::json explanation_json(const Explanation& explanation);
// The inverse, for the reports and the visualizer (missing fields read as empty).
Explanation explanation_from_json(const nlohmann::json& json);
// The steps as indented lines, for the terminal and JUnit: "21.026 s  db  effect 0:17  text".
std::vector<std::string> step_lines(const Explanation& explanation);

}  // namespace sluice

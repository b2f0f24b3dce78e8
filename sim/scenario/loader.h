// Loading a scenario: parsing, a strict field-by-field read of every section,
// and the checks a JSON Schema cannot express (unique ids, references of the
// right kind, every buffer drained, no cycles, every sink reachable). The
// result is a Scenario the runner may trust without checking again.
//
// Every problem throws ScenarioError naming the file, the JSON Pointer and
// what is wrong; the first problem found wins. Unknown fields are reported
// before missing ones, so "capcity" reads as the typo it is rather than as a
// missing "capacity". The format itself is documented field by field in
// scenarios/schema.json.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_error.h"

namespace sluice {

Scenario load_scenario_file(const std::string& path);

// `file_label` names the text in errors and becomes Scenario::file.
Scenario load_scenario_text(std::string_view text, const std::string& file_label);

// For documents built or edited in code. REQUIRES: `document` was produced by
// parse_json_file / parse_json_text, or is otherwise within their limits.
Scenario load_scenario_json(const nlohmann::json& document, const std::string& file_label);

}  // namespace sluice

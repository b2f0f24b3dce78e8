#include "sim/scenario/defect_injection.h"

#include <algorithm>
#include <optional>

#include "core/model/defects.h"
#include "sim/scenario/suggest.h"

namespace sluice {

bool parse_defect_list(const std::string& text, std::vector<std::string>* names, std::string* why) {
  std::vector<std::string> known(implemented_defect_names().begin(), implemented_defect_names().end());
  std::size_t from = 0;
  for (;;) {
    const std::size_t comma = text.find(',', from);
    const std::string name = text.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (name.empty()) {
      *why = "an empty defect name in '" + text + "'";
      return false;
    }
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::optional<std::string> near = nearest_name(name, known);
      *why = "unknown defect '" + name + "'" + (near ? " (did you mean '" + *near + "'?)" : "");
      return false;
    }
    if (std::find(names->begin(), names->end(), name) == names->end()) names->push_back(name);
    if (comma == std::string::npos) return true;
    from = comma + 1;
  }
}

void inject_defects(Scenario& scenario, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    enable_defect(scenario.defects, name);
    if (std::find(scenario.injected_defects.begin(), scenario.injected_defects.end(), name) ==
        scenario.injected_defects.end()) {
      scenario.injected_defects.push_back(name);
    }
  }
}

std::string defect_list_text(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ",") + name;
  return text;
}

}  // namespace sluice

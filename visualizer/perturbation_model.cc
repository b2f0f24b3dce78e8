#include "visualizer/perturbation_model.h"

#include <nlohmann/json.hpp>

namespace sluice::viz {

using nlohmann::json;

PerturbationView perturbation_from_json(const json& summary, const json& series) {
  PerturbationView view;
  const json p = summary.is_object() ? summary.value("perturbation", json()) : json();
  if (!p.is_object()) return view;
  view.on = true;
  view.enable_probability = p.value("enable_probability", 0.0);
  view.fire_probability = p.value("fire_probability", 0.0);
  const json fired = p.value("fired", json::object());
  for (const json& name : p.value("enabled", json::array())) {
    if (!name.is_string()) continue;
    const std::string site = name.get<std::string>();
    const json count = fired.is_object() ? fired.value(site, json()) : json();
    view.enabled.push_back({site, count.is_number_unsigned() || count.is_number_integer() ? count.get<std::uint64_t>() : 0});
  }
  if (!series.is_object()) return view;
  for (const json& m : series.value("marks", json::array())) {
    if (!m.is_object() || m.value("kind", std::string()) != "perturbed") continue;
    view.marks.push_back({m.value("at_ns", Nanos{0}), m.value("part", std::string())});
  }
  return view;
}

std::vector<const PerturbMark*> perturb_marks_near(const PerturbationView& view, Nanos at, Nanos tolerance) {
  std::vector<const PerturbMark*> near;
  for (const PerturbMark& m : view.marks) {
    if (m.at >= at - tolerance && m.at <= at + tolerance) near.push_back(&m);
  }
  return near;
}

}  // namespace sluice::viz

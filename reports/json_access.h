// Forgiving reads from run outputs. A report must render whatever fields an
// older or newer summary.json carries, so a missing or mistyped field yields a
// default (and usually an "n/a" on the page) instead of an exception.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::reports {

// j[key] when j is an object holding key, otherwise a null value.
inline const nlohmann::json& member(const nlohmann::json& j, std::string_view key) {
  static const nlohmann::json null_value;
  if (!j.is_object()) return null_value;
  auto it = j.find(key);
  return it == j.end() ? null_value : *it;
}

inline double number_or(const nlohmann::json& j, std::string_view key, double fallback) {
  const nlohmann::json& v = member(j, key);
  return v.is_number() ? v.get<double>() : fallback;
}

inline std::string string_or(const nlohmann::json& j, std::string_view key, std::string fallback = "") {
  const nlohmann::json& v = member(j, key);
  return v.is_string() ? v.get<std::string>() : std::move(fallback);
}

// An invariant's first violation as text: summary.json writes {"text", "explanation"}
// (older runs wrote the text alone).
inline std::string first_text(const nlohmann::json& verdict) {
  const nlohmann::json& first = member(verdict, "first");
  if (first.is_string()) return first.get<std::string>();
  return string_or(first, "text");
}

// An integer as text ("1", "18446744073709551615"), or `fallback` when not an integer.
inline std::string integer_text(const nlohmann::json& v, std::string fallback = "?") {
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return fallback;
}

// The strings of an array (other elements skipped); empty when not an array.
inline std::vector<std::string> strings_of(const nlohmann::json& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const auto& item : v) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

inline bool has_number(const nlohmann::json& j, std::string_view key) { return member(j, key).is_number(); }

}  // namespace sluice::reports

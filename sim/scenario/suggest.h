// "Did you mean ...?" for misspelled field names and enumeration values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// Optimal string alignment distance (Damerau-Levenshtein where a transposed
// pair counts as one edit), ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `typo`, if it is within max(1, typo.size() / 3)
// edits; ties go to the earlier candidate so messages are deterministic.
std::optional<std::string> nearest_name(std::string_view typo,
                                        const std::vector<std::string>& candidates);

}  // namespace sluice

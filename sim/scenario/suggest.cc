#include "sim/scenario/suggest.h"

#include <algorithm>
#include <limits>

namespace sluice {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t difference(std::size_t a, std::size_t b) { return a > b ? a - b : b - a; }

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows: the transposition rule looks two rows back. Memory is
  // O(|b|), so a megabyte-long key from a hostile file costs time, not space.
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> before(width), previous(width), current(width);
  for (std::size_t j = 0; j < width; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j < width; ++j) {
      const bool same = lower(a[i - 1]) == lower(b[j - 1]);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
      const bool transposed = i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                              lower(a[i - 2]) == lower(b[j - 1]);
      if (transposed) current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> nearest_name(std::string_view typo,
                                        const std::vector<std::string>& candidates) {
  // A third of the length tolerates one slip in short names and two or three
  // in long ones, while "foo" never "means" "policy".
  const std::size_t limit = std::max<std::size_t>(1, typo.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& candidate : candidates) {
    // The length difference is a lower bound on the distance: skipping early
    // keeps a huge unknown key from costing a full quadratic comparison.
    if (difference(candidate.size(), typo.size()) > limit) continue;
    const std::size_t distance = edit_distance(typo, candidate);
    if (distance <= limit && distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace sluice

#include "core/broker/assignment.h"

#include <algorithm>

#include "core/check.h"

namespace sluice {
namespace {

Owners range(std::uint32_t partitions, const std::vector<MemberId>& members) {
  Owners owners(partitions, 0);
  const std::size_t n = members.size();
  const std::size_t base = partitions / n, extra = partitions % n;
  std::uint32_t p = 0;
  for (std::size_t m = 0; m < n; ++m) {
    const std::size_t take = base + (m < extra ? 1 : 0);
    for (std::size_t i = 0; i < take; ++i) owners[p++] = members[m];
  }
  return owners;
}

Owners round_robin(std::uint32_t partitions, const std::vector<MemberId>& members) {
  Owners owners(partitions, 0);
  for (std::uint32_t p = 0; p < partitions; ++p) owners[p] = members[p % members.size()];
  return owners;
}

std::size_t index_of(const std::vector<MemberId>& members, MemberId member) {
  auto it = std::lower_bound(members.begin(), members.end(), member);
  return it != members.end() && *it == member ? static_cast<std::size_t>(it - members.begin()) : members.size();
}

Owners sticky(std::uint32_t partitions, const std::vector<MemberId>& members, const Owners& previous) {
  SLUICE_CHECK(previous.empty() || previous.size() == partitions, "a previous assignment per partition");
  const std::size_t n = members.size();
  // Fair shares: the first (partitions % n) members by id may hold one extra.
  const std::size_t base = partitions / n;
  std::size_t extra_left = partitions % n;
  std::vector<std::size_t> load(n, 0);
  Owners owners(partitions, 0);
  for (std::uint32_t p = 0; p < partitions && !previous.empty(); ++p) {
    const std::size_t m = index_of(members, previous[p]);
    if (m == n) continue;
    if (load[m] < base || (load[m] == base && extra_left > 0)) {
      if (load[m] == base) --extra_left;
      ++load[m];
      owners[p] = members[m];
    }
  }
  for (std::uint32_t p = 0; p < partitions; ++p) {
    if (owners[p] != 0) continue;
    std::size_t best = 0;
    for (std::size_t m = 1; m < n; ++m) {
      if (load[m] < load[best]) best = m;
    }
    ++load[best];
    owners[p] = members[best];
  }
  return owners;
}

}  // namespace

Owners assign_partitions(AssignmentStrategy strategy, std::uint32_t partitions, const std::vector<MemberId>& members,
                         const Owners& previous) {
  SLUICE_CHECK(std::is_sorted(members.begin(), members.end()), "members must be sorted by id");
  if (members.empty()) return Owners(partitions, 0);
  switch (strategy) {
    case AssignmentStrategy::range: return range(partitions, members);
    case AssignmentStrategy::round_robin: return round_robin(partitions, members);
    case AssignmentStrategy::sticky: return sticky(partitions, members, previous);
  }
  return range(partitions, members);
}

}  // namespace sluice

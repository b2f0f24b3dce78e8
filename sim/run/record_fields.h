// Every field of a core record (core/model/records.h), in declaration order,
// without listing them by hand: records are aggregates, so their fields can
// be counted by probing aggregate initialisation and unpacked by structured
// binding. Adding a field to a record adds it here (to the trace hash) by
// itself; a record of more than 8 fields fails to compile (the
// count stops at 8 and the structured binding then disagrees).
#pragma once

#include <cstddef>
#include <utility>

namespace sluice {
namespace record_fields_detail {

// Converts to any field's type, in unevaluated probes only.
struct AnyField {
  template <typename T>
  operator T&() const;  // NOLINT: implicit by design
};

template <std::size_t>
using Probe = AnyField;

template <typename Record, std::size_t... I>
constexpr bool takes(std::index_sequence<I...>) {
  return requires { Record{Probe<I>{}...}; };
}

// The most initialisers the record takes: its field count. Counted down from
// 8, since a record with a reference field takes no fewer than all of them.
template <typename Record, std::size_t N = 8>
constexpr std::size_t field_count() {
  if constexpr (N == 0 || takes<Record>(std::make_index_sequence<N>{})) {
    return N;
  } else {
    return field_count<Record, N - 1>();
  }
}

}  // namespace record_fields_detail

template <typename Record, typename Visit>
void for_each_field(const Record& record, Visit&& visit) {
  constexpr std::size_t n = record_fields_detail::field_count<Record>();
  static_assert(n >= 1 && n <= 8, "records have 1 to 8 fields: unpack more here");
  if constexpr (n == 1) {
    const auto& [a] = record;
    visit(a);
  } else if constexpr (n == 2) {
    const auto& [a, b] = record;
    visit(a), visit(b);
  } else if constexpr (n == 3) {
    const auto& [a, b, c] = record;
    visit(a), visit(b), visit(c);
  } else if constexpr (n == 4) {
    const auto& [a, b, c, d] = record;
    visit(a), visit(b), visit(c), visit(d);
  } else if constexpr (n == 5) {
    const auto& [a, b, c, d, e] = record;
    visit(a), visit(b), visit(c), visit(d), visit(e);
  } else if constexpr (n == 6) {
    const auto& [a, b, c, d, e, f] = record;
    visit(a), visit(b), visit(c), visit(d), visit(e), visit(f);
  } else if constexpr (n == 7) {
    const auto& [a, b, c, d, e, f, g] = record;
    visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g);
  } else {
    const auto& [a, b, c, d, e, f, g, h] = record;
    visit(a), visit(b), visit(c), visit(d), visit(e), visit(f), visit(g), visit(h);
  }
}

}  // namespace sluice

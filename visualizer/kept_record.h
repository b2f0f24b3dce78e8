// A copy of a dispatched record that outlives the dispatch. Records
// (core/model/records.h, sim/world/world_records.h) point into their
// emitter's state and live only for the call; the live event log keeps
// thousands of them and writes the line of only those it shows. Kept<R>
// holds each field of R by value (an Event, a FaultSpec, a reason's text)
// and rebuilds an R pointing into itself for as long as a callback runs, so
// the one line producer (sim/run/trace_records.h) formats it later. Generic
// over the record structs (aggregates of at most eight fields), so a record
// kind added to the variant needs nothing here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/model/records.h"
#include "sim/world/world_records.h"

namespace sluice::viz {

namespace kept_detail {

// Converts to any field type: only in unevaluated operands, to count fields.
struct AnyField {
  template <typename T>
  operator T() const;  // NOLINT(google-explicit-constructor): that is its point
};
template <std::size_t>
using Any = AnyField;

template <typename R, typename Indices>
struct BraceInit;
template <typename R, std::size_t... I>
struct BraceInit<R, std::index_sequence<I...>> {
  static constexpr bool value = requires { R{Any<I>{}...}; };
};

// The most initialisers R's braces take: its field count (a reference
// field cannot be left out, a scalar can, so count down from the top).
template <typename R, std::size_t N = 8>
constexpr std::size_t field_count() {
  if constexpr (BraceInit<R, std::make_index_sequence<N>>::value) {
    return N;
  } else {
    static_assert(N > 0, "a record struct that braces cannot build");
    return field_count<R, N - 1>();
  }
}

template <typename T>
struct Held {
  T value;
  operator const T&() const { return value; }  // NOLINT(google-explicit-constructor)
};
// Text a record points at (a reason, a name): null stays null.
struct HeldText {
  std::optional<std::string> text;
  operator const char*() const { return text ? text->c_str() : nullptr; }  // NOLINT
  operator const std::string&() const { return *text; }                    // NOLINT
};

template <typename T>
auto hold(const T& field) {
  if constexpr (std::is_same_v<T, const char*>) {
    return HeldText{field == nullptr ? std::nullopt : std::optional<std::string>(field)};
  } else if constexpr (std::is_same_v<T, std::string>) {
    return HeldText{field};
  } else {
    return Held<T>{field};
  }
}

template <typename R>
auto hold_fields(const R& r) {
  constexpr std::size_t n = field_count<R>();
  static_assert(n >= 1 && n <= 8, "extend hold_fields to this many fields");
  if constexpr (n == 1) {
    const auto& [a] = r;
    return std::make_tuple(hold(a));
  } else if constexpr (n == 2) {
    const auto& [a, b] = r;
    return std::make_tuple(hold(a), hold(b));
  } else if constexpr (n == 3) {
    const auto& [a, b, c] = r;
    return std::make_tuple(hold(a), hold(b), hold(c));
  } else if constexpr (n == 4) {
    const auto& [a, b, c, d] = r;
    return std::make_tuple(hold(a), hold(b), hold(c), hold(d));
  } else if constexpr (n == 5) {
    const auto& [a, b, c, d, e] = r;
    return std::make_tuple(hold(a), hold(b), hold(c), hold(d), hold(e));
  } else if constexpr (n == 6) {
    const auto& [a, b, c, d, e, f] = r;
    return std::make_tuple(hold(a), hold(b), hold(c), hold(d), hold(e), hold(f));
  } else if constexpr (n == 7) {
    const auto& [a, b, c, d, e, f, g] = r;
    return std::make_tuple(hold(a), hold(b), hold(c), hold(d), hold(e), hold(f), hold(g));
  } else {
    const auto& [a, b, c, d, e, f, g, h] = r;
    return std::make_tuple(hold(a), hold(b), hold(c), hold(d), hold(e), hold(f), hold(g), hold(h));
  }
}

}  // namespace kept_detail

template <typename R>
class Kept {
 public:
  explicit Kept(const R& record) : fields_(kept_detail::hold_fields(record)) {}
  // Calls f with an R whose references point into this copy (valid during the call).
  template <typename F>
  decltype(auto) with(F&& f) const {
    return std::apply([&f](const auto&... field) -> decltype(auto) { return f(R{field...}); }, fields_);
  }

 private:
  decltype(kept_detail::hold_fields(std::declval<const R&>())) fields_;
};

template <typename... Variants>
struct KeptVariant;
template <typename... A, typename... B>
struct KeptVariant<std::variant<A...>, std::variant<B...>> {
  using type = std::variant<std::monostate, Kept<A>..., Kept<B>...>;
};
// Any record, core's or the world's, kept (monostate: none yet, so a ring
// slot is built once and each record is copied straight into it).
using KeptRecord = KeptVariant<PipelineRecord, WorldRecord>::type;

}  // namespace sluice::viz

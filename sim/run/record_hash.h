// The trace hash's subscriber: each core record mixes one word into the run's
// trace hash, made of the record's kind and the contents of every field
// (strings by their characters, events by every field, lists element by
// element). So two runs that differ in any recorded detail, a sink called
// db1 against db2 included, end with different hashes.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/model/records.h"
#include "core/random/rng.h"
#include "core/runtime/runtime.h"
#include "sim/run/record_fields.h"
#include "sim/runtime/trace_hash.h"

namespace sluice {

class RecordHash {
 public:
  explicit RecordHash(Runtime& runtime) : runtime_(runtime) {}

  template <typename Record>
  void on(const Record& record) {
    TraceHash word;
    word.mix(kind_of<Record>());
    for_each_field(record, [&word](const auto& field) { mix_field(word, field); });
    runtime_.trace(word.value());
  }

 private:
  // The record's place in PipelineRecord: new kinds go at its end, so older
  // kinds keep their numbers.
  template <typename Record, std::size_t I = 0>
  static constexpr std::uint64_t kind_of() {
    if constexpr (std::is_same_v<Record, std::variant_alternative_t<I, PipelineRecord>>) {
      return I + 1;
    } else {
      return kind_of<Record, I + 1>();
    }
  }

  template <typename T>
    requires std::integral<T> || std::is_enum_v<T>
  static void mix_field(TraceHash& word, T value) {
    word.mix(static_cast<std::uint64_t>(value));
  }
  static void mix_field(TraceHash& word, const char* text) { word.mix(text == nullptr ? 0 : stable_hash(text)); }
  static void mix_field(TraceHash& word, const std::string& text) { word.mix(stable_hash(text)); }
  static void mix_field(TraceHash& word, const Event& event) {
    word.mix(event.id);
    word.mix(event.key);
    word.mix(static_cast<std::uint64_t>(event.emitted_at));
    word.mix(std::uint64_t{event.size_bytes} << 8 | event.priority);
  }
  template <typename T>
  static void mix_field(TraceHash& word, const std::vector<T>& list) {
    word.mix(list.size());
    for (const T& item : list) mix_field(word, item);
  }

  Runtime& runtime_;
};

}  // namespace sluice

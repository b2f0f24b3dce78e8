// The trace hash's subscriber: each core record mixes one word into the run's
// trace hash, made of the record's kind and the contents of every field
// (strings by their characters, lists element by element, an event by every
// field when it is produced and by its id after). So two runs that differ in any recorded detail, a sink called
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
#include "sim/world/world_records.h"

namespace sluice {

class RecordHash {
 public:
  explicit RecordHash(Runtime& runtime) : runtime_(runtime) {}

  template <typename Record>
  void on(const Record& record) {
    Word word{kind_of<Record>()};
    for_each_field(record, [&word](const auto& field) { mix_field(word, field); });
    runtime_.trace(word.value);
  }
  // A new event's every field, once: later records name it by its id.
  void on(const Produced& record) {
    Word word{kind_of<Produced>()};
    mix_field(word, record.source);
    const Event& event = record.event;
    for (std::uint64_t field : {event.id, event.key, static_cast<std::uint64_t>(event.emitted_at),
                                std::uint64_t{event.size_bytes} << 8 | event.priority}) {
      word.mix(field);
    }
    runtime_.trace(word.value);
  }

  // The world's records, each mixed in under its own kind (0x60 on, clear of
  // PipelineRecord's numbers): a fault by its kind, begin or heal, start time
  // and targets by name; an alert by its name and new state. A perturbation
  // site is in the hash already (the simulation mixes it in when it fires).
  void on(const FaultBegan& record) { fault(record.fault, true); }
  void on(const FaultHealed& record) { fault(record.fault, false); }
  void on(const AlertChanged& record) { mix(kAlert, stable_hash(record.alert), stable_hash(record.state)); }
  void on(const Perturbed&) {}

 private:
  enum WorldKind : std::uint64_t { kFault = 0x60, kAlert = 0x61 };
  void mix(std::uint64_t kind, std::uint64_t a, std::uint64_t b) {
    runtime_.trace((kind << 56) ^ a);
    if (b != 0) runtime_.trace(b);
  }
  void fault(const FaultSpec& fault, bool begins) {
    mix(kFault, static_cast<std::uint64_t>(fault.kind) << 1 | (begins ? 1 : 0), static_cast<std::uint64_t>(fault.at));
    runtime_.trace(stable_hash(fault.describe_targets()));  // which nodes, by name
  }

  // One record's fields folded into a word (FNV-1a over 64-bit words: one
  // multiply each, a bijection per step); the run's TraceHash then mixes the
  // word in with its full avalanche.
  struct Word {
    std::uint64_t value;
    void mix(std::uint64_t field) { value = (value ^ field) * 0x100000001b3ULL; }
  };

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
  static void mix_field(Word& word, T value) {
    word.mix(static_cast<std::uint64_t>(value));
  }
  static void mix_field(Word& word, const char* text) { word.mix(text == nullptr ? 0 : stable_hash(text)); }
  static void mix_field(Word& word, const std::string& text) { word.mix(stable_hash(text)); }
  // An event is named by its id: its other fields were hashed when it was produced.
  static void mix_field(Word& word, const Event& event) { word.mix(event.id); }
  template <typename T>
  static void mix_field(Word& word, const std::vector<T>& list) {
    word.mix(list.size());
    for (const T& item : list) mix_field(word, item);
  }

  Runtime& runtime_;
};

}  // namespace sluice

// The trace hash's subscriber: every field of a record reaches the hash, in
// order, without a hand-written list (sim/run/record_fields.h), and a record
// that differs in any one field (a string's contents included) hashes apart.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/records.h"
#include "sim/run/record_fields.h"
#include "sim/run/record_hash.h"
#include "sim/runtime/simulation.h"

namespace sluice {
namespace {

template <typename Record>
std::uint64_t hash_of(const Record& record) {
  Simulation sim;
  RecordHash hash(sim);
  hash.on(record);
  return sim.trace_hash();
}

TEST(RecordFields, VisitsEveryFieldInDeclarationOrder) {
  const Event event{.id = 7, .key = 3};
  std::vector<std::string> seen;
  for_each_field(AttemptFailed{2, 5, event, 4, "timeout"}, [&](const auto& field) {
    using T = std::decay_t<decltype(field)>;
    if constexpr (std::is_same_v<T, Event>) seen.push_back("event " + std::to_string(field.id));
    else if constexpr (std::is_same_v<T, const char*>) seen.push_back(field);
    else seen.push_back(std::to_string(field));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"2", "5", "event 7", "4", "timeout"}));
}

TEST(RecordFields, CountsReferenceAndListFields) {
  const Event event{.id = 1};
  const std::vector<Event> records{event, event};
  const std::vector<std::uint64_t> offsets{10, 11};
  std::size_t fields = 0;
  for_each_field(TxnMarkerWritten{0, 1, 2, 3, true, true, records, offsets}, [&](const auto&) { ++fields; });
  EXPECT_EQ(fields, 8u);
  fields = 0;
  for_each_field(Produced{0, event}, [&](const auto&) { ++fields; });
  EXPECT_EQ(fields, 2u);
}

TEST(RecordHash, AnyOneFieldChangesTheHash) {
  const Event event{.id = 9, .key = 4};
  const Event other{.id = 10, .key = 4};
  const std::uint64_t base = hash_of(AttemptFailed{1, 2, event, 3, "timeout"});
  EXPECT_EQ(base, hash_of(AttemptFailed{1, 2, event, 3, "timeout"})) << "deterministic";
  EXPECT_NE(base, hash_of(AttemptFailed{0, 2, event, 3, "timeout"}));
  EXPECT_NE(base, hash_of(AttemptFailed{1, 0, event, 3, "timeout"}));
  EXPECT_NE(base, hash_of(AttemptFailed{1, 2, other, 3, "timeout"}));
  EXPECT_NE(base, hash_of(AttemptFailed{1, 2, event, 4, "timeout"}));
  EXPECT_NE(base, hash_of(AttemptFailed{1, 2, event, 3, "timeouT"})) << "a string by its contents, not its length";
}

TEST(RecordHash, KindsHashApartWithTheSameFields) {
  const Event event{.id = 9};
  EXPECT_NE(hash_of(Produced{0, event}), hash_of(Acked{0, event}));
  EXPECT_NE(hash_of(ServiceStarted{0, 1, event}), hash_of(ServiceFinished{0, 1, event}));
}

TEST(RecordHash, AProducedEventIsHashedByEveryField) {
  const Event event{.id = 9, .key = 4, .emitted_at = 100, .size_bytes = 64, .priority = 1};
  Event later = event;
  later.emitted_at = 101;
  EXPECT_NE(hash_of(Produced{0, event}), hash_of(Produced{0, later}));
  later = event;
  later.priority = 2;
  EXPECT_NE(hash_of(Produced{0, event}), hash_of(Produced{0, later}));
}

}  // namespace
}  // namespace sluice

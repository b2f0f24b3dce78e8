// EventIdMap against std::map: random inserts, lookups and erases (the
// backward-shift deletion is where open addressing goes wrong), growth, and
// ids that collide in their low bits.
#include <gtest/gtest.h>

#include <map>

#include "core/random/rng.h"
#include "sim/check/event_id_map.h"

namespace sluice {
namespace {

void expect_same(const EventIdMap<std::uint64_t>& map, const std::map<EventId, std::uint64_t>& model) {
  ASSERT_EQ(map.size(), model.size());
  for (const auto& [id, value] : model) {
    const std::uint64_t* found = map.find(id);
    ASSERT_NE(found, nullptr) << "id " << id;
    EXPECT_EQ(*found, value);
  }
  std::size_t visited = 0;
  map.for_each([&](EventId id, std::uint64_t value) {
    ++visited;
    ASSERT_TRUE(model.count(id)) << "id " << id;
    EXPECT_EQ(model.at(id), value);
  });
  EXPECT_EQ(visited, model.size());
}

TEST(EventIdMap, AgreesWithAnOrderedMapUnderRandomInsertsAndErases) {
  Rng rng(7);
  EventIdMap<std::uint64_t> map;
  std::map<EventId, std::uint64_t> model;
  for (int step = 0; step < 200'000; ++step) {
    // Few distinct ids, so erases hit, probe runs form and wrap around.
    const EventId id = make_event_id(rng.uniform_u64(3), rng.uniform_u64(500));
    const std::uint64_t op = rng.uniform_u64(10);
    if (op < 5) {
      map[id] = static_cast<std::uint64_t>(step);
      model[id] = static_cast<std::uint64_t>(step);
    } else if (op < 8) {
      // erase hands back the value it removed, also after backward shifts moved it.
      std::uint64_t removed = UINT64_MAX;
      const auto it = model.find(id);
      const bool present = it != model.end();
      EXPECT_EQ(map.erase(id, &removed), present) << "step " << step;
      EXPECT_EQ(removed, present ? it->second : UINT64_MAX) << "step " << step;
      if (present) model.erase(it);
    } else {
      EXPECT_EQ(map.contains(id), model.count(id) == 1) << "step " << step;
    }
    if (step % 20'000 == 0) expect_same(map, model);
  }
  expect_same(map, model);
}

TEST(EventIdMap, TryEmplaceInsertsOnceAndDefaultConstructs) {
  EventIdMap<std::uint64_t> map;
  auto [value, inserted] = map.try_emplace(42);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(*value, 0u);
  *value = 9;
  auto [again, inserted_again] = map.try_emplace(42);
  EXPECT_FALSE(inserted_again);
  EXPECT_EQ(*again, 9u);
  EXPECT_TRUE(map.erase(42));
  EXPECT_FALSE(map.erase(42));
  EXPECT_EQ(*map.try_emplace(42).first, 0u) << "a re-inserted id starts from a fresh value";
}

TEST(EventIdMap, GrowsPastManyEntriesAndEmptiesAgain) {
  EventIdMap<std::uint64_t> map;
  for (std::uint64_t i = 0; i < 100'000; ++i) map[make_event_id(1, i)] = i;
  EXPECT_EQ(map.size(), 100'000u);
  for (std::uint64_t i = 0; i < 100'000; i += 2) EXPECT_TRUE(map.erase(make_event_id(1, i)));
  for (std::uint64_t i = 0; i < 100'000; ++i) EXPECT_EQ(map.contains(make_event_id(1, i)), i % 2 == 1);
  for (std::uint64_t i = 1; i < 100'000; i += 2) EXPECT_TRUE(map.erase(make_event_id(1, i)));
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.find(make_event_id(1, 3)), nullptr);
}

}  // namespace
}  // namespace sluice

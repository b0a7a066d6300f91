#include "store/entity_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cocity::store {
namespace {

ngsi::Entity entity(const std::string& id, double value) {
  ngsi::Entity e;
  e.id = id;
  e.types = {"https://example.org/T"};
  json::object instance;
  instance["type"] = "Property";
  instance["value"] = value;
  json::array instances;
  instances.push_back(std::move(instance));
  e.attrs["https://example.org/a"] = std::move(instances);
  return e;
}

double value_of(const ngsi::Entity& e) {
  return e.attrs.at("https://example.org/a")
      .as_array()[0]
      .as_object()
      .at("value")
      .as_double();
}

TEST(EntityCache, TakeRemovesTheEntry) {
  EntityCache cache(1 << 20);
  cache.put(entity("urn:a", 1), 100);
  ASSERT_EQ(cache.size(), 1u);
  auto got = cache.take("urn:a");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->entity.id, "urn:a");
  EXPECT_EQ(got->text_size, 100u);
  EXPECT_EQ(value_of(got->entity), 1.0);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.charged_bytes(), 0u);
  EXPECT_FALSE(cache.take("urn:a"));
}

TEST(EntityCache, PutReplacesTheSameId) {
  EntityCache cache(1 << 20);
  cache.put(entity("urn:a", 1), 100);
  cache.put(entity("urn:a", 2), 120);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.charged_bytes(), EntityCache::charge(120));
  auto got = cache.take("urn:a");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->text_size, 120u);
}

TEST(EntityCache, EvictsLeastRecentlyUsedOverBudget) {
  // Room for exactly three entries of 100 encoded bytes.
  EntityCache cache(3 * EntityCache::charge(100));
  cache.put(entity("urn:a", 1), 100);
  cache.put(entity("urn:b", 2), 100);
  cache.put(entity("urn:c", 3), 100);
  // Using "a" (take and put back, as the writer does) makes "b" the oldest.
  auto a = cache.take("urn:a");
  ASSERT_TRUE(a);
  cache.put(std::move(a->entity), a->text_size);
  cache.put(entity("urn:d", 4), 100);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_LE(cache.charged_bytes(), 3 * EntityCache::charge(100));
  EXPECT_FALSE(cache.take("urn:b"));
  EXPECT_TRUE(cache.take("urn:a"));
  EXPECT_TRUE(cache.take("urn:c"));
  EXPECT_TRUE(cache.take("urn:d"));
}

// The writer frees what the cache lets go of on another thread: evicted
// states, and one too big to cache, are handed back whole.
TEST(EntityCache, HandsBackWhatItLetsGo) {
  EntityCache cache(2 * EntityCache::charge(100));
  std::vector<ngsi::Entity> evicted;
  cache.put(entity("urn:a", 1), 100, &evicted);
  cache.put(entity("urn:b", 2), 100, &evicted);
  EXPECT_TRUE(evicted.empty());
  cache.put(entity("urn:c", 3), 100, &evicted);
  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_EQ(evicted[0].id, "urn:a");
  EXPECT_EQ(value_of(evicted[0]), 1.0);
  cache.put(entity("urn:big", 4), 1000, &evicted);
  ASSERT_EQ(evicted.size(), 2u);
  EXPECT_EQ(evicted[1].id, "urn:big");
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.take("urn:b"));
  EXPECT_TRUE(cache.take("urn:c"));
}

TEST(EntityCache, OffersAreAdmittedWhileThereIsRoomThenOneInN) {
  EntityCache cache(2 * EntityCache::charge(100));
  std::vector<ngsi::Entity> let_go;
  cache.offer(entity("urn:a", 1), 100, &let_go);
  cache.offer(entity("urn:b", 2), 100, &let_go);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(let_go.empty());
  for (uint64_t i = 0; i < EntityCache::kAdmitEvery; ++i) {
    cache.offer(entity("urn:n" + std::to_string(i), 3), 100, &let_go);
  }
  // One offer got in and evicted "a"; the others were handed back.
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(let_go.size(), EntityCache::kAdmitEvery);
  EXPECT_FALSE(cache.take("urn:a"));
  EXPECT_TRUE(cache.take("urn:b"));
}

// Sensors reporting in turn, twice as many as the cache holds, used as the
// writer uses the cache: take, else read and offer; put back what was
// taken. Plain LRU would evict each entry just before its turn.
TEST(EntityCache, KeepsPartOfAFleetLargerThanItself) {
  constexpr int kHeld = 64;
  EntityCache cache(kHeld * EntityCache::charge(100));
  int hits = 0;
  int lookups = 0;
  for (int round = 0; round < 20; ++round) {
    for (int s = 0; s < 2 * kHeld; ++s) {
      std::string id = "urn:s" + std::to_string(s);
      auto got = cache.take(id);
      if (round >= 10) {
        ++lookups;
        hits += got ? 1 : 0;
      }
      if (got) {
        cache.put(std::move(got->entity), got->text_size);
      } else {
        cache.offer(entity(id, round), 100);
      }
    }
  }
  EXPECT_GT(hits, lookups / 3);
  EXPECT_LE(cache.charged_bytes(), kHeld * EntityCache::charge(100));
}

TEST(EntityCache, EraseAndDisabledAndOversize) {
  EntityCache cache(EntityCache::charge(100));
  cache.put(entity("urn:a", 1), 100);
  cache.erase("urn:a");
  cache.erase("urn:missing");
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.charged_bytes(), 0u);
  cache.put(entity("urn:big", 1), 101);  // more than the whole budget
  EXPECT_EQ(cache.size(), 0u);

  EntityCache off(0);
  off.put(entity("urn:a", 1), 10);
  EXPECT_EQ(off.size(), 0u);
  EXPECT_FALSE(off.take("urn:a"));
}

}  // namespace
}  // namespace cocity::store

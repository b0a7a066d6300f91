// Dead letters: the per-tenant bound, the tenant cap, and durability in the
// SQLite dead-letter store across a reopen.
#include "ingest/dead_letters.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "store/dead_letter_store.h"

namespace cocity::ingest {
namespace {

class DeadLettersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cocity-deadletters-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<DeadLetters> open(size_t per_tenant, size_t max_tenants) {
    auto letters = std::make_unique<DeadLetters>(per_tenant, max_tenants);
    auto store =
        store::open_sqlite_dead_letter_store(dir_ + "/dl.db", per_tenant);
    EXPECT_TRUE(store) << store.error().detail;
    EXPECT_TRUE(letters->attach(std::move(*store)));
    return letters;
  }

  std::string dir_;
};

TEST_F(DeadLettersTest, BoundedPerTenantAndDurable) {
  TimePoint t0 = from_micros(1'700'000'000'000'000);
  {
    auto letters = open(3, 10);
    for (int i = 0; i < 5; ++i) {
      letters->add("kl", t0 + std::chrono::seconds(i), "mqtt:x",
                   "reason " + std::to_string(i), "payload");
    }
    letters->add("tr", t0, "http:tts", "bad", std::string("\x01\x02", 2));
    EXPECT_EQ(letters->size("kl"), 3u);
  }
  auto letters = open(3, 10);  // a restart
  auto kl = letters->list("kl", 100);
  ASSERT_EQ(kl.size(), 3u);
  EXPECT_EQ(kl[0].reason, "reason 4");  // newest first
  EXPECT_EQ(kl[2].reason, "reason 2");  // the two oldest were dropped
  EXPECT_EQ(kl[0].received_at, t0 + std::chrono::seconds(4));
  EXPECT_EQ(kl[0].source, "mqtt:x");
  EXPECT_EQ(letters->list("kl", 1).size(), 1u);
  auto tr = letters->list("tr", 100);
  ASSERT_EQ(tr.size(), 1u);
  EXPECT_EQ(tr[0].payload, "hex:0102");
  EXPECT_TRUE(letters->list("nobody", 100).empty());
}

TEST_F(DeadLettersTest, TenantsBeyondTheCapGoToTheDefaultTenant) {
  {
    auto letters = open(10, 2);
    letters->add("a", {}, "s", "r", "");
    letters->add("b", {}, "s", "r", "");
  }
  auto letters = open(10, 2);  // the cap counts the stored tenants
  letters->add("c", {}, "s", "r", "");
  EXPECT_TRUE(letters->list("c", 10).empty());
  EXPECT_EQ(letters->list("", 10).size(), 1u);
  EXPECT_EQ(letters->list("a", 10).size(), 1u);
}

TEST(DeadLettersMemory, WithoutAStore) {
  DeadLetters letters(2, 4);
  for (int i = 0; i < 3; ++i) letters.add("kl", {}, "s", std::to_string(i), "");
  auto l = letters.list("kl", 10);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].reason, "2");
}

}  // namespace
}  // namespace cocity::ingest

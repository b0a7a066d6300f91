#include "server/api_keys.h"

#include <gtest/gtest.h>

#include "server/fake_key_store.h"

namespace cocity::server {
namespace {

TEST(ApiKeyTest, MakesWellFormedKeysWithHash) {
  FakeClock clock;
  auto k = make_api_key("berlin", "write", &clock);
  ASSERT_TRUE(k) << k.error().detail;
  EXPECT_TRUE(k->key.starts_with("ck_"));
  EXPECT_EQ(k->key.size(), 3u + 12 + 1 + 64);
  EXPECT_TRUE(well_formed_api_key(k->key));
  EXPECT_EQ(k->key.substr(3, 12), k->record.key_id);
  EXPECT_EQ(k->record.secret_hash, hash_api_key(k->key));
  EXPECT_EQ(k->record.secret_hash.size(), 64u);
  EXPECT_EQ(k->record.tenant, "berlin");
  EXPECT_EQ(k->record.role, "write");
  EXPECT_EQ(k->record.created_at, clock.now());
  EXPECT_EQ(k->key.find(k->record.secret_hash), std::string::npos);
  auto k2 = make_api_key("berlin", "write", &clock);
  ASSERT_TRUE(k2);
  EXPECT_NE(k->key, k2->key);
  EXPECT_NE(k->record.key_id, k2->record.key_id);
}

TEST(ApiKeyTest, HashIsSha256Hex) {
  EXPECT_EQ(hash_api_key("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeyTest, RejectsBadRoleAndTenant) {
  auto k = make_api_key("berlin", "owner");
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().code, Code::kBadRequestData);
  EXPECT_NE(k.error().detail.find("owner"), std::string::npos);
  k = make_api_key("../etc", "read");
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().code, Code::kBadRequestData);
  EXPECT_TRUE(make_api_key("*", "admin"));
  EXPECT_TRUE(make_api_key("", "read"));
}

TEST(ApiKeyTest, WellFormed) {
  std::string good = "ck_0123456789ab_" + std::string(64, 'f');
  EXPECT_TRUE(well_formed_api_key(good));
  EXPECT_FALSE(well_formed_api_key(good.substr(1)));
  EXPECT_FALSE(well_formed_api_key("ck_0123456789aB_" + std::string(64, 'f')));
  EXPECT_FALSE(well_formed_api_key("ck_0123456789ab-" + std::string(64, 'f')));
  EXPECT_FALSE(well_formed_api_key(""));
}

TEST(AuthorizeTest, TenantAndRole) {
  Grant g{"id", "berlin", Role::kWrite};
  EXPECT_TRUE(authorize(g, "berlin", Role::kRead));
  EXPECT_TRUE(authorize(g, "berlin", Role::kWrite));
  auto st = authorize(g, "berlin", Role::kAdmin);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Code::kForbidden);
  st = authorize(g, "hamburg", Role::kRead);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("hamburg"), std::string::npos);
  st = authorize(g, "", Role::kRead);
  ASSERT_FALSE(st);
  Grant any{"id", "*", Role::kRead};
  EXPECT_TRUE(authorize(any, "hamburg", Role::kRead));
  EXPECT_TRUE(authorize(any, "", Role::kRead));
  EXPECT_FALSE(authorize(any, "hamburg", Role::kWrite));
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  std::string add_key(const std::string& tenant, const std::string& role) {
    auto k = make_api_key(tenant, role, &clock_);
    EXPECT_TRUE(k);
    EXPECT_TRUE(keys_.add(k->record));
    return k->key;
  }
  FakeKeyStore keys_;
  FakeClock clock_;
  Authenticator auth_{&keys_, &clock_, std::chrono::milliseconds(2000)};
};

TEST_F(AuthenticatorTest, ResolvesKnownKey) {
  std::string key = add_key("berlin", "read");
  auto g = auth_.authenticate(key);
  ASSERT_TRUE(g) << g.error().detail;
  EXPECT_EQ(g->tenant, "berlin");
  EXPECT_EQ(g->role, Role::kRead);
  EXPECT_EQ(g->key_id, key.substr(3, 12));
}

TEST_F(AuthenticatorTest, UnknownAndMalformedAreUnauthorized) {
  add_key("berlin", "read");
  auto g = auth_.authenticate("ck_0123456789ab_" + std::string(64, '0'));
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, Code::kUnauthorized);
  int before = keys_.lookups.load();
  g = auth_.authenticate("not-a-key");
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, Code::kUnauthorized);
  EXPECT_EQ(keys_.lookups.load(), before);  // no store lookup for junk
}

TEST_F(AuthenticatorTest, CachesUntilExpiry) {
  std::string key = add_key("*", "admin");
  ASSERT_TRUE(auth_.authenticate(key));
  ASSERT_TRUE(auth_.authenticate(key));
  EXPECT_EQ(keys_.lookups.load(), 1);
  clock_.advance(std::chrono::milliseconds(2001));
  ASSERT_TRUE(auth_.authenticate(key));
  EXPECT_EQ(keys_.lookups.load(), 2);
}

TEST_F(AuthenticatorTest, RevocationTakesEffectAfterTtl) {
  std::string key = add_key("berlin", "write");
  ASSERT_TRUE(auth_.authenticate(key));
  ASSERT_TRUE(keys_.revoke(key.substr(3, 12)));
  clock_.advance(std::chrono::milliseconds(1000));
  EXPECT_TRUE(auth_.authenticate(key));  // still cached
  clock_.advance(std::chrono::milliseconds(1001));
  auto g = auth_.authenticate(key);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, Code::kUnauthorized);
}

TEST_F(AuthenticatorTest, ClearDropsCache) {
  std::string key = add_key("berlin", "write");
  ASSERT_TRUE(auth_.authenticate(key));
  ASSERT_TRUE(keys_.revoke(key.substr(3, 12)));
  auth_.clear();
  EXPECT_FALSE(auth_.authenticate(key));
}

TEST_F(AuthenticatorTest, StoreFailureIsPassedOn) {
  std::string key = add_key("berlin", "write");
  keys_.fail_lookups = true;
  auto g = auth_.authenticate(key);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, Code::kUnavailable);
}

}  // namespace
}  // namespace cocity::server

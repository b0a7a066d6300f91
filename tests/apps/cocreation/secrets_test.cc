#include "apps/cocreation/secrets.h"

#include <gtest/gtest.h>

namespace cocity::apps::cocreation {
namespace {

TEST(SecretsTest, PasswordHashVerifies) {
  auto h = hash_password("correct horse battery");
  ASSERT_TRUE(h) << h.error().detail;
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  EXPECT_TRUE(verify_password("correct horse battery", *h));
  EXPECT_FALSE(verify_password("correct horse battery!", *h));
  EXPECT_FALSE(verify_password("x", "not a hash"));
  auto again = hash_password("correct horse battery");
  EXPECT_NE(*again, *h);  // salted
  EXPECT_FALSE(hash_password("short"));
}

TEST(SecretsTest, TokensAreRandomHex) {
  auto a = random_token();
  auto b = random_token();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 64u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(equal_secrets("abc", "abc"));
  EXPECT_FALSE(equal_secrets("abc", "abd"));
  EXPECT_FALSE(equal_secrets("abc", "ab"));
}

}  // namespace
}  // namespace cocity::apps::cocreation

#include "ngsi/type_expression.h"

#include <gtest/gtest.h>

namespace cocity::ngsi {
namespace {

using Clauses = std::vector<std::vector<std::string>>;

class TypeExpressionTest : public ::testing::Test {
 protected:
  Clauses parse(std::string_view text) {
    auto e = parse_type_expression(text, ctx_);
    EXPECT_TRUE(e) << text << ": " << e.error().detail;
    return e ? e->clauses : Clauses{};
  }
  std::string x(std::string_view t) { return ctx_.expand(t); }
  const Context& ctx_ = *Context::core();
};

TEST_F(TypeExpressionTest, ListsAndConjunctions) {
  EXPECT_EQ(parse("A"), (Clauses{{x("A")}}));
  EXPECT_EQ(parse("A,B|C").size(), 3u);
  EXPECT_EQ(parse("A;B"), (Clauses{{x("A"), x("B")}}));
  // A;(B|C) distributes into (A;B)|(A;C).
  auto c = parse("A;(B|C)");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].size(), 2u);
  EXPECT_EQ(parse("(A;B)|C").size(), 2u);
  EXPECT_TRUE(parse_type_expression("A,B", ctx_)->is_plain_list());
  EXPECT_FALSE(parse_type_expression("A;B", ctx_)->is_plain_list());
}

TEST_F(TypeExpressionTest, Matches) {
  auto e = *parse_type_expression("(A;B)|C", ctx_);
  std::vector<std::string> ab = {x("A"), x("B")};
  std::sort(ab.begin(), ab.end());
  EXPECT_TRUE(matches(e, ab));
  EXPECT_FALSE(matches(e, {x("A")}));
  EXPECT_TRUE(matches(e, {x("C")}));
}

TEST_F(TypeExpressionTest, Errors) {
  for (std::string_view bad : {"", "(A", "A;", "A)", "A;;B", "()", "A B"}) {
    auto e = parse_type_expression(bad, ctx_);
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().code, Code::kBadRequestData) << bad;
  }
  std::string deep(40, '(');
  EXPECT_EQ(parse_type_expression(deep + "A", ctx_).error().code,
            Code::kTooComplexQuery);
  // (A|B);(C|D);... grows as 2^n clauses: bounded.
  std::string big = "(A|B)";
  for (int i = 0; i < 8; ++i) big += ";(A" + std::to_string(i) + "|B)";
  EXPECT_EQ(parse_type_expression(big, ctx_).error().code,
            Code::kTooComplexQuery);
}

TEST(ScopeQueryTest, Patterns) {
  auto q = *parse_scope_query("/Madrid/+/Park|/Berlin/#");
  EXPECT_TRUE(scope_matches(q, {"/Madrid/Centro/Park"}));
  EXPECT_FALSE(scope_matches(q, {"/Madrid/Park"}));
  EXPECT_TRUE(scope_matches(q, {"/Berlin"}));
  EXPECT_TRUE(scope_matches(q, {"/Berlin/Mitte/x"}));
  EXPECT_FALSE(scope_matches(q, {}));
  auto all = *parse_scope_query("/#");
  EXPECT_TRUE(scope_matches(all, {"/x"}));
  auto both = *parse_scope_query("/a;/b");
  EXPECT_TRUE(scope_matches(both, {"/a", "/b"}));
  EXPECT_FALSE(scope_matches(both, {"/a"}));
  for (std::string_view bad : {"a", "/a//b", "/#/a", "/"}) {
    EXPECT_FALSE(parse_scope_query(bad)) << bad;
  }
}

}  // namespace
}  // namespace cocity::ngsi

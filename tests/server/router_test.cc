#include "server/router.h"

#include <gtest/gtest.h>

namespace cocity::server {
namespace {

Handler tagged(std::string* hit, std::string tag) {
  return [hit, tag](HttpRequest&, Reply) { *hit = tag; };
}

void call(const Router::Match& m) {
  HttpRequest req;
  (*m.handler)(req, [](HttpResponse) {});
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/ngsi-ld/v1/entities", tagged(&hit_, "list"));
    router_.add("POST", "/ngsi-ld/v1/entities", tagged(&hit_, "create"));
    router_.add("GET", "/ngsi-ld/v1/entities/{id}", tagged(&hit_, "get"));
    router_.add("DELETE", "/ngsi-ld/v1/entities/{id}", tagged(&hit_, "delete"));
    router_.add("PATCH", "/ngsi-ld/v1/entities/{id}/attrs",
                tagged(&hit_, "patch"));
    router_.add("PATCH", "/ngsi-ld/v1/entities/{id}/attrs/{attr}",
                tagged(&hit_, "patch-attr"));
    router_.add("GET", "/ngsi-ld/v1/entities/special",
                tagged(&hit_, "special"));
    router_.add("GET", "/", tagged(&hit_, "root"));
  }
  Router router_;
  std::string hit_;
};

TEST_F(RouterTest, MatchesLiteralRoute) {
  auto m = router_.find("GET", "/ngsi-ld/v1/entities");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "list");
  EXPECT_TRUE(m.params.empty());
  EXPECT_EQ(*m.pattern, "/ngsi-ld/v1/entities");
}

TEST_F(RouterTest, CapturesSegments) {
  auto m = router_.find("PATCH", "/ngsi-ld/v1/entities/urn:a:1/attrs/speed");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "patch-attr");
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0],
            (std::pair<std::string, std::string>("id", "urn:a:1")));
  EXPECT_EQ(m.params[1],
            (std::pair<std::string, std::string>("attr", "speed")));
}

TEST_F(RouterTest, PercentDecodesCapturesAfterSplitting) {
  auto m =
      router_.find("GET", "/ngsi-ld/v1/entities/https%3A%2F%2Fx.org%2Fa%20b");
  ASSERT_NE(m.handler, nullptr);
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].second, "https://x.org/a b");
}

TEST_F(RouterTest, MalformedEscapeIsCapturedAsReceived) {
  auto m = router_.find("GET", "/ngsi-ld/v1/entities/a%zz");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.params[0].second, "a%zz");
}

TEST_F(RouterTest, LiteralWinsOverCapture) {
  auto m = router_.find("GET", "/ngsi-ld/v1/entities/special");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "special");
}

TEST_F(RouterTest, FallsBackToCaptureWhenLiteralLacksMethod) {
  auto m = router_.find("DELETE", "/ngsi-ld/v1/entities/special");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "delete");
  EXPECT_EQ(m.params[0].second, "special");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  auto m = router_.find("GET", "/ngsi-ld/v2/entities");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.allowed_methods.empty());
  m = router_.find("GET", "/ngsi-ld/v1/entities/a/b/c/d");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST_F(RouterTest, TrailingSlashIsIgnored) {
  auto m = router_.find("GET", "/ngsi-ld/v1/entities/");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "list");
  m = router_.find("POST", "/ngsi-ld/v1/entities/");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "create");
  m = router_.find("PATCH", "/ngsi-ld/v1/entities/urn:a:1/attrs/");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "patch");
  EXPECT_EQ(
      m.params,
      (std::vector<std::pair<std::string, std::string>>{{"id", "urn:a:1"}}));
}

// The handler, not the router, says that the id is missing.
TEST_F(RouterTest, EmptySegmentIsCapturedOnlyWhenNothingElseMatches) {
  auto m = router_.find("PATCH", "/ngsi-ld/v1/entities//attrs/speed");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "patch-attr");
  EXPECT_EQ(m.params, (std::vector<std::pair<std::string, std::string>>{
                          {"id", ""}, {"attr", "speed"}}));
  m = router_.find("PATCH", "/ngsi-ld/v1/entities//attrs/");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "patch");  // the slash goes first, then the empty id
  m = router_.find("DELETE", "/ngsi-ld/v1/entities/");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "delete");
  EXPECT_EQ(m.params[0].second, "");
  m = router_.find("GET", "/ngsi-ld/v1//x");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  auto m = router_.find("PUT", "/ngsi-ld/v1/entities/x");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"DELETE", "GET"}));
  m = router_.find("DELETE", "/ngsi-ld/v1/entities");
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
}

TEST_F(RouterTest, Root) {
  auto m = router_.find("GET", "/");
  ASSERT_NE(m.handler, nullptr);
  call(m);
  EXPECT_EQ(hit_, "root");
}

TEST_F(RouterTest, KeepsRouteOptionsAndIndex) {
  Router r;
  RouteOptions open;
  open.role = Role::kNone;
  open.tenant_scoped = false;
  r.add("GET", "/a", [](HttpRequest&, Reply) {});
  r.add(
      "GET", "/health", [](HttpRequest&, Reply) {}, open);
  auto m = r.find("GET", "/health");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.options.role, Role::kNone);
  EXPECT_FALSE(m.options.tenant_scoped);
  EXPECT_EQ(m.route_index, 1u);
  EXPECT_EQ(r.route_count(), 2u);
  EXPECT_EQ(r.route_pattern(1), "/health");
  EXPECT_EQ(r.route_method(1), "GET");
}

}  // namespace
}  // namespace cocity::server

#include "server/url.h"

#include <gtest/gtest.h>

namespace cocity::server {
namespace {

TEST(UrlTest, PercentDecode) {
  std::string out;
  EXPECT_TRUE(percent_decode("a%20b%2Fc+d", &out));
  EXPECT_EQ(out, "a b/c+d");
  out.clear();
  EXPECT_FALSE(percent_decode("a%2", &out));
  out.clear();
  EXPECT_FALSE(percent_decode("%zz", &out));
  out.clear();
  EXPECT_FALSE(percent_decode("%", &out));
}

TEST(UrlTest, ParsesPathAndQuery) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ASSERT_TRUE(parse_target(
      "/ngsi-ld/v1/entities?type=A%2CB&q=speed%3E5+x&flag&&limit=", &path,
      &query));
  EXPECT_EQ(path, "/ngsi-ld/v1/entities");
  ASSERT_EQ(query.size(), 4u);
  EXPECT_EQ(query[0], (std::pair<std::string, std::string>("type", "A,B")));
  EXPECT_EQ(query[1].second, "speed>5 x");  // form encoding: '+' is ' '
  EXPECT_EQ(query[2], (std::pair<std::string, std::string>("flag", "")));
  EXPECT_EQ(query[3], (std::pair<std::string, std::string>("limit", "")));
}

// A raw '+' is a space where a space can be meant, and stays a plus where
// only a plus can be: the scopeQ wildcard and time offsets.
TEST(UrlTest, PlusIsASpaceExceptWhereOnlyAPlusMakesSense) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ASSERT_TRUE(parse_target(
      "/e?q=name==%22Eiffel+Tower%22&coordinates=%5B13.3%2C+52.5%5D"
      "&scopeQ=/Madrid/+/Gardens&timeAt=2026-11-26T10:00:00+01:00"
      "&endTimeAt=2026-11-26T11:00:00+01:00&q2=a%2Bb",
      &path, &query));
  ASSERT_EQ(query.size(), 6u);
  EXPECT_EQ(query[0].second, "name==\"Eiffel Tower\"");
  EXPECT_EQ(query[1].second, "[13.3, 52.5]");
  EXPECT_EQ(query[2].second, "/Madrid/+/Gardens");
  EXPECT_EQ(query[3].second, "2026-11-26T10:00:00+01:00");
  EXPECT_EQ(query[4].second, "2026-11-26T11:00:00+01:00");
  EXPECT_EQ(query[5].second, "a+b");
}

TEST(UrlTest, RejectsBadTargets) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  auto st = parse_target("http://x/y", &path, &query);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Code::kInvalidRequest);
  st = parse_target("/a%zz", &path, &query);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("path"), std::string::npos);
  st = parse_target("/a?bad%x=1", &path, &query);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("bad%x"), std::string::npos);
}

TEST(UrlTest, RawPath) {
  EXPECT_EQ(raw_path("/a%2Fb?x=1"), "/a%2Fb");
  EXPECT_EQ(raw_path("/a"), "/a");
}

}  // namespace
}  // namespace cocity::server

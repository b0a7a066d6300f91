#include "core/json.h"

#include <gtest/gtest.h>

namespace cocity {
namespace {

TEST(JsonTest, ParsesAndSerializes) {
  auto v = parse_json(R"({"a": [1, 2.5, "x"], "b": null} )");
  ASSERT_TRUE(v);
  EXPECT_EQ(to_json(*v), R"({"a":[1,2.5,"x"],"b":null})");
}

TEST(JsonTest, WritesDoublesAsDecimals) {
  auto v = parse_json(R"([1.0, 0.1, 1e300, -3.25, 42, "\u00e4\n"])");
  ASSERT_TRUE(v);
  EXPECT_EQ(to_json(*v), "[1.0,0.1,1e+300,-3.25,42,\"\u00e4\\n\"]");
}

TEST(JsonTest, ReportsSyntaxErrorWithOffset) {
  auto v = parse_json(R"({"a": })");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, Code::kInvalidRequest);
  EXPECT_NE(v.error().detail.find("invalid JSON at byte"), std::string::npos);
}

TEST(JsonTest, RejectsTrailingData) { EXPECT_FALSE(parse_json(R"({} {})")); }

TEST(JsonTest, EnforcesDepthLimit) {
  std::string deep(40, '[');
  deep += std::string(40, ']');
  auto v = parse_json(deep, JsonLimits{.max_depth = 32});
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().detail.find("max_json_depth"), std::string::npos);
  EXPECT_TRUE(parse_json(deep, JsonLimits{.max_depth = 64}));
}

}  // namespace
}  // namespace cocity

#include "core/json.h"

#include <gtest/gtest.h>
#include <boost/json/monotonic_resource.hpp>

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

// What the store does with a batch upsert: the new content, parsed into a
// request's arena, overwrites the stored state on the heap.
TEST(JsonTest, AssignInPlaceReusesTheTargetAndKeepsItsStorage) {
  json::monotonic_resource arena;
  json::storage_ptr in_arena(&arena);
  auto state = parse_json(
      R"({"a": {"value": 1, "observedAt": "2026-11-26T10:00:00.000Z"},
          "b": [1, 2], "c": "short"})");
  ASSERT_TRUE(state);
  json::object& dst = state->get_object();
  const char* observed_before =
      dst["a"].get_object()["observedAt"].get_string().data();

  // The same shape: every part is overwritten where it is.
  auto same = parse_json(
      R"({"a": {"value": 2.5, "observedAt": "2026-11-26T11:00:00.000Z"},
          "b": [3, 4], "c": "a text longer than the one it replaces"})",
      {}, in_arena);
  ASSERT_TRUE(same);
  assign_in_place(same->get_object(), &dst);
  EXPECT_EQ(json::value(dst), *same);
  EXPECT_EQ(dst["a"].get_object()["observedAt"].get_string().data(),
            observed_before);
  EXPECT_EQ(dst.storage().get(), json::storage_ptr().get());
  EXPECT_EQ(dst["c"].get_string().storage().get(), json::storage_ptr().get());

  // Another shape: keys in another order, a member more, an array longer,
  // a number where an object was. The result is equal, order included.
  auto other = parse_json(
      R"({"c": {"x": 1}, "a": {"value": "on", "unitCode": "P1"},
          "b": [1, 2, 3], "d": null})",
      {}, in_arena);
  ASSERT_TRUE(other);
  assign_in_place(other->get_object(), &dst);
  EXPECT_EQ(to_json(json::value(dst)), to_json(*other));
  EXPECT_EQ(dst.storage().get(), json::storage_ptr().get());
  EXPECT_EQ(dst["c"].get_object().storage().get(), json::storage_ptr().get());
  EXPECT_EQ(dst["b"].get_array().storage().get(), json::storage_ptr().get());
}

TEST(JsonTest, SameKeysMeansTheSameKeysInTheSameOrder) {
  auto a = parse_json(R"({"x": 1, "y": 2})")->get_object();
  EXPECT_TRUE(same_keys(a, parse_json(R"({"x": 3, "y": []})")->get_object()));
  EXPECT_FALSE(same_keys(a, parse_json(R"({"y": 2, "x": 1})")->get_object()));
  EXPECT_FALSE(same_keys(a, parse_json(R"({"x": 1})")->get_object()));
  EXPECT_FALSE(
      same_keys(a, parse_json(R"({"x": 1, "y": 2, "z": 3})")->get_object()));
}

}  // namespace
}  // namespace cocity

#include "core/time.h"

#include <gtest/gtest.h>

namespace cocity {
namespace {

TEST(TimeTest, ParsesUtcAndOffsets) {
  auto a = ParseIsoTime("2026-11-25T15:09:47Z");
  ASSERT_TRUE(a);
  EXPECT_EQ(FormatIsoTime(*a), "2026-11-25T15:09:47.000Z");
  auto b = ParseIsoTime("2026-11-25T16:09:47.5+01:00");
  ASSERT_TRUE(b);
  EXPECT_EQ(FormatIsoTime(*b), "2026-11-25T15:09:47.500Z");
  auto c = ParseIsoTime("2026-11-25T14:09:47.123456-0100");
  ASSERT_TRUE(c);
  EXPECT_EQ(ToMicros(*c) % 1000000, 123456);
  EXPECT_EQ(FormatIsoTime(*c), "2026-11-25T15:09:47.123Z");
}

TEST(TimeTest, RejectsMissingOffsetAndBadFields) {
  EXPECT_FALSE(ParseIsoTime("2026-11-25T15:09:47"));
  EXPECT_FALSE(ParseIsoTime("2026-13-25T15:09:47Z"));
  EXPECT_FALSE(ParseIsoTime("2026-02-30T15:09:47Z"));
  EXPECT_FALSE(ParseIsoTime("2026-11-25T25:09:47Z"));
  EXPECT_FALSE(ParseIsoTime("2026-11-25T15:09:47Zjunk"));
  EXPECT_FALSE(ParseIsoTime(""));
  auto err = ParseIsoTime("yesterday");
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().code, Code::kBadRequestData);
  EXPECT_NE(err.error().detail.find("yesterday"), std::string::npos);
}

TEST(TimeTest, BeforeEpochFormatsCorrectly) {
  auto t = ParseIsoTime("1969-12-31T23:59:59.250Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatIsoTime(*t), "1969-12-31T23:59:59.250Z");
}

}  // namespace
}  // namespace cocity

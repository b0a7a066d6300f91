#include "core/time.h"

#include <gtest/gtest.h>

namespace cocity {
namespace {

TEST(TimeTest, ParsesUtcAndOffsets) {
  auto a = parse_iso_time("2026-11-25T15:09:47Z");
  ASSERT_TRUE(a);
  EXPECT_EQ(format_iso_time(*a), "2026-11-25T15:09:47.000Z");
  auto b = parse_iso_time("2026-11-25T16:09:47.5+01:00");
  ASSERT_TRUE(b);
  EXPECT_EQ(format_iso_time(*b), "2026-11-25T15:09:47.500Z");
  auto c = parse_iso_time("2026-11-25T14:09:47.123456-0100");
  ASSERT_TRUE(c);
  EXPECT_EQ(to_micros(*c) % 1000000, 123456);
  EXPECT_EQ(format_iso_time(*c), "2026-11-25T15:09:47.123Z");
}

TEST(TimeTest, RejectsMissingOffsetAndBadFields) {
  EXPECT_FALSE(parse_iso_time("2026-11-25T15:09:47"));
  EXPECT_FALSE(parse_iso_time("2026-13-25T15:09:47Z"));
  EXPECT_FALSE(parse_iso_time("2026-02-30T15:09:47Z"));
  EXPECT_FALSE(parse_iso_time("2026-11-25T25:09:47Z"));
  EXPECT_FALSE(parse_iso_time("2026-11-25T15:09:47Zjunk"));
  EXPECT_FALSE(parse_iso_time(""));
  auto err = parse_iso_time("yesterday");
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().code, Code::kBadRequestData);
  EXPECT_NE(err.error().detail.find("yesterday"), std::string::npos);
}

TEST(TimeTest, BeforeEpochFormatsCorrectly) {
  auto t = parse_iso_time("1969-12-31T23:59:59.250Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso_time(*t), "1969-12-31T23:59:59.250Z");
}

TEST(TimeTest, FormatsEveryFieldWithLeadingZeros) {
  for (const char* text :
       {"0001-01-01T00:00:00.000Z", "0999-02-03T04:05:06.007Z",
        "9999-12-31T23:59:59.999Z", "2000-02-29T12:30:01.010Z"}) {
    auto t = parse_iso_time(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(format_iso_time(*t), text);
  }
}

// The parser keeps an observedAt as it was written only when it says so:
// the claim must hold exactly when formatting gives the text back.
TEST(TimeTest, TheMemoAnswersAsParsingAndFormattingDo) {
  IsoTimeMemo memo;
  // Formatted texts parse (also again, and after another); others do not,
  // not even right after a formatted one of the same time.
  for (const char* text :
       {"2026-11-25T15:09:47.123Z", "2026-11-25T15:09:47.123Z",
        "2026-11-25T16:09:47.123+01:00", "2026-11-25T15:09:47.123Z",
        "2026-11-25T15:09:47Z", "1999-01-01T00:00:00.000Z", "garbage"}) {
    auto parsed = parse_iso_time(text);
    bool formatted = parsed && format_iso_time(*parsed) == text;
    auto got = memo.parse_formatted(text);
    ASSERT_EQ(got.has_value(), formatted) << text;
    if (got) EXPECT_EQ(*got, *parsed) << text;
  }
  for (int64_t us : std::initializer_list<int64_t>{
           1'795'704'284'803'000, 1'795'704'284'803'000, 1'795'704'284'804'000,
           0, 1'795'704'284'803'000}) {
    EXPECT_EQ(memo.format(from_micros(us)), format_iso_time(from_micros(us)));
  }
}

TEST(TimeTest, KnowsWhenATextIsAlreadyFormatted) {
  for (const char* text :
       {"2026-11-25T15:09:47.123Z", "0001-01-01T00:00:00.000Z",
        "2026-11-25t15:09:47.123Z", "2026-11-25T15:09:47.123z",
        "2026-11-25T15:09:47,123Z", "2026-11-25T15:09:47.12Z",
        "2026-11-25T15:09:47.1234Z", "2026-11-25T15:09:47Z",
        "2026-11-25T15:09:60.000Z", "2026-11-25T16:09:47+01:00",
        "2026-11-25T15:09:47.123+00:00", "2026-12-31T23:59:60.500Z"}) {
    auto t = parse_iso_time(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(is_formatted_iso_time(text), format_iso_time(*t) == text) << text;
  }
  EXPECT_TRUE(is_formatted_iso_time("2026-11-25T15:09:47.123Z"));
}

}  // namespace
}  // namespace cocity

// History retention in the configuration: the duration syntax and the
// [retention] table (default and per tenant).
#include "server/retention.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/config.h"

namespace cocity::server {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TEST(ParseRetention, CalendarAndTimeUnits) {
  EXPECT_EQ(*parse_retention("P2Y"), hours(24 * 730));
  EXPECT_EQ(*parse_retention("P18M"), hours(24 * 540));
  EXPECT_EQ(*parse_retention("P1W"), hours(24 * 7));
  EXPECT_EQ(*parse_retention("P90D"), hours(24 * 90));
  EXPECT_EQ(*parse_retention("PT12H"), hours(12));
  EXPECT_EQ(*parse_retention("P1DT1H30M5S"), seconds(86400 + 5405));
  EXPECT_EQ(*parse_retention("P0D"), seconds(0));
  for (const char* bad : {"", "P", "PT", "2Y", "P2", "P2X", "P-1D", "PT1D",
                          "P1.5D", "P99999999999999Y"}) {
    EXPECT_FALSE(parse_retention(bad)) << bad;
  }
}

class RetentionConfigTest : public ::testing::Test {
 protected:
  Status apply(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("cocity-retention-test-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path_) << text;
    return apply_config_file(path_.string(), &config_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  std::filesystem::path path_;
  ServerConfig config_;
};

TEST_F(RetentionConfigTest, DefaultAndTenants) {
  EXPECT_EQ(config_.history_retention, seconds(0));  // keep for ever
  auto s = apply(R"(
[retention]
default = "P2Y"
kaiserslautern = "P5Y"
trier = "P90D"
)");
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(config_.history_retention, hours(24 * 730));
  ASSERT_EQ(config_.tenant_history_retention.size(), 2u);
  EXPECT_EQ(config_.tenant_history_retention.at("kaiserslautern"),
            hours(24 * 365 * 5));
  EXPECT_EQ(config_.tenant_history_retention.at("trier"), hours(24 * 90));
}

TEST_F(RetentionConfigTest, BadEntriesNameTheKey) {
  auto s = apply("[retention]\nkl = \"two years\"\n");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().detail.find("retention.kl"), std::string::npos)
      << s.error().detail;
  s = apply("[retention]\nkl = 5\n");
  ASSERT_FALSE(s);
  s = apply("[retention]\n\"../x\" = \"P1Y\"\n");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().detail.find("tenant name"), std::string::npos);
  s = apply("retention = \"P1Y\"\n");
  ASSERT_FALSE(s);
}

}  // namespace
}  // namespace cocity::server

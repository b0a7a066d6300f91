// The [smtp] settings: TOML, COCITY_SMTP_* variables and their checks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "server/config.h"

namespace cocity::server {
namespace {

TEST(SmtpConfigTest, ReadsTheTableAndTheEnvironmentWins) {
  auto path = std::filesystem::temp_directory_path() /
              ("cocity-smtp-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << R"(
[smtp]
url = "smtp://mail.example.org:587"
from = "Stadt <noreply@town.de>"
user = "town"
password = "from-file"
starttls = "required"
ca_file = "/etc/ssl/town.pem"
interval_ms = 2500
)";
  ServerConfig c;
  ASSERT_TRUE(apply_config_file(path.string(), &c));
  std::filesystem::remove(path);
  EXPECT_EQ(c.smtp.url, "smtp://mail.example.org:587");
  EXPECT_EQ(c.smtp.from, "Stadt <noreply@town.de>");
  EXPECT_EQ(c.smtp.user, "town");
  EXPECT_EQ(c.smtp.starttls, "required");
  EXPECT_EQ(c.smtp.ca_file, "/etc/ssl/town.pem");
  EXPECT_EQ(c.smtp.interval_ms, 2500u);
  std::map<std::string, std::string> env = {
      {"COCITY_SMTP_PASSWORD", "from-env"}, {"COCITY_SMTP_INTERVAL_MS", "100"}};
  ASSERT_TRUE(apply_environment(&c, [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  }));
  EXPECT_EQ(c.smtp.password, "from-env");
  EXPECT_EQ(c.smtp.interval_ms, 100u);
  EXPECT_TRUE(validate_config(c));
}

TEST(SmtpConfigTest, OffByDefaultAndChecksWhenOn) {
  ServerConfig c;
  EXPECT_TRUE(c.smtp.url.empty());
  EXPECT_TRUE(validate_config(c));
  c.smtp.url = "http://mail.example.org";
  auto s = validate_config(c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().detail.find("smtp.url"), std::string::npos);
  c.smtp.url = "smtps://mail.example.org";
  s = validate_config(c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().detail.find("smtp.from"), std::string::npos);
  c.smtp.from = "noreply@town.de";
  c.smtp.starttls = "sometimes";
  s = validate_config(c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().detail.find("smtp.starttls"), std::string::npos);
  c.smtp.starttls = "auto";
  EXPECT_TRUE(validate_config(c));
  auto zero = apply_environment(&c, [](const char* name) -> const char* {
    return std::string_view(name) == "COCITY_SMTP_INTERVAL_MS" ? "0" : nullptr;
  });
  EXPECT_FALSE(zero);
}

}  // namespace
}  // namespace cocity::server

#include "server/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace cocity::server {
namespace {

class ConfigFileTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("cocity-config-test-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  std::filesystem::path path_;
};

TEST_F(ConfigFileTest, AppliesEveryKey) {
  ServerConfig c;
  auto st = apply_config_file(write(R"(
bind = "0.0.0.0"
port = 9090
threads = 3
data_dir = "/var/lib/cocity"
open = true
log_level = "debug"
log_format = "json"
web_dir = "web/dist"
[limits]
max_body_bytes = 1024
max_json_depth = 8
max_batch_entities = 50
idle_timeout_ms = 15000
[store]
entity_cache_mb = 512
)"),
                              &c);
  ASSERT_TRUE(st) << st.error().detail;
  EXPECT_EQ(c.bind, "0.0.0.0");
  EXPECT_EQ(c.port, 9090);
  EXPECT_EQ(c.threads, 3u);
  EXPECT_EQ(c.data_dir, "/var/lib/cocity");
  EXPECT_TRUE(c.open);
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.log_format, "json");
  EXPECT_EQ(c.web_dir, "web/dist");
  EXPECT_EQ(c.limits.max_body_bytes, 1024u);
  EXPECT_EQ(c.limits.max_json_depth, 8u);
  EXPECT_EQ(c.limits.max_batch_entities, 50u);
  EXPECT_EQ(c.limits.idle_timeout_ms, 15000u);
  EXPECT_EQ(c.entity_cache_mb, 512u);
}

TEST_F(ConfigFileTest, MissingKeysKeepDefaults) {
  ServerConfig c;
  ASSERT_TRUE(apply_config_file(write("port = 1234\n"), &c));
  EXPECT_EQ(c.port, 1234);
  EXPECT_EQ(c.bind, "127.0.0.1");
  EXPECT_EQ(c.limits.max_body_bytes, 8u * 1024 * 1024);
  EXPECT_EQ(c.entity_cache_mb, 128u);
}

TEST_F(ConfigFileTest, UnknownKeyIsNamed) {
  ServerConfig c;
  auto st = apply_config_file(write("prot = 1\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("'prot'"), std::string::npos)
      << st.error().detail;
  st = apply_config_file(write("[limits]\nmax_body = 1\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("'limits.max_body'"), std::string::npos);
}

TEST_F(ConfigFileTest, WrongTypeOrRangeIsNamed) {
  ServerConfig c;
  auto st = apply_config_file(write("port = \"80\"\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("'port'"), std::string::npos);
  EXPECT_NE(st.error().detail.find("integer"), std::string::npos);
  st = apply_config_file(write("port = 70000\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("65535"), std::string::npos);
  st = apply_config_file(write("[limits]\nmax_body_bytes = 0\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("max_body_bytes"), std::string::npos);
  st = apply_config_file(write("[store]\nentity_cache_mb = -1\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("'store.entity_cache_mb'"),
            std::string::npos)
      << st.error().detail;
  st = apply_config_file(write("open = 1\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("'open'"), std::string::npos);
}

TEST_F(ConfigFileTest, QueryIndexedAttributes) {
  ServerConfig c;
  auto st = apply_config_file(
      write("[query]\nindexed_attributes = [\"fillingLevel\", \"no2\"]\n"), &c);
  ASSERT_TRUE(st) << st.error().detail;
  EXPECT_EQ(c.indexed_attributes,
            (std::vector<std::string>{"fillingLevel", "no2"}));
  st = apply_config_file(write("[query]\nindexed_attributes = \"no2\"\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("'query.indexed_attributes'"),
            std::string::npos)
      << st.error().detail;
  st = apply_config_file(write("[query]\nindexed = []\n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("'query.indexed'"), std::string::npos);
}

TEST_F(ConfigFileTest, SyntaxErrorHasLine) {
  ServerConfig c;
  auto st = apply_config_file(write("port = 1\nbind = \n"), &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find(":2:"), std::string::npos)
      << st.error().detail;
}

TEST(ConfigFileMissing, IsAnError) {
  ServerConfig c;
  auto st = apply_config_file("/nonexistent/cocity.toml", &c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("/nonexistent/cocity.toml"),
            std::string::npos);
}

auto env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(ConfigEnvTest, AppliesVariables) {
  ServerConfig c;
  auto st = apply_environment(&c, env({{"COCITY_PORT", "8181"},
                                       {"COCITY_OPEN", "true"},
                                       {"COCITY_DATA_DIR", "/tmp/d"},
                                       {"COCITY_MAX_BATCH_ENTITIES", "10"},
                                       {"COCITY_IDLE_TIMEOUT_MS", "500"},
                                       {"COCITY_ENTITY_CACHE_MB", "0"},
                                       {"COCITY_LOG_FORMAT", "json"}}));
  ASSERT_TRUE(st) << st.error().detail;
  EXPECT_EQ(c.port, 8181);
  EXPECT_TRUE(c.open);
  EXPECT_EQ(c.data_dir, "/tmp/d");
  EXPECT_EQ(c.limits.max_batch_entities, 10u);
  EXPECT_EQ(c.limits.idle_timeout_ms, 500u);
  EXPECT_EQ(c.entity_cache_mb, 0u);
  EXPECT_EQ(c.log_format, "json");
}

TEST(ConfigEnvTest, BadValuesAreNamed) {
  ServerConfig c;
  auto st = apply_environment(&c, env({{"COCITY_PORT", "80x"}}));
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("COCITY_PORT"), std::string::npos);
  st = apply_environment(&c, env({{"COCITY_THREADS", "-1"}}));
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("COCITY_THREADS"), std::string::npos);
  st = apply_environment(&c, env({{"COCITY_OPEN", "maybe"}}));
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("COCITY_OPEN"), std::string::npos);
  st = apply_environment(&c, env({{"COCITY_ENTITY_CACHE_MB", "2000000"}}));
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("COCITY_ENTITY_CACHE_MB"), std::string::npos)
      << st.error().detail;
  EXPECT_NE(st.error().detail.find("1048576"), std::string::npos)
      << st.error().detail;
}

TEST_F(ConfigFileTest, LaterSourcesWin) {
  ServerConfig c;
  ASSERT_TRUE(
      apply_config_file(write("port = 1000\nbind = \"0.0.0.0\"\n"), &c));
  ASSERT_TRUE(apply_environment(&c, env({{"COCITY_PORT", "2000"}})));
  EXPECT_EQ(c.port, 2000);       // environment over file
  EXPECT_EQ(c.bind, "0.0.0.0");  // file over default
  c.port = 3000;                 // a flag, applied last by the caller
  EXPECT_TRUE(validate_config(c));
  EXPECT_EQ(c.port, 3000);
}

TEST(ValidateConfigTest, NamesTheSetting) {
  ServerConfig c;
  EXPECT_TRUE(validate_config(c));
  c.log_level = "loud";
  auto st = validate_config(c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("log_level"), std::string::npos);
  c = ServerConfig{};
  c.log_format = "xml";
  st = validate_config(c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("log_format"), std::string::npos);
}

TEST(EffectiveThreadsTest, DefaultsToCores) {
  ServerConfig c;
  EXPECT_GE(effective_threads(c), 1u);
  c.threads = 3;
  EXPECT_EQ(effective_threads(c), 3u);
}

}  // namespace
}  // namespace cocity::server

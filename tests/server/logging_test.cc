#include "server/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "core/json.h"

namespace cocity::server {
namespace {

// Sets up logging in `format`, then sends the default logger's output to a
// string while `body` runs.
template <typename F>
std::string capture(const std::string& format, F body) {
  EXPECT_TRUE(setup_logging("debug", format));
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_formatter(make_log_formatter(format));
  auto logger = spdlog::default_logger();
  logger->sinks().clear();
  logger->sinks().push_back(sink);
  body();
  logger->flush();
  return out.str();
}

TEST(LoggingTest, TextLineWithFields) {
  std::string out = capture("text", [] {
    log_event(spdlog::level::info, "request",
              {{"method", "GET"}, {"path", "/a b"}, {"status", "200"}});
  });
  EXPECT_NE(out.find(" info request method=GET path=\"/a b\" status=200\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out[4], '-');
  EXPECT_NE(out.find("Z info"), std::string::npos);
}

TEST(LoggingTest, JsonLineWithFields) {
  std::string out = capture("json", [] {
    log_event(spdlog::level::warn, "slow \"x\"", {{"ms", "12.5"}});
    spdlog::info("plain {}", 7);
  });
  std::istringstream lines(out);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  auto v = parse_json(line);
  ASSERT_TRUE(v) << line;
  const auto& o = v->as_object();
  EXPECT_EQ(o.at("level").as_string(), "warning");
  EXPECT_EQ(o.at("msg").as_string(), "slow \"x\"");
  EXPECT_EQ(o.at("ms").as_string(), "12.5");
  EXPECT_TRUE(o.at("time").as_string().ends_with("Z"));
  ASSERT_TRUE(std::getline(lines, line));
  v = parse_json(line);
  ASSERT_TRUE(v) << line;
  EXPECT_EQ(v->as_object().at("msg").as_string(), "plain 7");
}

TEST(LoggingTest, RejectsBadSettings) {
  auto st = setup_logging("loud", "text");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("log_level"), std::string::npos);
  st = setup_logging("info", "xml");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().detail.find("log_format"), std::string::npos);
  EXPECT_TRUE(setup_logging("warn", "text"));
}

}  // namespace
}  // namespace cocity::server

// The real `cocity serve` process: health, metrics, auth and SIGTERM.
#include <gtest/gtest.h>

#include <csignal>

#include "support/http_client.h"

namespace cocity::server {
namespace {

using test::HttpClient;
using test::ServerProcess;

// Whether a failed start means "no binary to run" (skip) rather than a bug.
bool no_binary(const Status& st) {
  return !st && st.error().detail.find("COCITY_BINARY") != std::string::npos;
}

TEST(ServerProcessTest, ServesHealthAndStopsCleanlyOnSigterm) {
  ServerProcess server;
  auto st = server.start({"--open"});
  if (no_binary(st)) GTEST_SKIP() << st.error().detail;
  ASSERT_TRUE(st) << st.error().detail;
  HttpClient client(server.port());
  auto r = client.get("/health");
  ASSERT_EQ(r.status, 200u) << r.error;
  r = client.get("/metrics");
  ASSERT_EQ(r.status, 200u);
  EXPECT_NE(r.body.find("cocity_http_requests_total"), std::string::npos);
  EXPECT_NE(r.body.find("cocity_store_commits_total"), std::string::npos);
  r = client.get("/no/such/path");
  EXPECT_EQ(r.status, 404u);
  server.kill(SIGTERM);
  EXPECT_EQ(server.wait_exit(), 0) << server.log_text();
  EXPECT_FALSE(server.running());
}

TEST(ServerProcessTest, ClosedModeAsksForKeys) {
  ServerProcess server;
  auto st = server.start();
  if (no_binary(st)) GTEST_SKIP() << st.error().detail;
  ASSERT_TRUE(st) << st.error().detail;
  HttpClient client(server.port());
  auto r = client.get("/ngsi-ld/v1/entities?type=X");
  EXPECT_EQ(r.status, 401u) << r.body;
  EXPECT_EQ(r.header("www-authenticate"), "Bearer");
  r = client.get(
      "/ngsi-ld/v1/entities?type=X",
      {{"Authorization", "Bearer ck_0123456789ab_" + std::string(64, '0')}});
  EXPECT_EQ(r.status, 401u);
}

TEST(ServerProcessTest, RestartKeepsDataDir) {
  ServerProcess server;
  auto first = server.start({"--open"});
  if (no_binary(first)) GTEST_SKIP() << first.error().detail;
  ASSERT_TRUE(first) << first.error().detail;
  std::string dir = server.data_dir();
  server.kill(SIGKILL);
  EXPECT_EQ(server.wait_exit(), 128 + SIGKILL);
  auto st = server.start({"--open"});
  ASSERT_TRUE(st) << st.error().detail;
  EXPECT_EQ(server.data_dir(), dir);
  HttpClient client(server.port());
  EXPECT_EQ(client.get("/health").status, 200u);
}

TEST(ServerProcessTest, BadFlagFailsToStart) {
  ServerProcess server;
  auto st = server.start({"--no-such-flag"}, {}, std::chrono::seconds(5));
  if (no_binary(st)) GTEST_SKIP() << st.error().detail;
  EXPECT_FALSE(st);
}

}  // namespace
}  // namespace cocity::server

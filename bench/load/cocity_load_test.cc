// cocity_load against a real server: every request it counts was answered,
// its writes reach the store, and error responses are counted as errors.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/http_client.h"

namespace cocity::test {
namespace {

struct LoadRun {
  int rc = -1;
  std::string out;  // stdout and stderr
};

LoadRun load(uint16_t port, const std::string& args) {
  std::string cmd = std::string(COCITY_LOAD_BINARY) + " --port " +
                    std::to_string(port) + " " + args + " 2>&1";
  LoadRun r;
  r.rc = run_command(cmd, &r.out);
  return r;
}

// The "requests N (M ok)" line as {N, M}; {-1, -1} when missing.
std::pair<long, long> counts(const std::string& out) {
  std::smatch m;
  static const std::regex re(R"(requests +(\d+) \((\d+) ok\))");
  if (!std::regex_search(out, m, re)) return {-1, -1};
  return {std::stol(m[1]), std::stol(m[2])};
}

TEST(LoadDriver, EveryModeIsAnsweredAndWritesReachTheStore) {
  ServerProcess server;
  ASSERT_TRUE(server.start({"--open"}));
  HttpClient client(server.port());
  const std::string entity =
      "/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:load-";

  // Upserts of 40 entities a request over ids 0-119, on 4 connections:
  // the requests take the ids 40 at a time, in turn.
  LoadRun up =
      load(server.port(), "--mode upsert -c 4 -n 30 --batch 40 --ids 120");
  ASSERT_EQ(up.rc, 0) << up.out;
  EXPECT_EQ(counts(up.out), std::make_pair(30L, 30L)) << up.out;
  EXPECT_EQ(up.out.find("error"), std::string::npos) << up.out;
  EXPECT_EQ(client.get(entity + "0").status, 200u);
  EXPECT_EQ(client.get(entity + "40").status, 200u);
  EXPECT_EQ(client.get(entity + "119").status, 200u);
  EXPECT_EQ(client.get(entity + "120").status, 404u);

  // PATCH over 40 ids: the last value sent for id 7 is stored.
  LoadRun patch =
      load(server.port(), "--mode patch -c 8 -n 400 --ids 40 --no-setup");
  ASSERT_EQ(patch.rc, 0) << patch.out;
  EXPECT_EQ(counts(patch.out), std::make_pair(400L, 400L)) << patch.out;
  auto e = client.get(entity + "7?options=keyValues");
  ASSERT_EQ(e.status, 200u);
  // Request i patches id i % 40 with NO2 = 20 + i % 50; the last for id 7
  // is request 367. With 8 connections, request 327 was answered before
  // 367 was sent.
  EXPECT_NE(e.body.find("\"NO2\":37"), std::string::npos) << e.body;

  LoadRun get =
      load(server.port(), "--mode get -c 3 -n 200 --ids 40 --no-setup");
  ASSERT_EQ(get.rc, 0) << get.out;
  EXPECT_EQ(counts(get.out), std::make_pair(200L, 200L)) << get.out;
}

// Upsert bodies are built before the run: more than 1,000 of them is
// refused up front, naming the limit, and nothing is sent.
TEST(LoadDriver, TooManyUpsertIdsAreRefused) {
  ServerProcess server;
  ASSERT_TRUE(server.start({"--open"}));
  LoadRun r = load(server.port(), "--mode upsert -n 1 --batch 10 --ids 20000");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_NE(r.out.find("--ids is at most 1,000 x --batch"), std::string::npos)
      << r.out;
  HttpClient client(server.port());
  EXPECT_EQ(
      client.get("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:load-0")
          .status,
      404u);
}

TEST(LoadDriver, ErrorResponsesAreCountedAndTheFirstIsShown) {
  ServerProcess server;
  ASSERT_TRUE(server.start());  // not open: every request needs a key
  LoadRun r = load(server.port(), "--mode patch -c 4 -n 50 --ids 5 --no-setup");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(counts(r.out), std::make_pair(50L, 0L)) << r.out;
  EXPECT_NE(r.out.find("status 401: 50"), std::string::npos) << r.out;
  // One driver thread shows its first error body once.
  size_t first = r.out.find("first error: 401");
  ASSERT_NE(first, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("first error", first + 1), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Unauthorized"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace cocity::test

// `cocity sim` against a real server over loopback: the readings arrive as
// NGSI-LD entities with their observation times.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/json.h"
#include "support/http_client.h"

namespace cocity::test {
namespace {

int run(const std::string& command) {
  int rc = std::system((command + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

json::value get_json(HttpClient& http, const std::string& target) {
  Response r = http.request("GET", target, "", {});
  EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
  auto doc = parse_json(r.body);
  return doc ? *doc : json::value();
}

TEST(SimE2e, HttpReadingsBecomeEntities) {
  ServerProcess server;
  ASSERT_TRUE(server.start({"--open"}));
  std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  // Six simulated hours of the demo city, as fast as the server takes them.
  ASSERT_EQ(run(cocity_binary() + " sim --server " + url +
                " --speed 0 --hours 6 --start 2026-11-23T00:00:00Z --seed 3"),
            0);
  HttpClient http(server.port());
  json::value waste = get_json(
      http, "/ngsi-ld/v1/entities?type=WasteContainer&limit=100&count=true");
  ASSERT_TRUE(waste.is_array());
  EXPECT_EQ(waste.as_array().size(), 20u);
  json::value station = get_json(
      http, "/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:KL-Rathaus");
  ASSERT_TRUE(station.is_object());
  const auto& no2 = station.as_object().at("no2").as_object();
  EXPECT_EQ(no2.at("observedAt").as_string(), "2026-11-23T06:00:00.000Z");
  EXPECT_GT(no2.at("value").to_number<double>(), 0);
  EXPECT_TRUE(station.as_object().contains("location"));
  json::value flows =
      get_json(http, "/ngsi-ld/v1/entities?type=TrafficFlowObserved&limit=100");
  ASSERT_TRUE(flows.is_array());
  EXPECT_EQ(flows.as_array().size(), 5u);
}

TEST(SimE2e, UnreachableServerFailsClearly) {
  // Port 1: nothing listens; the run ends with exit code 1, not a hang.
  EXPECT_EQ(run(cocity_binary() +
                " sim --server http://127.0.0.1:1 --speed 0 --hours 1"),
            1);
  EXPECT_EQ(run(cocity_binary() + " sim --server ftp://x --hours 1"), 1);
  EXPECT_EQ(run(cocity_binary() + " sim --start yesterday"), 2);
}

}  // namespace
}  // namespace cocity::test

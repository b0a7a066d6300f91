#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "sim/city_model.h"
#include "sim/http_publisher.h"
#include "sim/mqtt_publisher.h"
#include "sim/profiles.h"
#include "sim/simulator.h"

namespace cocity::sim {
namespace {

TimePoint at(const char* iso) { return *parse_iso_time(iso); }

json::array demo_city() {
  const char* root = std::getenv("COCITY_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") +
                   "/data/demo/kaiserslautern.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto doc = parse_json(text);
  EXPECT_TRUE(doc && doc->is_array());
  return doc && doc->is_array() ? doc->get_array() : json::array{};
}

double value_of(const json::object& fragment, const char* attr) {
  return fragment.at(attr).as_object().at("value").to_number<double>();
}

TEST(Profiles, LocalTimeFollowsGermanSummerTime) {
  // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
  LocalTime winter = local_time(at("2026-01-15T06:30:00Z"));  // Thursday
  EXPECT_EQ(winter.hour, 7);
  EXPECT_EQ(winter.weekday, 3);
  EXPECT_FALSE(winter.weekend);
  EXPECT_EQ(local_time(at("2026-03-29T00:59:00Z")).hour, 1);
  EXPECT_EQ(local_time(at("2026-03-29T01:00:00Z")).hour, 3);
  EXPECT_EQ(local_time(at("2026-10-25T00:59:00Z")).hour, 2);
  EXPECT_EQ(local_time(at("2026-10-25T01:00:00Z")).hour, 2);
  // Saturday 23:30 UTC in winter is already Sunday locally.
  LocalTime sunday = local_time(at("2026-11-28T23:30:00Z"));
  EXPECT_EQ(sunday.weekday, 6);
  EXPECT_TRUE(sunday.weekend);
  EXPECT_EQ(sunday.hour, 0);
}

TEST(Profiles, RushHoursOnWeekdaysOnly) {
  EXPECT_GT(no2_factor(false, 7), 1.3 * no2_factor(false, 2));
  EXPECT_LT(no2_factor(true, 7), no2_factor(false, 7));
  EXPECT_GT(traffic_factor(false, 8), 5 * traffic_factor(false, 3));
  EXPECT_LT(traffic_factor(true, 8), traffic_factor(false, 8) / 2);
  EXPECT_LT(traffic_speed_kmh(false, 8), traffic_speed_kmh(false, 3));
  EXPECT_EQ(no2_factor(false, 99), no2_factor(false, 23));  // clamped
}

TEST(CityModel, SensorsFromTheDemoCityAndScale) {
  json::array city = demo_city();
  auto m = CityModel::create(city, 1, 7, at("2026-11-23T00:00:00Z"));
  ASSERT_TRUE(m) << m.error().detail;
  std::map<SensorKind, int> kinds;
  for (const auto& s : m->sensors()) ++kinds[s.kind];
  EXPECT_EQ(kinds[SensorKind::kAirQuality], 4);
  EXPECT_EQ(kinds[SensorKind::kTraffic], 5);
  EXPECT_EQ(kinds[SensorKind::kWaste], 20);
  auto scaled = CityModel::create(city, 3, 7, at("2026-11-23T00:00:00Z"));
  ASSERT_TRUE(scaled);
  EXPECT_EQ(scaled->sensors().size(), 3 * m->sensors().size());
  EXPECT_FALSE(CityModel::create(city, 0, 7, at("2026-11-23T00:00:00Z")));
  EXPECT_FALSE(CityModel::create(json::array{}, 1, 7, TimePoint{}));
}

TEST(CityModel, DeterministicForASeed) {
  json::array city = demo_city();
  auto run = [&](uint64_t seed) {
    auto m = CityModel::create(city, 1, seed, at("2026-11-23T00:00:00Z"));
    EXPECT_TRUE(m);
    return m->advance(at("2026-11-23T12:00:00Z"));
  };
  auto a = run(5), b = run(5), c = run(6);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(CityModel, ReadingsFollowTheDayAndArriveInTimeOrder) {
  json::array city = demo_city();
  TimePoint start = at("2026-11-23T00:00:00Z");  // a Monday
  auto m = CityModel::create(city, 5, 11, start);
  ASSERT_TRUE(m);
  // First readings carry the location; later ones only measurements.
  // The first hour: every sensor's first reading carries its location.
  auto first = m->advance(start + std::chrono::hours(1));
  ASSERT_FALSE(first.empty());
  std::set<std::string> located;
  for (const auto& r : first) {
    if (r.contains("location"))
      located.insert(std::string(r.at("id").as_string()));
  }
  EXPECT_EQ(located.size(), m->sensors().size());
  std::map<int, std::vector<double>> no2_by_hour, traffic_by_hour;
  TimePoint last{};
  // A week of readings.
  for (int h = 2; h <= 24 * 7; ++h) {
    auto readings = m->advance(start + std::chrono::hours(h));
    for (const auto& r : readings) {
      EXPECT_FALSE(r.contains("location"));
      std::string type(r.at("type").as_string());
      const auto& any_attr = type == "AirQualityObserved" ? r.at("no2")
                             : type == "TrafficFlowObserved"
                                 ? r.at("intensity")
                                 : r.at("fillingLevel");
      TimePoint t =
          *parse_iso_time(any_attr.as_object().at("observedAt").as_string());
      EXPECT_GE(t, last);
      last = t;
      LocalTime lt = local_time(t);
      if (lt.weekend) continue;
      if (type == "AirQualityObserved") {
        no2_by_hour[lt.hour].push_back(value_of(r, "no2"));
        EXPECT_GT(value_of(r, "pm10"), value_of(r, "pm25"));
      } else if (type == "TrafficFlowObserved") {
        traffic_by_hour[lt.hour].push_back(value_of(r, "intensity"));
        double occupancy = value_of(r, "occupancy");
        EXPECT_GE(occupancy, 0);
        EXPECT_LE(occupancy, 0.95);
      } else {
        double level = value_of(r, "fillingLevel");
        EXPECT_GE(level, 0);
        EXPECT_LE(level, 1);
      }
    }
  }
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / v.size();
  };
  // Weekday rush hour against the night, as in the measured profiles.
  EXPECT_GT(mean(no2_by_hour[7]), 1.4 * mean(no2_by_hour[2]));
  EXPECT_GT(mean(traffic_by_hour[8]), 4 * mean(traffic_by_hour[3]));
}

TEST(CityModel, WasteContainersFillAndAreEmptiedOnTheirDay) {
  json::array city = demo_city();
  TimePoint start = at("2026-11-23T00:00:00Z");
  auto m = CityModel::create(city, 1, 3, start);
  ASSERT_TRUE(m);
  std::map<std::string, std::vector<std::pair<TimePoint, double>>> series;
  for (int h = 1; h <= 24 * 14; ++h) {
    TimePoint t = start + std::chrono::hours(h);
    for (const auto& r : m->advance(t)) {
      if (r.at("type").as_string() != "WasteContainer") continue;
      series[std::string(r.at("id").as_string())].emplace_back(
          t, value_of(r, "fillingLevel"));
    }
  }
  ASSERT_EQ(series.size(), 20u);
  EXPECT_EQ(m->emptying_count(), m->emptyings().size());
  for (const auto& e : m->emptyings()) {
    // Collection rounds run at 09:00 local time, Monday to Friday, and only
    // for containers worth emptying.
    LocalTime lt = local_time(e.at);
    EXPECT_EQ(lt.hour, 9) << e.entity_id;
    EXPECT_LT(lt.weekday, 5) << e.entity_id;
    EXPECT_GT(e.level, 0.15) << e.entity_id;
    // The readings show it: most of the next three hours read under 0.15
    // (one may be a glitch), and the level rose before.
    const auto& points = series.at(e.entity_id);
    auto at_or_after =
        std::find_if(points.begin(), points.end(),
                     [&](const auto& p) { return p.first >= e.at; });
    ASSERT_TRUE(at_or_after != points.end());
    int low = 0;
    for (auto it = at_or_after; it != points.end() && it < at_or_after + 3;
         ++it) {
      if (it->second < 0.15) ++low;
    }
    EXPECT_GE(low, 2) << e.entity_id << " " << format_iso_time(e.at);
  }
  size_t emptyings = m->emptyings().size();
  // Two weeks: most containers are emptied about twice.
  EXPECT_GE(emptyings, 25);
  EXPECT_LE(emptyings, 40);
}

class CollectingPublisher : public Publisher {
 public:
  Status publish(const std::vector<json::object>& fragments) override {
    batches.push_back(fragments.size());
    return ok();
  }
  std::string name() const override { return "memory"; }
  std::vector<size_t> batches;
};

TEST(Simulator, BoundedByReadingsAndDuration) {
  json::array city = demo_city();
  TimePoint start = at("2026-11-23T00:00:00Z");
  auto m = CityModel::create(city, 1, 1, start);
  ASSERT_TRUE(m);
  CollectingPublisher out;
  SimOptions options;
  options.start = start;
  options.speed = 0;
  options.duration = std::chrono::hours(2);
  options.report_every_hours = 0;
  SimStats stats = run_simulation(*m, out, options);
  // 2 hours: 8 rounds of 4 air stations, 24 of 5 traffic counters, 2 of
  // 20 waste containers.
  EXPECT_EQ(stats.readings, 8u * 4 + 24 * 5 + 2 * 20);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.reached, start + std::chrono::hours(2));

  auto m2 = CityModel::create(city, 1, 1, start);
  options.max_readings = 50;
  options.duration = std::chrono::hours(100);
  stats = run_simulation(*m2, out, options);
  EXPECT_EQ(stats.readings, 50u);
}

TEST(Simulator, SpeedPacesSimulatedTime) {
  json::array city = demo_city();
  TimePoint start = at("2026-11-23T00:00:00Z");
  auto m = CityModel::create(city, 1, 1, start);
  ASSERT_TRUE(m);
  CollectingPublisher out;
  SimOptions options;
  options.start = start;
  options.speed = 3600;  // an hour a second
  options.duration = std::chrono::minutes(30);
  options.report_every_hours = 0;
  SimStats stats = run_simulation(*m, out, options);
  // Two air rounds and six traffic rounds: the run takes about half a
  // second, never less than the 30 simulated minutes allow.
  EXPECT_EQ(stats.readings, 2u * 4 + 6 * 5);
  EXPECT_GE(stats.seconds, 0.45);
}

class FixedClock : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t) {}
  TimePoint now() const override { return t_; }

 private:
  TimePoint t_;
};

TEST(Simulator, NeverAheadOfTheWallClock) {
  json::array city = demo_city();
  TimePoint start = at("2026-11-23T00:00:00Z");
  auto m = CityModel::create(city, 1, 1, start);
  ASSERT_TRUE(m);
  CollectingPublisher out;
  FixedClock now(start + std::chrono::hours(1));
  std::atomic<bool> stop{false};
  SimOptions options;
  options.start = start;
  options.speed = 0;
  options.duration = std::chrono::hours(24);
  options.report_every_hours = 0;
  options.wall_clock = &now;
  SimStats stats;
  std::thread runner([&] { stats = run_simulation(*m, out, options, &stop); });
  // The past hour is replayed at once; then the run waits for the clock.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  runner.join();
  EXPECT_EQ(stats.readings, 4u * 4 + 12 * 5 + 20);
  EXPECT_EQ(stats.reached, start + std::chrono::hours(1));
}

TEST(Urls, ParsedAndRejected) {
  auto h = parse_http_url("http://127.0.0.1:8080");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->host, "127.0.0.1");
  EXPECT_EQ(h->port, 8080);
  EXPECT_EQ(parse_http_url("http://city.example/")->port, 80);
  auto s = parse_http_url("https://x");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->https);
  EXPECT_EQ(s->port, 443);
  EXPECT_FALSE(parse_http_url("ftp://x:1"));
  EXPECT_FALSE(parse_http_url("http://x:0"));
  EXPECT_FALSE(parse_http_url("http://x:99999"));
  EXPECT_FALSE(parse_http_url("http://x:80/path"));
  auto q = parse_mqtt_url("mqtt://localhost");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->port, 1883);
  EXPECT_EQ(parse_mqtt_url("mqtt://h:1884")->port, 1884);
  EXPECT_FALSE(parse_mqtt_url("tcp://h:1"));
  EXPECT_FALSE(parse_mqtt_url("mqtt://:1883"));
}

TEST(MqttPublisher, UnreachableBrokerIsAnError) {
  MqttTarget t;
  t.port = 1;  // nothing listens on port 1
  auto p = make_mqtt_publisher(t);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kUnavailable);
}

}  // namespace
}  // namespace cocity::sim

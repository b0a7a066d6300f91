// The temporal API over loopback against a real `cocity serve`: each timerel,
// lastN, the representations, each aggregation method (checked against
// values computed here), instance edits and bad input.
#include <cmath>
#include <map>
#include <set>

#include "core/time.h"
#include "e2e_util.h"

namespace cocity::test {
namespace {

constexpr std::string_view kTemporal = "/ngsi-ld/v1/temporal/entities";
const std::string kId = "urn:ngsi-ld:AirQualityObserved:T-1";
const std::string kUrl = std::string(kTemporal) + "/" + kId;
constexpr int kCount = 96;                      // one day of 15-minute values
constexpr int64_t kT0 = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr int64_t kStep = 900'000'000;

double value_at(int i) {
  return std::round((40 + 15 * std::sin(i / 7.0)) * 10) / 10;
}
std::string time_at(int i) {
  return format_iso_time(from_micros(kT0 + i * kStep));
}

std::string temporal_entity() {
  json::array no2;
  for (int i = 0; i < kCount; ++i) {
    no2.push_back(json::object{{"type", "Property"},
                               {"value", value_at(i)},
                               {"observedAt", time_at(i)}});
  }
  json::array status;
  for (int i = 0; i < kCount; i += 24) {
    status.push_back(json::object{{"type", "Property"},
                                  {"value", i % 48 == 0 ? "ok" : "degraded"},
                                  {"observedAt", time_at(i)}});
  }
  json::object e{{"id", kId}, {"type", "AirQualityObserved"}};
  e["no2"] = std::move(no2);
  e["status"] = std::move(status);
  return to_json(e);
}

class TemporalTest : public OpenServerTest {
 protected:
  void SetUp() override {
    OpenServerTest::SetUp();
    auto r = post(kTemporal, temporal_entity());
    ASSERT_EQ(r.status, 201u) << r.body;
  }
  // The no2 instances of a normalized temporal read.
  json::array no2(const std::string& params) {
    auto v = get_json(kUrl + "?attrs=no2" + params);
    auto* a = v.as_object().if_contains("no2");
    if (!a) return {};
    return a->is_array() ? a->as_array() : json::array{*a};
  }
  void expect_range(const json::array& got, int first, int end) {
    ASSERT_EQ(got.size(), static_cast<size_t>(end - first));
    for (int i = first; i < end; ++i) {
      EXPECT_EQ(got[i - first].at("value").to_number<double>(), value_at(i));
      EXPECT_EQ(got[i - first].at("observedAt").as_string(), time_at(i));
    }
  }
};

TEST_F(TemporalTest, CreateMakesTheLatestStateAndTheHistory) {
  auto current = get_json("/ngsi-ld/v1/entities/" + kId);
  EXPECT_EQ(current.at("no2").at("value").to_number<double>(),
            value_at(kCount - 1));
  auto all = no2("");
  expect_range(all, 0, kCount);
  std::set<std::string> ids;
  for (const auto& inst : all)
    ids.insert(std::string(inst.at("instanceId").as_string()));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kCount));
  auto v = get_json(kUrl);
  EXPECT_EQ(v.at("type"), "AirQualityObserved");
  EXPECT_EQ(v.at("status").as_array().size(), 4u);
}

TEST_F(TemporalTest, EachTimerel) {
  expect_range(no2("&timerel=before&timeAt=" + time_at(10)), 0, 10);
  expect_range(no2("&timerel=after&timeAt=" + time_at(90)), 91, kCount);
  expect_range(no2("&timerel=between&timeAt=" + time_at(20) +
                   "&endTimeAt=" + time_at(30)),
               20, 30);
  expect_range(no2("&lastN=5"), kCount - 5, kCount);
  expect_range(no2("&timerel=before&timeAt=" + time_at(50) + "&lastN=3"), 47,
               50);
  // modifiedAt: every instance was recorded now, so all are "before" now+1h.
  auto later = format_iso_time(
      std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now()) +
      std::chrono::hours(1));
  EXPECT_EQ(
      no2("&timeproperty=modifiedAt&timerel=before&timeAt=" + later).size(),
      static_cast<size_t>(kCount));
  EXPECT_TRUE(
      no2("&timeproperty=modifiedAt&timerel=after&timeAt=" + later).empty());
}

TEST_F(TemporalTest, TemporalValues) {
  auto v = get_json(kUrl + "?options=temporalValues&attrs=no2,status");
  const auto& values = v.at("no2").at("values").as_array();
  ASSERT_EQ(values.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(values[i].at(0).to_number<double>(), value_at(i));
    EXPECT_EQ(values[i].at(1).as_string(), time_at(i));
  }
  EXPECT_EQ(v.at("no2").at("type"), "Property");
  EXPECT_EQ(v.at("status").at("values").at(1).at(0), "degraded");
}

// The expected figure of `method` over values [first, end).
double expected(const std::string& method, int first, int end) {
  double sum = 0, sumsq = 0, mn = 1e300, mx = -1e300;
  std::set<double> distinct;
  for (int i = first; i < end; ++i) {
    double x = value_at(i);
    sum += x;
    sumsq += x * x;
    mn = std::min(mn, x);
    mx = std::max(mx, x);
    distinct.insert(x);
  }
  double n = end - first;
  if (method == "totalCount") return n;
  if (method == "distinctCount") return distinct.size();
  if (method == "sum") return sum;
  if (method == "avg") return sum / n;
  if (method == "min") return mn;
  if (method == "max") return mx;
  if (method == "sumsq") return sumsq;
  double mean = sum / n, var = 0;
  for (int i = first; i < end; ++i)
    var += (value_at(i) - mean) * (value_at(i) - mean);
  return std::sqrt(var / n);  // stddev: population
}

TEST_F(TemporalTest, EachAggregationHourly) {
  const std::vector<std::string> methods = {
      "totalCount", "distinctCount", "sum",    "avg",
      "min",        "max",           "stddev", "sumsq"};
  auto v =
      get_json(kUrl +
               "?options=aggregatedValues&attrs=no2&aggrPeriodDuration=PT1H"
               "&aggrMethods=totalCount,distinctCount,sum,avg,min,max,"
               "stddev,sumsq");
  for (const auto& m : methods) {
    const auto& periods = v.at("no2").at(m).as_array();
    ASSERT_EQ(periods.size(), 24u) << m;
    for (int h = 0; h < 24; ++h) {
      EXPECT_NEAR(periods[h].at(0).to_number<double>(),
                  expected(m, h * 4, h * 4 + 4), 1e-9)
          << m << " hour " << h;
      EXPECT_EQ(periods[h].at(1).as_string(), time_at(h * 4));
      EXPECT_EQ(periods[h].at(2).as_string(), time_at(h * 4 + 4));
    }
  }
  // Whole range, within a window; periods start at timeAt.
  v = get_json(kUrl +
               "?options=aggregatedValues&attrs=no2&aggrMethods=avg,max"
               "&timerel=between&timeAt=" +
               time_at(10) + "&endTimeAt=" + time_at(70));
  EXPECT_NEAR(v.at("no2").at("avg").at(0).at(0).to_number<double>(),
              expected("avg", 10, 70), 1e-9);
  EXPECT_EQ(v.at("no2").at("max").at(0).at(0).to_number<double>(),
            expected("max", 10, 70));
  v = get_json(kUrl +
               "?format=aggregatedValues&attrs=no2&aggrMethods=sum"
               "&aggrPeriodDuration=P1D&timerel=after&timeAt=" +
               time_at(0));
  EXPECT_NEAR(v.at("no2").at("sum").at(0).at(0).to_number<double>(),
              expected("sum", 1, kCount), 1e-9);
  v = get_json(kUrl +
               "?options=aggregatedValues&attrs=status"
               "&aggrMethods=totalCount,distinctCount,avg");
  EXPECT_EQ(v.at("status").at("totalCount").at(0).at(0).to_number<double>(), 4);
  EXPECT_EQ(v.at("status").at("distinctCount").at(0).at(0).to_number<double>(),
            2);
  EXPECT_TRUE(v.at("status").at("avg").as_array().empty());
}

TEST_F(TemporalTest, BadParametersAre400NamingThem) {
  struct Case {
    std::string params;
    std::string names;
  } cases[] = {
      {"?timerel=during&timeAt=" + time_at(1), "timerel"},
      {"?timerel=before", "timeAt"},
      {"?timerel=before&timeAt=yesterday", "timeAt"},
      {"?timerel=between&timeAt=" + time_at(5), "endTimeAt"},
      {"?timerel=between&timeAt=" + time_at(5) + "&endTimeAt=" + time_at(1),
       "endTimeAt"},
      {"?timeproperty=sometime", "timeproperty"},
      {"?lastN=-1", "lastN"},
      {"?options=aggregatedValues", "aggrMethods"},
      {"?options=aggregatedValues&aggrMethods=median", "median"},
      {"?options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=P1M",
       "aggrPeriodDuration"},
      {"?options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=1H",
       "aggrPeriodDuration"},
  };
  for (const auto& c : cases) {
    auto r = get(kUrl + c.params);
    EXPECT_EQ(r.status, 400u) << c.params << ": " << r.body;
    EXPECT_EQ(problem_type(r), "BadRequestData") << c.params;
    EXPECT_NE(problem_detail(r).find(c.names), std::string::npos)
        << c.params << ": " << problem_detail(r);
  }
  EXPECT_EQ(get(std::string(kTemporal) + "/urn:ngsi-ld:X:none").status, 404u);
  EXPECT_EQ(get(std::string(kTemporal)).status, 400u);
  EXPECT_EQ(get(kUrl + "?attrs=nothere").status, 404u);
  EXPECT_EQ(get(kUrl + "?pick=nothere").status, 404u);
  // Writes name an id that is no URI, rather than not finding it.
  auto r = del(std::string(kTemporal) + "/invalidId");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(problem_type(r), "BadRequestData");
}

TEST_F(TemporalTest, AppendQueryAndEditInstances) {
  auto r = post(kUrl + "/attrs",
                R"({"no2": [{"type": "Property", "value": 99.5,
                   "observedAt": ")" +
                    time_at(kCount) + R"("}]})");
  ASSERT_EQ(r.status, 204u) << r.body;
  auto all = no2("");
  ASSERT_EQ(all.size(), static_cast<size_t>(kCount + 1));
  EXPECT_EQ(all.back().at("value").to_number<double>(), 99.5);

  auto q = get_json(std::string(kTemporal) +
                    "?type=AirQualityObserved&attrs=no2&lastN=2");
  ASSERT_EQ(q.as_array().size(), 1u);
  EXPECT_EQ(q.at(0).at("no2").as_array().size(), 2u);

  std::string id3(all[3].at("instanceId").as_string());
  r = client_->request("PATCH", kUrl + "/attrs/no2/" + id3,
                       R"({"type": "Property", "value": 1.25})", kJson);
  ASSERT_EQ(r.status, 204u) << r.body;
  r = del(kUrl + "/attrs/no2/" +
          std::string(all[4].at("instanceId").as_string()));
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(del(kUrl + "/attrs/no2/urn:ngsi-ld:Instance:1.2").status, 404u);
  all = no2("");
  ASSERT_EQ(all.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(all[3].at("value").to_number<double>(), 1.25);
  EXPECT_EQ(all[3].at("instanceId").as_string(), id3);
  EXPECT_EQ(all[4].at("value").to_number<double>(), value_at(5));

  ASSERT_EQ(del(kUrl + "/attrs/no2").status, 204u);
  EXPECT_EQ(get(kUrl + "?attrs=no2").status, 404u);  // no history of it
  ASSERT_EQ(del(kUrl).status, 204u);
  EXPECT_EQ(get(kUrl).status, 404u);
  EXPECT_EQ(get("/ngsi-ld/v1/entities/" + kId).status, 404u);
}

}  // namespace
}  // namespace cocity::test

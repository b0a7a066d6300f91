#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "vrp/cvrplib_reader.h"
#include "vrp/instance_reader.h"
#include "vrp/json_reader.h"
#include "vrp/solomon_reader.h"

namespace cocity::vrp {
namespace {

constexpr const char* kSolomon =
    "TINY\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  2         10\r\n\r\n"
    "CUSTOMER\r\nCUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE  "
    " "
    "SERVICE   TIME\r\n\r\n"
    "    0      0         0          0          0       100          0\r\n"
    "    1      3         4          5         10        20          2\r\n"
    "    7      6         8          3          0        50          1\r\n";

TEST(SolomonReader, ReadsFleetJobsAndScaledTimes) {
  auto p = parse_solomon(kSolomon, "tiny.txt");
  ASSERT_TRUE(p.has_value()) << p.error().detail;
  EXPECT_EQ(p->name, "TINY");
  ASSERT_EQ(p->jobs.size(), 2u);
  EXPECT_EQ(p->jobs[1].number, 7);
  EXPECT_EQ(p->jobs[0].demand, 5);
  EXPECT_EQ(p->jobs[0].window.open, 10000);
  EXPECT_EQ(p->jobs[0].window.close, 20000);
  EXPECT_EQ(p->jobs[0].service_time, 2000);
  EXPECT_EQ(p->vehicle_types[0].count, 2);
  EXPECT_EQ(p->vehicle_types[0].capacity, 10);
  EXPECT_EQ(p->vehicle_types[0].shift.close, 100000);
  EXPECT_EQ(p->travel->distance(0, 1), 5000);  // 3-4-5 triangle, x1000
  EXPECT_DOUBLE_EQ(p->cost_scale, 1000);
}

TEST(SolomonReader, NamesLineAndFieldOfBadValues) {
  std::string bad = kSolomon;
  bad.replace(bad.find("    5 "), 6, "    x ");
  auto p = parse_solomon(bad, "tiny.txt");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().detail,
            "tiny.txt line 11, field DEMAND: expected a number, got 'x'");
  auto cut = parse_solomon("TINY\nVEHICLE\n", "t.txt");
  ASSERT_FALSE(cut.has_value());
  EXPECT_NE(cut.error().detail.find("VEHICLE"), std::string::npos);
  auto rows = parse_solomon(std::string(kSolomon) + "  8 1 2 3\n", "t.txt");
  ASSERT_FALSE(rows.has_value());
  EXPECT_NE(rows.error().detail.find("expected 7 columns"), std::string::npos);
}

constexpr const char* kCvrp =
    "NAME : \tT-n3\t\r\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\n"
    "CAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 1 1\n"
    "DEMAND_SECTION\n1 0\n2 4\n3 6\nDEPOT_SECTION\n1\n-1\nEOF\n";

TEST(CvrplibReader, ReadsTsplibFile) {
  auto p = parse_cvrplib(kCvrp, "t.vrp");
  ASSERT_TRUE(p.has_value()) << p.error().detail;
  EXPECT_EQ(p->name, "T-n3");
  ASSERT_EQ(p->jobs.size(), 2u);
  EXPECT_EQ(p->jobs[0].number, 1);  // node id 2 - 1
  EXPECT_EQ(p->jobs[1].demand, 6);
  EXPECT_EQ(p->vehicle_types[0].count, VehicleType::kUnlimited);
  EXPECT_EQ(p->travel->distance(0, 1), 5);
  EXPECT_EQ(p->travel->distance(0, 2), 1);  // nint(1.414)
}

TEST(CvrplibReader, RejectsBadInput) {
  std::string bad = kCvrp;
  bad.replace(bad.find("2 3 4"), 5, "9 3 4");
  auto p = parse_cvrplib(bad, "t.vrp");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().detail,
            "t.vrp line 8, field node id: must be an integer in 1..3");
  std::string geo = kCvrp;
  geo.replace(geo.find("EUC_2D"), 6, "GEO");
  EXPECT_FALSE(parse_cvrplib(geo, "t.vrp").has_value());
  EXPECT_FALSE(parse_cvrplib("", "t.vrp").has_value());
  EXPECT_FALSE(parse_cvrplib("NAME : x\nDIMENSION : 99999999\n"
                             "EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n",
                             "t.vrp")
                   .has_value());
}

constexpr const char* kJson = R"({
  "name": "town",
  "locations": [{"x": 0, "y": 0}, {"x": 300, "y": 400}, {"x": 0, "y": 100}],
  "speed_mps": 5,
  "jobs": [
    {"id": 11, "location": 1, "demand": 2, "service_s": 60,
     "time_window": [0, 3600]},
    {"id": 12, "location": 2, "demand": 1, "prize": 40}
  ],
  "vehicle_types": [{"id": "truck", "count": 2, "capacity": 5, "start": 0,
                     "shift": [0, 28800], "cost_per_m": 1, "fixed_cost": 100}],
  "disposal_sites": [{"location": 2, "unload_s": 300}]
})";

TEST(JsonReader, ReadsAllSections) {
  auto p = parse_problem_json(kJson);
  ASSERT_TRUE(p.has_value()) << p.error().detail;
  EXPECT_EQ(p->name, "town");
  EXPECT_EQ(p->travel->distance(0, 1), 500);
  EXPECT_EQ(p->travel->duration(0, 1), 100);
  ASSERT_EQ(p->jobs.size(), 2u);
  EXPECT_TRUE(p->jobs[0].mandatory);
  EXPECT_FALSE(p->jobs[1].mandatory);
  EXPECT_DOUBLE_EQ(p->jobs[1].prize, 40);
  EXPECT_EQ(p->vehicle_types[0].end_location, 0);
  EXPECT_DOUBLE_EQ(p->vehicle_types[0].fixed_cost, 100);
  ASSERT_EQ(p->disposal_sites.size(), 1u);
  EXPECT_EQ(p->disposal_sites[0].unload_time, 300);
}

TEST(JsonReader, ReadsExplicitMatrix) {
  auto p = parse_problem_json(R"({"matrix": {"distance_m": [[0, 7], [8, 0]],
      "duration_s": [[0, 3], [4, 0]]}, "jobs": [{"id": 1, "location": 1}],
      "vehicle_types": [{}]})");
  ASSERT_TRUE(p.has_value()) << p.error().detail;
  EXPECT_EQ(p->travel->distance(1, 0), 8);
  EXPECT_EQ(p->travel->duration(0, 1), 3);
}

TEST(JsonReader, NamesTheBadField) {
  auto expect_error = [](const char* text, const char* needle) {
    auto p = parse_problem_json(text);
    ASSERT_FALSE(p.has_value()) << text;
    EXPECT_NE(p.error().detail.find(needle), std::string::npos)
        << p.error().detail;
  };
  expect_error("{", "invalid JSON");
  expect_error("[]", "expected a JSON object");
  expect_error(R"({"locations": [{"x": 0, "y": 0}], "jobs": [{"location": 0}],
      "vehicle_types": [{}]})",
               "jobs[0].id: is missing");
  expect_error(R"({"locations": [{"x": 0, "y": 0}], "jobs": [{"id": 1,
      "location": 4}], "vehicle_types": [{}]})",
               "jobs[0].location");
  expect_error(R"({"locations": [{"x": 0, "y": 0}], "jobs": [{"id": 1,
      "location": 0, "time_window": [5, 1]}], "vehicle_types": [{}]})",
               "jobs[0].time_window");
  expect_error(R"({"locations": [{"x": 0, "y": 0}], "jobs": [{"id": 1,
      "location": 0, "time_window": [0, 1e300]}], "vehicle_types": [{}]})",
               "jobs[0].time_window");
  expect_error(R"({"locations": [{"x": 0, "y": "a"}], "jobs": [],
      "vehicle_types": [{}]})",
               "locations[0].y: expected a number");
  expect_error(R"({"locations": [], "jobs": [], "vehicle_types": [{"count":
      -1}]})",
               "vehicle_types[0].count");
  expect_error(R"({"matrix": {"distance_m": [[0, 1]], "duration_s": [[0]]},
      "jobs": [], "vehicle_types": [{}]})",
               "matrix");
}

TEST(InstanceReader, DispatchesOnExtensionAndReportsMissingFiles) {
  auto missing = read_problem_file("/nonexistent/x.txt");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Code::kNotFound);
  const char* root = std::getenv("COCITY_SOURCE_DIR");
  if (!root) GTEST_SKIP() << "COCITY_SOURCE_DIR not set";
  const std::string data = std::string(root) + "/../shared/data/vrp";
  if (!std::filesystem::exists(data)) GTEST_SKIP() << "no data at " << data;
  auto c101 = read_problem_file(data + "/solomon/C101.txt");
  ASSERT_TRUE(c101.has_value()) << c101.error().detail;
  EXPECT_EQ(c101->jobs.size(), 100u);
  EXPECT_EQ(c101->vehicle_types[0].count, 25);
  auto x = read_problem_file(data + "/cvrplib_x/X-n101-k25.vrp");
  ASSERT_TRUE(x.has_value()) << x.error().detail;
  EXPECT_EQ(x->jobs.size(), 100u);
  EXPECT_EQ(x->vehicle_types[0].capacity, 206);
}

}  // namespace
}  // namespace cocity::vrp

// Readings not newer than the stored value: duplicates and late ones.
#include "ingest/old_readings.h"

#include <gtest/gtest.h>

#include "ngsi/context.h"

namespace cocity::ingest {
namespace {

const std::string kVocab(ngsi::kDefaultVocab);

TimePoint at(const char* iso) { return *parse_iso_time(iso); }

ngsi::Entity entity(std::string_view text) {
  return *ngsi::parse_entity(*parse_json(text), *ngsi::Context::core(),
                             at("2026-11-26T08:00:00Z"));
}

ngsi::Fragment fragment(std::string_view text) {
  return *ngsi::parse_fragment(*parse_json(text), *ngsi::Context::core(),
                               at("2026-11-26T09:00:00Z"), false);
}

const ngsi::Entity kStored = entity(R"({"id": "urn:s", "type": "T",
    "no2": {"value": 20, "observedAt": "2026-11-26T07:00:00Z",
            "unitCode": "GQ"},
    "pm10": {"value": 5},
    "temp": [{"value": 1, "observedAt": "2026-11-26T07:00:00Z"},
             {"value": 2, "observedAt": "2026-11-26T07:00:00Z",
              "datasetId": "urn:d"}]})");

TEST(OldReadings, NewerReadingsAreMergedWithoutACopy) {
  auto sorted = sort_out_old_readings(
      fragment(R"({"no2": {"value": 21, "observedAt": "2026-11-26T07:15:00Z"},
                   "pm10": {"value": 6}})"),
      &kStored, at("2026-11-26T09:00:00Z"));
  EXPECT_FALSE(sorted.rest);
  EXPECT_TRUE(sorted.late.empty());
  EXPECT_EQ(sorted.duplicates, 0u);
}

TEST(OldReadings, NothingIsOldForANewEntity) {
  auto sorted = sort_out_old_readings(
      fragment(
          R"({"no2": {"value": 20, "observedAt": "2026-11-26T07:00:00Z"}})"),
      nullptr, at("2026-11-26T09:00:00Z"));
  EXPECT_FALSE(sorted.rest);
  EXPECT_TRUE(sorted.late.empty());
}

TEST(OldReadings, TheSameReadingAgainIsADuplicate) {
  // Written with another time zone: the same instant.
  auto sorted = sort_out_old_readings(fragment(R"({"no2": {"value": 20,
                           "observedAt": "2026-11-26T08:00:00+01:00"},
                   "pm10": {"value": 6}})"),
                                      &kStored, at("2026-11-26T09:00:00Z"));
  EXPECT_EQ(sorted.duplicates, 1u);
  ASSERT_TRUE(sorted.rest);
  EXPECT_FALSE(sorted.rest->attrs.contains(kVocab + "no2"));
  EXPECT_TRUE(sorted.rest->attrs.contains(kVocab + "pm10"));
}

TEST(OldReadings, ACorrectionAtTheSameTimeIsMerged) {
  auto sorted = sort_out_old_readings(
      fragment(
          R"({"no2": {"value": 19, "observedAt": "2026-11-26T07:00:00Z"}})"),
      &kStored, at("2026-11-26T09:00:00Z"));
  EXPECT_FALSE(sorted.rest);
  EXPECT_EQ(sorted.duplicates, 0u);
}

TEST(OldReadings, AnEarlierReadingGoesToHistoryOnly) {
  auto sorted = sort_out_old_readings(
      fragment(
          R"({"no2": {"value": 17, "observedAt": "2026-11-26T06:45:00Z"}})"),
      &kStored, at("2026-11-26T09:00:00Z"));
  ASSERT_TRUE(sorted.rest);
  EXPECT_TRUE(sorted.rest->attrs.empty());
  ASSERT_EQ(sorted.late.size(), 1u);
  const auto& h = sorted.late[0];
  EXPECT_EQ(h.attr, kVocab + "no2");
  EXPECT_EQ(h.dataset_id, "");
  EXPECT_EQ(h.observed_at, at("2026-11-26T06:45:00Z"));
  EXPECT_EQ(h.recorded_at, at("2026-11-26T09:00:00Z"));
  EXPECT_EQ(h.instance.at("value").as_int64(), 17);
  EXPECT_TRUE(h.unless_stored);
}

TEST(OldReadings, InstancesAreJudgedPerDatasetId) {
  auto sorted = sort_out_old_readings(fragment(R"({"temp": [
          {"value": 2, "observedAt": "2026-11-26T07:00:00Z",
           "datasetId": "urn:d"},
          {"value": 3, "observedAt": "2026-11-26T07:30:00Z"},
          {"value": 4, "observedAt": "2026-11-26T06:00:00Z",
           "datasetId": "urn:e"}]})"),
                                      &kStored, at("2026-11-26T09:00:00Z"));
  EXPECT_EQ(sorted.duplicates, 1u);  // urn:d
  EXPECT_TRUE(sorted.late.empty());  // urn:e has no stored instance
  ASSERT_TRUE(sorted.rest);
  const auto& kept = sorted.rest->attrs.at(kVocab + "temp").get_array();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].at("value").as_int64(), 3);
  EXPECT_EQ(kept[1].at("datasetId"), "urn:e");
}

TEST(OldReadings, WithoutObservedAtEveryReadingIsNew) {
  // pm10 is stored without observedAt; a second 5 is a new reading.
  auto sorted = sort_out_old_readings(fragment(R"({"pm10": {"value": 5}})"),
                                      &kStored, at("2026-11-26T09:00:00Z"));
  EXPECT_FALSE(sorted.rest);
  EXPECT_EQ(sorted.duplicates, 0u);
}

}  // namespace
}  // namespace cocity::ingest

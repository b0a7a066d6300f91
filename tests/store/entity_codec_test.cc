#include "store/entity_codec.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace cocity::store {
namespace {

using testing::air_entity;

// Equal as JSON text: the same members in the same order, and the same
// kinds of numbers (21 stays an integer, 21.0 a double).
void expect_exact_round_trip(const ngsi::Entity& e) {
  std::string stored = encode_entity(e);
  auto back = decode_entity(stored);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(back->id, e.id);
  EXPECT_EQ(back->types, e.types);
  EXPECT_EQ(back->scope, e.scope);
  EXPECT_EQ(back->created_at, e.created_at);
  EXPECT_EQ(back->modified_at, e.modified_at);
  EXPECT_EQ(to_json(back->attrs), to_json(e.attrs));
  EXPECT_EQ(encode_entity(*back), stored);
}

TEST(EntityCodec, RoundTripIsExact) {
  ngsi::Entity e = air_entity("urn:ngsi-ld:AirQualityObserved:1", 17.25);
  e.scope = {"/Berlin/Mitte"};
  e.types.push_back("https://example.org/Other");
  e.created_at = from_micros(1'700'000'000'123'456);
  expect_exact_round_trip(e);
}

TEST(EntityCodec, KeepsAnyBytesOfStrings) {
  ngsi::Entity e;
  e.id = "urn:x:\"quoted\"\\\n";
  e.types = {"https://example.org/T"};
  auto back = decode_entity(encode_entity(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, e.id);
}

TEST(EntityCodec, CorruptDocumentsAreInternalErrors) {
  for (std::string_view text :
       {"", "[]", "{\"id\":1}", "{\"id\":\"a\",\"types\":[1]}",
        "{\"id\":\"a\",\"types\":[],\"scope\":[],\"attrs\":[]}",
        "{\"id\":\"a\",\"types\":[],\"scope\":[],\"attrs\":{},"
        "\"createdAt\":\"x\",\"modifiedAt\":1}"}) {
    auto r = decode_entity(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Code::kInternal);
    EXPECT_NE(r.error().detail.find("corrupt"), std::string::npos);
  }
}

// What sensors write: Properties with a number, their times as the API
// writes them, and some of unitCode, datasetId, observedAt in any order.
json::object plain(json::value value, std::vector<std::string> order) {
  json::object o;
  o["type"] = "Property";
  for (const auto& m : order) {
    if (m == "value") o["value"] = value;
    if (m == "observedAt") o["observedAt"] = "2026-11-26T14:44:44.795Z";
    if (m == "unitCode") o["unitCode"] = "GQ";
    if (m == "datasetId") o["datasetId"] = "urn:ngsi-ld:Dataset:raw";
  }
  o["createdAt"] = "2026-11-26T14:44:44.830Z";
  o["modifiedAt"] = "2026-11-26T14:45:00.001Z";
  return o;
}

TEST(EntityCodec, PlainPropertiesKeepTheirMembersOrderAndNumberKinds) {
  ngsi::Entity e;
  e.id = "urn:ngsi-ld:AirQualityObserved:1";
  e.types = {
      "https://smartdatamodels.org/dataModel.Environment/"
      "AirQualityObserved"};
  e.created_at = from_micros(1'795'704'284'803'563);
  e.modified_at = from_micros(1'795'704'300'000'001);
  e.attrs["https://example.org/a"] =
      json::array{plain(21.0, {"value", "observedAt"})};
  e.attrs["https://example.org/b"] =
      json::array{plain(21, {"unitCode", "value"}),
                  plain(-7, {"datasetId", "observedAt", "unitCode", "value"})};
  e.attrs["https://example.org/c"] =
      json::array{plain(0.1 + 0.2, {"value", "datasetId"})};
  e.attrs["https://example.org/d"] =
      json::array{plain(int64_t{1} << 60, {"value"})};
  expect_exact_round_trip(e);
  // The plain form is what makes the record small: under half the text.
  EXPECT_LT(encode_entity(e).size() * 2, to_json(e.attrs).size());
}

TEST(EntityCodec, OtherInstancesAreKeptAsJson) {
  ngsi::Entity e = air_entity("urn:ngsi-ld:AirQualityObserved:1", 17.25);
  // Not plain: a string value, a sub-attribute, a time not as the API
  // writes it, an unknown member, a Relationship, the system times missing.
  json::object text = plain(1, {"value"});
  text["value"] = "high";
  json::object sub = plain(1, {"value"});
  sub["https://example.org/accuracy"] =
      json::object{{"type", "Property"}, {"value", 0.5}};
  json::object offset = plain(1, {"value", "observedAt"});
  offset["observedAt"] = "2026-11-26T15:44:44.795+01:00";
  json::object unknown = plain(1, {"value"});
  unknown["lang"] = "de";
  json::object no_times{{"type", "Property"}, {"value", 3}};
  json::object rel{{"type", "Relationship"},
                   {"object", "urn:ngsi-ld:Station:1"},
                   {"createdAt", "2026-11-26T14:44:44.830Z"},
                   {"modifiedAt", "2026-11-26T14:44:44.830Z"}};
  e.attrs["https://example.org/x"] =
      json::array{text, sub, offset, unknown, no_times, rel};
  expect_exact_round_trip(e);
}

TEST(EntityCodec, ReadsTheJsonTextFormWrittenBefore) {
  std::string text =
      R"({"id":"urn:x:1","types":["https://example.org/T"],"scope":["/a"],)"
      R"("attrs":{"https://example.org/p":[{"type":"Property","value":2.5,)"
      R"("createdAt":"2026-11-26T14:44:44.830Z",)"
      R"("modifiedAt":"2026-11-26T14:44:44.830Z"}]},)"
      R"("createdAt":1795704284830000,"modifiedAt":1795704284830001})";
  size_t text_size = 0;
  auto e = decode_entity(text, &text_size);
  ASSERT_TRUE(e) << e.error().detail;
  EXPECT_EQ(e->id, "urn:x:1");
  EXPECT_EQ(e->scope, std::vector<std::string>{"/a"});
  EXPECT_EQ(e->modified_at, from_micros(1795704284830001));
  EXPECT_EQ(text_size, text.size());
  // Written again, it takes the binary form and reads back the same.
  std::string stored = encode_entity(*e);
  EXPECT_EQ(stored[0], '\x01');
  auto back = decode_entity(stored);
  ASSERT_TRUE(back);
  EXPECT_EQ(to_json(back->attrs), to_json(e->attrs));
}

TEST(EntityCodec, TheTextSizeEstimateIsCloseToTheText) {
  ngsi::Entity e = air_entity("urn:ngsi-ld:AirQualityObserved:1", 17.25);
  e.attrs["https://example.org/a"] =
      json::array{plain(21.0, {"value", "observedAt", "unitCode"})};
  e.attrs["https://example.org/b"] =
      json::array{plain(3, {"value", "datasetId"})};
  std::string stored;
  size_t estimate = encode_entity(e, &stored);
  size_t text = to_json(e.attrs).size() + e.id.size() + 80;
  EXPECT_GT(estimate, text * 8 / 10);
  EXPECT_LT(estimate, text * 12 / 10);
  size_t decoded_estimate = 0;
  ASSERT_TRUE(decode_entity(stored, &decoded_estimate));
  EXPECT_EQ(decoded_estimate, estimate);
}

TEST(EntityCodec, DamagedBinaryRecordsAreInternalErrors) {
  ngsi::Entity e = air_entity("urn:ngsi-ld:AirQualityObserved:1", 17.25);
  e.scope = {"/Berlin"};
  e.attrs["https://example.org/a"] =
      json::array{plain(21.0, {"value", "observedAt", "unitCode"})};
  std::string stored = encode_entity(e);
  // Every truncation, and every byte flipped, is an error or (when the
  // damage happens to leave a valid record) an entity: never a crash.
  for (size_t n = 1; n < stored.size(); ++n) {
    auto r = decode_entity(std::string_view(stored).substr(0, n));
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code, Code::kInternal);
  }
  for (size_t i = 1; i < stored.size(); ++i) {
    for (unsigned char bits : {0x01, 0x80, 0xff}) {
      std::string damaged = stored;
      damaged[i] = static_cast<char>(damaged[i] ^ bits);
      auto r = decode_entity(damaged);
      if (!r) {
        EXPECT_EQ(r.error().code, Code::kInternal);
      }
    }
  }
  auto trailing = decode_entity(stored + "x");
  ASSERT_FALSE(trailing);
  EXPECT_NE(trailing.error().detail.find("corrupt"), std::string::npos);
}

}  // namespace
}  // namespace cocity::store

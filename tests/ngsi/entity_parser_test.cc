#include "ngsi/entity_parser.h"

#include <gtest/gtest.h>

#include <boost/json/monotonic_resource.hpp>

namespace cocity::ngsi {
namespace {

const TimePoint kNow = *parse_iso_time("2026-11-25T10:00:00Z");
const std::string kVocab(kDefaultVocab);

Result<Entity> parse(std::string_view text) {
  auto v = parse_json(text);
  EXPECT_TRUE(v) << text;
  return parse_entity(*v, *Context::core(), kNow);
}

std::string detail(std::string_view text) {
  auto e = parse(text);
  EXPECT_FALSE(e) << text;
  return e ? "" : e.error().detail;
}

TEST(EntityParserTest, NormalizedEntityIsExpandedAndStamped) {
  auto e = parse(R"({
    "id": "urn:ngsi-ld:AirQualityObserved:KL-1", "type": "AirQualityObserved",
    "no2": {"type": "Property", "value": 41.5, "unitCode": "GQ",
            "observedAt": "2026-11-25T09:00:00+01:00",
            "quality": {"type": "Property", "value": "validated"}},
    "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [7.76, 49.44]}},
    "refDevice": {"type": "Relationship", "object": "urn:ngsi-ld:Device:1"}})");
  ASSERT_TRUE(e) << e.error().detail;
  EXPECT_EQ(e->id, "urn:ngsi-ld:AirQualityObserved:KL-1");
  ASSERT_EQ(e->types.size(), 1u);
  EXPECT_EQ(e->types[0], kVocab + "AirQualityObserved");
  const auto& no2 = e->attrs.at(kVocab + "no2").get_array();
  ASSERT_EQ(no2.size(), 1u);
  const auto& inst = no2[0].get_object();
  EXPECT_EQ(inst.at("type"), "Property");
  EXPECT_EQ(inst.at("value").as_double(), 41.5);
  EXPECT_EQ(inst.at("observedAt"), "2026-11-25T08:00:00.000Z");
  EXPECT_EQ(inst.at("createdAt"), "2026-11-25T10:00:00.000Z");
  EXPECT_TRUE(inst.contains(kVocab + "quality"));
  EXPECT_TRUE(e->attrs.contains(std::string(kLocationIri)));
  EXPECT_EQ(e->attrs.at(kVocab + "refDevice")
                .get_array()[0]
                .get_object()
                .at("object"),
            "urn:ngsi-ld:Device:1");
}

TEST(EntityParserTest, ConciseFormIsInferred) {
  auto e = parse(R"({
    "id": "urn:ngsi-ld:WasteContainer:1", "type": ["WasteContainer", "Asset"],
    "fillingLevel": 0.8, "status": {"value": "ok", "observedAt": "2026-11-25T09:00:00Z"},
    "owner": {"object": "urn:ngsi-ld:Org:KL"},
    "location": {"type": "Point", "coordinates": [7.7, 49.4]},
    "name": {"languageMap": {"de": "Behälter", "en": "Container"}},
    "category": {"vocab": "residual"},
    "readings": {"valueList": [1, 2, 3]},
    "address": {"streetAddress": "Marktstr. 1"}})");
  ASSERT_TRUE(e) << e.error().detail;
  EXPECT_EQ(e->types.size(), 2u);
  auto kind = [&](const std::string& iri) {
    return std::string(
        e->attrs.at(iri).get_array()[0].get_object().at("type").get_string());
  };
  EXPECT_EQ(kind(kVocab + "fillingLevel"), "Property");
  EXPECT_EQ(kind(kVocab + "status"), "Property");
  EXPECT_EQ(kind(kVocab + "owner"), "Relationship");
  EXPECT_EQ(kind(std::string(kLocationIri)), "GeoProperty");
  // "name" is no core term (since v1.3): it falls to @vocab.
  EXPECT_EQ(kind(kVocab + "name"), "LanguageProperty");
  EXPECT_EQ(kind(kVocab + "category"), "VocabProperty");
  EXPECT_EQ(kind(kVocab + "readings"), "ListProperty");
  EXPECT_EQ(kind(kVocab + "address"), "Property");
  // Vocab values are expanded.
  EXPECT_EQ(std::string(e->attrs.at(kVocab + "category")
                            .get_array()[0]
                            .get_object()
                            .at("vocab")
                            .as_string()),
            kVocab + "residual");
}

TEST(EntityParserTest, MultiAttributeByDatasetId) {
  auto e = parse(R"({"id": "urn:x:1", "type": "T", "speed": [
      {"type": "Property", "value": 10},
      {"type": "Property", "value": 11, "datasetId": "urn:ds:radar"}]})");
  ASSERT_TRUE(e) << e.error().detail;
  EXPECT_EQ(e->attrs.at(kVocab + "speed").get_array().size(), 2u);
  EXPECT_NE(detail(R"({"id": "urn:x:1", "type": "T", "speed": [
      {"type": "Property", "value": 10}, {"type": "Property", "value": 11}]})")
                .find("more than one instance without a datasetId"),
            std::string::npos);
  EXPECT_NE(detail(R"({"id": "urn:x:1", "type": "T", "speed": [
      {"type": "Property", "value": 1, "datasetId": "urn:d:1"},
      {"type": "Property", "value": 2, "datasetId": "urn:d:1"}]})")
                .find("used twice"),
            std::string::npos);
}

TEST(EntityParserTest, BadEntitiesNameTheProblem) {
  EXPECT_NE(detail(R"({"type": "T"})").find("'id' is missing"),
            std::string::npos);
  EXPECT_NE(detail(R"({"id": "urn:x:1"})").find("'type' is missing"),
            std::string::npos);
  EXPECT_NE(detail(R"({"id": "not a uri", "type": "T"})").find("entity 'id'"),
            std::string::npos);
  EXPECT_NE(detail(R"({"id": "urn:x:1", "type": 5})").find("entity 'type'"),
            std::string::npos);
  EXPECT_NE(
      detail(R"({"id": "urn:x:1", "type": "T", "speed": {"type": "Property"}})")
          .find("attribute 'speed': 'value' is missing"),
      std::string::npos);
  EXPECT_NE(
      detail(
          R"({"id": "urn:x:1", "type": "T", "speed": {"type": "Thing", "value": 1}})")
          .find("'type' must be one of"),
      std::string::npos);
  EXPECT_NE(
      detail(
          R"({"id": "urn:x:1", "type": "T", "r": {"type": "Relationship", "object": "nope"}})")
          .find("attribute 'r' 'object'"),
      std::string::npos);
  EXPECT_NE(
      detail(
          R"({"id": "urn:x:1", "type": "T", "location": {"type": "Property", "value": 1}})")
          .find("must be a GeoProperty"),
      std::string::npos);
  EXPECT_NE(
      detail(
          R"({"id": "urn:x:1", "type": "T", "s": {"type": "Property", "value": 1, "observedAt": "noon"}})")
          .find("'observedAt'"),
      std::string::npos);
  EXPECT_NE(detail(R"({"id": "urn:x:1", "type": "T", "bad name": 1})")
                .find("forbidden character"),
            std::string::npos);
  EXPECT_NE(detail(R"({"id": "urn:x:1", "type": "T", "s": null})").find("null"),
            std::string::npos);
  EXPECT_NE(detail(R"([1])").find("JSON object"), std::string::npos);
  EXPECT_NE(
      detail(
          R"({"id": "urn:x:1", "type": "T", "p": {"type": "Property", "value": 1, "object": "urn:a:b"}})")
          .find("does not belong"),
      std::string::npos);
}

TEST(EntityParserTest, FragmentCollectsNullsAsDeletions) {
  auto v =
      parse_json(R"({"speed": null, "status": "urn:ngsi-ld:null", "temp": 3})");
  auto f = parse_fragment(*v, *Context::core(), kNow, true);
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(f->deleted.size(), 2u);
  EXPECT_EQ(f->attrs.size(), 1u);
  EXPECT_FALSE(parse_fragment(*v, *Context::core(), kNow, false));
}

}  // namespace
}  // namespace cocity::ngsi

namespace cocity::ngsi {
namespace {

// Found by fuzz_entity_parser: a sub-attribute inserted into the instance
// moved the storage the attribute's kind was read from.
TEST(EntityParserRegressionTest, ManySubAttributesKeepTheKind) {
  std::string doc =
      R"({"id": "urn:x:1", "type": "T", "p": {"type": "Property", "value": 1)";
  for (int i = 0; i < 40; ++i) doc += ", \"s" + std::to_string(i) + "\": 1";
  doc += "}}";
  auto e = parse(doc);
  ASSERT_TRUE(e) << e.error().detail;
  const auto& inst = e->attrs.at(kVocab + "p").get_array()[0].get_object();
  EXPECT_EQ(inst.at("type"), "Property");
  EXPECT_EQ(inst.size(), 2u + 2u + 40u);  // type, value, createdAt, modifiedAt
}

}  // namespace
}  // namespace cocity::ngsi

namespace cocity::ngsi {
namespace {

// True when `v` and everything in it is allocated from the default (heap)
// storage.
bool on_heap(const json::value& v) {
  if (v.storage().get() != json::storage_ptr().get()) return false;
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      if (!on_heap(kv.value())) return false;
    }
  } else if (const auto* a = v.if_array()) {
    for (const auto& e : *a) {
      if (!on_heap(e)) return false;
    }
  }
  return true;
}

// The batch API parses a request into an arena freed with the request:
// nothing the parsed entity keeps may point into it.
TEST(EntityParserTest, ParsedEntityOwnsNothingOfTheDocument) {
  const char* text = R"({
    "id": "urn:ngsi-ld:Thing:1", "type": ["Thing", "Other"], "scope": "/a/b",
    "p": {"type": "Property", "value": {"nested": ["x", {"deep": "yyyyyyyyyyyyyyyyyyyy"}]},
          "unitCode": "GQ", "observedAt": "2026-11-25T09:00:00Z",
          "sub": {"type": "Property", "value": "a sub-attribute value string"}},
    "concise": "a concise string value, long enough to be allocated",
    "conciseObject": {"a": "b", "c": [1, 2, 3]},
    "multi": [{"type": "Property", "value": "one", "datasetId": "urn:ds:1"},
              {"type": "Property", "value": "two", "datasetId": "urn:ds:2"}],
    "lang": {"type": "LanguageProperty", "languageMap": {"de": "Straße", "en": "street"}},
    "vocab": {"type": "VocabProperty", "vocab": ["alpha", "beta"]},
    "list": {"type": "ListProperty", "valueList": ["one long list entry", {"k": "v"}]},
    "rels": {"type": "ListRelationship", "objectList": [{"object": "urn:ngsi-ld:X:1"}]},
    "rel": {"type": "Relationship", "object": "urn:ngsi-ld:Device:1"},
    "location": {"type": "GeoProperty",
                 "value": {"type": "Polygon", "coordinates": [[[7, 49], [8, 49], [8, 50], [7, 49]]]}}})";
  for (bool fragment : {false, true}) {
    auto doc = parse_json(
        text, {}, json::make_shared_resource<json::monotonic_resource>());
    ASSERT_TRUE(doc);
    ASSERT_NE(doc->storage().get(), json::storage_ptr().get());
    // Checked where the parser left them: a move out of them could copy.
    auto check = [](const json::object& attrs) {
      EXPECT_EQ(attrs.storage().get(), json::storage_ptr().get());
      EXPECT_EQ(attrs.size(), 10u);
      for (const auto& kv : attrs) {
        EXPECT_TRUE(on_heap(kv.value())) << kv.key();
      }
    };
    if (fragment) {
      auto f = parse_fragment(std::move(*doc), *Context::core(), kNow, true);
      ASSERT_TRUE(f) << f.error().detail;
      check(f->attrs);
    } else {
      auto e = parse_entity(std::move(*doc), *Context::core(), kNow);
      ASSERT_TRUE(e) << e.error().detail;
      check(e->attrs);
    }
  }
}

}  // namespace
}  // namespace cocity::ngsi

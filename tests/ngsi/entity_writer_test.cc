#include "ngsi/entity_writer.h"

#include <gtest/gtest.h>

#include "ngsi/entity_parser.h"

namespace cocity::ngsi {
namespace {

Entity sample() {
  auto v = parse_json(R"({
    "id": "urn:ngsi-ld:WasteContainer:1", "type": "WasteContainer",
    "fillingLevel": {"type": "Property", "value": 0.8, "unitCode": "C62"},
    "status": {"type": "Property", "value": "ok"},
    "owner": {"type": "Relationship", "object": "urn:ngsi-ld:Org:KL"},
    "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [7.7, 49.4]}},
    "name": {"type": "LanguageProperty", "languageMap": {"de": "Behälter", "en": "Bin"}}})");
  return *parse_entity(*v, *Context::core(),
                       *parse_iso_time("2026-11-25T10:00:00Z"));
}

TEST(EntityWriterTest, NormalizedRoundTrip) {
  auto out = render_entity(sample(), {}, *Context::core());
  EXPECT_EQ(out.at("type"), "WasteContainer");
  EXPECT_EQ(to_json(out.at("fillingLevel")),
            R"({"type":"Property","value":0.8,"unitCode":"C62"})");
  EXPECT_EQ(to_json(out.at("owner")),
            R"({"type":"Relationship","object":"urn:ngsi-ld:Org:KL"})");
  EXPECT_FALSE(out.contains("createdAt"));
}

TEST(EntityWriterTest, KeyValuesConciseAndSysAttrs) {
  RenderOptions kv;
  kv.format = Format::kKeyValues;
  auto out = render_entity(sample(), kv, *Context::core());
  EXPECT_EQ(out.at("fillingLevel").as_double(), 0.8);
  EXPECT_EQ(out.at("owner"), "urn:ngsi-ld:Org:KL");
  EXPECT_EQ(out.at("location").at("type"), "Point");

  RenderOptions concise;
  concise.format = Format::kConcise;
  out = render_entity(sample(), concise, *Context::core());
  EXPECT_EQ(out.at("status"), "ok");
  EXPECT_EQ(to_json(out.at("fillingLevel")),
            R"({"value":0.8,"unitCode":"C62"})");
  EXPECT_EQ(to_json(out.at("owner")), R"({"object":"urn:ngsi-ld:Org:KL"})");

  RenderOptions sys;
  sys.sys_attrs = true;
  out = render_entity(sample(), sys, *Context::core());
  EXPECT_EQ(out.at("createdAt"), "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(out.at("status").at("modifiedAt"), "2026-11-25T10:00:00.000Z");
}

TEST(EntityWriterTest, AttrsPickOmitAndLang) {
  RenderOptions opt;
  opt.only =
      std::unordered_set<std::string>{std::string(kDefaultVocab) + "status"};
  auto out = render_entity(sample(), opt, *Context::core());
  EXPECT_EQ(out.size(), 3u);  // id, type, status
  RenderOptions omit;
  omit.omit = {std::string(kDefaultVocab) + "status"};
  omit.with_type = false;
  out = render_entity(sample(), omit, *Context::core());
  EXPECT_FALSE(out.contains("status"));
  EXPECT_FALSE(out.contains("type"));
  RenderOptions lang;
  lang.lang = "en";
  out = render_entity(sample(), lang, *Context::core());
  EXPECT_EQ(to_json(out.at("name")),
            R"({"type":"Property","value":"Bin","lang":"en"})");
}

// 4.15: lang= is a list of weighted ranges, matched by RFC 4647 lookup.
TEST(EntityWriterTest, PicksTheLanguageTheClientPrefers) {
  auto map = parse_json(R"({"fr": "Grand Place", "nl": "Grote Markt",
                             "en-US": "Grand Square"})")
                 ->as_object();
  EXPECT_EQ(pick_language(map, "nl"), "nl");
  EXPECT_EQ(pick_language(map, "NL"), "nl");
  EXPECT_EQ(pick_language(map, "fr-CH,fr"), "fr");
  EXPECT_EQ(pick_language(map, "nl-BE"), "nl");
  EXPECT_EQ(pick_language(map, "en"), "en-US");
  EXPECT_EQ(pick_language(map, "fr;q=0.2,nl;q=0.9"), "nl");
  EXPECT_EQ(pick_language(map, "de, nl;q=0.5"), "nl");
  EXPECT_EQ(pick_language(map, "*"), "fr");
  EXPECT_EQ(pick_language(map, "pt,*;q=0.1"), "fr");
  EXPECT_EQ(pick_language(map, "pt"), "fr");  // no match: the first
  EXPECT_EQ(pick_language(map, "nl;q=0"), "fr");
  auto none = parse_json(R"({"de": "Markt", "@none": "Market"})")->as_object();
  EXPECT_EQ(pick_language(none, "pt"), "@none");
  EXPECT_EQ(pick_language(json::object(), "pt"), "");

  RenderOptions lang;
  lang.lang = "en-GB,en;q=0.8";
  auto out = render_entity(sample(), lang, *Context::core());
  EXPECT_EQ(to_json(out.at("name")),
            R"({"type":"Property","value":"Bin","lang":"en"})");
  lang.lang = "pt";  // the language shown is named
  out = render_entity(sample(), lang, *Context::core());
  EXPECT_EQ(to_json(out.at("name")),
            R"({"type":"Property","value":"Behälter","lang":"de"})");
}

TEST(EntityWriterTest, GeoJsonFeature) {
  auto f = render_feature(sample(), {}, *Context::core(), kLocationIri);
  EXPECT_EQ(f.at("type"), "Feature");
  EXPECT_EQ(f.at("geometry").at("type"), "Point");
  // With several instances, the geometry is the default one's.
  Entity two = sample();
  auto& loc = two.attrs.at(kLocationIri).as_array();
  json::object gps = loc[0].as_object();
  gps["datasetId"] = "urn:ngsi-ld:Dataset:gps";
  gps["value"].as_object()["coordinates"] = json::array{9, 9};
  loc.insert(loc.begin(), std::move(gps));
  f = render_feature(two, {}, *Context::core(), kLocationIri);
  EXPECT_NE(to_json(f.at("geometry")).find("7.7"), std::string::npos)
      << to_json(f.at("geometry"));
  EXPECT_EQ(f.at("properties").at("type"), "WasteContainer");
  EXPECT_FALSE(f.at("properties").as_object().contains("id"));
}

}  // namespace
}  // namespace cocity::ngsi

// evaluate: q semantics against stored entities.
#include "ngsi/query_eval.h"

#include <gtest/gtest.h>

#include "ngsi/entity_parser.h"
#include "ngsi/query_parser.h"

namespace cocity::ngsi {
namespace {

const TimePoint kNow = *parse_iso_time("2026-11-25T10:00:00Z");

class QueryEvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto doc = parse_json(R"({
      "id": "urn:ngsi-ld:AirQualityObserved:KL-1",
      "type": "AirQualityObserved",
      "no2": {"type": "Property", "value": 41.5, "unitCode": "GQ",
              "observedAt": "2026-11-25T09:00:00+01:00",
              "quality": {"type": "Property", "value": "validated",
                          "score": {"type": "Property", "value": 3}}},
      "pm10": [{"type": "Property", "value": 12},
               {"type": "Property", "value": 55, "datasetId": "urn:ds:raw"}],
      "refDevice": {"type": "Relationship", "object": "urn:ngsi-ld:Device:1"},
      "name": {"type": "LanguageProperty",
               "languageMap": {"de": "Kaiserslautern Mitte", "en": "Centre",
                               "fr": ["Centre-ville", "Coeur"]}},
      "status": {"type": "Property", "value": "operational"},
      "colors": {"type": "Property", "value": ["blue", "red"]},
      "active": {"type": "Property", "value": true},
      "levels": {"type": "ListProperty", "valueList": [1, 2, 3]},
      "sensors": {"type": "ListRelationship",
                  "objectList": [{"object": "urn:s:1"}, "urn:s:2"]},
      "category": {"type": "VocabProperty", "vocab": "urban"},
      "opened": {"type": "Property", "value": "2020-05-01"},
      "opensAt": {"type": "Property", "value": "07:30:00Z"},
      "installedAt": {"type": "Property",
                      "value": {"@type": "DateTime",
                                "@value": "2021-03-04T12:00:00Z"}},
      "address": {"type": "Property",
                  "value": {"city": "Kaiserslautern",
                            "geo": {"zip": 67655, "street": "Markt"}}}
    })");
    ASSERT_TRUE(doc);
    auto e = parse_entity(*doc, *Context::core(), kNow);
    ASSERT_TRUE(e) << e.error().detail;
    entity_ = std::move(*e);
  }

  bool q(std::string_view text) {
    auto query = parse_query(text, *Context::core());
    EXPECT_TRUE(query) << text << ": " << (query ? "" : query.error().detail);
    return query && evaluate(*query, entity_);
  }

  Entity entity_;
};

TEST_F(QueryEvalTest, NumberComparisons) {
  EXPECT_TRUE(q("no2==41.5"));
  EXPECT_FALSE(q("no2==41"));
  EXPECT_TRUE(q("no2!=41"));
  EXPECT_FALSE(q("no2!=41.5"));
  EXPECT_TRUE(q("no2>41"));
  EXPECT_FALSE(q("no2>41.5"));
  EXPECT_TRUE(q("no2>=41.5"));
  EXPECT_TRUE(q("no2<42"));
  EXPECT_FALSE(q("no2<41.5"));
  EXPECT_TRUE(q("no2<=41.5"));
  EXPECT_TRUE(q("no2>-1e3"));
}

TEST_F(QueryEvalTest, StringsAndBooleans) {
  EXPECT_TRUE(q("status==\"operational\""));
  EXPECT_FALSE(q("status==\"broken\""));
  EXPECT_TRUE(q("status!=\"broken\""));
  EXPECT_TRUE(q("status>\"a\""));
  EXPECT_TRUE(q("active==true"));
  EXPECT_FALSE(q("active==false"));
  EXPECT_TRUE(q("active!=false"));
}

TEST_F(QueryEvalTest, RangesIncludeBothEnds) {
  EXPECT_TRUE(q("no2==41.5..50"));
  EXPECT_TRUE(q("no2==30..41.5"));
  EXPECT_FALSE(q("no2==42..50"));
  EXPECT_TRUE(q("no2!=42..50"));
  EXPECT_FALSE(q("no2!=40..50"));
  EXPECT_TRUE(q("status==\"n\"..\"p\""));
}

TEST_F(QueryEvalTest, ValueListsMeanEqualToAny) {
  EXPECT_TRUE(q("status==\"broken\",\"operational\""));
  EXPECT_FALSE(q("status==\"broken\",\"lost\""));
  EXPECT_FALSE(q("status!=\"broken\",\"operational\""));
  EXPECT_TRUE(q("status!=\"broken\",\"lost\""));
  EXPECT_TRUE(q("no2==1,41.5,\"x\""));
}

TEST_F(QueryEvalTest, Patterns) {
  EXPECT_TRUE(q("status~=^oper"));
  EXPECT_TRUE(q("status~=ation"));
  EXPECT_FALSE(q("status~=^ation"));
  EXPECT_TRUE(q("status~=(?i)OPERATIONAL"));
  EXPECT_TRUE(q("status!~=broken"));
  EXPECT_FALSE(q("status!~=oper"));
  // Only strings match patterns; a number is neither ~= nor !~=.
  EXPECT_FALSE(q("no2~=41"));
  EXPECT_FALSE(q("no2!~=x"));
  // Linear-time engine: a classic backtracking bomb is quick.
  EXPECT_FALSE(q("status~=^(o+)+x$"));
}

TEST_F(QueryEvalTest, AndOrPrecedenceAndParentheses) {
  EXPECT_TRUE(q("no2>100|status==\"operational\";active==true"));
  EXPECT_FALSE(q("(no2>100|status==\"operational\");active==false"));
  EXPECT_TRUE(q("no2>100|(status==\"operational\";active==true)"));
  EXPECT_FALSE(q("no2>100|status==\"x\";active==true"));
  EXPECT_TRUE(q("no2<100;(status==\"x\"|(active==true;opened))"));
}

TEST_F(QueryEvalTest, ExistenceOfAttributesAndMembers) {
  EXPECT_TRUE(q("no2"));
  EXPECT_FALSE(q("temperature"));
  EXPECT_TRUE(q("no2.quality"));
  EXPECT_FALSE(q("no2.accuracy"));
  EXPECT_TRUE(q("address[geo][zip]"));
  EXPECT_FALSE(q("address[geo][country]"));
  EXPECT_TRUE(q("no2.unitCode"));
  EXPECT_FALSE(q("status.unitCode"));
}

TEST_F(QueryEvalTest, MissingAttributeIsFalseEvenForUnequal) {
  EXPECT_FALSE(q("temperature==1"));
  EXPECT_FALSE(q("temperature!=1"));
  EXPECT_FALSE(q("temperature!~=x"));
  EXPECT_FALSE(q("no2.accuracy!=1"));
}

TEST_F(QueryEvalTest, SubAttributesAndCompoundPaths) {
  EXPECT_TRUE(q("no2.quality==\"validated\""));
  EXPECT_TRUE(q("no2.quality.score>=3"));
  EXPECT_FALSE(q("no2.quality.score>3"));
  EXPECT_TRUE(q("address[city]==\"Kaiserslautern\""));
  EXPECT_TRUE(q("address[geo][zip]==67655"));
  EXPECT_TRUE(q("address[geo][street]~=^Mar"));
  EXPECT_FALSE(q("address[city][x]==1"));
}

TEST_F(QueryEvalTest, Metadata) {
  EXPECT_TRUE(q("no2.unitCode==\"GQ\""));
  EXPECT_TRUE(q("no2.observedAt==2026-11-25T08:00:00Z"));
  EXPECT_TRUE(q("no2.observedAt>2026-11-25T07:59:59Z"));
  EXPECT_TRUE(q("no2.observedAt==2026-11-25..2026-11-26"));
  EXPECT_TRUE(q("no2.createdAt==2026-11-25T10:00:00Z"));
  EXPECT_TRUE(q("no2.modifiedAt<=2026-11-25T10:00:00Z"));
  EXPECT_TRUE(q("pm10.datasetId==urn:ds:raw"));
  EXPECT_FALSE(q("no2.datasetId==urn:ds:raw"));
}

TEST_F(QueryEvalTest, DatesAndTimesCompareAsTimes) {
  EXPECT_TRUE(q("opened==2020-05-01"));
  EXPECT_TRUE(q("opened<2020-05-01T00:00:01Z"));
  EXPECT_FALSE(q("opened>2020-04-30T23:00:00-02:00"));
  EXPECT_TRUE(q("opened==2020-01-01..2020-12-31"));
  EXPECT_TRUE(q("opensAt<08:00:00Z"));
  EXPECT_TRUE(q("opensAt==07:30:00"));
  EXPECT_FALSE(q("opensAt>07:30:00Z"));
  // JSON-LD typed value objects are unwrapped.
  EXPECT_TRUE(q("installedAt>2021-01-01"));
  EXPECT_TRUE(q("installedAt==2021-03-04T13:00:00+01:00"));
  // A quoted date is a string, compared as text.
  EXPECT_TRUE(q("opened==\"2020-05-01\""));
}

TEST_F(QueryEvalTest, RelationshipsCompareTheirObject) {
  EXPECT_TRUE(q("refDevice==\"urn:ngsi-ld:Device:1\""));
  EXPECT_TRUE(q("refDevice==urn:ngsi-ld:Device:1"));
  EXPECT_FALSE(q("refDevice==urn:ngsi-ld:Device:2"));
  EXPECT_TRUE(q("refDevice!=urn:ngsi-ld:Device:2"));
  EXPECT_TRUE(q("refDevice==urn:ngsi-ld:Device:2,urn:ngsi-ld:Device:1"));
  EXPECT_TRUE(q("refDevice~=Device:1$"));
}

TEST_F(QueryEvalTest, LanguagePropertiesMatchAnyLanguage) {
  EXPECT_TRUE(q("name==\"Centre\""));
  EXPECT_TRUE(q("name==\"Kaiserslautern Mitte\""));
  EXPECT_FALSE(q("name==\"Zentrum\""));
  EXPECT_TRUE(q("name~=Mitte"));
  EXPECT_TRUE(q("name[de]==\"Kaiserslautern Mitte\""));
  EXPECT_FALSE(q("name[en]==\"Kaiserslautern Mitte\""));
  EXPECT_FALSE(q("name!=\"Centre\""));
  // An entry may hold several strings.
  EXPECT_TRUE(q("name==\"Coeur\""));
  EXPECT_TRUE(q("name[fr]==\"Centre-ville\""));
}

TEST_F(QueryEvalTest, MultiInstanceAttributesMatchAnyInstance) {
  EXPECT_TRUE(q("pm10==12"));
  EXPECT_TRUE(q("pm10==55"));
  EXPECT_TRUE(q("pm10>50"));
  EXPECT_TRUE(q("pm10<20"));
  EXPECT_FALSE(q("pm10>60"));
  // Each instance on its own: 12 != 55 holds for the first instance.
  EXPECT_TRUE(q("pm10!=55"));
}

TEST_F(QueryEvalTest, ArrayValuesMatchAnyElement) {
  EXPECT_TRUE(q("colors==\"red\""));
  EXPECT_FALSE(q("colors==\"green\""));
  EXPECT_FALSE(q("colors!=\"red\""));
  EXPECT_TRUE(q("colors!=\"green\""));
  EXPECT_TRUE(q("colors~=^bl"));
  EXPECT_FALSE(q("colors!~=^bl"));
}

TEST_F(QueryEvalTest, ListAndVocabProperties) {
  EXPECT_TRUE(q("levels==2"));
  EXPECT_TRUE(q("levels>2"));
  EXPECT_FALSE(q("levels>3"));
  EXPECT_TRUE(q("sensors==urn:s:1"));
  EXPECT_TRUE(q("sensors==\"urn:s:2\""));
  EXPECT_FALSE(q("sensors==urn:s:3"));
  // Vocab values are stored expanded; q's constant is expanded alike.
  EXPECT_TRUE(q("category==\"urban\""));
  EXPECT_TRUE(q("category==\"urban\",\"rural\""));
  EXPECT_FALSE(q("category==\"rural\""));
  EXPECT_TRUE(
      q(std::string("category==\"") + std::string(kDefaultVocab) + "urban\""));
}

TEST_F(QueryEvalTest, TypeMismatchesNeverMatch) {
  EXPECT_FALSE(q("no2==\"41.5\""));
  EXPECT_FALSE(q("no2!=\"41.5\""));
  EXPECT_FALSE(q("status==1"));
  EXPECT_FALSE(q("status!=1"));
  EXPECT_FALSE(q("status>2020-01-01"));
  EXPECT_FALSE(q("status<10:00:00"));
  EXPECT_FALSE(q("active==1"));
  EXPECT_FALSE(q("no2==true"));
  EXPECT_FALSE(q("address>1"));
  EXPECT_FALSE(q("no2==2020-01-01"));
}

TEST_F(QueryEvalTest, TermsEvaluateAloneForThePlanner) {
  auto query = parse_query("no2>40;(status==\"x\"|active)", *Context::core());
  ASSERT_TRUE(query);
  auto terms = top_level_terms(*query);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_TRUE(evaluate(*terms[0], entity_));
  EXPECT_TRUE(evaluate(query->root.children[1], entity_));
  EXPECT_TRUE(evaluate(*query, entity_));
}

}  // namespace
}  // namespace cocity::ngsi

namespace cocity::ngsi {
namespace {

Entity entity_from(std::string_view text, const Context& ctx) {
  auto doc = parse_json(text);
  EXPECT_TRUE(doc);
  auto e = parse_entity(*doc, ctx, kNow);
  EXPECT_TRUE(e) << e.error().detail;
  return e ? std::move(*e) : Entity{};
}

TEST(QueryEvalContextTest, NamesAreExpandedWithTheClientsContext) {
  auto ctx = Context::extend(Context::core(),
                             {{"temp", "https://example.org/temperature"},
                              {"acc", "https://example.org/accuracy"}});
  Entity e = entity_from(R"({"id": "urn:x:1", "type": "T",
      "temp": {"type": "Property", "value": 21,
               "acc": {"type": "Property", "value": 0.5}}})",
                         *ctx);
  auto with_ctx = parse_query("temp>20;temp.acc<1", *ctx);
  ASSERT_TRUE(with_ctx);
  EXPECT_TRUE(evaluate(*with_ctx, e));
  // The core context maps "temp" elsewhere: no such attribute.
  auto core_only = parse_query("temp>20", *Context::core());
  ASSERT_TRUE(core_only);
  EXPECT_FALSE(evaluate(*core_only, e));
  // A full IRI keeps its dots (no sub-attribute "org/temperature").
  auto full_iri =
      parse_query("https://example.org/temperature==21", *Context::core());
  ASSERT_TRUE(full_iri) << full_iri.error().detail;
  EXPECT_EQ(full_iri->root.term.path.attr, "https://example.org/temperature");
  EXPECT_TRUE(full_iri->root.term.path.sub_attrs.empty());
  EXPECT_TRUE(evaluate(*full_iri, e));
}

TEST(QueryEvalContextTest, PatternsOnLongValuesStayLinear) {
  std::string long_value(100000, 'a');
  Entity e = entity_from(R"({"id": "urn:x:1", "type": "T",
      "s": {"type": "Property", "value": ")" +
                             long_value + R"("}})",
                         *Context::core());
  auto q = parse_query("s~=^(a+)+b$|s~=(a|aa)*c", *Context::core());
  ASSERT_TRUE(q) << q.error().detail;
  EXPECT_FALSE(evaluate(*q, e));
  auto hit = parse_query("s~=^(a+)+$", *Context::core());
  ASSERT_TRUE(hit);
  EXPECT_TRUE(evaluate(*hit, e));
}

}  // namespace
}  // namespace cocity::ngsi

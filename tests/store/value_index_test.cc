// The value index, through the EntityIndex that plans with it: q terms
// narrow candidates, updates and removals keep it exact.
#include "store/value_index.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "ngsi/query_parser.h"
#include "store/entity_index.h"

namespace cocity::store {
namespace {

ngsi::Entity entity(std::string id, std::string_view attrs_json) {
  ngsi::Entity e;
  e.id = std::move(id);
  e.types = {"https://example.org/T"};
  e.attrs = parse_json(attrs_json)->as_object();
  return e;
}

std::string attr(std::string_view name) {
  return ngsi::Context::core()->expand(name);
}

class ValueIndexTest : public ::testing::Test {
 protected:
  void put(const std::string& id, std::string_view body) {
    auto e = entity(id, body);
    index_.put_entity(id, ++key_, e, std::nullopt);
  }
  // The ids the index proposes for q (a superset of the matches).
  std::vector<std::string> candidates(std::string_view q) {
    auto parsed = ngsi::parse_query(q, *ngsi::Context::core());
    EXPECT_TRUE(parsed) << parsed.error().detail;
    EntitySelector s;
    s.q_hint = std::make_shared<const ngsi::Query>(std::move(*parsed));
    uint64_t total = 0;
    std::vector<std::string> out;
    for (const auto& [id, key] : index_.select(s, 0, 100, &total))
      out.push_back(id);
    return out;
  }
  EntityIndex index_;
  int64_t key_ = 0;
};

using Ids = std::vector<std::string>;

TEST_F(ValueIndexTest, NumbersStringsAndUpdates) {
  std::string level = attr("fillingLevel"), kind = attr("wasteType");
  put("urn:a", R"({")" + level + R"(":[{"type":"Property","value":0.9}],")" +
                   kind + R"(":[{"type":"Property","value":"paper"}]})");
  put("urn:b", R"({")" + level + R"(":[{"type":"Property","value":0.2}],")" +
                   kind + R"(":[{"type":"Property","value":"glass"}]})");
  put("urn:c",
      R"({")" + level + R"(":[{"type":"Property","value":[0.1,0.7]}]})");
  EXPECT_EQ(candidates("fillingLevel>0.8"), (Ids{"urn:a"}));
  EXPECT_EQ(candidates("fillingLevel<0.15"), (Ids{"urn:c"}));
  EXPECT_EQ(candidates("fillingLevel==0.2..0.7"), (Ids{"urn:b", "urn:c"}));
  EXPECT_EQ(candidates("wasteType==\"glass\""), (Ids{"urn:b"}));
  // AND: the smallest term's candidates; q itself is evaluated on bodies.
  EXPECT_EQ(candidates("fillingLevel>0.8;wasteType==\"glass\""),
            (Ids{"urn:a"}));
  // Terms the index cannot answer leave the candidates to other sources.
  EXPECT_EQ(candidates("fillingLevel!=0.2").size(), 3u);
  EXPECT_EQ(candidates("fillingLevel>0.8|wasteType==\"glass\"").size(), 3u);
  put("urn:a", R"({")" + level + R"(":[{"type":"Property","value":0.1}]})");
  EXPECT_EQ(candidates("fillingLevel>0.8"), Ids{});
  EXPECT_EQ(candidates("wasteType==\"paper\""), Ids{});
  index_.remove("urn:b");
  EXPECT_EQ(candidates("wasteType==\"glass\""), Ids{});
  EXPECT_EQ(index_.value_entries(), 3u);
}

TEST_F(ValueIndexTest, ManyValuesMakeAnAlwaysCandidate) {
  std::string level = attr("fillingLevel");
  std::string many = "[";
  for (int i = 0; i < 100; ++i) many += (i ? "," : "") + std::to_string(i);
  put("urn:big",
      R"({")" + level + R"(":[{"type":"Property","value":)" + many + "]}]}");
  EXPECT_EQ(candidates("fillingLevel==1000"), (Ids{"urn:big"}));
}

// Start-up: values queued by load_entity() and built by finish_load()
// answer like values put one by one, and updates after it keep them exact.
TEST(ValueIndexLoad, BulkLoadThenUpdate) {
  EntityIndex index;
  const char* bodies[] = {
      R"({"https://uri.etsi.org/ngsi-ld/default-context/fillingLevel":
          [{"type":"Property","value":0.9}]})",
      R"({"https://uri.etsi.org/ngsi-ld/default-context/fillingLevel":
          [{"type":"Property","value":0.1}],
          "https://uri.etsi.org/ngsi-ld/default-context/wasteType":
          [{"type":"Property","value":"glass"}]})",
      R"({"https://uri.etsi.org/ngsi-ld/default-context/fillingLevel":
          [{"type":"Property","value":0.95}]})"};
  for (int i = 2; i >= 0; --i) {
    auto e = entity("urn:" + std::to_string(i), bodies[i]);
    index.load_entity(e.id, i + 1, e, std::nullopt);
  }
  index.finish_load();
  EXPECT_EQ(index.value_entries(), 4u);
  auto select = [&](std::string_view q) {
    EntitySelector s;
    s.q_hint = std::make_shared<const ngsi::Query>(
        *ngsi::parse_query(q, *ngsi::Context::core()));
    uint64_t total = 0;
    std::vector<std::string> out;
    for (const auto& [id, key] : index.select(s, 0, 100, &total))
      out.push_back(id);
    return out;
  };
  EXPECT_EQ(select("fillingLevel>0.5"), (Ids{"urn:0", "urn:2"}));
  EXPECT_EQ(select("wasteType==\"glass\""), (Ids{"urn:1"}));
  auto e = entity("urn:0", bodies[1]);
  index.put_entity("urn:0", 1, e, std::nullopt);
  EXPECT_EQ(select("fillingLevel>0.5"), (Ids{"urn:2"}));
  EXPECT_EQ(select("wasteType==\"glass\""), (Ids{"urn:0", "urn:1"}));
  EXPECT_EQ(index.value_entries(), 5u);
}

TEST(IndexedAttributes, TermsMatchTheLastSegmentAndIrisExactly) {
  auto a = IndexedAttributes::from_list(
      {"fillingLevel", "https://example.org/exact"});
  EXPECT_TRUE(
      a.covers("https://uri.etsi.org/ngsi-ld/default-context/fillingLevel"));
  EXPECT_TRUE(
      a.covers("https://smartdatamodels.org/dataModel.Waste/fillingLevel"));
  EXPECT_TRUE(a.covers("https://example.org/vocab#fillingLevel"));
  EXPECT_FALSE(a.covers("https://example.org/fillingLevelX"));
  EXPECT_TRUE(a.covers("https://example.org/exact"));
  EXPECT_FALSE(a.covers("https://other.org/exact2"));
  EXPECT_TRUE(IndexedAttributes::from_list({"*"}).covers("urn:x"));
  EXPECT_TRUE(IndexedAttributes::defaults().covers(attr("no2")));
}

// An attribute the policy leaves out gives no index answer: the planner
// falls back to the type's members and q is evaluated on their bodies.
TEST(IndexedAttributes, UnindexedTermsFallBackToOtherSources) {
  EntityIndex index;
  index.set_indexed_attributes(IndexedAttributes::from_list({"fillingLevel"}));
  for (int i = 0; i < 3; ++i) {
    auto e =
        entity("urn:" + std::to_string(i),
               R"({"https://uri.etsi.org/ngsi-ld/default-context/fillingLevel":
                        [{"type":"Property","value":0.5}],
                        "https://uri.etsi.org/ngsi-ld/default-context/temperature":
                        [{"type":"Property","value":20}]})");
    index.put_entity(e.id, i + 1, e, std::nullopt);
  }
  EXPECT_EQ(index.value_entries(), 3u);
  auto select = [&](std::string_view q) {
    EntitySelector s;
    s.types = {"https://example.org/T"};
    s.q_hint = std::make_shared<const ngsi::Query>(
        *ngsi::parse_query(q, *ngsi::Context::core()));
    uint64_t total = 0;
    return index.select(s, 0, 100, &total).size();
  };
  EXPECT_EQ(select("fillingLevel>0.9"), 0u);  // answered by the index
  EXPECT_EQ(select("temperature>30"), 3u);    // every member: q on bodies
}

}  // namespace
}  // namespace cocity::store

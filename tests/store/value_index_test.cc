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

}  // namespace
}  // namespace cocity::store

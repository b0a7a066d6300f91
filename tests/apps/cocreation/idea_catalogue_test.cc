#include "apps/cocreation/idea_catalogue.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace cocity::apps::cocreation {
namespace {

std::string catalogue_path() {
  const char* root = std::getenv("COCITY_SOURCE_DIR");
  return std::string(root ? root : ".") + "/data/ideas/catalogue.json";
}

TEST(IdeaCatalogueTest, ShippedCatalogueHas22CompleteIdeas) {
  auto c = IdeaCatalogue::load(catalogue_path());
  ASSERT_TRUE(c) << c.error().detail;
  ASSERT_EQ(c->ideas().size(), 22u);
  for (const auto& idea : c->ideas()) {
    const json::object& o = idea.get_object();
    for (const char* key : {"domain", "title", "description", "benefits",
                            "cost_eur", "prerequisites", "kpis"}) {
      EXPECT_TRUE(o.contains(key)) << o.at("id") << " lacks " << key;
    }
    EXPECT_TRUE(o.at("title").get_object().contains("de"));
    EXPECT_TRUE(o.at("title").get_object().contains("en"));
  }
  EXPECT_NE(c->find("smart-parking"), nullptr);
  EXPECT_EQ(c->find("teleportation"), nullptr);
}

TEST(IdeaCatalogueTest, ValidateIdeaNamesTheMember) {
  auto good = parse_json(R"({"domain": "mobility",
      "title": {"de": "Rufbus"}, "description": {"en": "A bus on demand"},
      "cost_eur": {"min": 10, "max": 20},
      "prerequisites": {"connectivity": ["LTE/5G"]}})");
  EXPECT_TRUE(validate_idea(*good, false));
  EXPECT_FALSE(validate_idea(*good, true));  // shipped ideas need an id
  struct Case {
    const char* json;
    const char* expected;
  };
  for (const Case& c : {
           Case{R"({"domain": "space", "title": {"de": "x"},
                    "description": {"de": "y"}})",
                "idea.domain"},
           Case{R"({"domain": "energy", "description": {"de": "y"}})",
                "idea.title: required"},
           Case{R"({"domain": "energy", "title": {"fr": "x"},
                    "description": {"de": "y"}})",
                "idea.title"},
           Case{R"({"domain": "energy", "title": {"de": "x"},
                    "description": {"de": "y"},
                    "cost_eur": {"min": 5, "max": 1}})",
                "idea.cost_eur"},
           Case{R"({"domain": "energy", "title": {"de": "x"},
                    "description": {"de": "y"},
                    "prerequisites": {"connectivity": ["5G"]}})",
                "idea.prerequisites.connectivity"},
           Case{R"({"domain": "energy", "title": {"de": "x"},
                    "description": {"de": "y"}, "price": 3})",
                "idea.price"},
       }) {
    auto v = parse_json(c.json);
    ASSERT_TRUE(v) << c.json;
    auto s = validate_idea(*v, false);
    ASSERT_FALSE(s) << c.json;
    EXPECT_NE(s.error().detail.find(c.expected), std::string::npos)
        << s.error().detail;
  }
}

}  // namespace
}  // namespace cocity::apps::cocreation

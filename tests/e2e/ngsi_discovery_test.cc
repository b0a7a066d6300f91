// Discovery over loopback: /types and /attributes with and without details,
// counts that follow creates, updates and deletes, compaction with the
// request's context, 404s.
#include "e2e_util.h"

namespace cocity::test {
namespace {

class DiscoveryTest : public OpenServerTest {
 protected:
  void create(std::string_view body) {
    auto r = post("/ngsi-ld/v1/entities", body);
    ASSERT_EQ(r.status, 201u) << r.body;
  }
  void seed() {
    create(R"({"id": "urn:ngsi-ld:WasteContainer:1", "type": "WasteContainer",
        "fillingLevel": {"type": "Property", "value": 0.5},
        "location": {"type": "GeoProperty",
                     "value": {"type": "Point", "coordinates": [8.6, 50.1]}}})");
    create(R"({"id": "urn:ngsi-ld:WasteContainer:2", "type": "WasteContainer",
        "fillingLevel": {"type": "Property", "value": 0.9},
        "refModel": {"type": "Relationship", "object": "urn:ngsi-ld:M:1"}})");
    create(R"({"id": "urn:ngsi-ld:Streetlight:1", "type": "Streetlight",
        "powerState": {"type": "Property", "value": "on"}})");
  }
};

const json::object& obj(const json::value& v) { return v.as_object(); }

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

TEST_F(DiscoveryTest, EmptyTenantHasNoTypes) {
  auto v = get_json("/ngsi-ld/v1/types");
  EXPECT_EQ(obj(v).at("type"), "EntityTypeList");
  EXPECT_TRUE(obj(v).at("typeList").as_array().empty());
  EXPECT_EQ(get("/ngsi-ld/v1/types/Nothing").status, 404u);
}

TEST_F(DiscoveryTest, TypesListDetailsAndInfo) {
  seed();
  auto list = get_json("/ngsi-ld/v1/types");
  EXPECT_EQ(strings(obj(list).at("typeList")),
            (std::vector<std::string>{"Streetlight", "WasteContainer"}));
  auto details = get_json("/ngsi-ld/v1/types?details=true");
  ASSERT_EQ(details.as_array().size(), 2u);
  const auto& wc = obj(details.as_array()[1]);
  EXPECT_EQ(wc.at("type"), "EntityType");
  EXPECT_EQ(wc.at("typeName"), "WasteContainer");
  EXPECT_EQ(strings(wc.at("attributeNames")),
            (std::vector<std::string>{"fillingLevel", "refModel", "location"}));
  auto info = get_json("/ngsi-ld/v1/types/WasteContainer");
  EXPECT_EQ(obj(info).at("type"), "EntityTypeInfo");
  EXPECT_EQ(obj(info).at("entityCount").to_number<uint64_t>(), 2u);
  bool saw_relationship = false;
  for (const auto& d : obj(info).at("attributeDetails").as_array()) {
    if (d.as_object().at("attributeName") == "refModel") {
      saw_relationship = true;
      EXPECT_EQ(strings(d.as_object().at("attributeTypes")),
                (std::vector<std::string>{"Relationship"}));
    }
  }
  EXPECT_TRUE(saw_relationship);
  auto missing = get("/ngsi-ld/v1/types/Unknown");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(problem_type(missing), "ResourceNotFound");
}

TEST_F(DiscoveryTest, AttributesListDetailsAndOne) {
  seed();
  auto list = get_json("/ngsi-ld/v1/attributes");
  EXPECT_EQ(obj(list).at("type"), "AttributeList");
  auto names = strings(obj(list).at("attributeList"));
  EXPECT_EQ(names.size(), 4u);
  auto fl = get_json("/ngsi-ld/v1/attributes/fillingLevel");
  EXPECT_EQ(obj(fl).at("type"), "Attribute");
  EXPECT_EQ(obj(fl).at("attributeCount").to_number<uint64_t>(), 2u);
  EXPECT_EQ(strings(obj(fl).at("attributeTypes")),
            (std::vector<std::string>{"Property"}));
  EXPECT_EQ(strings(obj(fl).at("typeNames")),
            (std::vector<std::string>{"WasteContainer"}));
  auto details = get_json("/ngsi-ld/v1/attributes?details=true");
  EXPECT_EQ(details.as_array().size(), 4u);
  EXPECT_EQ(get("/ngsi-ld/v1/attributes/nothing").status, 404u);
  EXPECT_EQ(get("/ngsi-ld/v1/attributes?details=maybe").status, 400u);
}

TEST_F(DiscoveryTest, CountsFollowWrites) {
  seed();
  ASSERT_EQ(get_json("/ngsi-ld/v1/types/WasteContainer")
                .as_object()
                .at("entityCount")
                .to_number<uint64_t>(),
            2u);
  EXPECT_EQ(del("/ngsi-ld/v1/entities/urn:ngsi-ld:WasteContainer:2").status,
            204u);
  create(R"({"id": "urn:ngsi-ld:Streetlight:2", "type": "Streetlight",
      "powerState": {"type": "Property", "value": "off"},
      "fillingLevel": {"type": "Property", "value": 0}})");
  auto wc = get_json("/ngsi-ld/v1/types/WasteContainer");
  EXPECT_EQ(obj(wc).at("entityCount").to_number<uint64_t>(), 1u);
  auto fl = get_json("/ngsi-ld/v1/attributes/fillingLevel");
  EXPECT_EQ(obj(fl).at("attributeCount").to_number<uint64_t>(), 2u);
  EXPECT_EQ(strings(obj(fl).at("typeNames")),
            (std::vector<std::string>{"Streetlight", "WasteContainer"}));
  EXPECT_EQ(get("/ngsi-ld/v1/attributes/refModel").status, 404u);
}

TEST_F(DiscoveryTest, NamesAreCompactedWithTheRequestsContext) {
  Headers sdm = {{"link",
                  "<https://smartdatamodels.org/context.jsonld>; "
                  "rel=\"http://www.w3.org/ns/json-ld#context\"; "
                  "type=\"application/ld+json\""},
                 {"content-type", "application/json"}};
  auto r = post("/ngsi-ld/v1/entities",
                R"({"id": "urn:ngsi-ld:WasteContainer:9",
                    "type": "WasteContainer",
                    "fillingLevel": {"type": "Property", "value": 0.2}})",
                sdm);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto core = get_json("/ngsi-ld/v1/types");
  EXPECT_EQ(strings(obj(core).at("typeList")),
            (std::vector<std::string>{
                "https://smartdatamodels.org/dataModel.WasteManagement/"
                "WasteContainer"}));
  Headers link_only = {sdm[0]};
  auto compact = get_json("/ngsi-ld/v1/types", link_only);
  EXPECT_EQ(strings(obj(compact).at("typeList")),
            (std::vector<std::string>{"WasteContainer"}));
  auto info = get("/ngsi-ld/v1/types/WasteContainer", link_only);
  EXPECT_EQ(info.status, 200u) << info.body;
  auto ld = get("/ngsi-ld/v1/attributes/fillingLevel",
                {sdm[0], {"accept", "application/ld+json"}});
  ASSERT_EQ(ld.status, 200u);
  EXPECT_NE(ld.body.find("@context"), std::string::npos);
}

}  // namespace
}  // namespace cocity::test

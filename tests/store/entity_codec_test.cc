#include "store/entity_codec.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace cocity::store {
namespace {

using testing::air_entity;

TEST(EntityCodec, RoundTripIsExact) {
  ngsi::Entity e = air_entity("urn:ngsi-ld:AirQualityObserved:1", 17.25);
  e.scope = {"/Berlin/Mitte"};
  e.types.push_back("https://example.org/Other");
  e.created_at = from_micros(1'700'000'000'123'456);
  std::string text = encode_entity(e);
  auto back = decode_entity(text);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(back->id, e.id);
  EXPECT_EQ(back->types, e.types);
  EXPECT_EQ(back->scope, e.scope);
  EXPECT_EQ(back->attrs, e.attrs);
  EXPECT_EQ(back->created_at, e.created_at);
  EXPECT_EQ(back->modified_at, e.modified_at);
  EXPECT_EQ(encode_entity(*back), text);
}

TEST(EntityCodec, EscapesStrings) {
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

}  // namespace
}  // namespace cocity::store

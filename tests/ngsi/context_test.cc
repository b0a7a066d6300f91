#include "ngsi/context.h"

#include <gtest/gtest.h>

namespace cocity::ngsi {
namespace {

TEST(ContextTest, CoreTermsAndDefaultVocabulary) {
  auto core = Context::core();
  EXPECT_EQ(core->expand("location"), "https://uri.etsi.org/ngsi-ld/location");
  EXPECT_EQ(core->expand("speed"),
            "https://uri.etsi.org/ngsi-ld/default-context/speed");
  EXPECT_EQ(
      core->expand("https://smartdatamodels.org/dataModel.Environment/no2"),
      "https://smartdatamodels.org/dataModel.Environment/no2");
  EXPECT_EQ(core->expand("ngsi-ld:foo"), "https://uri.etsi.org/ngsi-ld/foo");
  EXPECT_EQ(core->compact("https://uri.etsi.org/ngsi-ld/location"), "location");
  EXPECT_EQ(core->compact("https://uri.etsi.org/ngsi-ld/default-context/speed"),
            "speed");
  EXPECT_EQ(core->compact("https://example.org/x"), "https://example.org/x");
}

TEST(ContextTest, UserTermsOverrideAndRoundTrip) {
  auto ctx = Context::extend(Context::core(),
                             {{"sdm", "https://smartdatamodels.org/"},
                              {"no2", "sdm:dataModel.Environment/no2"}});
  EXPECT_EQ(ctx->expand("no2"),
            "https://smartdatamodels.org/dataModel.Environment/no2");
  EXPECT_EQ(
      ctx->compact("https://smartdatamodels.org/dataModel.Environment/no2"),
      "no2");
  EXPECT_EQ(ctx->expand("sdm:other"), "https://smartdatamodels.org/other");
  // The core context is unchanged.
  EXPECT_EQ(Context::core()->expand("no2"),
            "https://uri.etsi.org/ngsi-ld/default-context/no2");
}

// An IRI that no term and no @vocab name can still be written short with
// a prefix, as long as that expands back to it.
TEST(ContextTest, CompactsToPrefixedNamesWhenTermsAreTaken) {
  auto ctx = Context::extend(Context::core(),
                             {{"sdm", "https://smartdatamodels.org/"},
                              {"speed", "https://smartdatamodels.org/speed"}});
  std::string vocab_speed =
      "https://uri.etsi.org/ngsi-ld/default-context/speed";
  EXPECT_EQ(ctx->compact(vocab_speed), "ngsi-ld:default-context/speed");
  EXPECT_EQ(ctx->expand(ctx->compact(vocab_speed)), vocab_speed);
  EXPECT_EQ(ctx->compact("https://smartdatamodels.org/speed"), "speed");
  EXPECT_EQ(ctx->compact("https://smartdatamodels.org/other"), "sdm:other");
  EXPECT_EQ(Context::core()->compact("https://uri.etsi.org/ngsi-ld/name"),
            "ngsi-ld:name");
}

TEST(ContextTest, AbsoluteUris) {
  EXPECT_TRUE(is_absolute_uri("urn:ngsi-ld:Vehicle:A1"));
  EXPECT_TRUE(is_absolute_uri("http://example.org/a"));
  EXPECT_FALSE(is_absolute_uri("Vehicle1"));
  EXPECT_FALSE(is_absolute_uri("urn:"));
  EXPECT_FALSE(is_absolute_uri(":x"));
  EXPECT_FALSE(is_absolute_uri("urn:a b"));
  EXPECT_FALSE(is_absolute_uri("1urn:x"));
}

}  // namespace
}  // namespace cocity::ngsi

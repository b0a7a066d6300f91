#include "ngsi/context_builder.h"

#include "ngsi/entity_parser.h"
#include "ngsi/entity_writer.h"
#include "ngsi/query_eval.h"
#include "ngsi/query_parser.h"

#include <gtest/gtest.h>

#include <map>

namespace cocity::ngsi {
namespace {

// A loader over a fixed map of URL -> @context value.
class FakeLoader {
 public:
  void add(std::string url, std::string context_json) {
    docs_[std::move(url)] = *parse_json(context_json);
  }
  ContextLoader loader() {
    return [this](std::string_view url,
                  int depth) -> Result<std::shared_ptr<const Context>> {
      ++loads_;
      auto it = docs_.find(std::string(url));
      if (it == docs_.end()) {
        return fail(Code::kLdContextNotAvailable,
                    "unknown " + std::string(url));
      }
      return build_context(it->second, loader(), depth + 1);
    };
  }
  int loads_ = 0;

 private:
  std::map<std::string, json::value> docs_;
};

Result<std::shared_ptr<const Context>> build(std::string_view text,
                                             FakeLoader* fake) {
  auto v = parse_json(text);
  EXPECT_TRUE(v);
  return build_context(*v, fake->loader());
}

TEST(ContextBuilderTest, ObjectTermsPrefixesAndExpandedDefinitions) {
  FakeLoader fake;
  auto ctx = build(R"({"sdm": "https://smartdatamodels.org/",
      "no2": "sdm:dataModel.Environment/no2",
      "level": {"@id": "sdm:level", "@type": "@vocab"},
      "alias": "no2",
      "id": "@id"})",
                   &fake);
  ASSERT_TRUE(ctx) << ctx.error().detail;
  const Context& c = **ctx;
  EXPECT_EQ(c.expand("no2"),
            "https://smartdatamodels.org/dataModel.Environment/no2");
  EXPECT_EQ(c.expand("alias"), c.expand("no2"));
  EXPECT_EQ(c.expand("sdm:x"), "https://smartdatamodels.org/x");
  EXPECT_EQ(c.compact("https://smartdatamodels.org/dataModel.Environment/no2"),
            "no2");
  EXPECT_TRUE(c.is_vocab_attribute("https://smartdatamodels.org/level"));
  EXPECT_FALSE(c.is_vocab_attribute(c.expand("no2")));
  EXPECT_EQ(c.url(), "");
}

TEST(ContextBuilderTest, ArraysApplyInOrderWithUrlsAndNesting) {
  FakeLoader fake;
  fake.add("http://ctx.example/a", R"({"temp": "http://a.example/temp"})");
  fake.add("http://ctx.example/b",
           R"(["http://ctx.example/a", {"hum": "http://b.example/hum"}])");
  auto ctx = build(R"(["http://ctx.example/b",
      [{"temp": "http://c.example/temp"}]])",
                   &fake);
  ASSERT_TRUE(ctx) << ctx.error().detail;
  EXPECT_EQ((*ctx)->expand("hum"), "http://b.example/hum");
  EXPECT_EQ((*ctx)->expand("temp"), "http://c.example/temp");  // later wins
  EXPECT_EQ(fake.loads_, 2);
}

TEST(ContextBuilderTest, CoreTermsAreProtectedAndVocabApplies) {
  FakeLoader fake;
  auto ctx = build(R"({"location": "http://evil.example/loc",
      "@vocab": "http://vocab.example/", "@version": 1.1,
      "@protected": true})",
                   &fake);
  ASSERT_TRUE(ctx) << ctx.error().detail;
  EXPECT_EQ((*ctx)->expand("location"), kLocationIri);
  EXPECT_EQ((*ctx)->expand("speed"), "http://vocab.example/speed");
  EXPECT_EQ((*ctx)->compact("http://vocab.example/speed"), "speed");
}

TEST(ContextBuilderTest, NullUndefinesAndResets) {
  FakeLoader fake;
  auto ctx =
      build(R"([{"temp": "http://a.example/temp"}, {"temp": null}])", &fake);
  ASSERT_TRUE(ctx);
  EXPECT_EQ((*ctx)->expand("temp"), std::string(kDefaultVocab) + "temp");
  ctx = build(R"([{"temp": "http://a.example/temp"}, null])", &fake);
  ASSERT_TRUE(ctx);
  EXPECT_EQ((*ctx)->expand("temp"), std::string(kDefaultVocab) + "temp");
}

TEST(ContextBuilderTest, BadInputNamesTheProblem) {
  FakeLoader fake;
  auto bad_term = build(R"({"temp": 42})", &fake);
  ASSERT_FALSE(bad_term);
  EXPECT_EQ(bad_term.error().code, Code::kBadRequestData);
  EXPECT_NE(bad_term.error().detail.find("'temp'"), std::string::npos);
  auto bad_item = build("[1]", &fake);
  ASSERT_FALSE(bad_item);
  EXPECT_EQ(bad_item.error().code, Code::kBadRequestData);
  auto missing = build(R"("http://nowhere.example/x")", &fake);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Code::kLdContextNotAvailable);
}

TEST(ContextBuilderTest, CyclesStopAtTheDepthLimit) {
  FakeLoader fake;
  fake.add("http://ctx.example/a", R"("http://ctx.example/b")");
  fake.add("http://ctx.example/b", R"("http://ctx.example/a")");
  auto ctx = build(R"("http://ctx.example/a")", &fake);
  ASSERT_FALSE(ctx);
  EXPECT_EQ(ctx.error().code, Code::kBadRequestData);
  EXPECT_LE(fake.loads_, kMaxContextDepth + 1);
}

TEST(ContextBuilderTest, ContextMemberOfDocuments) {
  auto doc = *parse_json(R"({"@context": {"a": "http://x.example/a"}})");
  auto m = context_member(doc, "doc");
  ASSERT_TRUE(m);
  EXPECT_TRUE((*m)->is_object());
  auto bad = context_member(*parse_json("[1]"), "http://x.example/doc");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find("http://x.example/doc"), std::string::npos);
}

// A Property of a term typed "@type": "@vocab": its string values are
// stored expanded, compared expanded in q and compacted with the reader's
// context (another context sees the full IRI).
TEST(ContextBuilderTest, VocabTypedPropertyValuesExpandAndCompact) {
  FakeLoader fake;
  auto ctx = build(R"({"ex": "https://example.org/",
      "category": {"@id": "ex:category", "@type": "@vocab"},
      "residual": "ex:waste/residual"})",
                   &fake);
  ASSERT_TRUE(ctx) << ctx.error().detail;
  auto doc = parse_json(R"({"id": "urn:ngsi-ld:C:1", "type": "C",
      "category": {"type": "Property", "value": "residual"},
      "tags": {"type": "Property", "value": "residual"},
      "kinds": {"type": "Property", "value": ["residual", 3]}})");
  auto e = parse_entity(*doc, **ctx, TimePoint{});
  ASSERT_TRUE(e) << e.error().detail;
  const std::string cat = "https://example.org/category";
  EXPECT_EQ(e->attrs.at(cat).as_array()[0].as_object().at("value"),
            "https://example.org/waste/residual");
  EXPECT_EQ(
      e->attrs.at((*ctx)->expand("tags")).as_array()[0].as_object().at("value"),
      "residual");  // not typed @vocab: a plain string

  auto q = parse_query("category==\"residual\"", **ctx);
  ASSERT_TRUE(q);
  EXPECT_TRUE(evaluate(*q, *e));
  auto full =
      parse_query("category==\"https://example.org/waste/residual\"", **ctx);
  EXPECT_TRUE(evaluate(*full, *e));
  auto other = parse_query("category==\"paper\"", **ctx);
  EXPECT_FALSE(evaluate(*other, *e));

  RenderOptions opt;
  auto mine = render_entity(*e, opt, **ctx);
  EXPECT_EQ(mine.at("category").as_object().at("value"), "residual");
  auto core = render_entity(*e, opt, *Context::core());
  EXPECT_EQ(core.at(cat).as_object().at("value"),
            "https://example.org/waste/residual");
}

}  // namespace
}  // namespace cocity::ngsi

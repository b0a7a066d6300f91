// parse_query: structure of the tree, constants, limits and error messages.
#include "ngsi/query_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace cocity::ngsi {
namespace {

const std::string kVocab(kDefaultVocab);

Query parse_ok(std::string_view q) {
  auto r = parse_query(q, *Context::core());
  EXPECT_TRUE(r) << q << ": " << (r ? "" : r.error().detail);
  return r ? std::move(*r) : Query{};
}

Error parse_err(std::string_view q) {
  auto r = parse_query(q, *Context::core());
  EXPECT_FALSE(r) << q;
  return r ? Error{} : r.error();
}

TEST(QueryParserTest, ComparisonTermWithNumber) {
  Query q = parse_ok("speed>=50.5");
  ASSERT_EQ(q.root.kind, Node::Kind::kTerm);
  const Term& t = q.root.term;
  EXPECT_EQ(t.path.attr, kVocab + "speed");
  EXPECT_EQ(t.op, Op::kGreaterEq);
  ASSERT_EQ(t.values.size(), 1u);
  EXPECT_EQ(t.values[0].kind, ValueKind::kNumber);
  EXPECT_DOUBLE_EQ(t.values[0].number, 50.5);
  EXPECT_EQ(q.term_count, 1);
}

TEST(QueryParserTest, EveryOperator) {
  const std::pair<const char*, Op> cases[] = {
      {"a==1", Op::kEqual},   {"a!=1", Op::kUnequal},
      {"a>1", Op::kGreater},  {"a>=1", Op::kGreaterEq},
      {"a<1", Op::kLess},     {"a<=1", Op::kLessEq},
      {"a~=x.*", Op::kMatch}, {"a!~=x.*", Op::kNotMatch},
      {"a", Op::kExists},
  };
  for (const auto& [text, op] : cases) {
    EXPECT_EQ(parse_ok(text).root.term.op, op) << text;
  }
}

TEST(QueryParserTest, ConstantKinds) {
  auto kind = [](std::string_view q) {
    return parse_ok(q).root.term.values.at(0).kind;
  };
  EXPECT_EQ(kind("a==-3e2"), ValueKind::kNumber);
  EXPECT_EQ(kind("a==\"x\""), ValueKind::kString);
  EXPECT_EQ(kind("a==true"), ValueKind::kBool);
  EXPECT_EQ(kind("a==2026-11-25"), ValueKind::kDate);
  EXPECT_EQ(kind("a==2026-11-25T10:00:00+01:00"), ValueKind::kDateTime);
  EXPECT_EQ(kind("a==10:30:00Z"), ValueKind::kTime);
  EXPECT_EQ(kind("a==urn:ngsi-ld:Device:1"), ValueKind::kUri);
  EXPECT_EQ(kind("a==\"urn:ngsi-ld:Device:1\""), ValueKind::kString);

  Query dt = parse_ok("a>2026-11-25T10:00:00+01:00");
  EXPECT_EQ(dt.root.term.values[0].time,
            *parse_iso_time("2026-11-25T09:00:00Z"));
  TimePoint tod;
  ASSERT_TRUE(parse_time_of_day("10:30:00.250Z", &tod));
  EXPECT_EQ(parse_ok("a<10:30:00.250Z").root.term.values[0].time, tod);
  EXPECT_EQ(to_micros(tod), (10 * 3600 + 30 * 60) * 1000000LL + 250000);
}

TEST(QueryParserTest, QuotedStringEscapes) {
  Query q = parse_ok(R"q(name=="a \"b\" \\ \/ \n \u00e9;|)")q");
  EXPECT_EQ(q.root.term.values[0].text, "a \"b\" \\ / \n \xc3\xa9;|)");
}

TEST(QueryParserTest, RangeAndList) {
  Query r = parse_ok("a==1..5");
  EXPECT_TRUE(r.root.term.is_range);
  ASSERT_EQ(r.root.term.values.size(), 2u);
  EXPECT_EQ(r.root.term.values[1].number, 5);

  Query dr = parse_ok("a!=2026-01-01..2026-12-31T23:59:59Z");
  EXPECT_TRUE(dr.root.term.is_range);

  Query l = parse_ok("a==\"x\",\"y\",3");
  EXPECT_FALSE(l.root.term.is_range);
  EXPECT_EQ(l.root.term.values.size(), 3u);

  Query u = parse_ok("ref==urn:a:1,urn:a:2");
  ASSERT_EQ(u.root.term.values.size(), 2u);
  EXPECT_EQ(u.root.term.values[1].text, "urn:a:2");
}

TEST(QueryParserTest, AndBindsTighterThanOr) {
  Query q = parse_ok("a==1|b==2;c==3");
  ASSERT_EQ(q.root.kind, Node::Kind::kOr);
  ASSERT_EQ(q.root.children.size(), 2u);
  EXPECT_EQ(q.root.children[0].kind, Node::Kind::kTerm);
  EXPECT_EQ(q.root.children[1].kind, Node::Kind::kAnd);
  EXPECT_EQ(q.term_count, 3);
}

TEST(QueryParserTest, ParenthesesGroup) {
  Query q = parse_ok("(a==1|b==2);c==3;d");
  ASSERT_EQ(q.root.kind, Node::Kind::kAnd);
  ASSERT_EQ(q.root.children.size(), 3u);
  EXPECT_EQ(q.root.children[0].kind, Node::Kind::kOr);
  // The planner sees the two top-level terms, not the OR.
  auto terms = top_level_terms(q);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0]->path.attr, kVocab + "c");
  EXPECT_EQ(terms[1]->op, Op::kExists);
  EXPECT_TRUE(top_level_terms(parse_ok("a|b")).empty());
  EXPECT_EQ(top_level_terms(parse_ok("((a))")).size(), 1u);
}

TEST(QueryParserTest, WhitespaceBetweenTokens) {
  Query q = parse_ok(" ( a == 1 | b ) ; c >= 2 ");
  EXPECT_EQ(q.root.kind, Node::Kind::kAnd);
  EXPECT_EQ(q.term_count, 3);
}

TEST(QueryParserTest, PathsExpandNamesButNotCompoundKeys) {
  auto ctx = Context::extend(Context::core(),
                             {{"temp", "https://example.org/temperature"},
                              {"acc", "https://example.org/accuracy"}});
  auto r = parse_query("temp.acc[a b][temp]>1", *ctx);
  ASSERT_TRUE(r) << r.error().detail;
  const AttrPath& p = r->root.term.path;
  EXPECT_EQ(p.attr, "https://example.org/temperature");
  ASSERT_EQ(p.sub_attrs.size(), 1u);
  EXPECT_EQ(p.sub_attrs[0], "https://example.org/accuracy");
  ASSERT_EQ(p.compound.size(), 2u);
  EXPECT_EQ(p.compound[0], "a b");
  EXPECT_EQ(p.compound[1], "temp");
  EXPECT_EQ(p.meta, MetaField::kNone);
  EXPECT_EQ(p.text, "temp.acc[a b][temp]");
}

TEST(QueryParserTest, MetadataAsLastPathElement) {
  EXPECT_EQ(parse_ok("a.observedAt>2026-01-01T00:00:00Z").root.term.path.meta,
            MetaField::kObservedAt);
  EXPECT_EQ(parse_ok("a.unitCode==\"CEL\"").root.term.path.meta,
            MetaField::kUnitCode);
  EXPECT_EQ(parse_ok("a.datasetId==urn:ds:1").root.term.path.meta,
            MetaField::kDatasetId);
  EXPECT_EQ(parse_ok("a.b.createdAt").root.term.path.meta,
            MetaField::kCreatedAt);
  Query m = parse_ok("a.b.modifiedAt<2026-01-01");
  EXPECT_EQ(m.root.term.path.meta, MetaField::kModifiedAt);
  EXPECT_EQ(m.root.term.path.sub_attrs.size(), 1u);
  // Not the last element: an error, not a silent sub-attribute.
  EXPECT_NE(parse_err("a.observedAt.b").detail.find("last element"),
            std::string::npos);
}

TEST(QueryParserTest, PatternsQuotedAndUnquoted) {
  Query q = parse_ok("name~=(?i)^ber(lin|n)$;x==1");
  ASSERT_EQ(q.root.kind, Node::Kind::kAnd);
  EXPECT_EQ(q.root.children[0].term.pattern_text, "(?i)^ber(lin|n)$");
  EXPECT_NE(q.root.children[0].term.pattern, nullptr);

  Query quoted = parse_ok(R"(name~="a;b|c\"d\d")");
  EXPECT_EQ(quoted.root.term.pattern_text, "a;b|c\"d\\d");

  Query klass = parse_ok("name~=[;|)]x|y==1");
  ASSERT_EQ(klass.root.kind, Node::Kind::kOr);
  EXPECT_EQ(klass.root.children[0].term.pattern_text, "[;|)]x");

  Query in_parens = parse_ok("(name~=ab)");
  EXPECT_EQ(in_parens.root.term.pattern_text, "ab");
}

// Every malformed q: a kBadRequestData error naming the position and what
// was expected.
TEST(QueryParserTest, ErrorsNamePositionAndExpectation) {
  struct Case {
    const char* q;
    const char* detail;
  };
  const Case cases[] = {
      {"", "q: empty query"},
      {"speed>=",
       "q: expected a value after '>=', found end of query at "
       "position 8"},
      {"speed>=;a", "q: expected a value after '>=', found ';' at position 8"},
      {"(a==1",
       "q: expected ')' to close the '(' at position 1, found end "
       "of query at position 6"},
      {"a==1)", "q: unexpected ')' without a matching '(' at position 5"},
      {"a=1",
       "q: unknown operator '=' (expected ==, !=, >, >=, <, <=, ~= "
       "or !~=) at position 2"},
      {"a=>1", "q: unknown operator '=>'"},
      {"a==1 b",
       "q: expected ';', '|' or end of query, found 'b' at "
       "position 6"},
      {"a==\"abc", "q: unterminated string starting at position 4"},
      {"a==abc",
       "q: 'abc' is not a number, true/false, date, time or URI "
       "(strings must be quoted: \"...\") at position 4"},
      {"a;", "q: expected an attribute name, found end of query at position 3"},
      {"()", "q: expected an attribute name before ')' at position 2"},
      {"a|;b", "q: expected an attribute name, found ';' at position 3"},
      {"a.", "q: expected a sub-attribute name after '.', found end of query"},
      {"a[x", "q: expected ']' to close the '[' at position 2, found end"},
      {"a[]", "q: empty member name in '[]' at position 2"},
      {"a[x].b", "cannot follow a '[...]' member at position 5"},
      {"a>1..5", "q: a range needs == or !=, not '>' at position 4"},
      {"a<1,2", "q: a value list needs == or !=, not '<'"},
      {"a==1..\"z\"", "q: a range needs two numbers, strings, dates or times"},
      {"a==true..false", "q: a range needs two numbers"},
      {"a>true", "q: '>' needs a number, string, date or time"},
      {"a==2026-13-45", "q: '2026-13-45' is not a valid date at position 4"},
      {"a==2026-11-25T10:00:00",
       "is not a valid date-time (an offset such "
       "as Z is required)"},
      {"a==25:00:00", "q: '25:00:00' is not a valid time"},
      {"a==1e999", "q: number '1e999' is out of range"},
      {"a==\"\\q\"", "q: bad escape '\\q' in string at position 5"},
      {"a==\"\\u12\"", "q: bad escape '\\u' in string"},
      {"a~=", "q: expected a pattern after '~=', found end of query"},
      {"a~=(x", "q: bad regular expression (missing ): (x) at position 4"},
      {"a~=\"x", "q: unterminated pattern starting at position 4"},
      {"a==1,", "q: expected a value after ',', found end of query"},
      {"a==1,2..3", "q: a value list cannot contain a range"},
      {"a==1..", "q: expected a value after '..', found end of query"},
  };
  for (const Case& c : cases) {
    Error e = parse_err(c.q);
    EXPECT_EQ(e.code, Code::kBadRequestData) << c.q;
    EXPECT_NE(e.detail.find(c.detail), std::string::npos)
        << c.q << " -> " << e.detail;
  }
}

TEST(QueryParserTest, LengthLimit) {
  std::string q = "a==\"" + std::string(kMaxQueryLength, 'x') + "\"";
  Error e = parse_err(q);
  EXPECT_EQ(e.code, Code::kTooComplexQuery);
  EXPECT_NE(e.detail.find("limit 4096"), std::string::npos) << e.detail;
}

TEST(QueryParserTest, NestingLimit) {
  auto nested = [](int depth) {
    return std::string(depth, '(') + "a" + std::string(depth, ')');
  };
  parse_ok(nested(kMaxQueryDepth));
  Error e = parse_err(nested(kMaxQueryDepth + 1));
  EXPECT_EQ(e.code, Code::kTooComplexQuery);
  EXPECT_NE(e.detail.find("max_query_depth"), std::string::npos) << e.detail;
  // Far deeper than the limit (and unbalanced): still a clean error.
  EXPECT_EQ(parse_err(std::string(4000, '(')).code, Code::kTooComplexQuery);
}

TEST(QueryParserTest, TermLimit) {
  auto terms = [](int n) {
    std::string q = "a";
    for (int i = 1; i < n; ++i) q += ";a";
    return q;
  };
  EXPECT_EQ(parse_ok(terms(kMaxQueryTerms)).term_count, kMaxQueryTerms);
  Error e = parse_err(terms(kMaxQueryTerms + 1));
  EXPECT_EQ(e.code, Code::kTooComplexQuery);
  EXPECT_NE(e.detail.find("max_query_terms"), std::string::npos) << e.detail;
}

TEST(QueryParserTest, PathologicalPatternsAreRejectedOrBounded) {
  // Too big once compiled: rejected with the limit named.
  Error big = parse_err("a~=((((((((x{100}){100}){100}){100}))))))");
  EXPECT_TRUE(big.code == Code::kTooComplexQuery ||
              big.code == Code::kBadRequestData);
  EXPECT_FALSE(big.detail.empty());
  Error large = parse_err("a~=.{1000}.{1000}.{1000}");
  EXPECT_EQ(large.code, Code::kTooComplexQuery) << large.detail;
  EXPECT_NE(large.detail.find("max_pattern_memory"), std::string::npos);
  // Backtracking bombs are fine for RE2 (linear time): accepted.
  parse_ok("a~=(a+)+$");
  parse_ok("a~=(x|x|x)*y");
  // Back-references are not regular: rejected, not emulated.
  EXPECT_EQ(parse_err("a~=(a)\\1").code, Code::kBadRequestData);
}

}  // namespace
}  // namespace cocity::ngsi

#include "apps/cocreation/recipients_csv.h"

#include <gtest/gtest.h>

namespace cocity::apps::cocreation {
namespace {

TEST(RecipientsCsvTest, ParsesCommaAndSemicolonFiles) {
  auto a = parse_recipients_csv(
      "Name,E-Mail,Municipality\r\n\"Muster, Anna\",Anna@Example.org,"
      "Musterstadt\r\n\r\nBob,bob@example.org,\"Dorf \"\"Nord\"\"\"\r\n");
  ASSERT_TRUE(a) << a.error().detail;
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].name, "Muster, Anna");
  EXPECT_EQ((*a)[0].email, "anna@example.org");
  EXPECT_EQ((*a)[1].municipality, "Dorf \"Nord\"");
  auto b = parse_recipients_csv(
      "\xEF\xBB\xBF"
      "email;name\nx@y.de;X\n");
  ASSERT_TRUE(b) << b.error().detail;
  EXPECT_EQ((*b)[0].name, "X");
}

TEST(RecipientsCsvTest, ErrorsNameTheLine) {
  auto bad = parse_recipients_csv("email\na@b.de\nnot-an-address\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail,
            "line 3: 'not-an-address' is not an e-mail address");
  auto twice = parse_recipients_csv("email\na@b.de\nA@b.de\n");
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().detail.find("line 3"), std::string::npos);
  EXPECT_FALSE(parse_recipients_csv("name\nx\n"));
  EXPECT_FALSE(parse_recipients_csv("email\n\"a@b.de\n"));
  EXPECT_FALSE(parse_recipients_csv("email\n"));
}

TEST(RecipientsCsvTest, LimitsAre413) {
  std::string big = "email\n" + std::string(kMaxCsvBytes, 'a');
  auto r = parse_recipients_csv(big);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kPayloadTooLarge);
  std::string many = "email\n";
  for (size_t i = 0; i <= kMaxRecipients; ++i) {
    many += "p" + std::to_string(i) + "@x.de\n";
  }
  auto m = parse_recipients_csv(many);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, Code::kPayloadTooLarge);
}

TEST(RecipientsCsvTest, PlausibleEmail) {
  EXPECT_TRUE(plausible_email("a.b@c.de"));
  for (const char* s :
       {"", "@c.de", "a@", "a@b", "a@@b.de", "a b@c.de", "a@b.", "a@.de"}) {
    EXPECT_FALSE(plausible_email(s)) << s;
  }
}

}  // namespace
}  // namespace cocity::apps::cocreation

#include "mail/message.h"

#include <gtest/gtest.h>

#include "mail/mime_decode.h"

namespace cocity::mail {
namespace {

using test::decode_header;
using test::decode_quoted_printable;
using test::parse_mail;

// Every line ends in CRLF and is at most `max` characters long.
void expect_lines(const std::string& text, size_t max) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "no CRLF after " << start;
    EXPECT_LE(end - start, max) << text.substr(start, end - start);
    EXPECT_EQ(text.substr(start, end - start).find('\n'), std::string::npos);
    start = end + 2;
  }
}

TEST(QuotedPrintableTest, UmlautsAndEqualsSignsRoundTrip) {
  std::string text = "Grüße aus Müllheim an der Ößtraße\nlink?a=b#token=ff\n";
  std::string qp = quoted_printable(text);
  EXPECT_NE(qp.find("Gr=C3=BC=C3=9Fe"), std::string::npos) << qp;
  EXPECT_NE(qp.find("token=3Dff"), std::string::npos) << qp;
  expect_lines(qp, 76);
  EXPECT_EQ(decode_quoted_printable(qp), text);
}

TEST(QuotedPrintableTest, LongLinesGetSoftBreaksAndStayDecodable) {
  std::string link = "https://beteiligung.musterstadt.de/survey#token=" +
                     std::string(64, 'a') + "ä" + std::string(70, 'b');
  std::string qp = quoted_printable(link + "\n");
  expect_lines(qp, 76);
  EXPECT_NE(qp.find("=\r\n"), std::string::npos);
  EXPECT_EQ(decode_quoted_printable(qp), link + "\n");
}

TEST(QuotedPrintableTest, TrailingSpaceAndLeadingDotAreEncoded) {
  std::string qp = quoted_printable("end with space \n.\n.hidden\r\nx");
  EXPECT_EQ(qp, "end with space=20\r\n=2E\r\n=2Ehidden\r\nx\r\n");
  EXPECT_EQ(decode_quoted_printable(qp), "end with space \n.\n.hidden\nx\n");
}

TEST(HeaderTextTest, AsciiStaysAndUtf8IsEncodedInShortWords) {
  EXPECT_EQ(encode_header_text("Survey: spring 2026"), "Survey: spring 2026");
  std::string subject =
      "Umfrage / Survey: Bürgerbeteiligung Frühjahr 2026 – Ideen für "
      "Straßenbeleuchtung und Luftqualität";
  std::string encoded = encode_header_text(subject);
  EXPECT_TRUE(encoded.starts_with("=?UTF-8?B?")) << encoded;
  expect_lines("Subject: " + encoded + "\r\n", 78);
  EXPECT_EQ(decode_header(encoded), subject);
  // Control characters never pass through as they are.
  EXPECT_EQ(encode_header_text("a\r\nBcc: x@y.de").find('\n'),
            std::string::npos);
}

TEST(MailDateTest, Rfc5322InUtc) {
  auto t = parse_iso_time("2026-11-25T21:04:10.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_mail_date(*t), "Wed, 25 Nov 2026 21:04:10 +0000");
  EXPECT_EQ(format_mail_date(*parse_iso_time("2027-01-03T00:00:00Z")),
            "Sun, 03 Jan 2027 00:00:00 +0000");
}

TEST(MailboxTest, ParsesBareAndNamedAddresses) {
  auto bare = parse_mailbox(" noreply@town.de ");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->address, "noreply@town.de");
  EXPECT_EQ(bare->name, "");
  auto named = parse_mailbox("\"Stadt Müllheim\" <beteiligung@muellheim.de>");
  ASSERT_TRUE(named) << named.error().detail;
  EXPECT_EQ(named->name, "Stadt Müllheim");
  EXPECT_EQ(named->address, "beteiligung@muellheim.de");
  for (const char* bad :
       {"", "no-at-sign", "a@", "@b", "a b@c.de", "Name <a@b.de",
        "Name <a@b.de> x", "a@b@c", "ü@town.de"}) {
    EXPECT_FALSE(parse_mailbox(bad)) << bad;
  }
}

Message sample() {
  Message m;
  m.from = {"Stadt Müllheim", "beteiligung@muellheim.de"};
  m.to = "buergermeisterin@example.org";
  m.subject = "Umfrage / Survey: Frühjahr";
  m.body = "Ihr persönlicher Link:\nhttps://x.de/survey#token=abc\n";
  m.date = *parse_iso_time("2026-11-25T21:04:10Z");
  m.message_id = "cocity.default.7.1@muellheim.de";
  return m;
}

TEST(RenderMessageTest, HeadersAndBodyAsAMailProgramReadsThem) {
  auto raw = render_message(sample());
  ASSERT_TRUE(raw) << raw.error().detail;
  expect_lines(*raw, 78);
  auto parsed = parse_mail(*raw);
  EXPECT_EQ(decode_header(parsed.headers["from"]),
            "Stadt Müllheim <beteiligung@muellheim.de>");
  EXPECT_EQ(parsed.headers["to"], "buergermeisterin@example.org");
  EXPECT_EQ(decode_header(parsed.headers["subject"]),
            "Umfrage / Survey: Frühjahr");
  EXPECT_EQ(parsed.headers["date"], "Wed, 25 Nov 2026 21:04:10 +0000");
  EXPECT_EQ(parsed.headers["message-id"], "<cocity.default.7.1@muellheim.de>");
  EXPECT_EQ(parsed.headers["mime-version"], "1.0");
  EXPECT_EQ(parsed.headers["content-type"], "text/plain; charset=UTF-8");
  EXPECT_EQ(parsed.headers["content-transfer-encoding"], "quoted-printable");
  EXPECT_EQ(decode_quoted_printable(parsed.body), sample().body);
  // 7-bit clean: nothing above ASCII on the wire.
  for (unsigned char c : *raw) EXPECT_LT(c, 0x80);
}

TEST(RenderMessageTest, RefusesAddressesThatCouldInjectHeaders) {
  Message m = sample();
  m.to = "a@b.de\r\nBcc: everyone@example.org";
  auto r = render_message(m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kBadRequestData);
  EXPECT_TRUE(r.error().detail.starts_with("to:")) << r.error().detail;
  m = sample();
  m.subject = "Hi\r\nBcc: everyone@example.org";
  auto ok = render_message(m);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->find("\r\nBcc:"), std::string::npos);
  m = sample();
  m.message_id = "no-domain";
  EXPECT_FALSE(render_message(m));
}

}  // namespace
}  // namespace cocity::mail

#include "mail/message.h"

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstdio>

#include "core/text.h"

namespace cocity::mail {

namespace {

constexpr size_t kMaxLine = 76;         // quoted-printable, RFC 2045
constexpr size_t kMaxPlainHeader = 66;  // "Subject: " + text <= 78
constexpr size_t kWordBytes = 39;       // UTF-8 bytes per encoded word

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Length of the UTF-8 sequence starting at `s[i]`, at least 1 and never past
// the end (invalid bytes count as one character).
size_t utf8_length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80           ? 1
             : (c >> 5) == 0x6  ? 2
             : (c >> 4) == 0xe  ? 3
             : (c >> 3) == 0x1e ? 4
                                : 1;
  return std::min(n, s.size() - i);
}

// One character of a quoted-printable line: itself or =XX.
std::string qp_token(unsigned char c, bool last_in_line, bool line_start) {
  bool literal = (c >= 33 && c <= 126 && c != '=') ||
                 ((c == ' ' || c == '\t') && !last_in_line);
  if (c == '.' && line_start) literal = false;
  if (literal) return std::string(1, static_cast<char>(c));
  static constexpr char kHex[] = "0123456789ABCDEF";
  return {'=', kHex[c >> 4], kHex[c & 0xf]};
}

void append_qp_line(std::string_view line, std::string* out) {
  size_t column = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    bool last = i + 1 == line.size();
    std::string token =
        qp_token(static_cast<unsigned char>(line[i]), last, column == 0);
    // Keep room for the soft break "=" unless this ends the line.
    size_t room = last ? kMaxLine : kMaxLine - 1;
    if (column + token.size() > room) {
      *out += "=\r\n";
      column = 0;
      token = qp_token(static_cast<unsigned char>(line[i]), last, true);
    }
    *out += token;
    column += token.size();
  }
  *out += "\r\n";
}

std::string from_header(const Mailbox& from) {
  if (from.name.empty()) return from.address;
  std::string_view name = from.name;
  bool plain = printable_ascii(name) && name.size() <= kMaxPlainHeader &&
               name.find_first_of("\"\\") == std::string_view::npos;
  std::string shown =
      plain ? "\"" + from.name + "\"" : encode_header_text(from.name);
  return shown + " <" + from.address + ">";
}

Status check_message_id(std::string_view id) {
  if (id.find('@') == std::string_view::npos || !printable_ascii(id) ||
      id.find_first_of(" <>") != std::string_view::npos) {
    return fail(Code::kBadRequestData,
                "message_id: '" + std::string(id) +
                    "' is not of the form unique@domain");
  }
  return ok();
}

}  // namespace

Status check_address(std::string_view address) {
  size_t at = address.find('@');
  bool valid =
      !address.empty() && printable_ascii(address) &&
      address.find_first_of(" <>()[],;:\\\"") == std::string_view::npos &&
      at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
      address.find('@', at + 1) == std::string_view::npos;
  if (!valid) {
    return fail(Code::kInvalidRequest, "'" + std::string(address) +
                                           "' is not an e-mail address "
                                           "(local@domain, ASCII)");
  }
  return ok();
}

Result<Mailbox> parse_mailbox(std::string_view text) {
  text = trim(text);
  Mailbox m;
  size_t open = text.find('<');
  if (open == std::string_view::npos) {
    m.address = std::string(text);
  } else {
    size_t close = text.find('>', open);
    if (close == std::string_view::npos ||
        !trim(text.substr(close + 1)).empty()) {
      return fail(Code::kInvalidRequest,
                  "'" + std::string(text) +
                      "' is not 'Name <address>': '>' missing or not last");
    }
    std::string_view name = trim(text.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    m.name = std::string(name);
    m.address = std::string(text.substr(open + 1, close - open - 1));
  }
  if (auto s = check_address(m.address); !s) return std::unexpected(s.error());
  return m;
}

std::string encode_header_text(std::string_view text) {
  if (printable_ascii(text) && text.size() <= kMaxPlainHeader) {
    return std::string(text);
  }
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    while (end < text.size()) {
      size_t n = utf8_length(text, end);
      if (end + n - i > kWordBytes && end > i) break;
      end += n;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    append_qp_line(line, &out);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string format_mail_date(TimePoint t) {
  static constexpr std::array<const char*, 7> kDays = {
      "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun",
      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(day);
  std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day));
  std::chrono::weekday wd(day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays[wd.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Result<std::string> render_message(const Message& m) {
  if (auto s = check_address(m.from.address); !s) {
    return fail(Code::kBadRequestData, "from: " + s.error().detail);
  }
  if (auto s = check_address(m.to); !s) {
    return fail(Code::kBadRequestData, "to: " + s.error().detail);
  }
  if (auto s = check_message_id(m.message_id); !s) {
    return std::unexpected(s.error());
  }
  std::string subject = m.subject;
  for (char& c : subject) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  std::string out;
  out += "From: " + from_header(m.from) + "\r\n";
  out += "To: " + m.to + "\r\n";
  out += "Subject: " + encode_header_text(subject) + "\r\n";
  out += "Date: " + format_mail_date(m.date) + "\r\n";
  out += "Message-ID: <" + m.message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "\r\n";
  out += quoted_printable(m.body);
  return out;
}

}  // namespace cocity::mail

// Test helpers: decode what mail/message.h encodes (quoted-printable bodies,
// RFC 2047 encoded words) and split a raw message into headers and body, so
// tests can check what a reader's mail program would show.
#pragma once

#include <openssl/evp.h>

#include <cctype>
#include <map>
#include <string>
#include <string_view>

namespace cocity::test {

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Quoted-printable to text; CRLF hard breaks become "\n".
inline std::string decode_quoted_printable(std::string_view qp) {
  std::string out;
  for (size_t i = 0; i < qp.size(); ++i) {
    char c = qp[i];
    if (c == '=' && i + 1 < qp.size() && qp[i + 1] == '\r') {
      i += 2;  // soft break "=\r\n"
    } else if (c == '=' && i + 1 < qp.size() && qp[i + 1] == '\n') {
      i += 1;
    } else if (c == '=' && i + 2 < qp.size()) {
      out +=
          static_cast<char>(hex_digit(qp[i + 1]) * 16 + hex_digit(qp[i + 2]));
      i += 2;
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

inline std::string decode_base64(std::string_view b64) {
  std::string out(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0) return "<bad base64>";
  size_t pad = 0;
  for (size_t i = b64.size(); i > 0 && b64[i - 1] == '='; --i) ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

// A header value with RFC 2047 "=?UTF-8?B?...?=" words decoded and folding
// whitespace between them removed.
inline std::string decode_header(std::string_view value) {
  std::string out;
  while (!value.empty()) {
    size_t start = value.find("=?UTF-8?B?");
    if (start == std::string_view::npos) {
      out += value;
      break;
    }
    std::string_view before = value.substr(0, start);
    bool only_space = before.find_first_not_of(" \t\r\n") == std::string::npos;
    if (!only_space || out.empty()) out += before;
    size_t end = value.find("?=", start + 10);
    out += decode_base64(value.substr(start + 10, end - start - 10));
    value.remove_prefix(end + 2);
  }
  return out;
}

struct ParsedMail {
  std::map<std::string, std::string> headers;  // lower-case name -> value
  std::string body;                            // still encoded
};

// Splits a raw message (CRLF or LF lines); folded headers are joined.
inline ParsedMail parse_mail(std::string_view raw) {
  ParsedMail m;
  std::string last;
  while (!raw.empty()) {
    size_t nl = raw.find('\n');
    std::string_view line = raw.substr(0, nl);
    raw.remove_prefix(nl == std::string_view::npos ? raw.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !last.empty()) {
      m.headers[last] += std::string(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    last.clear();
    for (char c : line.substr(0, colon)) {
      last += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    m.headers[last] = std::string(value);
  }
  m.body = std::string(raw);
  return m;
}

}  // namespace cocity::test

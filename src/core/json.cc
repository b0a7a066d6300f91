#include "core/json.h"

#include <boost/json/parser.hpp>

#include <charconv>
#include <cmath>

namespace cocity {

Result<json::value> parse_json(std::string_view text, const JsonLimits& limits,
                               json::storage_ptr storage) {
  json::parse_options opt;
  opt.max_depth = limits.max_depth;
  json::parser p(json::storage_ptr(), opt);
  p.reset(std::move(storage));
  boost::system::error_code ec;
  size_t used = p.write_some(text.data(), text.size(), ec);
  if (!ec) {
    if (used != text.size()) {
      // Only whitespace may follow the document.
      for (size_t i = used; i < text.size(); ++i) {
        char c = text[i];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return fail(Code::kInvalidRequest,
                      "invalid JSON at byte " + std::to_string(i) +
                          ": unexpected data after the document");
        }
      }
    }
  }
  if (ec) {
    if (ec == json::error::too_deep) {
      return fail(Code::kInvalidRequest, "JSON nesting deeper than " +
                                             std::to_string(limits.max_depth) +
                                             " levels (limit max_json_depth)");
    }
    return fail(
        Code::kInvalidRequest,
        "invalid JSON at byte " + std::to_string(used) + ": " + ec.message());
  }
  return p.release();
}

namespace {

// cocity writes JSON itself rather than through json::serialize: about 3x
// faster piece by piece, and doubles come out in the shortest round-trip
// decimal form ("2.5"; Boost.JSON 1.81 writes "2.5E0"). A double that is
// integral keeps a ".0" so that it stays a double when read back;
// non-finite numbers, which JSON cannot express, become null.
}  // namespace

void append_json_string(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of bytes that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    out->push_back('\\');
    switch (c) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '\n':
        out->push_back('n');
        break;
      case '\r':
        out->push_back('r');
        break;
      case '\t':
        out->push_back('t');
        break;
      default:
        out->append("u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xf]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

namespace {

template <typename T>
void append_integer(T v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr - buf);
}

void append_double(double d, std::string* out) {
  if (!std::isfinite(d)) {
    out->append("null");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view text(buf, r.ptr - buf);
  out->append(text);
  if (text.find_first_of(".e") == std::string_view::npos) out->append(".0");
}

}  // namespace

void append_json(const json::value& v, std::string* out) {
  switch (v.kind()) {
    case json::kind::null:
      out->append("null");
      return;
    case json::kind::bool_:
      out->append(v.get_bool() ? "true" : "false");
      return;
    case json::kind::int64:
      append_integer(v.get_int64(), out);
      return;
    case json::kind::uint64:
      append_integer(v.get_uint64(), out);
      return;
    case json::kind::double_:
      append_double(v.get_double(), out);
      return;
    case json::kind::string:
      append_json_string(v.get_string(), out);
      return;
    case json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        append_json(item, out);
      }
      out->push_back(']');
      return;
    }
    case json::kind::object:
      append_json(v.get_object(), out);
      return;
  }
}

void append_json(const json::object& object, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& kv : object) {
    if (!first) out->push_back(',');
    first = false;
    append_json_string(kv.key(), out);
    out->push_back(':');
    append_json(kv.value(), out);
  }
  out->push_back('}');
}

std::string to_json(const json::value& v) {
  std::string out;
  append_json(v, &out);
  return out;
}

bool same_keys(const json::object& a, const json::object& b) {
  if (a.size() != b.size()) return false;
  auto y = b.begin();
  for (const auto& x : a) {
    if (x.key() != (y++)->key()) return false;
  }
  return true;
}

void assign_in_place(const json::object& src, json::object* dst) {
  if (!same_keys(src, *dst)) {
    *dst = src;  // copies into dst's storage
    return;
  }
  assign_members_in_place(src, dst);
}

void assign_members_in_place(const json::object& src, json::object* dst) {
  auto d = dst->begin();
  for (const auto& kv : src) {
    assign_in_place(kv.value(), &d->value());
    ++d;
  }
}

void assign_in_place(const json::value& src, json::value* dst) {
  if (src.is_object() && dst->is_object()) {
    assign_in_place(src.get_object(), &dst->get_object());
  } else if (src.is_array() && dst->is_array() &&
             src.get_array().size() == dst->get_array().size()) {
    auto d = dst->get_array().begin();
    for (const auto& e : src.get_array()) assign_in_place(e, &*d++);
  } else if (src.is_string() && dst->is_string()) {
    dst->get_string() = src.get_string();
  } else {
    *dst = src;  // copies into dst's storage
  }
}

std::string_view json_kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

}  // namespace cocity

#include "core/json.h"

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>

namespace cocity {

Result<json::value> parse_json(std::string_view text,
                               const JsonLimits& limits) {
  json::parse_options opt;
  opt.max_depth = limits.max_depth;
  json::parser p(json::storage_ptr(), opt);
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

// Boost.JSON 1.81 writes doubles in exponent form ("2.5E0"); cocity writes
// the shortest round-trip decimal form instead ("2.5"), as clients expect.
void append_number(double d, std::string* out) {
  if (!std::isfinite(d)) {  // JSON has no NaN or infinity
    out->append("null");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view text(buf, r.ptr - buf);
  out->append(text);
  // Keep the value a JSON double on the way back in: 1.0 stays "1.0".
  if (text.find_first_of(".eEn") == std::string_view::npos) out->append(".0");
}

void append_value(const json::value& v, std::string* out) {
  switch (v.kind()) {
    case json::kind::double_:
      append_number(v.get_double(), out);
      return;
    case json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        append_value(e, out);
      }
      out->push_back(']');
      return;
    }
    case json::kind::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out->push_back(',');
        first = false;
        out->append(json::serialize(json::string_view(kv.key())));
        out->push_back(':');
        append_value(kv.value(), out);
      }
      out->push_back('}');
      return;
    }
    default:
      out->append(json::serialize(v));
  }
}

}  // namespace

std::string to_json(const json::value& v) {
  std::string out;
  append_value(v, &out);
  return out;
}

void append_json(const json::value& v, std::string* out) {
  append_value(v, out);
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

#include "core/json.h"

#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/monotonic_resource.hpp>

namespace cocity {

Result<json::value> ParseJson(std::string_view text, const JsonLimits& limits) {
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
          return Fail(Code::kInvalidRequest,
                      "invalid JSON at byte " + std::to_string(i) +
                          ": unexpected data after the document");
        }
      }
    }
  }
  if (ec) {
    if (ec == json::error::too_deep) {
      return Fail(Code::kInvalidRequest,
                  "JSON nesting deeper than " + std::to_string(limits.max_depth) +
                      " levels (limit max_json_depth)");
    }
    return Fail(Code::kInvalidRequest, "invalid JSON at byte " +
                                           std::to_string(used) + ": " +
                                           ec.message());
  }
  return p.release();
}

std::string ToJson(const json::value& v) { return json::serialize(v); }

std::string_view JsonKindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

}  // namespace cocity

#include "store/entity_codec.h"

#include <boost/json/parser.hpp>

#include <charconv>
#include <cmath>

namespace cocity::store {

namespace {

// Stored bodies were validated on the way in; the deeper limit only keeps a
// damaged file from exhausting the stack.
constexpr size_t kMaxStoredDepth = 128;

// The stored form is private to the store, so it has its own writer: about
// 3x faster than serializing through json::serialize piece by piece. Same
// output conventions as cocity::to_json (shortest round-trip doubles, "1.0"
// stays a double, non-finite numbers become null).
void append_string(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of plain bytes
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

void append_value(const json::value& v, std::string* out);

void append_object(const json::object& object, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& kv : object) {
    if (!first) out->push_back(',');
    first = false;
    append_string(std::string_view(kv.key().data(), kv.key().size()), out);
    out->push_back(':');
    append_value(kv.value(), out);
  }
  out->push_back('}');
}

void append_value(const json::value& v, std::string* out) {
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
    case json::kind::string: {
      const json::string& s = v.get_string();
      append_string(std::string_view(s.data(), s.size()), out);
      return;
    }
    case json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        append_value(item, out);
      }
      out->push_back(']');
      return;
    }
    case json::kind::object:
      append_object(v.get_object(), out);
      return;
  }
}

void append_string_array(const std::vector<std::string>& items,
                         std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    append_string(items[i], out);
  }
  out->push_back(']');
}

std::unexpected<Error> corrupt(std::string_view what) {
  return fail(Code::kInternal,
              "stored entity is corrupt: " + std::string(what));
}

bool read_string_array(const json::value* v, std::vector<std::string>* out) {
  if (v == nullptr || !v->is_array()) return false;
  for (const auto& item : v->get_array()) {
    if (!item.is_string()) return false;
    out->emplace_back(item.get_string());
  }
  return true;
}

bool read_micros(const json::value* v, TimePoint* out) {
  if (v == nullptr || !v->is_int64()) return false;
  *out = from_micros(v->get_int64());
  return true;
}

}  // namespace

void append_json_object(const json::object& object, std::string* out) {
  append_object(object, out);
}

void encode_entity(const ngsi::Entity& entity, std::string* out) {
  out->append("{\"id\":");
  append_string(entity.id, out);
  out->append(",\"types\":");
  append_string_array(entity.types, out);
  out->append(",\"scope\":");
  append_string_array(entity.scope, out);
  out->append(",\"attrs\":");
  append_json_object(entity.attrs, out);
  out->append(",\"createdAt\":");
  out->append(std::to_string(to_micros(entity.created_at)));
  out->append(",\"modifiedAt\":");
  out->append(std::to_string(to_micros(entity.modified_at)));
  out->push_back('}');
}

std::string encode_entity(const ngsi::Entity& entity) {
  std::string out;
  encode_entity(entity, &out);
  return out;
}

Result<ngsi::Entity> decode_entity(std::string_view text) {
  // One parser per thread, reused: it keeps its buffers between calls.
  thread_local json::parser parser(json::storage_ptr(), [] {
    json::parse_options options;
    options.max_depth = kMaxStoredDepth;
    return options;
  }());
  parser.reset();
  boost::system::error_code ec;
  parser.write(text.data(), text.size(), ec);
  if (ec) return corrupt(ec.message());
  json::value parsed = parser.release();
  if (!parsed.is_object()) return corrupt("not an object");
  json::object& doc = parsed.get_object();
  ngsi::Entity entity;
  const json::value* id = doc.if_contains("id");
  if (id == nullptr || !id->is_string()) return corrupt("'id' is missing");
  entity.id = std::string(id->get_string());
  if (!read_string_array(doc.if_contains("types"), &entity.types)) {
    return corrupt("'types' is not an array of strings");
  }
  if (!read_string_array(doc.if_contains("scope"), &entity.scope)) {
    return corrupt("'scope' is not an array of strings");
  }
  json::value* attrs = doc.if_contains("attrs");
  if (attrs == nullptr || !attrs->is_object()) {
    return corrupt("'attrs' is not an object");
  }
  entity.attrs = std::move(attrs->get_object());
  if (!read_micros(doc.if_contains("createdAt"), &entity.created_at) ||
      !read_micros(doc.if_contains("modifiedAt"), &entity.modified_at)) {
    return corrupt("'createdAt'/'modifiedAt' are not integers");
  }
  return entity;
}

}  // namespace cocity::store

#include "store/entity_codec.h"

#include <boost/json/parser.hpp>

#include <charconv>
#include <cmath>

namespace cocity::store {

namespace {

// Stored bodies were validated on the way in; the deeper limit only keeps a
// damaged file from exhausting the stack.
constexpr size_t kMaxStoredDepth = 128;

void append_string_array(const std::vector<std::string>& items,
                         std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    append_json_string(items[i], out);
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

void encode_entity(const ngsi::Entity& entity, std::string* out) {
  out->append("{\"id\":");
  append_json_string(entity.id, out);
  out->append(",\"types\":");
  append_string_array(entity.types, out);
  out->append(",\"scope\":");
  append_string_array(entity.scope, out);
  out->append(",\"attrs\":");
  append_json(entity.attrs, out);
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

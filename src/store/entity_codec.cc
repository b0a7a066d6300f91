#include "store/entity_codec.h"

#include <boost/json/parser.hpp>

#include <optional>

#include "store/byte_codec.h"

namespace cocity::store {

namespace {

// Stored bodies were validated on the way in; the deeper limit only keeps a
// damaged file from exhausting the stack.
constexpr size_t kMaxStoredDepth = 128;

constexpr char kBinaryForm = 0x01;
constexpr uint8_t kJsonInstance = 0;
constexpr uint8_t kPlainProperty = 1;
constexpr uint8_t kDoubleValue = 1 << 5;
constexpr uint8_t kPlainBits = 0x7f;  // bit 7 is never set
enum Member : uint8_t {
  kValue = 0,
  kObservedAt = 1,
  kUnitCode = 2,
  kDatasetId = 3,
};
constexpr int kMaxMembers = 4;

// Times outside the years 0000-9999 are never written (format_iso_time
// could not write them either); reading one means the bytes are damaged.
constexpr int64_t kMinMicros = -62'167'219'200'000'000;
constexpr int64_t kMaxMicros = 253'402'300'799'999'999;

// What the cache's estimate of the compact JSON text adds up, besides the
// strings themselves: an entity's members, an attribute's name and array, a
// string array and each of its items; a plain Property besides its members,
// and each member besides its string.
constexpr size_t kEntityText = 80;
constexpr size_t kAttrText = 6;
constexpr size_t kListText = 2;
constexpr size_t kItemText = 3;
constexpr size_t kPlainText = 100;
constexpr size_t kMemberText[] = {24, 40, 14, 15};

std::unexpected<Error> corrupt(std::string_view what) {
  return fail(Code::kInternal,
              "stored entity is corrupt: " + std::string(what));
}

// The microseconds of `v` if it is a time exactly as format_iso_time
// writes it (only then does the plain form give the same text back).
std::optional<int64_t> formatted_micros(const json::value& v,
                                        IsoTimeMemo* memo) {
  if (!v.is_string()) return std::nullopt;
  auto t = memo->parse_formatted(v.get_string());
  if (!t) return std::nullopt;
  return to_micros(*t);
}

// A createdAt/modifiedAt pair: the second as its distance from the first.
void put_times(int64_t created, int64_t modified, std::string* out) {
  put_zigzag(created, out);
  put_zigzag(modified - created, out);
}

// Appends `inst` in the plain Property form if it has that shape, and
// returns its estimated text size; returns 0 and appends nothing if not.
size_t append_plain_property(const json::object& inst, std::string* out) {
  // Instances written together share their system times, and often their
  // observedAt: one memo for each.
  thread_local IsoTimeMemo system_times;
  thread_local IsoTimeMemo observed_times;
  if (inst.size() < 4 || inst.size() > 3 + kMaxMembers) return 0;
  auto it = inst.begin();
  const json::string* type = it->value().if_string();
  if (it->key() != "type" || type == nullptr || *type != "Property") return 0;
  ++it;
  const json::value* value = nullptr;
  int64_t observed = 0;
  std::string_view unit;
  std::string_view dataset;
  uint8_t order = 0;
  int count = 0;
  for (; it != inst.end() && it->key() != "createdAt"; ++it) {
    std::string_view k = it->key();
    const json::value& v = it->value();
    uint8_t code = 0;
    if (k == "value") {
      if (!v.is_int64() && !v.is_double()) return 0;
      value = &v;
      code = kValue;
    } else if (k == "observedAt") {
      auto micros = formatted_micros(v, &observed_times);
      if (!micros) return 0;
      observed = *micros;
      code = kObservedAt;
    } else if (k == "unitCode" && v.is_string()) {
      unit = v.get_string();
      code = kUnitCode;
    } else if (k == "datasetId" && v.is_string()) {
      dataset = v.get_string();
      code = kDatasetId;
    } else {
      return 0;
    }
    order |= static_cast<uint8_t>(code << (2 * count));
    ++count;
  }
  if (value == nullptr || it == inst.end()) return 0;
  auto created = formatted_micros(it->value(), &system_times);
  if (!created || ++it == inst.end() || it->key() != "modifiedAt") return 0;
  auto modified = formatted_micros(it->value(), &system_times);
  if (!modified || ++it != inst.end()) return 0;

  size_t text = kPlainText;
  out->push_back(static_cast<char>(kPlainProperty | (count << 2) |
                                   (value->is_double() ? kDoubleValue : 0)));
  out->push_back(static_cast<char>(order));
  for (int i = 0; i < count; ++i) {
    auto code = static_cast<Member>((order >> (2 * i)) & 3);
    text += kMemberText[code];
    switch (code) {
      case kValue:
        if (value->is_double()) {
          put_double(value->get_double(), out);
        } else {
          put_zigzag(value->get_int64(), out);
        }
        break;
      case kObservedAt:
        put_zigzag(observed, out);
        break;
      case kUnitCode:
        put_bytes(unit, out);
        text += unit.size();
        break;
      case kDatasetId:
        put_bytes(dataset, out);
        text += dataset.size();
        break;
    }
  }
  put_times(*created, *modified, out);
  return text;
}

size_t append_instance(const json::value& inst, std::string* out) {
  if (const auto* o = inst.if_object()) {
    if (size_t text = append_plain_property(*o, out); text > 0) return text;
  }
  out->push_back(static_cast<char>(kJsonInstance));
  thread_local std::string json;  // keeps its capacity between calls
  json.clear();
  append_json(inst, &json);
  put_bytes(json, out);
  return json.size();
}

size_t append_strings(const std::vector<std::string>& items, std::string* out) {
  size_t text = kListText;
  put_varint(items.size(), out);
  for (const auto& item : items) {
    put_bytes(item, out);
    text += item.size() + kItemText;
  }
  return text;
}

json::value parse_stored_json(std::string_view text,
                              boost::system::error_code& ec) {
  // One parser per thread, reused: it keeps its buffers between calls.
  thread_local json::parser parser(json::storage_ptr(), [] {
    json::parse_options options;
    options.max_depth = kMaxStoredDepth;
    return options;
  }());
  parser.reset();
  parser.write(text.data(), text.size(), ec);
  if (ec) return nullptr;
  return parser.release();
}

bool valid_micros(int64_t micros) {
  return micros >= kMinMicros && micros <= kMaxMicros;
}

// Reads a pair that put_times() wrote; false if the bytes are damaged.
bool read_times(ByteReader* r, int64_t* created, int64_t* modified) {
  *created = r->zigzag();
  // The sum without overflow on damaged bytes.
  *modified = static_cast<int64_t>(static_cast<uint64_t>(*created) +
                                   static_cast<uint64_t>(r->zigzag()));
  return !r->bad() && valid_micros(*created) && valid_micros(*modified);
}

Result<json::value> read_plain_property(uint8_t head, ByteReader* r,
                                        size_t* text) {
  thread_local IsoTimeMemo system_times;
  thread_local IsoTimeMemo observed_times;
  int count = (head >> 2) & 7;
  if ((head & ~kPlainBits) != 0 || count < 1 || count > kMaxMembers) {
    return corrupt("a plain Property's head");
  }
  uint8_t order = r->byte();
  json::object o;
  o.reserve(static_cast<size_t>(count) + 3);
  o.emplace("type", "Property");
  unsigned seen = 0;
  *text += kPlainText;
  for (int i = 0; i < count; ++i) {
    auto code = static_cast<Member>((order >> (2 * i)) & 3);
    if ((seen & (1u << code)) != 0) return corrupt("a member twice");
    seen |= 1u << code;
    *text += kMemberText[code];
    switch (code) {
      case kValue:
        if ((head & kDoubleValue) != 0) {
          o.emplace("value", r->float64());
        } else {
          o.emplace("value", r->zigzag());
        }
        break;
      case kObservedAt: {
        int64_t micros = r->zigzag();
        if (!valid_micros(micros)) return corrupt("observedAt");
        o.emplace("observedAt", observed_times.format(from_micros(micros)));
        break;
      }
      case kUnitCode:
      case kDatasetId: {
        std::string_view s = r->bytes();
        *text += s.size();
        o.emplace(code == kUnitCode ? "unitCode" : "datasetId", s);
        break;
      }
    }
  }
  if ((seen & (1u << kValue)) == 0) return corrupt("a Property's value");
  int64_t created = 0;
  int64_t modified = 0;
  if (!read_times(r, &created, &modified)) {
    return corrupt("an instance's system times");
  }
  o.emplace("createdAt", system_times.format(from_micros(created)));
  o.emplace("modifiedAt", system_times.format(from_micros(modified)));
  return json::value(std::move(o));
}

Result<json::value> read_instance(ByteReader* r, size_t* text) {
  uint8_t head = r->byte();
  if ((head & 3) == kPlainProperty) return read_plain_property(head, r, text);
  if (head != kJsonInstance) return corrupt("an instance's head");
  std::string_view json = r->bytes();
  if (r->bad()) return corrupt("an instance is cut short");
  boost::system::error_code ec;
  json::value v = parse_stored_json(json, ec);
  if (ec) return corrupt(ec.message());
  *text += json.size();
  return v;
}

bool read_strings(ByteReader* r, size_t limit, std::vector<std::string>* out,
                  size_t* text) {
  uint64_t n = r->varint();
  if (n > limit) return false;
  *text += kListText;
  out->reserve(n);
  for (uint64_t i = 0; i < n && !r->bad(); ++i) {
    out->emplace_back(r->bytes());
    *text += out->back().size() + kItemText;
  }
  return !r->bad();
}

Result<ngsi::Entity> decode_binary(std::string_view stored, size_t* text) {
  ByteReader r(stored.substr(1));
  ngsi::Entity e;
  e.id = r.bytes();
  *text = kEntityText + e.id.size();
  // Counts are bounded by the bytes left: every item takes at least one.
  if (!read_strings(&r, stored.size(), &e.types, text) ||
      !read_strings(&r, stored.size(), &e.scope, text)) {
    return corrupt("'types' or 'scope'");
  }
  int64_t created = 0;
  int64_t modified = 0;
  if (!read_times(&r, &created, &modified)) {
    return corrupt("the entity's system times");
  }
  e.created_at = from_micros(created);
  e.modified_at = from_micros(modified);
  uint64_t attrs = r.varint();
  if (attrs > stored.size()) return corrupt("the attribute count");
  e.attrs.reserve(attrs);
  for (uint64_t i = 0; i < attrs; ++i) {
    std::string_view iri = r.bytes();
    uint64_t n = r.varint();
    if (r.bad() || n > stored.size()) return corrupt("an attribute");
    *text += iri.size() + kAttrText;
    json::array instances;
    instances.reserve(n);
    for (uint64_t j = 0; j < n; ++j) {
      auto inst = read_instance(&r, text);
      if (!inst) return std::unexpected(inst.error());
      instances.push_back(std::move(*inst));
    }
    e.attrs.emplace(iri, std::move(instances));
  }
  if (r.bad() || !r.done()) return corrupt("its length");
  return e;
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

// The JSON text form, written before the binary one existed.
Result<ngsi::Entity> decode_text(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = parse_stored_json(text, ec);
  if (ec) return corrupt(ec.message());
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

}  // namespace

size_t encode_entity(const ngsi::Entity& entity, std::string* out) {
  out->push_back(kBinaryForm);
  put_bytes(entity.id, out);
  size_t text = kEntityText + entity.id.size();
  text += append_strings(entity.types, out);
  text += append_strings(entity.scope, out);
  put_times(to_micros(entity.created_at), to_micros(entity.modified_at), out);
  put_varint(entity.attrs.size(), out);
  for (const auto& kv : entity.attrs) {
    put_bytes(kv.key(), out);
    text += kv.key().size() + kAttrText;
    const json::array& instances = kv.value().get_array();
    put_varint(instances.size(), out);
    for (const auto& inst : instances) text += append_instance(inst, out);
  }
  return text;
}

std::string encode_entity(const ngsi::Entity& entity) {
  std::string out;
  encode_entity(entity, &out);
  return out;
}

Result<ngsi::Entity> decode_entity(std::string_view stored, size_t* text_size) {
  size_t text = stored.size();
  Result<ngsi::Entity> e = !stored.empty() && stored[0] == kBinaryForm
                               ? decode_binary(stored, &text)
                               : decode_text(stored);
  if (text_size) *text_size = text;
  return e;
}

}  // namespace cocity::store

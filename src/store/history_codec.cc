#include "store/history_codec.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/json.h"
#include "store/byte_codec.h"

namespace cocity::store {
namespace {

constexpr uint8_t kFormDeleted = 0;
constexpr uint8_t kFormDecimal = 1;
constexpr uint8_t kFormDouble = 2;
constexpr uint8_t kFormJson = 3;
constexpr uint8_t kHasObservedAt = 4;
constexpr uint8_t kHasDatasetId = 8;
constexpr uint8_t kNumberWithUnit = 0x80;  // with form bits 3
constexpr uint8_t kDoubleScale = 255;      // kNumberWithUnit: a double
constexpr int kMaxScale = 9;
constexpr int kIntegralDouble = 15;
constexpr double kPow10[kMaxScale + 1] = {1e0, 1e1, 1e2, 1e3, 1e4,
                                          1e5, 1e6, 1e7, 1e8, 1e9};
constexpr double kMaxMantissa = 9007199254740992.0;  // 2^53

// The smallest scale s with value == mantissa / 10^s exactly, or -1.
int decimal_scale(double value, int64_t* mantissa) {
  if (!std::isfinite(value)) return -1;
  for (int s = 0; s <= kMaxScale; ++s) {
    double m = std::nearbyint(value * kPow10[s]);
    if (std::fabs(m) >= kMaxMantissa) return -1;
    if (m / kPow10[s] == value) {
      *mantissa = static_cast<int64_t>(m);
      return s;
    }
  }
  return -1;
}

// Whether `instance` (of `entry`) is a plain numeric Property; fills the
// number form.
bool numeric_form(const HistoryEntry& entry, const json::object& instance,
                  StoredEntry* out) {
  const json::value* value = nullptr;
  bool property = false;
  for (const auto& kv : instance) {
    std::string_view k = kv.key();
    const json::value& v = kv.value();
    if (k == "type") {
      property = v.is_string() && v.get_string() == "Property";
    } else if (k == "value") {
      value = &v;
    } else if (k == "observedAt") {
      // The entries of one write often share their time.
      thread_local IsoTimeMemo times;
      if (!v.is_string() || v.get_string() != times.format(entry.observed_at))
        return false;
      out->has_observed_at = true;
    } else if (k == "datasetId") {
      if (!v.is_string() || v.get_string() != entry.dataset_id) return false;
      out->has_dataset_id = true;
    } else if (k == "unitCode") {
      if (!v.is_string() || v.get_string().empty()) return false;
      out->unit_code = std::string(v.get_string());
    } else if (k != "createdAt" && k != "modifiedAt") {
      return false;  // a sub-attribute, lang, ...
    }
  }
  if (!property || !value || (!value->is_double() && !value->is_int64())) {
    return false;
  }
  if (value->is_int64()) {
    int64_t v = value->get_int64();
    if (std::fabs(static_cast<double>(v)) >= kMaxMantissa) return false;
    out->number = static_cast<double>(v);
    out->integer = true;
  } else {
    out->number = value->get_double();
  }
  out->form = StoredEntry::Form::kNumber;
  return true;
}

void append_entry(const StoredEntry& e, int64_t time, std::string* out) {
  uint8_t tag = kFormJson;
  int64_t mantissa = 0;
  int scale = -1;
  if (e.form == StoredEntry::Form::kDeleted) {
    tag = kFormDeleted;
  } else if (e.form == StoredEntry::Form::kNumber) {
    scale = decimal_scale(e.number, &mantissa);
    if (scale == 0 && !e.integer) scale = kIntegralDouble;
    tag = scale >= 0 ? kFormDecimal | static_cast<uint8_t>(scale << 4)
                     : kFormDouble;
    if (!e.unit_code.empty()) tag = kFormJson | kNumberWithUnit;
    if (e.has_observed_at) tag |= kHasObservedAt;
    if (e.has_dataset_id) tag |= kHasDatasetId;
  }
  out->push_back(static_cast<char>(tag));
  put_zigzag(time, out);
  put_zigzag(e.recorded_us - e.observed_us, out);
  put_bytes(e.dataset_id, out);
  if (e.form == StoredEntry::Form::kNumber && !e.unit_code.empty()) {
    out->push_back(static_cast<char>(scale >= 0 ? scale : kDoubleScale));
    if (scale >= 0) {
      put_zigzag(mantissa, out);
    } else {
      put_double(e.number, out);
    }
    put_bytes(e.unit_code, out);
    return;
  }
  switch (tag & 3) {
    case kFormDecimal:
      put_zigzag(mantissa, out);
      break;
    case kFormDouble:
      put_double(e.number, out);
      break;
    case kFormJson:
      put_bytes(e.json, out);
      break;
    default:
      break;
  }
}

// The payload of an entry without a unitCode, by the form in `tag`.
void read_payload(ByteReader* r, uint8_t tag, StoredEntry* out) {
  StoredEntry& e = *out;
  switch (tag & 3) {
    case kFormDeleted:
      e.form = StoredEntry::Form::kDeleted;
      break;
    case kFormDecimal: {
      int scale = tag >> 4;
      e.form = StoredEntry::Form::kNumber;
      e.integer = scale == 0;
      if (scale == kIntegralDouble) scale = 0;
      e.number =
          static_cast<double>(r->zigzag()) / kPow10[std::min(scale, kMaxScale)];
      break;
    }
    case kFormDouble:
      e.form = StoredEntry::Form::kNumber;
      e.number = r->float64();
      break;
    default:
      e.form = StoredEntry::Form::kJson;
      e.json = std::string(r->bytes(r->varint()));
      break;
  }
}

// The payload of a number with a unitCode (kNumberWithUnit).
void read_number_with_unit(ByteReader* r, StoredEntry* e) {
  int scale = r->byte();
  e->form = StoredEntry::Form::kNumber;
  if (scale == kDoubleScale) {
    e->number = r->float64();
  } else {
    e->integer = scale == 0;
    if (scale == kIntegralDouble) scale = 0;
    e->number =
        static_cast<double>(r->zigzag()) / kPow10[std::min(scale, kMaxScale)];
  }
  e->unit_code = std::string(r->bytes(r->varint()));
}

// Reads one entry; `time` is the raw time field (caller resolves deltas).
StoredEntry read_entry(ByteReader* r, int64_t* time) {
  StoredEntry e;
  uint8_t tag = r->byte();
  *time = r->zigzag();
  int64_t recorded_delta = r->zigzag();
  e.dataset_id = std::string(r->bytes(r->varint()));
  if ((tag & 3) == kFormJson && (tag & kNumberWithUnit) != 0) {
    read_number_with_unit(r, &e);
  } else {
    read_payload(r, tag, &e);
  }
  e.has_observed_at = (tag & kHasObservedAt) != 0;
  e.has_dataset_id = (tag & kHasDatasetId) != 0;
  // Stash the delta; callers add observed_us once it is resolved.
  e.recorded_us = recorded_delta;
  return e;
}

std::unexpected<Error> corrupt(std::string_view what) {
  return fail(Code::kInternal,
              "stored history " + std::string(what) + " is corrupt");
}

// The stored form of `entry` whose instance is `instance`.
StoredEntry stored_form(const HistoryEntry& entry, const json::object& instance,
                        int64_t attr) {
  StoredEntry out;
  out.attr = attr;
  out.dataset_id = entry.dataset_id;
  out.observed_us = to_micros(entry.observed_at);
  out.recorded_us = to_micros(entry.recorded_at);
  if (entry.deleted) return out;
  if (numeric_form(entry, instance, &out)) return out;
  out.form = StoredEntry::Form::kJson;
  out.has_observed_at = out.has_dataset_id = false;
  append_json(instance, &out.json);
  return out;
}

}  // namespace

void encode_instance(const json::object& instance, HistoryEntry* entry) {
  StoredEntry s = stored_form(*entry, instance, 0);
  entry->encoded.clear();
  append_entry(s, s.observed_us, &entry->encoded);
}

StoredEntry to_stored(const HistoryEntry& entry, int64_t attr) {
  if (entry.encoded.empty()) return stored_form(entry, entry.instance, attr);
  // Bytes of encode_instance, made in this process: never corrupt.
  ByteReader r(entry.encoded);
  int64_t time = 0;
  StoredEntry e = read_entry(&r, &time);
  e.attr = attr;
  e.observed_us = time;
  e.recorded_us += time;
  return e;
}

void append_log_entry(const HistoryEntry& entry, int64_t attr,
                      std::string* out) {
  if (entry.encoded.empty()) {
    append_log_entry(to_stored(entry, attr), out);
    return;
  }
  put_varint(static_cast<uint64_t>(attr), out);
  out->append(entry.encoded);
}

Result<HistoryEntry> to_history(const StoredEntry& stored,
                                const std::string& attr_iri, bool values_only) {
  HistoryEntry h;
  h.attr = attr_iri;
  h.dataset_id = stored.dataset_id;
  h.observed_at = from_micros(stored.observed_us);
  h.recorded_at = from_micros(stored.recorded_us);
  if (!values_only) h.instance_id = instance_id(stored);
  switch (stored.form) {
    case StoredEntry::Form::kDeleted:
      h.deleted = true;
      break;
    case StoredEntry::Form::kNumber:
      h.number = stored.number;
      if (values_only) break;
      h.instance["type"] = "Property";
      if (stored.integer) {
        h.instance["value"] = static_cast<int64_t>(stored.number);
      } else {
        h.instance["value"] = stored.number;
      }
      if (stored.has_observed_at)
        h.instance["observedAt"] = format_iso_time(h.observed_at);
      if (stored.has_dataset_id) h.instance["datasetId"] = stored.dataset_id;
      if (!stored.unit_code.empty()) h.instance["unitCode"] = stored.unit_code;
      break;
    case StoredEntry::Form::kJson: {
      auto v = parse_json(stored.json, JsonLimits{128});
      if (!v || !v->is_object()) return corrupt("instance");
      h.instance = std::move(v->get_object());
      break;
    }
  }
  return h;
}

void append_log_entry(const StoredEntry& entry, std::string* out) {
  put_varint(static_cast<uint64_t>(entry.attr), out);
  append_entry(entry, entry.observed_us, out);
}

Status decode_log_row(std::string_view data, std::vector<StoredEntry>* out) {
  ByteReader r(data);
  while (!r.done() && !r.bad()) {
    auto attr = static_cast<int64_t>(r.varint());
    int64_t time = 0;
    StoredEntry e = read_entry(&r, &time);
    e.attr = attr;
    e.observed_us = time;
    e.recorded_us += time;
    out->push_back(std::move(e));
  }
  if (r.bad()) return corrupt("log row");
  return ok();
}

void encode_chunk(const std::vector<StoredEntry>& entries, std::string* out) {
  int64_t prev = 0;
  int64_t prev_delta = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const StoredEntry& e = entries[i];
    int64_t delta = i == 0 ? e.observed_us : e.observed_us - prev;
    append_entry(e, i == 0 ? delta : delta - prev_delta, out);
    prev_delta = i == 0 ? 0 : delta;
    prev = e.observed_us;
  }
}

Status decode_chunk(std::string_view data, uint64_t count, int64_t attr,
                    std::vector<StoredEntry>* out) {
  ByteReader r(data);
  int64_t prev = 0;
  int64_t prev_delta = 0;
  for (uint64_t i = 0; i < count; ++i) {
    int64_t raw = 0;
    StoredEntry e = read_entry(&r, &raw);
    if (r.bad()) return corrupt("chunk");
    int64_t delta = i == 0 ? 0 : raw + prev_delta;
    e.observed_us = i == 0 ? raw : prev + delta;
    e.recorded_us += e.observed_us;
    e.attr = attr;
    prev_delta = delta;
    prev = e.observed_us;
    out->push_back(std::move(e));
  }
  if (!r.done()) return corrupt("chunk");
  return ok();
}

void sort_by_observed(std::vector<StoredEntry>* entries) {
  auto earlier = [](const StoredEntry& a, const StoredEntry& b) {
    return a.observed_us < b.observed_us;
  };
  // A series usually arrives in time order; stable_sort would still move
  // every entry (three strings each) about log n times.
  if (std::is_sorted(entries->begin(), entries->end(), earlier)) return;
  std::stable_sort(entries->begin(), entries->end(), earlier);
}

bool holds_reading(const std::vector<StoredEntry>& entries,
                   const StoredEntry& reading) {
  for (const auto& e : entries) {
    if (e.attr == reading.attr && e.observed_us == reading.observed_us &&
        e.form != StoredEntry::Form::kDeleted &&
        e.dataset_id == reading.dataset_id) {
      return true;
    }
  }
  return false;
}

std::string instance_id(const StoredEntry& entry) {
  std::string id = "urn:ngsi-ld:Instance:" + std::to_string(entry.observed_us) +
                   "." + std::to_string(entry.recorded_us);
  if (!entry.dataset_id.empty()) id += "." + entry.dataset_id;
  return id;
}

}  // namespace cocity::store

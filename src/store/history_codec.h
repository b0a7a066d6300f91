// The binary encoding of attribute history: log rows (one per entity
// change, the writer's hot path) and per-series chunks (what compaction
// builds). docs/store.md ("History") describes the tables.
//
// A StoredEntry is a HistoryEntry as the store keeps it: the attribute as
// an interned key, times as microseconds, and the instance in one of three
// forms, so that compaction moves entries between encodings without
// parsing JSON:
//   kDeleted  no instance;
//   kNumber   {"type":"Property","value":<number>} plus, optionally,
//             "observedAt" equal to format_iso_time(observed_at),
//             "datasetId" equal to dataset_id and "unitCode" (flags), and
//             nothing else but the system times "createdAt" and
//             "modifiedAt", which are not kept (the entry's recorded time
//             is the instance's modifiedAt);
//   kJson     any other instance, as compact JSON text.
//
// Entry encoding (varint = LEB128, zz = zigzag varint):
//   tag      1 byte: bits 0-1 form (0 deleted, 1 decimal, 2 double, 3 json),
//            bit 2 instance has observedAt, bit 3 instance has datasetId,
//            bits 4-7 decimal scale s (value = mantissa / 10^s); s = 0
//            is a JSON integer, s = 15 an integral JSON double
//   time     zz(delta of delta of observed_at) in chunks; zz(observed_at)
//            in log rows
//   recorded zz(recorded_at - observed_at)
//   dataset  varint length + bytes
//   payload  decimal: zz(mantissa); double: 8 bytes little endian;
//            json: varint length + bytes
// A number with a unitCode has tag bits 0-1 = 3 and bit 7 set (bits 2 and
// 3 as above), and its payload is: 1 byte scale as above, or 255 for a
// double; zz(mantissa) or 8 bytes; varint length + unitCode bytes. (Bit 7
// is never set on JSON entries, so data written before stays readable.)
// A log row is a sequence of (varint attr key, entry). A chunk is the
// entries of one series sorted by observed_at (stable: commit order among
// equal times); its row carries the count.
//
// Decoding is defensive: corrupt bytes give kInternal, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace cocity::store {

struct StoredEntry {
  enum class Form : uint8_t { kDeleted = 0, kNumber = 1, kJson = 3 };
  int64_t attr = 0;
  std::string dataset_id;
  int64_t observed_us = 0;
  int64_t recorded_us = 0;
  Form form = Form::kDeleted;
  bool has_observed_at = false;  // kNumber: instance carries observedAt
  bool has_dataset_id = false;   // kNumber: instance carries datasetId
  std::string unit_code;         // kNumber: its unitCode, "" for none
  double number = 0;             // kNumber
  bool integer = false;          // kNumber: the JSON value was an integer
  std::string json;              // kJson: the instance, compact
};

// The stored form of `entry` with attribute key `attr`.
StoredEntry to_stored(const HistoryEntry& entry, int64_t attr);

// Sets entry->encoded to the stored form of `instance` as the entry of
// `entry`: its dataset_id, observed_at and recorded_at must be final.
// For writers that record an instance they keep (the new state of an
// entity): the store takes these bytes, and no copy of the instance is
// made.
void encode_instance(const json::object& instance, HistoryEntry* entry);

// Appends (attr key, entry) to a log row; uses entry.encoded when set.
void append_log_entry(const HistoryEntry& entry, int64_t attr,
                      std::string* out);

// Back to a HistoryEntry named `attr_iri`. With `values_only`, a kNumber
// entry gets `number` set and no instance object, and no entry gets an
// instance_id (cheap bulk reads).
Result<HistoryEntry> to_history(const StoredEntry& stored,
                                const std::string& attr_iri, bool values_only);

// Appends (attr key, entry) to a log row.
void append_log_entry(const StoredEntry& entry, std::string* out);
// Decodes a whole log row, appending to `out`.
Status decode_log_row(std::string_view data, std::vector<StoredEntry>* out);

// Encodes `entries` (one series, sorted by observed_at) as a chunk.
void encode_chunk(const std::vector<StoredEntry>& entries, std::string* out);
// Decodes a chunk of `count` entries of attribute `attr`, appending.
Status decode_chunk(std::string_view data, uint64_t count, int64_t attr,
                    std::vector<StoredEntry>* out);

// Sorts entries by observed_at, stably (keeps commit order among ties).
void sort_by_observed(std::vector<StoredEntry>* entries);

// Whether `entries` hold a live (not deleted) entry of the series of
// `reading` (attr, dataset_id) observed at its time.
bool holds_reading(const std::vector<StoredEntry>& entries,
                   const StoredEntry& reading);

// A stable id for one instance of an attribute: its times and dataset.
// "urn:ngsi-ld:Instance:<observed_us>.<recorded_us>[.<datasetId>]".
std::string instance_id(const StoredEntry& entry);

}  // namespace cocity::store

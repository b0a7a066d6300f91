#include "store/history_codec.h"

#include <gtest/gtest.h>

namespace cocity::store {
namespace {

HistoryEntry numeric(double v, int64_t observed_us, bool with_observed_at) {
  HistoryEntry h;
  h.attr = "urn:a";
  h.observed_at = from_micros(observed_us);
  h.recorded_at = from_micros(observed_us + 1500);
  h.instance["type"] = "Property";
  h.instance["value"] = v;
  if (with_observed_at)
    h.instance["observedAt"] = format_iso_time(h.observed_at);
  return h;
}

HistoryEntry round_trip(const HistoryEntry& in) {
  StoredEntry s = to_stored(in, 7);
  std::string row;
  append_log_entry(s, &row);
  std::vector<StoredEntry> decoded;
  EXPECT_TRUE(decode_log_row(row, &decoded));
  EXPECT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].attr, 7);
  auto out = to_history(decoded[0], in.attr, false);
  EXPECT_TRUE(out);
  return *out;
}

TEST(HistoryCodec, NumbersUseTheCompactFormAndRoundTrip) {
  for (double v : {23.4, -0.001, 1e-12, 3.141592653589793, 20.0, 1e300}) {
    HistoryEntry in = numeric(v, 1'700'000'000'123'000, true);
    EXPECT_EQ(to_stored(in, 1).form, StoredEntry::Form::kNumber);
    HistoryEntry out = round_trip(in);
    EXPECT_EQ(out.instance, in.instance) << v;
    EXPECT_TRUE(out.instance.at("value").is_double());
    EXPECT_EQ(out.observed_at, in.observed_at);
    EXPECT_EQ(out.recorded_at, in.recorded_at);
    ASSERT_TRUE(out.number);
    EXPECT_EQ(*out.number, v);
  }
  HistoryEntry in = numeric(0, 5, false);
  in.instance["value"] = int64_t{-42};
  HistoryEntry out = round_trip(in);
  EXPECT_TRUE(out.instance.at("value").is_int64());
  EXPECT_EQ(out.instance, in.instance);
}

// What sensors send: a unit, a dataset, and the system times the store
// adds to every instance. Still the compact form; the system times are not
// kept (the entry's recorded time is the instance's modifiedAt).
TEST(HistoryCodec, NumbersWithUnitDatasetAndSystemTimesStayCompact) {
  for (double v : {1.5, 1e300, -7.0}) {
    HistoryEntry in = numeric(v, 1'000'000, true);
    in.instance["unitCode"] = "GQ";
    in.dataset_id = "urn:ds:1";
    in.instance["datasetId"] = "urn:ds:1";
    HistoryEntry with_times = in;
    with_times.instance["createdAt"] = "2026-01-01T00:00:00.000Z";
    with_times.instance["modifiedAt"] = "2026-11-26T00:00:00.000Z";
    StoredEntry stored = to_stored(with_times, 1);
    EXPECT_EQ(stored.form, StoredEntry::Form::kNumber) << v;
    EXPECT_EQ(stored.unit_code, "GQ");
    std::string row;
    append_log_entry(stored, &row);
    EXPECT_LE(row.size(), 30u) << v;  // was ~150 bytes as JSON text
    HistoryEntry out = round_trip(with_times);
    EXPECT_EQ(out.instance, in.instance) << v;
    EXPECT_EQ(out.dataset_id, "urn:ds:1");
    ASSERT_TRUE(out.number);
    EXPECT_EQ(*out.number, v);
  }
  // Integers stay integers with a unit too.
  HistoryEntry in = numeric(0, 5, false);
  in.instance["value"] = int64_t{12};
  in.instance["unitCode"] = "C62";
  EXPECT_EQ(round_trip(in).instance, in.instance);
  EXPECT_TRUE(round_trip(in).instance.at("value").is_int64());
}

TEST(HistoryCodec, OtherInstancesKeepTheirJson) {
  HistoryEntry in = numeric(1.5, 1'000'000, false);
  in.instance["https://example.org/accuracy"] =
      json::object{{"type", "Property"}, {"value", 0.5}};
  EXPECT_EQ(to_stored(in, 1).form, StoredEntry::Form::kJson);
  HistoryEntry out = round_trip(in);
  EXPECT_EQ(out.instance, in.instance);
  in = numeric(1.5, 1'000'000, false);
  in.instance["unitCode"] = 7;  // not a unit code: kept as written
  EXPECT_EQ(to_stored(in, 1).form, StoredEntry::Form::kJson);
  EXPECT_EQ(round_trip(in).instance, in.instance);
  // observedAt that is not in the canonical form stays as written.
  in = numeric(1.5, 1'000'000, false);
  in.instance["observedAt"] = "1970-01-01T00:00:01Z";
  EXPECT_EQ(round_trip(in).instance, in.instance);

  HistoryEntry gone;
  gone.attr = "urn:a";
  gone.deleted = true;
  gone.observed_at = gone.recorded_at = from_micros(9);
  HistoryEntry back = round_trip(gone);
  EXPECT_TRUE(back.deleted);
  EXPECT_TRUE(back.instance.empty());
}

// An instance encoded as it is recorded (encode_instance) is stored
// exactly as the same instance given as a copy.
TEST(HistoryCodec, EncodedInstancesAreStoredLikeCopies) {
  HistoryEntry plain = numeric(21.5, 1'000'000, true);
  HistoryEntry with_unit = numeric(3, 2'000'000, true);
  with_unit.instance["unitCode"] = "GQ";
  with_unit.dataset_id = "urn:ds:2";
  with_unit.instance["datasetId"] = "urn:ds:2";
  HistoryEntry other = numeric(1.5, 3'000'000, false);
  other.instance["lang"] = "de";
  for (const HistoryEntry& copy : {plain, with_unit, other}) {
    HistoryEntry encoded = copy;
    encoded.instance = {};
    encode_instance(copy.instance, &encoded);
    ASSERT_FALSE(encoded.encoded.empty());
    std::string a, b;
    append_log_entry(copy, 9, &a);
    append_log_entry(encoded, 9, &b);
    EXPECT_EQ(a, b);
    StoredEntry sa = to_stored(copy, 9);
    StoredEntry sb = to_stored(encoded, 9);
    EXPECT_EQ(sb.attr, 9);
    EXPECT_EQ(sb.form, sa.form);
    EXPECT_EQ(sb.observed_us, sa.observed_us);
    EXPECT_EQ(sb.recorded_us, sa.recorded_us);
    EXPECT_EQ(sb.dataset_id, sa.dataset_id);
    EXPECT_EQ(sb.unit_code, sa.unit_code);
    EXPECT_EQ(sb.json, sa.json);
    EXPECT_EQ(round_trip(encoded).instance, round_trip(copy).instance);
  }
}

TEST(HistoryCodec, ChunksAreSmallForRegularSeries) {
  std::vector<StoredEntry> entries;
  int64_t t0 = 1'700'000'000'000'000;
  for (int i = 0; i < 1000; ++i) {
    HistoryEntry h =
        numeric(20 + (i % 50) / 10.0, t0 + i * 900'000'000LL, false);
    h.recorded_at = h.observed_at;
    entries.push_back(to_stored(h, 3));
  }
  std::string chunk;
  encode_chunk(entries, &chunk);
  EXPECT_LE(chunk.size(), 6u * entries.size());
  std::vector<StoredEntry> back;
  ASSERT_TRUE(decode_chunk(chunk, entries.size(), 3, &back));
  ASSERT_EQ(back.size(), entries.size());
  for (size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].observed_us, entries[i].observed_us);
    EXPECT_EQ(back[i].recorded_us, entries[i].recorded_us);
    EXPECT_EQ(back[i].number, entries[i].number);
    EXPECT_EQ(back[i].attr, 3);
  }
}

TEST(HistoryCodec, CorruptBytesAreAnErrorNotACrash) {
  std::vector<StoredEntry> entries;
  entries.push_back(to_stored(numeric(1.25, 100, true), 1));
  entries.push_back(to_stored(numeric(2.5, 200, true), 1));
  std::string chunk;
  encode_chunk(entries, &chunk);
  for (size_t cut = 0; cut < chunk.size(); ++cut) {
    std::vector<StoredEntry> out;
    EXPECT_FALSE(decode_chunk(chunk.substr(0, cut), 2, 1, &out)) << cut;
  }
  std::vector<StoredEntry> out;
  EXPECT_FALSE(decode_chunk(chunk + "x", 2, 1, &out));
  EXPECT_FALSE(decode_log_row(std::string(12, '\xff'), &out));
}

}  // namespace
}  // namespace cocity::store

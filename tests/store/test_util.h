// Helpers shared by the store tests: a temporary data directory, entity
// builders and a blocking write.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "store/store.h"

namespace cocity::store::testing {

inline constexpr char kAirType[] =
    "https://smartdatamodels.org/dataModel.Environment/AirQualityObserved";
inline constexpr char kNo2[] =
    "https://smartdatamodels.org/dataModel.Environment/no2";
inline constexpr char kPm10[] =
    "https://smartdatamodels.org/dataModel.Environment/pm10";
inline constexpr char kLocation[] = "https://uri.etsi.org/ngsi-ld/location";

// A fresh directory under $TMPDIR (or /tmp), removed when destroyed.
class TempDir {
 public:
  TempDir() {
    std::string base =
        std::filesystem::temp_directory_path() / "cocity-store-XXXXXX";
    path_ = mkdtemp(base.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline json::object property(json::value value) {
  json::object p;
  p["type"] = "Property";
  p["value"] = std::move(value);
  return p;
}

inline json::object point(double lon, double lat) {
  json::object g;
  g["type"] = "GeoProperty";
  g["value"] =
      json::object{{"type", "Point"}, {"coordinates", json::array{lon, lat}}};
  return g;
}

inline ngsi::Entity air_entity(const std::string& id, double no2,
                               double lon = 13.4, double lat = 52.5) {
  ngsi::Entity e;
  e.id = id;
  e.types = {kAirType};
  e.attrs[kNo2] = json::array{property(no2)};
  e.attrs[kPm10] = json::array{property(no2 * 2)};
  e.attrs[kLocation] = json::array{point(lon, lat)};
  e.created_at = from_micros(1'700'000'000'000'000);
  e.modified_at = from_micros(1'700'000'000'000'001);
  return e;
}

// A mutation that replaces the entity with `e` and appends one history
// entry per attribute.
inline Mutation put_entity(ngsi::Entity e) {
  return [e = std::move(e)](const ngsi::Entity*) -> Result<Change> {
    Change c;
    c.kind = Change::Kind::kPut;
    c.entity = e;
    for (const auto& kv : e.attrs) {
      HistoryEntry h;
      h.attr = std::string(kv.key());
      h.observed_at = e.modified_at;
      h.recorded_at = e.modified_at;
      h.instance = kv.value().as_array().front().as_object();
      c.history.push_back(std::move(h));
    }
    return c;
  };
}

inline Mutation delete_entity() {
  return [](const ngsi::Entity* current) -> Result<Change> {
    if (current == nullptr) return fail(Code::kNotFound, "no such entity");
    Change c;
    c.kind = Change::Kind::kDelete;
    return c;
  };
}

// Writes and waits for the acknowledgement.
inline std::vector<Status> write_sync(TenantStore& t,
                                      std::vector<WriteOp> ops) {
  std::promise<std::vector<Status>> done;
  auto future = done.get_future();
  t.write(std::move(ops),
          [&done](std::vector<Status> s) { done.set_value(std::move(s)); });
  return future.get();
}

inline Status put_sync(TenantStore& t, const ngsi::Entity& e) {
  std::vector<WriteOp> ops;
  ops.push_back(WriteOp{e.id, put_entity(e)});
  return write_sync(t, std::move(ops)).front();
}

}  // namespace cocity::store::testing

// Discovery at scale: feeds N entities (3 types, 4-6 attributes each) to an
// AttributeCatalog as the writer would, then times summary(), the work of
// one /types or /attributes request.
//
//   catalog_bench [entities=1000000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/attribute_catalog.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

cocity::ngsi::Entity make_entity(int i) {
  static const char* kTypes[] = {"WasteContainer", "AirQualityObserved",
                                 "Streetlight"};
  cocity::ngsi::Entity e;
  e.id = "urn:ngsi-ld:E:" + std::to_string(i);
  e.types = {std::string("https://smartdatamodels.org/") + kTypes[i % 3]};
  cocity::json::array inst;
  inst.push_back(cocity::json::object{{"type", "Property"}, {"value", i}});
  for (int a = 0; a < 4 + i % 3; ++a) {
    e.attrs["https://smartdatamodels.org/attr" + std::to_string(a)] = inst;
  }
  return e;
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000000;
  cocity::store::AttributeCatalog catalog;
  auto t0 = Clock::now();
  (void)catalog.ensure_built([&](const auto& visit) {
    for (int i = 1; i <= n; ++i) visit(i, make_entity(i));
    return cocity::ok();
  });
  double build_ms = ms_since(t0);
  auto e = make_entity(7);
  t0 = Clock::now();
  for (int i = 0; i < 100000; ++i) catalog.put(1 + i % n, e);
  double put_us = ms_since(t0) * 1000 / 100000;
  t0 = Clock::now();
  constexpr int kRounds = 1000;
  size_t types = 0;
  for (int i = 0; i < kRounds; ++i) types += catalog.summary().types.size();
  double summary_us = ms_since(t0) * 1000 / kRounds;
  std::printf(
      "entities %d: build %.0f ms (incl. making entities), put %.2f us, "
      "summary %.1f us (%zu types)\n",
      n, build_ms, put_us, summary_us, types / kRounds);
  return 0;
}

// The CPU cost of the NGSI-LD edge, per entity, against the raw JSON parse
// rate of the same bytes: what a batch upsert of 1,000 AirQualityObserved
// entities costs before the store sees it.
//
//   build/release/bench/ngsi/ngsi_bench
#include <benchmark/benchmark.h>

#include <string>

#include "ngsi/entity_parser.h"
#include "ngsi/entity_writer.h"

namespace cocity {
namespace {

std::string station(int i) {
  return R"({"id": "urn:ngsi-ld:AirQualityObserved:S)" + std::to_string(i) +
         R"(", "type": "AirQualityObserved",
  "no2": {"type": "Property", "value": 41.5, "unitCode": "GQ", "observedAt": "2026-11-25T08:00:00Z"},
  "pm10": {"type": "Property", "value": 20.25, "unitCode": "GQ", "observedAt": "2026-11-25T08:00:00Z"},
  "pm25": {"type": "Property", "value": 11.0, "unitCode": "GQ", "observedAt": "2026-11-25T08:00:00Z"}})";
}

std::string batch(int n) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + station(i);
  return s + "]";
}

// Boost.JSON alone: the floor under everything else.
void BM_RawJsonParse(benchmark::State& state) {
  std::string text = batch(1000);
  for (auto _ : state) {
    auto v = parse_json(text, JsonLimits{.max_depth = 32});
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(state.iterations() * text.size());
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_RawJsonParse);

// JSON parse plus validation and expansion into the stored form.
void BM_ParseBatchEntities(benchmark::State& state) {
  std::string text = batch(1000);
  auto ctx = ngsi::Context::core();
  TimePoint now = Clock::system()->now();
  for (auto _ : state) {
    auto v = parse_json(text, JsonLimits{.max_depth = 32});
    for (const auto& item : v->get_array()) {
      auto e = ngsi::parse_entity(item, *ctx, now);
      benchmark::DoNotOptimize(e);
    }
  }
  state.SetBytesProcessed(state.iterations() * text.size());
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_ParseBatchEntities);

void BM_RenderEntity(benchmark::State& state) {
  auto ctx = ngsi::Context::core();
  auto e =
      ngsi::parse_entity(*parse_json(station(1)), *ctx, Clock::system()->now());
  ngsi::RenderOptions opt;
  opt.format = static_cast<ngsi::Format>(state.range(0));
  for (auto _ : state) {
    std::string out = to_json(ngsi::render_entity(*e, opt, *ctx));
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderEntity)->Arg(0)->Arg(1)->Arg(2)->ArgNames({"format"});

}  // namespace
}  // namespace cocity

BENCHMARK_MAIN();

// Feeds arbitrary bytes through the path an entity body takes: JSON parsing
// with the nesting limit, the entity and fragment parsers, and rendering of
// whatever was accepted in every representation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ngsi/entity_parser.h"
#include "ngsi/entity_writer.h"

using namespace cocity;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = parse_json(text, JsonLimits{.max_depth = 32});
  if (!doc) return 0;
  auto ctx = ngsi::Context::core();
  TimePoint now = from_micros(1'764'000'000'000'000);
  if (auto e = ngsi::parse_entity(*doc, *ctx, now)) {
    for (auto format : {ngsi::Format::kNormalized, ngsi::Format::kConcise,
                        ngsi::Format::kKeyValues}) {
      ngsi::RenderOptions opt;
      opt.format = format;
      opt.sys_attrs = true;
      opt.lang = "de";
      to_json(ngsi::render_entity(*e, opt, *ctx));
      to_json(ngsi::render_feature(*e, opt, *ctx, ngsi::kLocationIri));
    }
  }
  (void)ngsi::parse_fragment(*doc, *ctx, now, true);
  return 0;
}

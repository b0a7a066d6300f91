// Feeds arbitrary bytes to the geoQ parser (georel, geometry and
// coordinates, one per line) and to the type-expression and scopeQ parsers;
// whatever is accepted is tested against stored geometries of every kind.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ngsi/context.h"
#include "ngsi/geo_query.h"
#include "ngsi/type_expression.h"

using namespace cocity;

namespace {

const std::vector<ngsi::GeoShape>& stored() {
  static const std::vector<ngsi::GeoShape> shapes = [] {
    std::vector<ngsi::GeoShape> out;
    for (
        const char* g : {
            R"({"type":"Point","coordinates":[8,50]})",
            R"({"type":"MultiPoint","coordinates":[[8,50],[9,51]]})",
            R"({"type":"LineString","coordinates":[[8,50],[8.1,50.1]]})",
            R"({"type":"MultiLineString","coordinates":[[[8,50],[9,50]],[[0,0],[1,1]]]})",
            R"({"type":"Polygon","coordinates":[[[7,49],[9,49],[9,51],[7,51],[7,49]],[[7.5,49.5],[7.6,49.5],[7.6,49.6],[7.5,49.5]]]})",
            R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[8,50],[8.2,50],[8.2,50.2],[8,50]]]]})",
            R"({"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]})",
        }) {
      auto shape = ngsi::read_shape(*parse_json(g), "seed");
      if (shape) out.push_back(std::move(*shape));
    }
    return out;
  }();
  return shapes;
}

std::string_view next_line(std::string_view* rest) {
  size_t nl = rest->find('\n');
  std::string_view line = rest->substr(0, nl);
  *rest =
      nl == std::string_view::npos ? std::string_view() : rest->substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto& ctx = *ngsi::Context::core();
  (void)ngsi::parse_type_expression(input, ctx);
  if (auto scope = ngsi::parse_scope_query(input)) {
    (void)ngsi::scope_matches(*scope, {"/a/b", "/c"});
  }
  std::string_view rest = input;
  ngsi::GeoQueryText text;
  text.georel = std::string(next_line(&rest));
  text.geometry = std::string(next_line(&rest));
  if (!ngsi::read_coordinates(next_line(&rest), &text)) return 0;
  text.geoproperty = std::string(next_line(&rest));
  auto q = ngsi::parse_geo_query(text, ctx);
  if (!q) return 0;
  for (const auto& shape : stored()) (void)ngsi::geo_matches(*q, shape);
  return 0;
}

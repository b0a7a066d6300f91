// GeoJSON geometry validation (RFC 7946) for GeoProperty values.
//
// Accepted: Point, MultiPoint, LineString, MultiLineString, Polygon,
// MultiPolygon and GeometryCollection, positions of 2 or 3 numbers with
// longitude in [-180, 180] and latitude in [-90, 90]; LineStrings of at
// least 2 positions; Polygon rings closed and of at least 4 positions.
#pragma once

#include <string_view>

#include "core/error.h"
#include "core/json.h"

namespace cocity::ngsi {

// kBadRequestData naming `where` (e.g. "attribute 'location'") and the rule.
Status validate_geometry(const json::value& geometry, std::string_view where);

// Whether `v` looks like a GeoJSON geometry (an object with a geometry
// "type" and "coordinates" or "geometries"); used to infer GeoProperties in
// the concise format. Says nothing about validity.
bool looks_like_geometry(const json::value& v);

}  // namespace cocity::ngsi

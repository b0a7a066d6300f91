// Reading typed fields out of request JSON with errors that name the field
// ("fleet[2].capacity_l: must be a number > 0"). Shared by the waste app's
// request parsers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "core/time.h"
#include "roads/geo.h"

namespace cocity::apps::waste {

// The member `name` of `o`, or nullptr when absent or null.
const json::value* member(const json::object& o, std::string_view name);

Result<const json::object*> as_object(const json::value& v,
                                      const std::string& path);
Result<const json::array*> as_array(const json::value& v,
                                    const std::string& path);
Result<std::string> as_string(const json::value& v, const std::string& path);
Result<double> as_number(const json::value& v, const std::string& path);
Result<bool> as_bool(const json::value& v, const std::string& path);

// A number field with a default and an allowed range [lo, hi].
Result<double> number_field(const json::object& o, std::string_view name,
                            const std::string& path, double fallback, double lo,
                            double hi);

// A required string field.
Result<std::string> string_field(const json::object& o, std::string_view name,
                                 const std::string& path);

// [lon, lat] (GeoJSON order) or a GeoJSON Point object.
Result<roads::LatLon> as_location(const json::value& v,
                                  const std::string& path);

// Seconds after midnight: a number of seconds or "HH:MM[:SS]" (up to
// 48:00, for shifts past midnight).
Result<int64_t> as_clock_time(const json::value& v, const std::string& path);

// An ISO 8601 date-time with offset.
Result<TimePoint> as_time(const json::value& v, const std::string& path);

std::unexpected<Error> bad_field(const std::string& path, std::string rule);

}  // namespace cocity::apps::waste

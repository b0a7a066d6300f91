// Request-target parsing: percent-decoding and query strings (RFC 3986).
//
// In query values a raw '+' is a space, as HTML forms and most HTTP client
// libraries encode one ("q=name==%22Eiffel+Tower%22"); a literal plus comes
// as %2B. Where a space can never be meant and a raw '+' can, the plus
// stays: the scopeQ wildcard ("/Madrid/+/Gardens") and the time offsets
// of timeAt and endTimeAt ("2026-11-26T10:00:00+01:00").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cocity::server {

// Appends the percent-decoded form of `in` to `*out`. Returns false (and
// leaves `*out` unspecified) on a malformed escape ("%zz", "%4").
bool percent_decode(std::string_view in, std::string* out);

// The path part of a request target (before '?'), undecoded.
std::string_view raw_path(std::string_view target);

// Splits a request target into its decoded path and decoded query
// parameters (a raw '+' in a value is a space, see above). A target that is not
// origin-form ("/...") or holds a malformed escape is kInvalidRequest naming
// the part.
Status parse_target(std::string_view target, std::string* path,
                    std::vector<std::pair<std::string, std::string>>* query);

}  // namespace cocity::server

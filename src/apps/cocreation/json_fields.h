// Reading fields of request bodies, with errors that name the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"

namespace cocity::apps::cocreation {

// The body as a JSON object; kInvalidRequest for malformed JSON,
// kBadRequestData when it is not an object.
Result<json::object> parse_body(std::string_view body);

// A string member of 1..max_length bytes. Absent: kBadRequestData when
// required, else `fallback`.
Result<std::string> string_field(const json::object& o, std::string_view key,
                                 bool required, size_t max_length = 500,
                                 std::string fallback = {});

// An integer member; absent: `fallback` (or an error when none is given).
Result<int64_t> int_field(const json::object& o, std::string_view key,
                          std::optional<int64_t> fallback, int64_t min,
                          int64_t max);

// A boolean member; absent: `fallback`.
Result<bool> bool_field(const json::object& o, std::string_view key,
                        bool fallback);

// Parses a decimal id ("12") from a path; kNotFound naming `what` otherwise.
Result<int64_t> parse_id(std::string_view text, std::string_view what);

}  // namespace cocity::apps::cocreation

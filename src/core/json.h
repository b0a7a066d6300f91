// JSON helpers on Boost.JSON, the one mutable JSON document type of cocity.
//
// Untrusted text is parsed only through parse_json, which enforces a nesting
// limit and reports errors with their byte offset.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity {

namespace json = boost::json;

struct JsonLimits {
  size_t max_depth = 32;  // deeper documents are rejected, never truncated
};

// Parses one JSON document. Errors are kInvalidRequest with a detail such as
// "invalid JSON at byte 17: syntax error" or "JSON nesting deeper than 32
// levels (limit max_json_depth)". The document is allocated from `storage`
// (default: the heap).
Result<json::value> parse_json(std::string_view text,
                               const JsonLimits& limits = {},
                               json::storage_ptr storage = {});

// Compact serialization; doubles in shortest round-trip form ("2.5", and
// "1.0" for an integral double), non-finite numbers as null.
std::string to_json(const json::value& v);
void append_json(const json::value& v, std::string* out);
void append_json(const json::object& object, std::string* out);
// Appends `s` as a JSON string literal (quoted and escaped).
void append_json_string(std::string_view s, std::string* out);

// Whether `a` and `b` have the same keys in the same order.
bool same_keys(const json::object& a, const json::object& b);

// Makes `*dst` equal to `src`, member order included. What `*dst` holds
// stays in its own storage: where the two have the same shape (objects
// with the same keys in the same order, arrays of the same length,
// strings), it is overwritten in place, reusing dst's memory; elsewhere
// src's part is copied into dst's storage. Updating a stored state with a
// reading of the same shape this way allocates and frees nothing.
void assign_in_place(const json::value& src, json::value* dst);
void assign_in_place(const json::object& src, json::object* dst);
// assign_in_place for objects already known to have the same keys in the
// same order (same_keys): only the members' values are assigned.
void assign_members_in_place(const json::object& src, json::object* dst);

// A short description of a JSON value's kind for error messages:
// "a string", "an object", "a number", ...
std::string_view json_kind_name(const json::value& v);

}  // namespace cocity

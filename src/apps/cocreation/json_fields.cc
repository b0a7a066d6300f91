#include "apps/cocreation/json_fields.h"

#include <charconv>

namespace cocity::apps::cocreation {

Result<json::object> parse_body(std::string_view body) {
  auto v = parse_json(body);
  if (!v) return std::unexpected(v.error());
  if (!v->is_object()) {
    return fail(Code::kBadRequestData, "the body must be a JSON object");
  }
  return std::move(v->get_object());
}

Result<std::string> string_field(const json::object& o, std::string_view key,
                                 bool required, size_t max_length,
                                 std::string fallback) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    if (required) {
      return fail(Code::kBadRequestData, std::string(key) + ": required");
    }
    return fallback;
  }
  if (!v->is_string()) {
    return fail(Code::kBadRequestData, std::string(key) +
                                           ": must be a string, not " +
                                           std::string(json_kind_name(*v)));
  }
  std::string_view s = v->get_string();
  if (required && s.empty()) {
    return fail(Code::kBadRequestData,
                std::string(key) + ": must not be empty");
  }
  if (s.size() > max_length) {
    return fail(Code::kBadRequestData, std::string(key) + ": longer than " +
                                           std::to_string(max_length) +
                                           " characters");
  }
  return std::string(s);
}

Result<int64_t> int_field(const json::object& o, std::string_view key,
                          std::optional<int64_t> fallback, int64_t min,
                          int64_t max) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    if (fallback) return *fallback;
    return fail(Code::kBadRequestData, std::string(key) + ": required");
  }
  if (!v->is_int64() || v->get_int64() < min || v->get_int64() > max) {
    return fail(Code::kBadRequestData,
                std::string(key) + ": must be an integer from " +
                    std::to_string(min) + " to " + std::to_string(max));
  }
  return v->get_int64();
}

Result<bool> bool_field(const json::object& o, std::string_view key,
                        bool fallback) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return fallback;
  if (!v->is_bool()) {
    return fail(Code::kBadRequestData,
                std::string(key) + ": must be a boolean");
  }
  return v->get_bool();
}

Result<int64_t> parse_id(std::string_view text, std::string_view what) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return fail(Code::kNotFound,
                std::string(what) + " '" + std::string(text) + "' not found");
  }
  return id;
}

}  // namespace cocity::apps::cocreation

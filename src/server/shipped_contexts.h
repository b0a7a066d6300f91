// The @context documents shipped in the repository's contexts/ folder,
// compiled in (CMake generates shipped_contexts.cc from
// shipped_contexts.cc.in at configure time).
#pragma once

#include <span>
#include <string_view>

namespace cocity::server {

struct ShippedContext {
  std::string_view local_id;
  std::string_view url;
  std::string_view text;  // the JSON-LD document
};

std::span<const ShippedContext> shipped_contexts();

}  // namespace cocity::server

// Small text helpers shared by parsers of headers, parameters and tags.
#pragma once

#include <string>
#include <string_view>

namespace cocity {

// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

// Whether `a` and `b` are equal, ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// Puts the ASCII letters of `*s` in lower case.
void lower_ascii(std::string* s);

}  // namespace cocity

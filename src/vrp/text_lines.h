// Line and token helpers shared by the text instance readers. Errors name
// the source, line number and field: "C101.txt line 12, field DEMAND:
// expected a number, got 'x'".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cocity::vrp {

struct TextLine {
  int number = 0;                        // 1-based
  std::vector<std::string_view> tokens;  // split on blanks, tabs, CR
};

// Splits text into non-empty lines of tokens. Views point into `text`.
std::vector<TextLine> split_lines(std::string_view text);

std::unexpected<Error> line_error(std::string_view source, int line,
                                  std::string_view field,
                                  const std::string& rule);

// Parses a finite number; fails naming source, line and field.
Result<double> parse_number(std::string_view source, const TextLine& line,
                            size_t token, std::string_view field);

}  // namespace cocity::vrp

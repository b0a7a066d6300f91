#include "vrp/text_lines.h"

#include <charconv>
#include <cmath>

namespace cocity::vrp {

std::vector<TextLine> split_lines(std::string_view text) {
  std::vector<TextLine> lines;
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    std::string_view line = text.substr(pos, end - pos);
    TextLine tl;
    tl.number = number;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() &&
             (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
        ++i;
      }
      size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' &&
             line[i] != '\r') {
        ++i;
      }
      if (i > start) tl.tokens.push_back(line.substr(start, i - start));
    }
    if (!tl.tokens.empty()) lines.push_back(std::move(tl));
    pos = end + 1;
  }
  return lines;
}

std::unexpected<Error> line_error(std::string_view source, int line,
                                  std::string_view field,
                                  const std::string& rule) {
  return fail(Code::kInvalidRequest, std::string(source) + " line " +
                                         std::to_string(line) + ", field " +
                                         std::string(field) + ": " + rule);
}

Result<double> parse_number(std::string_view source, const TextLine& line,
                            size_t token, std::string_view field) {
  if (token >= line.tokens.size()) {
    return line_error(source, line.number, field, "missing");
  }
  std::string_view t = line.tokens[token];
  double value = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || ptr != t.data() + t.size() ||
      !std::isfinite(value)) {
    return line_error(source, line.number, field,
                      "expected a number, got '" + std::string(t) + "'");
  }
  return value;
}

}  // namespace cocity::vrp

#include "server/retention.h"

#include <cctype>
#include <charconv>
#include <string>

namespace cocity::server {

namespace {

constexpr int64_t kDayS = 86400;

std::unexpected<Error> bad(std::string_view text) {
  return fail(Code::kInvalidRequest,
              "retention '" + std::string(text.substr(0, 40)) +
                  "' is not an ISO 8601 duration like P2Y, P90D or PT12H");
}

// Seconds per unit letter, before ('T' not seen) or after the 'T'.
int64_t unit_seconds(char unit, bool time_part) {
  if (time_part) {
    switch (unit) {
      case 'H':
        return 3600;
      case 'M':
        return 60;
      case 'S':
        return 1;
      default:
        return 0;
    }
  }
  switch (unit) {
    case 'Y':
      return 365 * kDayS;
    case 'M':
      return 30 * kDayS;
    case 'W':
      return 7 * kDayS;
    case 'D':
      return kDayS;
    default:
      return 0;
  }
}

}  // namespace

Result<std::chrono::seconds> parse_retention(std::string_view text) {
  if (text.size() < 3 || text.front() != 'P') return bad(text);
  int64_t total = 0;
  bool time_part = false;
  bool any = false;
  for (size_t i = 1; i < text.size();) {
    if (text[i] == 'T' && !time_part) {
      time_part = true;
      ++i;
      continue;
    }
    int64_t n = 0;
    auto r = std::from_chars(text.data() + i, text.data() + text.size(), n);
    if (r.ec != std::errc() || n < 0 || r.ptr == text.data() + text.size()) {
      return bad(text);
    }
    i = static_cast<size_t>(r.ptr - text.data());
    int64_t unit = unit_seconds(text[i++], time_part);
    if (unit == 0 || n > (int64_t{1} << 40) / unit) return bad(text);
    total += n * unit;
    any = true;
  }
  if (!any) return bad(text);
  return std::chrono::seconds(total);
}

}  // namespace cocity::server

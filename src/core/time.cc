#include "core/time.h"

#include <charconv>
#include <cstdio>

namespace cocity {
namespace {

bool read_digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::unexpected<Error> bad_time(std::string_view text) {
  return fail(Code::kBadRequestData,
              "'" + std::string(text.substr(0, 64)) +
                  "' is not an ISO 8601 date-time with offset "
                  "(expected e.g. 2026-11-25T15:09:47Z)");
}

Result<std::chrono::sys_days> read_date(std::string_view s) {
  int y, m, d;
  if (!read_digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' ||
      !read_digits(s, 5, 2, &m) || s[7] != '-' || !read_digits(s, 8, 2, &d)) {
    return bad_time(s);
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                  std::chrono::day(d)};
  if (!ymd.ok()) return bad_time(s);
  return std::chrono::sys_days(ymd);
}

}  // namespace

Result<TimePoint> parse_iso_date(std::string_view text) {
  if (text.size() != 10) return bad_time(text);
  auto day = read_date(text);
  if (!day) return std::unexpected(day.error());
  return TimePoint(*day);
}

Result<TimePoint> parse_iso_time(std::string_view s) {
  auto day = read_date(s);
  if (!day) return std::unexpected(day.error());
  int hh, mm, ss;
  if (s.size() < 19 || (s[10] != 'T' && s[10] != 't') ||
      !read_digits(s, 11, 2, &hh) || s[13] != ':' ||
      !read_digits(s, 14, 2, &mm) || s[16] != ':' ||
      !read_digits(s, 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60) {
    return bad_time(s);
  }
  size_t pos = 19;
  int64_t frac_us = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    size_t start = pos;
    int64_t scale = 100000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac_us += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad_time(s);
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    bool colon = pos + 3 < s.size() && s[pos + 3] == ':';
    if (!read_digits(s, pos + 1, 2, &oh) ||
        !read_digits(s, pos + (colon ? 4 : 3), 2, &om) || oh > 23 || om > 59) {
      return bad_time(s);
    }
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += colon ? 6 : 5;
  } else {
    return bad_time(s);
  }
  if (pos != s.size()) return bad_time(s);
  auto t = TimePoint(*day) + std::chrono::hours(hh) + std::chrono::minutes(mm) +
           std::chrono::seconds(ss) - std::chrono::seconds(offset_s);
  return t + Micros(frac_us);
}

bool is_formatted_iso_time(std::string_view text) {
  // Parsed, so the date and the fields are valid; what remains is the
  // layout: 'T', milliseconds, 'Z', and no leap second (which parsing
  // carries into the next minute).
  return text.size() == 24 && text[10] == 'T' && text[19] == '.' &&
         text[23] == 'Z' && text.substr(17, 2) != "60";
}

std::optional<TimePoint> IsoTimeMemo::parse_formatted(std::string_view text) {
  if (!parsed_text_.empty() && text == parsed_text_) return parsed_;
  auto t = parse_iso_time(text);
  if (!t || !is_formatted_iso_time(text)) return std::nullopt;
  parsed_text_.assign(text);
  parsed_ = *t;
  return parsed_;
}

const std::string& IsoTimeMemo::format(TimePoint t) {
  if (formatted_text_.empty() || t != formatted_) {
    formatted_text_ = format_iso_time(t);
    formatted_ = t;
  }
  return formatted_text_;
}

std::string format_iso_time(TimePoint t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(day);
  auto rest = t - day;
  auto h = std::chrono::duration_cast<std::chrono::hours>(rest);
  rest -= h;
  auto m = std::chrono::duration_cast<std::chrono::minutes>(rest);
  rest -= m;
  auto sec = std::chrono::duration_cast<std::chrono::seconds>(rest);
  rest -= sec;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(rest);
  int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lld.%03lldZ",
                  year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(h.count()),
                  static_cast<int>(m.count()),
                  static_cast<long long>(sec.count()),
                  static_cast<long long>(ms.count()));
    return buf;
  }
  // The common case without snprintf: request parsing formats every
  // observedAt, and snprintf was a fifth of the parse time.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](size_t pos, unsigned value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
      out[pos + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, static_cast<unsigned>(year), 4);
  put(5, static_cast<unsigned>(ymd.month()), 2);
  put(8, static_cast<unsigned>(ymd.day()), 2);
  put(11, static_cast<unsigned>(h.count()), 2);
  put(14, static_cast<unsigned>(m.count()), 2);
  put(17, static_cast<unsigned>(sec.count()), 2);
  put(20, static_cast<unsigned>(ms.count()), 3);
  return out;
}

namespace {
class SystemClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::time_point_cast<Micros>(
        std::chrono::system_clock::now());
  }
};
}  // namespace

const Clock* Clock::system() {
  static const SystemClock clock;
  return &clock;
}

}  // namespace cocity

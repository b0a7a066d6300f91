#include "core/time.h"

#include <charconv>
#include <cstdio>

namespace cocity {
namespace {

bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::unexpected<Error> BadTime(std::string_view text) {
  return Fail(Code::kBadRequestData,
              "'" + std::string(text.substr(0, 64)) +
                  "' is not an ISO 8601 date-time with offset "
                  "(expected e.g. 2026-11-25T15:09:47Z)");
}

Result<std::chrono::sys_days> ReadDate(std::string_view s) {
  int y, m, d;
  if (!ReadDigits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' ||
      !ReadDigits(s, 5, 2, &m) || s[7] != '-' || !ReadDigits(s, 8, 2, &d)) {
    return BadTime(s);
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                  std::chrono::day(d)};
  if (!ymd.ok()) return BadTime(s);
  return std::chrono::sys_days(ymd);
}

}  // namespace

Result<TimePoint> ParseIsoDate(std::string_view text) {
  if (text.size() != 10) return BadTime(text);
  auto day = ReadDate(text);
  if (!day) return std::unexpected(day.error());
  return TimePoint(*day);
}

Result<TimePoint> ParseIsoTime(std::string_view s) {
  auto day = ReadDate(s);
  if (!day) return std::unexpected(day.error());
  int hh, mm, ss;
  if (s.size() < 19 || (s[10] != 'T' && s[10] != 't') ||
      !ReadDigits(s, 11, 2, &hh) || s[13] != ':' || !ReadDigits(s, 14, 2, &mm) ||
      s[16] != ':' || !ReadDigits(s, 17, 2, &ss) || hh > 23 || mm > 59 ||
      ss > 60) {
    return BadTime(s);
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
    if (pos == start) return BadTime(s);
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    bool colon = pos + 3 < s.size() && s[pos + 3] == ':';
    if (!ReadDigits(s, pos + 1, 2, &oh) ||
        !ReadDigits(s, pos + (colon ? 4 : 3), 2, &om) || oh > 23 || om > 59) {
      return BadTime(s);
    }
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += colon ? 6 : 5;
  } else {
    return BadTime(s);
  }
  if (pos != s.size()) return BadTime(s);
  auto t = TimePoint(*day) + std::chrono::hours(hh) + std::chrono::minutes(mm) +
           std::chrono::seconds(ss) - std::chrono::seconds(offset_s);
  return t + Micros(frac_us);
}

std::string FormatIsoTime(TimePoint t) {
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
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lld.%03lldZ",
                static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(h.count()),
                static_cast<int>(m.count()),
                static_cast<long long>(sec.count()),
                static_cast<long long>(ms.count()));
  return buf;
}

namespace {
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::time_point_cast<Micros>(
        std::chrono::system_clock::now());
  }
};
}  // namespace

const Clock* Clock::System() {
  static const SystemClock clock;
  return &clock;
}

}  // namespace cocity

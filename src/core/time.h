// Time points and their ISO 8601 text form.
//
// cocity keeps every time as microseconds since the Unix epoch, UTC
// (TimePoint). NGSI-LD exchanges times as ISO 8601 date-time strings; the
// API writes them in UTC with millisecond precision and a trailing 'Z'
// ("2026-11-25T15:09:47.123Z") and accepts any offset on input.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity {

using Micros = std::chrono::microseconds;
using TimePoint = std::chrono::sys_time<Micros>;

// Parses "YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)". A missing
// offset is rejected: NGSI-LD times must be unambiguous.
Result<TimePoint> parse_iso_time(std::string_view text);

// Parses a calendar date "YYYY-MM-DD" to midnight UTC.
Result<TimePoint> parse_iso_date(std::string_view text);

// "2026-11-25T15:09:47.123Z" (milliseconds, UTC).
std::string format_iso_time(TimePoint t);

// Whether `text`, which parse_iso_time accepted, is already what
// format_iso_time writes for it, so that it can be kept as it is.
bool is_formatted_iso_time(std::string_view text);

// The last text parsed and the last time formatted, remembered: instances
// written together share their system times and often their observedAt, so
// most calls repeat the one before. Not thread-safe: one per thread.
class IsoTimeMemo {
 public:
  // The time of `text` if it is exactly what format_iso_time writes for it.
  std::optional<TimePoint> parse_formatted(std::string_view text);
  // format_iso_time(t), valid until the next call.
  const std::string& format(TimePoint t);

 private:
  std::string parsed_text_;  // empty: nothing parsed yet
  TimePoint parsed_{};
  std::string formatted_text_;  // empty: nothing formatted yet
  TimePoint formatted_{};
};

inline int64_t to_micros(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_micros(int64_t us) { return TimePoint(Micros(us)); }

// The clock seam: production code asks a Clock for "now" so that tests can
// fix it. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;

  // The real clock (system_clock). Never null; lives forever.
  static const Clock* system();
};

}  // namespace cocity

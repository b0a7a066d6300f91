#include "store/history_aggregate.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string>

#include "core/json.h"

namespace cocity::store {
namespace {

constexpr std::pair<std::string_view, AggrMethod> kMethods[] = {
    {"totalCount", AggrMethod::kTotalCount},
    {"distinctCount", AggrMethod::kDistinctCount},
    {"sum", AggrMethod::kSum},
    {"avg", AggrMethod::kAvg},
    {"min", AggrMethod::kMin},
    {"max", AggrMethod::kMax},
    {"stddev", AggrMethod::kStddev},
    {"sumsq", AggrMethod::kSumsq},
};

std::unexpected<Error> bad_duration(std::string_view text, std::string why) {
  return fail(Code::kBadRequestData, "aggrPeriodDuration '" +
                                         std::string(text) +
                                         "' is not a valid duration: " + why);
}

// Running figures of one period.
struct Accumulator {
  uint64_t count = 0;
  uint64_t numbers = 0;
  double sum = 0;
  double sumsq = 0;
  double min = 0;
  double max = 0;
  std::set<std::string> distinct;

  void add(const HistoryEntry& e) {
    ++count;
    std::optional<double> number = e.number;
    const json::value* value = e.instance.if_contains("value");
    if (!number && value && value->is_number())
      number = value->to_number<double>();
    if (number) {
      min = numbers == 0 ? *number : std::min(min, *number);
      max = numbers == 0 ? *number : std::max(max, *number);
      ++numbers;
      sum += *number;
      sumsq += *number * *number;
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, *number);
      distinct.emplace(buf, r.ptr);
    } else {
      distinct.insert("j" + (value ? to_json(*value) : to_json(e.instance)));
    }
  }

  std::optional<double> value(AggrMethod m) const {
    switch (m) {
      case AggrMethod::kTotalCount:
        return static_cast<double>(count);
      case AggrMethod::kDistinctCount:
        return static_cast<double>(distinct.size());
      default:
        break;
    }
    if (numbers == 0) return std::nullopt;
    double n = static_cast<double>(numbers);
    switch (m) {
      case AggrMethod::kSum:
        return sum;
      case AggrMethod::kAvg:
        return sum / n;
      case AggrMethod::kMin:
        return min;
      case AggrMethod::kMax:
        return max;
      case AggrMethod::kStddev: {
        double mean = sum / n;
        return std::sqrt(std::max(0.0, sumsq / n - mean * mean));
      }
      case AggrMethod::kSumsq:
        return sumsq;
      default:
        return std::nullopt;
    }
  }
};

}  // namespace

Result<AggrMethod> parse_aggr_method(std::string_view name) {
  for (const auto& [text, method] : kMethods) {
    if (text == name) return method;
  }
  return fail(Code::kBadRequestData,
              "aggrMethods: '" + std::string(name) +
                  "' is not one of totalCount, distinctCount, sum, avg, min, "
                  "max, stddev, sumsq");
}

std::string_view aggr_method_name(AggrMethod method) {
  for (const auto& [text, m] : kMethods) {
    if (m == method) return text;
  }
  return "";
}

Result<Micros> parse_iso_duration(std::string_view text) {
  if (text.size() < 3 || text[0] != 'P') return bad_duration(text, "no 'P'");
  bool in_time = false;
  bool any = false;
  double total_s = 0;
  std::string_view rest = text.substr(1);
  while (!rest.empty()) {
    if (rest[0] == 'T') {
      if (in_time) return bad_duration(text, "second 'T'");
      in_time = true;
      rest.remove_prefix(1);
      continue;
    }
    double n = 0;
    auto r = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (r.ec != std::errc() || r.ptr == rest.data() + rest.size() || n < 0)
      return bad_duration(text, "expected a number and a unit");
    char unit = *r.ptr;
    rest.remove_prefix(r.ptr - rest.data() + 1);
    double scale = 0;
    if (!in_time && unit == 'W') scale = 7 * 86400;
    if (!in_time && unit == 'D') scale = 86400;
    if (in_time && unit == 'H') scale = 3600;
    if (in_time && unit == 'M') scale = 60;
    if (in_time && unit == 'S') scale = 1;
    if (!in_time && (unit == 'Y' || unit == 'M'))
      return bad_duration(text, "years and months are not supported");
    if (scale == 0)
      return bad_duration(text, std::string("unexpected '") + unit + "'");
    total_s += n * scale;
    any = true;
  }
  if (!any) return bad_duration(text, "no value");
  if (total_s > 1e12) return bad_duration(text, "too long");
  return Micros(static_cast<int64_t>(std::llround(total_s * 1e6)));
}

std::vector<AggrPeriod> aggregate(
    const std::vector<const HistoryEntry*>& entries,
    const std::vector<AggrMethod>& methods, TimePoint origin, TimePoint end,
    Micros period, bool by_recorded) {
  std::vector<AggrPeriod> out;
  Accumulator acc;
  int64_t current = -1;
  auto flush = [&] {
    if (acc.count == 0) return;
    AggrPeriod p;
    if (period.count() > 0) {
      p.start = origin + period * current;
      p.end = p.start + period;
    } else {
      p.start = origin;
      p.end = end;
    }
    for (AggrMethod m : methods) p.values.push_back(acc.value(m));
    out.push_back(std::move(p));
    acc = Accumulator();
  };
  for (const HistoryEntry* e : entries) {
    if (e->deleted) continue;
    TimePoint t = by_recorded ? e->recorded_at : e->observed_at;
    if (t < origin) continue;
    int64_t k = period.count() > 0 ? (t - origin) / period : 0;
    if (k != current) {
      flush();
      current = k;
    }
    acc.add(*e);
  }
  flush();
  return out;
}

}  // namespace cocity::store

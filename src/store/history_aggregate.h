// Aggregation of attribute history over time periods, for the temporal
// API's aggregatedValues (ETSI GS CIM 009 v1.8, 5.5.x aggrMethods and
// aggrPeriodDuration).
//
// Periods are [origin + k*period, origin + (k+1)*period); periods without
// instances are left out. Numeric methods (sum, avg, min, max, stddev,
// sumsq) use numeric values only; totalCount counts every instance that is
// not a deletion; distinctCount counts distinct values (numbers by value,
// other values by their JSON text). stddev is the population standard
// deviation.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "store/store.h"

namespace cocity::store {

enum class AggrMethod {
  kTotalCount,
  kDistinctCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kStddev,
  kSumsq,
};

// "totalCount", ... ; kBadRequestData naming the value otherwise.
Result<AggrMethod> parse_aggr_method(std::string_view name);
std::string_view aggr_method_name(AggrMethod method);

// ISO 8601 durations without calendar units: P[nW][nD][T[nH][nM][n[.f]S]]
// ("PT1H", "P1D", "PT0.5S"). Years and months are rejected (their length
// varies). "P0D" or any zero duration means "one period over everything".
Result<Micros> parse_iso_duration(std::string_view text);

struct AggrPeriod {
  TimePoint start;
  TimePoint end;
  // One value per requested method, in request order; nullopt when the
  // method has no value (e.g. avg over non-numeric instances).
  std::vector<std::optional<double>> values;
};

// Aggregates `entries` (one series, sorted by time) by period. The time of
// an entry is observed_at, or recorded_at when `by_recorded`. A zero
// `period` yields one period from `origin` to `end`.
std::vector<AggrPeriod> aggregate(
    const std::vector<const HistoryEntry*>& entries,
    const std::vector<AggrMethod>& methods, TimePoint origin, TimePoint end,
    Micros period, bool by_recorded);

}  // namespace cocity::store

// Durable dead letters (ingestion's rejected messages, ingest/dead_letters.h)
// behind one narrow interface (store/ is the only place that speaks SQL).
//
// Each tenant keeps its newest `per_tenant` letters: add() drops the
// oldest beyond that in the same transaction. Thread-safe (one internal
// lock; calls are short).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace cocity::store {

struct DeadLetterRecord {
  TimePoint received_at{};
  std::string source;
  std::string reason;
  std::string payload;  // an excerpt, as the caller made it
  bool truncated = false;
};

class DeadLetterStore {
 public:
  virtual ~DeadLetterStore() = default;
  virtual Status add(const std::string& tenant,
                     const DeadLetterRecord& record) = 0;
  // Newest first, at most `limit`.
  virtual Result<std::vector<DeadLetterRecord>> list(const std::string& tenant,
                                                     size_t limit) = 0;
  // Tenants that hold letters.
  virtual Result<std::vector<std::string>> tenants() = 0;
};

// Opens (creating if needed) the SQLite file at `path` (WAL,
// synchronous=NORMAL: survives a killed process; a power loss may lose the
// last letters).
Result<std::unique_ptr<DeadLetterStore>> open_sqlite_dead_letter_store(
    const std::string& path, size_t per_tenant);

}  // namespace cocity::store

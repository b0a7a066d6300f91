// Reads history rows of one entity from a tenant database (the temporal
// API's access path; see docs/store.md for the table).
//
// The history table has no index (appending is the hot path), so a read
// scans it: O(history rows). Good enough for tests and small tenants; large
// tenants need the planned time-ordered, indexed chunks.
#pragma once

#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace cocity::store::sqlite {

// Runs `query` on `db` (a reader connection). Entries come ordered by
// observed_at, then commit order; an unknown entity yields none.
Result<std::vector<HistoryEntry>> read_history(Database& db,
                                               const HistoryQuery& query);

}  // namespace cocity::store::sqlite

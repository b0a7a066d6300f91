// Reads the history of one entity from a tenant database (the temporal
// API's access path; tables in history_writer.h, docs/store.md).
//
// A read takes the entity's chunks from the history_chunks primary key
// (entity, attr, first_at): for an observed-time window only the chunks that
// may overlap it, then reads the entity's rows of the not yet compacted
// history_log by seq (listed by `log_index`, history_log_index.h), and
// merges both by time. Cost: the chunks touched plus the entity's log rows.
#pragma once

#include <vector>

#include "store/sqlite/history_log_index.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace cocity::store::sqlite {

// Runs `query` on `db` (a reader connection). Entries come ordered by
// observed_at (recorded_at when query.by_recorded), then commit order; an
// unknown entity yields none.
Result<std::vector<HistoryEntry>> read_history(Database& db,
                                               const HistoryLogIndex& log_index,
                                               const HistoryQuery& query);

}  // namespace cocity::store::sqlite

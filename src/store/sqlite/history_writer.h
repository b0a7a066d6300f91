// The write side of attribute history in a tenant database: the log the
// hot path appends to, the compaction that moves it into per-series
// chunks, edits (temporal API deletes and patches) and the retention sweep.
//
// Tables (docs/store.md, "History"; encodings in store/history_codec.h):
//   history_log(seq INTEGER PRIMARY KEY, entity, count, data BLOB)
//       one row per entity change: all its entries, in commit order. No
//       index on entity: which rows belong to an entity is kept in memory
//       (history_log_index.h), so an append touches only the table's
//       rightmost pages.
//   history_chunks(entity, attr, first_at, seq, last_at, count, data BLOB)
//       one series' entries sorted by observed_at, delta-encoded; a rowid
//       table with the covering index history_chunks_series on (entity,
//       attr, first_at, seq, last_at, count), so seeks stay in small index
//       pages and only the data is read from the table.
//   history_compacted(entity INTEGER PRIMARY KEY, seq): the entity's log
//       rows up to seq are in the chunks, though they may still be in the
//       log; readers skip them.
//   history_meta(name TEXT PRIMARY KEY, value INTEGER): next_seq.
//   history (VIEW): one row (entity, attr) per stored entry, for inspection
//       with plain SQL (attr is NULL for entries still in the log).
//
// Compaction runs in slices, each its own transaction (crash-safe: the
// marks of the log rows it consumed are raised in the same transaction
// that writes their chunks): whole entities, all their log rows, about
// kSliceRows rows a slice, so that a write waits for one slice at most
// instead of the whole log (1.6 s for 300,000 rows). Entities go oldest
// row first, and each slice deletes the front of the log below the oldest
// row not compacted: contiguous pages, where deleting a slice's own rows
// dirtied a page per row. Once started, a compaction runs slice by slice
// until the log is empty (of rows not compacted; the last slice empties it
// whole). A slice is planned (read, merged, encoded)
// on the compactor's thread from a snapshot (history_compactor.h); the
// writer only applies the plan. Meanwhile it goes on committing groups;
// only when the log grows past kStallFactor times the threshold does it
// wait for the plan, so that compaction keeps up with a sustained load.
//
// Thread safety: used by the tenant's writer thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "store/history_codec.h"
#include "store/sqlite/history_compactor.h"
#include "store/sqlite/history_log_index.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace cocity::store::sqlite {

// The history tables, for the tenant schema (created if missing).
extern const std::string_view kHistorySchema;

// Moves the rows of a schema-v1 `history` table into history_log and
// replaces the table by the view. Runs inside the caller's transaction.
Status migrate_v1_history(Database& db);

// Schema v2 and v3 kept history_chunks WITHOUT ROWID, keyed (entity, attr,
// first_at, seq): with rows of up to ~24 KB, its b-tree held a few rows a
// page, interior pages included, and every seek walked deep. In the
// caller's transaction: set_aside_v3_chunks renames the old table (before
// kHistorySchema creates the new one), migrate_v3_chunks copies its rows
// over and drops it.
Status set_aside_v3_chunks(Database& db);
Status migrate_v3_chunks(Database& db);

class HistoryWriter {
 public:
  // Compaction starts when the writer is idle and the log holds
  // `compact_rows` rows, or in any case when it holds kBusyFactor times as
  // many.
  static constexpr uint64_t kBusyFactor = 4;
  // A busy writer waits for the compactor's plan once the log holds this
  // many times `compact_rows` rows.
  static constexpr uint64_t kStallFactor = 8;
  // Log rows a compaction slice takes (whole entities: it may take more),
  // or `compact_rows` when that is smaller.
  static constexpr uint64_t kSliceRows = 8192;
  // Seqs of compacted log rows one slice deletes from the front at most.
  static constexpr int64_t kFrontSeqs = 16384;

  // `db` (the connection to the database at `path`) and `log_index` must
  // outlive the writer; `retention` zero keeps all history. Fills
  // `log_index` from the log.
  static Result<std::unique_ptr<HistoryWriter>> open(
      Database* db, const std::string& path, HistoryLogIndex* log_index,
      std::chrono::seconds retention, uint64_t compact_rows,
      const Clock* clock);

  // In the open transaction: appends one log row for `entity`: `data`
  // holds `count` entries (append_log_entry) observed from `first_us` to
  // `last_us`.
  Status append(int64_t entity, std::string_view data, uint64_t count,
                int64_t first_us, int64_t last_us);

  // In the open transaction: whether the entity's history holds
  // `reading` already (history_codec.h, holds_reading). Reads the entity's
  // log rows and the chunks spanning that time.
  Result<bool> has_entry(int64_t entity, const StoredEntry& reading);

  // In the open transaction: applies `edit` to the series (entity, attr)
  // (attr < 0: every series of the entity, for kDeleteAttr without
  // attribute). Returns how many entries it removed or replaced.
  Result<uint64_t> edit(int64_t entity, int64_t attr, const HistoryEdit& edit);

  // The open transaction committed / rolled back.
  void committed();
  void rolled_back();

  // Whether compact() is due (`idle`: nothing is queued), or a compaction
  // is under way.
  bool wants_compaction(bool idle) const;
  // Moves compaction on by one step: applies the plan of the slice that was
  // being planned, once it is made, in its own transaction (BEGIN ...
  // COMMIT; it also sweeps expired chunks when that is due, hourly),
  // then hands the next slice to the compactor. Waits for the plan when
  // `idle` or when the log is past kStallFactor times the threshold.
  Status compact(bool idle);

  uint64_t log_rows() const { return log_rows_; }
  // Whether the compactor has finished the plan the next compact() applies.
  bool plan_ready() const { return compactor_ && compactor_->ready(); }

 private:
  struct ChunkMeta {
    int64_t first_at;
    int64_t seq;
    uint64_t count;
  };

  HistoryWriter() = default;
  Status prepare();
  Status apply(const CompactionPlan& plan);
  Status apply_in_txn(const CompactionPlan& plan);
  Status delete_log_front();
  Status insert_chunk(int64_t entity, int64_t attr,
                      const std::vector<StoredEntry>& entries);
  Status insert_encoded(const CompactionPlan::Chunk& chunk);
  Status load_log_index();
  // The seqs of the entity's log rows as the open transaction sees them
  // (all, or those that may hold an entry observed at `observed_us`).
  std::vector<int64_t> log_seqs(int64_t entity,
                                std::optional<int64_t> observed_us) const;
  // The entries of log row `seq` (none when the row is gone).
  Status load_log_row(int64_t seq, std::vector<StoredEntry>* out);
  Status load_chunk(int64_t entity, int64_t attr, const ChunkMeta& meta,
                    std::vector<StoredEntry>* out);
  Status delete_chunk(int64_t entity, int64_t attr, const ChunkMeta& meta);
  Status sweep(int64_t cutoff_us);
  Result<uint64_t> edit_log(int64_t entity, int64_t attr,
                            const HistoryEdit& edit);
  Result<uint64_t> edit_chunks(int64_t entity, int64_t attr,
                               const HistoryEdit& edit);

  Database* db_ = nullptr;
  HistoryLogIndex* log_index_ = nullptr;
  std::chrono::seconds retention_{0};
  uint64_t compact_rows_ = 262144;
  const Clock* clock_ = nullptr;
  TimePoint last_sweep_{};
  int64_t next_seq_ = 1;
  uint64_t log_rows_ = 0;    // committed rows in history_log, not compacted
  bool compacting_ = false;  // a compaction runs until the log is empty
  // Bumped by every history edit: plans made before it are stale.
  uint64_t generation_ = 0;
  std::string path_;  // of the database, for the compactor's connection
  std::unique_ptr<HistoryCompactor> compactor_;  // from the first compact()
  // The rows appended in the open transaction.
  std::vector<HistoryLogIndex::Row> pending_;

  Statement insert_log_, insert_chunk_, select_chunk_;
  Statement delete_chunk_, save_seq_, select_log_row_, update_log_row_;
  Statement select_spanning_, delete_log_front_, mark_compacted_;
};

}  // namespace cocity::store::sqlite

// Which history_log rows belong to which entity and are not compacted yet:
// an in-memory map from entity key to the seqs of its rows, instead of an
// index in the database.
//
// Why: the log takes one row per changed entity, and a B-tree index on
// entity dirties a leaf page for nearly every row of a large group (the
// entities of a batch are spread over the whole key range), so each commit
// wrote most of that index to the WAL again. The map costs nothing on disk
// and is rebuilt from the log (bounded by compaction) when the tenant opens.
//
// Consistency with a reader's snapshot: seqs are never reused, the writer
// adds a group's seqs only after its COMMIT and removes seqs only after the
// compaction that consumed their rows committed. That compaction wrote the
// rows' entries into history_chunks and raised the entity's mark in
// history_compacted (history_writer.h) in one transaction; the rows
// themselves leave history_log later, with the front of the log. A reader
// that takes the seqs *before* it starts its read transaction, and skips
// those at or below the entity's mark in its snapshot, therefore reads each
// entry once: from the log or from the chunks. It misses only rows
// committed after it took the seqs. A listed seq without a row is skipped.
//
// Thread-safe: the writer thread calls add(), remove() and clear();
// readers call seqs().
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cocity::store::sqlite {

class HistoryLogIndex {
 public:
  // A log row: its entity, its seq, and the range of its entries' observed
  // times (the whole int64 range when unknown: rows found at open).
  struct Row {
    int64_t entity;
    int64_t seq;
    int64_t first_us;
    int64_t last_us;
  };
  // Adds committed rows, seqs ascending.
  void add(const std::vector<Row>& rows);
  // Forgets every row (a compaction consumed the whole log).
  void clear();
  // Whole entities with their rows, until they hold `max_rows` rows or
  // more (at least one entity when any is listed): a compaction slice.
  // Entities come in the order of their oldest listed row, so that
  // compaction frees the front of the log first.
  using Rows = std::vector<std::pair<int64_t, std::vector<int64_t>>>;
  Rows peek(uint64_t max_rows) const;
  // The seq of the oldest listed row, if any.
  std::optional<int64_t> oldest() const;
  // Forgets rows a compaction consumed (each entity's seqs as peek() gave
  // them; rows added since stay).
  void remove(const Rows& consumed);
  // The seqs of the entity's rows, ascending. With `observed_us`, only
  // those of rows that may hold an entry observed then: a lookup decodes
  // those only (a backlog of late readings would otherwise decode all of
  // an entity's log for each one).
  std::vector<int64_t> seqs(
      int64_t entity, std::optional<int64_t> observed_us = std::nullopt) const;
  // Number of rows listed.
  uint64_t size() const;

 private:
  mutable std::mutex mutex_;
  struct Span {
    int64_t seq;
    int64_t first_us;
    int64_t last_us;
  };
  std::unordered_map<int64_t, std::vector<Span>> rows_of_;  // guarded
  std::map<int64_t, int64_t> by_oldest_;  // guarded: oldest seq -> entity
  uint64_t rows_ = 0;                     // guarded
};

}  // namespace cocity::store::sqlite

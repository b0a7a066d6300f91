// History compaction planned off the writer thread.
//
// A compaction slice (history_writer.h) reads the slice's log rows and the
// newest chunks of every series it touches, sorts, merges and encodes them,
// and only then writes. Done on the writer thread, that work held up every
// write: under sustained batch upserts the writer was saturated and about
// half of its time went to compaction (bench/README.md). The compactor
// does the reading and encoding on a thread and connection of its own, in
// a read transaction, and hands the writer a plan: the chunks to insert,
// the chunks they replace, and the log rows they consume (which the writer
// marks compacted). The writer applies the plan in one short transaction.
//
// A plan made from a snapshot is still right when the writer applies it
// later, because between the two the writer only appends log rows (new
// seqs, not in the slice), unless it edits history (the temporal API's
// deletes and patches). Edits bump the writer's generation, and a plan made
// against an older generation is dropped; its slice is planned again.
//
// Thread safety: submit() and take() are called by the writer thread only;
// the plan is made on the compactor's thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/history_codec.h"
#include "store/sqlite/history_log_index.h"
#include "store/sqlite/sqlite_db.h"

namespace cocity::store::sqlite {

struct CompactionPlan {
  // A chunk to insert; the writer gives it its seq when it applies the
  // plan, in the order of `chunks`.
  struct Chunk {
    int64_t entity;
    int64_t attr;
    int64_t first_at;
    int64_t last_at;
    uint64_t count;
    std::string data;  // encode_chunk
  };
  // An existing chunk, by its key.
  struct ChunkKey {
    int64_t entity;
    int64_t attr;
    int64_t first_at;
    int64_t seq;
  };

  // Set by the writer before planning.
  HistoryLogIndex::Rows slice;  // the log rows to consume
  int64_t cutoff = 0;           // entries observed before it are dropped
  uint64_t generation = 0;      // the writer's history generation

  // Set by the planner.
  std::vector<ChunkKey> merged;  // existing chunks merged into `chunks`
  std::vector<Chunk> chunks;     // in the order their seqs are assigned

  uint64_t rows() const;
};

// The statement load_chunk() runs.
extern const std::string_view kSelectChunkSql;
// Decodes chunk `key` of `count` entries with `select` (prepared from
// kSelectChunkSql), appending to `out`; a chunk that is gone adds nothing.
Status load_chunk(Statement& select, const CompactionPlan::ChunkKey& key,
                  uint64_t count, std::vector<StoredEntry>* out);

// Chunks with at least this many entries are sealed (never merged).
// 4,096 entries of a regular series take ~24 KB: the row's overflow pages
// are then mostly full (a 6 KB chunk wasted ~40% of its pages).
inline constexpr uint64_t kSealedEntries = 4096;

// Works out plans with the statements of one connection.
class CompactionPlanner {
 public:
  // `db` must outlive the planner.
  static Result<CompactionPlanner> prepare(Database* db);

  // In a read transaction of the planner's connection: fills plan->merged
  // and plan->chunks for plan->slice. Every series of the slice gets its
  // new entries as chunks of at most kSealedEntries; then, while the
  // newest four chunks of the series are unsealed and of one size tier,
  // they are merged into one (tiered, LSM-style: an entry is rewritten
  // about log4(kSealedEntries) times at most).
  Status plan(CompactionPlan* plan);

 private:
  Status plan_series(int64_t entity, int64_t attr,
                     std::vector<StoredEntry>* entries, CompactionPlan* plan);
  Statement select_log_row_, select_tail_, select_chunk_;
};

class HistoryCompactor {
 public:
  // Opens a connection of its own to the database at `path` (WAL mode).
  static Result<std::unique_ptr<HistoryCompactor>> start(
      const std::string& path);
  // Stops the thread: waits for a plan under way, and drops it.
  ~HistoryCompactor();
  HistoryCompactor(const HistoryCompactor&) = delete;
  HistoryCompactor& operator=(const HistoryCompactor&) = delete;

  // Whether a plan was submitted and not yet taken.
  bool busy() const { return busy_; }
  // Whether the submitted plan is made (take() would return it).
  bool ready() const;
  // Plans `plan` on the compactor's thread. REQUIRES !busy().
  void submit(CompactionPlan plan);
  // The submitted plan once it is made; nullopt while it is still being
  // made (with `wait`: waits for it). REQUIRES busy().
  std::optional<Result<CompactionPlan>> take(bool wait);

 private:
  HistoryCompactor() = default;
  void run();

  Database db_;
  std::optional<CompactionPlanner> planner_;  // on db_
  bool busy_ = false;                         // writer thread only
  mutable std::mutex mu_;
  std::condition_variable wake_;       // a job or stop_ for the thread
  std::condition_variable done_;       // a result for take()
  std::optional<CompactionPlan> job_;  // guarded by mu_
  std::optional<Result<CompactionPlan>> result_;  // guarded by mu_
  bool stop_ = false;                             // guarded by mu_
  std::thread thread_;
};

}  // namespace cocity::store::sqlite

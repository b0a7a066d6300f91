// The write side of one SQLite tenant database: schema, group transactions,
// and keeping the in-memory EntityIndex consistent with what is committed.
//
// On-disk layout (docs/store.md has the whole story):
//   entity_ids(key INTEGER PRIMARY KEY, id TEXT UNIQUE)   every id ever seen
//   attr_names(key INTEGER PRIMARY KEY, iri TEXT UNIQUE)  attribute IRIs
//   entities(key INTEGER PRIMARY KEY, id, types, min_lon, min_lat, max_lon,
//            max_lat, body)                              latest state
//   history_log, history_chunks, history_meta, history (view)
//                                                        see history_writer.h
// An entity keeps its key for ever (also across delete and re-create), so
// history rows of one entity share one key. The hot path appends one
// history_log row per changed entity (no index on disk: history_log_index.h);
// compaction (between groups) moves the log into per-series chunks.
//
// Thread safety: a TenantWriter is used by one thread (the tenant's writer
// thread). It mutates the shared EntityIndex only under the exclusive lock
// of the shared mutex it was given; readers take the shared lock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "store/entity_cache.h"
#include "store/entity_index.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/history_log_index.h"
#include "store/sqlite/history_writer.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/wal_syncer.h"
#include "store/store.h"

namespace cocity::store::sqlite {

struct WriteRequest {
  std::vector<WriteOp> ops;
  WriteCallback done;
};

// Counters shared with the tenant for stats(); relaxed atomics.
struct WriterCounters {
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> committed_ops{0};
  std::atomic<uint64_t> history_rows{0};
  std::atomic<uint64_t> cache_hits{0};  // see StoreStats
  std::atomic<uint64_t> cache_misses{0};
};

// The index and the lock that guards it, owned by the tenant.
struct GuardedIndex {
  std::shared_mutex mutex;
  EntityIndex index;
  AttributeCatalog catalog;     // discovery; has its own lock
  HistoryLogIndex history_log;  // has its own lock
};

// Creates the tables of a tenant database if missing and checks the schema
// version. Used by the writer and by tests that inspect files.
Status ensure_tenant_schema(Database& db);

class TenantWriter {
 public:
  // Opens the database at `path` (created when `create`), ensures the
  // schema, and fills `index` from the entities table.
  // `cache_bytes` bounds the cache of decoded entities (entity_cache.h).
  // History older than `history_retention` (zero: none) is swept by
  // compaction, judged by `clock`.
  static Result<std::unique_ptr<TenantWriter>> open(
      const std::string& path, bool create, std::function<bool()> fail_commit,
      size_t cache_bytes, GuardedIndex* index, WriterCounters* counters,
      std::chrono::seconds history_retention, uint64_t history_compact_rows,
      const Clock* clock, std::function<void()> on_synced = {});
  ~TenantWriter();

  // Runs every op of `group` in one transaction and commits it, then
  // updates the index, then hands the requests to the WAL syncer, which
  // calls each request's `done` (in order, on its thread) once the commit
  // is durable (wal_syncer.h). If the transaction or the sync fails, every
  // op gets kInternal (and after a failed transaction nothing changed).
  // Takes the requests out of `group`.
  //
  // While the previous commit is still being synced, the answers of this
  // group would wait for that sync anyway: so before its COMMIT the writer
  // calls `more` (if set), which appends requests that arrived meanwhile
  // to `group` (waiting until some arrive or the sync ends) and returns
  // false when there are none; their ops join the open transaction. Under
  // load, groups thus grow until the disk is free instead of committing
  // (and syncing) a few ops at a time.
  using MoreRequests = std::function<bool(std::vector<WriteRequest>* group)>;
  void commit_group(std::vector<WriteRequest>* group,
                    const MoreRequests& more = {});

  // Whether an earlier commit's sync has not finished (wal_syncer.h).
  bool sync_busy() const { return syncer_->busy(); }

  // Compacts the history log in its own transaction when it is due
  // (history_writer.h); `idle`: no writes are waiting, nor have arrived for
  // a while. commit_group calls it with false; the writer loop calls it with
  // true when idle.
  void maybe_compact(bool idle);
  // Whether maybe_compact(true) would do anything now.
  bool has_idle_work() const;

 private:
  // What this transaction knows about one entity.
  struct Pending {
    std::string id;
    std::optional<int64_t> key;         // row key, once known
    bool row_exists = false;            // entities row present (txn view)
    std::optional<ngsi::Entity> state;  // current state in this txn
    std::optional<Box> box;             // location box of `state`
    // The row's types column as a list. Not read from `state`: a mutation
    // takes the state it changes out of the overlay.
    std::vector<std::string> row_types;
    size_t text_size = 0;  // of `state` (encode_entity)
    bool dirty = false;    // changed in this txn
    bool cached = false;   // `state` was taken from cache_
  };

  explicit TenantWriter(size_t cache_bytes) : cache_(cache_bytes) {}
  Status prepare_statements();
  Status load_index();
  Status run_transaction(std::vector<WriteRequest>* group,
                         const MoreRequests& more,
                         std::vector<std::vector<Status>>* results);
  Status apply_op(const WriteOp& op, Status* op_status);
  Result<Pending*> pending_for(const std::string& id);
  void clear_overlay();
  // Reads the entity's row (as this transaction sees it) into `p`.
  Status load_state(Pending* p);
  Result<int64_t> entity_key(const std::string& id, Pending* pending);
  Result<int64_t> attr_key(const std::string& iri);
  Status put_row(const ngsi::Entity& entity, Pending* pending);
  Status delete_row(Pending* pending);
  Status append_history(int64_t entity_key,
                        const std::vector<HistoryEntry>& history);
  Status edit_history(const std::string& id, Pending* p,
                      const std::vector<HistoryEdit>& edits, Status* op_status);
  void rollback();
  void publish();
  static void deliver(std::vector<WriteRequest>* group,
                      std::vector<std::vector<Status>>* results);

  Database db_;
  // Declared after db_: stops (and leaves db_'s WAL hook) before db_ closes.
  std::unique_ptr<Checkpointer> checkpointer_;
  // Declared after db_: delivers what is pending before db_ closes.
  std::unique_ptr<WalSyncer> syncer_;
  std::function<bool()> fail_commit_;
  GuardedIndex* index_ = nullptr;
  WriterCounters* counters_ = nullptr;

  Statement begin_, commit_, rollback_;
  Statement select_body_, select_entity_key_, insert_entity_key_;
  Statement insert_attr_, insert_entity_, update_entity_, update_body_;
  Statement delete_entity_;
  std::unique_ptr<HistoryWriter> history_;
  std::vector<StoredEntry> stored_;  // reused by append_history
  std::string row_;                  // reused by append_history

  boost::unordered_flat_map<std::string, int64_t, std::hash<std::string>>
      attr_keys_;
  std::vector<std::string> new_attrs_;  // interned in the open transaction
  // The entities this transaction touched. A deque: pending_for hands
  // out pointers that later additions keep; the map's keys view the ids.
  std::deque<Pending> pending_;
  boost::unordered_flat_map<std::string_view, Pending*,
                            std::hash<std::string_view>>
      overlay_;
  EntityCache cache_;  // committed states, see entity_cache.h
  uint64_t txn_history_rows_ = 0;
  uint64_t txn_cache_hits_ = 0;    // stored states the group took from cache_
  uint64_t txn_cache_misses_ = 0;  // and those it read from the database
  std::string scratch_;            // reused encode buffer
  // States replaced in the open group, and those the cache evicted at its
  // commit; the syncer's thread frees them with the group's requests.
  std::vector<ngsi::Entity> retired_;
};

}  // namespace cocity::store::sqlite

// TenantStore on one SQLite database file: a writer thread with a queue
// (group commit, see TenantWriter) and a pool of reader connections.
//
// Reads never wait for the writer: in WAL mode a reader sees the last
// committed state. The in-memory EntityIndex is updated after each commit
// and before the commit's callbacks run, so an acknowledged write is visible
// to every read that starts after the acknowledgement.
//
// find() takes the page's ids from the index, then reads each body; an
// entity deleted between the two steps is left out of the page.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/tenant_writer.h"
#include "store/store.h"

namespace cocity::store::sqlite {

class SqliteTenant final : public TenantStore {
 public:
  // Opens the tenant database at `path`, creating it when `create`
  // (otherwise kNotFound if missing), rebuilds the index and starts the
  // writer thread.
  static Result<std::shared_ptr<SqliteTenant>> open(
      const std::string& path, bool create, const StoreOptions& options);
  ~SqliteTenant() override;

  void write(std::vector<WriteOp> ops, WriteCallback done) override;
  Result<std::optional<ngsi::Entity>> get(std::string_view id) override;
  std::vector<bool> stored(const std::vector<std::string>& ids) override;
  Result<Page> find(const EntitySelector& selector, uint64_t offset,
                    uint64_t limit) override;
  Result<std::vector<std::string>> types() override;
  Result<CatalogSummary> catalog() override;
  Result<std::vector<HistoryEntry>> history(const HistoryQuery& query) override;

  // Stops accepting writes (they get kUnavailable), commits what is queued,
  // joins the writer and closes the databases. Reads after close() are
  // kUnavailable. Idempotent.
  void close();

  // Adds this tenant's figures to `*stats`.
  void add_stats(StoreStats* stats);

 private:
  struct Reader;

  SqliteTenant() = default;
  void writer_loop();
  bool next_group(std::vector<WriteRequest>* group);
  // Moves whole requests from the queue to `group` while the group stays
  // within max_ops_per_commit (a single larger request still goes alone);
  // returns the ops taken. Needs queue_mutex_.
  size_t take_requests(std::vector<WriteRequest>* group);
  // TenantWriter::MoreRequests: appends what arrived while the last sync
  // runs (waits until something arrives or that sync ends).
  bool more_requests(std::vector<WriteRequest>* group);
  // Called by the syncer after each sync: the writer may be waiting.
  void wake_writer();
  // Whether no write request arrives for a while (or the tenant closes).
  bool stays_quiet();
  // Whether no write request is queued and the tenant is not closing.
  bool queue_idle();
  Result<std::unique_ptr<Reader>> acquire_reader();
  void release_reader(std::unique_ptr<Reader> reader);
  Result<std::optional<ngsi::Entity>> read_body(Reader* reader, int64_t key);

  std::string path_;
  size_t max_ops_per_commit_ = 10000;
  GuardedIndex index_;
  WriterCounters counters_;
  std::unique_ptr<TenantWriter> writer_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<WriteRequest> queue_;  // guarded by queue_mutex_
  uint64_t queued_ops_ = 0;         // guarded by queue_mutex_
  bool closing_ = false;            // guarded by queue_mutex_
  std::thread writer_thread_;
  std::mutex close_mutex_;           // serializes close()
  std::atomic<bool> closed_{false};  // reads fail fast once set

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Reader>> idle_readers_;  // guarded
  bool readers_closed_ = false;                        // guarded
};

}  // namespace cocity::store::sqlite

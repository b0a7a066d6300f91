// Makes a tenant's commits durable on a thread of its own, so that the
// writer applies the next group while the last one's log goes to disk.
//
// With synchronous=FULL, SQLite's COMMIT writes the transaction's frames to
// the write-ahead log and then waits in fdatasync: a quarter of the
// writer's time under single-entity PATCH (bench/README.md, "NGSI-LD API"),
// during which no other update could be applied. The writer now runs with
// synchronous=NORMAL (COMMIT only writes the frames; SQLite still syncs
// the log before and the database after each checkpoint) and hands each
// group's acknowledgements here. This thread calls fdatasync on the log
// file and only then runs them: one fdatasync covers every commit whose
// frames were written before it started, so a busy writer shares one sync
// between several groups. An acknowledged write is as durable as with
// FULL; a write that is visible to readers but not yet acknowledged can be
// lost by a power failure (not by a crash of the process: its frames are in
// the kernel's page cache).
//
// Thread-safe. The destructor syncs and runs what was submitted.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.h"

namespace cocity::store::sqlite {

class WalSyncer {
 public:
  // Opens the write-ahead log of the database at `db_path` (`db_path` +
  // "-wal", which must exist: the database is open in WAL mode) and syncs
  // the directory once, so that the log's directory entry is durable.
  // `on_synced` (optional) runs on the syncer thread after each sync's
  // callbacks, once busy() may have turned false.
  static Result<std::unique_ptr<WalSyncer>> start(
      const std::string& db_path, std::function<void()> on_synced = {});
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // Call after a COMMIT returned: runs `after` on the syncer thread once the
  // log holding that commit is on disk, with ok() or the sync's error.
  // Runs in submission order.
  void submit(std::function<void(Status)> after);

  // Whether a submitted callback has not run yet (a sync is under way or
  // due).
  bool busy() const { return outstanding_.load(std::memory_order_acquire) > 0; }

 private:
  WalSyncer() = default;
  void run();

  int fd_ = -1;
  std::function<void()> on_synced_;
  std::atomic<size_t> outstanding_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void(Status)>> queue_;  // guarded by mu_
  bool stop_ = false;                              // guarded by mu_
  std::thread thread_;
};

}  // namespace cocity::store::sqlite

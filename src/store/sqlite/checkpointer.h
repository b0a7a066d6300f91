// Copies a tenant database's write-ahead log back into the database on a
// thread and connection of its own, so that the writer's commits do not wait
// for checkpoints.
//
// SQLite's automatic checkpoint runs inside the COMMIT that lets the log
// pass its threshold: with 64 clients updating entities, that commit took
// ~15 ms and set the p99 latency, and checkpoints cost the writer thread a
// fifth of a batch upsert (bench/README.md, "NGSI-LD API"). Here the writer
// only reports the log's size after each commit (the WAL hook). Past
// kCheckpointFrames the checkpointer thread runs a PASSIVE checkpoint, which
// never blocks the writer. A log that still grows past kInlineFrames (the
// checkpointer cannot catch up, or keeps losing the race with new frames)
// is checkpointed by the writer itself in the hook: by then most frames are
// copied, and the next transaction starts the log from the beginning again.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.h"
#include "store/sqlite/sqlite_db.h"

namespace cocity::store::sqlite {

class Checkpointer {
 public:
  static constexpr int kCheckpointFrames = 4000;  // 16 MB of 4 KiB pages
  static constexpr int kInlineFrames = 4 * kCheckpointFrames;

  // Opens a second connection to the database at `path` (in WAL mode) and
  // installs the WAL hook on `writer`, which must outlive the checkpointer
  // and must have automatic checkpoints off (wal_autocheckpoint=0).
  static Result<std::unique_ptr<Checkpointer>> start(const std::string& path,
                                                     Database* writer);
  // Removes the hook and stops the thread (an unfinished checkpoint is
  // harmless: the log keeps the frames).
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  Checkpointer() = default;
  static int on_commit(void* self, sqlite3* db, const char* name, int frames);
  void run();

  Database* writer_ = nullptr;
  Database db_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;   // guarded by mu_
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace cocity::store::sqlite

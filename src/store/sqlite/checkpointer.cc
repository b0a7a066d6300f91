#include "store/sqlite/checkpointer.h"

#include <pthread.h>
#include <sqlite3.h>

namespace cocity::store::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::start(
    const std::string& path, Database* writer) {
  auto db = Database::open(path, Database::Mode::kReadWrite);
  if (!db) return std::unexpected(db.error());
  // A connection opens the write-ahead log on its first read. Until then it
  // sees a database without a log, and checkpoints through it do nothing.
  if (auto s = db->exec("SELECT count(*) FROM sqlite_schema"); !s) {
    return std::unexpected(s.error());
  }
  std::unique_ptr<Checkpointer> c(new Checkpointer());
  c->writer_ = writer;
  c->db_ = std::move(*db);
  c->thread_ = std::thread([raw = c.get()] { raw->run(); });
  pthread_setname_np(c->thread_.native_handle(), "store-ckpt");
  sqlite3_wal_hook(writer->handle(), on_commit, c.get());
  return c;
}

Checkpointer::~Checkpointer() {
  if (writer_->handle() != nullptr) {
    sqlite3_wal_hook(writer_->handle(), nullptr, nullptr);
  }
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

int Checkpointer::on_commit(void* self, sqlite3* db, const char* name,
                            int frames) {
  auto* c = static_cast<Checkpointer*>(self);
  if (frames >= kInlineFrames) {
    // Best effort: SQLITE_BUSY while the thread checkpoints is fine, the
    // next commit tries again.
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
                                    nullptr, nullptr);
  } else if (frames >= kCheckpointFrames) {
    {
      std::lock_guard lock(c->mu_);
      c->due_ = true;
    }
    c->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::run() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return due_ || stop_; });
    if (stop_) return;
    due_ = false;
    lock.unlock();
    // PASSIVE copies what no reader still needs and never waits for the
    // writer; a failure leaves the frames in the log for the next round.
    (void)sqlite3_wal_checkpoint_v2(
        db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
  }
}

}  // namespace cocity::store::sqlite

#include "store/sqlite/wal_syncer.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cocity::store::sqlite {

namespace {

Status sys_error(const std::string& what) {
  return fail(Code::kInternal, what + ": " + std::strerror(errno));
}

Status sync_directory(const std::string& file) {
  std::filesystem::path parent = std::filesystem::path(file).parent_path();
  const std::string dir = parent.empty() ? std::string(".") : parent.string();
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error("cannot open directory " + dir);
  Status s = ok();
  if (::fsync(fd) != 0) s = sys_error("cannot sync directory " + dir);
  ::close(fd);
  return s;
}

}  // namespace

Result<std::unique_ptr<WalSyncer>> WalSyncer::start(
    const std::string& db_path, std::function<void()> on_synced) {
  std::string wal = db_path + "-wal";
  std::unique_ptr<WalSyncer> s(new WalSyncer());
  s->on_synced_ = std::move(on_synced);
  s->fd_ = ::open(wal.c_str(), O_RDWR | O_CLOEXEC);
  if (s->fd_ < 0)
    return std::unexpected(sys_error("cannot open " + wal).error());
  if (auto dir = sync_directory(wal); !dir) return std::unexpected(dir.error());
  s->thread_ = std::thread([raw = s.get()] { raw->run(); });
  pthread_setname_np(s->thread_.native_handle(), "store-sync");
  return s;
}

WalSyncer::~WalSyncer() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  if (fd_ >= 0) ::close(fd_);
}

void WalSyncer::submit(std::function<void(Status)> after) {
  outstanding_.fetch_add(1, std::memory_order_acq_rel);
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(after));
  }
  wake_.notify_one();
}

void WalSyncer::run() {
  std::deque<std::function<void(Status)>> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      batch.swap(queue_);
    }
    // Every callback in `batch` was submitted after its COMMIT wrote its
    // frames, so this one sync covers all of them.
    Status synced = ok();
    if (::fdatasync(fd_) != 0) synced = sys_error("cannot sync the WAL");
    for (auto& after : batch) {
      try {
        after(synced);
      } catch (...) {
        // A callback must not throw; the others still run.
      }
    }
    outstanding_.fetch_sub(batch.size(), std::memory_order_acq_rel);
    batch.clear();
    if (on_synced_) on_synced_();
  }
}

}  // namespace cocity::store::sqlite

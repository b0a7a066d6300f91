#include "store/sqlite/sqlite_tenant.h"

#include <pthread.h>

#include <chrono>
#include <mutex>
#include <shared_mutex>

#include "store/entity_codec.h"
#include "store/sqlite/history_reader.h"

namespace cocity::store::sqlite {

struct SqliteTenant::Reader {
  Database db;
  Statement select_body;
};

namespace {

std::unexpected<Error> closed_error() {
  return fail(Code::kUnavailable, "store is closed");
}

}  // namespace

Result<std::shared_ptr<SqliteTenant>> SqliteTenant::open(
    const std::string& path, bool create, const StoreOptions& options) {
  std::shared_ptr<SqliteTenant> t(new SqliteTenant());
  t->path_ = path;
  t->max_ops_per_commit_ = std::max<size_t>(1, options.max_ops_per_commit);
  t->index_.index.set_indexed_attributes(options.indexed_attributes);
  auto writer = TenantWriter::open(
      path, create, options.fail_commit, options.entity_cache_bytes, &t->index_,
      &t->counters_, options.history_retention, options.history_compact_rows,
      options.clock, [raw = t.get()] { raw->wake_writer(); });
  if (!writer) return std::unexpected(writer.error());
  t->writer_ = std::move(*writer);
  t->writer_thread_ = std::thread([raw = t.get()] { raw->writer_loop(); });
  pthread_setname_np(t->writer_thread_.native_handle(), "store-writer");
  return t;
}

SqliteTenant::~SqliteTenant() { close(); }

void SqliteTenant::write(std::vector<WriteOp> ops, WriteCallback done) {
  if (ops.empty()) {
    if (done) done({});
    return;
  }
  size_t n = ops.size();
  {
    std::lock_guard lock(queue_mutex_);
    if (!closing_) {
      queue_.push_back(WriteRequest{std::move(ops), std::move(done)});
      queued_ops_ += n;
      queue_cv_.notify_one();
      return;
    }
  }
  if (done) {
    std::vector<Status> statuses(n, closed_error());
    done(std::move(statuses));
  }
}

// Takes whole requests from the queue until the group would pass
// max_ops_per_commit (a single larger request still goes alone). false when
// closing and the queue is drained.
bool SqliteTenant::next_group(std::vector<WriteRequest>* group) {
  std::unique_lock lock(queue_mutex_);
  queue_cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
  if (queue_.empty()) return false;
  take_requests(group);
  return true;
}

size_t SqliteTenant::take_requests(std::vector<WriteRequest>* group) {
  size_t ops = 0;
  for (const auto& r : *group) ops += r.ops.size();
  size_t taken = 0;
  while (!queue_.empty()) {
    size_t n = queue_.front().ops.size();
    if (!group->empty() && ops + n > max_ops_per_commit_) break;
    ops += n;
    taken += n;
    group->push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  queued_ops_ -= taken;
  return taken;
}

bool SqliteTenant::more_requests(std::vector<WriteRequest>* group) {
  // Bounds the wait should the sync never end (it is ~0.5 ms here).
  constexpr auto kMaxWait = std::chrono::milliseconds(5);
  std::unique_lock lock(queue_mutex_);
  queue_cv_.wait_for(lock, kMaxWait, [this] {
    return closing_ || !queue_.empty() || !writer_->sync_busy();
  });
  return take_requests(group) > 0;
}

void SqliteTenant::wake_writer() {
  std::lock_guard lock(queue_mutex_);
  queue_cv_.notify_all();
}

void SqliteTenant::writer_loop() {
  std::vector<WriteRequest> group;
  auto more = [this](std::vector<WriteRequest>* g) { return more_requests(g); };
  while (next_group(&group)) {
    writer_->commit_group(&group, more);
    group.clear();
    if (writer_->has_idle_work() && stays_quiet()) {
      // Slice after slice while nothing else is waiting (history_writer.h).
      do {
        writer_->maybe_compact(true);
      } while (writer_->has_idle_work() && queue_idle());
    }
  }
}

bool SqliteTenant::queue_idle() {
  std::lock_guard lock(queue_mutex_);
  return !closing_ && queue_.empty();
}

bool SqliteTenant::stays_quiet() {
  // Clients in a closed loop leave the queue empty for a moment after every
  // commit, until they have read their answers; that is not idle.
  constexpr auto kQuiet = std::chrono::milliseconds(100);
  std::unique_lock lock(queue_mutex_);
  return !queue_cv_.wait_for(lock, kQuiet,
                             [this] { return closing_ || !queue_.empty(); });
}

void SqliteTenant::close() {
  std::lock_guard close_lock(close_mutex_);
  closed_ = true;
  {
    std::lock_guard lock(queue_mutex_);
    closing_ = true;
    queue_cv_.notify_all();
  }
  if (writer_thread_.joinable()) writer_thread_.join();
  writer_.reset();
  std::lock_guard lock(readers_mutex_);
  readers_closed_ = true;
  idle_readers_.clear();
}

Result<std::unique_ptr<SqliteTenant::Reader>> SqliteTenant::acquire_reader() {
  {
    std::lock_guard lock(readers_mutex_);
    if (readers_closed_) return closed_error();
    if (!idle_readers_.empty()) {
      auto reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  auto db = Database::open(path_, Database::Mode::kReadWrite);
  if (!db) return std::unexpected(db.error());
  auto reader = std::make_unique<Reader>();
  reader->db = std::move(*db);
  for (std::string_view pragma :
       {"PRAGMA query_only=1", "PRAGMA cache_size=-16384"}) {
    if (auto s = reader->db.exec(pragma); !s) return std::unexpected(s.error());
  }
  auto stmt = reader->db.prepare("SELECT body FROM entities WHERE key = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  reader->select_body = std::move(*stmt);
  return reader;
}

void SqliteTenant::release_reader(std::unique_ptr<Reader> reader) {
  std::lock_guard lock(readers_mutex_);
  if (!readers_closed_) idle_readers_.push_back(std::move(reader));
}

Result<std::optional<ngsi::Entity>> SqliteTenant::read_body(Reader* reader,
                                                            int64_t key) {
  reader->select_body.bind_int(1, key);
  auto row = reader->select_body.step();
  Result<std::optional<ngsi::Entity>> out = std::optional<ngsi::Entity>();
  if (!row) {
    out = std::unexpected(row.error());
  } else if (*row) {
    auto entity = decode_entity(reader->select_body.column_text(0));
    if (entity)
      out = std::optional<ngsi::Entity>(std::move(*entity));
    else
      out = std::unexpected(entity.error());
  }
  reader->select_body.reset();
  return out;
}

std::vector<bool> SqliteTenant::stored(const std::vector<std::string>& ids) {
  std::vector<bool> out(ids.size(), false);
  std::shared_lock lock(index_.mutex);
  for (size_t i = 0; i < ids.size(); ++i) {
    out[i] = index_.index.key_of(ids[i]).has_value();
  }
  return out;
}

Result<std::optional<ngsi::Entity>> SqliteTenant::get(std::string_view id) {
  if (closed_) return closed_error();
  std::optional<int64_t> key;
  {
    std::shared_lock lock(index_.mutex);
    key = index_.index.key_of(id);
  }
  if (!key) return std::optional<ngsi::Entity>();
  auto reader = acquire_reader();
  if (!reader) return std::unexpected(reader.error());
  auto out = read_body(reader->get(), *key);
  release_reader(std::move(*reader));
  return out;
}

Result<Page> SqliteTenant::find(const EntitySelector& selector, uint64_t offset,
                                uint64_t limit) {
  if (closed_) return closed_error();
  Page page;
  std::vector<std::pair<std::string, int64_t>> rows;
  {
    std::shared_lock lock(index_.mutex);
    rows = index_.index.select(selector, offset, limit, &page.total);
  }
  if (rows.empty()) return page;
  auto reader = acquire_reader();
  if (!reader) return std::unexpected(reader.error());
  Status status = ok();
  for (const auto& row : rows) {
    auto entity = read_body(reader->get(), row.second);
    if (!entity) {
      status = std::unexpected(entity.error());
      break;
    }
    if (*entity) page.entities.push_back(std::move(**entity));
  }
  release_reader(std::move(*reader));
  if (!status) return std::unexpected(status.error());
  return page;
}

Result<std::vector<HistoryEntry>> SqliteTenant::history(
    const HistoryQuery& query) {
  auto reader = acquire_reader();
  if (!reader) return std::unexpected(reader.error());
  auto out = read_history((*reader)->db, index_.history_log, query);
  release_reader(std::move(*reader));
  return out;
}

Result<std::vector<std::string>> SqliteTenant::types() {
  if (closed_) return closed_error();
  std::shared_lock lock(index_.mutex);
  return index_.index.types();
}

Result<CatalogSummary> SqliteTenant::catalog() {
  if (closed_) return closed_error();
  auto built = index_.catalog.ensure_built([this](const auto& visit) {
    auto reader = acquire_reader();
    if (!reader) return Status(std::unexpected(reader.error()));
    Status status = ok();
    {
      auto rows = (*reader)->db.prepare("SELECT key, body FROM entities");
      if (!rows) return Status(std::unexpected(rows.error()));
      Result<bool> row;
      while ((row = rows->step()) && *row) {
        auto entity = decode_entity(rows->column_text(1));
        if (entity) visit(rows->column_int(0), *entity);
      }
      if (!row) status = std::unexpected(row.error());
    }
    release_reader(std::move(*reader));
    return status;
  });
  if (!built) return std::unexpected(built.error());
  return index_.catalog.summary();
}

void SqliteTenant::add_stats(StoreStats* stats) {
  stats->commits += counters_.commits.load(std::memory_order_relaxed);
  stats->committed_ops +=
      counters_.committed_ops.load(std::memory_order_relaxed);
  stats->history_rows += counters_.history_rows.load(std::memory_order_relaxed);
  stats->entity_cache_hits +=
      counters_.cache_hits.load(std::memory_order_relaxed);
  stats->entity_cache_misses +=
      counters_.cache_misses.load(std::memory_order_relaxed);
  {
    std::lock_guard lock(queue_mutex_);
    stats->queue_depth += queued_ops_;
  }
  std::shared_lock lock(index_.mutex);
  stats->entities += index_.index.size();
}

}  // namespace cocity::store::sqlite

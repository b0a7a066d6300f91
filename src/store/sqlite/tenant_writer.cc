#include "store/sqlite/tenant_writer.h"

#include <sqlite3.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <mutex>

#include "store/entity_codec.h"
#include "store/history_codec.h"

namespace cocity::store::sqlite {

namespace {

// 1: history as one row per entry; 2: history_log + history_chunks;
// 3: no index on history_log(entity); 4: history_chunks a rowid table;
// 5: history_compacted (the view skips log rows below its marks);
// 6: no entities_meta index (the start-up scan reads the bodies).
constexpr int kSchemaVersion = 6;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entity_ids(
  key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS attr_names(
  key INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS entities(
  key INTEGER PRIMARY KEY, id TEXT NOT NULL, types TEXT NOT NULL,
  min_lon REAL, min_lat REAL, max_lon REAL, max_lat REAL,
  body TEXT NOT NULL);
DROP INDEX IF EXISTS entities_meta;
)sql";

// Types are stored newline-separated: IRIs contain no whitespace.
std::string join_types(const std::vector<std::string>& types) {
  std::string out;
  for (const auto& t : types) {
    if (!out.empty()) out.push_back('\n');
    out += t;
  }
  return out;
}

std::vector<std::string> split_types(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

int commit_hook(void* arg) {
  auto* fail_commit = static_cast<std::function<bool()>*>(arg);
  return (*fail_commit)() ? 1 : 0;
}

// Sets `*threw` when the mutation threw: `current` may then be half
// changed.
Result<Change> run_mutation(const WriteOp& op, ngsi::Entity* current,
                            bool* threw) {
  if (!op.mutate) return fail(Code::kInternal, "write op has no mutation");
  try {
    return op.mutate(current);
  } catch (const std::exception& e) {
    *threw = true;
    return fail(Code::kInternal,
                std::string("mutation threw an exception: ") + e.what());
  } catch (...) {
    *threw = true;
    return fail(Code::kInternal, "mutation threw an exception");
  }
}

// The state outlives the request, whose entities may live in an arena of
// the request (the batch handler parses into one). The operations of
// broker/entity_ops.h already hand out heap states; a mutation that builds
// its Change otherwise gets its state copied onto the heap here.
// Constructed, not assigned: assigning a JSON container keeps the target's
// storage.
ngsi::Entity on_heap(ngsi::Entity&& e) {
  if (e.attrs.storage().get() == json::storage_ptr().get()) return std::move(e);
  return ngsi::Entity{.id = std::move(e.id),
                      .types = std::move(e.types),
                      .scope = std::move(e.scope),
                      .attrs = json::object(e.attrs, json::storage_ptr()),
                      .created_at = e.created_at,
                      .modified_at = e.modified_at};
}

Status check_change(const WriteOp& op, const Change& change) {
  if (change.kind != Change::Kind::kPut) return ok();
  if (change.entity.id != op.entity_id) {
    return fail(Code::kInternal, "mutation of '" + op.entity_id +
                                     "' returned entity '" + change.entity.id +
                                     "'");
  }
  if (change.entity.types.empty()) {
    return fail(Code::kInternal,
                "mutation of '" + op.entity_id + "' returned no type");
  }
  return ok();
}

}  // namespace

Status ensure_tenant_schema(Database& db) {
  auto version = db.prepare("PRAGMA user_version");
  if (!version) return std::unexpected(version.error());
  auto row = version->step();
  if (!row) return std::unexpected(row.error());
  int64_t found = *row ? version->column_int(0) : 0;
  version->reset();
  if (found > kSchemaVersion) {
    return fail(Code::kInternal, "tenant database has schema version " +
                                     std::to_string(found) +
                                     ", newer than this cocity (" +
                                     std::to_string(kSchemaVersion) + ")");
  }
  if (found == kSchemaVersion) return ok();
  if (auto s = db.exec("BEGIN IMMEDIATE"); !s) return s;
  bool v3_chunks = found == 2 || found == 3;
  Status s = db.exec(kSchema);
  // The view changed in v5; v1's `history` is a table (migrated below).
  if (s && found >= 2) s = db.exec("DROP VIEW IF EXISTS history");
  if (s && v3_chunks) s = set_aside_v3_chunks(db);
  if (s) s = db.exec(kHistorySchema);
  if (s && found == 1) s = migrate_v1_history(db);
  if (s && v3_chunks) s = migrate_v3_chunks(db);
  if (s) {
    s = db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  }
  if (s) s = db.exec("COMMIT");
  if (!s) (void)db.exec("ROLLBACK");
  return s;
}

Result<std::unique_ptr<TenantWriter>> TenantWriter::open(
    const std::string& path, bool create, std::function<bool()> fail_commit,
    size_t cache_bytes, GuardedIndex* index, WriterCounters* counters,
    std::chrono::seconds history_retention, uint64_t history_compact_rows,
    const Clock* clock, std::function<void()> on_synced) {
  auto db = Database::open(
      path, create ? Database::Mode::kCreate : Database::Mode::kReadWrite);
  if (!db) return std::unexpected(db.error());
  std::unique_ptr<TenantWriter> w(new TenantWriter(cache_bytes));
  w->db_ = std::move(*db);
  w->index_ = index;
  w->counters_ = counters;
  // WAL + synchronous=NORMAL: COMMIT writes the log without syncing it;
  // the syncer makes it durable before anything is acknowledged.
  for (std::string_view pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
        "PRAGMA cache_size=-65536", "PRAGMA wal_autocheckpoint=0",
        "PRAGMA journal_size_limit=67108864"}) {
    if (auto s = w->db_.exec(pragma); !s) return std::unexpected(s.error());
  }
  if (auto s = ensure_tenant_schema(w->db_); !s)
    return std::unexpected(s.error());
  if (auto s = w->prepare_statements(); !s) return std::unexpected(s.error());
  auto history =
      HistoryWriter::open(&w->db_, path, &index->history_log, history_retention,
                          history_compact_rows, clock);
  if (!history) return std::unexpected(history.error());
  w->history_ = std::move(*history);
  if (auto s = w->load_index(); !s) return std::unexpected(s.error());
  // Checkpoints on their own thread (checkpointer.h) instead of inside the
  // writer's COMMIT.
  auto checkpointer = Checkpointer::start(path, &w->db_);
  if (!checkpointer) return std::unexpected(checkpointer.error());
  w->checkpointer_ = std::move(*checkpointer);
  auto syncer = WalSyncer::start(path, std::move(on_synced));
  if (!syncer) return std::unexpected(syncer.error());
  w->syncer_ = std::move(*syncer);
  if (fail_commit) {
    w->fail_commit_ = std::move(fail_commit);
    sqlite3_commit_hook(w->db_.handle(), commit_hook, &w->fail_commit_);
  }
  return w;
}

TenantWriter::~TenantWriter() {
  if (db_.handle() != nullptr)
    sqlite3_commit_hook(db_.handle(), nullptr, nullptr);
}

Status TenantWriter::prepare_statements() {
  struct Item {
    Statement* stmt;
    std::string_view sql;
  };
  const Item items[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&select_body_, "SELECT body FROM entities WHERE key = ?1"},
      {&select_entity_key_, "SELECT key FROM entity_ids WHERE id = ?1"},
      {&insert_entity_key_,
       "INSERT INTO entity_ids(id) VALUES (?1) ON CONFLICT(id) DO NOTHING"},
      {&insert_attr_, "INSERT INTO attr_names(iri) VALUES (?1)"},
      {&insert_entity_,
       "INSERT INTO entities(key, id, types, min_lon, min_lat, max_lon, "
       "max_lat, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&update_entity_,
       "UPDATE entities SET types = ?3, min_lon = ?4, min_lat = ?5, "
       "max_lon = ?6, max_lat = ?7, body = ?8 WHERE key = ?1"},
      {&update_body_, "UPDATE entities SET body = ?2 WHERE key = ?1"},
      {&delete_entity_, "DELETE FROM entities WHERE key = ?1"},
  };
  for (const auto& item : items) {
    auto stmt = db_.prepare(item.sql);
    if (!stmt) return std::unexpected(stmt.error());
    *item.stmt = std::move(*stmt);
  }
  return ok();
}

Status TenantWriter::load_index() {
  auto attrs = db_.prepare("SELECT key, iri FROM attr_names");
  if (!attrs) return std::unexpected(attrs.error());
  Result<bool> row;
  while ((row = attrs->step()) && *row) {
    attr_keys_.emplace(std::string(attrs->column_text(1)),
                       attrs->column_int(0));
  }
  if (!row) return std::unexpected(row.error());
  auto rows = db_.prepare(
      "SELECT key, id, types, min_lon, min_lat, max_lon, max_lat, body "
      "FROM entities");
  if (!rows) return std::unexpected(rows.error());
  std::unique_lock lock(index_->mutex);
  while ((row = rows->step()) && *row) {
    std::optional<Box> box;
    if (!rows->column_is_null(3)) {
      box = Box{rows->column_double(3), rows->column_double(4),
                rows->column_double(5), rows->column_double(6)};
    }
    // The whole entity, for the value index and location shapes.
    if (auto e = decode_entity(rows->column_text(7))) {
      index_->index.load_entity(rows->column_text(1), rows->column_int(0), *e,
                                box);
    } else {
      index_->index.load(rows->column_text(1), rows->column_int(0),
                         split_types(rows->column_text(2)), box);
    }
  }
  if (!row) return std::unexpected(row.error());
  index_->index.finish_load();
  return ok();
}

void TenantWriter::commit_group(std::vector<WriteRequest>* group,
                                const MoreRequests& more) {
  std::vector<std::vector<Status>> results;
  clear_overlay();
  new_attrs_.clear();
  txn_history_rows_ = 0;
  txn_cache_hits_ = 0;
  txn_cache_misses_ = 0;
  Status txn = run_transaction(group, more, &results);
  counters_->cache_hits.fetch_add(txn_cache_hits_, std::memory_order_relaxed);
  counters_->cache_misses.fetch_add(txn_cache_misses_,
                                    std::memory_order_relaxed);
  // Requests taken after a failed statement were not applied: size their
  // statuses too, for the failure below.
  results.resize(group->size());
  for (size_t i = 0; i < group->size(); ++i) {
    results[i].resize((*group)[i].ops.size());
  }
  if (!txn) {
    rollback();
    history_->rolled_back();
    for (auto& statuses : results) {
      for (auto& s : statuses) {
        s = fail(Code::kInternal, "store commit failed: " + txn.error().detail);
      }
    }
  } else {
    history_->committed();
    publish();
    size_t ops = 0;
    for (const auto& r : *group) ops += r.ops.size();
    counters_->commits.fetch_add(1, std::memory_order_relaxed);
    counters_->committed_ops.fetch_add(ops, std::memory_order_relaxed);
    counters_->history_rows.fetch_add(txn_history_rows_,
                                      std::memory_order_relaxed);
  }
  clear_overlay();
  // Acknowledged once durable; a failed transaction waits its turn too, so
  // that callbacks keep the order of the groups.
  auto requests =
      std::make_shared<std::vector<WriteRequest>>(std::move(*group));
  group->clear();
  auto statuses =
      std::make_shared<std::vector<std::vector<Status>>>(std::move(results));
  auto retired =
      std::make_shared<std::vector<ngsi::Entity>>(std::move(retired_));
  retired_.clear();
  bool committed = static_cast<bool>(txn);
  syncer_->submit([requests, statuses, retired, committed](Status synced) {
    if (committed && !synced) {
      for (auto& op_statuses : *statuses) {
        for (auto& s : op_statuses) {
          s = fail(Code::kInternal,
                   "store commit is not durable: " + synced.error().detail);
        }
      }
    }
    deliver(requests.get(), statuses.get());
  });
  maybe_compact(false);
}

bool TenantWriter::has_idle_work() const {
  return history_->wants_compaction(true);
}

void TenantWriter::maybe_compact(bool idle) {
  if (!history_->wants_compaction(idle)) return;
  // A failed compaction leaves the log as it was; the next one retries.
  (void)history_->compact(idle);
}

Status TenantWriter::run_transaction(
    std::vector<WriteRequest>* group, const MoreRequests& more,
    std::vector<std::vector<Status>>* results) {
  if (auto s = begin_.run(); !s) return s;
  size_t applied = 0;
  do {
    for (; applied < group->size(); ++applied) {
      const auto& ops = (*group)[applied].ops;
      results->emplace_back(ops.size());
      for (size_t j = 0; j < ops.size(); ++j) {
        if (auto s = apply_op(ops[j], &results->back()[j]); !s) return s;
      }
    }
  } while (more && syncer_->busy() && more(group));
  return commit_.run();
}

Status TenantWriter::apply_op(const WriteOp& op, Status* op_status) {
  auto pending = pending_for(op.entity_id);
  if (!pending) {
    *op_status = std::unexpected(pending.error());
    return ok();
  }
  Pending* p = *pending;
  bool threw = false;
  Result<Change> change =
      run_mutation(op, p->state ? &*p->state : nullptr, &threw);
  if (threw && p->row_exists) {
    // This transaction's own row holds the state before the mutation.
    if (auto s = load_state(p); !s) return s;
  }
  if (change) {
    if (auto s = check_change(op, *change); !s) {
      // The mutation may have taken the state for its change: put it back.
      if (p->state && change->kind == Change::Kind::kPut) {
        *p->state = std::move(change->entity);
      }
      change = std::unexpected(s.error());
    }
  }
  if (!change) {
    *op_status = std::unexpected(change.error());
    return ok();
  }
  *op_status = ok();
  if (change->kind == Change::Kind::kPut) {
    if (auto s = put_row(change->entity, p); !s) return s;
    // A replaced state is freed on the syncer's thread, not this one.
    if (p->state && !p->state->attrs.empty()) {
      retired_.push_back(std::move(*p->state));
    }
    p->state.emplace(on_heap(std::move(change->entity)));
    p->dirty = true;
  } else if (change->kind == Change::Kind::kDelete) {
    if (auto s = delete_row(p); !s) return s;
    p->state.reset();
    p->box.reset();
    p->dirty = true;
  }
  if (!change->history.empty()) {
    auto key = entity_key(op.entity_id, p);
    if (!key) return std::unexpected(key.error());
    if (auto s = append_history(*key, change->history); !s) return s;
  }
  return edit_history(op.entity_id, p, change->history_edits, op_status);
}

Status TenantWriter::edit_history(const std::string& id, Pending* p,
                                  const std::vector<HistoryEdit>& edits,
                                  Status* op_status) {
  for (const auto& edit : edits) {
    int64_t attr = -1;
    if (!edit.attr.empty()) {
      auto found = attr_keys_.find(edit.attr);
      if (found == attr_keys_.end()) {
        *op_status = fail(Code::kNotFound,
                          "attribute '" + edit.attr + "' has no history");
        return ok();
      }
      attr = found->second;
    }
    auto key = entity_key(id, p);
    if (!key) return std::unexpected(key.error());
    auto touched = history_->edit(*key, attr, edit);
    if (!touched) return std::unexpected(touched.error());
    if (*touched == 0) {
      *op_status = fail(Code::kNotFound,
                        edit.instance_id.empty()
                            ? "no stored instance matches"
                            : "instance '" + edit.instance_id + "' not found");
    }
  }
  return ok();
}

Result<TenantWriter::Pending*> TenantWriter::pending_for(
    const std::string& id) {
  auto found = overlay_.find(std::string_view(id));
  if (found != overlay_.end()) return found->second;
  Pending& p = pending_.emplace_back();
  p.id = id;
  overlay_.emplace(p.id, &p);
  p.key = index_->index.key_of(id);  // only this thread mutates the index
  if (!p.key) return &p;
  if (auto cached = cache_.take(id)) {
    ++txn_cache_hits_;
    p.cached = true;
    p.row_exists = true;
    p.state = std::move(cached->entity);
    p.text_size = cached->text_size;
    p.box = location_box(p.state->attrs);
    p.row_types = p.state->types;
    return &p;
  }
  ++txn_cache_misses_;
  if (auto s = load_state(&p); !s) {
    // Not remembered: the entity's next op reads its row again.
    overlay_.erase(std::string_view(p.id));
    pending_.pop_back();
    return std::unexpected(s.error());
  }
  return &p;
}

void TenantWriter::clear_overlay() {
  overlay_.clear();
  pending_.clear();
}

Status TenantWriter::load_state(Pending* p) {
  select_body_.bind_int(1, *p->key);
  auto row = select_body_.step();
  if (!row) {
    select_body_.reset();
    return std::unexpected(row.error());
  }
  if (*row) {
    auto entity = decode_entity(select_body_.column_text(0), &p->text_size);
    select_body_.reset();
    if (!entity) return std::unexpected(entity.error());
    p->row_exists = true;
    p->state = std::move(*entity);
    p->box = location_box(p->state->attrs);
    p->row_types = p->state->types;
  }
  select_body_.reset();
  return ok();
}

Result<int64_t> TenantWriter::entity_key(const std::string& id, Pending* p) {
  if (p->key) return *p->key;
  // The index knows every live id, so this one is new, unless its entity
  // was deleted: one INSERT, which looks the id up anyway, and a read of
  // the old key only when it conflicts. (RETURNING key would materialize
  // its result: slower than asking for the rowid.)
  insert_entity_key_.bind_text(1, id);
  if (auto s = insert_entity_key_.run(); !s) return std::unexpected(s.error());
  if (sqlite3_changes(db_.handle()) == 1) {
    p->key = db_.last_insert_rowid();
    return *p->key;
  }
  select_entity_key_.bind_text(1, id);
  auto row = select_entity_key_.step();
  if (row && *row) p->key = select_entity_key_.column_int(0);
  select_entity_key_.reset();
  if (!row) return std::unexpected(row.error());
  if (!p->key)
    return fail(Code::kInternal, "entity id '" + id + "' has no key");
  return *p->key;
}

Result<int64_t> TenantWriter::attr_key(const std::string& iri) {
  auto found = attr_keys_.find(iri);
  if (found != attr_keys_.end()) return found->second;
  insert_attr_.bind_text(1, iri);
  if (auto s = insert_attr_.run(); !s) return std::unexpected(s.error());
  int64_t key = db_.last_insert_rowid();
  attr_keys_.emplace(iri, key);
  new_attrs_.push_back(iri);
  return key;
}

Status TenantWriter::put_row(const ngsi::Entity& entity, Pending* p) {
  auto key = entity_key(entity.id, p);
  if (!key) return std::unexpected(key.error());
  std::optional<Box> box = location_box(entity.attrs);
  // The common update changes neither types nor location: then only the
  // body column is written.
  bool same_meta =
      p->row_exists && p->row_types == entity.types && same_box(p->box, box);
  p->box = box;
  scratch_.clear();
  p->text_size = encode_entity(entity, &scratch_);
  if (same_meta) {
    update_body_.bind_int(1, *key);
    update_body_.bind_blob(2, scratch_);
    return update_body_.run();
  }
  std::string types = join_types(entity.types);
  Statement& stmt = p->row_exists ? update_entity_ : insert_entity_;
  stmt.bind_int(1, *key);
  stmt.bind_text(2, entity.id);
  stmt.bind_text(3, types);
  if (box) {
    stmt.bind_double(4, box->min_lon);
    stmt.bind_double(5, box->min_lat);
    stmt.bind_double(6, box->max_lon);
    stmt.bind_double(7, box->max_lat);
  }
  stmt.bind_blob(8, scratch_);
  if (auto s = stmt.run(); !s) return s;
  p->row_exists = true;
  p->row_types = entity.types;
  return ok();
}

Status TenantWriter::delete_row(Pending* p) {
  if (!p->row_exists) return ok();
  delete_entity_.bind_int(1, *p->key);
  if (auto s = delete_entity_.run(); !s) return s;
  p->row_exists = false;
  return ok();
}

Status TenantWriter::append_history(int64_t entity_key,
                                    const std::vector<HistoryEntry>& history) {
  // Entries that may be stored already are checked against the history
  // and against this op's own entries (a reading twice in one batch),
  // which then need their stored form.
  bool checked = std::any_of(history.begin(), history.end(),
                             [](const auto& h) { return h.unless_stored; });
  stored_.clear();
  row_.clear();
  uint64_t count = 0;
  int64_t first_us = std::numeric_limits<int64_t>::max();
  int64_t last_us = std::numeric_limits<int64_t>::min();
  for (const auto& entry : history) {
    auto attr = attr_key(entry.attr);
    if (!attr) return std::unexpected(attr.error());
    if (checked) {
      StoredEntry stored = to_stored(entry, *attr);
      if (entry.unless_stored) {
        auto present = history_->has_entry(entity_key, stored);
        if (!present) return std::unexpected(present.error());
        if (*present || holds_reading(stored_, stored)) continue;
      }
      append_log_entry(stored, &row_);
      stored_.push_back(std::move(stored));
    } else {
      append_log_entry(entry, *attr, &row_);
    }
    first_us = std::min(first_us, to_micros(entry.observed_at));
    last_us = std::max(last_us, to_micros(entry.observed_at));
    ++count;
  }
  if (auto s = history_->append(entity_key, row_, count, first_us, last_us); !s)
    return s;
  txn_history_rows_ += count;
  return ok();
}

void TenantWriter::rollback() {
  // The transaction may already be gone (a failed COMMIT hook rolls back
  // itself); ROLLBACK then fails harmlessly.
  (void)rollback_.run();
  for (const auto& iri : new_attrs_) attr_keys_.erase(iri);
  new_attrs_.clear();
}

void TenantWriter::publish() {
  {
    std::unique_lock lock(index_->mutex);
    for (auto& p : pending_) {
      if (!p.dirty) continue;
      if (p.state) {
        index_->index.put_entity(p.id, *p.key, *p.state, p.box);
        index_->catalog.put(*p.key, *p.state);
      } else {
        index_->index.remove(p.id);
        if (p.key) index_->catalog.remove(*p.key);
      }
    }
  }
  // Every state in the overlay is now committed (changed or only read).
  // Those taken from the cache go back first: while they were out, the
  // cache had room that offers must not fill.
  for (auto& p : pending_) {
    if (!p.state) {
      cache_.erase(p.id);
    } else if (p.cached) {
      cache_.put(std::move(*p.state), p.text_size, &retired_);
    }
  }
  for (auto& p : pending_) {
    if (p.state && !p.cached) {
      cache_.offer(std::move(*p.state), p.text_size, &retired_);
    }
  }
}

void TenantWriter::deliver(std::vector<WriteRequest>* group,
                           std::vector<std::vector<Status>>* results) {
  for (size_t i = 0; i < group->size(); ++i) {
    if (!(*group)[i].done) continue;
    try {
      (*group)[i].done(std::move((*results)[i]));
    } catch (...) {
      // A callback must not throw; the writer thread carries on regardless.
    }
  }
}

}  // namespace cocity::store::sqlite

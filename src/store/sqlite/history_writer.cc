#include "store/sqlite/history_writer.h"

#include <limits>
#include <unordered_map>
#include <utility>

#include "core/json.h"

namespace cocity::store::sqlite {

const std::string_view kHistorySchema = R"sql(
CREATE TABLE IF NOT EXISTS history_log(
  seq INTEGER PRIMARY KEY, entity INTEGER NOT NULL, count INTEGER NOT NULL,
  data BLOB NOT NULL);
DROP INDEX IF EXISTS history_log_entity;
CREATE TABLE IF NOT EXISTS history_chunks(
  entity INTEGER NOT NULL, attr INTEGER NOT NULL, first_at INTEGER NOT NULL,
  seq INTEGER NOT NULL, last_at INTEGER NOT NULL, count INTEGER NOT NULL,
  data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS history_chunks_series ON
  history_chunks(entity, attr, first_at, seq, last_at, count);
CREATE TABLE IF NOT EXISTS history_meta(
  name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS history_compacted(
  entity INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
CREATE VIEW IF NOT EXISTS history(entity, attr) AS
  WITH RECURSIVE expand(entity, attr, n) AS (
    SELECT entity, NULL, count FROM history_log AS l WHERE count > 0
      AND seq > coalesce((SELECT seq FROM history_compacted AS c
                          WHERE c.entity = l.entity), 0)
    UNION ALL SELECT entity, attr, count FROM history_chunks WHERE count > 0
    UNION ALL SELECT entity, attr, n - 1 FROM expand WHERE n > 1)
  SELECT entity, attr FROM expand;
)sql";

namespace {

bool matches(const StoredEntry& e, const HistoryEdit& edit) {
  if (edit.kind == HistoryEdit::Kind::kDeleteAttr) {
    return !edit.dataset_id || e.dataset_id == *edit.dataset_id;
  }
  return instance_id(e) == edit.instance_id;
}

// Applies `edit` to `entries`; returns how many it touched.
uint64_t apply_edit(const HistoryEdit& edit, std::vector<StoredEntry>* entries,
                    int64_t attr) {
  uint64_t touched = 0;
  std::vector<StoredEntry> kept;
  kept.reserve(entries->size());
  for (auto& e : *entries) {
    if ((attr >= 0 && e.attr != attr) || !matches(e, edit)) {
      kept.push_back(std::move(e));
      continue;
    }
    ++touched;
    if (edit.kind != HistoryEdit::Kind::kReplaceInstance) continue;
    HistoryEntry h;
    h.dataset_id = e.dataset_id;
    h.observed_at = from_micros(e.observed_us);
    h.recorded_at = from_micros(e.recorded_us);
    h.instance = edit.instance;
    kept.push_back(to_stored(h, e.attr));
  }
  *entries = std::move(kept);
  return touched;
}

}  // namespace

Status set_aside_v3_chunks(Database& db) {
  return db.exec("ALTER TABLE history_chunks RENAME TO history_chunks_v3");
}

Status migrate_v3_chunks(Database& db) {
  if (auto s = db.exec(
          "INSERT INTO history_chunks(entity, attr, first_at, seq, last_at, "
          "count, data) SELECT entity, attr, first_at, seq, last_at, count, "
          "data FROM history_chunks_v3 ORDER BY entity, attr, first_at, seq");
      !s) {
    return s;
  }
  return db.exec("DROP TABLE history_chunks_v3");
}

Status migrate_v1_history(Database& db) {
  auto rows = db.prepare(
      "SELECT entity, attr, dataset_id, observed_at, recorded_at, deleted, "
      "instance FROM history ORDER BY rowid");
  if (!rows) return std::unexpected(rows.error());
  auto insert = db.prepare(
      "INSERT INTO history_log(entity, count, data) "
      "VALUES (?1, ?2, CAST(?3 AS BLOB))");
  if (!insert) return std::unexpected(insert.error());
  std::string data;
  int64_t entity = -1;
  uint64_t count = 0;
  auto flush = [&]() -> Status {
    if (count == 0) return ok();
    insert->bind_int(1, entity);
    insert->bind_int(2, static_cast<int64_t>(count));
    insert->bind_text(3, data);
    auto s = insert->run();
    data.clear();
    count = 0;
    return s;
  };
  Result<bool> row;
  while ((row = rows->step()) && *row) {
    if (rows->column_int(0) != entity) {
      if (auto s = flush(); !s) return s;
      entity = rows->column_int(0);
    }
    HistoryEntry h;
    h.dataset_id = std::string(rows->column_text(2));
    h.observed_at = from_micros(rows->column_int(3));
    h.recorded_at = from_micros(rows->column_int(4));
    h.deleted = rows->column_int(5) != 0;
    if (!h.deleted) {
      auto inst = parse_json(rows->column_text(6), JsonLimits{128});
      if (!inst || !inst->is_object()) {
        return fail(Code::kInternal, "v1 history instance is corrupt");
      }
      h.instance = std::move(inst->get_object());
    }
    append_log_entry(to_stored(h, rows->column_int(1)), &data);
    ++count;
  }
  if (!row) return std::unexpected(row.error());
  if (auto s = flush(); !s) return s;
  rows->reset();
  *rows = Statement();
  *insert = Statement();
  if (auto s = db.exec("DROP TABLE history"); !s) return s;
  return db.exec(kHistorySchema);
}

Result<std::unique_ptr<HistoryWriter>> HistoryWriter::open(
    Database* db, const std::string& path, HistoryLogIndex* log_index,
    std::chrono::seconds retention, uint64_t compact_rows, const Clock* clock) {
  std::unique_ptr<HistoryWriter> w(new HistoryWriter());
  w->db_ = db;
  w->log_index_ = log_index;
  w->retention_ = retention;
  w->compact_rows_ = std::max<uint64_t>(1, compact_rows);
  w->clock_ = clock ? clock : Clock::system();
  if (auto s = w->prepare(); !s) return std::unexpected(s.error());
  auto stmt = db->prepare(
      "SELECT (SELECT coalesce(max(seq), 0) FROM history_log), "
      "(SELECT coalesce(max(value), 0) FROM history_meta "
      "WHERE name = 'next_seq')");
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  w->next_seq_ = std::max(stmt->column_int(0) + 1, stmt->column_int(1));
  stmt->reset();
  if (auto s = w->load_log_index(); !s) return std::unexpected(s.error());
  w->path_ = path;
  return w;
}

Status HistoryWriter::load_log_index() {
  log_index_->clear();
  // Rows at or below their entity's mark are in the chunks already. The
  // marks are few (none once a compaction emptied the log): a map, not a
  // lookup per log row.
  std::unordered_map<int64_t, int64_t> marks;
  auto marked = db_->prepare("SELECT entity, seq FROM history_compacted");
  if (!marked) return std::unexpected(marked.error());
  Result<bool> row;
  while ((row = marked->step()) && *row) {
    marks.emplace(marked->column_int(0), marked->column_int(1));
  }
  if (!row) return std::unexpected(row.error());
  auto rows = db_->prepare("SELECT entity, seq FROM history_log ORDER BY seq");
  if (!rows) return std::unexpected(rows.error());
  // The time ranges of these rows are unknown without decoding them.
  std::vector<HistoryLogIndex::Row> found;
  while ((row = rows->step()) && *row) {
    int64_t entity = rows->column_int(0);
    int64_t seq = rows->column_int(1);
    if (auto m = marks.find(entity); m != marks.end() && seq <= m->second) {
      continue;
    }
    found.push_back({entity, seq, std::numeric_limits<int64_t>::min(),
                     std::numeric_limits<int64_t>::max()});
  }
  if (!row) return std::unexpected(row.error());
  log_index_->add(found);
  log_rows_ = found.size();
  return ok();
}

std::vector<int64_t> HistoryWriter::log_seqs(
    int64_t entity, std::optional<int64_t> observed_us) const {
  std::vector<int64_t> seqs = log_index_->seqs(entity, observed_us);
  for (const auto& r : pending_) {
    if (r.entity == entity && (!observed_us || (r.first_us <= *observed_us &&
                                                *observed_us <= r.last_us))) {
      seqs.push_back(r.seq);
    }
  }
  return seqs;
}

Status HistoryWriter::prepare() {
  struct Item {
    Statement* stmt;
    std::string_view sql;
  };
  const Item items[] = {
      {&insert_log_,
       "INSERT INTO history_log(seq, entity, count, data) "
       "VALUES (?1, ?2, ?3, CAST(?4 AS BLOB))"},
      {&insert_chunk_,
       "INSERT INTO history_chunks(entity, attr, first_at, seq, last_at, "
       "count, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(?7 AS BLOB))"},
      {&select_chunk_, kSelectChunkSql},
      {&delete_chunk_,
       "DELETE FROM history_chunks WHERE entity = ?1 AND attr = ?2 "
       "AND first_at = ?3 AND seq = ?4"},
      {&save_seq_,
       "INSERT OR REPLACE INTO history_meta(name, value) "
       "VALUES ('next_seq', ?1)"},
      {&select_log_row_, "SELECT data FROM history_log WHERE seq = ?1"},
      // Below the oldest listed row ?1, a bounded step of ?2 seqs from the
      // log's first row, so that a long compacted stretch does not hold up
      // one write for long. One upper bound on the rowid: given two, SQLite
      // scanned by ?1 and read every row below it.
      {&delete_log_front_,
       "DELETE FROM history_log "
       "WHERE seq < min(?1, (SELECT min(seq) FROM history_log) + ?2)"},
      {&mark_compacted_,
       "INSERT INTO history_compacted(entity, seq) VALUES (?1, ?2) "
       "ON CONFLICT(entity) DO UPDATE SET seq = excluded.seq"},
      {&select_spanning_,
       "SELECT count, data FROM history_chunks WHERE entity = ?1 "
       "AND attr = ?2 AND first_at <= ?3 AND last_at >= ?3"},
      {&update_log_row_,
       "UPDATE history_log SET count = ?2, data = CAST(?3 AS BLOB) "
       "WHERE seq = ?1"},
  };
  for (const auto& item : items) {
    auto stmt = db_->prepare(item.sql);
    if (!stmt) return std::unexpected(stmt.error());
    *item.stmt = std::move(*stmt);
  }
  return ok();
}

Status HistoryWriter::append(int64_t entity, std::string_view data,
                             uint64_t count, int64_t first_us,
                             int64_t last_us) {
  if (count == 0) return ok();
  insert_log_.bind_int(1, next_seq_);
  insert_log_.bind_int(2, entity);
  insert_log_.bind_int(3, static_cast<int64_t>(count));
  insert_log_.bind_text(4, data);
  if (auto s = insert_log_.run(); !s) return s;
  pending_.push_back(
      HistoryLogIndex::Row{entity, next_seq_++, first_us, last_us});
  return ok();
}

void HistoryWriter::committed() {
  log_rows_ += pending_.size();
  log_index_->add(pending_);
  pending_.clear();
}

void HistoryWriter::rolled_back() { pending_.clear(); }

bool HistoryWriter::wants_compaction(bool idle) const {
  if (compacting_) return true;
  if (log_rows_ >= compact_rows_ * kBusyFactor) return true;
  if (idle && log_rows_ >= compact_rows_) return true;
  if (idle && retention_.count() > 0 && log_rows_ > 0 &&
      clock_->now() - last_sweep_ > std::chrono::hours(1)) {
    return true;
  }
  return false;
}

Status HistoryWriter::compact(bool idle) {
  if (!compactor_) {
    // Started with the first compaction: most tenants of a node never
    // get that far, and need no thread for it.
    auto compactor = HistoryCompactor::start(path_);
    if (!compactor) return std::unexpected(compactor.error());
    compactor_ = std::move(*compactor);
  }
  if (compactor_->busy()) {
    bool wait = idle || log_rows_ >= compact_rows_ * kStallFactor;
    auto planned = compactor_->take(wait);
    if (!planned) return ok();  // still planning
    Status s = ok();
    if (!*planned) {
      s = std::unexpected(planned->error());
    } else if ((*planned)->generation == generation_) {
      s = apply(**planned);
    }  // else: history was edited since the snapshot; plan the slice again
    if (!s) {
      compacting_ = false;  // the next trigger retries
      return s;
    }
    if (log_rows_ == 0) {
      compacting_ = false;
      return ok();
    }
  }
  const uint64_t slice_rows = std::min(kSliceRows, compact_rows_);
  CompactionPlan plan;
  plan.slice = log_index_->peek(slice_rows);
  if (plan.slice.empty()) {
    // The list lost track of the log (it cannot happen; if it did, the
    // compaction would never end): list the log again.
    if (auto s = load_log_index(); !s) return s;
    plan.slice = log_index_->peek(slice_rows);
    if (plan.slice.empty()) {
      compacting_ = false;
      return ok();
    }
  }
  plan.cutoff = std::numeric_limits<int64_t>::min();
  if (retention_.count() > 0) {
    plan.cutoff = to_micros(clock_->now() - retention_);
  }
  plan.generation = generation_;
  compactor_->submit(std::move(plan));
  compacting_ = true;
  return ok();
}

Status HistoryWriter::apply(const CompactionPlan& plan) {
  if (auto s = db_->exec("BEGIN IMMEDIATE"); !s) return s;
  Status s = apply_in_txn(plan);
  if (s) s = db_->exec("COMMIT");
  if (!s) {
    (void)db_->exec("ROLLBACK");
    return s;
  }
  uint64_t rows = plan.rows();
  log_index_->remove(plan.slice);
  log_rows_ -= std::min(rows, log_rows_);
  return ok();
}

Status HistoryWriter::apply_in_txn(const CompactionPlan& plan) {
  for (const auto& key : plan.merged) {
    if (auto s = delete_chunk(key.entity, key.attr, {key.first_at, key.seq, 0});
        !s) {
      return s;
    }
  }
  for (const auto& chunk : plan.chunks) {
    if (auto s = insert_encoded(chunk); !s) return s;
  }
  bool drains = plan.rows() >= log_rows_;
  if (drains) {
    // Every row of the log is in the chunks now (rows appended since the
    // slice was taken would be counted in log_rows_).
    if (auto s = db_->exec("DELETE FROM history_log"); !s) return s;
    if (auto s = db_->exec("DELETE FROM history_compacted"); !s) return s;
  } else {
    // The consumed rows stay where they are, below their entities' marks:
    // deleting them one by one dirtied a page of the log per row (a
    // slice's entities are spread over all of it). The front of the log,
    // older than every row still listed, goes instead: contiguous pages.
    for (const auto& [entity, seqs] : plan.slice) {
      mark_compacted_.bind_int(1, entity);
      mark_compacted_.bind_int(2, seqs.back());
      if (auto s = mark_compacted_.run(); !s) return s;
    }
    if (auto s = delete_log_front(); !s) return s;
  }
  // Hourly, and not only when the log empties: under a load that never
  // pauses it never does.
  if (retention_.count() > 0 &&
      clock_->now() - last_sweep_ > std::chrono::hours(1)) {
    if (auto s = sweep(plan.cutoff); !s) return s;
    last_sweep_ = clock_->now();
  }
  save_seq_.bind_int(1, next_seq_);
  return save_seq_.run();
}

Status HistoryWriter::delete_log_front() {
  // The rows of the slice being applied are still listed: the front moves
  // on one slice late, which is soon enough.
  std::optional<int64_t> oldest = log_index_->oldest();
  if (!oldest) return ok();
  delete_log_front_.bind_int(1, *oldest);
  delete_log_front_.bind_int(2, kFrontSeqs);
  return delete_log_front_.run();
}

Status HistoryWriter::insert_chunk(int64_t entity, int64_t attr,
                                   const std::vector<StoredEntry>& entries) {
  if (entries.empty()) return ok();
  CompactionPlan::Chunk chunk{entity,
                              attr,
                              entries.front().observed_us,
                              entries.back().observed_us,
                              entries.size(),
                              {}};
  encode_chunk(entries, &chunk.data);
  return insert_encoded(chunk);
}

Status HistoryWriter::insert_encoded(const CompactionPlan::Chunk& chunk) {
  insert_chunk_.bind_int(1, chunk.entity);
  insert_chunk_.bind_int(2, chunk.attr);
  insert_chunk_.bind_int(3, chunk.first_at);
  insert_chunk_.bind_int(4, next_seq_++);
  insert_chunk_.bind_int(5, chunk.last_at);
  insert_chunk_.bind_int(6, static_cast<int64_t>(chunk.count));
  insert_chunk_.bind_text(7, chunk.data);
  return insert_chunk_.run();
}

Status HistoryWriter::load_chunk(int64_t entity, int64_t attr,
                                 const ChunkMeta& meta,
                                 std::vector<StoredEntry>* out) {
  return sqlite::load_chunk(
      select_chunk_, {entity, attr, meta.first_at, meta.seq}, meta.count, out);
}

Status HistoryWriter::delete_chunk(int64_t entity, int64_t attr,
                                   const ChunkMeta& meta) {
  delete_chunk_.bind_int(1, entity);
  delete_chunk_.bind_int(2, attr);
  delete_chunk_.bind_int(3, meta.first_at);
  delete_chunk_.bind_int(4, meta.seq);
  return delete_chunk_.run();
}

// Drops whole chunks whose newest entry is older than the cutoff (a scan
// of the chunk table, at most hourly). Partly old chunks stay until they
// are wholly old: retention has chunk granularity.
Status HistoryWriter::sweep(int64_t cutoff_us) {
  auto stmt = db_->prepare("DELETE FROM history_chunks WHERE last_at < ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind_int(1, cutoff_us);
  return stmt->run();
}

Status HistoryWriter::load_log_row(int64_t seq, std::vector<StoredEntry>* out) {
  out->clear();
  select_log_row_.bind_int(1, seq);
  auto row = select_log_row_.step();
  Status s = ok();
  if (row && *row) s = decode_log_row(select_log_row_.column_text(0), out);
  select_log_row_.reset();
  if (!row) return std::unexpected(row.error());
  return s;
}

Result<bool> HistoryWriter::has_entry(int64_t entity,
                                      const StoredEntry& reading) {
  const int64_t attr = reading.attr;
  const int64_t observed_us = reading.observed_us;
  std::vector<StoredEntry> entries;
  for (int64_t seq : log_seqs(entity, observed_us)) {
    if (auto s = load_log_row(seq, &entries); !s)
      return std::unexpected(s.error());
    if (holds_reading(entries, reading)) return true;
  }
  select_spanning_.bind_int(1, entity);
  select_spanning_.bind_int(2, attr);
  select_spanning_.bind_int(3, observed_us);
  Result<bool> row;
  bool hit = false;
  while (!hit && (row = select_spanning_.step()) && *row) {
    entries.clear();
    auto s = decode_chunk(select_spanning_.column_text(1),
                          static_cast<uint64_t>(select_spanning_.column_int(0)),
                          attr, &entries);
    if (!s) {
      select_spanning_.reset();
      return std::unexpected(s.error());
    }
    hit = holds_reading(entries, reading);
  }
  select_spanning_.reset();
  if (!row) return std::unexpected(row.error());
  return hit;
}

Result<uint64_t> HistoryWriter::edit(int64_t entity, int64_t attr,
                                     const HistoryEdit& edit) {
  ++generation_;  // a plan under way may hold what this changes
  auto in_log = edit_log(entity, attr, edit);
  if (!in_log) return in_log;
  auto in_chunks = edit_chunks(entity, attr, edit);
  if (!in_chunks) return in_chunks;
  return *in_log + *in_chunks;
}

Result<uint64_t> HistoryWriter::edit_log(int64_t entity, int64_t attr,
                                         const HistoryEdit& edit) {
  uint64_t touched = 0;
  std::vector<StoredEntry> entries;
  std::string data;
  for (int64_t seq : log_seqs(entity, std::nullopt)) {
    if (auto s = load_log_row(seq, &entries); !s)
      return std::unexpected(s.error());
    uint64_t n = apply_edit(edit, &entries, attr);
    if (n == 0) continue;
    touched += n;
    data.clear();
    for (const auto& e : entries) append_log_entry(e, &data);
    update_log_row_.bind_int(1, seq);
    update_log_row_.bind_int(2, static_cast<int64_t>(entries.size()));
    update_log_row_.bind_text(3, data);
    if (auto s = update_log_row_.run(); !s) return std::unexpected(s.error());
  }
  return touched;
}

Result<uint64_t> HistoryWriter::edit_chunks(int64_t entity, int64_t attr,
                                            const HistoryEdit& edit) {
  auto rows = db_->prepare(
      "SELECT attr, first_at, seq, count FROM history_chunks "
      "WHERE entity = ?1 AND (?2 < 0 OR attr = ?2)");
  if (!rows) return std::unexpected(rows.error());
  rows->bind_int(1, entity);
  rows->bind_int(2, attr);
  std::vector<std::pair<int64_t, ChunkMeta>> chunks;
  Result<bool> row;
  while ((row = rows->step()) && *row) {
    chunks.push_back({rows->column_int(0),
                      {rows->column_int(1), rows->column_int(2),
                       static_cast<uint64_t>(rows->column_int(3))}});
  }
  if (!row) return std::unexpected(row.error());
  *rows = Statement();
  uint64_t touched = 0;
  for (const auto& [chunk_attr, meta] : chunks) {
    std::vector<StoredEntry> entries;
    if (auto s = load_chunk(entity, chunk_attr, meta, &entries); !s)
      return std::unexpected(s.error());
    uint64_t n = apply_edit(edit, &entries, chunk_attr);
    if (n == 0) continue;
    touched += n;
    if (auto s = delete_chunk(entity, chunk_attr, meta); !s)
      return std::unexpected(s.error());
    sort_by_observed(&entries);
    if (auto s = insert_chunk(entity, chunk_attr, entries); !s)
      return std::unexpected(s.error());
  }
  return touched;
}

}  // namespace cocity::store::sqlite

#include "store/sqlite/history_reader.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "store/history_codec.h"

namespace cocity::store::sqlite {

namespace {

using AttrNames = std::unordered_map<int64_t, std::string>;

Result<std::optional<int64_t>> entity_key(Database& db, const std::string& id) {
  auto stmt = db.prepare("SELECT key FROM entity_ids WHERE id = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind_text(1, id);
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt->column_int(0));
}

// attr key -> IRI, restricted to `wanted` when it is not empty.
Result<AttrNames> attr_names(Database& db,
                             const std::vector<std::string>& wanted) {
  auto stmt = db.prepare("SELECT key, iri FROM attr_names");
  if (!stmt) return std::unexpected(stmt.error());
  AttrNames names;
  Result<bool> row;
  while ((row = stmt->step()) && *row) {
    std::string iri(stmt->column_text(1));
    if (!wanted.empty() &&
        std::find(wanted.begin(), wanted.end(), iri) == wanted.end()) {
      continue;
    }
    names.emplace(stmt->column_int(0), std::move(iri));
  }
  if (!row) return std::unexpected(row.error());
  return names;
}

struct Window {
  int64_t from = std::numeric_limits<int64_t>::min();
  int64_t to = std::numeric_limits<int64_t>::max();
  bool by_recorded = false;

  int64_t time(const StoredEntry& e) const {
    return by_recorded ? e.recorded_us : e.observed_us;
  }
  bool contains(const StoredEntry& e) const {
    int64_t t = time(e);
    return t >= from && t < to;
  }
};

// Chunks of the entity's wanted series that may hold entries in the
// window, in creation (seq) order, decoded and filtered.
Status read_chunks(Database& db, int64_t entity, const AttrNames& names,
                   bool all_attrs, const Window& w,
                   std::vector<StoredEntry>* out) {
  // Observed-time windows use the primary key: first_at < to; the chunk's
  // last_at rules out chunks wholly before `from`.
  auto stmt = db.prepare(
      "SELECT attr, seq, last_at, count, data FROM history_chunks "
      "WHERE entity = ?1 AND (?2 < 0 OR attr = ?2) AND first_at < ?3 "
      "AND last_at >= ?4 ORDER BY seq");
  if (!stmt) return std::unexpected(stmt.error());
  auto run = [&](int64_t attr) -> Status {
    stmt->bind_int(1, entity);
    stmt->bind_int(2, attr);
    stmt->bind_int(3,
                   w.by_recorded ? std::numeric_limits<int64_t>::max() : w.to);
    stmt->bind_int(
        4, w.by_recorded ? std::numeric_limits<int64_t>::min() : w.from);
    Result<bool> row;
    std::vector<StoredEntry> entries;
    while ((row = stmt->step()) && *row) {
      int64_t chunk_attr = stmt->column_int(0);
      if (!names.contains(chunk_attr)) continue;
      entries.clear();
      auto s = decode_chunk(stmt->column_text(4),
                            static_cast<uint64_t>(stmt->column_int(3)),
                            chunk_attr, &entries);
      if (!s) return s;
      for (auto& e : entries) {
        if (w.contains(e)) out->push_back(std::move(e));
      }
    }
    stmt->reset();
    if (!row) return std::unexpected(row.error());
    return ok();
  };
  if (all_attrs) return run(-1);
  for (const auto& [attr, iri] : names) {
    if (auto s = run(attr); !s) return s;
  }
  return ok();
}

// The entity's entries still in the log (newer than every chunk): the rows
// listed in `seqs` above the entity's compaction mark; a row below it or
// gone was compacted into the chunks (history_log_index.h).
Status read_log(Database& db, int64_t entity, const std::vector<int64_t>& seqs,
                const AttrNames& names, const Window& w,
                std::vector<StoredEntry>* out) {
  if (seqs.empty()) return ok();
  auto mark = db.prepare("SELECT seq FROM history_compacted WHERE entity = ?1");
  if (!mark) return std::unexpected(mark.error());
  mark->bind_int(1, entity);
  auto marked = mark->step();
  if (!marked) return std::unexpected(marked.error());
  int64_t compacted = *marked ? mark->column_int(0) : 0;
  mark->reset();
  auto stmt = db.prepare("SELECT data FROM history_log WHERE seq = ?1");
  if (!stmt) return std::unexpected(stmt.error());
  std::vector<StoredEntry> entries;
  for (int64_t seq : seqs) {
    if (seq <= compacted) continue;
    stmt->bind_int(1, seq);
    auto row = stmt->step();
    entries.clear();
    Status s = ok();
    if (row && *row) s = decode_log_row(stmt->column_text(0), &entries);
    stmt->reset();
    if (!row) return std::unexpected(row.error());
    if (!s) return s;
    for (auto& e : entries) {
      if (names.contains(e.attr) && w.contains(e)) out->push_back(std::move(e));
    }
  }
  return ok();
}

// Keeps the last `n` entries of each attribute (entries are time-sorted).
void keep_last(uint64_t n, std::vector<StoredEntry>* entries) {
  std::unordered_map<int64_t, uint64_t> seen;
  std::vector<bool> keep(entries->size());
  for (size_t i = entries->size(); i-- > 0;) {
    keep[i] = ++seen[(*entries)[i].attr] <= n;
  }
  std::vector<StoredEntry> kept;
  for (size_t i = 0; i < entries->size(); ++i) {
    if (keep[i]) kept.push_back(std::move((*entries)[i]));
  }
  *entries = std::move(kept);
}

// Holds one read transaction: the chunks and the log are read from one
// snapshot, so that a compaction committing in between can neither hide
// nor duplicate entries.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db) : db_(db), status_(db.exec("BEGIN")) {}
  ~ReadTransaction() {
    if (status_) (void)db_.exec("COMMIT");
  }
  const Status& status() const { return status_; }

 private:
  Database& db_;
  Status status_;
};

}  // namespace

Result<std::vector<HistoryEntry>> read_history(Database& db,
                                               const HistoryLogIndex& log_index,
                                               const HistoryQuery& query) {
  std::vector<HistoryEntry> out;
  // Keys never change, so the key may come from before the transaction;
  // the log's seqs must (history_log_index.h).
  auto key = entity_key(db, query.entity_id);
  if (!key) return std::unexpected(key.error());
  if (!*key || query.limit == 0) return out;
  std::vector<int64_t> seqs = log_index.seqs(**key);
  ReadTransaction txn(db);
  if (!txn.status()) return std::unexpected(txn.status().error());
  auto names = attr_names(db, query.attrs);
  if (!names) return std::unexpected(names.error());
  if (names->empty()) return out;
  Window w;
  if (query.from) w.from = to_micros(*query.from);
  if (query.to) w.to = to_micros(*query.to);
  w.by_recorded = query.by_recorded;
  std::vector<StoredEntry> entries;
  if (auto s = read_chunks(db, **key, *names, query.attrs.empty(), w, &entries);
      !s) {
    return std::unexpected(s.error());
  }
  if (auto s = read_log(db, **key, seqs, *names, w, &entries); !s)
    return std::unexpected(s.error());
  // Chunks in seq order and then the log are usually in time order already
  // (a series written in order); sorting 35,040 entries cost more than
  // decoding them.
  auto earlier = [&w](const StoredEntry& a, const StoredEntry& b) {
    return w.time(a) < w.time(b);
  };
  if (!std::is_sorted(entries.begin(), entries.end(), earlier)) {
    std::stable_sort(entries.begin(), entries.end(), earlier);
  }
  if (query.last_n > 0) keep_last(query.last_n, &entries);
  size_t n = std::min<uint64_t>(entries.size(), query.limit);
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto entry =
        to_history(entries[i], names->at(entries[i].attr), query.values_only);
    if (!entry) return std::unexpected(entry.error());
    out.push_back(std::move(*entry));
  }
  return out;
}

}  // namespace cocity::store::sqlite

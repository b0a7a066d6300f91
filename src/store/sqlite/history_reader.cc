#include "store/sqlite/history_reader.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "core/json.h"

namespace cocity::store::sqlite {

namespace {

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
Result<std::unordered_map<int64_t, std::string>> attr_names(
    Database& db, const std::vector<std::string>& wanted) {
  auto stmt = db.prepare("SELECT key, iri FROM attr_names");
  if (!stmt) return std::unexpected(stmt.error());
  std::unordered_map<int64_t, std::string> names;
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

Result<HistoryEntry> read_entry(const Statement& stmt,
                                const std::string& attr) {
  HistoryEntry entry;
  entry.attr = attr;
  entry.dataset_id = std::string(stmt.column_text(1));
  entry.observed_at = from_micros(stmt.column_int(2));
  entry.recorded_at = from_micros(stmt.column_int(3));
  entry.deleted = stmt.column_int(4) != 0;
  if (!entry.deleted) {
    auto instance = parse_json(stmt.column_text(5), JsonLimits{128});
    if (!instance || !instance->is_object()) {
      return fail(Code::kInternal, "stored history instance is corrupt");
    }
    entry.instance = std::move(instance->get_object());
  }
  return entry;
}

}  // namespace

Result<std::vector<HistoryEntry>> read_history(Database& db,
                                               const HistoryQuery& query) {
  std::vector<HistoryEntry> out;
  auto key = entity_key(db, query.entity_id);
  if (!key) return std::unexpected(key.error());
  if (!*key || query.limit == 0) return out;
  auto names = attr_names(db, query.attrs);
  if (!names) return std::unexpected(names.error());
  auto stmt = db.prepare(
      "SELECT attr, dataset_id, observed_at, recorded_at, deleted, instance "
      "FROM history WHERE entity = ?1 AND observed_at >= ?2 AND "
      "observed_at < ?3 ORDER BY observed_at, rowid");
  if (!stmt) return std::unexpected(stmt.error());
  stmt->bind_int(1, **key);
  stmt->bind_int(2, query.from ? to_micros(*query.from)
                               : std::numeric_limits<int64_t>::min());
  stmt->bind_int(
      3, query.to ? to_micros(*query.to) : std::numeric_limits<int64_t>::max());
  Result<bool> row;
  while (out.size() < query.limit && (row = stmt->step()) && *row) {
    auto name = names->find(stmt->column_int(0));
    if (name == names->end()) continue;
    auto entry = read_entry(*stmt, name->second);
    if (!entry) return std::unexpected(entry.error());
    out.push_back(std::move(*entry));
  }
  if (!row) return std::unexpected(row.error());
  return out;
}

}  // namespace cocity::store::sqlite
